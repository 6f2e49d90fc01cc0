//! The figures rmspec draws, built from finished results as [`Figure`](crate::plot::Figure)
//! models (series, labels, legend, ranges) and drawn by [`crate::plot`]. Builders are grouped by
//! what they draw; none samples, calls LAPACK or writes a file.
//!
//! | module | figures |
//! |---|---|
//! | [`spectrum`] | a strategy's eigenvalue histogram vs Marchenko–Pastur, all strategies overlaid, scaled λ_max vs Tracy–Widom (`rmspec spectrum`; the report's MP histograms) |
//! | [`propagation`] | second moments per layer through a chain; gains vs aspect ratio |
//! | [`sweeps`] | quantities against size or shape: ‖W‖ vs Bai–Yin, κ vs γ, edge fluctuations vs n |
//! | [`depth`] | end-to-end singular-value spread vs depth |
//! | [`weights`] | a checkpoint layer's eigenvalue histogram vs the fitted Marchenko–Pastur law and its Tracy–Widom edge; λ_max over the edge for every layer (`rmspec weights`) |
//! | [`jacobian`] | the Jacobian law of a deep network over the histogram of sampled networks (`rmspec jacobian --simulate`) |
//!
//! Every figure carries its parameters in its subtitle (m, n, γ, strategy, s2, trials, seed) and
//! names the normalisation on its axis, so it can be read without the text around it.

pub mod depth;
pub mod jacobian;
pub mod propagation;
pub mod spectrum;
pub mod sweeps;
#[cfg(feature = "weights")]
pub mod weights;

pub mod style;

pub use spectrum::{all_strategies, density_curve, edge_fit, strategy_spectrum};

#[cfg(test)]
mod tests {
    //! Layout checks on the figure models, before drawing: every text inside the canvas, no two
    //! labels overlapping, no legend over data, no arrow label over data, axis labels on one line,
    //! sub- and superscripts set as such (no `q_l`, `n^2`), no arrow head cut by an axis; and a
    //! strategy's look fixed across runs.

    use super::spectrum::tests::small_study;
    use super::*;
    use crate::experiment::propagation::{run as run_chain, PropagationConfig};
    use crate::plot::layout::layout;
    use crate::plot::{Figure, Geometry};
    use crate::strategy::Strategy;

    fn assert_clean(figure: &Figure) {
        let problems = layout(figure).unwrap().problems(figure);
        assert!(problems.is_empty(), "{}: {problems:#?}", figure.title);
    }

    #[test]
    fn the_label_checks_fail_on_a_label_over_bars_and_an_arrow_on_the_axis() {
        use crate::plot::{Axis, Layer, Panel, Series};
        let study = small_study(40, 12, vec![Strategy::Arithmetic, Strategy::He], 4);
        let figure = strategy_spectrum(&study, &study.strategies[0]);
        let mut laid = layout(&figure).unwrap();
        assert!(laid.labels_over_data(&figure).is_empty());
        // Moved down into the middle of the bars, the atom's label covers data.
        let plot = laid.panels[0].plot;
        for (_, items) in &mut laid.panels[0].spike_labels {
            for t in items.iter_mut() {
                t.x = plot.x + 0.3 * plot.w;
                t.y = plot.bottom() - 5.0;
            }
        }
        assert_eq!(laid.labels_over_data(&figure), ["mass 0.7"]);
        // An arrow at the left end of a fixed range is cut in half by the axis.
        let mut panel = Panel::new(Axis::linear("x").with_range(0.0, 1.0), Axis::linear("y").with_range(0.0, 1.0));
        let spike = Geometry::Spike { x: 0.0, label: "mass 1".into() };
        panel.series.push(Series::new(None, crate::plot::Style::theory(), Layer::Data, spike));
        let clipped = Figure::single("t", "s", panel);
        assert_eq!(layout(&clipped).unwrap().arrows_clipped(&clipped), [(0, "mass 1".to_string())]);
        // A y label longer than the plot is tall wraps; `q_l` is ASCII notation, `q_{l}` is not.
        let long = "a y label that runs on and on ".repeat(8);
        let panel = Panel::new(Axis::linear("q_{ℓ} and q_l").with_range(0.0, 1.0), Axis::linear(long.trim()));
        let wrapped = Figure::single("t", "s", panel);
        let laid = layout(&wrapped).unwrap();
        assert_eq!(laid.wrapped_axis_labels(&wrapped), [long.trim().to_string()]);
        assert_eq!(laid.ascii_scripts(), ["q_{ℓ} and q_l"]);
        assert_eq!(laid.problems(&wrapped).len(), 2);
    }

