//! The limiting law of the squared singular values of a deep network's input–output Jacobian at
//! initialisation, from free probability.
//!
//! # The network and the matrix
//!
//! Widths w₀, …, w_L; layer ℓ computes h_ℓ = W_ℓᵀ x_{ℓ−1} + b_ℓ, x_ℓ = φ(h_ℓ), with
//! W_ℓ ∈ ℝ^{w_{ℓ−1}×w_ℓ} (m = fan-in rows, n = fan-out columns, the [crate's
//! convention](crate#conventions)) drawn by the strategy at (w_{ℓ−1}, w_ℓ) with entry variance
//! s2_ℓ; σ²_ℓ = w_{ℓ−1}·s2_ℓ is the mean-field weight variance. The Jacobian is
//!
//! ```text
//! J = ∂x_L/∂x₀ = D_L W_Lᵀ ⋯ D₁ W₁ᵀ ∈ ℝ^{w_L×w₀},    D_ℓ = diag φ'(h_ℓ)
//! ```
//!
//! (φ' after every layer, the last included). [`JacobianLaw`] is the limit, as the widths grow
//! with fixed ratios, of the empirical law of the **w_L eigenvalues of J Jᵀ**: the squared
//! singular values of J together with w_L − rank(J) zeros, kept as an explicit atom at 0.
//! (J ᵀJ has the same nonzero eigenvalues among w₀; its atom is 1 − rank/w₀.) Its mean is
//! tr(J Jᵀ)/w_L → Π_ℓ χ_ℓ with χ_ℓ = σ²_ℓ·E φ'(h_ℓ)², the mean-field gain of squared gradients.
//!
//! # The S-transform of J Jᵀ
//!
//! With M_ℓ = J_ℓ J_ℓᵀ on dimension w_ℓ (M₀ = I on w₀), M_ℓ = D_ℓ W_ℓᵀ M_{ℓ−1} W_ℓ D_ℓ. Its
//! nonzero eigenvalues are those of D_ℓ² · (W_ℓᵀ M_{ℓ−1} W_ℓ), and those of W_ℓᵀ M_{ℓ−1} W_ℓ are
//! those of M_{ℓ−1}^{1/2} W_ℓ W_ℓᵀ M_{ℓ−1}^{1/2} on dimension w_{ℓ−1}. Assuming, as Pennington,
//! Schoenholz and Ganguli do[^1][^2], that D_ℓ², W_ℓ W_ℓᵀ and M_{ℓ−1} are asymptotically free
//! (proved for Haar orthogonal weights by Hayase and Karakida[^3]), the S-transforms multiply,
//! and moving between dimensions w_{ℓ−1} and w_ℓ (c = w_{ℓ−1}/w_ℓ) is
//! S_ν(z) = S_μ(z/c)(1 + z)/(c + z) ([`crate::free`]). Unrolled, with r_ℓ = w_ℓ/w_L, every
//! factor of layer ℓ is evaluated at z/r_{ℓ−1} (weights) or z/r_ℓ (D_ℓ²), and the dimension
//! changes telescope to one factor (1 + z)/(r₀ + z):
//!
//! ```text
//! S_{JJᵀ}(z) = (1 + z)/(r₀ + z) · Π_ℓ S_{W_ℓW_ℓᵀ}(z/r_{ℓ−1}) · S_{D_ℓ²}(z/r_ℓ).
//! ```
//!
//! The factors:
//!
//! - **Gaussian W_ℓ.** W_ℓW_ℓᵀ is w_ℓ·s2_ℓ times a Marchenko–Pastur(γ = w_{ℓ−1}/w_ℓ) matrix, so
//!   S(v) = 1/(s2_ℓ(w_ℓ + w_{ℓ−1}v)), and at v = z/r_{ℓ−1}: r_{ℓ−1}/(σ²_ℓ (r_ℓ + z)). For a
//!   square linear chain at unit gain, S = (1 + z)^{−L}: the Fuss–Catalan law of order L.
//! - **Haar orthogonal W_ℓ** (the strategy's scaled semi-orthogonal matrix, all min(m, n)
//!   singular values c_ℓ with c²_ℓ = max(w_{ℓ−1}, w_ℓ)·s2_ℓ). If w_{ℓ−1} ≤ w_ℓ, W_ℓW_ℓᵀ = c²_ℓ I
//!   and S = 1/c²_ℓ; otherwise W_ℓW_ℓᵀ = c²_ℓ P with P a Haar projection of trace w_ℓ/w_{ℓ−1},
//!   S(v) = (1 + v)/(c²_ℓ(w_ℓ/w_{ℓ−1} + v)), at v = z/r_{ℓ−1}: (r_{ℓ−1} + z)/(σ²_ℓ(r_ℓ + z)).
//! - **D_ℓ²**: the law of φ'(h)², h ~ N(0, q_ℓ) ([`network`]): a point mass (linear; φ'(0)² at
//!   q = 0), S = 1/c; a Bernoulli law (relu: P(φ' = 1) = 1/2; hard-tanh: erf(1/√(2q))), a
//!   projection of trace p with S(v) = (1 + v)/(p + v); otherwise (tanh, gelu, swish) a
//!   continuous law, discretised by the trapezoidal rule ([`crate::free::discrete`]), whose S is
//!   evaluated through its Cauchy transform inside the solver.
//!
//! Every constant collects into the mean m₁ = Π χ_ℓ (carried as its logarithm, so no depth
//! overflows), and the law is computed for J Jᵀ/m₁, of mean 1, with
//! S(z) = Π (1 + z/a_i)^{e_i} Π S_{D̃_k}(z/r_k): the form [`crate::free::STransform`] solves.
//!
//! # Atoms, edges, density, CDF, moments
//!
//! - **Atom at 0**: 1 − b with b = min(w₀, min_ℓ p_ℓ w_ℓ)/w_L (p_ℓ = 1 except for Bernoulli
//!   D_ℓ²): the rank bottleneck, and the smallest pole of S.
//! - **Atom at the top**: only when every factor is a projection or a point mass (orthogonal
//!   weights with linear, relu or hard-tanh): the input subspace that every factor keeps at its
//!   nonzero value has dimension max(0, …) by counting (a co-isometry of kernel k removes k
//!   dimensions, a projection of trace p on w_ℓ removes (1 − p)w_ℓ), and carries the product of
//!   those values. The orthogonal linear chain is the point mass at Π_ℓ c²_ℓ.
//! - **Edges**: the critical points of x(z) ([`crate::free::edges`]). tanh, gelu and swish have
//!   inf φ'(h)² = 0, so the support of J Jᵀ then reaches 0 (for v in the spectral subspace of a
//!   factor near 0, the quadratic form of the product is as small): the reported lower edge is 0
//!   and κ(J) is infinite in the limit, although the mass near 0 is astronomically small for
//!   tanh; [`JacobianLaw::quantile_spread`] is the finite summary to use instead.
//! - **Density and CDF**: tabulated in t = log x between the edges (module `table`), from the
//!   solver of [`crate::free`]; a single smooth factor with nothing free beside it (one orthogonal
//!   layer with w₀ ≥ w₁ and a smooth φ) is the pushforward of N(0, q) by φ'², computed directly
//!   (module `pushforward`).
//! - **Moments**: exact, from the series of S ([`crate::free::STransform::moments`]); for
//!   Gaussian linear square chains they are the Fuss–Catalan numbers binom((L+1)k, k)/(Lk + 1).
//!
//! **Accuracy** (measured by the tests): moments to ~1e-13 relative; density within 1e-10 of the
//! closed forms (Marchenko–Pastur, Fuss–Catalan L = 2); CDF absolute error ~1e-11; the D² laws
//! of tanh are discretised to ~1e-14 in their moments, and the effect on the density is measured
//! against a finer rule and against mpmath (`scripts/reference/jacobian.py`).
//!
//! [^1]: J. Pennington, S. S. Schoenholz and S. Ganguli, "Resurrecting the sigmoid in deep
//!     learning through dynamical isometry: theory and practice", *NeurIPS* 2017.
//! [^2]: J. Pennington, S. S. Schoenholz and S. Ganguli, "The emergence of spectral
//!     universality in deep networks", *AISTATS* 2018.
//! [^3]: T. Hayase and R. Karakida, "The spectrum of Fisher information of deep networks
//!     achieving dynamical isometry", *AISTATS* 2021; B. Collins and T. Hayase, "Asymptotic
//!     freeness of layerwise Jacobians caused by invariance of multilayer perceptron: the Haar
//!     orthogonal case", *Commun. Math. Phys.* 397 (2023).

