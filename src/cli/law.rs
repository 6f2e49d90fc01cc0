//! `rmspec law`: evaluate a law.

use super::args::{OutputArgs, INPUT};
use clap::{Args, Subcommand};
use rmspec::law::{MarchenkoPastur, TracyWidom};
use rmspec::output::law::{
    Grid, LawQuery, MarchenkoPasturDocument, TracyWidomDocument, MARCHENKO_PASTUR_FORMAT, TRACY_WIDOM_FORMAT,
};
use rmspec::output::Document;

#[derive(Debug, Args)]
pub struct LawArgs {
    #[command(subcommand)]
    law: LawCommand,
}

#[derive(Debug, Subcommand)]
enum LawCommand {
    /// Marchenko–Pastur law of the eigenvalues of S = W Wᵀ/n (ratio γ = m/n, entry variance s2).
    Mp(MpArgs),
    /// Tracy–Widom law TW_β of the largest eigenvalue at the soft edge: β = 1 for real matrices
    /// (GOE, real Wishart: real Gaussian weights), β = 2 for complex Hermitian ones (GUE),
    /// in Tracy and Widom's normalisation.
    Tw(TwArgs),
}

#[derive(Debug, Args)]
struct MpArgs {
    /// Aspect ratio γ = m/n > 0.
    #[arg(short, long, allow_negative_numbers = true, help_heading = INPUT)]
    gamma: f64,
    /// Entry variance s2 > 0.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true, help_heading = INPUT)]
    variance: f64,
    #[command(flatten)]
    at: Evaluations,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
struct TwArgs {
    /// Dyson index β: 1 (real symmetric, real Wishart) or 2 (complex Hermitian).
    #[arg(short, long, allow_negative_numbers = true, help_heading = INPUT)]
    beta: i64,
    #[command(flatten)]
    at: Evaluations,
    #[command(flatten)]
    output: OutputArgs,
}

/// Points at which to evaluate a law.
#[derive(Debug, Args)]
#[command(next_help_heading = INPUT)]
struct Evaluations {
    /// Evaluate the CDF (atom included) at X (repeatable).
    #[arg(long = "cdf", value_name = "X", allow_negative_numbers = true)]
    cdf: Vec<f64>,
    /// Evaluate the density at X (repeatable).
    #[arg(long = "density", value_name = "X", allow_negative_numbers = true)]
    density: Vec<f64>,
    /// Evaluate the quantile at probability P (repeatable).
    #[arg(long = "quantile", value_name = "P", allow_negative_numbers = true)]
    quantile: Vec<f64>,
    /// CDF and density at COUNT evenly spaced points from LO to HI, both included (e.g.
    /// `--grid 0:4:101`, `--grid=-5:3:81`; at most 100000 points).
    #[arg(long, value_name = "LO:HI:COUNT", allow_hyphen_values = true)]
    grid: Option<String>,
}

impl Evaluations {
    fn query(&self) -> anyhow::Result<LawQuery<'_>> {
        let grid = self.grid.as_deref().map(str::parse::<Grid>).transpose()?;
        Ok(LawQuery { cdf: &self.cdf, density: &self.density, quantile: &self.quantile, grid })
    }
}

pub fn run(args: LawArgs) -> anyhow::Result<()> {
    match args.law {
        LawCommand::Mp(a) => {
            let law = MarchenkoPastur::new(a.gamma, a.variance)?;
            let document = MarchenkoPasturDocument::new(&law, a.at.query()?)?;
            a.output.emit(&if a.output.json {
                Document::new(&MARCHENKO_PASTUR_FORMAT, &document).to_json()?
            } else {
                document.text()
            })
        }
        LawCommand::Tw(a) => {
            let law = TracyWidom::from_dyson_index(a.beta)?;
            let document = TracyWidomDocument::new(&law, a.at.query()?)?;
            a.output.emit(&if a.output.json {
                Document::new(&TRACY_WIDOM_FORMAT, &document).to_json()?
            } else {
                document.text()
            })
        }
    }
}
