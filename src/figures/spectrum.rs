//! Figures of a spectrum run (`rmspec spectrum`, and the report's Marchenko–Pastur histograms):
//! one strategy's spectrum histogram against the Marchenko–Pastur density, all strategies
//! overlaid, and the scaled λ_max against Tracy–Widom.

use crate::experiment::spectrum::{SpectrumStudy, StrategySpectrum};
use crate::law::SpectralLaw;
use crate::output::number::short;
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Series, PALETTE};

const EIGENVALUE_AXIS: &str = "eigenvalue λ of S = W Wᵀ/n  (W is m×n, entries of variance s2)";
const DENSITY_AXIS: &str = "density (fraction of all m eigenvalues per unit λ)";
const CURVE_POINTS: usize = 400;

/// Evaluates a law's density on `points` equally spaced abscissae across its support (ends
/// included), for overlay curves.
pub fn density_curve<L: SpectralLaw>(law: &L, points: usize) -> Vec<(f64, f64)> {
    let support = law.support();
    (0..points)
        .map(|i| {
            let x = support.lower + support.width() * i as f64 / (points - 1).max(1) as f64;
            (x, law.density(x))
        })
        .collect()
}

fn atom_note(study: &SpectrumStudy) -> String {
    if study.shape.zero_eigenvalues() > 0 {
        format!("; atom at λ = 0 of mass 1 − 1/γ = {} not drawn", short(1.0 - 1.0 / study.shape.gamma()))
    } else {
        String::new()
    }
}

/// Histogram of one strategy's pooled eigenvalues with the Marchenko–Pastur density, the
/// predicted (Bai–Yin) edges and the observed extremes (mean over trials).
pub fn strategy_spectrum(study: &SpectrumStudy, result: &StrategySpectrum) -> Figure {
    let title = match result.predicted.source {
        crate::prediction::PredictionSource::MarchenkoPasturBaiYin => {
            format!("Spectrum of S = W Wᵀ/n vs Marchenko–Pastur: {}", result.strategy)
        }
        crate::prediction::PredictionSource::ExactOrthogonal => {
            format!("Spectrum of S = W Wᵀ/n: {} (exact point spectrum)", result.strategy)
        }
    };
    let subtitle = format!(
        "m = {}, n = {}, γ = m/n = {}, strategy {}, s2 = {}, {} trials, seed {}{}",
        study.shape.m(),
        study.shape.n(),
        short(study.shape.gamma()),
        result.strategy,
        short(result.variance),
        study.trials,
        study.seed,
        atom_note(study)
    );
    let mut figure = Figure::new(title, subtitle, EIGENVALUE_AXIS, DENSITY_AXIS);
    let h = &result.histogram;
    let bars: Vec<(f64, f64)> = h.centres().into_iter().zip(h.densities()).collect();
    // The range is fixed from the prediction before the run; say so if anything fell outside.
    let outside = match (h.below, h.above) {
        (0, 0) => String::new(),
        (below, above) => format!("; {below} below and {above} above the drawn range, counted"),
    };
    figure.series.push(Series {
        label: Some(format!("sampled eigenvalues ({} bins{outside})", h.counts.len())),
        colour: series_colour(1),
        mark: Mark::Bars { width: h.bin_width() },
        points: bars.clone(),
    });
    let predicted = &result.predicted;
    if let Some(law) = predicted.marchenko_pastur() {
        let bar_top = bars.iter().map(|b| b.1).fold(0.0, f64::max);
        // The density diverges at λ = 0 when γ = 1; clip the curve at twice the tallest bar.
        let cap = 2.0 * bar_top.max(f64::MIN_POSITIVE);
        let curve: Vec<(f64, f64)> =
            density_curve(&law, CURVE_POINTS).into_iter().map(|(x, y)| (x, y.min(cap))).collect();
        figure.series.push(Series {
            label: Some(format!(
                "Marchenko–Pastur density, γ = {}, s2 = {}",
                short(study.shape.gamma()),
                short(result.variance)
            )),
            colour: series_colour(4),
            mark: Mark::Line,
            points: curve,
        });
        figure.y_range = Some((0.0, bar_top.max(law_peak(&law)).min(cap) * 1.25));
    }
    figure.series.push(Series {
        label: Some(match predicted.source {
            crate::prediction::PredictionSource::MarchenkoPasturBaiYin => {
                "predicted edges λ± = s2(1 ± √γ)² (Bai–Yin)".to_string()
            }
            crate::prediction::PredictionSource::ExactOrthogonal => {
                "exact: every eigenvalue = max(m,n)·s2/n".to_string()
            }
        }),
        colour: PALETTE[0],
        mark: Mark::VerticalDashed,
        points: vec![(predicted.mp_support.lower, 0.0), (predicted.mp_support.upper, 0.0)],
    });
    figure.series.push(Series {
        label: Some("observed λmin⁺ and λmax (mean over trials)".into()),
        colour: series_colour(2),
        mark: Mark::VerticalDotted,
        points: vec![(result.empirical.lambda_min.mean, 0.0), (result.empirical.lambda_max.mean, 0.0)],
    });
    figure
}

