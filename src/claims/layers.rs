//! Claims about variance through single layers and the 64→128→256→128→64 chain, and the gains
//! as a function of aspect ratio. Each section: `compute_*` runs the experiments, `render_*`
//! writes the markdown and builds the figures.

use super::verdict::{cell, stated_value_holds, yes_no};
use super::{figure_link, linear_chain_study, table, Claim, Section, Sizes, Verdict, SEED};
use crate::error::Result;
use crate::experiment::propagation::PropagationStudy;
use crate::figures::propagation::{gain_vs_aspect_ratio, variance_per_layer, Direction};
use crate::output::number::{pm_sig, sig};
use crate::strategy::Strategy;

/// The chain of the source analysis.
pub const CHAIN: [usize; 5] = [64, 128, 256, 128, 64];

/// Runs the linear chain once (shared by several sections).
///
/// # Errors
/// A failing experiment.
pub fn chain_study(sizes: &Sizes) -> Result<PropagationStudy> {
    linear_chain_study(CHAIN.to_vec(), sizes.chain)
}

/// The Monte Carlo sentence of a chain study.
pub(super) fn mc_note(study: &PropagationStudy) -> String {
    format!(
        "Monte Carlo: {} trials (fresh weights each), batch of {} inputs x ~ N(0, I) and output gradients \
         g ~ N(0, I) per trial, seed {}; forward = {}; backward = {}.",
        study.trials, study.batch, study.seed, study.forward_measures, study.backward_measures
    )
}

/// A claim about one layer: its shape, the stated forward and backward second moments of the
/// three means (in the order of [`Strategy::MEANS`]) and the decimals they were stated to.
struct LayerClaim {
    shape: (usize, usize),
    forward: [f64; 3],
    backward: [f64; 3],
    decimals: u32,
}

// source: the source analysis, numerical claim 2 (geometric, arithmetic, quadratic), quoted in
// the report's section 2.
const SINGLE_LAYER_CLAIMS: [LayerClaim; 2] = [
    LayerClaim { shape: (64, 256), forward: [1.0012, 0.9405, 0.7998], backward: [0.9988, 0.9401, 0.8005], decimals: 4 },
    LayerClaim { shape: (128, 128), forward: [1.0; 3], backward: [1.0; 3], decimals: 1 },
];

/// The single layers' studies, one per claim of `SINGLE_LAYER_CLAIMS`.
#[derive(Debug, Clone)]
pub struct SingleLayerResult {
    /// One single-layer study per claimed shape.
    pub studies: Vec<PropagationStudy>,
}

/// Runs one single-layer study per claimed shape.
///
/// # Errors
/// A failing experiment.
pub fn compute_single_layer(sizes: &Sizes) -> Result<SingleLayerResult> {
    let studies = SINGLE_LAYER_CLAIMS
        .iter()
        .map(|c| linear_chain_study(vec![c.shape.0, c.shape.1], sizes.single_layer))
        .collect::<Result<Vec<_>>>()?;
    Ok(SingleLayerResult { studies })
}

/// Single 64×256 and 128×128 layers.
///
/// # Errors
/// A failing experiment.
pub fn single_layer(sizes: &Sizes) -> Result<Section> {
    Ok(render_single_layer(&compute_single_layer(sizes)?))
}

/// The single-layer table's rows, per claim the verdicts on its stated values, and the 64×256
/// truths.
fn single_layer_rows(result: &SingleLayerResult) -> (Vec<Vec<String>>, Vec<Vec<bool>>, Vec<String>) {
    let mut rows = Vec::new();
    let mut per_claim = Vec::new();
    let mut truths = Vec::new();
    for (claim, study) in SINGLE_LAYER_CLAIMS.iter().zip(&result.studies) {
        let mut holding = Vec::new();
        let (m, n) = claim.shape;
        for s in &study.strategies {
            let layer = &s.layers[0];
            let mean = Strategy::MEANS.iter().position(|&x| x == s.strategy);
            let mut cells = vec![format!("{m}×{n}"), s.strategy.to_string(), sig(layer.variance, 4)];
            for (direction, stated) in [(Direction::Forward, &claim.forward), (Direction::Backward, &claim.backward)] {
                let moment = direction.of(layer);
                let claimed = mean.map(|i| stated[i]);
                let verdict = claimed.map(|c| stated_value_holds(c, moment.theory, claim.decimals, moment.stderr));
                holding.extend(verdict);
                cells.push(
                    claimed
                        .map(|c| if claim.decimals == 1 { "≈ 1".to_string() } else { format!("{c}") })
                        .unwrap_or("–".into()),
                );
                cells.extend([sig(moment.theory, 4), pm_sig(moment.mean, moment.stderr), cell(verdict)]);
            }
            if (m, n) == (64, 256) && mean.is_some() {
                truths.push(format!(
                    "{} {}/{}",
                    s.strategy,
                    sig(layer.forward.theory, 3),
                    sig(layer.backward.theory, 3)
                ));
            }
            rows.push(cells);
        }
        per_claim.push(holding);
    }
    (rows, per_claim, truths)
}

