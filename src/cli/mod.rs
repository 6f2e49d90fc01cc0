//! Command-line interface: clap definitions, turned into validated library calls.
//!
//! [`parse`] is the one place where clap's errors become rmspec's; [`run`] dispatches. Option
//! names have one meaning across subcommands: `--plots DIR` is always a figure directory,
//! `--output FILE` always the file a command's document is written to (instead of stdout),
//! `--coverage` the coverage of prediction intervals and `--bulk-level` the level of the
//! calibrated bulk test.

mod args;
mod bench;
mod edges;
mod law;
mod manual;
mod merge;
mod progress;
mod propagate;
mod report;
mod spectrum;

use clap::{CommandFactory, Parser, Subcommand};
use std::sync::LazyLock;

pub use args::{parse_strategies, print};

/// `rmspec --version`: the package version and, when built from a checkout, the commit.
static VERSION: LazyLock<String> = LazyLock::new(rmspec::provenance::version_line);

/// Random-matrix spectral analysis of weight initialisation.
///
/// Conventions: W is m×n (m = fan-in rows, n = fan-out columns, y = Wᵀx), γ = m/n, and spectra
/// are of S = W Wᵀ/n, whose limit is Marchenko–Pastur(γ, s2).
#[derive(Debug, Parser)]
#[command(name = "rmspec", version = VERSION.as_str(), about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// No progress bars and no status lines; documents and errors are still printed.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a spectral law: CDF, density, quantiles on a grid or at points, support, moments.
    Law(law::LawArgs),
    /// Predicted spectrum edges, spectral norm and condition number per strategy, with
    /// finite-size intervals (no sampling).
    Edges(edges::EdgesArgs),
    /// Sample matrices, compute their spectra through LAPACK, compare with theory, draw figures.
    Spectrum(spectrum::SpectrumArgs),
    /// Forward and backward second moments through a layer chain: theory beside Monte Carlo.
    Propagate(propagate::PropagateArgs),
    /// Regenerate (or --check) the report that tests every claim of the source analysis.
    Report(report::ReportArgs),
    /// Combine partial results of `rmspec spectrum --shard K/N` into the single-run result.
    Merge(merge::MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(manual::CompletionsArgs),
    /// Print the manual page (roff, for man(1)).
    Man(manual::ManArgs),
    /// Time the LAPACK kernels alone for a workload (used by bench/compare).
    #[command(hide = true)]
    BenchKernels(bench::BenchArgs),
}

/// The parsed command line. The one place where clap's errors become rmspec's: help and
/// `--version` print as clap prints them (exit status 0); a usage error (an unknown option, a
/// value not among an option's possible values, a missing argument) prints clap's message on
/// one line, `error: …`, with exit status 2.
pub fn parse() -> Cli {
    use clap::error::ErrorKind;
    let error = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let rendered = error.render().to_string();
    let parts: Vec<&str> =
        rendered.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("For more information")).collect();
    eprintln!("error: {}", parts.join("; ").trim_start_matches("error: "));
    std::process::exit(2);
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Law(args) => law::run(args),
        Command::Edges(args) => edges::run(args),
        Command::Spectrum(args) => spectrum::run(args, quiet),
        Command::Propagate(args) => propagate::run_command(args),
        Command::Report(args) => report::run(args, quiet),
        Command::Merge(args) => merge::run(args, quiet),
        Command::Completions(args) => manual::completions(args, Cli::command()),
        Command::Man(args) => manual::man(args, Cli::command()),
        Command::BenchKernels(args) => bench::run(args),
    }
}

/// Runs `work` with its phases shown by `progress` (see [`progress`]) and with Ctrl-C turned
/// into a clean stop (the run ends with an `interrupted` error before anything is written; all
/// files are written atomically after the run).
pub(crate) fn long_run<T>(
    progress: &progress::Progress,
    work: impl FnOnce(rmspec::trials::RunControl<'_>) -> rmspec::Result<T>,
) -> anyhow::Result<T> {
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
    let tick = || progress.tick();
    let phase = |phase: rmspec::trials::Phase, steps: u64| progress.phase(phase.name(), phase.unit(), steps);
    let control = rmspec::trials::RunControl { on_trial: Some(&tick), on_phase: Some(&phase), cancel: Some(&CANCEL) };
    Ok(work(control)?)
}
