//! Figures of variance propagation: the second moment per layer through a chain, and a single
//! layer's gains against its aspect ratio.

use crate::experiment::propagation::{LayerPropagation, Moment, PropagationStudy};
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series};
use crate::shape::Shape;
use crate::strategy::Strategy;

/// Forward or backward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Second moment of a layer's output; gain m·s2.
    Forward,
    /// Second moment of the gradient at a layer's input; gain n·s2.
    Backward,
}

impl Direction {
    /// The layer's moment in this direction.
    pub fn of(self, layer: &LayerPropagation) -> Moment {
        match self {
            Direction::Forward => layer.forward,
            Direction::Backward => layer.backward,
        }
    }

    /// `forward` or `backward`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

/// Layer-by-layer figure: theory lines and Monte Carlo points with error bars, log y.
pub fn variance_per_layer(study: &PropagationStudy, direction: Direction, title: &str) -> Figure {
    let backward = direction == Direction::Backward;
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let mut figure = Figure::new(
        title.to_string(),
        format!(
            "widths {}, {} activation, {} trials × batch {}, seed {}; lines: theory, points: Monte Carlo mean ± se",
            widths.join("→"),
            study.activation,
            study.trials,
            study.batch,
            study.seed
        ),
        if backward { "layer ℓ (gradient at the layer's input)" } else { "layer ℓ (output of the layer)" },
        if backward {
            "E[(∂loss/∂x)²] at the layer's input (log scale)"
        } else {
            "E[h²] after the layer (log scale)"
        },
    );
    figure.y_scale = Scale::Log10;
    for (i, s) in study.strategies.iter().enumerate() {
        let colour = series_colour(i);
        let theory: Vec<(f64, f64)> =
            s.layers.iter().enumerate().map(|(k, l)| ((k + 1) as f64, direction.of(l).theory)).collect();
        let mark = if s.strategy == (Strategy::Orthogonal { variance: None }) { Mark::Dashed } else { Mark::Line };
        figure.series.push(Series {
            label: Some(format!("{} ({} theory)", s.strategy, direction.name())),
            colour,
            mark,
            points: theory,
        });
        figure.series.push(Series {
            label: None,
            colour,
            mark: Mark::Points { errors: Some(s.layers.iter().map(|l| direction.of(l).stderr).collect()) },
            points: s.layers.iter().enumerate().map(|(k, l)| ((k + 1) as f64, direction.of(l).mean)).collect(),
        });
    }
    figure.x_range = Some((0.7, study.widths.len() as f64 - 1.0 + 0.3));
    // Headroom above the data for the legend (log axis: a factor, not an offset).
    let values = study.strategies.iter().flat_map(|s| s.layers.iter().map(move |l| direction.of(l)));
    let (lo, hi) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), m| {
        (lo.min(m.mean - m.stderr).min(m.theory), hi.max(m.mean + m.stderr).max(m.theory))
    });
    figure.y_range = Some((lo / 1.4, hi * 30.0));
    figure.legend = LegendPosition::UpperLeft;
    figure
}

/// A single layer's gain vs its aspect ratio m/n, per strategy of [`Strategy::ALL_NAMED`]: the
/// closed form as a curve and one single-layer study per aspect ratio as points. `subtitle`
/// names the sizes.
pub fn gain_vs_aspect_ratio(studies: &[PropagationStudy], direction: Direction, subtitle: String) -> Figure {
    let backward = direction == Direction::Backward;
    let name = if backward { "Backward gain n·s2" } else { "Forward gain m·s2" };
    let mut f = Figure::new(
        format!("{name} of one layer vs aspect ratio m/n, per strategy"),
        subtitle,
        "aspect ratio m/n = fan-in / fan-out (log scale)",
        format!("{name} (log scale)"),
    );
    f.x_scale = Scale::Log10;
    f.y_scale = Scale::Log10;
    for (i, strategy) in Strategy::ALL_NAMED.iter().enumerate() {
        let colour = series_colour(i);
        let curve: Vec<(f64, f64)> = (0..=40)
            .map(|k| {
                let gamma = 10f64.powf(-1.0 + 2.0 * k as f64 / 40.0);
                // Gains depend only on γ: evaluate at m = γ·N, n = N with N large.
                let big = 1_000_000.0;
                let (mm, nn) = ((gamma * big).round() as usize, big as usize);
                let s2 = Shape::new(mm, nn).map(|shape| strategy.variance_for(shape)).unwrap_or(f64::NAN);
                (mm as f64 / nn as f64, if backward { nn as f64 * s2 } else { mm as f64 * s2 })
            })
            .collect();
        let mark = if matches!(strategy, Strategy::Orthogonal { .. }) { Mark::Dashed } else { Mark::Line };
        f.series.push(Series { label: Some(strategy.to_string()), colour, mark, points: curve });
        let mut points = Vec::new();
        let mut errors = Vec::new();
        for study in studies {
            let l = &study.strategies[i].layers[0];
            let moment = direction.of(l);
            points.push((l.fan_in as f64 / l.fan_out as f64, moment.mean));
            errors.push(moment.stderr);
        }
        f.series.push(Series { label: None, colour, mark: Mark::Points { errors: Some(errors) }, points });
    }
    f.legend = if backward { LegendPosition::UpperRight } else { LegendPosition::UpperLeft };
    f
}
