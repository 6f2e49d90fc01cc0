//! The network whose Jacobian the law describes, and its mean-field pre-activation variances.
//!
//! Widths w₀, …, w_L; layer ℓ has W_ℓ ∈ ℝ^{w_{ℓ−1}×w_ℓ} (m = fan-in rows, n = fan-out columns,
//! h_ℓ = W_ℓᵀx_{ℓ−1} + b_ℓ, x_ℓ = φ(h_ℓ)) drawn by the strategy at (w_{ℓ−1}, w_ℓ) with entry
//! variance s2_ℓ, so the mean-field weight variance is σ²_ℓ = w_{ℓ−1}·s2_ℓ; biases are
//! N(0, σ_b²); the input has E x₀ᵢ² = `input_second_moment` (1 for x₀ ~ N(0, I)).
//!
//! **Mean field.** The pre-activations h_ℓ are treated as N(0, q_ℓ) with (Poole et al. 2016)
//!
//! ```text
//! q₁ = σ²₁·E x₀ᵢ² + σ_b²,        q_ℓ = σ²_ℓ·M(q_{ℓ−1}) + σ_b²,     M(q) = E φ(√q z)²,
//! ```
//!
//! (the input is not passed through φ, as in [`crate::experiment::propagation`]), and
//! χ_ℓ = σ²_ℓ·E φ'(√q_ℓ z)² is the mean-field gain of squared gradients. [`MeanField::Trajectory`]
//! uses q_ℓ layer by layer; [`MeanField::FixedPoint`] uses for every layer the fixed point q*_ℓ
//! of its own map q ↦ σ²_ℓ M(q) + σ_b² that the iteration from q₁ converges to (the same q* for
//! every layer when all σ²_ℓ agree). The phase is read from χ* = σ²_L·E φ'(√q* z)² at the last
//! layer's fixed point: ordered (χ* < 1), critical (χ* = 1), chaotic (χ* > 1).
//!
//! **Gaussian expectations.** linear, relu and hard-tanh use closed forms; tanh, gelu and swish
//! use the trapezoidal rule of [`crate::free::discrete`] (step from the poles of φ: tanh at
//! z = ±iπ/(2√q), swish at ±iπ/√q; gelu is entire and uses the largest step). That rule is more
//! accurate for tanh than the Gauss–Hermite rule of [`Activation::second_moment`] (measured in
//! the tests against mpmath), which is why the two are not shared.

use super::analytic::DerivativeSquared;
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::free::discrete::{gaussian_step, gaussian_trapezoid, DiscreteLaw};
use crate::strategy::{Ensemble, Strategy};
use serde::Serialize;

/// Which pre-activation variance each layer's D² law uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeanField {
    /// q_ℓ from the recursion, layer by layer (the default).
    #[default]
    Trajectory,
    /// The fixed point q*_ℓ of each layer's map reached from q₁.
    FixedPoint,
}

impl std::str::FromStr for MeanField {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "trajectory" => Ok(MeanField::Trajectory),
            "fixed-point" | "fixed_point" | "fixedpoint" => Ok(MeanField::FixedPoint),
            _ => Err(Error::UnknownName {
                kind: "mean-field mode",
                name: s.to_string(),
                expected: "trajectory, fixed-point".into(),
            }),
        }
    }
}

impl std::fmt::Display for MeanField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MeanField::Trajectory => "trajectory",
            MeanField::FixedPoint => "fixed-point",
        })
    }
}

/// Deepest network accepted: the cost grows linearly with depth (law and 1000-point density
/// took 0.76 s of CPU at depth 100 for orthogonal tanh along the trajectory, 0.5 s for Gaussian
/// tanh; docs/jacobian.md), and the scale must stay inside the double range.
pub const MAX_DEPTH: usize = 2000;
/// Largest ratio between any two widths accepted (the tests reach 16; the solver has been run
/// to 64).
pub const MAX_WIDTH_RATIO: f64 = 64.0;

/// A fully connected network at initialisation (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Widths w₀, …, w_L (at least two).
    pub widths: Vec<usize>,
    /// The initialisation strategy of every layer.
    pub strategy: Strategy,
    /// φ, applied after every layer (including the last, so J = D_L W_Lᵀ ⋯ D₁ W₁ᵀ).
    pub activation: Activation,
    /// σ_b² ≥ 0.
    pub bias_variance: f64,
    /// E x₀ᵢ² > 0 of the input (1 for x₀ ~ N(0, I)).
    pub input_second_moment: f64,
    /// Trajectory or fixed point.
    pub mean_field: MeanField,
}

/// One layer's mean-field quantities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerMeanField {
    /// w_{ℓ−1} (rows of W_ℓ).
    pub fan_in: usize,
    /// w_ℓ (columns of W_ℓ).
    pub fan_out: usize,
    /// Entry variance s2_ℓ.
    pub variance: f64,
    /// σ²_ℓ = w_{ℓ−1}·s2_ℓ.
    pub sigma_w2: f64,
    /// The pre-activation variance q_ℓ the layer's D² law uses.
    pub q: f64,
    /// E φ'(√q_ℓ z)².
    pub derivative_gain: f64,
    /// χ_ℓ = σ²_ℓ·E φ'(√q_ℓ z)².
    pub chi: f64,
}

