//! `rmspec spectrum` and `rmspec merge`: a [`SpectrumStudy`] as its JSON document and as text.
//!
//! A study carries no file paths; the figures written for it are attached here, at output time,
//! as [`FigurePaths`]. The JSON document is [`SpectrumDocument`]: the study's fields in a fixed
//! order, with `figures` lists (empty when no figure was drawn, as for `merge`) and an edge fit's
//! `figure`.

use super::number::{num, pm, short};
use super::table::Table;
use crate::calibration::EdgeFit;
use crate::experiment::spectrum::{SpectrumStudy, StrategySpectrum, Summary};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The paths of the figures drawn for a study, as they are to be printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigurePaths {
    /// Per strategy (in the study's order): its spectrum figures.
    pub strategies: Vec<Vec<String>>,
    /// Per strategy: its λ_max vs TW₁ figure, if drawn.
    pub edge_fits: Vec<Option<String>>,
    /// Figures spanning all strategies.
    pub study: Vec<String>,
}

impl FigurePaths {
    fn of_strategy(&self, i: usize) -> (&[String], Option<&str>) {
        let figures = self.strategies.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let edge = self.edge_fits.get(i).and_then(|e| e.as_deref());
        (figures, edge)
    }
}

/// The JSON document of a study (`rmspec spectrum --json`, `rmspec merge --json`).
#[derive(Debug, Clone, Copy)]
pub struct SpectrumDocument<'a> {
    /// The study.
    pub study: &'a SpectrumStudy,
    /// The figures drawn for it.
    pub figures: &'a FigurePaths,
}

impl Serialize for SpectrumDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let study = self.study;
        let strategies: Vec<StrategyDocument<'_>> = study
            .strategies
            .iter()
            .enumerate()
            .map(|(i, result)| {
                let (figures, edge_figure) = self.figures.of_strategy(i);
                StrategyDocument { result, figures, edge_figure }
            })
            .collect();
        let mut s = serializer.serialize_struct("SpectrumStudy", 9)?;
        s.serialize_field("m", &study.shape.m())?;
        s.serialize_field("n", &study.shape.n())?;
        s.serialize_field("gamma", &study.shape.gamma())?;
        s.serialize_field("trials", &study.trials)?;
        s.serialize_field("seed", &study.seed)?;
        s.serialize_field("normalization", crate::NORMALIZATION)?;
        s.serialize_field("method", &study.method)?;
        s.serialize_field("strategies", &strategies)?;
        s.serialize_field("figures", &self.figures.study)?;
        s.end()
    }
}

/// One strategy's object in the document.
struct StrategyDocument<'a> {
    result: &'a StrategySpectrum,
    figures: &'a [String],
    edge_figure: Option<&'a str>,
}

/// An edge fit's object: the fit's fields, then its figure if one was drawn.
#[derive(serde::Serialize)]
struct EdgeFitDocument<'a> {
    #[serde(flatten)]
    fit: &'a EdgeFit,
    #[serde(skip_serializing_if = "Option::is_none")]
    figure: Option<&'a str>,
}

impl Serialize for StrategyDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.result;
        let mut s = serializer.serialize_struct("StrategySpectrum", 13)?;
        s.serialize_field("strategy", &r.strategy)?;
        s.serialize_field("variance", &r.variance)?;
        s.serialize_field("predicted", &r.predicted)?;
        s.serialize_field("empirical", &r.empirical)?;
        s.serialize_field("ks_distance", &r.ks_distance)?;
        s.serialize_field("ks_distance_resolution", &r.ks_distance_resolution)?;
        let edge_fit = r.edge_fit.as_ref().map(|fit| EdgeFitDocument { fit, figure: self.edge_figure });
        s.serialize_field("edge_fit", &edge_fit)?;
        s.serialize_field("bulk_fit", &r.bulk_fit)?;
        match r.ks_distance_at_bin_edges {
            Some(d) => s.serialize_field("ks_distance_at_bin_edges", &d)?,
            None => s.skip_field("ks_distance_at_bin_edges")?,
        }
        s.serialize_field("histogram", &r.histogram)?;
        s.serialize_field("zero_eigenvalues", &r.zero_eigenvalues)?;
        match r.svd_fallback_trials {
            Some(t) => s.serialize_field("svd_fallback_trials", &t)?,
            None => s.skip_field("svd_fallback_trials")?,
        }
        s.serialize_field("figures", self.figures)?;
        s.end()
    }
}

