//! The law of a deep network's Jacobian per strategy, with an optional Monte Carlo of sampled
//! networks beside it: the study behind `rmspec jacobian`.
//!
//! For each strategy the network of the configuration (widths w₀, …, w_L, activation, σ_b²,
//! trajectory or fixed point) gets its [`JacobianLaw`] — the limit of the eigenvalues of J Jᵀ,
//! J = D_L W_Lᵀ ⋯ D₁ W₁ᵀ ∈ ℝ^{w_L×w₀}, w_L eigenvalues with the atom at 0 explicit — summarised
//! as numbers ([`LawSummary`]: density and CDF on a grid, quantiles, moments, edges, the largest
//! squared singular value, χ and the phase, the q_ℓ trajectory), and with
//! [`JacobianConfig::simulation`] a [`simulate`](simulate::simulate) run of sampled networks.

pub mod depth;
pub mod simulate;

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::law::jacobian::{JacobianLaw, LayerMeanField, MeanField, Network, Phase};
use crate::law::{SpectralLaw, Support};
use crate::strategy::Strategy;
use serde::Serialize;
pub use simulate::{pooled, sample_spectra, simulate, JacobianSimulation, TrialSpectrum};

/// What the law's eigenvalues are, in words (documents and figures state it).
pub const NORMALIZATION: &str =
    "eigenvalues of J Jᵀ (w_L × w_L; the squared singular values of J plus w_L − rank(J) zeros, \
     the atom at 0), J = D_L W_Lᵀ ⋯ D_1 W_1ᵀ = ∂x_L/∂x_0; W_l is w(l−1)×w(l) (m = fan-in rows, n = fan-out columns, \
     h_l = W_lᵀ x_(l−1) + b_l), entry variance s2_l of the strategy at (w(l−1), w(l)); D_l = diag φ'(h_l), φ after \
     every layer including the last; no further normalisation";

/// Probabilities of the reported quantiles (of the whole law, atom included).
pub const QUANTILE_PROBABILITIES: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/// Most grid points a study may ask for.
pub const MAX_POINTS: usize = 100_000;

/// A Monte Carlo run: trials and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulationConfig {
    /// Independent networks per strategy.
    pub trials: usize,
    /// Seed of the trial streams.
    pub seed: u64,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct JacobianConfig {
    /// Widths w₀, …, w_L.
    pub widths: Vec<usize>,
    /// Strategies, in output order.
    pub strategies: Vec<Strategy>,
    /// φ after every layer.
    pub activation: Activation,
    /// σ_b² ≥ 0.
    pub bias_variance: f64,
    /// Trajectory q_ℓ or fixed point q*.
    pub mean_field: MeanField,
    /// Grid points of the density and CDF.
    pub points: usize,
    /// Monte Carlo beside the law, if any.
    pub simulation: Option<SimulationConfig>,
}

impl JacobianConfig {
    /// The network of one strategy.
    ///
    /// # Errors
    /// As [`Network::validate`].
    pub fn network(&self, strategy: Strategy) -> Result<Network> {
        let network = Network {
            widths: self.widths.clone(),
            strategy,
            activation: self.activation,
            bias_variance: self.bias_variance,
            input_second_moment: 1.0,
            mean_field: self.mean_field,
        };
        network.validate()?;
        Ok(network)
    }

    /// Checks the configuration.
    ///
    /// # Errors
    /// No strategy, a grid of 0 or more than [`MAX_POINTS`] points, zero trials, or an invalid
    /// network.
    pub fn validate(&self) -> Result<()> {
        if self.strategies.is_empty() {
            return Err(Error::invalid("strategy", "(none)", "at least one strategy is needed"));
        }
        if self.points == 0 || self.points > MAX_POINTS {
            return Err(Error::invalid("points", self.points, "must be from 1 to 100000"));
        }
        self.network(self.strategies[0])?;
        if let Some(s) = self.simulation {
            if s.trials == 0 {
                return Err(Error::invalid("simulate", 0, "must be at least 1 trial"));
            }
            let required = self.memory_estimate(rayon::current_num_threads(), s.trials);
            crate::memory::ensure_fits(
                || format!("Jacobians of {} sampled network(s) of widths {:?}", s.trials, self.widths),
                required,
            )?;
        }
        Ok(())
    }

    /// Estimated peak bytes of a simulation with `workers` threads: per worker the weights
    /// (widest²), two Jacobians (widest·w₀ each) and three vectors, plus dgesdd's workspace
    /// (about 4·min(w_L, w₀)² + 8·max(w_L, w₀)) and the copy of J it destroys; and the pooled
    /// eigenvalues of every trial (three copies while sorting and counting).
    pub fn memory_estimate(&self, workers: usize, trials: usize) -> u128 {
        let w: Vec<u128> = self.widths.iter().map(|&w| w as u128).collect();
        let (first, last) = (w[0], w[w.len() - 1]);
        let widest = w.iter().copied().max().unwrap_or(0);
        let per_worker =
            widest * widest + 3 * widest * first + 3 * widest + 4 * first.min(last).pow(2) + 8 * first.max(last);
        crate::memory::estimate(&[(workers as u128 * per_worker, 8), (3 * trials as u128 * last, 8)])
    }
}