mod analytic;
pub mod network;
mod pushforward;
mod structure;
mod table;

pub use network::{LayerMeanField, MeanField, Network};

use super::{SpectralLaw, Support};
use crate::error::{Error, Result};
use crate::free::edges::{LowerEdge, UpperEdge};
use crate::free::solve::Point;
use crate::free::STransform;
use pushforward::Pushforward;
use serde::Serialize;
use structure::{structure, TopAtom};
use table::{solve_near, Edges, Solver, Table, Targets};

/// Raw moments kept (E λ¹ … E λ⁴ are reported).
const MOMENTS: usize = 4;

/// The mean-field phase, from χ at the fixed point of the last layer's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// χ* < 1: gradients vanish with depth.
    Ordered,
    /// χ* = 1 (to 1e-9).
    Critical,
    /// χ* > 1: gradients explode with depth.
    Chaotic,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Ordered => "ordered",
            Phase::Critical => "critical",
            Phase::Chaotic => "chaotic",
        })
    }
}

/// The continuous part of the law: where its density comes from, and its table.
#[derive(Debug, Clone, PartialEq)]
enum Continuous {
    /// No continuous part (the law is atoms only).
    None,
    /// From the S-transform solver, with the solutions found while tabulating (warm starts).
    Free { transform: STransform, edges: Edges, known: Vec<(f64, Point)>, table: Table },
    /// The pushforward of a single smooth factor.
    Pushforward { source: Pushforward, table: Table },
}

