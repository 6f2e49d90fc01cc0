//! Central prediction intervals, at a chosen level, for the spectrum summaries of one m×n weight
//! matrix: λ_max(S), ‖W‖, σ_min(W) and κ(W).
//!
//! For Gaussian strategies the intervals come from the finite-size edge laws of
//! [`EdgeScaling`](crate::law::edge_scaling): an interval at level L is
//! [Q((1 − L)/2), Q((1 + L)/2)] of the approximate law of the quantity, so that a matrix drawn as
//! claimed falls below it with probability (1 − L)/2 and above it with probability (1 − L)/2.
//!
//! | quantity | method |
//! |---|---|
//! | λ_max(S), ‖W‖ | Tracy–Widom TW₁ at the upper edge: λ_max = s2(μ₊ + σ₊·q)/n, ‖W‖ = √(n·λ_max) |
//! | σ_min(W), m ≠ n | reflected TW₁ at the soft lower edge, on the log scale |
//! | σ_min(W), m = n | Edelman's hard-edge law for n·σ_min²/s2 |
//! | κ(W) | both edges, independent: quantiles of √(ℓ₁/ℓ_p) (see [`EdgeScaling::condition_number_quantile`](crate::law::EdgeScaling::condition_number_quantile)) |
//! | min(m, n) = 1 | exact: the one nonzero eigenvalue of Z Zᵀ is χ² with max(m, n) degrees of freedom; κ = 1 |
//! | orthogonal | exact: all singular values equal √(max(m, n)·s2); degenerate intervals |
//!
//! Coverage measured by simulation (`cargo run --release --example edge_coverage`) is reported
//! in `docs/edge-fluctuations.md`; the spectral-norm interval's 95% coverage at 100×400 is
//! checked in `tests/edge_fluctuations.rs`.
//!
//! # Example
//!
//! ```
//! use rmspec::intervals::EdgeQuantiles;
//!
//! let q = EdgeQuantiles::new(100, 400, 0.95)?;
//! let i = q.intervals(1.0 / 400.0);
//! // Bai–Yin's ‖W‖ → √s2(√n + √m) = 1.5 lies just above the centre of the interval.
//! assert!(i.spectral_norm.lower < 1.5 && 1.5 < i.spectral_norm.upper);
//! assert!(i.condition_number.lower > 2.5 && i.condition_number.upper < 3.5);
//! assert!(EdgeQuantiles::new(100, 400, 1.0).is_err());
//! # Ok::<(), rmspec::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::law::{EdgeScaling, LowerEdge, SpectralLaw, TracyWidom};
use crate::shape::Shape;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::fmt;

/// Checks that a level (a coverage probability) lies strictly between 0 and 1.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `level`.
pub fn check_level(level: f64) -> Result<f64> {
    check_level_named("level", level)
}

/// The largest level whose upper tail probability (1 + level)/2 is below 1 in double precision:
/// 1 − 2⁻⁵².
pub const MAX_LEVEL: f64 = 1.0 - f64::EPSILON;

/// Checks a central-interval level under the caller's option name (`coverage`, `bulk-level`):
/// strictly between 0 and 1, and at most [`MAX_LEVEL`], so that the tail probabilities
/// (1 ± level)/2 of a central interval are themselves strictly inside (0, 1) in double precision
/// (0.9999999999999999 = 1 − 2⁻⁵³ would make the upper tail round to 1).
///
/// # Errors
/// [`Error::InvalidParameter`] naming `name`.
pub fn check_level_named(name: &'static str, level: f64) -> Result<f64> {
    if level > 0.0 && level <= MAX_LEVEL {
        Ok(level)
    } else if level > 0.0 && level < 1.0 {
        Err(Error::invalid(
            name,
            level,
            "is too close to 1 for double precision: at most 1 − 2⁻⁵² = 0.9999999999999998",
        ))
    } else {
        Err(Error::invalid(name, level, "must lie strictly between 0 and 1, e.g. 0.95"))
    }
}

