//! Figures of a spectrum run (`rmspec spectrum`, and the report's Marchenko–Pastur histograms):
//! one strategy's spectrum against the Marchenko–Pastur density; every strategy of a run, on the
//! raw scale (small multiples) beside λ/s2, where the Gaussian strategies collapse onto one law;
//! and the scaled λ_max against Tracy–Widom.

use super::style;
use crate::experiment::spectrum::{SpectrumStudy, StrategySpectrum};
use crate::initializer::EntryLaw;
use crate::law::{MarchenkoPastur, SpectralLaw};
use crate::output::number::{figure, sig};
use crate::plot::style::{Dash, GREY};
use crate::plot::{Axis, Cell, Figure, Geometry, Layer, LegendEntry, Panel, Series, Style};
use crate::strategy::Ensemble;

const EIGENVALUE_AXIS: &str = "eigenvalue λ of S = W Wᵀ/n (W: m×n, entries of variance s2)";
const DENSITY_AXIS: &str = "density (fraction of all m eigenvalues per unit λ)";
const CURVE_POINTS: usize = 400;

/// A law's density on `points` abscissae across its support, denser towards the edges
/// (x = c − r·cos θ with θ equally spaced), so square-root edges are drawn smoothly. Non-finite
/// values (the 1/√λ divergence at a hard edge) are left out.
pub fn density_curve<L: SpectralLaw>(law: &L, points: usize) -> Vec<(f64, f64)> {
    let support = law.support();
    let (c, r) = (0.5 * (support.lower + support.upper), 0.5 * support.width());
    (0..points)
        .map(|i| {
            let theta = std::f64::consts::PI * i as f64 / (points - 1).max(1) as f64;
            let x = c - r * theta.cos();
            (x, law.density(x))
        })
        .filter(|p| p.1.is_finite())
        .collect()
}

/// The study's parameters for a subtitle: m, n, γ and the trial count and seed.
fn shape_note(study: &SpectrumStudy) -> String {
    format!(
        "m = {} (fan-in), n = {} (fan-out), γ = m/n = {}, {} trials, seed {}",
        study.shape.m(),
        study.shape.n(),
        figure(study.shape.gamma()),
        study.trials,
        study.seed
    )
}

/// The atom's spike at λ = 0 when m > n, in `style`.
fn atom(study: &SpectrumStudy, style: Style) -> Option<Series> {
    let zeros = study.shape.zero_eigenvalues();
    (zeros > 0).then(|| {
        let mass = figure(1.0 - 1.0 / study.shape.gamma());
        let label = format!("atom at λ = 0: mass 1 − 1/γ = {mass} (m − n = {zeros} zero eigenvalues per matrix)");
        Series::new(Some(label), style, Layer::Data, Geometry::Spike { x: 0.0, label: format!("mass {mass}") })
    })
}

/// The mass of an orthogonal spectrum's point at max(m, n)·s2/n: all m eigenvalues when m ≤ n,
/// the n nonzero ones (1/γ) when m > n.
fn point_mass(study: &SpectrumStudy) -> f64 {
    (1.0 / study.shape.gamma()).min(1.0)
}

/// Relative spread of an orthogonal run's eigenvalues, as a phrase that does not depend on the
/// last bits of the arithmetic ("< 10⁻¹²" for rounding).
fn orthogonal_spread(result: &StrategySpectrum) -> String {
    let e = &result.empirical;
    let spread = (e.lambda_max.max - e.lambda_min.min) / e.lambda_max.max;
    if spread < 1e-12 {
        "exact to rounding: relative spread < 10⁻¹²".into()
    } else {
        format!("relative spread {}", figure(spread))
    }
}

fn histogram_bars(result: &StrategySpectrum, label: Option<String>) -> Series {
    let h = &result.histogram;
    Series::new(
        label,
        style::of(&result.strategy),
        Layer::Data,
        Geometry::Bars { lower: h.lower, width: h.bin_width(), heights: h.densities() },
    )
}

