//! Activation functions φ, their derivatives φ', and their mean-field gains.
//!
//! For a pre-activation h ~ N(0, q) the mean-field theory of signal propagation[^1] tracks two
//! numbers per activation:
//!
//! ```text
//! M(q) = E[φ(h)²]  = E[φ(√q z)²],   z ~ N(0, 1)   (second-moment gain, forward)
//! D(q) = E[φ'(h)²] = E[φ'(√q z)²]                  (derivative gain, backward)
//! ```
//!
//! | name | φ(x) | M(q) | D(q) |
//! |---|---|---|---|
//! | `linear` | x | q (exact) | 1 (exact) |
//! | `relu` | max(0, x) | q/2 (exact) | 1/2 (exact; φ'(0) := 0) |
//! | `tanh` | tanh x | quadrature | quadrature |
//! | `gelu` | x·Φ(x) (exact, erf form) | quadrature | quadrature |
//! | `swish` | x·σ(x) = x/(1 + e^{−x}) (SiLU) | quadrature | quadrature |
//! | `hard-tanh` | max(−1, min(1, x)) | closed form below (exact) | erf(1/√(2q)) (exact; φ'(±1) := 0) |
//!
//! For hard-tanh, with a = 1/√q and Φ, φ the standard normal CDF and density,
//! M(q) = q·[(2Φ(a) − 1) − 2aφ(a)] + 2(1 − Φ(a)) (the truncated second moment of N(0, q) plus the
//! mass clipped to ±1) and D(q) = P(|h| < 1) = 2Φ(a) − 1; at q = 0 both take their limits 0 and 1.
//!
//! **Numerical method and accuracy.** `linear`, `relu` and `hard-tanh` use their closed forms. The others use
//! a [`GaussHermite`] rule with [`QUADRATURE_NODES`] nodes. Measured against 50-digit mpmath
//! quadrature (`scripts/reference/activations.py`, the unit tests below) for q ∈ [0.25, 4]:
//! relative error ≤ 3e-13 for swish and ≤ 1e-10 for gelu (there the limit is statrs' `erfc`,
//! not the rule);
//! for tanh, whose poles at z = ±iπ/(2√q) approach the real axis as q grows, ≤ 1e-15 at
//! q = 0.25, 1e-8 at q = 2 and 1e-5 at q = 4 (the rule cannot simply be lengthened: see
//! [`GaussHermite::new`]). All are far below the Monte Carlo standard errors the gains are
//! compared with (≳ 1e-4) and below the O(1/width) error of the mean-field map itself.
//!
//! [^1]: B. Poole, S. Lahiri, M. Raghu, J. Sohl-Dickstein and S. Ganguli, "Exponential
//!     expressivity in deep neural networks through transient chaos", *NeurIPS* 2016;
//!     S. S. Schoenholz, J. Gilmer, S. Ganguli and J. Sohl-Dickstein, "Deep information
//!     propagation", *ICLR* 2017.

use crate::error::{Error, Result};
use crate::law::quadrature::GaussHermite;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// Nodes of the Gauss–Hermite rule behind the mean-field gains of the smooth activations.
pub const QUADRATURE_NODES: usize = 160;

/// An elementwise activation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// φ(x) = x.
    #[default]
    Linear,
    /// φ(x) = max(0, x).
    Relu,
    /// φ(x) = tanh x.
    Tanh,
    /// φ(x) = x·Φ(x), Φ the standard normal CDF (exact GELU, not the tanh approximation).
    Gelu,
    /// φ(x) = x·σ(x) with σ the logistic function (Swish with β = 1, SiLU).
    Swish,
    /// φ(x) = max(−1, min(1, x)); φ'(x) = 1 for |x| < 1 and 0 otherwise.
    HardTanh,
}

impl Activation {
    /// Every activation, in documentation order.
    pub const ALL: [Activation; 6] = [
        Activation::Linear,
        Activation::Relu,
        Activation::Tanh,
        Activation::Gelu,
        Activation::Swish,
        Activation::HardTanh,
    ];