fn relative(observed: f64, predicted: f64) -> String {
    if predicted.is_finite() && predicted != 0.0 {
        format!("{:+.2}%", 100.0 * (observed / predicted - 1.0))
    } else {
        "-".into()
    }
}

/// The text `rmspec spectrum` and `rmspec merge` print: a header, then per strategy a table of
/// predicted vs observed extremes, the fits, and the figures drawn.
pub fn text(study: &SpectrumStudy, figures: &FigurePaths) -> String {
    let mut out = format!(
        "Spectrum of S = W Wᵀ/n: m = {}, n = {}, γ = {}, {} trials, seed {}\nconvention: {}\nmethod: {}\n",
        study.shape.m(),
        study.shape.n(),
        short(study.shape.gamma()),
        study.trials,
        study.seed,
        crate::NORMALIZATION,
        study.method
    );
    for (i, r) in study.strategies.iter().enumerate() {
        out.push_str(&strategy_text(r));
        let (paths, edge) = figures.of_strategy(i);
        for f in paths.iter().map(String::as_str).chain(edge) {
            out.push_str(&format!("figure: {f}\n"));
        }
    }
    for f in &figures.study {
        out.push_str(&format!("\nfigure (all strategies): {f}\n"));
    }
    out
}

fn strategy_text(r: &StrategySpectrum) -> String {
    let mut out = format!("\n{} (s2 = {})\n", r.strategy, num(r.variance));
    let (e, p) = (&r.empirical, &r.predicted);
    let mut t = Table::new(["quantity", "predicted", "observed mean ± se", "median", "mean vs predicted"]);
    let mut row = |name: &str, predicted: f64, observed: &Summary| {
        t.row([
            name.to_string(),
            num(predicted),
            pm(observed.mean, observed.stderr),
            num(observed.median),
            relative(observed.mean, predicted),
        ]);
    };
    row("λmin⁺(S)", p.mp_support.lower, &e.lambda_min);
    row("λmax(S)", p.mp_support.upper, &e.lambda_max);
    row("‖W‖", p.spectral_norm, &e.spectral_norm);
    row("σmin(W)", p.smallest_singular_value, &e.smallest_singular_value);
    row("κ(W)", p.condition_number, &e.condition_number);
    out.push_str(&t.render());
    out.push_str(&match (r.ks_distance, r.ks_distance_at_bin_edges) {
        (Some(d), _) => format!(
            "KS distance of pooled eigenvalues to MP: {} (on a quantile grid; the exact distance is at most {} more)\n",
            num(d),
            num(r.ks_distance_resolution.unwrap_or(0.0))
        ),
        (None, Some(d)) => format!("KS distance to MP at the bin edges (lower bound): {}\n", num(d)),
        (None, None) => "KS distance: not applicable (orthogonal: exact point spectrum)\n".to_string(),
    });
    let h = &r.histogram;
    if h.below + h.above > 0 {
        out.push_str(&format!(
            "histogram on [{}, {}]: {} eigenvalue(s) below and {} above its range (counted, not drawn)\n",
            num(h.lower),
            num(h.upper),
            h.below,
            h.above
        ));
    }
    if let Some(fit) = &r.edge_fit {
        out.push_str(&format!(
            "scaled λmax vs Tracy–Widom TW₁ ({} matrices): KS distance {}, p-value {}\n",
            fit.trials,
            num(fit.statistic),
            num(fit.p_value)
        ));
    }
    if let Some(b) = &r.bulk_fit {
        out.push_str(&format!(
            "bulk vs Marchenko–Pastur: KS {} vs critical value {} at level {} ({}): {}\n",
            num(b.statistic),
            num(b.critical_value),
            short(b.level),
            b.method,
            if b.passed { "consistent" } else { "REJECTED" }
        ));
    }
    out
}
