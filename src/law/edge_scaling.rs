//! Finite-size edge scaling: the centring and scaling that map the extreme eigenvalues of a
//! given m×n real Gaussian problem onto the Tracy–Widom variable (and, for square matrices, onto
//! Edelman's hard-edge law).
//!
//! # Definition
//!
//! Let Z ∈ ℝ^{m×n} have iid N(0, 1) entries and write p = min(m, n), N = max(m, n). The p
//! nonzero eigenvalues ℓ₁ ≥ … ≥ ℓ_p of Z Zᵀ (equivalently of Zᵀ Z) are those of a real white
//! Wishart matrix W_p(N, I). With p′ = p − ½ and N′ = N − ½,
//!
//! ```text
//! μ₊ = (√N′ + √p′)²,   σ₊ = (√N′ + √p′)(1/√N′ + 1/√p′)^{1/3},   (ℓ₁ − μ₊)/σ₊ ⇒ TW₁,
//! μ₋ = (√N′ − √p′)²,   σ₋ = (√N′ − √p′)(1/√p′ − 1/√N′)^{1/3},   (ln μ₋ − ln ℓ_p)/(σ₋/μ₋) ⇒ TW₁  (p < N),
//! N·ℓ_p ⇒ E,  P(E ≤ x) = 1 − exp(−x/2 − √x)                                                     (p = N).
//! ```
//!
//! The upper edge is Johnstone's theorem[^j01] (El Karoui[^ek03] for every ratio) with the
//! half-integer corrections n − ½, p − ½ that Ma[^ma12] proves give the second-order rate
//! O(min(n, p)^{−2/3}); Johnstone's original constants (n − 1, p) reach only O(p^{−1/3}).
//! These are also RMTstat's `WishartMaxPar` constants for β = 1. The constants are symmetric in
//! (m, n), as they must be: Z Zᵀ and Zᵀ Z share their nonzero eigenvalues.
//!
//! The soft lower edge (p < N) is Feldheim and Sodin's reflected TW₁ limit[^fs10] with Ma's
//! half-integer constants[^ma12], applied on the log scale that Ma shows is needed for the
//! smallest eigenvalue (we use the first-order log constants τ = ln μ₋, ν = σ₋/μ₋, not Ma's
//! refined ones). As p/N → 1 the soft lower edge turns into the hard edge and this approximation
//! degrades: the measured coverage is in `docs/edge-fluctuations.md`. For square matrices (p = N)
//! the smallest eigenvalue follows Edelman's hard-edge limit[^e88] instead.
//!
//! In the crate's units (see the [conventions](crate#conventions)), W = √s2·Z, so
//! λ(S) = s2·ℓ/n, ‖W‖ = √(s2·ℓ₁), σ_min(W) = √(s2·ℓ_p) and κ(W) = √(ℓ₁/ℓ_p) (free of s2).
//!
//! # Condition number
//!
//! The largest and smallest eigenvalues are asymptotically independent (they live at opposite
//! edges), so P(κ ≤ k) = E[P(ℓ₁ ≤ k²·ℓ_p)] over the law of ℓ_p. It is evaluated with the law of
//! ℓ_p discretised at [`KAPPA_NODES`] equal-probability points and TW₁ interpolated from a table
//! (see below); the quantile is found by bisection.
//!
//! # Parameters
//!
//! m, n ≥ 1. For p = 1 the single nonzero eigenvalue is χ²_N: the TW approximation is then
//! crude (the [intervals](crate::intervals) use the exact χ² law instead), and κ = 1 exactly.
//!
//! # Numerical method and accuracy
//!
//! Centring and scaling are closed forms (a few ulp). Probabilities for the condition number use
//! TW₁ linearly interpolated from [`TW1_TABLE_POINTS`] values on [−8, 8] (computed once per
//! process from the Chebyshev-tabulated CDF [`TabulatedTw1`], within 1e-14 of
//! the exact Fredholm determinant, in about 0.1 ms; from the exact CDF this took 0.3 s, most of a
//! small run's time): interpolation error below 3e-5 in probability, far below the O(p^{−2/3})
//! error of the approximation itself.
//!
//! # Example
//!
//! ```
//! use rmspec::law::EdgeScaling;
//!
//! // 100 × 400: p′ = 99.5, N′ = 399.5.
//! let e = EdgeScaling::new(100, 400)?;
//! let root = 399.5f64.sqrt() + 99.5f64.sqrt();
//! assert!((e.upper_centre() - root * root).abs() < 1e-9);
//! // λmax(S) at its centre maps to TW₁ = 0, at any variance.
//! let s2 = 0.01;
//! let lambda = s2 * e.upper_centre() / 400.0;
//! assert!(e.scaled_lambda_max(lambda, s2).abs() < 1e-12);
//! # Ok::<(), rmspec::Error>(())
//! ```
//!
//! [^j01]: I. M. Johnstone, "On the distribution of the largest eigenvalue in principal
//!     components analysis", *The Annals of Statistics* 29(2), 295–327 (2001).
//! [^ek03]: N. El Karoui, "On the largest eigenvalue of Wishart matrices with identity covariance
//!     when n, p and p/n → ∞", arXiv:math/0309355 (2003).
//! [^ma12]: Z. Ma, "Accuracy of the Tracy–Widom limits for the extreme eigenvalues in white
//!     Wishart matrices", *Bernoulli* 18(1), 322–359 (2012).
//! [^fs10]: O. N. Feldheim and S. Sodin, "A universality result for the smallest eigenvalues of
//!     certain sample covariance matrices", *Geometric and Functional Analysis* 20, 88–123 (2010).
//! [^e88]: A. Edelman, "Eigenvalues and condition numbers of random matrices", *SIAM Journal on
//!     Matrix Analysis and Applications* 9(4), 543–560 (1988).