    /// φ(x).
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Activation::Linear => x,
            Activation::Relu => x.max(0.0),
            Activation::Tanh => x.tanh(),
            Activation::Gelu => x * normal_cdf(x),
            Activation::Swish => x * logistic(x),
            Activation::HardTanh => x.clamp(-1.0, 1.0),
        }
    }

    /// φ'(x) (for relu, φ'(0) = 0).
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Activation::Linear => 1.0,
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => {
                let t = x.tanh();
                1.0 - t * t
            }
            Activation::Gelu => normal_cdf(x) + x * normal_pdf(x),
            Activation::Swish => {
                let s = logistic(x);
                s * (1.0 + x * (1.0 - s))
            }
            Activation::HardTanh => {
                if x.abs() < 1.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// M(q) = E[φ(h)²] for h ~ N(0, q).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless q is finite and ≥ 0.
    pub fn second_moment(self, q: f64) -> Result<f64> {
        let q = require_variance(q)?;
        Ok(match self {
            Activation::Linear => q,
            Activation::Relu => q / 2.0,
            Activation::HardTanh => {
                if q == 0.0 {
                    return Ok(0.0);
                }
                let a = 1.0 / q.sqrt();
                let inside = statrs::function::erf::erf(a / std::f64::consts::SQRT_2);
                q * (inside - 2.0 * a * normal_pdf(a)) + statrs::function::erf::erfc(a / std::f64::consts::SQRT_2)
            }
            _ => {
                let s = q.sqrt();
                rule().expectation(|z| self.apply(s * z).powi(2))
            }
        })
    }

    /// D(q) = E[φ'(h)²] for h ~ N(0, q).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless q is finite and ≥ 0.
    pub fn derivative_gain(self, q: f64) -> Result<f64> {
        let q = require_variance(q)?;
        Ok(match self {
            Activation::Linear => 1.0,
            Activation::Relu => 0.5,
            Activation::HardTanh => {
                if q == 0.0 {
                    return Ok(1.0);
                }
                statrs::function::erf::erf(1.0 / (2.0 * q).sqrt())
            }
            _ => {
                let s = q.sqrt();
                rule().expectation(|z| self.derivative(s * z).powi(2))
            }
        })
    }

    /// Whether the mean-field map is exact for this activation in a finite-width network:
    /// linear (both directions). For relu the forward map is exact too (E relu(h)² = E h²/2 for
    /// any symmetric h), but the backward map is not.
    pub fn is_linear(self) -> bool {
        self == Activation::Linear
    }
}

fn require_variance(q: f64) -> Result<f64> {
    if q.is_finite() && q >= 0.0 {
        Ok(q)
    } else {
        Err(Error::invalid("pre-activation variance q", q, "must be finite and ≥ 0"))
    }
}

fn rule() -> &'static GaussHermite {
    static RULE: OnceLock<GaussHermite> = OnceLock::new();
    RULE.get_or_init(|| GaussHermite::new(QUADRATURE_NODES))
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

impl Activation {
    /// The name (as written and parsed).
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Gelu => "gelu",
            Activation::Swish => "swish",
            Activation::HardTanh => "hard-tanh",
        }
    }

    /// Other accepted names.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Activation::Linear => &["identity"],
            Activation::Swish => &["silu"],
            Activation::HardTanh => &["hardtanh", "hard_tanh"],
            _ => &[],
        }
    }

    /// φ(x) as a formula.
    pub fn formula(self) -> &'static str {
        match self {
            Activation::Linear => "φ(x) = x",
            Activation::Relu => "φ(x) = max(0, x)",
            Activation::Tanh => "φ(x) = tanh x",
            Activation::Gelu => "φ(x) = x·Φ(x), Φ the standard normal CDF (exact GELU)",
            Activation::Swish => "φ(x) = x/(1 + e^−x) (SiLU)",
            Activation::HardTanh => "φ(x) = max(−1, min(1, x))",
        }
    }
}

impl FromStr for Activation {
    type Err = Error;

