//! Figures of `rmspec weights`: one per layer (histogram of the eigenvalues of S = W Wᵀ/n with
//! the fitted Marchenko–Pastur density, the Tracy–Widom edge, the outliers and, when m > n, the
//! atom at 0) and one summary over all layers (λ_max relative to the TW edge, one look per
//! verdict).

use super::spectrum::density_curve;
use crate::law::MarchenkoPastur;
use crate::output::number::{figure, pm_sig};
use crate::output::prose::counted;
use crate::plot::style::{Colour, Dash, Marker, BLACK, PALETTE};
use crate::plot::{Axis, Figure, Geometry, Layer as Drawn, Panel, Series, Style};
use crate::stats::Histogram;
use crate::weights::analysis::Verdict;
use crate::weights::{Layer, ModelAnalysis};

const BINS: usize = 60;
const CURVE_POINTS: usize = 400;

/// The look of a verdict, the same in every summary figure.
fn verdict_style(verdict: Verdict) -> Style {
    let (colour, marker): (Colour, Marker) = match verdict {
        Verdict::RandomLike => (PALETTE[2], Marker::Circle),
        Verdict::Spikes => (PALETTE[3], Marker::Diamond),
        Verdict::HeavyTailed => (PALETTE[1], Marker::Square),
        Verdict::RankDeficient => (PALETTE[4], Marker::TriangleDown),
        Verdict::BulkDeviates => (PALETTE[5], Marker::Cross),
        Verdict::WrongVariance => (PALETTE[7], Marker::OpenCircle),
        Verdict::NotOrthogonal => (PALETTE[6], Marker::Plus),
    };
    Style::data(colour, marker)
}

/// The histogram figure of one layer.
///
/// # Errors
/// A degenerate spectrum (all eigenvalues zero) cannot be binned.
pub fn layer(analysis: &ModelAnalysis, layer: &Layer) -> crate::Result<Figure> {
    let s = &layer.stats;
    let eig = &s.eigenvalues;
    let top = eig.last().copied().unwrap_or(0.0).max(s.tw_edge) * 1.04;
    let mut histogram = Histogram::new(0.0, if top > 0.0 { top } else { 1.0 }, BINS)?;
    eig.iter().for_each(|&x| histogram.add(x));
    // Densities per unit λ over the min(m, n) nonzero eigenvalues, scaled to all m of S.
    let share = eig.len() as f64 / s.shape.m() as f64;
    let heights: Vec<f64> = histogram.densities().into_iter().map(|d| d * share).collect();
    let bar_top = heights.iter().copied().fold(0.0, f64::max);
    let y_top = if bar_top > 0.0 { bar_top * 1.3 } else { 1.0 };
    let title = format!("{}: eigenvalues of S = W Wᵀ/n vs Marchenko–Pastur", layer.name);
    let subtitle = format!(
        "m = {} (fan-in), n = {} (fan-out), γ = m/n = {}, {} {}; fitted s2 = {}; verdict {}",
        s.shape.m(),
        s.shape.n(),
        figure(s.shape.gamma()),
        layer.dtype,
        analysis.layout,
        pm_sig(s.fit.variance, s.fit.variance_stderr),
        s.verdict.name(),
    );
    let mut panel = Panel::new(
        // Room left of λ = 0 for the atom's arrow head when m > n.
        Axis::linear("eigenvalue λ of S = W Wᵀ/n")
            .with_range(if s.shape.zero_eigenvalues() > 0 { -0.03 * histogram.upper } else { 0.0 }, histogram.upper),
        Axis::linear("density (fraction of the m eigenvalues per unit λ)").with_range(0.0, y_top),
    );
    panel.series.push(Series::new(
        Some(format!("layer spectrum ({} eigenvalues)", eig.len())),
        Style::data(PALETTE[0], Marker::Circle),
        Drawn::Data,
        Geometry::Bars { lower: histogram.lower, width: histogram.bin_width(), heights },
    ));
    if let Ok(law) = MarchenkoPastur::for_shape(s.shape, s.fit.variance) {
        // Capped at the panel's top: the density diverges at a hard edge (γ = 1).
        let curve = density_curve(&law, CURVE_POINTS).into_iter().map(|(x, y)| (x, y.min(y_top))).collect();
        panel.series.push(Series::new(
            Some(format!("Marchenko–Pastur, γ = {}, fitted s2 = {}", figure(s.shape.gamma()), figure(s.fit.variance))),
            Style::theory(),
            Drawn::Theory,
            Geometry::Line(curve),
        ));
    }
    panel.series.push(Series::new(
        Some(format!(
            "Tracy–Widom edge at level {} ({} above)",
            figure(s.edge_level),
            counted(s.outlier_count as u64, "outlier", "outliers")
        )),
        Style::reference(BLACK, Dash::Dashed),
        Drawn::Reference,
        Geometry::VLine(s.tw_edge),
    ));
    if !s.outliers.is_empty() {
        // Marked just above the axis, not as full-height lines.
        panel.series.push(Series::new(
            Some(if s.outliers.len() < s.outlier_count {
                format!("the {} largest of the {} outliers", s.outliers.len(), s.outlier_count)
            } else {
                counted(s.outliers.len() as u64, "outlier", "outliers")
            }),
            Style::data(PALETTE[3], Marker::Diamond),
            Drawn::Data,
            Geometry::Points { points: s.outliers.iter().map(|o| (o.lambda, 0.03 * y_top)).collect(), intervals: None },
        ));
    }
    let zeros = s.shape.zero_eigenvalues();
    if zeros > 0 {
        let mass = figure(1.0 - 1.0 / s.shape.gamma());
        panel.series.push(Series::new(
            Some(format!("atom at λ = 0: mass 1 − 1/γ = {mass} (m − n = {zeros} zero eigenvalues)")),
            Style::data(PALETTE[0], Marker::Circle),
            Drawn::Data,
            Geometry::Spike { x: 0.0, label: format!("mass {mass}") },
        ));
    }
    Ok(Figure::single(title, subtitle, panel))
}

