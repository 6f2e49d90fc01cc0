//! Variance propagation through a chain of fully connected layers, forward and backward: the
//! experiment behind `rmspec propagate`.
//!
//! # The network
//!
//! Widths w₀, w₁, …, w_L define L layers; layer ℓ has W_ℓ ∈ ℝ^{w_{ℓ−1}×w_ℓ} (fan-in
//! m = w_{ℓ−1} rows, fan-out n = w_ℓ columns; see the [conventions](crate#conventions)), entries
//! drawn by the strategy at variance s2_ℓ = s2(m, n), no biases. For an input x⁰ ∈ ℝ^{w₀}:
//!
//! ```text
//! forward:  h^ℓ = W_ℓᵀ x^{ℓ−1},   x^ℓ = φ(h^ℓ)                 (x⁰ is the input, not passed through φ)
//! backward: δ^L = g,   a^{ℓ−1} = W_ℓ δ^ℓ,   δ^{ℓ−1} = φ'(h^{ℓ−1}) ⊙ a^{ℓ−1}
//! ```
//!
//! g plays the role of ∂loss/∂h^L; a^{ℓ−1} = ∂loss/∂x^{ℓ−1} is the gradient at layer ℓ's input
//! and δ^ℓ = ∂loss/∂h^ℓ.
//!
//! # What is measured
//!
//! Per layer ℓ:
//! - **forward** = E[(h^ℓ_j)²], the second moment of the layer's pre-activation output;
//! - **backward** = E[(a^{ℓ−1}_i)²], the second moment of the gradient at the layer's input.
//!
//! With x⁰ ~ N(0, I) and g ~ N(0, I) both are 1 at the chain's ends before any layer acts.
//!
//! # Theory
//!
//! Given x, h_j = Σᵢ xᵢ Wᵢⱼ has E(h_j²) = s2·E‖x‖² = m·s2·E(xᵢ²) for iid zero-mean weights and
//! for the scaled Haar orthogonal ensemble alike (both have E[W_{:,j} W_{:,j}ᵀ] = s2·I); in the
//! same way E(aᵢ²) = n·s2·E(δⱼ²). Hence, with the activation's gains M and D
//! ([`Activation`]):
//!
//! ```text
//! q¹ = m₁ s2₁,                 q^ℓ = m_ℓ s2_ℓ · M(q^{ℓ−1})                       (forward)
//! b^L = n_L s2_L,              b^ℓ = n_ℓ s2_ℓ · D(q^ℓ) · b^{ℓ+1}                (backward)
//! ```
//!
//! - **linear**: M(q) = q, D = 1, so forward = Π_{k≤ℓ} m_k s2_k and backward = Π_{k≥ℓ} n_k s2_k.
//!   **Exact** at every width (the backward pass does not depend on the input).
//! - **relu**: the forward recursion is exact at every width (E relu(h)² = E h²/2 for any
//!   symmetric h); the backward recursion assumes φ'(h^ℓ) independent of a^ℓ (the "gradient
//!   independence" assumption of mean-field theory), which holds only as widths → ∞.
//! - **tanh, gelu, swish**: both recursions are the mean-field (infinite-width) approximation:
//!   they treat h^ℓ as exactly N(0, q^ℓ), whereas at finite width it is a Gaussian scale mixture
//!   (its variance given x is s2‖x‖², which fluctuates with x), and they assume gradient
//!   independence backward. Deviations are O(1/width).
//!
//! # Monte Carlo
//!
//! Trial t draws from [`trial_rng`]`(seed, t)`, one stream per trial, consumed in this order:
//! W₁, …, W_L (each by [`sample_into`], column-major), then the input batch X (w₀×B, standard
//! normal, column by column), then the output gradients G (w_L×B, standard normal). So weights
//! are fresh in every trial, and every strategy of a Gaussian ensemble sees the same standard
//! draws (common random numbers). The batch products use BLAS `dgemm` ([`linalg::gemm`]).
//! Each trial contributes one number per layer and direction: the average of the squared
//! entries over the batch and the layer's width. Trials are iid, so the mean over trials and its
//! standard error s/√T are valid (entries within one trial share weights and are not
//! independent, which is why they are averaged first).

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::linalg;
use crate::sample::{fill_standard_normal, sample_into, trial_rng};
use crate::shape::Shape;
use crate::stats::{mean_stderr, MeanStderr};
use crate::strategy::Strategy;
use crate::trials::run_all_trials;
use serde::Serialize;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct PropagationConfig {
    /// Widths w₀, …, w_L (at least two).
    pub widths: Vec<usize>,
    /// Strategies, in output order.
    pub strategies: Vec<Strategy>,
    /// Activation φ applied after every layer but the last.
    pub activation: Activation,
    /// Independent networks (fresh weights) per strategy.
    pub trials: usize,
    /// Inputs per trial.
    pub batch: usize,
    /// Seed of the trial streams.
    pub seed: u64,
}

