//! Prints what one evaluation of the Tracy–Widom CDF and density costs (β = 1 and 2), on 200
//! points of [−6, 4], and one evaluation of the tabulated TW₁ CDF (`TabulatedTw1`) on the same
//! points (repeated 1000 times). A measurement, not an assertion: timings depend on the machine and its load.
//!
//! ```text
//! cargo run --release --example tracy_widom_timing
//! ```

use rmspec::law::{SpectralLaw, TabulatedTw1, TracyWidom};

fn main() -> rmspec::Result<()> {
    for beta in [1, 2] {
        let law = TracyWidom::new(beta)?;
        let grid: Vec<f64> = (0..200).map(|k| -6.0 + 0.05 * k as f64).collect();
        let start = std::time::Instant::now();
        let sum: f64 = grid.iter().map(|&s| law.cdf(s)).sum();
        let per_cdf = start.elapsed().as_secs_f64() / grid.len() as f64;
        let start = std::time::Instant::now();
        let sum2: f64 = grid.iter().map(|&s| law.density(s)).sum();
        let per_density = start.elapsed().as_secs_f64() / grid.len() as f64;
        println!(
            "{law}: {:.1} µs per cdf, {:.1} µs per density on [−6, 4] (sums {sum:.3}, {sum2:.3})",
            per_cdf * 1e6,
            per_density * 1e6
        );
    }
    let grid: Vec<f64> = (0..200).map(|k| -6.0 + 0.05 * k as f64).collect();
    let start = std::time::Instant::now();
    let mut sum = 0.0;
    for _ in 0..1000 {
        sum += grid.iter().map(|&s| TabulatedTw1.cdf(std::hint::black_box(s))).sum::<f64>();
    }
    let per_cdf = start.elapsed().as_secs_f64() / (1000 * grid.len()) as f64;
    println!("tabulated TW₁: {:.1} ns per cdf on [−6, 4] (sum {sum:.3})", per_cdf * 1e9);
    Ok(())
}
