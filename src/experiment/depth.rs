//! Deep linear chains: the spread of the end-to-end singular values, and the end-to-end gain,
//! as depth grows.
//!
//! A width pattern (a cycle c₀, c₁, …, repeated: w_k = c_{k mod len}) and a depth L define the
//! chain W₁ ⋯ W_L with W_k ∈ ℝ^{w_{k−1}×w_k} drawn by the strategy. The input–output Jacobian
//! of the linear network y = W_Lᵀ ⋯ W₁ᵀ x is Jᵀ with J = W₁ W₂ ⋯ W_L ∈ ℝ^{w₀×w_L}. Per trial and
//! recorded depth:
//!
//! - the **spread** κ(J) = σ_max(J)/σ_min(J) over its min(w₀, w_L) singular values, computed by
//!   LAPACK `dgesdd` on the product ([`linalg::singular_values`]);
//! - the **gain** ‖J‖_F²/w_L = E‖Jᵀx‖²/w_L for x ~ N(0, I): the forward second moment after L
//!   layers, whose exact expectation is Π_k w_{k−1}·s2_k (see [`super::propagation`]).
//!
//! The product is formed by `dgemm`, one layer at a time, and rescaled to unit Frobenius norm
//! after every layer (the scale is carried as a logarithm), so neither He's growth nor
//! quadratic's decay can overflow or underflow; κ is scale-free and unaffected.
//!
//! **Resolution.** `dgesdd` computes σ_min with an absolute error of order ε·σ_max, so a spread
//! above [`RESOLVABLE_SPREAD`] is not resolved in double precision; such values are flagged and
//! only the fact "≥ 1e12" is reported. Beyond that, the spread is estimated by the **discrete QR
//! method** of Lyapunov-exponent theory[^1]: with Q₀ = I, factor W_kᵀ Q_{k−1} = Q_k R_k (thin QR,
//! `dgeqrf`/`dorgqr`), so Jᵀ = Q_L R_L ⋯ R₁ and the logarithms of the singular values of J are
//! approximated by the accumulated Σ_k log|diag R_k| — never forming the ill-conditioned
//! product. The estimate log κ_QR = max_i − min_i of those sums is a lower bound on log κ(J) (the
//! diagonal of the triangular R_L⋯R₁ lies between its extreme singular values; tested), and its
//! shortfall stays bounded as L grows (it converges to the exact Lyapunov gap per layer), so at
//! large depth it is the resolved figure. It needs the first
//! width to be the smallest of the cycle (true for every pattern rmspec studies).
//!
//! [^1]: G. Benettin, L. Galgani, A. Giorgilli and J.-M. Strelcyn, "Lyapunov characteristic
//!     exponents for smooth dynamical systems…", *Meccanica* 15 (1980); K. Geist, U. Parlitz and
//!     W. Lauterborn, "Comparison of different methods for computing Lyapunov exponents",
//!     *Progress of Theoretical Physics* 83 (1990).
//!
//! **Strategy independence.** For the Gaussian strategies W_k = √s2_k·Z_k, so J is a positive
//! multiple of Z₁⋯Z_L and κ(J) does not depend on the strategy at all; with common random
//! numbers ([`crate::sample`]) the spreads agree to rounding. Only the ensemble (Gaussian or
//! orthogonal) and the widths matter. The gain, in contrast, is Π w_{k−1}s2_k.
//!
//! Trial t draws every layer, in order, from [`trial_rng`]`(seed, t)`.

use crate::error::{Error, Result};
use crate::linalg;
use crate::sample::{sample_into, trial_rng};
use crate::stats::{mean_stderr, MeanStderr};
use crate::strategy::Strategy;
use crate::trials::run_all_trials;
use serde::Serialize;

/// Spreads above this are not resolved by a double-precision SVD of the product (see the module
/// docs).
pub const RESOLVABLE_SPREAD: f64 = 1e12;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthConfig {
    /// Name of the width pattern (for reports).
    pub pattern: String,
    /// The cycle of widths, repeated along the chain.
    pub cycle: Vec<usize>,
    /// Depths at which the product is analysed, ascending.
    pub depths: Vec<usize>,
    /// Strategies, in output order.
    pub strategies: Vec<Strategy>,
    /// Independent chains per strategy.
    pub trials: usize,
    /// Seed of the trial streams.
    pub seed: u64,
}

impl DepthConfig {
    /// Width w_k of the chain.
    pub fn width(&self, k: usize) -> usize {
        self.cycle[k % self.cycle.len()]
    }

