//! Text and table agree, section by section: every sentence of a section that states a direction,
//! a size or a verdict is generated from the numbers beside it. Each test renders a section from
//! its computed result at the quick sizes and checks the text against the numbers, then renders
//! it from the same result altered to point the other way and checks that the text says the
//! opposite. The quick experiments are tiny (a few seconds in all, shared between tests).

use super::*;
use crate::experiment::propagation::StrategyPropagation;
use crate::experiment::spectrum::SpectrumStudy;
use crate::strategy::{Ensemble, Strategy};
use std::sync::OnceLock;

fn sizes() -> &'static Sizes {
    ReportSize::Quick.sizes()
}

fn chain() -> &'static PropagationStudy {
    static CHAIN: OnceLock<PropagationStudy> = OnceLock::new();
    CHAIN.get_or_init(|| layers::chain_study(sizes()).unwrap())
}

fn shapes() -> &'static spectra::ShapeStudies {
    static SHAPES: OnceLock<spectra::ShapeStudies> = OnceLock::new();
    SHAPES.get_or_init(|| spectra::shape_studies(sizes()).unwrap())
}

fn sweep() -> &'static spectra::SizeSweep {
    static SWEEP: OnceLock<spectra::SizeSweep> = OnceLock::new();
    SWEEP.get_or_init(|| spectra::size_sweep(sizes()).unwrap())
}

/// Every text of a section a reader can cite: body, claims and truths.
fn text(section: &Section) -> String {
    let claims: Vec<String> = section.claims.iter().map(|c| format!("{} {}", c.text, c.truth)).collect();
    format!("{}\n{}", section.body, claims.join("\n"))
}

/// The table lines of `section` that start with `prefix` (the first cell).
fn rows<'a>(section: &'a Section, prefix: &str) -> Vec<&'a str> {
    section.body.lines().filter(|l| l.starts_with(&format!("| {prefix}"))).collect()
}

fn gaussian(study: &mut SpectrumStudy) -> impl Iterator<Item = &mut crate::experiment::spectrum::StrategySpectrum> {
    study.strategies.iter_mut().filter(|r| matches!(r.strategy.ensemble(), Ensemble::Iid(_)))
}

#[test]
fn means_section_says_what_its_numbers_say() {
    let computed = means::compute().unwrap();
    let s = means::render(&computed);
    assert_eq!(s.claims[0].verdict, Verdict::Holds);
    assert!(s.claims[0].truth.contains("the chain is strict"), "{}", s.claims[0].truth);
    let mut opposite = computed;
    opposite.example = [4.0, 5.0, 7.0];
    opposite.shapes[0].3 = false;
    let s = means::render(&opposite);
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
    assert!(s.claims[0].truth.contains("not strict") && s.body.contains("Computed: 4.00000, 5.00000, 7.00000"));
    assert!(rows(&s, "2 | 8").iter().all(|r| r.contains("**no**")));
}

/// The count of `holds` cells in rows starting with `prefix`.
fn holding_cells(section: &Section, prefix: &str) -> usize {
    rows(section, prefix).iter().map(|r| r.matches("| holds |").count()).sum()
}

#[test]
fn single_layer_counts_are_the_tables_counts() {
    let computed = layers::compute_single_layer(sizes()).unwrap();
    let s = layers::render_single_layer(&computed);
    let wide = holding_cells(&s, "64×256");
    assert!(s.body.contains(&format!("64×256: {wide} of 6 stated values hold")), "{}", s.body);
    assert_eq!(s.claims[0].verdict, Verdict::from_parts(&[wide == 6]));
    // The 64×256 layer made to agree with the stated values: the text follows.
    let mut opposite = computed;
    let stated = ([1.0012, 0.9405, 0.7998], [0.9988, 0.9401, 0.8005]);
    for s in &mut opposite.studies[0].strategies {
        if let Some(i) = Strategy::MEANS.iter().position(|&x| x == s.strategy) {
            s.layers[0].forward.theory = stated.0[i];
            s.layers[0].backward.theory = stated.1[i];
        }
    }
    let s = layers::render_single_layer(&opposite);
    assert_eq!(holding_cells(&s, "64×256"), 6);
    assert!(s.body.contains("64×256: 6 of 6 stated values hold"));
    assert_eq!(s.claims[0].verdict, Verdict::Holds);
}

