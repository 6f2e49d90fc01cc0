//! Measures, for non-Gaussian entry laws (the uniform and truncated-normal laws of framework
//! initialisers), (1) the coverage of rmspec's finite-size 95% prediction intervals for ‖W‖,
//! λ_max, σ_min and κ, which are derived for Gaussian entries (Tracy–Widom / Edelman), and (2)
//! the per-layer false-alarm rates of `rmspec weights` (KS bulk test, TW edge test, variance test,
//! and any of them) on correctly initialised layers, and how often the heavy-tail rule fires on
//! them (α̂ < 6 alone, α̂ + 2·SE < 6, and the heavy-tailed verdict before and after the standard
//! error entered the rule). Prints three markdown tables (quoted in docs/weights.md).
//!
//!     cargo run --release --example entry_law_coverage [TRIALS] [LAYERS]
//!
//! Defaults 1000 and 400 (TRIALS = 0 skips the first table); seeded (seed 11), deterministic for
//! any thread count.

use rayon::prelude::*;
use rmspec::initializer::{EntryLaw, Fans, Initializer};
use rmspec::intervals::EdgeQuantiles;
use rmspec::sample::{sample_into, trial_rng};
use rmspec::spectrum::{GramSolver, SingularValueMethod};
use rmspec::weights::analysis::{analyse, Tests, Verdict};
use rmspec::weights::null::FitNull;
use rmspec::weights::powerlaw::HEAVY_TAIL_ALPHA;
use rmspec::weights::source::FloatType;
use rmspec::{Shape, Strategy};

const SEED: u64 = 11;

fn unit(law: EntryLaw) -> Strategy {
    Strategy::Framework(Initializer::Fixed { law, variance: 1.0 })
}

/// Fractions of `trials` matrices whose ‖W‖, λ_max, σ_min, κ fall in their 95% intervals.
fn coverage(m: usize, n: usize, law: EntryLaw, trials: usize) -> rmspec::Result<[f64; 4]> {
    let intervals = EdgeQuantiles::new(m, n, 0.95)?.intervals(1.0);
    let hits: Vec<[bool; 4]> = (0..trials)
        .into_par_iter()
        .map(|t| {
            let mut w = vec![0.0; m * n];
            sample_into(unit(law), m, n, &mut trial_rng(SEED, t as u64), &mut w)?;
            let s = GramSolver::new(m, n, SingularValueMethod::Svd)?.compute(&w)?;
            Ok([
                intervals.spectral_norm.contains(s.spectral_norm()),
                intervals.lambda_max.contains(s.spectral_norm().powi(2) / n as f64),
                intervals.smallest_singular_value.contains(s.smallest_singular_value()),
                intervals.condition_number.contains(s.condition_number()),
            ])
        })
        .collect::<rmspec::Result<_>>()?;
    let mut out = [0.0; 4];
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = hits.iter().filter(|h| h[k]).count() as f64 / trials as f64;
    }
    Ok(out)
}

/// Rates over `layers` correctly drawn m×n layers of `init` at α = 0.05 (each of 3 tests at α/3)
/// of: KS reject, edge outlier, variance inconsistent, verdict ≠ random-like; then the power-law
/// fit's α̂ < 6, α̂ + 2·SE < 6, the old heavy-tailed rule (KS rejects and α̂ < 6) and the
/// heavy-tailed verdict (KS rejects and α̂ + 2·SE < 6).
fn false_alarms(init: Initializer, m: usize, n: usize, layers: usize) -> rmspec::Result<[f64; 8]> {
    let shape = Shape::new(m, n)?;
    let fans = Fans::matrix(shape);
    let law = init.entry_law().expect("iid initialiser");
    let tests = Tests { false_alarm: 0.05, init: Some(init) };
    let null = FitNull::simulate(shape, law, 239, SEED)?;
    let strategy = Strategy::Framework(Initializer::Fixed { law, variance: init.variance(fans) });
    let flags: Vec<[bool; 8]> = (0..layers)
        .into_par_iter()
        .map(|t| {
            let mut w = vec![0.0; m * n];
            sample_into(strategy, m, n, &mut trial_rng(SEED + 1, t as u64), &mut w)?;
            let singular = rmspec::linalg::singular_values(&mut w, m, n)?;
            let s = analyse(&singular, shape, FloatType::F64, &null, &tests, Some(init.variance(fans)))?;
            let below_six = s.power_law.is_some_and(|f| f.alpha < HEAVY_TAIL_ALPHA);
            Ok([
                !s.fit.passed,
                s.outlier_count > 0,
                !s.init.as_ref().is_some_and(|c| c.consistent),
                s.verdict != Verdict::RandomLike,
                below_six,
                s.power_law.is_some_and(|f| f.is_heavy_tailed()),
                !s.fit.passed && below_six,
                s.verdict == Verdict::HeavyTailed,
            ])
        })
        .collect::<rmspec::Result<_>>()?;
    let mut out = [0.0; 8];
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = flags.iter().filter(|f| f[k]).count() as f64 / layers as f64;
    }
    Ok(out)
}

