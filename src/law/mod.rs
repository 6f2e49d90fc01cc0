//! Limiting spectral laws and edge laws, behind one trait.
//!
//! | law | module | what it describes |
//! |---|---|---|
//! | Marchenko–Pastur | [`marchenko_pastur`] | the eigenvalue distribution of S = W Wᵀ/n as m, n → ∞ with γ = m/n fixed |
//! | Bai–Yin | [`bai_yin`] | where the extreme singular values of W go (edges, not a density) |
//! | Tracy–Widom | [`tracy_widom`] | fluctuations of the largest eigenvalue around the edge, F₁ (β = 1) and F₂ (β = 2) |
//! | Jacobian | [`jacobian`] | the squared singular values of a deep network's input–output Jacobian, from free probability |
//! | edge scaling | [`edge_scaling`] | the centring and scaling that map the extreme eigenvalues of a given m×n Gaussian W onto TW₁ (and Edelman's hard-edge law) |
//!
//! Every law implements [`SpectralLaw`]: support, atom at zero, density, CDF (including the
//! atom), survival function, quantile, mean and variance. The conventions (which Gram matrix,
//! which side, γ = m/n) are those of the [crate-level table](crate#conventions).

pub mod bai_yin;
pub mod edge_scaling;
pub mod jacobian;
pub mod marchenko_pastur;
pub mod quadrature;
pub mod tracy_widom;

pub use bai_yin::BaiYin;
pub use edge_scaling::{EdgeScaling, LowerEdge};
pub use jacobian::JacobianLaw;
pub use marchenko_pastur::MarchenkoPastur;
pub use tracy_widom::{table::TabulatedTw1, Beta, TracyWidom};

use crate::error::{Error, Result};
use serde::Serialize;

/// Closed interval `[lower, upper]` carrying the continuous part of a law.
///
/// Either end may be infinite (Tracy–Widom laws live on the whole line).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Support {
    /// Lower end.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
}

impl Support {
    /// Width `upper − lower` (infinite for unbounded supports).
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// True when `x` lies in the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        x >= self.lower && x <= self.upper
    }
}

/// A univariate law on the real line: an absolutely continuous part on [`support`](Self::support)
/// plus an optional point mass at zero.
///
/// `cdf` includes the atom: `cdf(0) ≥ atom_at_zero()`. Implementations must make `cdf`
/// non-decreasing, `sf(x) = 1 − cdf(x)` (computed directly where that is more accurate in the
/// upper tail), and `density` the derivative of the continuous part.
pub trait SpectralLaw {
    /// Support of the continuous part.
    fn support(&self) -> Support;

    /// Mass of the point at zero (0 unless the law has one).
    fn atom_at_zero(&self) -> f64 {
        0.0
    }

    /// Density of the continuous part at `x` (0 outside the support; the atom is not included).
    fn density(&self, x: f64) -> f64;

    /// Cumulative distribution function P(X ≤ x), including the atom at zero.
    fn cdf(&self, x: f64) -> f64;

    /// Survival function P(X > x). The default is `1 − cdf(x)`; laws override it where the upper
    /// tail needs the extra relative accuracy.
    fn sf(&self, x: f64) -> f64 {
        1.0 - self.cdf(x)
    }

    /// Mean E X.
    fn mean(&self) -> f64;

    /// Variance E (X − E X)².
    fn variance(&self) -> f64;

    /// Quantile: the smallest x with `cdf(x) ≥ p`, for p ∈ [0, 1].
    ///
    /// The default bisects `cdf` in the lower half and `sf` in the upper half (so that upper
    /// quantiles keep their relative accuracy) until the bracket is one ulp wide, which takes at
    /// most about 1100 halvings for any finite bracket and typically 60. Values p ≤ atom map to 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when p is NaN or outside [0, 1].
    fn quantile(&self, p: f64) -> Result<f64> {
        quantile_by_bisection(self, p)
    }
}

/// The default quantile: bisection on `cdf` (lower half) or `sf` (upper half).
///
/// Unbounded supports are bracketed by stepping out from the mean in multiples of the standard
/// deviation.
pub fn quantile_by_bisection<L: SpectralLaw + ?Sized>(law: &L, p: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&p) {
        return Err(Error::invalid("p", p, "must be a probability in [0, 1]"));
    }
    let support = law.support();
    let atom = law.atom_at_zero();
    if atom > 0.0 && p <= atom {
        return Ok(0.0);
    }
    if p == 0.0 {
        return Ok(support.lower);
    }
    if p == 1.0 {
        return Ok(support.upper);
    }
    let spread = law.variance().sqrt().max(f64::MIN_POSITIVE);
    let mut lo = support.lower;
    let mut hi = support.upper;
    let mut step = spread;
    while !lo.is_finite() || law.cdf(lo) >= p {
        lo = law.mean() - step;
        step *= 2.0;
        if step > 1e300 {
            return Err(Error::invalid("p", p, "could not be bracketed"));
        }
    }
    step = spread;
    while !hi.is_finite() || law.sf(hi) > 1.0 - p {
        hi = law.mean() + step;
        step *= 2.0;
        if step > 1e300 {
            return Err(Error::invalid("p", p, "could not be bracketed"));
        }
    }
    let upper_half = p > 0.5;
    let q = 1.0 - p;
    // Invariant: the quantile lies in (lo, hi].
    for _ in 0..2200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let below = if upper_half { law.sf(mid) > q } else { law.cdf(mid) < p };
        if below {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}
