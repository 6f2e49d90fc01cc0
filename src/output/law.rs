//! `rmspec law`: a law evaluated at the points asked ([`LawDocument`]), as JSON and as tables.

use super::number::num;
use super::table::Table;
use crate::error::{Error, Result};
use crate::law::{SpectralLaw, Support, TracyWidom};
use serde::Serialize;

/// A point evaluation `{x, value}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    /// Where the function was evaluated.
    pub x: f64,
    /// Its value.
    pub value: f64,
}

/// A quantile `{p, value}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuantileValue {
    /// Probability.
    pub p: f64,
    /// The quantile.
    pub value: f64,
}

/// Moments of a law.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moments {
    /// E X.
    pub mean: f64,
    /// Var X.
    pub variance: f64,
    /// Raw moments E Xᵏ for k = 1, 2, …, where the law has them in closed form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub raw: Vec<f64>,
}

/// The document printed by `rmspec law …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LawDocument {
    /// The law's name (`marchenko-pastur`, `tracy-widom`).
    pub law: String,
    /// The law's parameters (e.g. `gamma`, `variance`; or `beta`), in that order.
    #[serde(flatten)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// The convention the law refers to.
    pub normalization: String,
    /// Support of the continuous part.
    pub support: Support,
    /// Point mass at zero.
    pub atom_at_zero: f64,
    /// Moments.
    pub moments: Moments,
    /// CDF values (atom included), in the order asked.
    pub cdf: Vec<Evaluation>,
    /// Density values of the continuous part, in the order asked.
    pub density: Vec<Evaluation>,
    /// Quantiles, in the order asked.
    pub quantile: Vec<QuantileValue>,
}

/// Where to evaluate a law: CDF and density abscissae, quantile probabilities.
#[derive(Debug, Clone, Copy, Default)]
pub struct LawQuery<'a> {
    /// Abscissae for the CDF.
    pub cdf: &'a [f64],
    /// Abscissae for the density.
    pub density: &'a [f64],
    /// Probabilities for the quantile.
    pub quantile: &'a [f64],
}

impl LawDocument {
    /// Evaluates `law` at the requested points. `parameters` are the law's own (in order) and
    /// `raw_moments` its closed-form raw moments, if any.
    ///
    /// # Errors
    /// A probability outside [0, 1] or a NaN abscissa.
    pub fn evaluate<L: SpectralLaw>(
        law: &L,
        name: &str,
        parameters: serde_json::Map<String, serde_json::Value>,
        raw_moments: Vec<f64>,
        query: LawQuery<'_>,
    ) -> Result<Self> {
        for &x in query.cdf.iter().chain(query.density) {
            if x.is_nan() {
                return Err(Error::invalid("x", x, "must be a number"));
            }
        }
        Ok(LawDocument {
            law: name.to_string(),
            parameters,
            normalization: crate::NORMALIZATION.to_string(),
            support: law.support(),
            atom_at_zero: law.atom_at_zero(),
            moments: Moments { mean: law.mean(), variance: law.variance(), raw: raw_moments },
            cdf: query.cdf.iter().map(|&x| Evaluation { x, value: law.cdf(x) }).collect(),
            density: query.density.iter().map(|&x| Evaluation { x, value: law.density(x) }).collect(),
            quantile: query
                .quantile
                .iter()
                .map(|&p| Ok(QuantileValue { p, value: law.quantile(p)? }))
                .collect::<Result<_>>()?,
        })
    }
}

/// The β convention, written into `rmspec law tw` output.
pub const TW_CONVENTION: &str =
    "Tracy-Widom (1994, 1996) normalisation: beta = 1 is the limit of the centred and scaled \
largest eigenvalue of real symmetric (GOE) and real Wishart matrices, beta = 2 of complex Hermitian (GUE) ones";

/// `rmspec law tw --json`: the [`LawDocument`] shape plus top-level `mean` and `variance` and the
/// β convention.
#[derive(Debug, Serialize)]
pub struct TracyWidomDocument<'a> {
    /// The evaluations.
    #[serde(flatten)]
    pub report: &'a LawDocument,
    /// E TW_β.
    pub mean: f64,
    /// Var TW_β.
    pub variance: f64,
    /// [`TW_CONVENTION`].
    pub beta_convention: &'static str,
}

impl<'a> TracyWidomDocument<'a> {
    /// The document for `law`'s evaluations.
    pub fn new(report: &'a LawDocument, law: &TracyWidom) -> Self {
        TracyWidomDocument { report, mean: law.mean(), variance: law.variance(), beta_convention: TW_CONVENTION }
    }
}

/// The tables `rmspec law` prints: support, atom and moments, then one table per kind of
/// evaluation asked, under `title` and the convention.
pub fn text(report: &LawDocument, title: &str) -> String {
    let mut out = format!("{title}\nconvention: {}\n\n", report.normalization);
    let mut t = Table::new(["quantity", "value"]);
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
            let mut t = Table::new([head, name]);
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
    out
}