use super::{Beta, SpectralLaw, TabulatedTw1, TracyWidom};
use crate::error::{Error, Result};
use crate::shape::Shape;
use std::sync::OnceLock;

/// Equal-probability nodes for the law of ℓ_p in the condition-number convolution.
pub const KAPPA_NODES: usize = 2000;
/// Points of the TW₁ table on [−8, 8] (step 0.025).
pub const TW1_TABLE_POINTS: usize = 641;
const TABLE_LOWER: f64 = -8.0;
const TABLE_UPPER: f64 = 8.0;

/// The law of the smallest nonzero eigenvalue ℓ_p of Z Zᵀ (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LowerEdge {
    /// p < N: (τ − ln ℓ_p)/ν ≈ TW₁ (reflected Tracy–Widom on the log scale).
    Soft {
        /// τ = ln μ₋.
        tau: f64,
        /// ν = σ₋/μ₋.
        nu: f64,
    },
    /// p = N: N·ℓ_p ≈ Edelman's law, P(E ≤ x) = 1 − exp(−x/2 − √x).
    Hard {
        /// The order N = p.
        order: usize,
    },
}

impl LowerEdge {
    /// The approximate quantile of ℓ_p at probability `prob` ∈ (0, 1), given the TW₁ quantile
    /// function `tw_quantile`.
    fn quantile(&self, prob: f64, tw_quantile: impl Fn(f64) -> f64) -> f64 {
        match *self {
            LowerEdge::Soft { tau, nu } => (tau - nu * tw_quantile(1.0 - prob)).exp(),
            LowerEdge::Hard { order } => edelman_quantile(prob) / order as f64,
        }
    }
}

/// Quantile of Edelman's hard-edge law P(E ≤ x) = 1 − exp(−x/2 − √x): x = (√(1 + 2t) − 1)²
/// with t = −ln(1 − prob).
pub fn edelman_quantile(prob: f64) -> f64 {
    let t = -(-prob).ln_1p();
    let root = t / (1.0 + (1.0 + 2.0 * t).sqrt()) * 2.0; // √(1 + 2t) − 1 without cancellation
    root * root
}

