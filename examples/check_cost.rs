//! Times the first check of a shape (the bulk calibration is simulated; disk cache off) and a
//! second one (from the process's memory), for docs/performance.md:
//! `RMSPEC_CACHE=off cargo run --release --example check_cost`.

use rmspec::check::Check;
use rmspec::sample::{sample, trial_rng};
use rmspec::Strategy;
use std::time::Instant;

fn main() -> Result<(), rmspec::Error> {
    for (m, n, alpha) in [(256, 512, 0.01), (512, 512, 0.01), (64, 4096, 0.001), (1024, 4096, 0.01)] {
        let w = sample(Strategy::He, m, n, &mut trial_rng(1, 0))?;
        let check = Check::new(Strategy::He).false_alarm(alpha);
        let start = Instant::now();
        let first = check.run(&w)?;
        let cold = start.elapsed().as_secs_f64();
        let start = Instant::now();
        check.run(&w)?;
        let warm = start.elapsed().as_secs_f64();
        let edges = Instant::now();
        check.edges_only().run(&w)?;
        println!(
            "{m}×{n}, α = {alpha}, {} replicates: first check {cold:.2} s, second {warm:.3} s, edges only {:.3} s",
            first.bulk_replicates,
            edges.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
