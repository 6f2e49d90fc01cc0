//! Command-line interface: clap definitions, turned into validated library calls.

mod bench;
mod edges;
mod law;
mod merge;
mod propagate;
mod report;
mod spectrum;
mod weights;

use clap::{Parser, Subcommand};

/// Random-matrix spectral analysis of weight initialisation.
///
/// Conventions: W is m×n (m = fan-in rows, n = fan-out columns, y = Wᵀx), γ = m/n, and spectra
/// are of S = W Wᵀ/n, whose limit is Marchenko–Pastur(γ, s2).
#[derive(Debug, Parser)]
#[command(name = "rmspec", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a spectral law: CDF, density, quantiles, support, moments.
    Law(law::LawArgs),
    /// Predicted spectrum edges, spectral norm and condition number per strategy (no sampling).
    Edges(edges::EdgesArgs),
    /// Sample matrices, compute their spectra through LAPACK, compare with theory, draw figures.
    Spectrum(spectrum::SpectrumArgs),
    /// Forward and backward second moments through a layer chain: theory beside Monte Carlo.
    Propagate(propagate::PropagateArgs),
    /// Regenerate (or --check) the report that tests every claim of the source analysis.
    Report(report::ReportArgs),
    /// Combine partial results of `rmspec spectrum --shard K/N` into the single-run result.
    Merge(merge::MergeArgs),
    /// Read a checkpoint (safetensors, npy, npz) and compare every layer with its initialiser's law.
    Weights(weights::WeightsArgs),
    /// Time the LAPACK kernels alone for a workload (used by bench/compare).
    #[command(hide = true)]
    BenchKernels(bench::BenchArgs),
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Law(args) => law::run(args),
        Command::Edges(args) => edges::run(args),
        Command::Spectrum(args) => spectrum::run(args),
        Command::Propagate(args) => propagate::run_command(args),
        Command::Report(args) => report::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Weights(args) => weights::run(args),
        Command::BenchKernels(args) => bench::run(args),
    }
}

/// Runs `work` with a progress bar over `steps` trials on stderr — shown only when stdout and
/// stderr are terminals, `quiet` is false and the run has lasted a second — and with Ctrl-C
/// turned into a clean stop (the run ends with an `interrupted` error before anything is
/// written; all files are written atomically after the run).
pub(crate) fn long_run<T>(
    steps: usize,
    quiet: bool,
    work: impl FnOnce(rmspec::trials::RunControl<'_>) -> rmspec::Result<T>,
) -> anyhow::Result<T> {
    use std::io::IsTerminal;
    use std::sync::atomic::{AtomicBool, Ordering};
    static CANCEL: AtomicBool = AtomicBool::new(false);
    static HANDLER: std::sync::Once = std::sync::Once::new();
    HANDLER.call_once(|| {
        // A second Ctrl-C while stopping exits at once (status 130).
        let _ = ctrlc::set_handler(|| {
            if CANCEL.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
    let show = !quiet && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::with_draw_target(Some(steps as u64), indicatif::ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} trials, eta {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let start = std::time::Instant::now();
    let shown = AtomicBool::new(false);
    let tick = || {
        bar.inc(1);
        if show
            && !shown.load(Ordering::Relaxed)
            && start.elapsed().as_secs_f64() > 1.0
            && !shown.swap(true, Ordering::SeqCst)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    let control = rmspec::trials::RunControl { on_trial: Some(&tick), cancel: Some(&CANCEL) };
    let result = work(control);
    bar.finish_and_clear();
    Ok(result?)
}

/// Parses a strategy list (`all`, comma-separated names, or repeated flags).
pub(crate) fn parse_strategies(values: &[String]) -> anyhow::Result<Vec<rmspec::Strategy>> {
    let mut out = Vec::new();
    for v in values {
        out.extend(rmspec::Strategy::parse_list(v)?);
    }
    Ok(out)
}

/// The matrix shape and strategies, shared by `edges` and `spectrum`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShapeArgs {
    /// Rows of W (fan-in).
    #[arg(long, allow_negative_numbers = true)]
    m: i64,
    /// Columns of W (fan-out).
    #[arg(long, allow_negative_numbers = true)]
    n: i64,
    /// Strategy name, comma-separated names, or `all` (repeatable).
    #[arg(long = "strategy", default_value = "all")]
    strategies: Vec<String>,
}

impl ShapeArgs {
    /// The validated shape and strategies.
    pub(crate) fn resolve(&self) -> anyhow::Result<(rmspec::Shape, Vec<rmspec::Strategy>)> {
        let (m, n) = (count("m", self.m)?, count("n", self.n)?);
        let strategies = parse_strategies(&self.strategies)?;
        Ok((rmspec::Shape::new(m, n)?, strategies))
    }
}

/// A size or count from the command line: parsed as a signed integer so that a negative value
/// gets the same one-line error as zero.
pub(crate) fn count(name: &'static str, value: i64) -> rmspec::Result<usize> {
    usize::try_from(value)
        .ok()
        .filter(|&v| v > 0)
        .ok_or_else(|| rmspec::Error::invalid(name, value, "must be at least 1"))
}

/// Writes a document to stdout.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
