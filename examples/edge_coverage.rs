//! Measures the coverage of the 95% prediction intervals for ‖W‖, λ_max(S), σ_min(W) and κ(W)
//! over 2000 independent Gaussian (arithmetic) matrices at several shapes, and prints the
//! markdown table of `docs/edge-fluctuations.md`.
//!
//! ```text
//! cargo run --release --example edge_coverage
//! ```
//!
//! About a minute on two cores. Seed 7; trial t of a shape draws from `trial_rng(7, t)`.

use rayon::prelude::*;
use rmspec::intervals::{EdgeIntervals, EdgeQuantiles, Interval};
use rmspec::sample::{sample_into, trial_rng};
use rmspec::spectrum::{GramSolver, SingularValueMethod};
use rmspec::Strategy;

const TRIALS: u64 = 2000;
const LEVEL: f64 = 0.95;
const SEED: u64 = 7;
const SHAPES: [(usize, usize); 8] =
    [(100, 400), (300, 1200), (200, 250), (380, 400), (395, 400), (400, 400), (400, 100), (50, 60)];

/// Per-matrix (λ_max(S), ‖W‖, σ_min, κ) for `TRIALS` independent m×n matrices of `strategy`.
fn extremes(strategy: Strategy, m: usize, n: usize) -> rmspec::Result<Vec<[f64; 4]>> {
    rmspec::linalg::set_blas_threads(1);
    let method = if m == n { SingularValueMethod::Svd } else { SingularValueMethod::Gram };
    (0..TRIALS)
        .into_par_iter()
        .map_init(
            || GramSolver::new(m, n, method).map(|solver| (solver, vec![0.0; m * n])),
            |state, t| {
                let (solver, w) = state.as_mut().map_err(|e| e.clone())?;
                sample_into(strategy, m, n, &mut trial_rng(SEED, t), w)?;
                let s = solver.compute(w)?;
                Ok([s.lambda_max(), s.spectral_norm(), s.smallest_singular_value(), s.condition_number()])
            },
        )
        .collect()
}

/// The fraction of matrices inside each interval, in the order (‖W‖, λ_max, σ_min, κ).
fn coverage(values: &[[f64; 4]], intervals: &EdgeIntervals) -> [f64; 4] {
    let inside =
        |k: usize, i: &Interval| values.iter().filter(|v| i.contains(v[k])).count() as f64 / values.len() as f64;
    [
        inside(1, &intervals.spectral_norm),
        inside(0, &intervals.lambda_max),
        inside(2, &intervals.smallest_singular_value),
        inside(3, &intervals.condition_number),
    ]
}

fn main() -> rmspec::Result<()> {
    println!("| m | n | γ | ‖W‖ | λmax(S) | σmin(W) | κ(W) | σmin/κ method |");
    println!("|---|---|---|---|---|---|---|---|");
    for (m, n) in SHAPES {
        let strategy = Strategy::Arithmetic;
        let s2 = strategy.variance(m, n)?;
        let values = extremes(strategy, m, n)?;
        let intervals = EdgeQuantiles::new(m, n, LEVEL)?.intervals(s2);
        let c = coverage(&values, &intervals);
        println!(
            "| {m} | {n} | {:.4} | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {} |",
            m as f64 / n as f64,
            100.0 * c[0],
            100.0 * c[1],
            100.0 * c[2],
            100.0 * c[3],
            intervals.smallest_singular_value.method
        );
    }
    Ok(())
}
