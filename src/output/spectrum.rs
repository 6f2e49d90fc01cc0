//! `rmspec spectrum` and `rmspec merge`: a [`SpectrumStudy`] as its JSON document and as text.
//!
//! A study carries no file paths; the figures written for it are attached here, at output time,
//! as [`FigurePaths`]. The JSON document is [`SpectrumDocument`]: the study's fields in a fixed
//! order, with `figures` lists (empty when no figure was drawn, as for `merge`) and an edge fit's
//! `figure`.

use super::edges::{limit_note, symbol, LIMIT_MARK};
use super::number::{num, percent_change, short, Column};
use super::prose::{counted, wrap, LINE_WIDTH};
use super::table::Table;
use crate::calibration::{BulkFit, EdgeFit};
use crate::experiment::spectrum::{SpectrumStudy, StrategySpectrum, Summary};
use crate::prediction::{EdgeQuantity, PredictionSource};
use crate::provenance::Format;
use crate::stats::KS_P_VALUE_MIN_COUNT;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The format of `rmspec spectrum --json` and `rmspec merge --json`.
pub const FORMAT: Format = Format::new("rmspec-spectrum", 1);

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

/// The text `rmspec spectrum` and `rmspec merge` print: a header, then per strategy a table of
/// predicted vs observed extremes, the fits, and the figures drawn.
pub fn text(study: &SpectrumStudy, figures: &FigurePaths) -> String {
    let mut out = format!(
        "Spectrum of S = W Wᵀ/n: m = {}, n = {}, γ = {}, {}, seed {}\nconvention: {}\n",
        study.shape.m(),
        study.shape.n(),
        short(study.shape.gamma()),
        counted(study.trials as u64, "trial", "trials"),
        study.seed,
        crate::NORMALIZATION,
    );
    out.push_str(&wrap(&format!("method: {}", study.method), LINE_WIDTH, "  "));
    let mut noted = false;
    for (i, r) in study.strategies.iter().enumerate() {
        let (table, marked) = strategy_table(r);
        out.push_str(&format!("\n{} (s2 = {})\n", r.strategy, short(r.variance)));
        out.push_str(&table);
        if let (true, false, Some(interval)) = (marked, noted, r.predicted.interval(EdgeQuantity::SpectralNorm)) {
            out.push_str(&limit_note(study.shape, interval.level));
            noted = true;
        }
        if let Some(why) = r.empirical.condition_number.omitted {
            out.push_str(&wrap(&format!("κ(W): {why}"), LINE_WIDTH, "  "));
        }
        out.push_str(&fits_text(r));
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

/// One strategy's table (columns: the edge quantities; rows: prediction, interval, observed) and
/// whether a limit is marked as outside its interval.
fn strategy_table(r: &StrategySpectrum) -> (String, bool) {
    let (p, e) = (&r.predicted, &r.empirical);
    let observed = |q: EdgeQuantity| -> &Summary {
        match q {
            EdgeQuantity::LambdaMin => &e.lambda_min,
            EdgeQuantity::LambdaMax => &e.lambda_max,
            EdgeQuantity::SpectralNorm => &e.spectral_norm,
            EdgeQuantity::SmallestSingularValue => &e.smallest_singular_value,
            EdgeQuantity::ConditionNumber => &e.condition_number,
        }
    };
    let exact = p.source == PredictionSource::ExactOrthogonal;
    let intervals = !exact && p.intervals.is_some();
    let level = p.interval(EdgeQuantity::SpectralNorm).map_or(0.0, |i| i.level);
    let mut labels: Vec<String> = vec![if exact { "exact value" } else { "limit m, n → ∞" }.into()];
    if intervals {
        labels.push("median at this size".into());
        labels.push(format!("{}% interval, lower", short(100.0 * level)));
        labels.push(format!("{}% interval, upper", short(100.0 * level)));
    }
    labels.extend(
        [
            "observed mean",
            "standard error",
            "observed median",
            "observed lower quartile",
            "observed upper quartile",
            "observed min",
            "observed max",
        ]
        .map(String::from),
    );
    labels.push(if exact { "observed mean vs exact" } else { "observed mean vs limit" }.into());
    let mut marked = false;
    let columns: Vec<Vec<String>> = EdgeQuantity::ALL
        .iter()
        .map(|&q| {
            let o = observed(q);
            let mut values = vec![p.limit(q)];
            if intervals {
                let i = p.interval(q).expect("intervals present");
                values.extend([p.median(q).unwrap_or(f64::NAN), i.lower, i.upper]);
            }
            values.extend([o.mean, o.stderr, o.median, o.lower_quartile, o.upper_quartile, o.min, o.max]);
            let mut cells = Column::format_all(&values);
            if p.limit_not_meant_for_size(q) {
                cells[0].push_str(LIMIT_MARK);
                marked = true;
            }
            cells.push(percent_change(o.mean, p.limit(q)));
            cells
        })
        .collect();
    let mut header = vec![String::new()];
    header.extend(EdgeQuantity::ALL.iter().map(|&q| symbol(q).to_string()));
    let mut t = Table::new(header);
    for (row, label) in labels.into_iter().enumerate() {
        let mut cells = vec![label];
        cells.extend(columns.iter().map(|c| c[row].clone()));
        t.row(cells);
    }
    (t.render(), marked)
}

/// The lines under a strategy's table: KS distance, histogram range, edge fit, bulk test.
fn fits_text(r: &StrategySpectrum) -> String {
    let mut lines: Vec<String> = Vec::new();
    lines.push(match (r.ks_distance, r.ks_distance_at_bin_edges) {
        (Some(d), _) => format!(
            "KS distance of the pooled eigenvalues to MP: {} (on a quantile grid; the exact distance is at most {} more)",
            num(d),
            num(r.ks_distance_resolution.unwrap_or(0.0))
        ),
        (None, Some(d)) => format!("KS distance to MP at the bin edges (a lower bound): {}", num(d)),
        (None, None) => "KS distance: not applicable (orthogonal: an exact point spectrum)".to_string(),
    });
    let h = &r.histogram;
    if h.below + h.above > 0 {
        lines.push(format!(
            "histogram on [{}, {}]: {} below and {} above its range (counted, not drawn)",
            num(h.lower),
            num(h.upper),
            counted(h.below, "eigenvalue", "eigenvalues"),
            counted(h.above, "eigenvalue", "eigenvalues")
        ));
    }
    if let Some(fit) = &r.edge_fit {
        lines.push(edge_fit_line(fit));
    }
    if let Some(b) = &r.bulk_fit {
        lines.extend(bulk_fit_lines(b));
    }
    lines.iter().map(|l| wrap(l, LINE_WIDTH, "  ")).collect()
}

fn edge_fit_line(fit: &EdgeFit) -> String {
    let p_value = if fit.p_value.is_nan() {
        format!("no p-value (needs ≥ {KS_P_VALUE_MIN_COUNT} matrices)")
    } else {
        format!("p-value {}", num(fit.p_value))
    };
    format!(
        "scaled λmax vs Tracy–Widom TW₁ ({}): KS distance {}, {p_value}",
        counted(fit.trials as u64, "matrix", "matrices"),
        num(fit.statistic)
    )
}

fn bulk_fit_lines(b: &BulkFit) -> [String; 2] {
    [
        format!(
            "bulk vs Marchenko–Pastur at level {}: KS {} {} critical value {}: {}",
            short(b.level),
            num(b.statistic),
            if b.passed { "≤" } else { ">" },
            num(b.critical_value),
            if b.passed { "consistent" } else { "REJECTED" }
        ),
        format!("{}", b.method),
    ]
}