/// Centring and scaling of the extreme eigenvalues for an m×n real Gaussian matrix.
///
/// See the [module documentation](self) for the formulas, references and accuracy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeScaling {
    m: usize,
    n: usize,
}

impl EdgeScaling {
    /// The scaling for an m×n matrix (m = fan-in rows, n = fan-out columns).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `m` or `n` when it is 0.
    pub fn new(m: usize, n: usize) -> Result<Self> {
        Ok(Self::for_shape(Shape::new(m, n)?))
    }

    /// The scaling for a validated shape.
    pub fn for_shape(shape: Shape) -> Self {
        EdgeScaling { m: shape.m(), n: shape.n() }
    }

    /// Rows m.
    pub fn m(&self) -> usize {
        self.m
    }

    /// Columns n.
    pub fn n(&self) -> usize {
        self.n
    }

    /// (√N′, √p′) with N′ = max(m, n) − ½, p′ = min(m, n) − ½.
    fn roots(&self) -> (f64, f64) {
        ((self.m.max(self.n) as f64 - 0.5).sqrt(), (self.m.min(self.n) as f64 - 0.5).sqrt())
    }

    /// μ₊ = (√N′ + √p′)²: the centre of ℓ₁ = λ_max(Z Zᵀ).
    pub fn upper_centre(&self) -> f64 {
        let (a, b) = self.roots();
        (a + b) * (a + b)
    }

    /// σ₊ = (√N′ + √p′)(1/√N′ + 1/√p′)^{1/3}: the scale of ℓ₁.
    pub fn upper_scale(&self) -> f64 {
        let (a, b) = self.roots();
        (a + b) * (1.0 / a + 1.0 / b).cbrt()
    }

    /// The law of ℓ_p, the smallest nonzero eigenvalue of Z Zᵀ.
    pub fn lower_edge(&self) -> LowerEdge {
        if self.m == self.n {
            return LowerEdge::Hard { order: self.n };
        }
        let (a, b) = self.roots();
        // √N′ − √p′ = (N′ − p′)/(√N′ + √p′), without cancellation.
        let gap = self.m.abs_diff(self.n) as f64 / (a + b);
        let centre = gap * gap;
        let scale = gap * (1.0 / b - 1.0 / a).cbrt();
        LowerEdge::Soft { tau: centre.ln(), nu: scale / centre }
    }

    /// The TW₁ variable (n·λ_max(S)/s2 − μ₊)/σ₊ for an observed λ_max of S = W Wᵀ/n at entry
    /// variance s2.
    pub fn scaled_lambda_max(&self, lambda_max: f64, variance: f64) -> f64 {
        (self.n as f64 * lambda_max / variance - self.upper_centre()) / self.upper_scale()
    }

    /// λ_max(S) at the TW₁ value `s`: s2·(μ₊ + σ₊·s)/n.
    pub fn lambda_max_at(&self, s: f64, variance: f64) -> f64 {
        variance * (self.upper_centre() + self.upper_scale() * s) / self.n as f64
    }

    /// The mean and standard deviation of λ_max(S) predicted by λ_max(S) ≈ (s2/n)(μ₊ + σ₊·TW₁)
    /// at entry variance s2, with E TW₁ and sd TW₁ from the law itself.
    pub fn lambda_max_mean_and_sd(&self, variance: f64) -> (f64, f64) {
        let tw1 = TracyWidom::with_beta(Beta::Real);
        let mean = self.lambda_max_at(tw1.mean(), variance);
        let unit = self.lambda_max_at(1.0, variance) - self.lambda_max_at(0.0, variance);
        (mean, unit * tw1.variance().sqrt())
    }

    /// λ_min⁺(S) at the TW₁ value `s` of the reflected soft lower edge, s2·exp(τ − ν·s)/n (large
    /// `s` is far below the edge); 0 at a hard edge (m = n), where λ_min⁺ reaches down to 0.
    pub fn lambda_min_at(&self, s: f64, variance: f64) -> f64 {
        match self.lower_edge() {
            LowerEdge::Soft { tau, nu } => variance * (tau - nu * s).exp() / self.n as f64,
            LowerEdge::Hard { .. } => 0.0,
        }
    }