impl PropagationConfig {
    /// Checks widths, counts and strategies.
    ///
    /// # Errors
    /// Fewer than two widths, a zero width, zero trials or batch, no strategy, sizes that
    /// overflow.
    pub fn validate(&self) -> Result<()> {
        if self.widths.len() < 2 {
            return Err(Error::invalid(
                "widths",
                format!("{:?}", self.widths),
                "needs at least two widths (input and output of one layer)",
            ));
        }
        if let Some(position) = self.widths.iter().position(|&w| w == 0) {
            return Err(Error::invalid(
                "widths",
                format!("{:?} (entry {})", self.widths, position + 1),
                "must all be ≥ 1",
            ));
        }
        for (name, value) in [("trials", self.trials), ("batch", self.batch)] {
            if value == 0 {
                return Err(Error::invalid(name, value, "must be at least 1"));
            }
        }
        if self.strategies.is_empty() {
            return Err(Error::invalid("strategy", "(none)", "at least one strategy is needed"));
        }
        for pair in self.widths.windows(2) {
            Shape::new(pair[0], pair[1])?;
        }
        for &w in &self.widths {
            Shape::new(w, self.batch)?;
        }
        let required = self.memory_estimate(rayon::current_num_threads());
        crate::memory::ensure_fits(
            || {
                format!(
                    "propagation of {} trial(s) through widths {:?} with batch {}",
                    self.trials, self.widths, self.batch
                )
            },
            required,
        )
    }

    /// Estimated peak bytes with `workers` threads: per worker the weights (Σ w_{l−1}·w_l), the
    /// pre-activations (Σ w_l·B), the input and two work arrays (w·B each); per trial and strategy
    /// its two vectors of L layer moments, kept for the mean over trials.
    pub fn memory_estimate(&self, workers: usize) -> u128 {
        let widths: Vec<u128> = self.widths.iter().map(|&w| w as u128).collect();
        let batch = self.batch as u128;
        let weights: u128 = widths.windows(2).map(|p| p[0] * p[1]).sum();
        let activations: u128 = widths.iter().sum::<u128>() * batch;
        let widest = widths.iter().copied().max().unwrap_or(0);
        let per_worker = weights + activations + 2 * widest * batch;
        let layers = widths.len().saturating_sub(1) as u128;
        crate::memory::estimate(&[(workers as u128 * per_worker, 8), (self.trials as u128 * (2 * layers + 6), 8)])
    }
}

/// Theory beside Monte Carlo for one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moment {
    /// Closed form (linear) or mean-field value (nonlinear; see the module docs).
    pub theory: f64,
    /// Mean over trials of the per-trial average.
    pub mean: f64,
    /// Standard error of that mean (NaN, `null` in JSON, for one trial).
    pub stderr: f64,
}

impl Moment {
    /// (mean − theory)/stderr.
    pub fn z_score(&self) -> f64 {
        (self.mean - self.theory) / self.stderr
    }
}

/// One layer's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerPropagation {
    /// Fan-in m = w_{ℓ−1}.
    pub fan_in: usize,
    /// Fan-out n = w_ℓ.
    pub fan_out: usize,
    /// Entry variance s2.
    pub variance: f64,
    /// Forward gain of this layer alone, m·s2.
    pub forward_gain: f64,
    /// Backward gain of this layer alone, n·s2.
    pub backward_gain: f64,
    /// E[(h^ℓ)²]: second moment of the layer's output (pre-activation).
    pub forward: Moment,
    /// E[(a^{ℓ−1})²]: second moment of the gradient at the layer's input.
    pub backward: Moment,
}

/// One strategy's chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyPropagation {
    /// The strategy (written as its name).
    pub strategy: Strategy,
    /// Layers in order.
    pub layers: Vec<LayerPropagation>,
}

