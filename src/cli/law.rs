//! `rmspec law`: evaluate a law.

use clap::{Args, Subcommand};
use rmspec::law::{MarchenkoPastur, SpectralLaw, TracyWidom};
use rmspec::report::{num, to_json, LawQuery, LawReport, TextTable};

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

/// The β convention, written into `rmspec law tw` output.
const TW_CONVENTION: &str = "Tracy-Widom (1994, 1996) normalisation: beta = 1 is the limit of the centred and scaled \
largest eigenvalue of real symmetric (GOE) and real Wishart matrices, beta = 2 of complex Hermitian (GUE) ones";

/// `law tw` JSON: the `law mp` shape plus top-level `mean` and `variance` and the β convention.
#[derive(serde::Serialize)]
struct TwReport<'a> {
    #[serde(flatten)]
    report: &'a LawReport,
    mean: f64,
    variance: f64,
    beta_convention: &'static str,
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
            let report = LawReport::evaluate(&law, "marchenko-pastur", parameters, raw, a.at.query())?;
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
            let report = LawReport::evaluate(&law, "tracy-widom", parameters, Vec::new(), a.at.query())?;
            if a.at.json {
                let doc = TwReport {
                    report: &report,
                    mean: law.mean(),
                    variance: law.variance(),
                    beta_convention: TW_CONVENTION,
                };
                return super::print(&to_json(&doc)?);
            }
            emit(&report, &format!("{law} (β = {})\n{TW_CONVENTION}", a.beta), false)
        }
    }
}

/// Prints a law report as JSON or as tables.
pub(crate) fn emit(report: &LawReport, title: &str, json: bool) -> anyhow::Result<()> {
    if json {
        return super::print(&to_json(report)?);
    }
    let mut out = format!("{title}\nconvention: {}\n\n", report.normalization);
    let mut t = TextTable::new(["quantity", "value"]);
    t.row(["support lower".to_string(), num(report.support.lower)]);
    t.row(["support upper".to_string(), num(report.support.upper)]);
    t.row(["atom at zero".to_string(), num(report.atom_at_zero)]);
    t.row(["mean".to_string(), num(report.moments.mean)]);
    t.row(["variance".to_string(), num(report.moments.variance)]);
    for (k, m) in report.moments.raw.iter().enumerate() {
        t.row([format!("E[x^{}]", k + 1), num(*m)]);
    }
    out.push_str(&t.render());
    let mut section = |name: &str, head: &str, rows: Vec<(f64, f64)>| {
        if !rows.is_empty() {
            let mut t = TextTable::new([head, name]);
            for (x, v) in rows {
                t.row([format!("{x}"), format!("{v:.17e}")]);
            }
            out.push('\n');
            out.push_str(&t.render());
        }
    };
    section("cdf", "x", report.cdf.iter().map(|e| (e.x, e.value)).collect());
    section("density", "x", report.density.iter().map(|e| (e.x, e.value)).collect());
    section("quantile", "p", report.quantile.iter().map(|q| (q.p, q.value)).collect());
    super::print(&out)
}
