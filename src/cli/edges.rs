//! `rmspec edges`: predictions only, no sampling.

use super::args::{OutputArgs, ShapeArgs, FITS};
use clap::Args;
use rmspec::output::edges::{EdgesDocument, FORMAT};
use rmspec::output::Document;
use rmspec::prediction::EdgePrediction;

#[derive(Debug, Args)]
pub struct EdgesArgs {
    #[command(flatten)]
    shape: ShapeArgs,
    /// Coverage of the central prediction intervals, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, help_heading = FITS)]
    coverage: f64,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: EdgesArgs) -> anyhow::Result<()> {
    let (shape, strategies) = args.shape.resolve()?;
    let coverage = check_coverage(args.coverage)?;
    let predictions = strategies
        .iter()
        .map(|s| EdgePrediction::with_level(*s, shape, coverage))
        .collect::<rmspec::Result<Vec<_>>>()?;
    let document = EdgesDocument::new(shape, coverage, predictions);
    args.output.emit(&if args.output.json { Document::new(&FORMAT, &document).to_json()? } else { document.text() })
}

/// `--coverage`, checked under its own name.
pub(crate) fn check_coverage(coverage: f64) -> rmspec::Result<f64> {
    rmspec::intervals::check_level_named("coverage", coverage)
}
