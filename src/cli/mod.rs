//! Command-line interface: clap definitions, turned into validated library calls.

mod edges;
mod law;
mod propagate;
mod report;
mod spectrum;

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
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Law(args) => law::run(args),
        Command::Edges(args) => edges::run(args),
        Command::Spectrum(args) => spectrum::run(args),
        Command::Propagate(args) => propagate::run_command(args),
        Command::Report(args) => report::run(args),
    }
}

/// Parses a strategy list (`all`, comma-separated names, or repeated flags).
pub(crate) fn parse_strategies(values: &[String]) -> anyhow::Result<Vec<rmspec::Strategy>> {
    let mut out = Vec::new();
    for v in values {
        out.extend(rmspec::Strategy::parse_list(v)?);
    }
    Ok(out)
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
