//! Figures of quantities against size or shape, from finished spectrum studies: ‖W‖ relative to
//! Bai–Yin against n, κ(W) against γ, and the fluctuations of λ_max against n.

use super::style;
use crate::experiment::spectrum::SpectrumStudy;
use crate::output::number::{figure, figure_pm, sig};
use crate::plot::style::{Dash, BLACK, PALETTE};
use crate::plot::{Axis, Figure, Geometry, Layer, Marker, Panel, Series, Style};
use crate::strategy::Ensemble;

/// The look of the curve for the k-th aspect ratio of a sweep (γ is not a strategy: it takes
/// the palette's last colours and open markers).
fn gamma_style(k: usize) -> Style {
    let colours = [PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[4]];
    let markers = [Marker::Circle, Marker::Diamond, Marker::Square, Marker::TriangleUp];
    Style::data(colours[k % colours.len()], markers[k % markers.len()])
}

/// One curve of a size sweep at aspect ratio γ: Monte Carlo points and the finite-size theory.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepCurve {
    /// γ = m/n.
    pub gamma: f64,
    /// (n, value, standard error) in increasing n.
    pub points: Vec<(f64, f64, f64)>,
    /// (n, predicted value) of the finite-size theory, in increasing n.
    pub theory: Vec<(f64, f64)>,
}

fn points_with_errors(points: &[(f64, f64, f64)]) -> Geometry {
    Geometry::Points {
        points: points.iter().map(|p| (p.0, p.1)).collect(),
        intervals: Some(points.iter().map(|p| (p.1 - p.2, p.1 + p.2)).collect()),
    }
}

/// ‖W‖/(√s2(√m + √n)) against n, one curve per γ: Monte Carlo mean ± se, the Tracy–Widom
/// finite-size prediction, and the Bai–Yin limit 1 (an upper bound on E‖W‖ for Gaussian W).
pub fn spectral_norm_vs_bai_yin(curves: &[SweepCurve], trials: usize, seed: u64) -> Figure {
    let mut panel = Panel::new(Axis::log("n = fan-out (log scale); m = γn"), Axis::linear("‖W‖ / (√s2 (√m + √n))"));
    for (i, curve) in curves.iter().enumerate() {
        let look = gamma_style(i);
        panel.series.push(Series::new(
            Some(format!("γ = {}: Monte Carlo mean ± se", figure(curve.gamma))),
            look,
            Layer::Data,
            points_with_errors(&curve.points),
        ));
        panel.series.push(Series::new(
            Some(format!("γ = {}: Tracy–Widom prediction √(n·E λmax)", figure(curve.gamma))),
            Style { halo: true, ..look },
            Layer::Theory,
            Geometry::Line(curve.theory.clone()),
        ));
    }
    panel.series.push(Series::new(
        Some("Bai–Yin limit 1 (an upper bound on E‖W‖ at every size)".into()),
        Style::reference(BLACK, Dash::Dashed),
        Layer::Reference,
        Geometry::HLine(1.0),
    ));
    Figure::single(
        "Spectral norm ‖W‖ relative to the Bai–Yin prediction √s2(√m + √n)",
        format!("arithmetic s2 = 2/(m+n) (the ratio does not depend on s2), {trials} matrices per point, seed {seed}"),
        panel,
    )
}