/// The theory series of one strategy's panel: the MP density (iid entries) or a spike at c² with a
/// Gaussian MP curve for contrast (orthogonal).
fn theory_series(study: &SpectrumStudy, result: &StrategySpectrum, labelled: bool) -> Vec<Series> {
    let mut out = Vec::new();
    let gamma = study.shape.gamma();
    let law = result.predicted.gaussian_law();
    match result.strategy.ensemble() {
        Ensemble::Iid(_) => {
            let label = labelled
                .then(|| format!("Marchenko–Pastur density, γ = {}, s2 = {}", figure(gamma), figure(result.variance)));
            out.push(Series::new(
                label,
                Style::theory(),
                Layer::Theory,
                Geometry::Line(density_curve(&law, CURVE_POINTS)),
            ));
        }
        Ensemble::Orthogonal => {
            let at = result.predicted.mp_support.upper;
            let label = format!(
                "point mass: every eigenvalue = max(m, n)·s2/n = {} ({})",
                figure(at),
                orthogonal_spread(result)
            );
            out.push(Series::new(
                labelled.then_some(label),
                style::of(&result.strategy),
                Layer::Data,
                Geometry::Spike { x: at, label: format!("mass {}", figure(point_mass(study))) },
            ));
            if labelled {
                out.push(Series::new(
                    Some("Gaussian entries with the same s2: Marchenko–Pastur, for contrast".into()),
                    Style::reference(GREY, Dash::Dashed),
                    Layer::Reference,
                    Geometry::Line(density_curve(&law, CURVE_POINTS)),
                ));
            }
        }
    }
    out
}

/// The y range of a spectrum panel: up to the taller of the bars and the law's peak away from a
/// hard edge (where the density diverges), with room above.
fn density_top(result: &StrategySpectrum) -> f64 {
    let bars = result.histogram.densities().into_iter().fold(0.0, f64::max);
    let law = result.predicted.gaussian_law();
    let s = law.support();
    let peak = density_curve(&law, CURVE_POINTS)
        .into_iter()
        .filter(|p| p.0 > s.lower + 0.05 * s.width())
        .map(|p| p.1)
        .fold(0.0, f64::max);
    let top = if result.strategy.ensemble() == Ensemble::Orthogonal { peak } else { bars.max(peak) };
    if top > 0.0 {
        top * 1.08
    } else {
        1.0
    }
}

/// Histogram of one strategy's pooled eigenvalues with the Marchenko–Pastur density, the
/// predicted (Bai–Yin) edges, the observed extremes (mean over trials) and, when m > n, the atom
/// at 0. For orthogonal, the point mass and, for contrast, the Gaussian law at the same s2.
pub fn strategy_spectrum(study: &SpectrumStudy, result: &StrategySpectrum) -> Figure {
    let gaussian = matches!(result.strategy.ensemble(), Ensemble::Iid(_));
    let title = if gaussian {
        format!("Spectrum of S = W Wᵀ/n vs Marchenko–Pastur: {}", result.strategy)
    } else {
        format!("Spectrum of S = W Wᵀ/n: {} (a point mass, not Marchenko–Pastur)", result.strategy)
    };
    let subtitle = format!("{}, strategy {}, s2 = {}", shape_note(study), result.strategy, figure(result.variance));
    let mut panel =
        Panel::new(Axis::linear(EIGENVALUE_AXIS), Axis::linear(DENSITY_AXIS).with_range(0.0, density_top(result)));
    if gaussian {
        let h = &result.histogram;
        let outside = match (h.below, h.above) {
            (0, 0) => String::new(),
            (below, above) => format!("; {below} below and {above} above the drawn range, counted"),
        };
        panel.series.push(histogram_bars(
            result,
            Some(format!("sampled eigenvalues, {} matrices ({} bins{outside})", study.trials, h.counts.len())),
        ));
        let p = &result.predicted;
        panel.series.push(Series::new(
            Some("Bai–Yin edges λ± = s2(1 ± √γ)²".into()),
            Style::reference(crate::plot::style::BLACK, Dash::Dashed),
            Layer::Reference,
            Geometry::VLine(p.mp_support.lower),
        ));
        panel.series.push(Series::new(
            None,
            Style::reference(crate::plot::style::BLACK, Dash::Dashed),
            Layer::Reference,
            Geometry::VLine(p.mp_support.upper),
        ));
        let e = &result.empirical;
        let observed = Style::reference(GREY, Dash::Dotted).dashed(Dash::Dotted);
        panel.series.push(Series::new(
            Some("observed λmin⁺ and λmax, mean over matrices".into()),
            Style { width: 2.0, ..observed },
            Layer::Reference,
            Geometry::VLine(e.lambda_min.mean),
        ));
        panel.series.push(Series::new(
            None,
            Style { width: 2.0, ..observed },
            Layer::Reference,
            Geometry::VLine(e.lambda_max.mean),
        ));
    }
    panel.series.extend(theory_series(study, result, true));
    panel.series.extend(atom(study, style::of(&result.strategy)));
    Figure::single(title, subtitle, panel)
}

