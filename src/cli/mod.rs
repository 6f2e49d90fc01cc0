//! Command-line interface: clap definitions, turned into validated library calls.
//!
//! [`parse`] is the one place where clap's errors become rmspec's; [`run`] dispatches. Option
//! names have one meaning across subcommands: `--plots DIR` is always a figure directory,
//! `--output FILE` always the file a command's document is written to (instead of stdout),
//! `--coverage` the coverage of prediction intervals and `--bulk-level` the level of the
//! calibrated bulk test.

mod args;
mod bench;
pub mod blas_kernel;
mod edges;
mod jacobian;
mod law;
mod manual;
mod merge;
mod progress;
mod propagate;
mod report;
mod spectrum;
mod weights;

use clap::{CommandFactory, Parser, Subcommand};
use std::sync::LazyLock;

pub use args::{parse_strategies, print, BrokenPipe};

/// The exit statuses, the same for every subcommand.
pub mod exit {
    /// A runtime error: an invalid value (out of range, an unknown name, a bad file), a resource
    /// limit, an I/O failure. Nothing partial is left behind.
    pub const ERROR: i32 = 1;
    /// A usage error: the command line could not be parsed (an unknown option, a missing value,
    /// a value that is not a number).
    pub const USAGE: i32 = 2;
    /// Stopped by SIGINT, SIGTERM or SIGHUP (128 + SIGINT, the shell's status for Ctrl-C);
    /// temporaries are removed and no file of the run is written.
    pub const INTERRUPTED: i32 = 130;
    /// Stdout was a pipe whose reader closed it (128 + SIGPIPE); no message.
    pub const BROKEN_PIPE: i32 = 141;

