//! Figures of deep linear chains: the end-to-end singular-value spread against depth.

use super::style;
use crate::experiment::depth::{DepthPoint, DepthStudy, StrategyDepth, RESOLVABLE_SPREAD};
use crate::plot::style::{Dash, BLACK};
use crate::plot::text::power_of_ten;
use crate::plot::{Axis, Figure, Geometry, Layer, Marker, Panel, Series, Style};
use crate::stats::least_squares_slope;

/// Depths from which the growth rate is fitted.
pub const FIT_FROM_DEPTH: usize = 10;

/// The least-squares line of the discrete-QR log₁₀ κ against depth over L ≥ [`FIT_FROM_DEPTH`]:
/// (slope, intercept).
pub fn growth_fit(points: &[DepthPoint]) -> Option<(f64, f64)> {
    let pts: Vec<(f64, f64)> =
        points.iter().filter(|p| p.depth >= FIT_FROM_DEPTH).map(|p| (p.depth as f64, p.log10_spread_qr.mean)).collect();
    if pts.len() < 2 {
        return None;
    }
    let slope = least_squares_slope(&pts);
    let (mx, my) = pts.iter().fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    let k = pts.len() as f64;
    Some((slope, my / k - slope * mx / k))
}

/// Strategies with the same spreads at every depth (common random numbers) form one group.
fn groups(study: &DepthStudy) -> Vec<Vec<&StrategyDepth>> {
    let same = |a: &StrategyDepth, b: &StrategyDepth| {
        a.points.iter().zip(&b.points).all(|(p, q)| (p.log10_spread_qr.mean - q.log10_spread_qr.mean).abs() <= 1e-9)
    };
    let mut out: Vec<Vec<&StrategyDepth>> = Vec::new();
    for s in &study.strategies {
        match out.iter_mut().find(|g| same(g[0], s)) {
            Some(g) => g.push(s),
            None => out.push(vec![s]),
        }
    }
    out
}

/// log₁₀ κ(J) against depth: per group of strategies, the discrete-QR estimate (open markers)
/// and the direct SVD where it resolves κ (filled markers), both mean ± se over trials, the
/// fitted growth line, and the SVD's resolution limit.
pub fn spread_vs_depth(study: &DepthStudy) -> Figure {
    let mut panel = Panel::new(
        Axis::linear("depth L (number of layers)").from_zero(),
        Axis::linear("log₁₀ κ(J) = log₁₀(σmax/σmin), mean ± se over chains"),
    );
    for group in groups(study) {
        let names: Vec<String> = group.iter().map(|s| s.strategy.to_string()).collect();
        let look = if group.len() > 1 { style::coinciding() } else { style::of(&group[0].strategy) };
        let who = if group.len() > 1 {
            format!("{} (identical: common random numbers)", names.join(", "))
        } else {
            names[0].clone()
        };
        let s = group[0];
        let qr = |p: &DepthPoint| (p.depth as f64, p.log10_spread_qr.mean, p.log10_spread_qr.stderr);
        let qr_points: Vec<_> = s.points.iter().map(qr).collect();
        panel.series.push(Series::new(
            Some(format!("{who}: discrete QR (a lower bound)")),
            Style { marker: Marker::OpenCircle, ..look },
            Layer::Data,
            Geometry::Points {
                points: qr_points.iter().map(|p| (p.0, p.1)).collect(),
                intervals: Some(qr_points.iter().map(|p| (p.1 - p.2, p.1 + p.2)).collect()),
            },
        ));
        let resolved: Vec<&DepthPoint> = s.points.iter().filter(|p| p.unresolved == 0).collect();
        panel.series.push(Series::new(
            Some(format!("{who}: dgesdd on J")),
            look,
            Layer::Data,
            Geometry::Points {
                points: resolved.iter().map(|p| (p.depth as f64, p.log10_spread.mean)).collect(),
                intervals: Some(
                    resolved
                        .iter()
                        .map(|p| {
                            (p.log10_spread.mean - p.log10_spread.stderr, p.log10_spread.mean + p.log10_spread.stderr)
                        })
                        .collect(),
                ),
            },
        ));
        if let Some((slope, intercept)) = growth_fit(&s.points).filter(|f| f.0 > 1e-9) {
            let last = s.points.last().map_or(1.0, |p| p.depth as f64);
            let from = FIT_FROM_DEPTH as f64;
            panel.series.push(Series::new(
                Some(format!(
                    "least-squares fit over L ≥ {FIT_FROM_DEPTH}: {} per layer",
                    crate::output::number::sig(slope, 3)
                )),
                Style { width: 1.2, ..look }.dashed(Dash::Dashed),
                Layer::Theory,
                Geometry::Line(vec![(from, intercept + slope * from), (last, intercept + slope * last)]),
            ));
        }
    }
    panel.series.push(Series::new(
        Some(format!("dgesdd resolves κ ≤ {}", power_of_ten(RESOLVABLE_SPREAD.log10().round() as i64))),
        Style::reference(BLACK, Dash::Dotted),
        Layer::Reference,
        Geometry::HLine(RESOLVABLE_SPREAD.log10()),
    ));
    Figure::single(
        format!("End-to-end singular-value spread vs depth: {}", study.pattern),
        format!(
            "linear chain, J = W₁W₂⋯ the product of the L layers' matrices, widths {} repeated, {} chains per \
             strategy and depth, seed {}",
            study.cycle.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(", "),
            study.trials,
            study.seed
        ),
        panel,
    )
}