    /// Checks the configuration.
    ///
    /// # Errors
    /// An empty or zero-width cycle, no depths, unsorted or zero depths, zero trials, no strategy.
    pub fn validate(&self) -> Result<()> {
        if self.cycle.is_empty() || self.cycle.contains(&0) {
            return Err(Error::invalid("widths", format!("{:?}", self.cycle), "must be non-empty and all ≥ 1"));
        }
        if self.depths.is_empty() || self.depths[0] == 0 || self.depths.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid("depths", format!("{:?}", self.depths), "must be ≥ 1 and strictly ascending"));
        }
        if self.cycle.iter().any(|&w| w < self.cycle[0]) {
            return Err(Error::invalid("widths", format!("{:?}", self.cycle), "the first width must be the smallest"));
        }
        if self.trials == 0 {
            return Err(Error::invalid("trials", 0, "must be at least 1"));
        }
        if self.strategies.is_empty() {
            return Err(Error::invalid("strategy", "(none)", "at least one strategy is needed"));
        }
        Ok(())
    }
}

/// One strategy at one depth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthPoint {
    /// Number of layers L.
    pub depth: usize,
    /// Mean ± standard error over trials of log₁₀ κ(J), over the resolved trials.
    pub log10_spread: MeanStderr,
    /// Trials whose spread exceeded [`RESOLVABLE_SPREAD`] (not resolved; excluded above).
    pub unresolved: usize,
    /// Mean ± standard error over all trials of the discrete-QR estimate of log₁₀ κ(J) (see the
    /// module docs); resolved at any depth.
    pub log10_spread_qr: MeanStderr,
    /// Exact log₁₀ of the expected gain, Σ log₁₀(w_{k−1}·s2_k).
    pub log10_gain_theory: f64,
    /// Mean ± standard error of the per-trial gain ‖J‖_F²/w_L divided by its expectation.
    pub gain_ratio: MeanStderr,
}

/// One strategy's curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyDepth {
    /// The strategy (written as its name).
    pub strategy: Strategy,
    /// Points in depth order.
    pub points: Vec<DepthPoint>,
}

/// The whole experiment's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthStudy {
    /// Pattern name.
    pub pattern: String,
    /// The width cycle.
    pub cycle: Vec<usize>,
    /// Trials per strategy.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
    /// Per strategy.
    pub strategies: Vec<StrategyDepth>,
}

/// Runs the experiment.
///
/// # Errors
/// Invalid configuration or a BLAS/LAPACK failure.
pub fn run(config: &DepthConfig) -> Result<DepthStudy> {
    config.validate()?;
    let strategies = config.strategies.iter().map(|&s| run_strategy(config, s)).collect::<Result<Vec<_>>>()?;
    Ok(DepthStudy {
        pattern: config.pattern.clone(),
        cycle: config.cycle.clone(),
        trials: config.trials,
        seed: config.seed,
        strategies,
    })
}