/// The law of d = φ'(h)², h ~ N(0, q).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DerivativeLaw {
    /// d is the constant c (linear; any φ at q = 0).
    PointMass(f64),
    /// d ∈ {0, 1} with P(d = 1) = p (relu: 1/2; hard-tanh: erf(1/√(2q))).
    Bernoulli(f64),
    /// A continuous law, discretised (mean-1 law and its raw mean).
    Smooth(DiscreteLaw, f64),
}

impl DerivativeLaw {
    /// E d.
    pub(crate) fn mean(&self) -> f64 {
        match self {
            DerivativeLaw::PointMass(c) => *c,
            DerivativeLaw::Bernoulli(p) => *p,
            DerivativeLaw::Smooth(_, mean) => *mean,
        }
    }
}

impl Network {
    /// A network with σ_b² = 0, E x₀ᵢ² = 1 and the trajectory.
    ///
    /// # Errors
    /// As [`Network::validate`].
    pub fn new(widths: Vec<usize>, strategy: Strategy, activation: Activation) -> Result<Self> {
        let n = Network {
            widths,
            strategy,
            activation,
            bias_variance: 0.0,
            input_second_moment: 1.0,
            mean_field: MeanField::Trajectory,
        };
        n.validate()?;
        Ok(n)
    }

    /// Depth L.
    pub fn depth(&self) -> usize {
        self.widths.len().saturating_sub(1)
    }

    /// Checks widths, depth, width ratios and variances.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the offending value.
    pub fn validate(&self) -> Result<()> {
        if self.widths.len() < 2 {
            return Err(Error::invalid("widths", format!("{:?}", self.widths), "needs at least two widths (w0,w1)"));
        }
        if let Some(i) = self.widths.iter().position(|&w| w == 0) {
            return Err(Error::invalid("widths", format!("{:?} (entry {})", self.widths, i + 1), "must all be ≥ 1"));
        }
        if self.depth() > MAX_DEPTH {
            return Err(Error::invalid("depth", self.depth(), "exceeds the method's limit of 2000 layers"));
        }
        let max = *self.widths.iter().max().expect("non-empty") as f64;
        let min = *self.widths.iter().min().expect("non-empty") as f64;
        if max / min > MAX_WIDTH_RATIO {
            return Err(Error::invalid(
                "widths",
                format!("ratio {}", max / min),
                "the largest/smallest width ratio must be at most 64",
            ));
        }
        if !(self.bias_variance >= 0.0 && self.bias_variance.is_finite()) {
            return Err(Error::invalid("bias variance", self.bias_variance, "must be finite and ≥ 0"));
        }
        crate::error::require_positive("input second moment", self.input_second_moment)?;
        Ok(())
    }

    /// Per layer: (fan-in, fan-out, s2, σ²_w).
    fn weights(&self) -> Result<Vec<(usize, usize, f64, f64)>> {
        self.widths
            .windows(2)
            .map(|p| {
                let s2 = self.strategy.variance(p[0], p[1])?;
                Ok((p[0], p[1], s2, p[0] as f64 * s2))
            })
            .collect()
    }

    /// The pre-activation variances q_ℓ the D² laws use (trajectory or fixed point).
    ///
    /// # Errors
    /// A variance that overflows, or (fixed point) a map without a finite fixed point.
    pub fn variances(&self) -> Result<Vec<f64>> {
        let weights = self.weights()?;
        let mut trajectory = Vec::with_capacity(weights.len());
        let mut q = weights[0].3 * self.input_second_moment + self.bias_variance;
        for (l, w) in weights.iter().enumerate() {
            if l > 0 {
                q = w.3 * second_moment(self.activation, q)? + self.bias_variance;
            }
            if !q.is_finite() {
                return Err(Error::invalid("pre-activation variance", format!("at layer {}", l + 1), "overflows"));
            }
            trajectory.push(q);
        }
        match self.mean_field {
            MeanField::Trajectory => Ok(trajectory),
            MeanField::FixedPoint => weights
                .iter()
                .enumerate()
                .map(|(l, w)| match self.fixed_point(w.3, trajectory[0])? {
                    Some(q) => Ok(q),
                    None => Err(Error::invalid(
                        "mean-field fixed point",
                        format!("layer {} (σ_w² = {})", l + 1, w.3),
                        "does not exist: the variance grows without bound; use the trajectory",
                    )),
                })
                .collect(),
        }
    }

