//! Where the time of a Jacobian law goes: building (mean field, S-transform, edges, tabulated
//! CDF) against evaluating a 1000-point density, for chains of width 100 (orthogonal and LeCun
//! tanh unless cases are given). Each case is timed `--repeat` times in turn (the cases
//! alternating) and the minimum and median wall-clock times are printed: on a shared machine
//! single timings of the same build were seen to vary by 1.7×, the minimum is the stable one.
//! The thread count is rayon's (`RAYON_NUM_THREADS`).
//!
//! With `report` instead of a depth: the time of the report's Jacobian-law section (full sizes).
//!
//! Run: `cargo run --release --example jacobian_profile -- [DEPTH [--repeat N] [STRATEGY:ACTIVATION ...] | report]`,
//! e.g. `-- 100 --repeat 5 orthogonal:tanh he:gelu`.

use rmspec::activation::Activation;
use rmspec::law::jacobian::{JacobianLaw, Network};
use rmspec::Strategy;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("report") {
        let t0 = Instant::now();
        let section = rmspec::claims::jacobian::section(rmspec::claims::ReportSize::Full.sizes())?;
        println!("report section {}: {:.2} s", section.id, t0.elapsed().as_secs_f64());
        return Ok(());
    }
    let depth: usize = args.first().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let mut repeat = 1;
    let mut cases: Vec<(Strategy, Activation)> = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "--repeat" {
            repeat = rest.next().ok_or("--repeat needs a count")?.parse()?;
            continue;
        }
        let (strategy, activation) = arg.split_once(':').ok_or("a case is STRATEGY:ACTIVATION")?;
        cases.push((strategy.parse()?, activation.parse()?));
    }
    if cases.is_empty() {
        cases = vec![(Strategy::Orthogonal { variance: None }, Activation::Tanh), (Strategy::LeCun, Activation::Tanh)];
    }
    let mut times = vec![Vec::new(); cases.len()];
    for _ in 0..repeat {
        for (case, &(strategy, activation)) in cases.iter().enumerate() {
            let network = Network::new(vec![100; depth + 1], strategy, activation)?;
            let t0 = Instant::now();
            let law = JacobianLaw::new(&network)?;
            let t1 = Instant::now();
            let grid = law.density_grid(1000)?;
            let t2 = Instant::now();
            assert_eq!(grid.len(), 1000);
            times[case].push([(t1 - t0).as_secs_f64(), (t2 - t1).as_secs_f64(), (t2 - t0).as_secs_f64()]);
        }
    }
    println!("depth {depth}, {repeat} runs each, {} rayon threads: min / median seconds", rayon::current_num_threads());
    for ((strategy, activation), runs) in cases.iter().zip(&times) {
        let stat = |k: usize| {
            let mut v: Vec<f64> = runs.iter().map(|r| r[k]).collect();
            v.sort_by(f64::total_cmp);
            format!("{:.3} / {:.3}", v[0], v[v.len() / 2])
        };
        println!("{strategy} {activation}: build {}, density-1000 {}, both {}", stat(0), stat(1), stat(2));
    }
    Ok(())
}