    /// The status of a failed run.
    pub fn status_of(error: &anyhow::Error) -> i32 {
        if error.chain().any(|c| c.downcast_ref::<super::BrokenPipe>().is_some()) {
            BROKEN_PIPE
        } else if error.chain().any(|c| matches!(c.downcast_ref(), Some(rmspec::Error::Interrupted))) {
            INTERRUPTED
        } else {
            ERROR
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP ask every running phase to stop ([`rmspec::trials::request_stop`]);
/// the run then ends with status 130, its temporaries removed and none of its files written. A
/// second signal exits at once, after removing the temporaries.
pub fn install_signal_handler() {
    let _ = ctrlc::set_handler(|| {
        if rmspec::trials::request_stop() {
            rmspec::output::remove_temporaries_then(|| std::process::exit(exit::INTERRUPTED));
        }
    });
}

/// Sizes rayon's global pool from `RAYON_NUM_THREADS`, capped at [`rmspec::trials::max_threads`]
/// (an invalid value is an error naming the variable).
pub fn configure_threads() -> anyhow::Result<()> {
    let threads = rmspec::trials::worker_threads()?;
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;
    Ok(())
}

/// `rmspec -V`: the package version and, when built from a checkout, the commit.
static VERSION: LazyLock<String> = LazyLock::new(rmspec::provenance::version_line);

/// `rmspec --version`: [`VERSION`], then the OpenBLAS kernel set in use and how it was chosen.
static LONG_VERSION: LazyLock<String> =
    LazyLock::new(|| format!("{}\n{}", rmspec::provenance::version_line(), blas_kernel::description()));

/// Random-matrix spectral analysis of weight initialisation.
///
/// Conventions: W is m×n (m = fan-in rows, n = fan-out columns, y = Wᵀx), γ = m/n, and spectra
/// are of S = W Wᵀ/n, whose limit is Marchenko–Pastur(γ, s2).
#[derive(Debug, Parser)]
#[command(name = "rmspec", version = VERSION.as_str(), long_version = LONG_VERSION.as_str(), about, long_about = None, propagate_version = true)]
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
    /// The free-probability law of the squared singular values of a deep network's Jacobian
    /// (density, CDF, quantiles, moments, edges, χ), optionally beside sampled networks.
    Jacobian(jacobian::JacobianArgs),
    /// Regenerate (or --check) the report that tests every claim of the source analysis.
    Report(report::ReportArgs),
    /// Combine partial results of `rmspec spectrum --shard K/N` into the single-run result.
    Merge(merge::MergeArgs),
    /// Read a checkpoint (safetensors, npy, npz) and compare every layer with its initialiser's law.
    Weights(weights::WeightsArgs),
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
///
/// Option values start with `-` only where that can be meaningful (see [`hyphen_values`]), so that
/// `--seed -1`, `--shard -1/4` or `--cdf -inf` reach the option's own check (and its one-line
/// error) while `--output --json` is a missing value, not a file named `--json`.
pub fn parse() -> Cli {
    use clap::error::ErrorKind;
    use clap::FromArgMatches;
    let command = hyphen_values(Cli::command());
    let error = match command.try_get_matches().and_then(|matches| Cli::from_arg_matches(&matches)) {
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
    std::process::exit(exit::USAGE);
}

/// `command` with the narrow rule for values that start with `-`: every named option taking one
/// value accepts negative numbers (`-1`, `-2.5e3`); numeric options (`-inf`, `-.5`) and `--shard`
/// (`-1/4`) accept any value starting with `-`, since no option name is a number or a shard (a
/// swallowed `--json` is then an invalid number, a usage error). Names and paths (`--output`,
/// `--plots`, `--strategy`) never take a value that starts with `-`.
fn hyphen_values(command: clap::Command) -> clap::Command {
    let numeric = [
        clap::builder::ValueParser::from(clap::value_parser!(f64)).type_id(),
        clap::builder::ValueParser::from(clap::value_parser!(i64)).type_id(),
        clap::builder::ValueParser::from(clap::value_parser!(u64)).type_id(),
        clap::builder::ValueParser::from(clap::value_parser!(usize)).type_id(),
    ];
    command
        .mut_args(|arg| {
            // Before `build`, num_args is known only where set explicitly (`--widths`: 1..).
            let takes_values = matches!(arg.get_action(), clap::ArgAction::Set | clap::ArgAction::Append);
            let takes_one_value = takes_values && arg.get_num_args().is_none_or(|n| n.max_values() == 1);
            if arg.get_long().is_none() || !takes_one_value {
                return arg;
            }
            let arg = arg.allow_negative_numbers(true);
            if numeric.contains(&arg.get_value_parser().type_id()) || arg.get_id() == "shard" {
                arg.allow_hyphen_values(true)
            } else {
                arg // `--grid` sets `allow_hyphen_values` itself (`--grid=-4:2:61`).
            }
        })
        .mut_subcommands(hyphen_values)
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let quiet = cli.quiet;
    // An invalid RMSPEC_MAX_MEMORY is an error for every command, also those that never reach a
    // memory estimate (law, edges), rather than silently ignored by them.
    rmspec::memory::limit_bytes()?;
    match cli.command {
        Command::Law(args) => law::run(args),
        Command::Edges(args) => edges::run(args),
        Command::Spectrum(args) => spectrum::run(args, quiet),
        Command::Propagate(args) => propagate::run_command(args),
        Command::Jacobian(args) => jacobian::run_command(args),
        Command::Report(args) => report::run(args, quiet),
        Command::Merge(args) => merge::run(args, quiet),
        Command::Weights(args) => weights::run(args),
        Command::Completions(args) => manual::completions(args, Cli::command()),
        Command::Man(args) => manual::man(args, Cli::command()),
        Command::BenchKernels(args) => bench::run(args),
    }
}

/// Runs `work` with its phases shown by `progress` (see [`progress`]). A signal stops it cleanly
/// (the run ends with an `interrupted` error before anything is written; all files are written
/// as one set after the run).
pub(crate) fn long_run<T>(
    progress: &progress::Progress,
    work: impl FnOnce(rmspec::trials::RunControl<'_>) -> rmspec::Result<T>,
) -> anyhow::Result<T> {
    let tick = || progress.tick();
    let phase = |phase: rmspec::trials::Phase, steps: u64| progress.phase(phase.name(), phase.unit(), steps);
    // Cancellation is the process-wide stop request (see `install_signal_handler`).
    let control = rmspec::trials::RunControl { on_trial: Some(&tick), on_phase: Some(&phase), cancel: None };
    Ok(work(control)?)
}