    /// The quantile of κ(W) = √(ℓ₁/ℓ_p) at probability `prob` ∈ (0, 1) (see the
    /// [module docs](self#condition-number)); exactly 1 when min(m, n) = 1.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless 0 < prob < 1.
    pub fn condition_number_quantile(&self, prob: f64) -> Result<f64> {
        if !(prob > 0.0 && prob < 1.0) {
            return Err(Error::invalid("p", prob, "must lie strictly between 0 and 1"));
        }
        if self.m.min(self.n) == 1 {
            return Ok(1.0);
        }
        let table = tw1_table();
        let lower = self.lower_edge();
        let nodes: Vec<f64> = (0..KAPPA_NODES)
            .map(|k| lower.quantile((k as f64 + 0.5) / KAPPA_NODES as f64, |q| table.quantile(q)))
            .collect();
        let (mu, sigma) = (self.upper_centre(), self.upper_scale());
        let cdf = |kappa: f64| {
            let k2 = kappa * kappa;
            nodes.iter().map(|&l| table.cdf((k2 * l - mu) / sigma)).sum::<f64>() / KAPPA_NODES as f64
        };
        let (mut lo, mut hi) = (1.0f64, 2.0f64);
        while cdf(hi) < prob {
            lo = hi;
            hi *= 2.0;
            if hi > 1e300 {
                return Err(Error::invalid("p", prob, "could not be bracketed"));
            }
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi || (hi - lo) <= 1e-13 * hi {
                break;
            }
            if cdf(mid) < prob {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(0.5 * (lo + hi))
    }
}

/// TW₁'s CDF from the interpolated table of the [module docs](self) (error below 3e-5 in
/// probability; the table is computed once per process, about 0.1 ms): for sums of many
/// evaluations where even the Chebyshev table would be too slow.
pub fn tw1_cdf_interpolated(s: f64) -> f64 {
    tw1_table().cdf(s)
}

/// TW₁'s CDF tabulated on [−8, 8], linearly interpolated (0 below, 1 above).
struct Tw1Table {
    values: Vec<f64>,
}

fn tw1_table() -> &'static Tw1Table {
    static TABLE: OnceLock<Tw1Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let h = (TABLE_UPPER - TABLE_LOWER) / (TW1_TABLE_POINTS - 1) as f64;
        Tw1Table { values: (0..TW1_TABLE_POINTS).map(|i| TabulatedTw1.cdf(TABLE_LOWER + h * i as f64)).collect() }
    })
}

impl Tw1Table {
    fn step() -> f64 {
        (TABLE_UPPER - TABLE_LOWER) / (TW1_TABLE_POINTS - 1) as f64
    }

    fn cdf(&self, s: f64) -> f64 {
        if s.is_nan() {
            return f64::NAN;
        }
        if s <= TABLE_LOWER {
            return 0.0;
        }
        if s >= TABLE_UPPER {
            return 1.0;
        }
        let t = (s - TABLE_LOWER) / Self::step();
        let i = (t.floor() as usize).min(TW1_TABLE_POINTS - 2);
        let f = t - i as f64;
        self.values[i] * (1.0 - f) + self.values[i + 1] * f
    }

