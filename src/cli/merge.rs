//! `rmspec merge`: combine shard partials into the single-run result, or (`--validate`) check
//! partials without merging them.

use super::args::{OutputArgs, FITS, INPUT};
use super::progress::Progress;
use anyhow::Context;
use clap::Args;
use rmspec::experiment::spectrum::{check_consistent, merge_partials, PartialSpectrum};
use rmspec::output::spectrum::{text, FigurePaths, SpectrumDocument, FORMAT};
use rmspec::output::Document;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `rmspec spectrum --shard K/N` (all N of them, any order).
    #[arg(required = true, value_name = "PART", help_heading = INPUT)]
    parts: Vec<PathBuf>,
    /// Coverage of the finite-size prediction intervals printed beside the limits.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, help_heading = FITS)]
    coverage: f64,
    /// Do not merge: check that each file is a complete, valid partial of its shard and that the
    /// files belong to one run with no shard twice (shards may be missing). Prints one line per
    /// file; exit status 1 with the first reason otherwise.
    #[arg(long, conflicts_with = "json", help_heading = INPUT)]
    validate: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: MergeArgs, quiet: bool) -> anyhow::Result<()> {
    if args.validate {
        return validate(&args.parts, &args.output);
    }
    let coverage = super::edges::check_coverage(args.coverage)?;
    // Reading the parts is the long phase (each holds up to 8 MiB of grid counts per strategy);
    // the merge itself only adds counts and reduces (the calibration comes with the parts). The
    // first partial declares the run: the memory of holding all of them is checked before the
    // others are read.
    let to_terminal = args.output.output.is_some() || std::io::IsTerminal::is_terminal(&std::io::stdout());
    let progress = Progress::new(quiet || args.output.json || !to_terminal, None);
    progress.phase("merge: reading parts", "files", args.parts.len() as u64);
    let mut parts = Vec::with_capacity(args.parts.len());
    for (i, path) in args.parts.iter().enumerate() {
        let part = read_part(path)?;
        if i == 0 {
            part.validate().with_context(|| format!("{} is not a valid partial", path.display()))?;
            part.ensure_merge_fits(args.parts.len())?;
        }
        parts.push(part);
        progress.tick();
    }
    progress.finish();
    let study = merge_partials(&parts).context("merging partial results")?.with_intervals(coverage)?;
    let figures = FigurePaths::default();
    args.output.emit(&if args.output.json {
        Document::new(&FORMAT, &SpectrumDocument { study: &study, figures: &figures }).to_json()?
    } else {
        text(&study, &figures)
    })
}

/// Reads one partial, parsing it as it streams through a bound of the memory limit in force: a
/// file that is not a partial (`/dev/zero`, `/dev/urandom`, a pipe that never ends) fails at its
/// first byte that cannot continue the document, and nothing longer than the limit is read, so a
/// file is never held whole before it is known to be JSON (once it read `/dev/zero` until the
/// allocation failed).
fn read_part(path: &Path) -> anyhow::Result<PartialSpectrum> {
    let limit = rmspec::memory::limit_bytes()?;
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut reader = std::io::BufReader::new(std::io::Read::take(file, limit));
    let parsed = serde_json::from_reader(&mut reader);
    if parsed.is_err() && reader.get_ref().limit() == 0 {
        rmspec::memory::ensure_fits(|| format!("reading {}", path.display()), u128::from(limit) + 1)?;
    }
    parsed.with_context(|| format!("{} is not an rmspec partial result", path.display()))
}

/// `--validate`: one line per valid file (`FILE: shard K/N of m×n, T trials, seed S: valid`),
/// reading one partial at a time (each holds up to 8 MiB of grid counts per strategy).
fn validate(paths: &[PathBuf], output: &OutputArgs) -> anyhow::Result<()> {
    let mut lines = String::new();
    let mut keys = Vec::with_capacity(paths.len());
    for path in paths {
        let part = read_part(path)?;
        part.validate().with_context(|| format!("{} is not a valid partial", path.display()))?;
        let run = &part.run;
        lines += &format!(
            "{}: shard {}/{} of {}×{}, {} trials, seed {}: valid\n",
            path.display(),
            part.shard.index,
            part.shard.count,
            run.m,
            run.n,
            run.trials,
            run.seed
        );
        keys.push((part.run, part.shard));
        check_consistent(&keys)
            .with_context(|| format!("{} cannot be merged with the files before it", path.display()))?;
    }
    output.emit(&lines)
}