fn run_strategy(config: &DepthConfig, strategy: Strategy) -> Result<StrategyDepth> {
    let max_depth = *config.depths.last().expect("validated: depths non-empty");
    let w0 = config.width(0);
    let widest = *config.cycle.iter().max().expect("validated: cycle non-empty");
    // log10 of the expected gain after each depth.
    let mut log_gain = vec![0.0; max_depth + 1];
    for k in 1..=max_depth {
        let (m, n) = (config.width(k - 1), config.width(k));
        log_gain[k] = log_gain[k - 1] + (m as f64 * strategy.variance(m, n)?).log10();
    }
    // Per trial: a DepthSample at each recorded depth.
    let per_trial = run_all_trials(
        config.trials,
        || {
            Ok(Buffers {
                w: vec![0.0; widest * widest],
                product: vec![0.0; w0 * widest],
                next: vec![0.0; w0 * widest],
                copy: vec![0.0; w0 * widest],
                q: identity(w0, widest),
                b: vec![0.0; w0 * widest],
                logs: vec![0.0; w0],
            })
        },
        |buf, trial| {
            let mut rng = trial_rng(config.seed, trial);
            let mut out = Vec::with_capacity(config.depths.len());
            let mut log_scale = 0.0; // log10 of the factor removed from `product` so far
            let mut recorded = config.depths.iter().peekable();
            buf.q = identity(w0, widest);
            buf.logs.iter_mut().for_each(|l| *l = 0.0);
            for k in 1..=max_depth {
                let (m, n) = (config.width(k - 1), config.width(k));
                let w = &mut buf.w[..m * n];
                sample_into(strategy, m, n, &mut rng, w)?;
                if k == 1 {
                    buf.product[..m * n].copy_from_slice(w);
                } else {
                    linalg::gemm(false, false, &buf.product[..w0 * m], w0, m, w, m, n, 1.0, &mut buf.next[..w0 * n])?;
                    buf.product[..w0 * n].copy_from_slice(&buf.next[..w0 * n]);
                }
                // Discrete QR: B = W_kᵀ Q_{k−1} (n×w0) = Q_k R_k.
                linalg::gemm(true, false, w, m, n, &buf.q[..m * w0], m, w0, 1.0, &mut buf.b[..n * w0])?;
                let diag = linalg::orthonormal_columns(&mut buf.b[..n * w0], n, w0)?;
                buf.logs.iter_mut().zip(&diag).for_each(|(l, r)| *l += r.abs().log10());
                buf.q[..n * w0].copy_from_slice(&buf.b[..n * w0]);
                let frobenius2: f64 = buf.product[..w0 * n].iter().map(|x| x * x).sum();
                let log_gain_here = log_scale + frobenius2.log10() - (n as f64).log10();
                let norm = frobenius2.sqrt();
                buf.product[..w0 * n].iter_mut().for_each(|x| *x /= norm);
                log_scale += frobenius2.log10();
                if recorded.peek() == Some(&&k) {
                    recorded.next();
                    buf.copy[..w0 * n].copy_from_slice(&buf.product[..w0 * n]);
                    let s = linalg::singular_values(&mut buf.copy[..w0 * n], w0, n)?;
                    let hi = buf.logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let lo = buf.logs.iter().copied().fold(f64::INFINITY, f64::min);
                    out.push(DepthSample {
                        spread: s[s.len() - 1] / s[0],
                        log10_gain: log_gain_here,
                        log10_spread_qr: hi - lo,
                    });
                }
            }
            Ok(out)
        },
    )?;
    let points = depth_points(config, &per_trial, &log_gain);
    Ok(StrategyDepth { strategy, points })
}

/// One [`DepthPoint`] per recorded depth from every trial's (spread, log₁₀ gain, QR estimate)
/// at those depths and the expected log₁₀ gain at each depth.
fn depth_points(config: &DepthConfig, per_trial: &[Vec<DepthSample>], log_gain: &[f64]) -> Vec<DepthPoint> {
    config
        .depths
        .iter()
        .enumerate()
        .map(|(i, &depth)| {
            let resolved: Vec<f64> = per_trial
                .iter()
                .map(|t| t[i].spread)
                .filter(|s| s.is_finite() && *s <= RESOLVABLE_SPREAD)
                .map(f64::log10)
                .collect();
            DepthPoint {
                depth,
                unresolved: per_trial.len() - resolved.len(),
                log10_spread: mean_stderr(resolved),
                log10_spread_qr: mean_stderr(per_trial.iter().map(|t| t[i].log10_spread_qr)),
                log10_gain_theory: log_gain[depth],
                gain_ratio: mean_stderr(per_trial.iter().map(|t| 10f64.powf(t[i].log10_gain - log_gain[depth]))),
            }
        })
        .collect()
}

/// One trial's chain at one recorded depth.
#[derive(Debug, Clone, Copy)]
struct DepthSample {
    /// κ(J) by `dgesdd` on the product (may exceed [`RESOLVABLE_SPREAD`]).
    spread: f64,
    /// log₁₀ of the gain ‖J‖_F²/w_L.
    log10_gain: f64,
    /// The discrete-QR estimate of log₁₀ κ(J).
    log10_spread_qr: f64,
}

/// Per-worker buffers of the depth experiment.
struct Buffers {
    w: Vec<f64>,
    product: Vec<f64>,
    next: Vec<f64>,
    copy: Vec<f64>,
    q: Vec<f64>,
    b: Vec<f64>,
    logs: Vec<f64>,
}

/// The first w0 columns of a (rows ≥ w0)-row identity, column-major, in a buffer of w0·rows.
fn identity(w0: usize, rows: usize) -> Vec<f64> {
    let mut q = vec![0.0; w0 * rows];
    for i in 0..w0 {
        q[i * w0 + i] = 1.0;
    }
    q
}