fn law_peak<L: SpectralLaw>(law: &L) -> f64 {
    density_curve(law, CURVE_POINTS).into_iter().map(|p| p.1).filter(|y| y.is_finite()).fold(0.0, f64::max)
}

/// All strategies of a study on one axis: each strategy's histogram as a step outline with its
/// Marchenko–Pastur density dashed in the same colour.
pub fn all_strategies(study: &SpectrumStudy) -> Figure {
    let title = "Spectra of S = W Wᵀ/n for each initialisation strategy".to_string();
    let subtitle = format!(
        "m = {}, n = {}, γ = m/n = {}, {} trials per strategy, seed {}; solid: sampled, dashed: Marchenko–Pastur{}",
        study.shape.m(),
        study.shape.n(),
        short(study.shape.gamma()),
        study.trials,
        study.seed,
        atom_note(study)
    );
    let mut figure = Figure::new(title, subtitle, EIGENVALUE_AXIS, DENSITY_AXIS);
    // The y range follows the Gaussian strategies; an orthogonal spike (a point mass) is clipped.
    let top = study
        .strategies
        .iter()
        .filter(|r| r.ks_distance.is_some())
        .flat_map(|r| r.histogram.densities())
        .fold(0.0, f64::max);
    let top =
        if top > 0.0 { top } else { study.strategies.iter().flat_map(|r| r.histogram.densities()).fold(0.0, f64::max) };
    let y_max = top * 1.3;
    for (i, result) in study.strategies.iter().enumerate() {
        let colour = series_colour(i);
        let h = &result.histogram;
        // A Gaussian strategy with the same s2 as a later one (to rounding: 1/√(512·128) and
        // 2/512 differ in the last bit) draws the same spectrum (common random numbers) and
        // would vanish under it: say so in its legend entry.
        let hidden_under = study.strategies[i + 1..]
            .iter()
            .find(|later| {
                (later.variance / result.variance - 1.0).abs() < 1e-12
                    && later.ks_distance.is_some()
                    && result.ks_distance.is_some()
            })
            .map(|later| format!(", identical to {}, drawn under it", later.strategy))
            .unwrap_or_default();
        let mut outline = Vec::with_capacity(2 * h.counts.len() + 2);
        let w = h.bin_width();
        outline.push((h.lower, 0.0));
        for (k, d) in h.densities().into_iter().enumerate() {
            let left = h.lower + k as f64 * w;
            outline.push((left, d.min(y_max)));
            outline.push((left + w, d.min(y_max)));
        }
        outline.push((h.upper, 0.0));
        figure.series.push(Series {
            label: Some(format!("{} (s2 = {}{hidden_under})", result.strategy, short(result.variance))),
            colour,
            mark: Mark::Line,
            points: outline,
        });
        if let Some(law) = result.predicted.marchenko_pastur() {
            let curve = density_curve(&law, CURVE_POINTS).into_iter().map(|(x, y)| (x, y.min(y_max))).collect();
            figure.series.push(Series { label: None, colour, mark: Mark::Dashed, points: curve });
        }
    }
    figure.y_range = Some((0.0, y_max));
    figure.legend = LegendPosition::UpperRight;
    figure
}

