//! `rmspec bench-kernels` (hidden): the LAPACK floor of a `rmspec spectrum` workload, for
//! bench/compare. Prints `{"floor_seconds": …, "layout": …}`.

use clap::Args;
use rmspec::calibration::FitOptions;
use rmspec::experiment::kernel_floor::kernel_floor;
use rmspec::experiment::spectrum::{Method, SpectrumConfig};
use rmspec::spectrum::SingularValueMethod;
use rmspec::trials::{cores, ThreadsLayout};
use rmspec::Shape;

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(long)]
    m: usize,
    #[arg(long)]
    n: usize,
    #[arg(long, default_value_t = 1)]
    trials: usize,
    #[arg(long, default_value = "he")]
    strategy: String,
    #[arg(long, default_value = "dense", value_parser = ["dense", "tridiagonal"])]
    method: String,
    #[arg(long, default_value = "trials")]
    threads_layout: String,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let layout: ThreadsLayout = args.threads_layout.parse()?;
    let config = SpectrumConfig {
        shape: Shape::new(args.m, args.n)?,
        strategies: super::parse_strategies(&[args.strategy])?,
        trials: args.trials,
        seed: 1,
        bins: 100,
        singular_values: SingularValueMethod::Gram,
        method: if args.method == "dense" { Method::Dense } else { Method::Tridiagonal },
        layout,
        fit: FitOptions::none(),
    };
    let floor = kernel_floor(&config)?;
    let resolved = if config.method == Method::Dense {
        layout.resolve(args.m.min(args.n), args.trials, cores())
    } else {
        ThreadsLayout::Trials
    };
    super::print(&format!("{{\"floor_seconds\": {}, \"layout\": \"{}\"}}\n", floor.as_secs_f64(), resolved.name()))
}