/// How an interval was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// TW₁ at the upper edge (Johnstone 2001 with Ma 2012's constants).
    TracyWidomUpperEdge,
    /// Reflected TW₁ at the soft lower edge on the log scale (Feldheim–Sodin 2010, Ma 2012).
    TracyWidomLowerEdge,
    /// Edelman's hard-edge law for square matrices (Edelman 1988).
    EdelmanHardEdge,
    /// Both edges, taken independent: TW₁ above, TW₁ (m ≠ n) or Edelman (m = n) below.
    IndependentEdges,
    /// Exact (orthogonal: every singular value is the same; or min(m, n) = 1 for κ).
    Exact,
    /// A Monte Carlo critical value (see [`crate::calibration`]).
    MonteCarlo,
    /// Exact for min(m, n) = 1: the single nonzero eigenvalue of Z Zᵀ is χ² with max(m, n)
    /// degrees of freedom.
    ExactChiSquare,
    /// χ² with m·n degrees of freedom: the sum of squares of m·n Gaussian entries
    /// ([`crate::check`]'s variance ratio).
    ChiSquare,
}

impl fmt::Display for IntervalMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IntervalMethod::TracyWidomUpperEdge => "Tracy–Widom TW₁ at the upper edge",
            IntervalMethod::TracyWidomLowerEdge => "reflected TW₁ at the soft lower edge",
            IntervalMethod::EdelmanHardEdge => "Edelman's hard-edge law",
            IntervalMethod::IndependentEdges => "independent edge laws",
            IntervalMethod::Exact => "exact",
            IntervalMethod::MonteCarlo => "Monte Carlo critical value",
            IntervalMethod::ExactChiSquare => "exact χ² (min(m, n) = 1)",
            IntervalMethod::ChiSquare => "χ² with m·n degrees of freedom (sum of squares)",
        })
    }
}

/// A central prediction interval `[lower, upper]` at coverage `level`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end, the (1 − level)/2 quantile.
    pub lower: f64,
    /// Upper end, the (1 + level)/2 quantile.
    pub upper: f64,
    /// Coverage probability.
    pub level: f64,
    /// How it was obtained.
    pub method: IntervalMethod,
}

impl Interval {
    /// True when `x` lies in `[lower, upper]`. Exact (degenerate) intervals allow a relative
    /// rounding slack of 1e-9.
    pub fn contains(&self, x: f64) -> bool {
        if self.method == IntervalMethod::Exact {
            let slack = 1e-9 * self.upper.abs();
            return x >= self.lower - slack && x <= self.upper + slack;
        }
        x >= self.lower && x <= self.upper
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{:.6}, {:.6}] at level {} ({})", self.lower, self.upper, self.level, self.method)
    }
}

/// Prediction intervals for one strategy at (m, n); serialised as `intervals` by
/// `rmspec edges --json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EdgeIntervals {
    /// ‖W‖ = σ_max(W).
    pub spectral_norm: Interval,
    /// λ_max(S), S = W Wᵀ/n.
    pub lambda_max: Interval,
    /// λ_min⁺(S), the smallest nonzero eigenvalue of S: σ_min²/n, so the interval is the σ_min
    /// interval's, squared and divided by n.
    pub lambda_min: Interval,
    /// σ_min(W) over the min(m, n) singular values.
    pub smallest_singular_value: Interval,
    /// κ(W) = σ_max/σ_min.
    pub condition_number: Interval,
}

impl EdgeIntervals {
    /// Degenerate intervals for a scaled semi-orthogonal m×n matrix with entry mean square s2:
    /// every singular value is √(max(m, n)·s2).
    pub fn exact_orthogonal(shape: Shape, variance: f64, level: f64) -> Self {
        let c2 = shape.orthogonal_singular_value_squared(variance);
        let point = |v: f64| Interval { lower: v, upper: v, level, method: IntervalMethod::Exact };
        EdgeIntervals {
            spectral_norm: point(c2.sqrt()),
            lambda_max: point(c2 / shape.n() as f64),
            lambda_min: point(c2 / shape.n() as f64),
            smallest_singular_value: point(c2.sqrt()),
            condition_number: point(1.0),
        }
    }
}

/// The unit-variance edge quantiles at (m, n) and one level, from which the intervals at any
/// variance follow by scaling (κ does not depend on it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeQuantiles {
    scaling: EdgeScaling,
    level: f64,
    /// TW₁ quantiles at (1 ∓ L)/2.
    tw: (f64, f64),
    /// Bounds on ℓ₁ = λ_max(Z Zᵀ), Z standard Gaussian.
    ell_max: (f64, f64),
    /// Bounds on ℓ_p = λ_min(Z Zᵀ), Z standard Gaussian.
    ell_min: (f64, f64),
    kappa: (f64, f64),
}

impl EdgeQuantiles {
    /// Quantiles for an m×n real Gaussian matrix at coverage `level`.
    ///
    /// # Errors
    /// Zero sizes, or a level outside (0, 1).
    pub fn new(m: usize, n: usize, level: f64) -> Result<Self> {
        Self::for_shape(Shape::new(m, n)?, level)
    }