/// The whole experiment's result (`rmspec propagate --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropagationStudy {
    /// w₀, …, w_L.
    pub widths: Vec<usize>,
    /// The activation (written as its name).
    pub activation: Activation,
    /// Trials per strategy.
    pub trials: usize,
    /// Inputs per trial.
    pub batch: usize,
    /// Seed.
    pub seed: u64,
    /// The normalisation convention.
    pub normalization: &'static str,
    /// What `forward` measures.
    pub forward_measures: &'static str,
    /// What `backward` measures.
    pub backward_measures: &'static str,
    /// Whether `theory` is exact or the mean-field approximation.
    pub theory: &'static str,
    /// One entry per strategy, in the order asked.
    pub strategies: Vec<StrategyPropagation>,
}

const FORWARD_MEASURES: &str =
    "E[h_j^2], h = W^T x^(l-1): second moment of the layer's pre-activation output; input x^0 ~ N(0, I)";
const BACKWARD_MEASURES: &str =
    "E[a_i^2], a = W delta^l: second moment of the gradient at the layer's input; delta^L = g ~ N(0, I)";

/// Whether a theory value is exact at every width or the mean-field (infinite-width)
/// approximation (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TheoryKind {
    /// Exact at every width.
    Exact,
    /// The mean-field approximation, exact as the widths grow.
    MeanField,
}

/// The kinds of the forward and of the backward theory for `activation`: linear chains are exact
/// both ways, relu forward only, the other activations neither.
pub fn theory_kinds(activation: Activation) -> (TheoryKind, TheoryKind) {
    match activation {
        Activation::Linear => (TheoryKind::Exact, TheoryKind::Exact),
        Activation::Relu => (TheoryKind::Exact, TheoryKind::MeanField),
        _ => (TheoryKind::MeanField, TheoryKind::MeanField),
    }
}

fn theory_note(activation: Activation) -> &'static str {
    match activation {
        Activation::Linear => "exact: products of m*s2 (forward) and n*s2 (backward)",
        Activation::Relu => {
            "forward exact (E relu(h)^2 = E h^2 / 2); backward mean-field (gradient independence, exact as widths grow)"
        }
        _ => "mean-field approximation (h ~ N(0, q), gradient independence; exact as widths grow)",
    }
}

/// Per-layer (forward, backward) theory for `strategy` on `widths` (see the module docs).
///
/// # Errors
/// Invalid widths.
pub fn theory(widths: &[usize], strategy: Strategy, activation: Activation) -> Result<Vec<(f64, f64)>> {
    if widths.len() < 2 {
        return Err(Error::invalid("widths", format!("{widths:?}"), "needs at least two widths"));
    }
    let layers = widths.len() - 1;
    let mut variances = Vec::with_capacity(layers);
    for pair in widths.windows(2) {
        variances.push(strategy.variance(pair[0], pair[1])?);
    }
    let mut forward = vec![0.0; layers];
    for l in 0..layers {
        let gain = widths[l] as f64 * variances[l];
        forward[l] = if l == 0 { gain } else { gain * activation.second_moment(forward[l - 1])? };
    }
    let mut backward = vec![0.0; layers];
    for l in (0..layers).rev() {
        let gain = widths[l + 1] as f64 * variances[l];
        backward[l] =
            if l + 1 == layers { gain } else { gain * activation.derivative_gain(forward[l])? * backward[l + 1] };
    }
    Ok(forward.into_iter().zip(backward).collect())
}

/// Runs the experiment.
///
/// # Errors
/// Invalid configuration or a BLAS/LAPACK failure.
pub fn run(config: &PropagationConfig) -> Result<PropagationStudy> {
    config.validate()?;
    let strategies =
        config.strategies.iter().map(|&s| run_strategy(config, s)).collect::<Result<Vec<StrategyPropagation>>>()?;
    Ok(PropagationStudy {
        widths: config.widths.clone(),
        activation: config.activation,
        trials: config.trials,
        batch: config.batch,
        seed: config.seed,
        normalization: crate::NORMALIZATION,
        forward_measures: FORWARD_MEASURES,
        backward_measures: BACKWARD_MEASURES,
        theory: theory_note(config.activation),
        strategies,
    })
}

/// Per-worker buffers: weights, pre-activations per layer, and two work arrays.
struct Buffers {
    weights: Vec<Vec<f64>>,
    pre: Vec<Vec<f64>>,
    input: Vec<f64>,
    work: Vec<f64>,
    delta: Vec<f64>,
}