/// One small panel of the raw-scale multiples: a strategy's histogram and its own law.
fn small_multiple(study: &SpectrumStudy, result: &StrategySpectrum, cell: Cell, x_max: f64, last_row: bool) -> Panel {
    // Room left of λ = 0 for the atom's arrow head when m > n.
    let x_min = if study.shape.zero_eigenvalues() > 0 { -0.03 * x_max } else { 0.0 };
    let mut panel = Panel {
        title: Some(format!("{}: s2 = {}", result.strategy, figure(result.variance))),
        cell,
        x: Axis::linear(if last_row { "eigenvalue λ of S = W Wᵀ/n" } else { "" }).with_range(x_min, x_max),
        y: Axis::linear("density").with_range(0.0, density_top(result)),
        series: Vec::new(),
        key: Vec::new(),
    };
    if matches!(result.strategy.ensemble(), Ensemble::Iid(_)) {
        panel.series.push(histogram_bars(result, None));
    } else {
        // A point mass has no density: no density scale.
        panel.y = Axis { fixed_ticks: Some(Vec::new()), ..Axis::linear("(point mass)").with_range(0.0, 1.0) };
    }
    panel.series.extend(theory_series(study, result, false));
    panel.series.extend(atom(study, style::of(&result.strategy)));
    for s in &mut panel.series {
        s.label = None;
    }
    panel
}

/// The iid strategies' histograms of λ/s2 as one (lower edge, bin width, densities) when
/// they are identical: the same count in every bin and outside the range, and bin edges equal to
/// 10⁻⁹ relative once divided by s2 (what common random numbers give: W = √s2·Z with the same Z).
/// `None` when any two differ, or when there are fewer than two.
fn common_scaled_histogram(gaussian: &[&StrategySpectrum]) -> Option<(f64, f64, Vec<f64>)> {
    let (first, rest) = gaussian.split_first()?;
    let h = &first.histogram;
    let (lower, width) = (h.lower / first.variance, h.bin_width() / first.variance);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs());
    let same = !rest.is_empty()
        && rest.iter().all(|r| {
            let g = &r.histogram;
            g.counts == h.counts
                && (g.below, g.above) == (h.below, h.above)
                && close(g.lower / r.variance, lower)
                && close(g.bin_width() / r.variance, width)
        });
    same.then(|| (lower, width, h.densities().into_iter().map(|d| d * first.variance).collect()))
}

/// Whether the iid strategies of a run (those of one entry law share draws) have the same histogram of λ/s2 bin for bin (see
/// `common_scaled_histogram`); false with fewer than two Gaussian strategies.
pub fn iid_histograms_coincide(study: &SpectrumStudy) -> bool {
    let gaussian: Vec<&StrategySpectrum> =
        study.strategies.iter().filter(|r| matches!(r.strategy.ensemble(), Ensemble::Iid(_))).collect();
    common_scaled_histogram(&gaussian).is_some()
}