/// The limiting law of the eigenvalues of J Jᵀ (see the [module docs](self)).
///
/// # Example
///
/// ```
/// use rmspec::activation::Activation;
/// use rmspec::law::jacobian::{JacobianLaw, Network};
/// use rmspec::law::SpectralLaw;
/// use rmspec::Strategy;
///
/// // Two square Gaussian layers at unit gain: the Fuss–Catalan law of order 2 on [0, 27/4].
/// let law = JacobianLaw::new(&Network::new(vec![100, 100, 100], Strategy::LeCun, Activation::Linear)?)?;
/// assert!((law.support().upper - 6.75).abs() < 1e-10);
/// assert!((law.raw_moments()[1] - 3.0).abs() < 1e-12); // binom(6, 2)/5
/// assert!((law.cdf(law.quantile(0.3)?) - 0.3).abs() < 1e-9);
/// # Ok::<(), rmspec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JacobianLaw {
    network: Network,
    layers: Vec<LayerMeanField>,
    log_scale: f64,
    atom_zero: f64,
    top: Option<TopAtom>,
    reaches_zero: bool,
    moments: Vec<f64>,
    continuous: Continuous,
    chi_star: f64,
}

impl JacobianLaw {
    /// Computes the law for a network. The work runs on rayon's global pool, which solves the
    /// layers' inner equations in parallel; the law is the same to the last bit for any thread
    /// count (`RAYON_NUM_THREADS`).
    ///
    /// # Errors
    /// An invalid network, a mean-field map without fixed point (fixed-point mode), a mean
    /// squared singular value outside the double range; [`Error::Numerical`] for a point of the
    /// density that cannot be solved or a failed consistency check of the computed law (none in
    /// the robustness sweep of docs/jacobian.md).
    pub fn new(network: &Network) -> Result<Self> {
        crate::free::on_worker(|| Self::build(network))
    }