/// The single-layer section from its studies.
pub fn render_single_layer(result: &SingleLayerResult) -> Section {
    let (rows, per_claim, truths) = single_layer_rows(result);
    let count = |h: &[bool]| (h.iter().filter(|&&x| x).count(), h.len());
    let (wide, square) = (count(&per_claim[0]), count(&per_claim[1]));
    let note = result.studies.last().map(mc_note).unwrap_or_default();
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"One 64×256 layer, x ~ N(0, I), 1000 trials: claimed forward variance 1.0012 \
         (geometric), 0.9405 (arithmetic), 0.7998 (quadratic); backward 0.9988 / 0.9401 / 0.8005. For 128×128 all \
         ≈ 1.\"\n\n",
    );
    body.push_str(
        "**Closed form.** For y = Wᵀx with iid zero-mean weights of variance s2, E[y_j²] = m·s2·E[x_i²] \
         (forward) and E[(∂l/∂x_i)²] = n·s2·E[(∂l/∂y_j)²] (backward), exactly, at every size; the scaled \
         orthogonal ensemble gives the same (E[W_{:,j}W_{:,j}ᵀ] = s2·I). For 64×256 the arithmetic forward gain \
         is 64·2/320 = 0.4 and the backward gain 256·2/320 = 1.6; geometric gives √(m/n) = 0.5 and √(n/m) = 2. \
         At 128×128 the three means coincide (s2 = 1/128) and both gains are exactly 1. The two layers are two \
         claims, judged separately.\n\n",
    );
    body.push_str(&format!("{note}\n\n"));
    body.push_str(&table(
        &[
            "layer",
            "strategy",
            "s2",
            "forward stated",
            "forward theory m·s2",
            "forward MC",
            "verdict",
            "backward stated",
            "backward theory n·s2",
            "backward MC",
            "verdict",
        ],
        &rows,
    ));
    body.push_str(&format!(
        "64×256: {} of {} stated values hold; 128×128: {} of {} hold.\n",
        wide.0, wide.1, square.0, square.1
    ));
    Section {
        id: "single-layer",
        title: "Single layers 64×256 and 128×128, forward and backward".into(),
        claims: vec![
            Claim::new(
                "64×256: forward 1.0012 / 0.9405 / 0.7998, backward 0.9988 / 0.9401 / 0.8005 (geometric / arithmetic / quadratic)",
                Verdict::from_parts(&per_claim[0]),
                format!("forward/backward: {} ({} of {} stated values hold)", truths.join(", "), wide.0, wide.1),
            ),
            Claim::new(
                "128×128: all ≈ 1",
                Verdict::from_parts(&per_claim[1]),
                format!("1 exactly in both directions ({} of {} stated values hold)", square.0, square.1),
            ),
        ],
        body,
        figures: Vec::new(),
    }
}

// source: the source analysis, numerical claim 1 (variance after each layer), quoted in the
// report's section 3.
const CHAIN_CLAIMS: [(Strategy, [f64; 4]); 3] = [
    (Strategy::Geometric, [1.0, 1.0, 1.0, 1.0]),
    (Strategy::Arithmetic, [0.94, 0.89, 0.94, 1.0]),
    (Strategy::Quadratic, [0.89, 0.80, 0.89, 1.0]),
];

/// The 64→128→256→128→64 chain (rendered from the shared [`chain_study`]).
///
/// # Errors
/// Never for a finished study (kept for uniformity).
pub fn chain(study: &PropagationStudy) -> Result<Section> {
    Ok(render_chain(study))
}