#[test]
fn chain_counts_and_verdicts_are_the_tables() {
    let s = layers::render_chain(chain());
    let held = s.body.lines().filter(|l| l.starts_with("| ")).map(|l| l.matches("| holds |").count()).sum::<usize>();
    assert!(s.body.contains(&format!("{held} of 12 stated values hold")), "{held}");
    let mut opposite = chain().clone();
    for s in opposite.strategies.iter_mut().filter(|s| s.strategy == Strategy::Arithmetic) {
        for (layer, v) in s.layers.iter_mut().zip([0.94, 0.89, 0.94, 1.0]) {
            layer.forward.theory = v;
        }
    }
    let s = layers::render_chain(&opposite);
    assert_eq!(s.claims[1].verdict, Verdict::Holds, "{}", s.claims[1].truth);
    assert!(s.claims[1].truth.contains("(4 of 4 stated values hold)"));
}

#[test]
fn gains_sentence_follows_the_standard_errors() {
    let computed = layers::compute_gains(sizes()).unwrap();
    let s = layers::render_gains(&computed);
    let within = computed.studies.iter().flat_map(|st| &st.strategies).all(|s| {
        let l = &s.layers[0];
        l.forward.z_score().abs() <= 5.0 && l.backward.z_score().abs() <= 5.0
    });
    assert!(s.body.contains(&format!("closed form: **{}**", verdict::yes_no(within))));
    let mut opposite = computed;
    let l = &mut opposite.studies[0].strategies[0].layers[0].forward;
    l.mean = l.theory + 100.0 * l.stderr.max(1e-3);
    let s = layers::render_gains(&opposite);
    assert!(s.body.contains("closed form: **no**") && s.claims[0].truth.contains("does not lie"));
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
}

#[test]
fn spectral_norm_direction_and_convergence_come_from_the_ratios() {
    let s = spectra::spectral_norms(shapes(), sweep()).unwrap();
    let differences: Vec<f64> = shapes()
        .studies
        .iter()
        .take(2)
        .flat_map(|st| &st.strategies)
        .filter(|r| matches!(r.strategy.ensemble(), Ensemble::Iid(_)))
        .map(|r| r.empirical.spectral_norm.mean / r.predicted.spectral_norm - 1.0)
        .chain(sweep().by_gamma.iter().flat_map(|(_, st)| {
            st.iter().map(|s| {
                let r = &s.strategies[0];
                r.empirical.spectral_norm.mean / r.predicted.spectral_norm - 1.0
            })
        }))
        .collect();
    assert!(text(&s).contains(&format!("lies {} its Bai–Yin value", verdict::side(&differences))));
    // Every Gaussian norm 50% above its limit: "above", and no convergence.
    let (mut shapes, mut sweep) = (shapes().clone(), sweep().clone());
    let studies = shapes.studies.iter_mut().chain(sweep.by_gamma.iter_mut().flat_map(|(_, s)| s.iter_mut()));
    for study in studies {
        for r in gaussian(study) {
            r.empirical.spectral_norm.mean = 1.5 * r.predicted.spectral_norm;
        }
    }
    let s = spectra::spectral_norms(&shapes, &sweep).unwrap();
    assert!(s.body.contains("lies above its Bai–Yin value") && s.body.contains("not at every γ it shrinks"));
    assert!(s.claims[0].truth.contains("tends to 1 from above"));
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
}

#[test]
fn histogram_sentences_follow_the_bulk_tests_and_the_counts() {
    let s = spectra::histograms(shapes()).unwrap();
    let passed =
        shapes().studies.iter().flat_map(|st| &st.strategies).filter_map(|r| r.bulk_fit.as_ref()).all(|b| b.passed);
    assert!(s.body.contains(&format!("consistent with MP at every shape: **{}**", verdict::yes_no(passed))));
    assert!(s.body.contains("checked: the same count in every bin at every shape"), "{}", s.body);
    assert!(s.body.contains("LAPACK `dsyev`"));
    let mut opposite = shapes().clone();
    let last = opposite.studies.last_mut().unwrap();
    let r = gaussian(last).next().unwrap();
    r.bulk_fit.as_mut().unwrap().passed = false;
    r.histogram.counts[0] += 1;
    let s = spectra::histograms(&opposite).unwrap();
    assert!(s.body.contains("consistent with MP at every shape: **no**") && s.body.contains("the counts differ"));
    assert!(rows(&s, "48×12").iter().any(|r| r.contains("**rejected**")));
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
}