fn run_strategy(config: &PropagationConfig, strategy: Strategy) -> Result<StrategyPropagation> {
    let widths = &config.widths;
    let (layers, batch, activation) = (widths.len() - 1, config.batch, config.activation);
    let widest = *widths.iter().max().expect("validated: at least two widths");
    let per_trial = run_all_trials(
        config.trials,
        || {
            Ok(Buffers {
                weights: widths.windows(2).map(|p| vec![0.0; p[0] * p[1]]).collect(),
                pre: widths[1..].iter().map(|&w| vec![0.0; w * batch]).collect(),
                input: vec![0.0; widths[0] * batch],
                work: vec![0.0; widest * batch],
                delta: vec![0.0; widest * batch],
            })
        },
        |b, trial| {
            let mut rng = trial_rng(config.seed, trial);
            for (l, w) in b.weights.iter_mut().enumerate() {
                sample_into(strategy, widths[l], widths[l + 1], &mut rng, w)?;
            }
            fill_standard_normal(&mut b.input, &mut rng);
            let mut forward = vec![0.0; layers];
            for l in 0..layers {
                let (m, n) = (widths[l], widths[l + 1]);
                // x^{l} (m×B): the input for l = 0, else φ of the previous pre-activation.
                if l > 0 {
                    let src = &b.pre[l - 1];
                    b.work[..m * batch].iter_mut().zip(src).for_each(|(d, &h)| *d = activation.apply(h));
                }
                let x: &[f64] = if l == 0 { &b.input } else { &b.work[..m * batch] };
                let (_, rest) = b.pre.split_at_mut(l);
                linalg::gemm(true, false, &b.weights[l], m, n, x, m, batch, 1.0, &mut rest[0])?;
                forward[l] = mean_square(&rest[0]);
            }
            // Backward: δ^L = g, then a^{l−1} = W_l δ^l, δ^{l−1} = φ'(h^{l−1}) ⊙ a^{l−1}.
            let last = widths[layers] * batch;
            fill_standard_normal(&mut b.delta[..last], &mut rng);
            let mut backward = vec![0.0; layers];
            for l in (0..layers).rev() {
                let (m, n) = (widths[l], widths[l + 1]);
                let a = &mut b.work[..m * batch];
                linalg::gemm(false, false, &b.weights[l], m, n, &b.delta[..n * batch], n, batch, 1.0, a)?;
                backward[l] = mean_square(a);
                if l > 0 {
                    let h = &b.pre[l - 1];
                    for ((d, &ai), &hi) in b.delta[..m * batch].iter_mut().zip(a.iter()).zip(h) {
                        *d = activation.derivative(hi) * ai;
                    }
                }
            }
            Ok((forward, backward))
        },
    )?;
    let theory = theory(widths, strategy, activation)?;
    let layers = (0..layers)
        .map(|l| {
            let (m, n) = (widths[l], widths[l + 1]);
            let s2 = strategy.variance(m, n)?;
            let summary = |pick: &dyn Fn(&TrialMoments) -> f64, theory: f64| {
                let MeanStderr { mean, stderr } = mean_stderr(per_trial.iter().map(pick));
                Moment { theory, mean, stderr }
            };
            Ok(LayerPropagation {
                fan_in: m,
                fan_out: n,
                variance: s2,
                forward_gain: m as f64 * s2,
                backward_gain: n as f64 * s2,
                forward: summary(&|t| t.0[l], theory[l].0),
                backward: summary(&|t| t.1[l], theory[l].1),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(StrategyPropagation { strategy, layers })
}

/// Per-layer (forward, backward) averages of one trial.
type TrialMoments = (Vec<f64>, Vec<f64>);

fn mean_square(values: &[f64]) -> f64 {
    values.iter().map(|v| v * v).sum::<f64>() / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agreement required between Monte Carlo and exact theory, in standard errors. Under the
    /// null (theory exact, per-trial averages iid with finite variance, so the mean over trials
    /// is close to normal) P(|Z| > 5) ≈ 5.7e-7 per comparison; over the 6 strategies × 4 layers
    /// × 2 directions = 48 comparisons of one run the family-wise false-alarm rate is ≈ 3e-5.
    /// The seed is fixed, so the test is deterministic; the bound says how unlucky a seed would
    /// have to be to fail with correct code.
    const Z_TOLERANCE: f64 = 5.0;

    fn chain_config(activation: Activation, strategies: Vec<Strategy>) -> PropagationConfig {
        PropagationConfig {
            widths: vec![64, 128, 256, 128, 64],
            strategies,
            activation,
            trials: 200,
            batch: 32,
            seed: 20260401,
        }
    }

    #[test]
    fn linear_theory_is_the_product_of_the_closed_form_gains() {
        let widths = [64, 128, 256, 128, 64];
        for strategy in Strategy::ALL_NAMED {
            let t = theory(&widths, strategy, Activation::Linear).unwrap();
            let gains: Vec<(f64, f64)> = widths
                .windows(2)
                .map(|p| {
                    let s2 = strategy.variance(p[0], p[1]).unwrap();
                    (p[0] as f64 * s2, p[1] as f64 * s2)
                })
                .collect();
            for l in 0..4 {
                let forward: f64 = gains[..=l].iter().map(|g| g.0).product();
                let backward: f64 = gains[l..].iter().map(|g| g.1).product();
                assert_eq!(t[l].0, forward, "{strategy} layer {l}");
                assert_eq!(t[l].1, backward, "{strategy} layer {l}");
            }
        }
        // source: hand computation. Arithmetic 64×256: s2 = 2/320, forward 64·s2 = 0.4,
        // backward 256·s2 = 1.6. Geometric chain: forward √(w₀/w_ℓ).
        let single = theory(&[64, 256], Strategy::Arithmetic, Activation::Linear).unwrap();
        assert!((single[0].0 - 0.4).abs() < 1e-15 && (single[0].1 - 1.6).abs() < 1e-15);
        let geometric = theory(&widths, Strategy::Geometric, Activation::Linear).unwrap();
        for (l, w) in widths[1..].iter().enumerate() {
            assert!((geometric[l].0 - (64.0 / *w as f64).sqrt()).abs() < 1e-15);
        }
    }

    #[test]
    fn linear_monte_carlo_agrees_with_theory_within_five_standard_errors() {
        let study = run(&chain_config(Activation::Linear, Strategy::ALL_NAMED.to_vec())).unwrap();
        for s in &study.strategies {
            for (l, layer) in s.layers.iter().enumerate() {
                for (direction, moment) in [("forward", layer.forward), ("backward", layer.backward)] {
                    assert!(
                        moment.z_score().abs() <= Z_TOLERANCE,
                        "{} layer {l} {direction}: {} ± {} vs {}",
                        s.strategy,
                        moment.mean,
                        moment.stderr,
                        moment.theory
                    );
                }
            }
        }
    }

    #[test]
    fn relu_forward_is_exact_and_nonlinear_maps_are_close() {
        // relu forward is exact at any width: the 5-SE rule applies. The other maps are the
        // infinite-width approximation; at widths ≥ 64 their O(1/width) bias is below 5%.
        const MEAN_FIELD_RELATIVE: f64 = 0.05;
        let strategies = vec![Strategy::Arithmetic, Strategy::He];
        for activation in [Activation::Relu, Activation::Tanh, Activation::Gelu, Activation::Swish] {
            let study = run(&chain_config(activation, strategies.clone())).unwrap();
            for s in &study.strategies {
                for layer in &s.layers {
                    if activation == Activation::Relu {
                        assert!(layer.forward.z_score().abs() <= Z_TOLERANCE, "relu {} {:?}", s.strategy, layer);
                    }
                    for m in [layer.forward, layer.backward] {
                        assert!(
                            (m.mean / m.theory - 1.0).abs() <= MEAN_FIELD_RELATIVE,
                            "{activation} {}: {m:?}",
                            s.strategy
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let config = PropagationConfig {
            trials: 12,
            ..chain_config(Activation::Tanh, vec![Strategy::Orthogonal { variance: None }])
        };
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| run(&config).unwrap());
        let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| run(&config).unwrap());
        assert_eq!(one, two);
    }

    #[test]
    fn bad_configurations_are_errors() {
        let good = chain_config(Activation::Linear, vec![Strategy::Geometric]);
        for bad in [
            PropagationConfig { widths: vec![64], ..good.clone() },
            PropagationConfig { widths: vec![64, 0, 3], ..good.clone() },
            PropagationConfig { trials: 0, ..good.clone() },
            PropagationConfig { batch: 0, ..good.clone() },
            PropagationConfig { strategies: vec![], ..good.clone() },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
            assert!(run(&bad).is_err());
        }
        assert!(good.validate().is_ok());
    }
}