    /// Parses the names and aliases of [`Activation::ALL`] (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        Activation::ALL.into_iter().find(|a| a.name() == lower || a.aliases().contains(&lower.as_str())).ok_or_else(
            || {
                let expected: Vec<String> = Activation::ALL
                    .iter()
                    .map(|a| match a.aliases() {
                        [] => a.name().to_string(),
                        aliases => format!("{} ({})", a.name(), aliases.join(", ")),
                    })
                    .collect();
                Error::UnknownName { kind: "activation", name: s.to_string(), expected: expected.join(", ") }
            },
        )
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Activation {
    /// As its name (`"relu"`, …).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gauss–Hermite vs 50-digit quadrature, relative (see the module docs; measured 3e-13 for
    /// swish, 1.3e-11 for gelu, whose Φ comes from statrs' erfc).
    const SMOOTH_RELATIVE_TOLERANCE: f64 = 1e-10;
    /// tanh's poles near the real axis slow the rule down (see the module docs; measured 9.6e-6
    /// for D(4)).
    const TANH_RELATIVE_TOLERANCE: f64 = 2e-5;

    // source: scripts/reference/activations.py (mpmath 1.3, 50 digits, tanh–sinh quadrature,
    // rounded to the nearest double):
    // (q, E[φ(√q z)²], E[φ'(√q z)²]).
    const TANH: [(f64, f64, f64); 4] = [
        (0.25, 0.17351614343237184, 0.71737986160311),
        (1.0, 0.3942944903978412, 0.46440290244826826),
        (2.0, 0.5199757456639487, 0.3495082977466028),
        (4.0, 0.6352612342569399, 0.25595044322520893),
    ];
    // source: as above.
    const GELU: [(f64, f64, f64); 4] = [
        (0.25, 0.08350672379334981, 0.35568513965211246),
        (1.0, 0.4252214825702987, 0.4558508656492871),
        (2.0, 0.9220828721100172, 0.48951193779169566),
        (4.0, 1.9298650158644433, 0.506044764053799),
    ];
    // source: as above.
    const SWISH: [(f64, f64, f64); 4] = [
        (0.25, 0.07224912420986593, 0.3003079850850659),
        (1.0, 0.35577551981735217, 0.3794823516328293),
        (2.0, 0.7991531519628029, 0.4268727248983248),
        (4.0, 1.7578898666788154, 0.4664250548387369),
    ];

    #[test]
    fn gains_match_high_precision_references() {
        for (activation, table, tolerance) in [
            (Activation::Tanh, TANH, TANH_RELATIVE_TOLERANCE),
            (Activation::Gelu, GELU, SMOOTH_RELATIVE_TOLERANCE),
            (Activation::Swish, SWISH, SMOOTH_RELATIVE_TOLERANCE),
        ] {
            for (q, m, d) in table {
                let got_m = activation.second_moment(q).unwrap();
                let got_d = activation.derivative_gain(q).unwrap();
                assert!(
                    (got_m - m).abs() <= tolerance * m,
                    "{activation} M({q}) = {got_m:e} vs {m:e}, rel {:e}",
                    (got_m - m).abs() / m
                );
                assert!(
                    (got_d - d).abs() <= tolerance * d,
                    "{activation} D({q}) = {got_d:e} vs {d:e}, rel {:e}",
                    (got_d - d).abs() / d
                );
            }
        }
    }

    #[test]
    fn linear_and_relu_gains_are_the_closed_forms() {
        // source: closed forms, E h² = q, E relu(h)² = q/2, P(h > 0) = 1/2.
        for q in [0.0, 0.25, 1.0, 3.5] {
            assert_eq!(Activation::Linear.second_moment(q).unwrap(), q);
            assert_eq!(Activation::Linear.derivative_gain(q).unwrap(), 1.0);
            assert_eq!(Activation::Relu.second_moment(q).unwrap(), q / 2.0);
            assert_eq!(Activation::Relu.derivative_gain(q).unwrap(), 0.5);
        }
        // The quadrature path agrees with them too (even-node rule, symmetric nodes).
        let rule = GaussHermite::new(QUADRATURE_NODES);
        let relu = rule.expectation(|z| Activation::Relu.apply(1.7 * z).powi(2));
        assert!((relu - 1.7 * 1.7 / 2.0).abs() < 1e-13);
    }

    #[test]
    fn derivatives_match_finite_differences() {
        const STEP: f64 = 1e-6;
        for activation in Activation::ALL {
            for x in [-2.5, -0.3, 0.7, 3.0] {
                let fd = (activation.apply(x + STEP) - activation.apply(x - STEP)) / (2.0 * STEP);
                assert!((fd - activation.derivative(x)).abs() < 1e-8, "{activation} at {x}");
            }
        }
    }

    #[test]
    fn names_parse_round_trip_and_unknown_is_an_error() {
        for a in Activation::ALL {
            assert_eq!(a.to_string().parse::<Activation>().unwrap(), a);
        }
        assert_eq!("SiLU".parse::<Activation>().unwrap(), Activation::Swish);
        assert!(matches!("sigmoid".parse::<Activation>(), Err(Error::UnknownName { .. })));
        assert!(Activation::Tanh.second_moment(-1.0).is_err());
        assert!(Activation::Tanh.derivative_gain(f64::NAN).is_err());
    }
}