#[test]
fn density_mass_sentences_follow_the_integrals_and_the_fits() {
    let computed = density::compute_density_mass(shapes()).unwrap();
    let s = density::render_density_mass(&computed, 3);
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
    assert!(s.body.contains(&density::fitted_factor_phrase(&computed.fits)));
    let mut opposite = computed;
    for i in &mut opposite.integrals {
        i.1 = 1.0;
    }
    for f in &mut opposite.fits {
        f.2 = 1.0;
    }
    let s = density::render_density_mass(&opposite, 3);
    assert_eq!(s.claims[0].verdict, Verdict::Holds);
    assert!(s.claims[0].truth.contains("integrates to 1 at every γ"));
    assert!(s.body.contains("is not closer to 1/γ than to 1 at every γ ≠ 1"));
}

#[test]
fn condition_number_side_is_the_sign_of_the_differences_column() {
    let studies = edges::compute_condition_numbers(sizes()).unwrap();
    let s = edges::render_condition_numbers(&studies, sizes().condition_fan_out, sizes().condition_trials);
    let signs: Vec<f64> = rows(&s, "")
        .iter()
        .filter_map(|r| {
            r.split(" | ")
                .nth(5)
                .filter(|c| c.ends_with('%'))
                .map(|c| c.trim_end_matches('%').replace('−', "-").parse::<f64>().unwrap())
        })
        .collect();
    assert_eq!(signs.len(), studies.len());
    assert!(s.body.contains(&format!("lies {} the Bai–Yin limit", verdict::side(&signs))), "{}", s.body);
    let mut opposite = studies;
    for study in &mut opposite {
        let gamma = study.shape.gamma();
        let limit = (1.0 + gamma.sqrt()) / (1.0 - gamma.sqrt()).abs();
        for r in gaussian(study) {
            r.empirical.condition_number.mean = 1.2 * limit;
        }
    }
    let s = edges::render_condition_numbers(&opposite, sizes().condition_fan_out, sizes().condition_trials);
    assert!(s.body.contains("lies above the Bai–Yin limit, by +20.0% to +20.0%"), "{}", s.body);
}

#[test]
fn slope_verdict_is_the_slope_tables() {
    let s = edges::edge_fluctuations(sweep()).unwrap();
    let within: Vec<bool> = s
        .body
        .lines()
        .filter(|l| l.starts_with("| ") && (l.ends_with("| yes |") || l.ends_with("| no |")))
        .map(|l| l.ends_with("| yes |"))
        .collect();
    assert_eq!(within.len(), spectra::SWEEP_GAMMAS.len());
    let every = if within.iter().all(|&w| w) { "Every slope lies" } else { "Not every slope lies" };
    assert!(s.body.contains(every));
    // Fluctuations 100 times larger at the largest n: the slope leaves the prediction.
    let mut opposite = sweep().clone();
    for (_, studies) in &mut opposite.by_gamma {
        let fit = studies.last_mut().unwrap().strategies[0].edge_fit.as_mut().unwrap();
        fit.scaled.iter_mut().for_each(|v| *v *= 100.0);
    }
    let s = edges::edge_fluctuations(&opposite).unwrap();
    assert!(s.body.contains("Not every slope lies") && s.body.contains("| no |"));
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
}

#[test]
fn slope_standard_error_is_the_weighted_least_squares_one() {
    // Three equally weighted points at x = −1, 0, 1 with se 0.1: Σw(x − x̄)² = 200, SE = 1/√200.
    let (slope, se) = edges::weighted_slope(&[(-1.0, 1.0, 0.1), (0.0, 0.5, 0.1), (1.0, 0.0, 0.1)]);
    assert!((slope + 0.5).abs() < 1e-12 && (se - 200f64.sqrt().recip()).abs() < 1e-12);
    // 100 Gaussian draws: SE(log s) ≈ 1/√(2·99) = 0.0711; TW₁'s kurtosis adds about 4%.
    let se = edges::log_sd_stderr(100);
    assert!(se > 0.0711 && se < 0.0711 * 1.05, "{se}");
}