/// Table rows and, per claimed strategy (in the order of [`CHAIN_CLAIMS`]), the verdicts on its
/// stated values.
fn chain_rows(study: &PropagationStudy) -> (Vec<Vec<String>>, Vec<Vec<bool>>) {
    let mut rows = Vec::new();
    let mut holding = vec![Vec::new(); CHAIN_CLAIMS.len()];
    for s in &study.strategies {
        let index = CHAIN_CLAIMS.iter().position(|(strategy, _)| *strategy == s.strategy);
        let claimed = index.map(|i| CHAIN_CLAIMS[i].1);
        for (l, layer) in s.layers.iter().enumerate() {
            let c = claimed.map(|c| c[l]);
            let ok = c.map(|c| stated_value_holds(c, layer.forward.theory, 2, layer.forward.stderr));
            if let (Some(i), Some(ok)) = (index, ok) {
                holding[i].push(ok);
            }
            rows.push(vec![
                s.strategy.to_string(),
                format!("{} ({}→{})", l + 1, layer.fan_in, layer.fan_out),
                sig(layer.forward_gain, 4),
                c.map(|c| format!("{c:.2}")).unwrap_or("–".into()),
                sig(layer.forward.theory, 4),
                pm_sig(layer.forward.mean, layer.forward.stderr),
                cell(ok),
                sig(layer.backward.theory, 4),
                pm_sig(layer.backward.mean, layer.backward.stderr),
            ]);
        }
    }
    (rows, holding)
}

/// The chain section from the chain study.
pub fn render_chain(study: &PropagationStudy) -> Section {
    let (rows, holding) = chain_rows(study);
    let held: usize = holding.iter().map(|h| h.iter().filter(|&&x| x).count()).sum();
    let stated: usize = holding.iter().map(Vec::len).sum();
    let truth_of = |strategy: Strategy| -> String {
        study
            .strategies
            .iter()
            .find(|s| s.strategy == strategy)
            .map(|s| s.layers.iter().map(|l| format!("{:.3}", l.forward.theory)).collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    };
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"A linear chain of widths 64 → 128 → 256 → 128 → 64, each layer using the \
         strategy's own s2: claimed variance after each layer — geometric 1.00 everywhere; arithmetic 0.94, 0.89, \
         0.94, 1.00; quadratic 0.89, 0.80, 0.89, 1.00.\"\n\n",
    );
    body.push_str(
        "**Closed form.** The forward second moment after layer ℓ is the product of the forward gains \
         Π_{k≤ℓ} m_k·s2_k (exact for a linear chain; see `rmspec propagate`). Geometric: each gain is √(m/n), \
         so the product telescopes to √(w₀/w_ℓ) — back at 1 only where the chain is back at its starting width. \
         Arithmetic gains are 2m/(m+n), quadratic m(m+n)/(m²+n²) (the table's third column). The backward \
         second moment at layer ℓ's input is Π_{k≥ℓ} n_k·s2_k. Each strategy's four stated values are one claim.\n\n",
    );
    body.push_str(&format!("{}\n\n", mc_note(study)));
    body.push_str(&table(
        &[
            "strategy",
            "layer",
            "forward gain m·s2",
            "stated",
            "forward theory",
            "forward MC",
            "verdict",
            "backward theory",
            "backward MC",
        ],
        &rows,
    ));
    body.push_str(&format!("{held} of {stated} stated values hold.\n\n"));
    body.push_str(&figure_link("chain-forward.svg", "forward second moment per layer, theory and Monte Carlo"));
    body.push_str(&figure_link("chain-backward.svg", "backward second moment per layer, theory and Monte Carlo"));
    Section {
        id: "chain",
        title: "The 64→128→256→128→64 chain".into(),
        claims: CHAIN_CLAIMS
            .iter()
            .zip(&holding)
            .map(|((strategy, values), h)| {
                let stated: Vec<String> = values.iter().map(|v| format!("{v:.2}")).collect();
                Claim::new(
                    format!("variance after each layer, {strategy}: {}", stated.join(", ")),
                    Verdict::from_parts(h),
                    format!(
                        "{} ({} of {} stated values hold)",
                        truth_of(*strategy),
                        h.iter().filter(|&&x| x).count(),
                        h.len()
                    ),
                )
            })
            .collect(),
        body,
        figures: vec![
            (
                "chain-forward.svg".into(),
                variance_per_layer(
                    study,
                    Direction::Forward,
                    "Forward second moment through the chain, per strategy",
                    &CHAIN_CLAIMS,
                ),
            ),
            (
                "chain-backward.svg".into(),
                variance_per_layer(
                    study,
                    Direction::Backward,
                    "Backward second moment through the chain, per strategy",
                    &[],
                ),
            ),
        ],
    }
}

/// Aspect ratios of the gains figure (m/n with n fixed).
const ASPECT_RATIOS: [f64; 7] = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// One single-layer study per aspect ratio of `ASPECT_RATIOS`, at a fixed fan-out.
#[derive(Debug, Clone)]
pub struct GainsResult {
    /// The fan-out n.
    pub n: usize,
    /// One study per aspect ratio.
    pub studies: Vec<PropagationStudy>,
}

