//! Figures of deep linear chains: the end-to-end singular-value spread against depth.

use crate::experiment::depth::{DepthPoint, DepthStudy, RESOLVABLE_SPREAD};
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series, PALETTE};

/// log₁₀ κ(J) against depth per strategy: the discrete-QR estimate as lines, the direct SVD
/// (where resolved) as points, and the resolution limit. The five Gaussian strategies coincide
/// (common random numbers) and share one legend entry.
pub fn spread_vs_depth(study: &DepthStudy) -> Figure {
    let mut figure = Figure::new(
        format!("End-to-end singular-value spread vs depth: {}", study.pattern),
        format!(
            "linear J = W₁⋯W_L, widths {:?} repeated, {} trials, seed {}; lines: discrete-QR estimate; points: dgesdd on J (≤ 10^12)",
            study.cycle, study.trials, study.seed
        ),
        "depth L (number of layers)",
        "log₁₀ κ(J) = log₁₀ σmax/σmin (mean ± se)",
    );
    for (i, s) in study.strategies.iter().enumerate() {
        let resolved: Vec<&DepthPoint> = s.points.iter().filter(|p| p.unresolved == 0).collect();
        let colour = series_colour(i);
        let mark = if i > 0 && i < 5 { Mark::Dashed } else { Mark::Line };
        let label = if i == 0 {
            "geometric = arithmetic = quadratic = he = lecun".to_string()
        } else if i < 5 {
            String::new()
        } else {
            s.strategy.to_string()
        };
        figure.series.push(Series {
            label: (!label.is_empty()).then_some(label),
            colour,
            mark,
            points: s.points.iter().map(|p| (p.depth as f64, p.log10_spread_qr.mean)).collect(),
        });
        figure.series.push(Series {
            label: None,
            colour,
            mark: Mark::Points { errors: Some(resolved.iter().map(|p| p.log10_spread.stderr).collect()) },
            points: resolved.iter().map(|p| (p.depth as f64, p.log10_spread.mean)).collect(),
        });
    }
    let last = study.strategies[0].points.last().map(|p| p.depth as f64).unwrap_or(1.0);
    figure.series.push(Series {
        label: Some("dgesdd resolution limit (10^12)".into()),
        colour: PALETTE[0],
        mark: Mark::Dashed,
        points: vec![(1.0, RESOLVABLE_SPREAD.log10()), (last, RESOLVABLE_SPREAD.log10())],
    });
    figure.x_scale = Scale::Linear;
    figure.legend = LegendPosition::UpperLeft;
    figure
}
