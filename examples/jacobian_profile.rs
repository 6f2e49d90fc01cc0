//! Where the time of a Jacobian law goes: building (mean field, S-transform, edges, tabulated
//! CDF) against evaluating a 1000-point density, for an orthogonal tanh chain of width 100.
//! Wall-clock timings: repeat them, and read them only on an idle machine.
//!
//! With `report` instead of a depth: the time of the report's Jacobian-law section (full sizes).
//!
//! Run: `cargo run --release --example jacobian_profile -- [DEPTH | report]`.

use rmspec::activation::Activation;
use rmspec::law::jacobian::{JacobianLaw, Network};
use rmspec::Strategy;
use std::time::Instant;

fn main() -> Result<(), rmspec::Error> {
    if std::env::args().nth(1).as_deref() == Some("report") {
        let t0 = Instant::now();
        let section = rmspec::claims::jacobian::section(rmspec::claims::ReportSize::Full.sizes())?;
        println!("report section {}: {:.2} s", section.id, t0.elapsed().as_secs_f64());
        return Ok(());
    }
    let depth: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let orthogonal = Strategy::Orthogonal { variance: None };
    for (strategy, activation) in [(orthogonal, Activation::Tanh), (Strategy::LeCun, Activation::Tanh)] {
        let network = Network::new(vec![100; depth + 1], strategy, activation)?;
        let t0 = Instant::now();
        let law = JacobianLaw::new(&network)?;
        let t1 = Instant::now();
        let grid = law.density_grid(1000)?;
        let t2 = Instant::now();
        println!(
            "{strategy} {activation} depth {depth}: build {:.3} s, density-1000 {:.3} s ({} points)",
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            grid.len()
        );
    }
    Ok(())
}