    /// [`new`](Self::new), on the calling thread.
    fn build(network: &Network) -> Result<Self> {
        network.validate()?;
        let with_laws = network.layers_with_laws()?;
        let s = structure(network, &with_laws)?;
        if s.log_scale.abs() > 700.0 {
            return Err(Error::invalid(
                "mean squared singular value",
                format!("e^{:.1}", s.log_scale),
                "is outside the double range (use fewer layers or a gain closer to 1)",
            ));
        }
        let moments = s.transform.moments(MOMENTS)?;
        let atom_zero = s.transform.atom_at_zero();
        let top_mass = s.top.map_or(0.0, |t| t.mass);
        let targets = Targets {
            mass: 1.0 - atom_zero - top_mass,
            mean: 1.0 - s.top.map_or(0.0, |t| t.mass * t.log_position.exp()),
        };
        let continuous = if targets.mass <= 1e-12 {
            Continuous::None
        } else if let Some((q, mean)) = s.single_smooth {
            let mut source = Pushforward::new(network.activation, q, mean)?;
            let t_hi = source.log_upper();
            let breakpoints = source.log_breakpoints();
            let table = Table::build(&mut source, t_hi, None, &breakpoints, targets)?;
            Continuous::Pushforward { source, table }
        } else {
            let upper =
                if s.top.is_some() { s.transform.upper_edge_below_atom()? } else { s.transform.upper_edge()? };
            let lower = s.transform.lower_edge()?;
            let t_lo = match lower {
                LowerEdge::Soft(e) => Some(e.log_x),
                LowerEdge::Hard { .. } => None,
            };
            let edges = Edges { upper, lower };
            let mut solver = Solver::new(&s.transform, edges, Vec::new());
            let table = Table::build(&mut solver, upper.log_x(), t_lo, &[], targets)?;
            let known = solver.into_known();
            Continuous::Free { transform: s.transform.clone(), edges, known, table }
        };
        let layers: Vec<LayerMeanField> = with_laws.into_iter().map(|(l, _)| l).collect();
        let chi_star = chi_at_fixed_point(network, &layers)?;
        Ok(JacobianLaw {
            network: network.clone(),
            layers,
            log_scale: s.log_scale,
            atom_zero,
            top: s.top,
            reaches_zero: s.smooth,
            moments,
            continuous,
            chi_star,
        })
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Mean-field quantities per layer (q_ℓ, χ_ℓ, …).
    pub fn layers(&self) -> &[LayerMeanField] {
        &self.layers
    }

    /// log of the mean squared singular value m₁ = Π χ_ℓ (over the w_L eigenvalues of J Jᵀ).
    pub fn log_mean(&self) -> f64 {
        self.log_scale
    }

    /// E λᵏ for k = 1..=4 (atom at 0 included).
    pub fn raw_moments(&self) -> Vec<f64> {
        self.moments.iter().enumerate().map(|(k, m)| m * ((k + 1) as f64 * self.log_scale).exp()).collect()
    }

    /// E (λ/m₁)ᵏ for k = 1..=4: the moments in units of the mean (finite at any depth).
    pub fn normalized_moments(&self) -> &[f64] {
        &self.moments
    }

    /// χ* = σ²_L·E φ'(√q* z)² at the fixed point of the last layer's mean-field map.
    pub fn chi_star(&self) -> f64 {
        self.chi_star
    }

    /// Ordered, critical or chaotic, from [`chi_star`](Self::chi_star).
    pub fn phase(&self) -> Phase {
        if (self.chi_star - 1.0).abs() <= 1e-9 {
            Phase::Critical
        } else if self.chi_star < 1.0 {
            Phase::Ordered
        } else {
            Phase::Chaotic
        }
    }

    /// The atom away from zero, as (position, mass), for chains of projections and point masses.
    pub fn top_atom(&self) -> Option<(f64, f64)> {
        self.top.map(|t| ((t.log_position + self.log_scale).exp(), t.mass))
    }

    /// The largest squared singular value of J in the limit: the upper edge of the support, or
    /// the top atom.
    pub fn largest_squared_singular_value(&self) -> f64 {
        let atom = self.top_atom().map_or(0.0, |a| a.0);
        self.support().upper.max(atom)
    }

    /// κ(J) in the limit, √(λ_max/λ_min⁺) over the nonzero spectrum: infinite when the support
    /// of the nonzero part reaches 0.
    pub fn condition_number(&self) -> f64 {
        let s = self.support();
        let lowest = match (self.top_atom(), &self.continuous) {
            (Some((x, _)), Continuous::None) => x,
            _ => s.lower,
        };
        (self.largest_squared_singular_value() / lowest).sqrt()
    }

    /// Whether the continuous part ends at a soft upper edge (a critical point of the
    /// S-transform equation, where ρ vanishes like a square root), rather than at a hard edge
    /// (the pushforward of one factor, products of projections) or not at all.
    pub fn upper_edge_is_soft(&self) -> bool {
        matches!(&self.continuous, Continuous::Free { edges, .. } if matches!(edges.upper, UpperEdge::Soft(_)))
    }

    /// Whether the upper edge is where the truncation of a D² factor's rule at z = ±9 puts it
    /// ([`SoftEdge::set_by_truncation`](crate::free::edges::SoftEdge::set_by_truncation)): the
    /// top of the law is then an exponentially thin tail, and the upper edge, the largest squared
    /// singular value and κ(J) depend on the truncation (by 0.2–1% in the cases measured); the
    /// quantiles, CDF and density do not.
    pub fn upper_edge_set_by_truncation(&self) -> bool {
        matches!(&self.continuous, Continuous::Free { edges, .. }
            if matches!(edges.upper, UpperEdge::Soft(e) if e.set_by_truncation))
    }

    /// √(Q(1 − p)/Q(p)) over the nonzero part of the law (Q its quantile function): a spread of
    /// the singular values of J that stays finite when κ(J) does not.
    ///
    /// # Errors
    /// p outside (0, 1/2).
    pub fn quantile_spread(&self, p: f64) -> Result<f64> {
        if !(p > 0.0 && p < 0.5) {
            return Err(Error::invalid("p", p, "must lie in (0, 1/2)"));
        }
        let nonzero = 1.0 - self.atom_zero;
        let lo = self.quantile(self.atom_zero + p * nonzero)?;
        let hi = self.quantile(self.atom_zero + (1.0 - p) * nonzero)?;
        Ok((hi / lo).sqrt())
    }

    /// The density of the continuous part on `points` cell midpoints of [lower, upper], as
    /// (x, ρ(x)) pairs in ascending x (see [`density_at`](Self::density_at)); empty when there is
    /// no continuous part.
    ///
    /// # Errors
    /// `points` = 0, or the equation fails at some point.
    pub fn density_grid(&self, points: usize) -> Result<Vec<(f64, f64)>> {
        if points == 0 {
            return Err(Error::invalid("points", 0, "must be at least 1"));
        }
        if matches!(self.continuous, Continuous::None) {
            return Ok(Vec::new());
        }
        let s = self.support();
        let h = (s.upper - s.lower) / points as f64;
        let xs: Vec<f64> = (0..points).rev().map(|i| s.lower + (i as f64 + 0.5) * h).collect();
        let mut values = self.densities(&xs)?;
        values.reverse();
        Ok(xs.iter().rev().copied().zip(values).collect())
    }

    /// The density of the continuous part at each x (any order; continuation follows the order
    /// given, so descending x is fastest), on rayon's pool as [`new`](Self::new).
    ///
    /// # Errors
    /// A point where the equation cannot be solved.
    pub fn densities(&self, xs: &[f64]) -> Result<Vec<f64>> {
        crate::free::on_worker(|| self.densities_here(xs))
    }

    /// [`densities`](Self::densities), on the calling thread.
    fn densities_here(&self, xs: &[f64]) -> Result<Vec<f64>> {
        match &self.continuous {
            Continuous::None => Ok(vec![0.0; xs.len()]),
            Continuous::Pushforward { source, .. } => {
                let mut source = source.clone();
                xs.iter()
                    .map(|&x| self.via_log_density(x, |t| table::LogDensity::log_density(&mut source, t)))
                    .collect()
            }
            Continuous::Free { transform, edges, known, .. } => {
                let mut solver = Solver::new(transform, *edges, known.clone());
                xs.iter()
                    .map(|&x| {
                        self.via_log_density(x, |t| {
                            let p = solver.solve(t)?;
                            Ok(transform.log_density(&p))
                        })
                    })
                    .collect()
            }
        }
    }

    /// ρ(x) from the density g of log x: ρ(x) = g(log(x/m₁))/x inside the support, 0 outside.
    fn via_log_density(&self, x: f64, mut g: impl FnMut(f64) -> Result<f64>) -> Result<f64> {
        let s = self.support();
        if x.is_nan() {
            return Err(Error::invalid("x", x, "must be a number"));
        }
        if !(x > 0.0 && x > s.lower && x < s.upper) {
            return Ok(0.0);
        }
        Ok(g(x.ln() - self.log_scale)? / x)
    }

    /// The density of the continuous part at one x, or an error where the equation cannot be
    /// solved (the [`SpectralLaw::density`] method returns NaN there).
    ///
    /// # Errors
    /// As [`densities`](Self::densities).
    pub fn density_at(&self, x: f64) -> Result<f64> {
        match &self.continuous {
            Continuous::Free { transform, edges, known, .. } => self.via_log_density(x, |t| {
                let p = solve_near(transform, edges, known, t)?;
                Ok(transform.log_density(&p))
            }),
            _ => Ok(self.densities(&[x])?[0]),
        }
    }

    fn table(&self) -> Option<&Table> {
        match &self.continuous {
            Continuous::None => None,
            Continuous::Free { table, .. } | Continuous::Pushforward { table, .. } => Some(table),
        }
    }

    fn continuous_mass_below(&self, x: f64) -> f64 {
        self.table().map_or(0.0, |tb| if x <= 0.0 { 0.0 } else { tb.mass_below(x.ln() - self.log_scale) })
    }
}

/// χ* of the last layer's map (see [`JacobianLaw::chi_star`]).
fn chi_at_fixed_point(network: &Network, layers: &[LayerMeanField]) -> Result<f64> {
    let last = layers.last().expect("validated: at least one layer");
    let q1 = Network { mean_field: MeanField::Trajectory, ..network.clone() }.variances()?[0];
    Ok(match network.fixed_point(last.sigma_w2, q1)? {
        Some(q) => last.sigma_w2 * network::derivative_law(network.activation, q)?.mean(),
        None => last.sigma_w2 * network::derivative_gain_at_infinity(network.activation),
    })
}

impl SpectralLaw for JacobianLaw {
    /// The support of the continuous part (for a law of atoms only, the top atom's position).
    fn support(&self) -> Support {
        let to_x = |t: f64| (t + self.log_scale).exp();
        match &self.continuous {
            Continuous::None => {
                let x = self.top_atom().map_or(0.0, |a| a.0);
                Support { lower: x, upper: x }
            }
            Continuous::Pushforward { table, .. } => Support { lower: 0.0, upper: to_x(table.range().1) },
            Continuous::Free { edges, .. } => {
                let lower = match edges.lower {
                    LowerEdge::Soft(e) if !self.reaches_zero => to_x(e.log_x),
                    _ => 0.0,
                };
                Support { lower, upper: to_x(edges.upper.log_x()) }
            }
        }
    }