fn main() -> rmspec::Result<()> {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let trials = args.first().copied().unwrap_or(1000);
    let layers = args.get(1).copied().unwrap_or(400);
    rmspec::linalg::set_blas_threads(1);
    if trials > 0 {
        coverage_table(trials)?;
    }
    false_alarm_table(layers)
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn coverage_table(trials: usize) -> rmspec::Result<()> {
    println!("Coverage of the 95% intervals, {trials} matrices per row, seed {SEED}");
    println!("(binomial standard error {:.2}%)\n", 100.0 * (0.95f64 * 0.05 / trials as f64).sqrt());
    println!("| entries | m | n | ‖W‖ | λmax(S) | σmin(W) | κ(W) |");
    println!("|---|---|---|---|---|---|---|");
    for law in [EntryLaw::Uniform, EntryLaw::TruncatedNormal, EntryLaw::Normal] {
        for (m, n) in [(100, 400), (200, 250), (400, 100), (400, 400), (50, 60)] {
            let c = coverage(m, n, law, trials)?;
            println!("| {} | {m} | {n} | {} | {} | {} | {} |", law.name(), pct(c[0]), pct(c[1]), pct(c[2]), pct(c[3]));
        }
    }
    println!();
    Ok(())
}

fn false_alarm_table(layers: usize) -> rmspec::Result<()> {
    println!("False alarms of `rmspec weights` at α = 0.05 per layer (each test at α/3 = 1.67%),");
    println!("{layers} correctly drawn layers per row, null from 239 replicates, seed {SEED}");
    println!("(binomial standard error at 5%: {:.2}%)\n", 100.0 * (0.05f64 * 0.95 / layers as f64).sqrt());
    let mut rows = Vec::new();
    for name in ["torch-default", "lecun-normal", "kaiming-normal", "glorot-uniform"] {
        let init: Initializer = name.parse()?;
        for (m, n) in [(96, 240), (384, 384)] {
            rows.push((name, m, n, false_alarms(init, m, n, layers)?));
        }
    }
    println!("| initialiser | m×n | KS rejects | edge outlier | variance off | not random-like |");
    println!("|---|---|---|---|---|---|");
    for (name, m, n, f) in &rows {
        println!("| {name} | {m}×{n} | {} | {} | {} | {} |", pct(f[0]), pct(f[1]), pct(f[2]), pct(f[3]));
    }
    println!("\nThe heavy-tail rule on the same layers (power-law fit of the eigenvalues of S)\n");
    println!("| initialiser | m×n | α̂ < 6 | α̂ + 2·SE < 6 | heavy-tailed, old rule (KS rejects, α̂ < 6) | heavy-tailed verdict (KS rejects, α̂ + 2·SE < 6) |");
    println!("|---|---|---|---|---|---|");
    for (name, m, n, f) in &rows {
        println!("| {name} | {m}×{n} | {} | {} | {} | {} |", pct(f[4]), pct(f[5]), pct(f[6]), pct(f[7]));
    }
    Ok(())
}