    /// Quantiles for a real Gaussian matrix of a validated shape at coverage `level`.
    ///
    /// # Errors
    /// A level outside (0, 1).
    pub fn for_shape(shape: Shape, level: f64) -> Result<Self> {
        let level = check_level(level)?;
        Self::at_probabilities(shape, (1.0 - level) / 2.0, (1.0 + level) / 2.0, level)
    }

    /// The medians (the quantiles at p = 1/2) for a real Gaussian matrix: "intervals" of level 0
    /// whose two ends are the median of each quantity's finite-size law.
    ///
    /// # Errors
    /// Not expected (the Tracy–Widom median exists).
    pub fn medians(shape: Shape) -> Result<Self> {
        Self::at_probabilities(shape, 0.5, 0.5, 0.0)
    }

    /// Quantiles at `p_lo` and `p_hi`, labelled with `level`.
    fn at_probabilities(shape: Shape, p_lo: f64, p_hi: f64, level: f64) -> Result<Self> {
        let scaling = EdgeScaling::for_shape(shape);
        let tw1 = TracyWidom::new(1)?;
        let tw = (tw1.quantile(p_lo)?, tw1.quantile(p_hi)?);
        if shape.min() == 1 {
            // One nonzero eigenvalue, χ²_N: exact, and κ = 1.
            let chi2 = ChiSquared::new(shape.max() as f64)
                .map_err(|_| Error::invalid("n", shape.max(), "χ² degrees of freedom must be ≥ 1"))?;
            let ell = (chi2.inverse_cdf(p_lo), chi2.inverse_cdf(p_hi));
            return Ok(EdgeQuantiles { scaling, level, tw, ell_max: ell, ell_min: ell, kappa: (1.0, 1.0) });
        }
        let (mu, sigma) = (scaling.upper_centre(), scaling.upper_scale());
        // ℓ₁ ≥ 0: at tiny sizes the TW lower quantile can fall below 0.
        let ell_max = ((mu + sigma * tw.0).max(0.0), mu + sigma * tw.1);
        let ell_min = match scaling.lower_edge() {
            LowerEdge::Soft { tau, nu } => ((tau - nu * tw.1).exp(), (tau - nu * tw.0).exp()),
            LowerEdge::Hard { order } => {
                let e = crate::law::edge_scaling::edelman_quantile;
                (e(p_lo) / order as f64, e(p_hi) / order as f64)
            }
        };
        let kappa = (scaling.condition_number_quantile(p_lo)?, scaling.condition_number_quantile(p_hi)?);
        Ok(EdgeQuantiles { scaling, level, tw, ell_max, ell_min, kappa })
    }

    /// The edge scaling behind these quantiles.
    pub fn scaling(&self) -> EdgeScaling {
        self.scaling
    }

    /// The coverage level.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// The TW₁ quantiles at (1 − level)/2 and (1 + level)/2.
    pub fn tracy_widom_bounds(&self) -> (f64, f64) {
        self.tw
    }

    /// The intervals for iid N(0, s2) entries.
    pub fn intervals(&self, variance: f64) -> EdgeIntervals {
        let level = self.level;
        let s = &self.scaling;
        let n = s.n() as f64;
        let lambda = (variance * self.ell_max.0 / n, variance * self.ell_max.1 / n);
        let (upper, lower_method, kappa_method) = if s.m().min(s.n()) == 1 {
            (IntervalMethod::ExactChiSquare, IntervalMethod::ExactChiSquare, IntervalMethod::Exact)
        } else {
            let lower = match s.lower_edge() {
                LowerEdge::Soft { .. } => IntervalMethod::TracyWidomLowerEdge,
                LowerEdge::Hard { .. } => IntervalMethod::EdelmanHardEdge,
            };
            (IntervalMethod::TracyWidomUpperEdge, lower, IntervalMethod::IndependentEdges)
        };
        EdgeIntervals {
            lambda_max: Interval { lower: lambda.0, upper: lambda.1, level, method: upper },
            spectral_norm: Interval {
                lower: (n * lambda.0).sqrt(),
                upper: (n * lambda.1).sqrt(),
                level,
                method: upper,
            },
            lambda_min: Interval {
                lower: variance * self.ell_min.0 / n,
                upper: variance * self.ell_min.1 / n,
                level,
                method: lower_method,
            },
            smallest_singular_value: Interval {
                lower: (variance * self.ell_min.0).sqrt(),
                upper: (variance * self.ell_min.1).sqrt(),
                level,
                method: lower_method,
            },
            condition_number: Interval { lower: self.kappa.0, upper: self.kappa.1, level, method: kappa_method },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_outside_the_open_unit_interval_are_rejected() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            let err = EdgeQuantiles::new(10, 20, level).unwrap_err();
            assert!(err.to_string().contains("level"), "{err}");
        }
    }