#[test]
fn depth_sentences_follow_the_spread_table() {
    let computed = depth::compute(sizes()).unwrap();
    let s = depth::render(&computed).unwrap();
    // At the quick depths (one depth ≥ 10) no growth can be fitted: the text must not claim one.
    assert!(s.body.contains("It does not grow with depth") && s.body.contains("grows with depth: **no**"));
    let mut opposite = computed;
    for study in &mut opposite.depth {
        for st in study.strategies.iter_mut().filter(|s| matches!(s.strategy.ensemble(), Ensemble::Iid(_))) {
            let mut mid = st.points.last().unwrap().clone();
            mid.depth = 50;
            mid.log10_spread_qr.mean *= 0.5;
            let last = st.points.len() - 1;
            st.points.insert(last, mid);
        }
    }
    let s = depth::render(&opposite).unwrap();
    assert!(s.body.contains("It grows with depth, exponentially") && s.body.contains("grows with depth: **yes**"));
    assert!(s.claims[0].truth.contains("grows exponentially with depth"));
}

#[test]
fn gradient_sentences_follow_the_gains_table() {
    let gains = gradients::compute_gradient_gains(chain()).unwrap();
    let s = gradients::render_gradient_norms(chain(), &gains);
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold, "the product of norms overstates on the chain");
    assert!(s.claims[0].truth.contains("overstates") && s.body.contains("every strategy: **no**"));
    let mut opposite = gains;
    for g in &mut opposite {
        g.ratio_theory = g.norms_squared;
        g.worst_log_drift = if g.strategy == Strategy::Quadratic { 0.0 } else { 1.0 };
    }
    let s = gradients::render_gradient_norms(chain(), &opposite);
    assert_eq!(s.claims[0].verdict, Verdict::Holds);
    assert!(s.claims[0].truth.contains("stays within a factor 2") && s.body.contains("every strategy: **yes**"));
    assert!(s.body.contains("smallest worst drift factor): **quadratic**"));
    assert_eq!(s.claims[1].verdict, Verdict::DoesNotHold);
}

/// Sets every second moment of `s` to 1 in theory (a perfectly stable strategy).
fn flatten(s: &mut StrategyPropagation) {
    for l in &mut s.layers {
        l.forward.theory = 1.0;
        l.backward.theory = 1.0;
    }
}

#[test]
fn nonlinear_winners_are_the_tables() {
    let studies = gradients::compute_nonlinear(sizes()).unwrap();
    let s = gradients::render_nonlinear(&studies);
    assert!(s.body.contains("relu 0.500 and 0.500"), "ReLU's factor is ½ at every q: {}", s.body);
    let mut opposite = studies;
    for st in opposite[0].strategies.iter_mut().filter(|s| s.strategy == Strategy::LeCun) {
        flatten(st);
    }
    let s = gradients::render_nonlinear(&opposite);
    assert!(s.claims[0].truth.contains("relu: lecun"), "{}", s.claims[0].truth);
}

#[test]
fn conclusions_follow_the_chain() {
    let s = gradients::conclusions(chain()).unwrap();
    assert_eq!(s.claims[1].verdict, Verdict::DoesNotHold, "arithmetic loses 56% on the chain");
    assert!(s.body.contains("holds in both directions"), "{}", s.body);
    let mut opposite = chain().clone();
    for st in &mut opposite.strategies {
        match st.strategy {
            Strategy::Quadratic => flatten(st),
            Strategy::Arithmetic => st.layers.iter_mut().for_each(|l| l.forward.theory = 0.95),
            _ => {}
        }
    }
    let s = gradients::conclusions(&opposite).unwrap();
    assert!(s.body.contains("holds in neither direction"), "{}", s.body);
    assert_eq!(s.claims[1].verdict, Verdict::Holds);
    assert!(
        s.claims[1].truth.contains("decays after every layer, down to 0.950 (a 5.0% loss)"),
        "{}",
        s.claims[1].truth
    );
    assert_eq!(s.claims[2].verdict, Verdict::DoesNotHold);
}

/// The Jacobian-law section's Gaussian cases, to alter.
fn gaussian_cases(
    result: &mut jacobian::JacobianResult,
) -> impl Iterator<Item = &mut crate::experiment::jacobian::depth::CaseDepth> {
    result.sweep.cases.iter_mut().filter(|c| !c.case.orthogonal())
}