/// The collapse panel: every iid strategy's histogram of λ/s2 (drawn once when they are
/// identical, as [`common_scaled_histogram`] checks), one MP(γ, 1) law, and orthogonal's spike at
/// max(m, n)/n.
fn collapse_panel(study: &SpectrumStudy, cell: Cell) -> Panel {
    let gamma = study.shape.gamma();
    let mut panel = Panel {
        title: Some(if one_law(study) {
            "divided by s2: one law for every Gaussian strategy".into()
        } else {
            "divided by s2: one law for every iid strategy".into()
        }),
        cell,
        x: Axis::linear("λ/s2: eigenvalue of S over the entry variance"),
        y: Axis::linear("density of λ/s2").from_zero(),
        series: Vec::new(),
        key: Vec::new(),
    };
    let gaussian: Vec<&StrategySpectrum> =
        study.strategies.iter().filter(|r| matches!(r.strategy.ensemble(), Ensemble::Iid(_))).collect();
    match common_scaled_histogram(&gaussian) {
        Some((lower, width, heights)) => {
            let names: Vec<String> = gaussian.iter().map(|r| r.strategy.to_string()).collect();
            panel.series.push(Series::new(
                Some(format!("{}: the same λ/s2 in every bin (drawn once)", names.join(", "))),
                style::coinciding(),
                Layer::Data,
                Geometry::Bars { lower, width, heights },
            ));
        }
        None => {
            let of = gaussian.len().min(255) as u8;
            for (k, r) in gaussian.iter().enumerate() {
                let h = &r.histogram;
                let s2 = r.variance;
                let heights = h.densities().into_iter().map(|d| d * s2).collect();
                let dash = if of > 1 { Dash::Interleaved { index: k as u8, of } } else { Dash::Solid };
                panel.series.push(Series::new(
                    Some(format!("{} (sampled λ/s2)", r.strategy)),
                    Style { width: 2.6, ..style::of(&r.strategy) }.dashed(dash),
                    Layer::Data,
                    Geometry::Steps { lower: h.lower / s2, width: h.bin_width() / s2, heights },
                ));
            }
        }
    }
    if let Ok(law) = MarchenkoPastur::new(gamma, 1.0) {
        let top = gaussian
            .iter()
            .flat_map(|r| r.histogram.densities().into_iter().map(move |d| d * r.variance))
            .fold(0.0, f64::max);
        let peak = law_peak_away_from_zero(&law);
        panel.y.range = Some((0.0, top.max(peak) * 1.08));
        panel.series.push(Series::new(
            Some(format!("Marchenko–Pastur(γ = {}, s2 = 1)", figure(gamma))),
            Style::theory(),
            Layer::Theory,
            Geometry::Line(density_curve(&law, CURVE_POINTS)),
        ));
    }
    for r in study.strategies.iter().filter(|r| r.strategy.ensemble() == Ensemble::Orthogonal) {
        let at = r.predicted.mp_support.upper / r.variance;
        let label = format!("{}: every nonzero λ/s2 = max(m, n)/n = {}", r.strategy, figure(at));
        panel.series.push(Series::new(
            Some(label),
            style::of(&r.strategy),
            Layer::Data,
            Geometry::Spike { x: at, label: format!("mass {}", figure(point_mass(study))) },
        ));
    }
    panel.series.extend(atom(study, style::coinciding()));
    panel
}

/// Whether every iid strategy of the study draws standard normals (the strategies of the source
/// analysis; framework initialisers may draw uniform or truncated-normal entries).
fn one_law(study: &SpectrumStudy) -> bool {
    study.strategies.iter().filter_map(|r| r.strategy.entry_law()).all(|law| law == EntryLaw::Normal)
}

fn law_peak_away_from_zero(law: &MarchenkoPastur) -> f64 {
    let s = law.support();
    density_curve(law, CURVE_POINTS)
        .into_iter()
        .filter(|p| p.0 > s.lower + 0.05 * s.width())
        .map(|p| p.1)
        .fold(0.0, f64::max)
}

/// Every strategy of a run: on the left one small panel per strategy on a common λ axis (its
/// histogram and its own Marchenko–Pastur density), on the right λ/s2, where every Gaussian
/// strategy falls on the one law MP(γ, 1) and orthogonal is a spike. `None` for a run of one
/// strategy (nothing to compare).
pub fn all_strategies(study: &SpectrumStudy) -> Option<Figure> {
    if study.strategies.len() < 2 {
        return None;
    }
    let k = study.strategies.len();
    let rows = k.div_ceil(2);
    let x_max =
        study.strategies.iter().map(|r| r.predicted.mp_support.upper.max(r.histogram.upper)).fold(0.0, f64::max) * 1.04;
    let mut panels: Vec<Panel> = study
        .strategies
        .iter()
        .enumerate()
        .map(|(i, r)| small_multiple(study, r, Cell::at(i % 2, i / 2), x_max, i / 2 == rows - 1 || i + 2 >= k))
        .collect();
    panels.push(collapse_panel(study, Cell { column: 2, row: 0, columns: 1, rows }));
    let legend = vec![
        LegendEntry {
            label: "sampled eigenvalues (colour: strategy)".into(),
            style: style::coinciding(),
            geometry: Geometry::Bars { lower: 0.0, width: 1.0, heights: Vec::new() },
        },
        LegendEntry {
            label: "Marchenko–Pastur density at the strategy's s2 (left), at s2 = 1 (right)".into(),
            style: Style::theory(),
            geometry: Geometry::Line(Vec::new()),
        },
        LegendEntry {
            label: "point mass (orthogonal; the atom at 0 when m > n)".into(),
            style: style::coinciding(),
            geometry: Geometry::Spike { x: 0.0, label: String::new() },
        },
    ];
    Some(Figure {
        title: "Spectra of S = W Wᵀ/n for each strategy: raw scale (left), divided by s2 (right)".into(),
        subtitle: if one_law(study) {
            format!(
                "{} per strategy. Left: a common λ axis, each panel with its own density scale. Right: W = √s2·Z with \
                 the same standard normals Z for every Gaussian strategy (common random numbers), so their histograms \
                 of λ/s2 {}, and one law, MP(γ, 1), describes them all; the variance sets only the scale. Orthogonal \
                 is a point mass.",
                shape_note(study),
                if iid_histograms_coincide(study) {
                    "are the same bin for bin (checked; drawn once)"
                } else {
                    "should coincide but differ here (each drawn in its own dashes)"
                }
            )
        } else {
            format!(
                "{} per strategy. Left: a common λ axis, each panel with its own density scale. Right: W = √s2·Z, where \
                 strategies of one entry law share the same unit-variance draws Z (common random numbers), so their \
                 histograms of λ/s2 coincide; across laws (normal, uniform, truncated normal) they differ only by \
                 finite-size fluctuations (each drawn in its own dashes), and one law, MP(γ, 1), describes them all. \
                 Orthogonal is a point mass.",
                shape_note(study)
            )
        },
        width: 1400,
        row_height: 230,
        panels,
        legend,
    })
}

