//! The Jacobian law along depth, for constant-width chains: per (strategy, activation) case and
//! depth L, the law's mean m₁ = Π χ_ℓ, its largest squared singular value and spreads in units of
//! m₁, and the product of the layers' squared spectral norms it is compared with; at some depths
//! also the density of log₁₀(λ/m₁). Laws only: nothing is sampled here.
//!
//! λ is an eigenvalue of J Jᵀ, J = D_L W_Lᵀ ⋯ D₁ W₁ᵀ (see [`crate::law::jacobian`]); at constant
//! width w the law depends on w only through σ² = w·s2, so the results hold for any w.

use crate::activation::Activation;
use crate::error::Result;
use crate::law::bai_yin::BaiYin;
use crate::law::jacobian::{JacobianLaw, Network};
use crate::law::SpectralLaw;
use crate::strategy::{Ensemble, Strategy};
use rayon::prelude::*;

/// The quantile level p of the spread √(Q(1 − p)/Q(p)) ([`JacobianLaw::quantile_spread`]).
pub const SPREAD_LEVEL: f64 = 0.01;

/// The quantile of the nonzero part the log-density grid starts from (it spans Q(p) to the upper edge).
pub const DENSITY_FROM: f64 = 1e-2;

/// One network family: a strategy and an activation.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthCase {
    /// Short name, e.g. "Gaussian σ² = 1, tanh".
    pub label: String,
    /// The strategy of every layer.
    pub strategy: Strategy,
    /// φ after every layer.
    pub activation: Activation,
}

impl DepthCase {
    /// Whether the weights are Haar orthogonal.
    pub fn orthogonal(&self) -> bool {
        self.strategy.ensemble() == Ensemble::Orthogonal
    }
}

/// The law of one case at one depth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LawAtDepth {
    /// L.
    pub depth: usize,
    /// log₁₀ m₁ (m₁ = Π χ_ℓ, the mean eigenvalue of J Jᵀ).
    pub log10_mean: f64,
    /// λ_max/m₁: the largest squared singular value of J in units of the mean.
    pub largest_over_mean: f64,
    /// √(Q(1 − p)/Q(p)) at p = [`SPREAD_LEVEL`] over the nonzero part.
    pub quantile_spread: f64,
    /// κ(J) in the limit (infinite when the support reaches 0).
    pub condition_number: f64,
    /// log₁₀ Π_ℓ ‖W_ℓ‖²: Bai–Yin's s2(√m + √n)² for Gaussian layers, max(m, n)·s2 (exact) for
    /// orthogonal ones.
    pub log10_norm_product: f64,
}

impl LawAtDepth {
    /// log₁₀ λ_max.
    pub fn log10_largest(&self) -> f64 {
        self.log10_mean + self.largest_over_mean.log10()
    }

    /// log₁₀ of Π‖W_ℓ‖²/λ_max: how far the product of norms overstates the squared norm of J.
    pub fn log10_overstatement(&self) -> f64 {
        self.log10_norm_product - self.log10_largest()
    }
}

/// The density of u = log₁₀(λ/m₁) at one depth, on an ascending grid of u.
#[derive(Debug, Clone, PartialEq)]
pub struct LogDensityAtDepth {
    /// L.
    pub depth: usize,
    /// (u, density of u) pairs.
    pub points: Vec<(f64, f64)>,
}

/// One case along depth.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDepth {
    /// The case.
    pub case: DepthCase,
    /// The law at each depth, ascending.
    pub points: Vec<LawAtDepth>,
    /// Densities of log₁₀(λ/m₁) at the density depths (empty for a law of atoms only).
    pub densities: Vec<LogDensityAtDepth>,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthSweepConfig {
    /// The constant width w.
    pub width: usize,
    /// The cases.
    pub cases: Vec<DepthCase>,
    /// Depths of the numbers.
    pub depths: Vec<usize>,
    /// Depths of the densities.
    pub density_depths: Vec<usize>,
    /// Grid points of each density.
    pub points: usize,
}

/// Every case along depth.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthSweep {
    /// The constant width.
    pub width: usize,
    /// Per case, in the order asked.
    pub cases: Vec<CaseDepth>,
}

