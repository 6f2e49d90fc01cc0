//! `rmspec merge`: combine shard partials into the single-run result.

use anyhow::Context;
use clap::Args;
use rmspec::experiment::spectrum::{merge_partials, PartialSpectrum};
use rmspec::output::spectrum::{text, FigurePaths, SpectrumDocument};
use rmspec::output::to_json;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `rmspec spectrum --shard K/N` (all N of them, any order).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Print one JSON document (identical to `rmspec spectrum --no-plots --json` of the whole run).
    #[arg(long)]
    json: bool,
}

pub fn run(args: MergeArgs) -> anyhow::Result<()> {
    let parts = args
        .parts
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str::<PartialSpectrum>(&text)
                .with_context(|| format!("{} is not an rmspec partial result", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let study = merge_partials(&parts).context("merging partial results")?;
    let figures = FigurePaths::default();
    super::print(&if args.json {
        to_json(&SpectrumDocument { study: &study, figures: &figures })?
    } else {
        text(&study, &figures)
    })
}
