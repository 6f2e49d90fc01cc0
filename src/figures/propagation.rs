//! Figures of variance propagation: the second moment per layer through a chain, and a single
//! layer's gains against its aspect ratio.

use super::style;
use crate::experiment::propagation::{LayerPropagation, Moment, PropagationStudy};
use crate::plot::{Axis, Figure, Geometry, Layer, LegendEntry, Marker, Panel, Series, Style};
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

/// Values stated by the source analysis for a strategy, one per layer, drawn beside the truth.
pub type Stated<'a> = &'a [(Strategy, [f64; 4])];

/// The axes of [`variance_per_layer`]: layers as categories (fan-in → fan-out), log second moment.
fn layer_axes(study: &PropagationStudy, direction: Direction) -> (Axis, Axis) {
    let backward = direction == Direction::Backward;
    let layers = study.widths.len() - 1;
    let ticks = (1..=layers).map(|l| (l as f64, format!("{l}: {}→{}", study.widths[l - 1], study.widths[l]))).collect();
    let x = Axis {
        fixed_ticks: Some(ticks),
        ..Axis::linear(if backward {
            "layer ℓ: fan-in → fan-out (gradient at the layer's input)"
        } else {
            "layer ℓ: fan-in → fan-out (output of the layer)"
        })
        .with_range(0.5, layers as f64 + 0.5)
    };
    let y = Axis::log(if backward {
        "E[(∂loss/∂x)²] at the layer's input (log scale)"
    } else {
        "E[h²] after the layer (log scale)"
    });
    (x, y)
}

/// Layer-by-layer figure: per layer one slot, the strategies side by side in it (x is the layer
/// number, a category), each with its Monte Carlo mean ± standard error as a marker and its theory
/// value as a thin black line drawn under the marker and wider than it, so that both stay visible
/// where they agree; `stated` values of the source analysis as rings around the same place. Log y.
/// The legend lists each strategy, the theory line, the Monte Carlo mark and the stated ring.
pub fn variance_per_layer(study: &PropagationStudy, direction: Direction, title: &str, stated: Stated) -> Figure {
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let k = study.strategies.len().max(1) as f64;
    let slot = 0.8 / k;
    let (x, y) = layer_axes(study, direction);
    let mut panel = Panel::new(x, y);
    let theory_label = if study.activation == crate::activation::Activation::Linear {
        "theory (exact for a linear chain)"
    } else {
        "mean-field theory"
    };
    let mut theory = Vec::new();
    for (i, s) in study.strategies.iter().enumerate() {
        let offset = (i as f64 - (k - 1.0) / 2.0) * slot;
        let at = |l: usize| (l + 1) as f64 + offset;
        let moments: Vec<Moment> = s.layers.iter().map(|l| direction.of(l)).collect();
        panel.series.push(Series::new(
            Some(s.strategy.to_string()),
            style::of(&s.strategy),
            Layer::Data,
            Geometry::Points {
                points: moments.iter().enumerate().map(|(l, m)| (at(l), m.mean)).collect(),
                intervals: Some(moments.iter().map(|m| (m.mean - m.stderr, m.mean + m.stderr)).collect()),
            },
        ));
        theory.extend(
            moments.iter().enumerate().map(|(l, m)| ((at(l) - 0.45 * slot, m.theory), (at(l) + 0.45 * slot, m.theory))),
        );
        if let Some((_, values)) = stated.iter().find(|(strategy, _)| *strategy == s.strategy) {
            panel.series.push(Series::new(
                None,
                Style { marker: Marker::Ring, ..style::of(&s.strategy) },
                Layer::Theory,
                Geometry::Points {
                    points: values.iter().enumerate().map(|(l, v)| (at(l), *v)).collect(),
                    intervals: None,
                },
            ));
        }
    }
    // Under the markers (the reference layer), thin and without a halo: a marker on its theory
    // line shows the line on both sides of it.
    let under = Style { width: 1.5, halo: false, ..Style::theory() };
    panel.series.push(Series::new(Some(theory_label.to_string()), under, Layer::Reference, Geometry::Segments(theory)));
    // The markers are drawn in each strategy's colour; key entries explain the marks.
    panel.key.push(LegendEntry {
        label: "Monte Carlo mean ± standard error".into(),
        style: Style::data(crate::plot::style::GREY, Marker::Circle),
        geometry: Geometry::Points { points: Vec::new(), intervals: Some(Vec::new()) },
    });
    if !stated.is_empty() {
        panel.key.push(LegendEntry {
            label: "value stated by the source analysis".into(),
            style: Style::data(crate::plot::style::GREY, Marker::Ring),
            geometry: Geometry::Points { points: Vec::new(), intervals: None },
        });
    }
    Figure::single(
        title.to_string(),
        format!(
            "widths {}, {} activation, {} trials × batch {}, seed {}; markers: Monte Carlo mean ± standard error, black lines under them: {theory_label}; strategies side by side within each layer",
            widths.join("→"),
            study.activation,
            study.trials,
            study.batch,
            study.seed
        ),
        panel,
    )
}

/// A single layer's gain vs its aspect ratio m/n, per strategy of [`Strategy::ALL_NAMED`]: the
/// closed form as a curve and one single-layer study per aspect ratio as points with standard
/// errors. Orthogonal (at the arithmetic variance) has the arithmetic curve, so only its points
/// are drawn. `subtitle` names the sizes.
pub fn gain_vs_aspect_ratio(studies: &[PropagationStudy], direction: Direction, subtitle: String) -> Figure {
    let backward = direction == Direction::Backward;
    let name = if backward { "Backward gain n·s2" } else { "Forward gain m·s2" };
    let mut panel = Panel::new(
        Axis::log("aspect ratio γ = m/n = fan-in/fan-out (log scale)"),
        Axis::log(format!("{name} (log scale)")),
    );
    for (i, strategy) in Strategy::ALL_NAMED.iter().enumerate() {
        let look = style::of(strategy);
        let orthogonal = matches!(strategy, Strategy::Orthogonal { .. });
        if !orthogonal {
            let curve: Vec<(f64, f64)> = (0..=80)
                .filter_map(|k| {
                    let gamma = 10f64.powf(-1.0 + 2.0 * k as f64 / 80.0);
                    // Gains depend only on γ: evaluate at m = γ·N, n = N with N large.
                    let big = 1_000_000.0;
                    let (mm, nn) = ((gamma * big).round() as usize, big as usize);
                    let s2 = Shape::new(mm, nn).map(|shape| strategy.variance_for(shape)).ok()?;
                    Some((mm as f64 / nn as f64, if backward { nn as f64 * s2 } else { mm as f64 * s2 }))
                })
                .collect();
            panel.series.push(Series::new(None, look, Layer::Theory, Geometry::Line(curve)));
        }
        let (mut points, mut intervals) = (Vec::new(), Vec::new());
        for study in studies {
            let l = &study.strategies[i].layers[0];
            let m = direction.of(l);
            points.push((l.fan_in as f64 / l.fan_out as f64, m.mean));
            intervals.push((m.mean - m.stderr, m.mean + m.stderr));
        }
        let label = if orthogonal { format!("{strategy} (its curve is arithmetic's)") } else { strategy.to_string() };
        panel.series.push(Series::new(
            Some(label),
            look,
            Layer::Data,
            Geometry::Points { points, intervals: Some(intervals) },
        ));
    }
    Figure::single(format!("{name} of one layer vs aspect ratio m/n, per strategy"), subtitle, panel)
}