/// An atom of the law away from 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Atom {
    /// Where.
    pub position: f64,
    /// Its mass.
    pub mass: f64,
}

/// A quantile `{p, value}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantile {
    /// Probability (of the whole law, atom at 0 included).
    pub p: f64,
    /// The smallest x with CDF(x) ≥ p.
    pub value: f64,
}

/// Density and CDF at one grid point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridPoint {
    /// The abscissa (a cell midpoint of the continuous part's support).
    pub x: f64,
    /// Density of the continuous part.
    pub density: f64,
    /// CDF (atoms included).
    pub cdf: f64,
}

/// The numbers of one network's law.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LawSummary {
    /// Mean-field quantities per layer: fan-in, fan-out, s2, σ_w², q_ℓ, E φ'(h)², χ_ℓ.
    pub layers: Vec<LayerMeanField>,
    /// The mean eigenvalue Π χ_ℓ.
    pub mean: f64,
    /// Its natural logarithm.
    pub log_mean: f64,
    /// Raw moments E λᵏ, k = 1…4 (exact, from the series of S).
    pub moments: Vec<f64>,
    /// χ at the fixed point of the last layer's map.
    pub chi_star: f64,
    /// Ordered (χ* < 1), critical or chaotic.
    pub phase: Phase,
    /// Mass at 0.
    pub atom_at_zero: f64,
    /// The atom away from 0 (chains of projections and point masses only).
    pub top_atom: Option<Atom>,
    /// Support of the continuous part.
    pub support: Support,
    /// The largest squared singular value of J in the limit.
    pub largest_squared_singular_value: f64,
    /// Whether the upper edge (and so the largest squared singular value and κ(J)) is set by the
    /// truncation of a D² law at z = ±9 rather than by the law itself (see
    /// [`JacobianLaw::upper_edge_set_by_truncation`]).
    pub upper_edge_set_by_truncation: bool,
    /// κ(J) over the nonzero spectrum (infinite when the support reaches 0).
    pub condition_number: f64,
    /// √(Q(0.99)/Q(0.01)) over the nonzero part: a finite spread of the singular values.
    pub quantile_spread: f64,
    /// Quantiles at [`QUANTILE_PROBABILITIES`].
    pub quantiles: Vec<Quantile>,
    /// Density and CDF on the grid (empty for a law of atoms only).
    pub grid: Vec<GridPoint>,
}

impl LawSummary {
    /// Summarises `law` with a grid of `points`.
    ///
    /// # Errors
    /// A point where the law's equation cannot be solved.
    pub fn of(law: &JacobianLaw, points: usize) -> Result<Self> {
        let quantiles = QUANTILE_PROBABILITIES
            .iter()
            .map(|&p| Ok(Quantile { p, value: law.quantile(p)? }))
            .collect::<Result<Vec<_>>>()?;
        let grid = law.density_grid(points)?.into_iter().map(|(x, density)| GridPoint { x, density, cdf: law.cdf(x) });
        Ok(LawSummary {
            layers: law.layers().to_vec(),
            mean: law.mean(),
            log_mean: law.log_mean(),
            moments: law.raw_moments(),
            chi_star: law.chi_star(),
            phase: law.phase(),
            atom_at_zero: law.atom_at_zero(),
            top_atom: law.top_atom().map(|(position, mass)| Atom { position, mass }),
            support: law.support(),
            largest_squared_singular_value: law.largest_squared_singular_value(),
            upper_edge_set_by_truncation: law.upper_edge_set_by_truncation(),
            condition_number: law.condition_number(),
            quantile_spread: law.quantile_spread(0.01)?,
            quantiles,
            grid: grid.collect(),
        })
    }
}

/// One strategy's law, and its simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyJacobian {
    /// The strategy (written as its name).
    pub strategy: Strategy,
    /// The law's numbers.
    pub law: LawSummary,
    /// The Monte Carlo of sampled networks, when asked.
    pub simulation: Option<JacobianSimulation>,
}

/// The whole study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JacobianStudy {
    /// Widths w₀, …, w_L.
    pub widths: Vec<usize>,
    /// φ after every layer.
    pub activation: Activation,
    /// σ_b².
    pub bias_variance: f64,
    /// Trajectory or fixed point.
    pub mean_field: MeanField,
    /// What the law describes ([`NORMALIZATION`]).
    pub normalization: &'static str,
    /// Per strategy, in the order asked.
    pub strategies: Vec<StrategyJacobian>,
}

/// Computes every strategy's law and, when asked, its simulation.
///
/// # Errors
/// An invalid configuration, a law that cannot be computed, or a BLAS/LAPACK failure.
pub fn run(config: &JacobianConfig) -> Result<JacobianStudy> {
    config.validate()?;
    let strategies = config
        .strategies
        .iter()
        .map(|&strategy| {
            let law = JacobianLaw::new(&config.network(strategy)?)?;
            let simulation = config.simulation.map(|s| simulate(&law, s.trials, s.seed)).transpose()?;
            Ok(StrategyJacobian { strategy, law: LawSummary::of(&law, config.points)?, simulation })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(JacobianStudy {
        widths: config.widths.clone(),
        activation: config.activation,
        bias_variance: config.bias_variance,
        mean_field: config.mean_field,
        normalization: NORMALIZATION,
        strategies,
    })
}