/// Forward (= backward) gain of the two-layer composite m → n → m with one variance s2 per layer
/// as each strategy chooses it: (m·s2(m, n))·(n·s2(n, m)). For the symmetric strategies
/// (geometric, arithmetic, quadratic: s2(m, n) = s2(n, m)) this is m·n·s2², the quantity the
/// source analysis sets to 1 for the geometric mean.
///
/// # Errors
/// Zero sizes.
pub fn composite_gain(strategy: Strategy, m: usize, n: usize) -> Result<f64> {
    Ok(m as f64 * strategy.variance(m, n)? * n as f64 * strategy.variance(n, m)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(cycle: Vec<usize>, strategies: Vec<Strategy>) -> DepthConfig {
        DepthConfig { pattern: "test".into(), cycle, depths: vec![1, 2, 5, 20], strategies, trials: 8, seed: 3 }
    }

    #[test]
    fn orthogonal_square_chain_keeps_unit_spread_and_exact_gain() {
        let study = run(&config(vec![32], vec![Strategy::Orthogonal { variance: None }])).unwrap();
        for p in &study.strategies[0].points {
            assert!(p.log10_spread.mean.abs() < 1e-12, "{p:?}");
            // Orthogonal square layers with s2 = 1/m: the gain is exactly 1 in every trial.
            assert!((p.gain_ratio.mean - 1.0).abs() < 1e-12 && p.log10_gain_theory.abs() < 1e-12);
        }
    }

    #[test]
    fn gaussian_spread_is_strategy_independent_and_grows() {
        // Depths small enough that every spread is resolved (below RESOLVABLE_SPREAD).
        let study =
            run(&DepthConfig { depths: vec![1, 2, 3, 4], ..config(vec![32, 48], Strategy::MEANS.to_vec()) }).unwrap();
        let first = &study.strategies[0].points;
        for s in &study.strategies[1..] {
            for (a, b) in first.iter().zip(&s.points) {
                assert!((a.log10_spread.mean - b.log10_spread.mean).abs() < 1e-8, "{a:?} {b:?}");
            }
        }
        assert!(first.iter().all(|p| p.unresolved == 0), "{first:?}");
        assert!(first.windows(2).all(|w| w[1].log10_spread.mean > w[0].log10_spread.mean));
    }

    #[test]
    fn qr_estimate_is_a_lower_bound_on_the_direct_spread() {
        // Jᵀ = Q R with R = R_L⋯R₁ triangular, whose diagonal is the product of the R_k's diagonals
        // and lies between R's extreme singular values (|r_ii| = |e_iᵀ R e_i| ≤ σ_max, and
        // 1/|r_ii| = |(R⁻¹)_ii| ≤ 1/σ_min): log κ_QR ≤ log κ(J) in every trial, hence in the mean.
        // The slack covers rounding in R (relative 1e−13 at these resolved spreads).
        let study = run(&DepthConfig {
            depths: vec![2, 4, 6],
            ..config(vec![16, 24], vec![Strategy::Arithmetic, Strategy::Orthogonal { variance: None }])
        })
        .unwrap();
        for s in &study.strategies {
            for p in &s.points {
                assert_eq!(p.unresolved, 0, "{p:?}");
                assert!(p.log10_spread_qr.mean <= p.log10_spread.mean + 1e-9, "{p:?}");
                assert!(p.log10_spread_qr.mean > 0.0, "{p:?}");
            }
        }
        let square = run(&config(vec![12], vec![Strategy::Orthogonal { variance: None }])).unwrap();
        assert!(square.strategies[0].points.iter().all(|p| p.log10_spread_qr.mean.abs() < 1e-12));
    }

    #[test]
    fn gain_matches_its_exact_expectation() {
        // E‖J‖_F²/w_L = Π w_{k−1}s2_k exactly; 5 standard errors (see propagation's tests for
        // the false-alarm reasoning; here 3 strategies × 4 depths).
        let study = run(&DepthConfig { trials: 200, ..config(vec![16, 24], Strategy::MEANS.to_vec()) }).unwrap();
        for s in &study.strategies {
            for p in &s.points {
                assert!((p.gain_ratio.mean - 1.0).abs() <= 5.0 * p.gain_ratio.stderr, "{} {p:?}", s.strategy);
            }
        }
    }

    #[test]
    fn composite_gain_is_one_for_geometric_and_below_for_the_others() {
        assert!((composite_gain(Strategy::Geometric, 64, 256).unwrap() - 1.0).abs() < 1e-15);
        // source: hand computation, arithmetic m·n·(2/(m+n))² = 64·256·4/320² = 0.64.
        assert!((composite_gain(Strategy::Arithmetic, 64, 256).unwrap() - 0.64).abs() < 1e-15);
        assert!(composite_gain(Strategy::Quadratic, 64, 256).unwrap() < 0.64);
    }
}
