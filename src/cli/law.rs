//! `rmspec law`: evaluate a law.

use clap::{Args, Subcommand};
use rmspec::law::{MarchenkoPastur, TracyWidom};
use rmspec::output::law::{self, LawDocument, LawQuery, TracyWidomDocument, TW_CONVENTION};
use rmspec::output::to_json;

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
struct TwArgs {
    /// Dyson index: 1 (real symmetric / real Wishart) or 2 (complex Hermitian).
    #[arg(long, allow_negative_numbers = true)]
    beta: i64,
    #[command(flatten)]
    at: Evaluations,
}

/// Points at which to evaluate a law.
#[derive(Debug, Args)]
pub(crate) struct Evaluations {
    /// Evaluate the CDF at X (repeatable).
    #[arg(long = "cdf", value_name = "X", allow_negative_numbers = true)]
    pub cdf: Vec<f64>,
    /// Evaluate the density at X (repeatable).
    #[arg(long = "density", value_name = "X", allow_negative_numbers = true)]
    pub density: Vec<f64>,
    /// Evaluate the quantile at probability P (repeatable).
    #[arg(long = "quantile", value_name = "P", allow_negative_numbers = true)]
    pub quantile: Vec<f64>,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

impl Evaluations {
    pub(crate) fn query(&self) -> LawQuery<'_> {
        LawQuery { cdf: &self.cdf, density: &self.density, quantile: &self.quantile }
    }
}

#[derive(Debug, Args)]
struct MpArgs {
    /// Aspect ratio γ = m/n > 0.
    #[arg(long, allow_negative_numbers = true)]
    gamma: f64,
    /// Entry variance s2 > 0.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    variance: f64,
    #[command(flatten)]
    at: Evaluations,
}

pub fn run(args: LawArgs) -> anyhow::Result<()> {
    match args.law {
        LawCommand::Mp(a) => {
            let law = MarchenkoPastur::new(a.gamma, a.variance)?;
            let mut parameters = serde_json::Map::new();
            parameters.insert("gamma".into(), a.gamma.into());
            parameters.insert("variance".into(), a.variance.into());
            let raw = (1..=4).map(|k| law.moment(k)).collect();
            let report = LawDocument::evaluate(&law, "marchenko-pastur", parameters, raw, a.at.query())?;
            emit(&report, &law.to_string(), a.at.json)
        }
        LawCommand::Tw(a) => {
            let beta = u8::try_from(a.beta)
                .ok()
                .and_then(|b| TracyWidom::new(b).ok())
                .ok_or_else(|| rmspec::Error::invalid("beta", a.beta, "must be 1 (real) or 2 (complex)"))?;
            let law = beta;
            let mut parameters = serde_json::Map::new();
            parameters.insert("beta".into(), a.beta.into());
            let report = LawDocument::evaluate(&law, "tracy-widom", parameters, Vec::new(), a.at.query())?;
            if a.at.json {
                return super::print(&to_json(&TracyWidomDocument::new(&report, &law))?);
            }
            emit(&report, &format!("{law} (β = {})\n{TW_CONVENTION}", a.beta), false)
        }
    }
}

/// Prints a law report as JSON or as tables.
fn emit(report: &LawDocument, title: &str, json: bool) -> anyhow::Result<()> {
    super::print(&if json { to_json(report)? } else { law::text(report, title) })
}