/// The law of one case at one depth, and its density when asked.
fn at_depth(
    config: &DepthSweepConfig,
    case: &DepthCase,
    depth: usize,
) -> Result<(LawAtDepth, Option<LogDensityAtDepth>)> {
    let network = Network::new(vec![config.width; depth + 1], case.strategy, case.activation)?;
    let law = JacobianLaw::new(&network)?;
    let mut log10_norm_product = 0.0;
    for layer in law.layers() {
        let norm2 = if case.orthogonal() {
            layer.fan_in.max(layer.fan_out) as f64 * layer.variance
        } else {
            BaiYin::new(layer.fan_in, layer.fan_out, layer.variance)?.spectral_norm().powi(2)
        };
        log10_norm_product += norm2.log10();
    }
    let point = LawAtDepth {
        depth,
        log10_mean: law.log_mean() / std::f64::consts::LN_10,
        largest_over_mean: (law.largest_squared_singular_value().ln() - law.log_mean()).exp(),
        quantile_spread: law.quantile_spread(SPREAD_LEVEL)?,
        condition_number: law.condition_number(),
        log10_norm_product,
    };
    let density = if config.density_depths.contains(&depth) && law.support().upper > law.support().lower {
        Some(LogDensityAtDepth { depth, points: log_density(&law, config.points)? })
    } else {
        None
    };
    Ok((point, density))
}

/// The density of u = log₁₀(λ/m₁), ρ(λ)·λ·ln 10, on `points` values of u from log₁₀ of the
/// [`DENSITY_FROM`] quantile of the nonzero part to the upper edge (cell midpoints), then, at a
/// soft upper edge ([`JacobianLaw::upper_edge_is_soft`]: ρ vanishes like a square root there),
/// the edge itself with density 0, so that a plotted curve does not stop half a cell short.
fn log_density(law: &JacobianLaw, points: usize) -> Result<Vec<(f64, f64)>> {
    let mean = law.mean();
    let nonzero = 1.0 - law.atom_at_zero();
    let lo = (law.quantile(law.atom_at_zero() + DENSITY_FROM * nonzero)? / mean).log10();
    let hi = (law.support().upper / mean).log10();
    let h = (hi - lo) / points as f64;
    // Descending λ is the fastest order for the solver's continuation.
    let us: Vec<f64> = (0..points).rev().map(|i| lo + (i as f64 + 0.5) * h).collect();
    let xs: Vec<f64> = us.iter().map(|u| mean * 10f64.powf(*u)).collect();
    let rho = law.densities(&xs)?;
    let mut out: Vec<(f64, f64)> =
        us.iter().zip(xs.iter().zip(rho)).map(|(&u, (&x, r))| (u, r * x * std::f64::consts::LN_10)).collect();
    out.reverse();
    if law.upper_edge_is_soft() {
        out.push((hi, 0.0));
    }
    Ok(out)
}

/// Computes every case at every depth (in parallel over (case, depth); each law is computed on
/// its own, so the result does not depend on the thread count).
///
/// # Errors
/// An invalid width or depth, or a law that cannot be computed.
pub fn run(config: &DepthSweepConfig) -> Result<DepthSweep> {
    let mut depths = config.depths.clone();
    depths.extend(config.density_depths.iter().filter(|d| !config.depths.contains(d)));
    depths.sort_unstable();
    let jobs: Vec<(usize, usize)> = (0..config.cases.len()).flat_map(|c| depths.iter().map(move |&d| (c, d))).collect();
    let results = jobs
        .par_iter()
        .map(|&(c, d)| {
            crate::trials::check_stop()?;
            at_depth(config, &config.cases[c], d)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut cases: Vec<CaseDepth> = config
        .cases
        .iter()
        .map(|case| CaseDepth { case: case.clone(), points: Vec::new(), densities: Vec::new() })
        .collect();
    for (&(c, d), (point, density)) in jobs.iter().zip(results) {
        if config.depths.contains(&d) {
            cases[c].points.push(point);
        }
        cases[c].densities.extend(density);
    }
    Ok(DepthSweep { width: config.width, cases })
}