/// Histogram of one Gaussian strategy's scaled largest eigenvalues over trials with the TW₁
/// density; `None` for orthogonal (no edge fit). The scaled values do not depend on s2, so every
/// Gaussian strategy of a run shows the same draws: the subtitle names them (one test, not
/// several).
pub fn edge_fit(study: &SpectrumStudy, result: &StrategySpectrum) -> Option<Figure> {
    use crate::law::TabulatedTw1;
    let fit = result.edge_fit.as_ref()?;
    let values = &fit.scaled;
    let lower = values.first().copied().unwrap_or(-4.0).min(-5.0).floor();
    let upper = values.last().copied().unwrap_or(2.0).max(3.0).ceil();
    let bins = ((values.len() as f64).sqrt().round() as usize).clamp(8, 40);
    let mut histogram = crate::stats::Histogram::new(lower, upper, bins).ok()?;
    values.iter().for_each(|&x| histogram.add(x));
    // Strategies of one entry law draw the same numbers (common random numbers); other laws do not.
    let law = result.strategy.entry_law();
    let sharing: Vec<String> = study
        .strategies
        .iter()
        .filter(|r| r.edge_fit.is_some() && r.strategy != result.strategy && r.strategy.entry_law() == law)
        .map(|r| r.strategy.to_string())
        .collect();
    let draws = match law {
        Some(EntryLaw::Normal) | None => "every Gaussian strategy of this run draws the same standard normals".into(),
        Some(other) => format!("every strategy of this run with {} entries draws the same numbers", other.name()),
    };
    let shared = if sharing.is_empty() {
        String::new()
    } else {
        format!(
            " The scaled λmax does not depend on s2 and {draws} (common random numbers): {} show these same values. \
             One test, not {}.",
            sharing.join(", "),
            sharing.len() + 1
        )
    };
    let subtitle = format!(
        "{}, strategy {}, s2 = {}; one λmax per matrix, centred by μ = (√(m−½) + √(n−½))² and scaled by \
         σ = (√(m−½) + √(n−½))·∛(1/√(m−½) + 1/√(n−½)). Kolmogorov–Smirnov distance to TW₁ {} (p = {}).{shared}",
        shape_note(study),
        result.strategy,
        figure(result.variance),
        sig(fit.statistic, 2),
        sig(fit.p_value, 2),
    );
    let mut panel = Panel::new(
        Axis::linear("scaled λmax = (n·λmax(S)/s2 − μ)/σ (Johnstone; Ma; μ and σ in the subtitle)")
            .with_range(lower, upper),
        Axis::linear("density").from_zero(),
    );
    panel.series.push(Series::new(
        Some(format!("sampled: {} matrices ({bins} bins)", values.len())),
        style::of(&result.strategy),
        Layer::Data,
        Geometry::Bars { lower, width: histogram.bin_width(), heights: histogram.densities() },
    ));
    // The tabulated density (within 1e-12 of the exact one): 200 Fredholm determinants, about
    // 0.3 ms each, were most of the figure's cost.
    let curve =
        (0..200).map(|i| lower + (upper - lower) * i as f64 / 199.0).map(|x| (x, TabulatedTw1.density(x))).collect();
    panel.series.push(Series::new(
        Some("Tracy–Widom TW₁ density (β = 1)".into()),
        Style::theory(),
        Layer::Theory,
        Geometry::Line(curve),
    ));
    Some(Figure::single(format!("Largest eigenvalue vs Tracy–Widom TW₁: {}", result.strategy), subtitle, panel))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calibration::FitOptions;
    use crate::experiment::spectrum::{run, Method, SpectrumConfig};
    use crate::spectrum::SingularValueMethod;
    use crate::trials::ThreadsLayout;
    use crate::{Shape, Strategy};

    pub(crate) fn small_study(m: usize, n: usize, strategies: Vec<Strategy>, seed: u64) -> SpectrumStudy {
        let config = SpectrumConfig {
            shape: Shape::new(m, n).unwrap(),
            strategies,
            trials: 6,
            seed,
            bins: 12,
            singular_values: SingularValueMethod::Gram,
            fit: FitOptions { level: 0.95, bulk_replicates: 0, edge: true },
            method: Method::Dense,
            layout: ThreadsLayout::Trials,
        };
        run(&config).unwrap()
    }

    #[test]
    fn the_spectrum_figure_says_when_eigenvalues_fell_outside_its_range() {
        let mut study = small_study(20, 40, vec![Strategy::He], 1);
        let label =
            |study: &SpectrumStudy| strategy_spectrum(study, &study.strategies[0]).panels[0].series[0].label.clone();
        assert_eq!(label(&study).unwrap(), "sampled eigenvalues, 6 matrices (12 bins)");
        study.strategies[0].histogram.above = 2;
        assert!(label(&study).unwrap().contains("0 below and 2 above the drawn range"), "{:?}", label(&study));
    }

    #[test]
    fn the_atom_is_drawn_when_m_exceeds_n() {
        let study = small_study(40, 10, vec![Strategy::Arithmetic, Strategy::He], 2);
        let figure = strategy_spectrum(&study, &study.strategies[0]);
        let spike = figure.panels[0].series.iter().find_map(|s| match &s.geometry {
            Geometry::Spike { x, label } => Some((*x, label.clone())),
            _ => None,
        });
        let (x, label) = spike.expect("an atom spike");
        assert_eq!((x, label.as_str()), (0.0, "mass 0.75"));
        let legend = figure.panels[0].series.iter().filter_map(|s| s.label.clone()).collect::<Vec<_>>().join("; ");
        assert!(legend.contains("mass 1 − 1/γ = 0.75") && legend.contains("30 zero eigenvalues"), "{legend}");
        // The collapse figure shows it too.
        let all = all_strategies(&study).unwrap();
        assert!(all
            .panels
            .iter()
            .all(|p| p.series.iter().any(|s| matches!(s.geometry, Geometry::Spike { x, .. } if x == 0.0))));
    }

    #[test]
    fn coinciding_gaussian_histograms_are_drawn_once_and_differing_ones_each() {
        let mut study = small_study(12, 30, vec![Strategy::Geometric, Strategy::He, Strategy::Quadratic], 5);
        assert!(iid_histograms_coincide(&study), "common random numbers give the same λ/s2");
        let bars = |study: &SpectrumStudy| {
            let figure = all_strategies(study).unwrap();
            let collapse = figure.panels.last().unwrap().clone();
            let bars = collapse.series.iter().filter(|s| matches!(s.geometry, Geometry::Bars { .. })).count();
            let steps = collapse.series.iter().filter(|s| matches!(s.geometry, Geometry::Steps { .. })).count();
            (bars, steps, figure.subtitle)
        };
        let (b, s, subtitle) = bars(&study);
        assert_eq!((b, s), (1, 0));
        assert!(subtitle.contains("are the same bin for bin"), "{subtitle}");
        study.strategies[1].histogram.counts[3] += 1;
        assert!(!iid_histograms_coincide(&study));
        let (b, s, subtitle) = bars(&study);
        assert_eq!((b, s), (0, 3));
        assert!(subtitle.contains("differ here"), "{subtitle}");
    }

    #[test]
    fn one_strategy_has_no_comparison_figure_and_orthogonal_is_a_spike() {
        assert!(all_strategies(&small_study(10, 20, vec![Strategy::He], 3)).is_none());
        let study = small_study(10, 20, vec![Strategy::Orthogonal { variance: None }, Strategy::He], 3);
        let figure = strategy_spectrum(&study, &study.strategies[0]);
        let series = &figure.panels[0].series;
        assert!(!series.iter().any(|s| matches!(s.geometry, Geometry::Bars { .. })), "no bars for a point mass");
        assert!(series.iter().any(|s| matches!(&s.geometry, Geometry::Spike { .. })
            && s.label.as_ref().is_some_and(|l| l.contains("< 10⁻¹²"))));
    }
}