    fn quantile(&self, p: f64) -> f64 {
        let i = self.values.partition_point(|&v| v < p);
        if i == 0 {
            return TABLE_LOWER;
        }
        if i >= TW1_TABLE_POINTS {
            return TABLE_UPPER;
        }
        let (a, b) = (self.values[i - 1], self.values[i]);
        let f = if b > a { (p - a) / (b - a) } else { 0.0 };
        TABLE_LOWER + Self::step() * (i as f64 - 1.0 + f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // source: mpmath 1.3 at 30 digits, scripts/reference/edge_scaling.py (the closed forms of
    // the module docs, evaluated independently): (m, n, μ₊, σ₊).
    #[allow(clippy::excessive_precision)] // reference digits kept as printed
    const UPPER_TABLE: [(usize, usize, f64, f64); 5] = [
        (100, 400, 897.74929467022258, 15.929913014114773),
        (5, 5, 18.0, 4.1601676461038082),
        (1000, 1000, 3998.0, 25.194220560913844),
        (300, 1200, 2697.7497653805818, 22.984493039684077),
        (7, 3, 17.06225774829855, 4.1643648423980875),
    ];
    // source: as above: (m, n, τ = ln μ₋, ν = σ₋/μ₋).
    #[allow(clippy::excessive_precision)]
    const LOWER_TABLE: [(usize, usize, f64, f64); 3] = [
        (100, 400, 4.607674101870431, 0.036848024579534813),
        (300, 1200, 5.7046162423733369, 0.017712207920951374),
        (7, 3, -0.06428015270268959, 0.64194321208867429),
    ];
    const CLOSED_FORM_TOL: f64 = 1e-13;

    #[test]
    fn centring_and_scaling_match_closed_forms_and_are_symmetric() {
        for (m, n, mu, sigma) in UPPER_TABLE {
            let a = EdgeScaling::new(m, n).unwrap();
            let b = EdgeScaling::new(n, m).unwrap();
            assert!((a.upper_centre() / mu - 1.0).abs() < CLOSED_FORM_TOL, "{m}×{n}: {}", a.upper_centre());
            assert!((a.upper_scale() / sigma - 1.0).abs() < CLOSED_FORM_TOL, "{m}×{n}: {}", a.upper_scale());
            assert_eq!(a.upper_centre(), b.upper_centre());
            assert_eq!(a.upper_scale(), b.upper_scale());
        }
        for (m, n, tau, nu) in LOWER_TABLE {
            match EdgeScaling::new(m, n).unwrap().lower_edge() {
                LowerEdge::Soft { tau: t, nu: v } => {
                    assert!((t - tau).abs() < CLOSED_FORM_TOL * tau.abs().max(1.0), "{m}×{n}: τ = {t}");
                    assert!((v / nu - 1.0).abs() < CLOSED_FORM_TOL, "{m}×{n}: ν = {v}");
                }
                LowerEdge::Hard { .. } => panic!("{m}×{n} is not square"),
            }
        }
        assert_eq!(EdgeScaling::new(64, 64).unwrap().lower_edge(), LowerEdge::Hard { order: 64 });
    }

    #[test]
    fn edelman_quantile_inverts_its_cdf() {
        for p in [1e-6, 0.025, 0.5, 0.975, 0.999] {
            let x = edelman_quantile(p);
            let cdf = -(-(x / 2.0 + x.sqrt())).exp_m1();
            assert!((cdf - p).abs() < 1e-14 * p.max(1e-3), "{p}: {cdf}");
        }
    }

    #[test]
    fn table_agrees_with_the_law() {
        let law = TracyWidom::with_beta(Beta::Real);
        let table = tw1_table();
        for s in [-3.7, -1.21, 0.0, 0.533, 2.9] {
            assert!((table.cdf(s) - law.cdf(s)).abs() < 3e-5, "{s}");
        }
        for p in [0.025, 0.5, 0.975] {
            assert!((table.quantile(p) - law.quantile(p).unwrap()).abs() < 2e-3, "{p}");
        }
    }

    #[test]
    fn rejects_zero_sizes_and_bad_probabilities() {
        assert!(EdgeScaling::new(0, 3).is_err());
        assert!(EdgeScaling::new(3, 0).is_err());
        let e = EdgeScaling::new(3, 7).unwrap();
        for p in [0.0, 1.0, f64::NAN, -0.1] {
            assert!(e.condition_number_quantile(p).is_err(), "{p}");
        }
        assert_eq!(EdgeScaling::new(1, 50).unwrap().condition_number_quantile(0.5).unwrap(), 1.0);
    }
}
