//! Figures of quantities against size or shape, from finished spectrum studies: ‖W‖ relative to
//! Bai–Yin against n, κ(W) against γ, and the fluctuations of λ_max against n.

use crate::experiment::spectrum::SpectrumStudy;
use crate::output::number::sig;
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series, PALETTE};
use crate::strategy::Strategy;

/// One curve of a size sweep at aspect ratio γ: points (n, y, standard error of y).
#[derive(Debug, Clone, PartialEq)]
pub struct SweepCurve {
    /// γ = m/n.
    pub gamma: f64,
    /// (n, value, standard error) in increasing n.
    pub points: Vec<(f64, f64, f64)>,
}

/// ‖W‖/(√s2(√m + √n)) against n, one curve per γ, with the Bai–Yin limit 1.
pub fn spectral_norm_vs_bai_yin(curves: &[SweepCurve], trials: usize, seed: u64) -> Figure {
    let mut figure = Figure::new(
        "Spectral norm ‖W‖ relative to the Bai–Yin prediction √s2(√m + √n)",
        format!(
            "arithmetic s2 = 2/(m+n) (the ratio is scale-free), m = γn, {trials} trials per point, seed {seed}; points: mean ± se"
        ),
        "n = fan-out (log scale)",
        "‖W‖ / (√s2 (√m + √n))",
    );
    figure.x_scale = Scale::Log10;
    for (i, curve) in curves.iter().enumerate() {
        let points = &curve.points;
        figure.series.push(Series {
            label: Some(format!("γ = m/n = {}", sig(curve.gamma, 2))),
            colour: series_colour(i),
            mark: Mark::Points { errors: Some(points.iter().map(|p| p.2).collect()) },
            points: points.iter().map(|p| (p.0, p.1)).collect(),
        });
        figure.series.push(Series {
            label: None,
            colour: series_colour(i),
            mark: Mark::Dashed,
            points: points.iter().map(|p| (p.0, p.1)).collect(),
        });
    }
    let xs: Vec<f64> = curves[0].points.iter().map(|p| p.0).collect();
    figure.series.push(Series {
        label: Some("Bai–Yin limit (ratio 1)".into()),
        colour: PALETTE[0],
        mark: Mark::Line,
        points: vec![(xs[0], 1.0), (xs[xs.len() - 1], 1.0)],
    });
    figure.legend = LegendPosition::LowerRight;
    figure
}

/// κ(W) against γ for every strategy of [`Strategy::ALL_NAMED`] (one study per γ, fan-out `n`),
/// with the Bai–Yin limit (1+√γ)/|1−√γ| and orthogonal's exact 1.
pub fn condition_number_vs_gamma(studies: &[SpectrumStudy], n: usize, trials: usize, seed: u64) -> Figure {
    let mut figure = Figure::new(
        "Condition number κ(W) = σmax/σmin vs aspect ratio γ = m/n, per strategy",
        format!(
            "n = {n}, m = γn, {trials} trials per point, seed {seed}; line: Bai–Yin (1+√γ)/|1−√γ|; points offset ±6% in γ for legibility (Gaussian ones coincide)"
        ),
        "aspect ratio γ = m/n (log scale)",
        "κ(W) = σmax/σmin (log scale); κ(S) = κ(W)²",
    );
    figure.x_scale = Scale::Log10;
    figure.y_scale = Scale::Log10;
    for branch in [(0.08f64, 0.8f64), (1.25, 12.5)] {
        let curve: Vec<(f64, f64)> = (0..=100)
            .map(|k| {
                let gamma = branch.0 * (branch.1 / branch.0).powf(k as f64 / 100.0);
                let root = gamma.sqrt();
                (gamma, (1.0 + root) / (1.0 - root).abs())
            })
            .collect();
        figure.series.push(Series {
            label: (branch.0 < 1.0).then(|| "Bai–Yin limit, every Gaussian strategy".to_string()),
            colour: PALETTE[0],
            mark: Mark::Line,
            points: curve,
        });
    }
    figure.series.push(Series {
        label: Some("orthogonal: exactly 1".into()),
        colour: PALETTE[0],
        mark: Mark::Dashed,
        points: vec![(0.08, 1.0), (12.5, 1.0)],
    });
    for (i, strategy) in Strategy::ALL_NAMED.iter().enumerate() {
        let offset = 1.0 + 0.06 * (i as f64 - 2.5) / 2.5;
        let mut points = Vec::new();
        let mut errors = Vec::new();
        for study in studies {
            let r = &study.strategies[i];
            points.push((study.shape.gamma() * offset, r.empirical.condition_number.mean));
            errors.push(r.empirical.condition_number.stderr);
        }
        figure.series.push(Series {
            label: Some(strategy.to_string()),
            colour: series_colour(i),
            mark: Mark::Points { errors: Some(errors) },
            points,
        });
    }
    figure.legend = LegendPosition::UpperLeft;
    figure
}

/// The fluctuations of λ_max along a size sweep at one γ.
#[derive(Debug, Clone, PartialEq)]
pub struct FluctuationCurve {
    /// γ = m/n.
    pub gamma: f64,
    /// The fitted log–log slope of the points.
    pub slope: f64,
    /// (n, sd(λ_max)/λ₊) in increasing n.
    pub points: Vec<(f64, f64)>,
}

/// sd(λ_max)/λ₊ against n, one set of points per γ with its fitted log–log slope, and a dashed
/// line of slope −2/3 from the first point of each.
pub fn edge_fluctuations(curves: &[FluctuationCurve], trials: usize, seed: u64) -> Figure {
    let mut figure = Figure::new(
        "Fluctuations of λmax(S) at finite size vs the n^(−2/3) edge scaling",
        format!(
            "S = W Wᵀ/n, arithmetic s2, m = γn, {trials} trials per point, seed {seed}; points: standard deviation of λmax/λ+ over trials; dashed: slope −2/3"
        ),
        "n = fan-out (log scale)",
        "sd(λmax)/λ+ (log scale)",
    );
    figure.x_scale = Scale::Log10;
    figure.y_scale = Scale::Log10;
    for (i, FluctuationCurve { gamma, slope, points }) in curves.iter().enumerate() {
        let colour = series_colour(i);
        let anchor = points[0];
        figure.series.push(Series {
            label: Some(format!("γ = {} (fitted slope {})", sig(*gamma, 2), sig(*slope, 3))),
            colour,
            mark: Mark::Points { errors: None },
            points: points.clone(),
        });
        let last = points[points.len() - 1].0;
        figure.series.push(Series {
            label: None,
            colour,
            mark: Mark::Dashed,
            points: vec![anchor, (last, anchor.1 * (last / anchor.0).powf(-2.0 / 3.0))],
        });
    }
    figure.legend = LegendPosition::UpperRight;
    figure
}