    /// The fixed point of q ↦ σ²·M(q) + σ_b² that the iteration from `q1` converges to (M is
    /// increasing, so the iteration is monotone): bisection on g(q) = σ²M(q) + σ_b² − q in the
    /// direction the iteration moves. `None` when it diverges.
    pub fn fixed_point(&self, sigma_w2: f64, q1: f64) -> Result<Option<f64>> {
        let g = |q: f64| -> Result<f64> { Ok(sigma_w2 * second_moment(self.activation, q)? + self.bias_variance - q) };
        let g1 = g(q1)?;
        if g1 == 0.0 {
            return Ok(Some(q1));
        }
        let (mut lo, mut hi) = if g1 > 0.0 {
            let mut hi = 2.0 * q1.max(1e-300);
            while g(hi)? > 0.0 {
                hi *= 2.0;
                if hi > 1e300 {
                    return Ok(None);
                }
            }
            (q1, hi)
        } else {
            let mut lo = 0.5 * q1;
            while g(lo)? < 0.0 {
                lo *= 0.5;
                if lo < 1e-300 {
                    return Ok(Some(0.0));
                }
            }
            (lo, q1)
        };
        // Invariant: g(lo) ≥ 0 ≥ g(hi) (after the first branch, g(lo) > 0 and g(hi) ≤ 0).
        for _ in 0..2000 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if g(mid)? > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(Some(0.5 * (lo + hi)))
    }

    /// Mean-field quantities per layer, with the D² laws.
    pub(crate) fn layers_with_laws(&self) -> Result<Vec<(LayerMeanField, DerivativeLaw)>> {
        let weights = self.weights()?;
        let qs = self.variances()?;
        weights
            .iter()
            .zip(qs)
            .map(|(&(fan_in, fan_out, variance, sigma_w2), q)| {
                let law = derivative_law(self.activation, q)?;
                let gain = law.mean();
                let layer = LayerMeanField {
                    fan_in,
                    fan_out,
                    variance,
                    sigma_w2,
                    q,
                    derivative_gain: gain,
                    chi: sigma_w2 * gain,
                };
                Ok((layer, law))
            })
            .collect()
    }

    /// Mean-field quantities per layer.
    ///
    /// # Errors
    /// As [`Network::variances`].
    pub fn layers(&self) -> Result<Vec<LayerMeanField>> {
        Ok(self.layers_with_laws()?.into_iter().map(|(l, _)| l).collect())
    }

    /// Whether a layer's weights are Haar orthogonal.
    pub(crate) fn orthogonal(&self) -> bool {
        self.strategy.ensemble() == Ensemble::Orthogonal
    }
}

/// lim_{q→∞} E φ'(√q z)² (for χ* when the variance grows without bound).
pub(crate) fn derivative_gain_at_infinity(activation: Activation) -> f64 {
    match activation {
        Activation::Linear => 1.0,
        Activation::Relu | Activation::Gelu | Activation::Swish => 0.5,
        Activation::Tanh | Activation::HardTanh => 0.0,
    }
}

/// The trapezoidal step for φ at variance q (see the module docs).
fn step_for(activation: Activation, q: f64) -> f64 {
    let sqrt_q = q.sqrt().max(1e-300);
    match activation {
        Activation::Tanh => gaussian_step(std::f64::consts::FRAC_PI_2 / sqrt_q),
        Activation::Swish => gaussian_step(std::f64::consts::PI / sqrt_q),
        _ => gaussian_step(1.0),
    }
}

/// E f(√q z) by the trapezoidal rule (f even or not).
fn gaussian_expectation(activation: Activation, q: f64, f: impl Fn(f64) -> f64) -> Result<f64> {
    let even = activation == Activation::Tanh;
    let s = q.sqrt();
    Ok(gaussian_trapezoid(step_for(activation, q), even)?.iter().map(|&(z, w)| w * f(s * z)).sum())
}

/// M(q) = E φ(√q z)².
pub(crate) fn second_moment(activation: Activation, q: f64) -> Result<f64> {
    match activation {
        Activation::Tanh | Activation::Gelu | Activation::Swish if q > 0.0 => {
            gaussian_expectation(activation, q, |h| activation.apply(h).powi(2))
        }
        _ => activation.second_moment(q),
    }
}

/// The law of φ'(h)², h ~ N(0, q).
pub(crate) fn derivative_law(activation: Activation, q: f64) -> Result<DerivativeLaw> {
    Ok(match activation {
        Activation::Linear => DerivativeLaw::PointMass(1.0),
        Activation::Relu => DerivativeLaw::Bernoulli(0.5),
        Activation::HardTanh => {
            let p = activation.derivative_gain(q)?;
            if p >= 1.0 {
                DerivativeLaw::PointMass(1.0)
            } else {
                DerivativeLaw::Bernoulli(p)
            }
        }
        _ if q == 0.0 => DerivativeLaw::PointMass(activation.derivative(0.0).powi(2)),
        _ => {
            let map = DerivativeSquared::new(activation, q.sqrt());
            // φ' vanishes (gelu, swish) or tends to 0 (tanh): the support of φ'² reaches 0.
            let (law, mean) =
                DiscreteLaw::pushforward(Box::new(map), step_for(activation, q), activation == Activation::Tanh, true)?;
            DerivativeLaw::Smooth(law, mean)
        }
    })
}