#[test]
fn jacobian_law_section_says_what_its_numbers_say() {
    use crate::activation::Activation;
    let computed = jacobian::compute(sizes()).unwrap();
    let s = jacobian::render(&computed);
    let t = text(&s);
    // Square Gaussian layers: Π‖W‖² = 4^L against λ_max ≈ e(L + 1); orthogonal linear: a point mass.
    assert_eq!(s.claims[0].verdict, Verdict::DoesNotHold);
    assert_eq!(s.claims[1].verdict, Verdict::Question);
    assert!(t.contains("for every case and depth: **no**"), "{t}");
    assert!(t.contains("every Gaussian case: **yes**") && s.claims[1].truth.contains("Gaussian: grows"), "{t}");
    assert!(t.contains("(λ_max/m₁ = spread = 1): **yes**"), "{t}");
    assert!(t.contains("Gaussian tanh at every depth L ≥ 2: **yes**"), "{t}");
    assert!(t.contains("Fuss–Catalan edge"), "{t}");
    // The opposite: the product of norms exact, Gaussian spreads shrinking, orthogonal chains spread.
    let mut opposite = computed.clone();
    for c in gaussian_cases(&mut opposite) {
        c.points.iter_mut().for_each(|p| p.largest_over_mean = 1.0 / p.largest_over_mean);
        c.points.iter_mut().for_each(|p| p.quantile_spread = 1.0 / p.quantile_spread);
    }
    for c in opposite.sweep.cases.iter_mut().filter(|c| c.case.orthogonal()) {
        c.points.iter_mut().for_each(|p| p.quantile_spread = 1e300);
    }
    for c in &mut opposite.sweep.cases {
        for p in &mut c.points {
            p.log10_norm_product = p.log10_largest();
        }
    }
    let spreads = |c: &crate::experiment::jacobian::depth::CaseDepth| {
        c.case.orthogonal() && c.case.activation == Activation::Relu
    };
    assert!(opposite.sweep.cases.iter().any(spreads));
    for s in &mut opposite.simulation.strategies {
        s.law.largest_squared_singular_value = 0.0;
    }
    let s = jacobian::render(&opposite);
    let t = text(&s);
    assert_eq!(s.claims[0].verdict, Verdict::Holds);
    assert!(t.contains("for every case and depth: **yes**"), "{t}");
    assert!(t.contains("every Gaussian case: **no**") && s.claims[1].truth.contains("does not always grow"), "{t}");
    assert!(t.contains("(λ_max/m₁ = spread = 1): **no**"), "{t}");
    assert!(t.contains("Gaussian tanh at every depth L ≥ 2: **no**"), "{t}");
    assert!(t.contains("its spread grows with depth: **no**"), "{t}");
    assert!(t.contains("lies above the law's edge"), "{t}");
}

/// Every figure of the report (at the quick sizes: the same figure code, fewer trials) passes
/// the layout checks of [`crate::plot::layout::Layout::problems`]: no text outside the canvas,
/// no overlapping labels, no legend or arrow label over data, axis labels on one line, real
/// sub- and superscripts.
#[test]
fn every_report_figure_lays_out_cleanly() {
    let sections = [
        means::section().unwrap(),
        layers::single_layer(sizes()).unwrap(),
        layers::chain(chain()).unwrap(),
        layers::gains_vs_aspect_ratio(sizes()).unwrap(),
        spectra::spectral_norms(shapes(), sweep()).unwrap(),
        spectra::histograms(shapes()).unwrap(),
        density::density_mass(shapes()).unwrap(),
        edges::condition_numbers(sizes()).unwrap(),
        edges::edge_fluctuations(sweep()).unwrap(),
        depth::section(sizes()).unwrap(),
        gradients::gradient_norms(chain()).unwrap(),
        jacobian::section(sizes()).unwrap(),
        gradients::nonlinear(sizes()).unwrap(),
        gradients::conclusions(chain()).unwrap(),
    ];
    let mut problems = Vec::new();
    for (name, figure) in sections.iter().flat_map(|s| &s.figures) {
        let laid = crate::plot::layout::layout(figure).unwrap();
        problems.extend(laid.problems(figure).into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
