//! `rmspec merge`: combine shard partials into the single-run result.

use super::args::{OutputArgs, FITS, INPUT};
use anyhow::Context;
use clap::Args;
use rmspec::experiment::spectrum::{merge_partials, PartialSpectrum};
use rmspec::output::spectrum::{text, FigurePaths, SpectrumDocument, FORMAT};
use rmspec::output::Document;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `rmspec spectrum --shard K/N` (all N of them, any order).
    #[arg(required = true, value_name = "PART", help_heading = INPUT)]
    parts: Vec<PathBuf>,
    /// Coverage of the finite-size prediction intervals printed beside the limits.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, help_heading = FITS)]
    coverage: f64,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<()> {
    let coverage = super::edges::check_coverage(args.coverage)?;
    let parts = args
        .parts
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str::<PartialSpectrum>(&text)
                .with_context(|| format!("{} is not an rmspec partial result", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let study = merge_partials(&parts).context("merging partial results")?.with_intervals(coverage)?;
    let figures = FigurePaths::default();
    args.output.emit(&if args.output.json {
        Document::new(&FORMAT, &SpectrumDocument { study: &study, figures: &figures }).to_json()?
    } else {
        text(&study, &figures)
    })
}
