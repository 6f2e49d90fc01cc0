//! Measures the check API's false-alarm rates and the variance check's power, for
//! docs/check-false-alarm.md (quoted by the README and the `check` module's docs):
//!
//! - false alarms: 300 correctly drawn He matrices at 48×160, α = 0.1, R = 399 (the setting of
//!   `tests/check_api.rs`), per check and overall;
//! - power: 200 matrices at 256×512 drawn with 1.02× the He variance, α = 0.01, checked with the
//!   default (full) check: how often the variance ratio, and the report as a whole, fail;
//! - false alarms of f32 storage: 200 orthogonal 256×512 matrices rounded to f32 (must be 0).
//!
//! `cargo run --release --example check_rates` (about a minute on two loaded cores).

use rmspec::check::{Check, Quantity};
use rmspec::sample::{sample, trial_rng};
use rmspec::Strategy;

fn main() -> Result<(), rmspec::Error> {
    let (m, n, trials) = (48, 160, 300u64);
    let check = Check::new(Strategy::He).false_alarm(0.1).bulk_replicates(399);
    let reports: Vec<_> = (0..trials)
        .map(|t| check.run(&sample(Strategy::He, m, n, &mut trial_rng(99, t))?))
        .collect::<Result<_, _>>()?;
    let any = reports.iter().filter(|r| !r.passed()).count();
    println!("false alarms, {m}×{n} He, α = 0.1 (each of 5 checks at 2%), {trials} matrices:");
    for i in 0..reports[0].items.len() {
        let failed = reports.iter().filter(|r| !r.items[i].passed).count();
        let rate = failed as f64 / trials as f64;
        let se = (rate * (1.0 - rate) / trials as f64).sqrt();
        println!("  {:<32} {:.1}% ± {:.1}%", reports[0].items[i].quantity.to_string(), 100.0 * rate, 100.0 * se);
    }
    println!("  any check: {:.1}%", 100.0 * any as f64 / trials as f64);

    let (m, n, trials) = (256, 512, 200u64);
    let s2 = Strategy::He.variance(m, n)?;
    let wrong = Strategy::fixed_variance(1.02 * s2)?;
    let (mut ratio_failed, mut report_failed) = (0, 0);
    for t in 0..trials {
        let report = Check::new(Strategy::He).run(&sample(wrong, m, n, &mut trial_rng(7, t))?)?;
        ratio_failed += report.items.iter().any(|i| i.quantity == Quantity::VarianceRatio && !i.passed) as usize;
        report_failed += !report.passed() as usize;
    }
    println!("power, {m}×{n}, variance 1.02 × He, α = 0.01, {trials} seeds:");
    let percent = |count: usize| 100.0 * count as f64 / trials as f64;
    println!("  variance ratio fails in {:.1}%, the report in {:.1}%", percent(ratio_failed), percent(report_failed));

    let orthogonal = Strategy::orthogonal_with_variance(1.0 / 256.0)?;
    let mut f32_failed = 0;
    for t in 0..trials {
        let w = sample(orthogonal, m, n, &mut trial_rng(8, t))?.map(|x| x as f32);
        f32_failed += !Check::new(orthogonal).run(&w)?.passed() as usize;
    }
    println!("orthogonal {m}×{n} stored in f32, {trials} seeds: {f32_failed} rejected");
    Ok(())
}
