//! `rmspec edges`: predictions only, no sampling.

use clap::Args;
use rmspec::output::edges::EdgesDocument;
use rmspec::output::to_json;
use rmspec::prediction::EdgePrediction;

#[derive(Debug, Args)]
pub struct EdgesArgs {
    #[command(flatten)]
    shape: super::ShapeArgs,
    /// Coverage of the central prediction intervals, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: EdgesArgs) -> anyhow::Result<()> {
    let (shape, strategies) = args.shape.resolve()?;
    let level = rmspec::intervals::check_level(args.level)?;
    let predictions =
        strategies.iter().map(|s| EdgePrediction::with_level(*s, shape, level)).collect::<rmspec::Result<Vec<_>>>()?;
    let report = EdgesDocument::new(shape, level, predictions);
    super::print(&if args.json { to_json(&report)? } else { report.text() })
}