/// Strategies whose κ(W) means are the same at every γ (to 1e−12 relative): drawn as one series.
fn coinciding_groups(studies: &[SpectrumStudy]) -> Vec<Vec<usize>> {
    let k = studies.first().map_or(0, |s| s.strategies.len());
    let same = |a: usize, b: usize| {
        studies.iter().all(|s| {
            let (x, y) =
                (s.strategies[a].empirical.condition_number.mean, s.strategies[b].empirical.condition_number.mean);
            (x - y).abs() <= 1e-12 * x.abs()
        })
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..k {
        match groups.iter_mut().find(|g| same(g[0], i)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

/// κ(W) against γ for every strategy of the studies (one study per γ, fan-out `n`), with the
/// Bai–Yin limit (1+√γ)/|1−√γ| and orthogonal's exact 1. Strategies with identical values
/// (the Gaussian ones, through common random numbers) are one series, named as such.
pub fn condition_number_vs_gamma(studies: &[SpectrumStudy], n: usize, trials: usize, seed: u64) -> Figure {
    let mut panel =
        Panel::new(Axis::log("aspect ratio γ = m/n (log scale)"), Axis::log("κ(W) = σmax/σmin (log scale)"));
    let (lo, hi) =
        studies.iter().fold((f64::INFINITY, 0.0f64), |(a, b), s| (a.min(s.shape.gamma()), b.max(s.shape.gamma())));
    for branch in [(lo / 1.15, 0.97f64), (1.03, hi * 1.15)] {
        if branch.0 >= branch.1 {
            continue;
        }
        let curve: Vec<(f64, f64)> = (0..=300)
            .map(|k| {
                let gamma = branch.0 * (branch.1 / branch.0).powf(k as f64 / 300.0);
                let root = gamma.sqrt();
                (gamma, (1.0 + root) / (1.0 - root).abs())
            })
            .collect();
        let label = (branch.0 < 1.0 || lo >= 1.0).then(|| "Bai–Yin limit (1 + √γ)/|1 − √γ|".to_string());
        panel.series.push(Series::new(label, Style::theory(), Layer::Theory, Geometry::Line(curve)));
    }
    for group in coinciding_groups(studies) {
        let first = &studies[0].strategies[group[0]].strategy;
        let names: Vec<String> = group.iter().map(|&i| studies[0].strategies[i].strategy.to_string()).collect();
        let (look, label) = if group.len() > 1 {
            (style::coinciding(), format!("{}: identical values (common random numbers), mean ± se", names.join(", ")))
        } else {
            (style::of(first), format!("{}, mean ± se", names[0]))
        };
        let points = studies
            .iter()
            .map(|s| {
                let c = &s.strategies[group[0]].empirical.condition_number;
                (s.shape.gamma(), c.mean, c.stderr)
            })
            .collect::<Vec<_>>();
        panel.series.push(Series::new(Some(label), look, Layer::Data, points_with_errors(&points)));
        if first.ensemble() == Ensemble::Orthogonal {
            panel.series.push(Series::new(
                Some("orthogonal: exactly 1".into()),
                Style::reference(BLACK, Dash::Dashed),
                Layer::Reference,
                Geometry::HLine(1.0),
            ));
        }
    }
    Figure::single(
        "Condition number κ(W) = σmax/σmin vs aspect ratio γ = m/n, per strategy",
        format!("n = {n}, m = γn, {trials} matrices per point, seed {seed}; κ(S) = κ(W)²"),
        panel,
    )
}

/// The fluctuations of λ_max along a size sweep at one γ.
#[derive(Debug, Clone, PartialEq)]
pub struct FluctuationCurve {
    /// γ = m/n.
    pub gamma: f64,
    /// The fitted log–log slope of the points and its standard error.
    pub slope: (f64, f64),
    /// The log–log slope of the Tracy–Widom prediction fitted at the points' n.
    pub predicted_slope: f64,
    /// (n, sd(λ_max)/λ₊, standard error of that) in increasing n.
    pub points: Vec<(f64, f64, f64)>,
    /// (n, Tracy–Widom prediction of sd(λ_max)/λ₊) in increasing n.
    pub theory: Vec<(f64, f64)>,
}

/// sd(λ_max)/λ₊ against n, one set of points (± standard error) per γ with its fitted log–log
/// slope, and the Tracy–Widom prediction (Johnstone's scale, slope → −2/3) as a line.
pub fn edge_fluctuations(curves: &[FluctuationCurve], trials: usize, seed: u64) -> Figure {
    let mut panel = Panel::new(Axis::log("n = fan-out (log scale); m = γn"), Axis::log("sd(λmax)/λ+ (log scale)"));
    for (i, c) in curves.iter().enumerate() {
        let look = gamma_style(i);
        panel.series.push(Series::new(
            Some(format!(
                "γ = {}: Monte Carlo ± se (fitted slope {})",
                figure(c.gamma),
                figure_pm(c.slope.0, c.slope.1)
            )),
            look,
            Layer::Data,
            points_with_errors(&c.points),
        ));
        panel.series.push(Series::new(
            Some(format!(
                "γ = {}: Tracy–Widom prediction (slope {} over these n; → −2/3)",
                figure(c.gamma),
                sig(c.predicted_slope, 2)
            )),
            Style { halo: true, ..look },
            Layer::Theory,
            Geometry::Line(c.theory.clone()),
        ));
    }
    Figure::single(
        "Fluctuations of λmax(S) at finite size vs the n⁻²ᐟ³ edge scaling",
        format!(
            "S = W Wᵀ/n, arithmetic s2, m = γn, {trials} matrices per point, seed {seed}; sd: standard deviation of λmax over matrices, relative to λ+ = s2(1 + √γ)²"
        ),
        panel,
    )
}