    #[test]
    fn stated_values_have_a_key_entry_and_no_empty_series() {
        let study = run_chain(&PropagationConfig {
            widths: vec![8, 16, 8],
            strategies: vec![Strategy::Arithmetic],
            activation: crate::activation::Activation::Linear,
            trials: 2,
            batch: 2,
            seed: 1,
        })
        .unwrap();
        let stated = [(Strategy::Arithmetic, [0.94, 0.89, 0.94, 1.0])];
        let figure = propagation::variance_per_layer(&study, propagation::Direction::Forward, "t", &stated);
        let panel = &figure.panels[0];
        assert!(panel
            .series
            .iter()
            .all(|s| !matches!(&s.geometry, Geometry::Points { points, .. } if points.is_empty())));
        assert_eq!(panel.key.len(), 2);
        let legend = layout(&figure).unwrap().panels[0].legend.clone().unwrap();
        assert!(legend.entries.iter().any(|e| e.2[0].text == "value stated by the source analysis"));
    }

    /// Issue 12: the chain figures' theory bars, drawn above the markers and as wide as them, hid
    /// the Monte Carlo points. The theory lines are now under the markers (reference layer) and
    /// wider than a marker (at most 10.8 px, `plot::svg::marker`) by at least 4 px on each side.
    #[test]
    fn chain_theory_lines_lie_under_the_markers_and_stick_out_on_both_sides() {
        let study = run_chain(&PropagationConfig {
            widths: vec![64, 128, 256, 128, 64],
            strategies: Strategy::ALL_NAMED.to_vec(),
            activation: crate::activation::Activation::Linear,
            trials: 2,
            batch: 2,
            seed: 1,
        })
        .unwrap();
        let figure = propagation::variance_per_layer(&study, propagation::Direction::Forward, "t", &[]);
        let laid = layout(&figure).unwrap();
        let theory: Vec<_> =
            figure.panels[0].series.iter().filter(|s| matches!(s.geometry, Geometry::Segments(_))).collect();
        assert_eq!(theory.len(), 1);
        assert!(theory[0].layer < crate::plot::Layer::Data && theory[0].label.is_some());
        let Geometry::Segments(segments) = &theory[0].geometry else { unreachable!() };
        assert_eq!(segments.len(), 4 * Strategy::ALL_NAMED.len());
        for (a, b) in segments {
            let x = &laid.panels[0].x;
            assert!(x.px(b.0).unwrap() - x.px(a.0).unwrap() >= 10.8 + 8.0);
        }
        let legend = laid.panels[0].legend.clone().unwrap();
        let labels: Vec<&str> = legend.entries.iter().map(|e| e.2[0].text.as_str()).collect();
        assert!(labels.contains(&"theory (exact for a linear chain)"));
        assert!(labels.contains(&"Monte Carlo mean ± standard error"));
    }

    #[test]
    fn spectrum_figures_lay_out_cleanly_for_wide_and_tall_matrices() {
        for (m, n) in [(12, 40), (40, 12), (20, 20)] {
            let study = small_study(m, n, Strategy::ALL_NAMED.to_vec(), 5);
            for r in &study.strategies {
                assert_clean(&strategy_spectrum(&study, r));
                if let Some(f) = edge_fit(&study, r) {
                    assert_clean(&f);
                }
            }
            assert_clean(&all_strategies(&study).unwrap());
        }
    }

    #[test]
    fn propagation_figures_lay_out_cleanly() {
        let study = run_chain(&PropagationConfig {
            widths: vec![8, 16, 32, 16, 8],
            strategies: Strategy::ALL_NAMED.to_vec(),
            activation: crate::activation::Activation::Linear,
            trials: 4,
            batch: 4,
            seed: 1,
        })
        .unwrap();
        let stated = [(Strategy::Arithmetic, [0.94, 0.89, 0.94, 1.0])];
        for direction in [propagation::Direction::Forward, propagation::Direction::Backward] {
            assert_clean(&propagation::variance_per_layer(&study, direction, "title", &stated));
        }
    }

    /// A two-layer analysis without files: a random 40×90 layer and a 90×40 one with a planted
    /// rank-one spike (m > n: the atom at 0).
    #[cfg(feature = "weights")]
    fn small_analysis() -> crate::weights::ModelAnalysis {
        use crate::initializer::EntryLaw;
        use crate::weights::analysis::{analyse, Tests};
        use crate::weights::layout::{LayerKind, Layout};
        use crate::weights::null::FitNull;
        use crate::weights::singular::SvdRoute;
        use crate::weights::source::FloatType;
        let tests = Tests { false_alarm: 0.1, init: None };
        let layers: Vec<crate::weights::Layer> = [(40, 90, 0.0), (90, 40, 3.0)]
            .into_iter()
            .map(|(m, n, spike)| {
                let shape = crate::Shape::new(m, n).unwrap();
                let rng = &mut crate::sample::trial_rng(5, m as u64);
                let mut w = crate::sample::sample(Strategy::LeCun, m, n, rng).unwrap();
                w[(0, 0)] += spike;
                let singular = crate::linalg::singular_values(&mut w.as_slice().to_vec(), m, n).unwrap();
                let null = FitNull::simulate(shape, EntryLaw::Normal, 39, 1).unwrap();
                let stats = analyse(&singular, shape, FloatType::F64, &null, &tests, None).unwrap();
                crate::weights::Layer {
                    name: format!("layer{m}.weight"),
                    shape: vec![n, m],
                    dtype: "F64".into(),
                    kind: LayerKind::Dense,
                    fan_in: m,
                    fan_out: n,
                    svd: SvdRoute::Direct,
                    stats,
                }
            })
            .collect();
        let mut verdicts = std::collections::BTreeMap::new();
        for l in &layers {
            *verdicts.entry(l.stats.verdict.name()).or_insert(0) += 1;
        }
        crate::weights::ModelAnalysis {
            files: Vec::new(),
            layout: Layout::Torch,
            layout_reason: "given".into(),
            init: None,
            false_alarm: 0.1,
            tests_per_layer: tests.count(),
            replicates: 39,
            seed: 1,
            layers,
            skipped: Vec::new(),
            verdicts,
        }
    }