/// λ_max/λ_TW of every layer (log scale), one look per verdict, with the line at 1.
pub fn summary(analysis: &ModelAnalysis) -> Figure {
    let title = "Largest eigenvalue of each layer relative to its Tracy–Widom edge".to_string();
    let subtitle = format!(
        "{} layers, layout {}, S = W Wᵀ/n with m = fan-in; per-layer false-alarm rate {}{}",
        analysis.layers.len(),
        analysis.layout,
        figure(analysis.false_alarm),
        analysis.init.map(|i| format!(", initialiser {i}")).unwrap_or_default()
    );
    let last = analysis.layers.len().saturating_sub(1) as f64;
    let mut panel = Panel::new(
        Axis::linear("layer (file order)").with_range(-0.5, last.max(1.0) + 0.5),
        Axis::log("λmax(S) / Tracy–Widom edge (log scale)"),
    );
    panel.series.push(Series::new(
        Some("Tracy–Widom edge (ratio 1)".into()),
        Style::reference(BLACK, Dash::Dashed),
        Drawn::Reference,
        Geometry::HLine(1.0),
    ));
    let mut verdicts: Vec<Verdict> = analysis.layers.iter().map(|l| l.stats.verdict).collect();
    verdicts.sort_by_key(|v| v.name());
    verdicts.dedup();
    for verdict in verdicts {
        let points: Vec<(f64, f64)> = analysis
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.stats.verdict == verdict)
            .map(|(i, l)| (i as f64, l.stats.eigenvalues.last().copied().unwrap_or(0.0) / l.stats.tw_edge))
            .filter(|p| p.1 > 0.0)
            .collect();
        panel.series.push(Series::new(
            Some(format!("{} ({})", verdict.name(), points.len())),
            verdict_style(verdict),
            Drawn::Data,
            Geometry::Points { points, intervals: None },
        ));
    }
    Figure::single(title, subtitle, panel)
}
