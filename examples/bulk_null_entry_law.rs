//! Does the bulk test's null depend on the entry law? For uniform and truncated-normal entries
//! (framework initialisers), compares the null distribution of the pooled KS distance D of
//! `rmspec spectrum` (T matrices of m×n, S = W Wᵀ/n against Marchenko–Pastur, see
//! `rmspec::calibration`) with the standard Gaussian one, and measures the size the 5% test would
//! have if uniform or truncated-normal runs were tested against the Gaussian null (what
//! `spectrum` and `check` did before the null was drawn with the strategy's own law).
//!
//!     cargo run --release --example bulk_null_entry_law [R]
//!
//! R (default 400) replicate values of D per law and row, from independent seeds for the Gaussian
//! null (seed 101) and each law's "data" (seed 202). Prints a markdown table (quoted in
//! docs/weights.md).

use rmspec::calibration::{BulkNull, NullKey, NullStatistic};
use rmspec::initializer::EntryLaw;
use rmspec::trials::RunControl;
use rmspec::Shape;

/// The q-quantile of ascending values (the ⌈qR⌉-th smallest).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let k = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn main() -> rmspec::Result<()> {
    let replicates = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(400);
    println!("Pooled KS distance D under each entry law, {replicates} replicates per law and row;");
    println!("\"size\": the fraction of D (this law) above the Gaussian null's 95% quantile, i.e. the");
    println!("false-alarm rate of a nominal 5% test that used the Gaussian null for these entries");
    println!("(binomial standard error at 5%: {:.1}%)\n", 100.0 * (0.05f64 * 0.95 / replicates as f64).sqrt());
    println!("| m×n | T | entries | median D | 95% quantile of D | size vs Gaussian null |");
    println!("|---|---|---|---|---|---|");
    for (m, n, trials) in [(64, 128, 1), (64, 128, 20), (64, 128, 100), (256, 512, 1), (256, 512, 10)] {
        let null = |seed, law| {
            let key = NullKey::new(Shape::new(m, n)?, trials, replicates, seed, law, NullStatistic::PooledGrid)?;
            BulkNull::simulate(key, RunControl::default())
        };
        let gaussian = null(101, EntryLaw::Normal)?;
        let critical = quantile(gaussian.replicates(), 0.95);
        for law in [EntryLaw::Normal, EntryLaw::Uniform, EntryLaw::TruncatedNormal] {
            let data = null(202, law)?;
            let d = data.replicates();
            let size = d.iter().filter(|&&x| x > critical).count() as f64 / d.len() as f64;
            println!(
                "| {m}×{n} | {trials} | {} | {:.5} | {:.5} | {:.1}% |",
                law.name(),
                quantile(d, 0.5),
                quantile(d, 0.95),
                100.0 * size
            );
        }
    }
    Ok(())
}