    #[test]
    #[cfg(feature = "weights")]
    fn weights_figures_lay_out_cleanly() {
        let analysis = small_analysis();
        assert!(analysis.layers[1].stats.outlier_count > 0, "the planted spike is an outlier");
        for layer in &analysis.layers {
            assert_clean(&weights::layer(&analysis, layer).unwrap());
        }
        assert_clean(&weights::summary(&analysis));
    }

    #[test]
    fn spectrum_figures_of_framework_initialisers_lay_out_cleanly_and_name_their_laws() {
        let strategies = ["torch-default", "glorot-uniform", "he", "torch-orthogonal:2"].map(|s| s.parse().unwrap());
        let study = small_study(16, 24, strategies.to_vec(), 3);
        for r in &study.strategies {
            assert_clean(&strategy_spectrum(&study, r));
            if let Some(f) = edge_fit(&study, r) {
                assert_clean(&f);
            }
        }
        let all = all_strategies(&study).unwrap();
        assert_clean(&all);
        assert!(all.subtitle.contains("strategies of one entry law share"), "{}", all.subtitle);
        // torch-default's edge figure names glorot-uniform (same uniform draws), not he.
        let edge = edge_fit(&study, &study.strategies[0]).unwrap();
        assert!(
            edge.subtitle.contains("uniform entries") && edge.subtitle.contains("glorot-uniform"),
            "{}",
            edge.subtitle
        );
        assert!(!edge.subtitle.contains(": he"), "{}", edge.subtitle);
    }

    #[test]
    fn framework_initialisers_look_like_the_strategy_with_their_variance_rule() {
        let look = |name: &str| style::of(&name.parse().unwrap());
        assert_eq!(look("glorot-uniform"), style::of(&Strategy::Arithmetic));
        assert_eq!(look("kaiming-normal:fan_out:relu"), style::of(&Strategy::He));
        assert_eq!(look("he-normal"), style::of(&Strategy::He));
        assert_eq!(look("lecun-normal"), style::of(&Strategy::LeCun));
        assert_eq!(look("torch-orthogonal:2"), style::of(&Strategy::Orthogonal { variance: None }));
        assert_eq!(look("uniform:0.5"), style::of(&Strategy::Variance { variance: 0.5 }));
    }

    #[test]
    fn jacobian_figures_lay_out_cleanly_with_and_without_atoms() {
        use crate::experiment::jacobian::{run, JacobianConfig, SimulationConfig};
        for (widths, activation) in [
            (vec![20, 40, 20], crate::activation::Activation::Tanh),
            (vec![30, 30, 30], crate::activation::Activation::Relu),
        ] {
            let study = run(&JacobianConfig {
                widths,
                strategies: vec![Strategy::LeCun, Strategy::Orthogonal { variance: None }],
                activation,
                bias_variance: 0.0,
                mean_field: crate::law::jacobian::MeanField::Trajectory,
                points: 50,
                simulation: Some(SimulationConfig { trials: 3, seed: 1 }),
            })
            .unwrap();
            for result in &study.strategies {
                assert_clean(&jacobian::density_vs_simulation(&study, result).unwrap());
            }
        }
    }

    /// The colour of the histogram bars `strategy` gets in the comparison figure of a run.
    fn bar_colour(study: &crate::experiment::spectrum::SpectrumStudy, strategy: Strategy) -> crate::plot::Colour {
        let figure = all_strategies(study).unwrap();
        let i = study.strategies.iter().position(|r| r.strategy == strategy).unwrap();
        figure.panels[i].series.iter().find(|s| matches!(s.geometry, Geometry::Bars { .. })).unwrap().style.colour
    }

    #[test]
    fn a_strategy_keeps_its_colour_across_runs() {
        let a = small_study(10, 20, vec![Strategy::He, Strategy::Geometric], 1);
        let b = small_study(12, 30, vec![Strategy::LeCun, Strategy::Geometric, Strategy::He, Strategy::Quadratic], 2);
        for s in [Strategy::He, Strategy::Geometric] {
            assert_eq!(bar_colour(&a, s), bar_colour(&b, s), "{s}");
        }
        assert_ne!(bar_colour(&b, Strategy::He), bar_colour(&b, Strategy::Geometric));
    }
}