    fn atom_at_zero(&self) -> f64 {
        self.atom_zero
    }

    /// The density of the continuous part; NaN where the equation cannot be solved.
    fn density(&self, x: f64) -> f64 {
        self.density_at(x).unwrap_or(f64::NAN)
    }

    fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x < 0.0 {
            return 0.0;
        }
        let top = self.top_atom().map_or(0.0, |(at, mass)| if x >= at { mass } else { 0.0 });
        (self.atom_zero + self.continuous_mass_below(x) + top).min(1.0)
    }

    fn sf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x < 0.0 {
            return 1.0;
        }
        let top = self.top_atom().map_or(0.0, |(at, mass)| if x < at { mass } else { 0.0 });
        let above = match self.table() {
            Some(tb) if x > 0.0 => tb.mass_above(x.ln() - self.log_scale),
            Some(_) => 1.0 - self.atom_zero - self.top.map_or(0.0, |t| t.mass),
            None => 0.0,
        };
        (above + top).min(1.0)
    }

    fn mean(&self) -> f64 {
        self.log_scale.exp()
    }

    fn variance(&self) -> f64 {
        (2.0 * self.log_scale).exp() * (self.moments[1] - 1.0)
    }

    /// The smallest x with cdf(x) ≥ p: 0 for p ≤ atom, the top atom's position when p falls in
    /// it, and otherwise the inverse of the tabulated CDF (bisection with Newton steps).
    fn quantile(&self, p: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("p", p, "must be a probability in [0, 1]"));
        }
        if p <= self.atom_zero {
            return Ok(0.0);
        }
        let mass = p - self.atom_zero;
        match self.table() {
            Some(tb) if mass < tb_total(self) => Ok((tb.inverse(mass) + self.log_scale).exp()),
            _ => Ok(self.top_atom().map_or(self.support().upper, |a| a.0)),
        }
    }
}

fn tb_total(law: &JacobianLaw) -> f64 {
    1.0 - law.atom_zero - law.top.map_or(0.0, |t| t.mass)
}
