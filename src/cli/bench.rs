//! `rmspec bench-kernels` (hidden): the LAPACK floor of a `rmspec spectrum` workload, for
//! bench/compare. Prints a `rmspec-kernel-floor` document: `floor_seconds` and `layout`.

use super::args::choice;
use clap::Args;
use rmspec::calibration::FitOptions;
use rmspec::experiment::kernel_floor::kernel_floor;
use rmspec::experiment::spectrum::{Method, SpectrumConfig};
use rmspec::output::{Document, KernelFloorDocument, KERNEL_FLOOR_FORMAT};
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
    #[arg(long, default_value = "dense", value_parser = choice::<Method>())]
    method: Method,
    #[arg(long, default_value = "trials", value_parser = choice::<ThreadsLayout>())]
    threads_layout: ThreadsLayout,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let config = SpectrumConfig {
        shape: Shape::new(args.m, args.n)?,
        strategies: super::parse_strategies(&[args.strategy])?,
        trials: args.trials,
        seed: 1,
        bins: 100,
        singular_values: SingularValueMethod::Gram,
        method: args.method,
        layout: args.threads_layout,
        fit: FitOptions::none(),
    };
    let floor = kernel_floor(&config)?;
    let layout = if config.method == Method::Dense {
        args.threads_layout.resolve(args.m.min(args.n), args.trials, cores())
    } else {
        ThreadsLayout::Trials
    };
    let document = KernelFloorDocument { floor_seconds: floor.as_secs_f64(), layout };
    super::print(&Document::new(&KERNEL_FLOOR_FORMAT, &document).to_json()?)
}