    #[test]
    fn intervals_nest_with_the_level_and_scale_with_the_variance() {
        let narrow = EdgeQuantiles::new(50, 200, 0.5).unwrap().intervals(1.0);
        let wide = EdgeQuantiles::new(50, 200, 0.99).unwrap().intervals(1.0);
        for (a, b) in [
            (narrow.spectral_norm, wide.spectral_norm),
            (narrow.lambda_max, wide.lambda_max),
            (narrow.smallest_singular_value, wide.smallest_singular_value),
            (narrow.condition_number, wide.condition_number),
        ] {
            assert!(b.lower < a.lower && a.lower < a.upper && a.upper < b.upper, "{a} vs {b}");
        }
        let q = EdgeQuantiles::new(50, 200, 0.9).unwrap();
        let (one, four) = (q.intervals(1.0), q.intervals(4.0));
        assert!((four.spectral_norm.upper / one.spectral_norm.upper - 2.0).abs() < 1e-14);
        assert!((four.lambda_max.lower / one.lambda_max.lower - 4.0).abs() < 1e-14);
        assert_eq!(four.condition_number, one.condition_number);
        // λ_min⁺(S) = σ_min²/n, end by end.
        let sigma = four.smallest_singular_value;
        assert!((four.lambda_min.lower - sigma.lower.powi(2) / 200.0).abs() < 1e-15 * four.lambda_min.lower);
        assert!((four.lambda_min.upper - sigma.upper.powi(2) / 200.0).abs() < 1e-15 * four.lambda_min.upper);
    }

    #[test]
    fn square_matrices_use_the_hard_edge() {
        let i = EdgeQuantiles::new(40, 40, 0.95).unwrap().intervals(1.0);
        assert_eq!(i.smallest_singular_value.method, IntervalMethod::EdelmanHardEdge);
        // n·σ_min² ∈ [x(0.025), x(0.975)] of Edelman's law: σ_min = O(1/√n).
        assert!(i.smallest_singular_value.upper < 3.0 / 40f64.sqrt());
        assert!(i.condition_number.upper > 40.0);
    }

    const CHI2_5_LOWER: f64 = 0.831_211_613_486_662_4;
    const CHI2_5_UPPER: f64 = 12.832501994030026;

    #[test]
    fn a_single_row_or_column_gets_exact_chi_square_intervals() {
        // 1×5: ‖W‖² = σ_min² = s2·χ²₅. source: mpmath 1.3, 30 digits, inverting
        // gammainc(5/2, 0, x/2, regularized=True) = p at p = 0.025, 0.975.
        for (m, n) in [(1, 5), (5, 1)] {
            let i = EdgeQuantiles::new(m, n, 0.95).unwrap().intervals(2.0);
            assert_eq!(i.spectral_norm.method, IntervalMethod::ExactChiSquare);
            assert!((i.spectral_norm.lower.powi(2) / 2.0 - CHI2_5_LOWER).abs() < 1e-9, "{m}×{n}");
            assert!((i.spectral_norm.upper.powi(2) / 2.0 - CHI2_5_UPPER).abs() < 1e-9, "{m}×{n}");
            assert_eq!(i.spectral_norm, i.smallest_singular_value);
            assert_eq!((i.condition_number.lower, i.condition_number.upper), (1.0, 1.0));
        }
    }

    #[test]
    fn tiny_matrices_never_get_negative_eigenvalue_bounds() {
        let i = EdgeQuantiles::new(2, 2, 0.99).unwrap().intervals(1.0);
        assert!(i.lambda_max.lower >= 0.0 && i.spectral_norm.lower >= 0.0, "{}", i.lambda_max);
    }

    #[test]
    fn orthogonal_intervals_are_exact_points() {
        let i = EdgeIntervals::exact_orthogonal(Shape::new(300, 100).unwrap(), 0.5, 0.95);
        assert_eq!(i.condition_number.lower, 1.0);
        assert!(i.spectral_norm.contains(150f64.sqrt()));
        assert!(!i.spectral_norm.contains(150f64.sqrt() * 1.001));
    }
}
