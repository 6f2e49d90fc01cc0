//! Figures of `rmspec weights`: one per layer (histogram of the eigenvalues of S = W Wᵀ/n with
//! the fitted Marchenko–Pastur density, the Tracy–Widom edge and the outliers) and one summary
//! over all layers (λ_max relative to the TW edge, coloured by verdict).

use super::spectrum::density_curve;
use crate::law::MarchenkoPastur;
use crate::output::number::short;
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series, PALETTE};
use crate::stats::Histogram;
use crate::weights::{Layer, ModelAnalysis};

const BINS: usize = 60;

/// The histogram figure of one layer.
///
/// # Errors
/// A degenerate spectrum (all eigenvalues equal and zero) cannot be binned.
pub fn layer(analysis: &ModelAnalysis, layer: &Layer) -> crate::Result<Figure> {
    let s = &layer.stats;
    let eig = &s.eigenvalues;
    let top = eig.last().copied().unwrap_or(0.0).max(s.tw_edge) * 1.04;
    let mut histogram = Histogram::new(0.0, if top > 0.0 { top } else { 1.0 }, BINS)?;
    for &x in eig {
        histogram.add(x);
    }
    // Densities per unit λ over the min(m, n) nonzero eigenvalues, scaled to all m of S.
    let share = eig.len() as f64 / s.shape.m() as f64;
    let bars: Vec<(f64, f64)> =
        histogram.centres().into_iter().zip(histogram.densities()).map(|(x, d)| (x, d * share)).collect();
    let title = format!("{}: eigenvalues of S = W Wᵀ/n vs Marchenko–Pastur", layer.name);
    let subtitle = format!(
        "m = {} (fan-in), n = {}, γ = {}, {} {}; fitted s2 = {} ± {}; verdict {}{}",
        s.shape.m(),
        s.shape.n(),
        short(s.shape.gamma()),
        layer.dtype,
        analysis.layout,
        short(s.fit.variance),
        short(s.fit.variance_stderr),
        s.verdict.name(),
        if s.shape.zero_eigenvalues() > 0 { "; atom at 0 not drawn" } else { "" }
    );
    let mut figure = Figure::new(
        title,
        subtitle,
        "eigenvalue λ of S = W Wᵀ/n",
        "density (fraction of the m eigenvalues per unit λ)",
    );
    let bar_top = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    figure.series.push(Series {
        label: Some(format!("layer spectrum ({} eigenvalues)", eig.len())),
        colour: series_colour(1),
        mark: Mark::Bars { width: histogram.bin_width() },
        points: bars,
    });
    if let Ok(law) = MarchenkoPastur::for_shape(s.shape, s.fit.variance) {
        let cap = 2.0 * bar_top.max(f64::MIN_POSITIVE);
        let curve = density_curve(&law, 400).into_iter().map(|(x, y)| (x, y.min(cap))).collect();
        figure.series.push(Series {
            label: Some(format!("Marchenko–Pastur, fitted s2 = {}", short(s.fit.variance))),
            colour: series_colour(4),
            mark: Mark::Line,
            points: curve,
        });
    }
    figure.series.push(Series {
        label: Some(format!("Tracy–Widom edge at level {} ({} outliers above)", short(s.edge_level), s.outlier_count)),
        colour: PALETTE[0],
        mark: Mark::VerticalDashed,
        points: vec![(s.tw_edge, 0.0)],
    });
    if !s.outliers.is_empty() {
        // Marked just above the axis, not as full-height lines, so the legend covers none.
        figure.series.push(Series {
            label: Some(format!("outliers (first {} listed)", s.outliers.len())),
            colour: series_colour(5),
            mark: Mark::Points { errors: None },
            points: s.outliers.iter().map(|o| (o.lambda, 0.03 * bar_top)).collect(),
        });
    }
    figure.y_range = Some((0.0, bar_top * 1.3));
    Ok(figure)
}

/// λ_max/λ_TW of every layer (log scale), one colour per verdict, with the line at 1.
pub fn summary(analysis: &ModelAnalysis) -> Figure {
    let title = "Largest eigenvalue of each layer relative to its Tracy–Widom edge".to_string();
    let subtitle = format!(
        "{} layers, layout {}, S = W Wᵀ/n with m = fan-in; per-layer false-alarm rate {}{}",
        analysis.layers.len(),
        analysis.layout,
        short(analysis.false_alarm),
        analysis.init.as_ref().map(|i| format!(", initialiser {i}")).unwrap_or_default()
    );
    let mut figure = Figure::new(title, subtitle, "layer (file order)", "λmax(S) / TW edge");
    figure.y_scale = Scale::Log10;
    figure.legend = LegendPosition::UpperLeft;
    for (index, verdict) in analysis.verdicts.keys().enumerate() {
        let points: Vec<(f64, f64)> = analysis
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.stats.verdict.name() == *verdict)
            .map(|(i, l)| (i as f64, l.stats.eigenvalues.last().copied().unwrap_or(0.0) / l.stats.tw_edge))
            .collect();
        figure.series.push(Series {
            label: Some(format!("{verdict} ({})", points.len())),
            colour: series_colour(index),
            mark: Mark::Points { errors: None },
            points,
        });
    }
    // Log range from the data, with the top ~40% left free for the legend (upper left).
    let ratios: Vec<f64> =
        figure.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|y| *y > 0.0).collect();
    let lo = ratios.iter().copied().fold(1.0, f64::min) / 2.0;
    let hi = ratios.iter().copied().fold(1.0, f64::max);
    figure.y_range = Some((lo, hi * (hi / lo).powf(0.7) * 2.0));
    let last = analysis.layers.len().saturating_sub(1) as f64;
    figure.series.push(Series {
        label: Some("TW edge".into()),
        colour: PALETTE[0],
        mark: Mark::Dashed,
        points: vec![(0.0, 1.0), (last.max(1.0), 1.0)],
    });
    figure
}