/// Runs the single layers m×n for every aspect ratio.
///
/// # Errors
/// A failing experiment.
pub fn compute_gains(sizes: &Sizes) -> Result<GainsResult> {
    let n = sizes.gains_fan_out;
    let studies = ASPECT_RATIOS
        .iter()
        .map(|gamma| linear_chain_study(vec![(gamma * n as f64).round() as usize, n], sizes.gains))
        .collect::<Result<Vec<_>>>()?;
    Ok(GainsResult { n, studies })
}

/// Forward and backward gains of one layer vs m/n.
///
/// # Errors
/// A failing experiment.
pub fn gains_vs_aspect_ratio(sizes: &Sizes) -> Result<Section> {
    Ok(render_gains(&compute_gains(sizes)?))
}

/// The gains section from its studies.
pub fn render_gains(result: &GainsResult) -> Section {
    let n = result.n;
    let (trials, batch) = result.studies.first().map(|s| (s.trials, s.batch)).unwrap_or_default();
    let mut rows = Vec::new();
    let mut all_within = true;
    for study in &result.studies {
        for s in &study.strategies {
            let l = &s.layers[0];
            all_within &= l.forward.z_score().abs() <= 5.0 && l.backward.z_score().abs() <= 5.0;
            rows.push(vec![
                format!("{}×{}", l.fan_in, l.fan_out),
                sig(l.fan_in as f64 / l.fan_out as f64, 3),
                s.strategy.to_string(),
                sig(l.forward.theory, 4),
                pm_sig(l.forward.mean, l.forward.stderr),
                sig(l.backward.theory, 4),
                pm_sig(l.backward.mean, l.backward.stderr),
            ]);
        }
    }
    let figure = |direction: Direction| {
        let subtitle = format!(
            "n = {n}, m = n·(m/n); linear; {trials} trials × batch {batch}, seed {SEED}; lines: theory, points: Monte Carlo ± se; orthogonal has no curve of its own: its gains are arithmetic's"
        );
        gain_vs_aspect_ratio(&result.studies, direction, subtitle)
    };
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"forward: E[y_j²] = m·s2·E[x_i²], so keeping the second moment needs s2 = 1/m; \
         backward: E[(∂l/∂x_i)²] = n·s2·E[(∂l/∂y_j)²], which needs s2 = 1/n. For m ≠ n the two conflict.\"\n\n",
    );
    body.push_str(
        "**Closed form.** With γ = m/n: geometric forward √γ, backward 1/√γ; arithmetic 2γ/(1+γ) and 2/(1+γ); \
         quadratic γ(1+γ)/(1+γ²) and (1+γ)/(1+γ²); He 2 and 2/γ; LeCun 1 and 1/γ; orthogonal (at the arithmetic \
         variance) as arithmetic. Only at γ = 1 can both gains be 1; forward × backward gain = m·n·s2², which is 1 \
         exactly for geometric and < 1 for arithmetic and quadratic.\n\n",
    );
    body.push_str(&format!(
        "Monte Carlo: one layer m×{n} for m/n ∈ {{{}}}, {trials} trials × batch {batch}, seed {SEED}. Every point \
         lies within 5 standard errors of its closed form: **{}**.\n\n",
        ASPECT_RATIOS.iter().map(|g| sig(*g, 3)).collect::<Vec<_>>().join(", "),
        yes_no(all_within)
    ));
    body.push_str(&figure_link("gains-forward.svg", "forward gain vs aspect ratio"));
    body.push_str(&figure_link("gains-backward.svg", "backward gain vs aspect ratio"));
    body.push_str("<details><summary>All points</summary>\n\n");
    body.push_str(&table(
        &["layer", "m/n", "strategy", "forward theory", "forward MC", "backward theory", "backward MC"],
        &rows,
    ));
    body.push_str("</details>\n");
    Section {
        id: "gains",
        title: "Forward and backward gains vs aspect ratio".into(),
        claims: vec![Claim::new(
            "forward gain m·s2, backward gain n·s2; for m ≠ n no single s2 makes both 1",
            Verdict::of(all_within),
            format!(
                "exact at every size; Monte Carlo {} within 5 se of the closed form at every aspect ratio and strategy",
                if all_within { "lies" } else { "does not lie" }
            ),
        )],
        body,
        figures: vec![
            ("gains-forward.svg".into(), figure(Direction::Forward)),
            ("gains-backward.svg".into(), figure(Direction::Backward)),
        ],
    }
}