/// Histogram of one Gaussian strategy's scaled largest eigenvalues (n·λ_max/s2 − μ₊)/σ₊ over
/// trials, with the TW₁ density overlaid and the KS result in the subtitle; `None` for
/// orthogonal (no edge fit).
pub fn edge_fit(study: &SpectrumStudy, result: &StrategySpectrum) -> Option<Figure> {
    use crate::law::TracyWidom;
    let fit = result.edge_fit.as_ref()?;
    let values = &fit.scaled;
    let lower = values.first().copied().unwrap_or(-4.0).min(-5.0);
    let upper = values.last().copied().unwrap_or(2.0).max(3.0);
    let bins = ((values.len() as f64).sqrt().round() as usize).clamp(10, 60);
    let mut histogram = crate::stats::Histogram::new(lower, upper, bins).ok()?;
    values.iter().for_each(|&x| histogram.add(x));
    let title = format!("Largest eigenvalue vs Tracy–Widom TW₁: {}", result.strategy);
    let subtitle = format!(
        "m = {}, n = {}, γ = {}, s2 = {}, {} trials, seed {}; KS distance {}, p = {}",
        study.shape.m(),
        study.shape.n(),
        short(study.shape.gamma()),
        short(result.variance),
        study.trials,
        study.seed,
        short(fit.statistic),
        short(fit.p_value)
    );
    let mut figure = Figure::new(
        title,
        subtitle,
        "scaled λmax = (n·λmax(S)/s2 − μ)/σ,  μ = (√(N−½)+√(p−½))², σ = (√(N−½)+√(p−½))(1/√(N−½)+1/√(p−½))^⅓",
        "density",
    );
    figure.series.push(Series {
        label: Some(format!("sampled, one λmax per matrix ({bins} bins)")),
        colour: series_colour(1),
        mark: Mark::Bars { width: histogram.bin_width() },
        points: histogram.centres().into_iter().zip(histogram.densities()).collect(),
    });
    let law = TracyWidom::with_beta(crate::law::Beta::Real);
    const TW_POINTS: usize = 160;
    let curve = (0..TW_POINTS)
        .map(|i| {
            let x = lower + (upper - lower) * i as f64 / (TW_POINTS - 1) as f64;
            (x, law.density(x))
        })
        .collect();
    figure.series.push(Series {
        label: Some("Tracy–Widom TW₁ density (β = 1)".into()),
        colour: series_colour(4),
        mark: Mark::Line,
        points: curve,
    });
    figure.x_range = Some((lower, upper));
    Some(figure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::FitOptions;
    use crate::experiment::spectrum::{run, Method, SpectrumConfig};
    use crate::spectrum::SingularValueMethod;
    use crate::trials::ThreadsLayout;
    use crate::{Shape, Strategy};

    #[test]
    fn the_spectrum_figure_says_when_eigenvalues_fell_outside_its_range() {
        let config = SpectrumConfig {
            shape: Shape::new(20, 40).unwrap(),
            strategies: vec![Strategy::He],
            trials: 3,
            seed: 1,
            bins: 10,
            singular_values: SingularValueMethod::Gram,
            fit: FitOptions::none(),
            method: Method::Dense,
            layout: ThreadsLayout::Trials,
        };
        let mut study = run(&config).unwrap();
        let label = |study: &SpectrumStudy| strategy_spectrum(study, &study.strategies[0]).series[0].label.clone();
        assert_eq!(label(&study).unwrap(), "sampled eigenvalues (10 bins)");
        study.strategies[0].histogram.above = 2;
        assert!(label(&study).unwrap().contains("0 below and 2 above the drawn range"), "{:?}", label(&study));
    }
}
