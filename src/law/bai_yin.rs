//! Bai–Yin edges: the limits of the extreme singular values of W and eigenvalues of S = W Wᵀ/n.
//!
//! See [`BaiYin`] for the statement and the normalisation.

use std::fmt;

use super::MarchenkoPastur;
use crate::error::{require_positive, Result};
use crate::shape::Shape;

/// Bai–Yin edge predictions for a W ∈ ℝ^{m×n} with iid entries of variance s2: the extremes of
/// the spectrum, not a density.
///
/// # Definition
///
/// With m = fan-in rows, n = fan-out columns, γ = m/n and S = W Wᵀ/n (see the
/// [conventions](crate#conventions)), as m, n → ∞ with γ fixed and finite fourth moments, the
/// extreme singular values of W satisfy, almost surely[^1][^2],
///
/// ```text
/// σ_max(W) / (√s2 (√n + √m)) → 1,        σ_min(W) / (√s2 |√n − √m|) → 1   (γ ≠ 1),
/// ```
///
/// where σ_min is the smallest of the min(m, n) singular values (all nonzero for m ≠ n with
/// probability one). Equivalently, the largest and smallest nonzero eigenvalues of S go to the
/// Marchenko–Pastur edges λ± = s2 (1 ± √γ)², since λ = σ²/n.
///
/// The predictions here are these leading-order values at finite m, n: the fluctuations of
/// σ_max around them are O(n^{−1/6}·√s2·…) (Tracy–Widom), so they are edges to compare with,
/// not bounds.
///
/// # Condition numbers
///
/// κ(W) = σ_max/σ_min = (√n + √m)/|√n − √m| and κ(S) = κ(W)² over the nonzero spectrum. For a
/// square matrix (m = n) the smallest singular value goes to 0 (the hard edge, where it is
/// O(n^{−1/2}) rather than O(√n)), so the prediction is κ = +∞.
///
/// # Parameters
///
/// * `m`, `n`: the matrix shape, each ≥ 1.
/// * `variance` = s2: the entry variance, finite and > 0.
///
/// # Numerical method and accuracy
///
/// Direct evaluation of the formulas: a few ulp, except that |√n − √m| is a difference of
/// nearby square roots when m ≈ n, computed as |n − m|/(√n + √m) to avoid cancellation.
///
/// # Example
///
/// ```
/// use rmspec::law::{BaiYin, SpectralLaw};
///
/// // He-style fan-in variance 2/m for a 256×1024 layer.
/// let edges = BaiYin::new(256, 1024, 2.0 / 256.0)?;
/// let sd = (2.0f64 / 256.0).sqrt();
/// assert!((edges.spectral_norm() - sd * (32.0 + 16.0)).abs() < 1e-12);
/// assert!((edges.condition_number() - 3.0).abs() < 1e-15);
/// assert!((edges.gram_condition_number() - 9.0).abs() < 1e-14);
/// let mp = edges.marchenko_pastur()?;
/// assert!((mp.support().upper - edges.lambda_max()).abs() < 1e-15);
/// assert!(BaiYin::new(64, 64, 1.0)?.condition_number().is_infinite());
/// # Ok::<(), rmspec::Error>(())
/// ```
///
/// [^1]: Z. D. Bai and Y. Q. Yin, "Limit of the smallest eigenvalue of a large dimensional sample
///     covariance matrix", *The Annals of Probability* 21(3), 1275–1294 (1993).
/// [^2]: Z. Bai and J. W. Silverstein, *Spectral Analysis of Large Dimensional Random Matrices*,
///     2nd ed., Springer Series in Statistics (2010), chapter 5.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaiYin {
    shape: Shape,
    variance: f64,
}

impl BaiYin {
    /// Edges for an m×n matrix (m = fan-in rows, n = fan-out columns) with entry variance s2.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming `m` or `n` when it is 0, or `variance` when it is NaN,
    /// infinite, zero or negative.
    pub fn new(m: usize, n: usize, variance: f64) -> Result<Self> {
        Self::for_shape(Shape::new(m, n)?, variance)
    }

    /// Edges for a validated shape with entry variance s2.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming `variance` when it is NaN, infinite, zero or negative.
    pub fn for_shape(shape: Shape, variance: f64) -> Result<Self> {
        let variance = require_positive("variance", variance)?;
        Ok(BaiYin { shape, variance })
    }

    /// Rows m (fan-in).
    pub fn m(&self) -> usize {
        self.shape.m()
    }

    /// Columns n (fan-out).
    pub fn n(&self) -> usize {
        self.shape.n()
    }

    /// Entry variance s2.
    pub fn sigma2(&self) -> f64 {
        self.variance
    }

    /// γ = m/n.
    pub fn gamma(&self) -> f64 {
        self.shape.gamma()
    }

    /// √n + √m.
    fn root_sum(&self) -> f64 {
        (self.n() as f64).sqrt() + (self.m() as f64).sqrt()
    }

    /// |√n − √m|, as |n − m|/(√n + √m) (no cancellation when m ≈ n).
    fn root_gap(&self) -> f64 {
        self.n().abs_diff(self.m()) as f64 / self.root_sum()
    }

    /// Predicted largest singular value σ_max(W) ≈ √s2 (√n + √m).
    pub fn largest_singular_value(&self) -> f64 {
        self.variance.sqrt() * self.root_sum()
    }

    /// Predicted smallest of the min(m, n) singular values, σ_min(W) ≈ √s2 |√n − √m|
    /// (0 when m = n).
    pub fn smallest_singular_value(&self) -> f64 {
        self.variance.sqrt() * self.root_gap()
    }

    /// Predicted spectral norm ‖W‖ = σ_max(W); the same as
    /// [`largest_singular_value`](Self::largest_singular_value).
    pub fn spectral_norm(&self) -> f64 {
        self.largest_singular_value()
    }

    /// Predicted κ(W) = (√n + √m)/|√n − √m|; +∞ when m = n.
    pub fn condition_number(&self) -> f64 {
        if self.m() == self.n() {
            return f64::INFINITY;
        }
        self.root_sum() / self.root_gap()
    }

    /// Predicted κ(S) = κ(W)² over the nonzero eigenvalues of S; +∞ when m = n.
    pub fn gram_condition_number(&self) -> f64 {
        self.condition_number().powi(2)
    }

    /// Predicted largest eigenvalue of S = W Wᵀ/n: σ_max²/n = s2 (1 + √γ)².
    pub fn lambda_max(&self) -> f64 {
        self.largest_singular_value().powi(2) / self.n() as f64
    }

    /// Predicted smallest nonzero eigenvalue of S: σ_min²/n = s2 (1 − √γ)² (0 when m = n).
    pub fn lambda_min(&self) -> f64 {
        self.smallest_singular_value().powi(2) / self.n() as f64
    }

    /// The Marchenko–Pastur law MP(m/n, s2) whose support is [λmin, λmax].
    ///
    /// # Errors
    /// As [`MarchenkoPastur::new`]: γ = m/n below [`MIN_GAMMA`](super::marchenko_pastur::MIN_GAMMA)
    /// (a support too narrow for doubles), or an upper edge s2(1 + √γ)² beyond the largest double.
    pub fn marchenko_pastur(&self) -> Result<MarchenkoPastur> {
        MarchenkoPastur::new(self.gamma(), self.variance)
    }
}

impl fmt::Display for BaiYin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaiYin(m={}, n={}, s2={})", self.m(), self.n(), self.variance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::law::SpectralLaw;

    /// Relative agreement between two computations of the same edge (σ²/n vs s2(1 ± √γ)²).
    const EDGE_RELATIVE_TOLERANCE: f64 = 1e-14;

    #[test]
    fn marchenko_pastur_support_equals_bai_yin_edges() {
        let shapes = [(1, 1), (1, 7), (100, 400), (256, 1024), (300, 200), (4096, 1024), (999, 1000), (5, 3)];
        for (m, n) in shapes {
            for variance in [1.0, 0.5, 2.5, 1.0 / 300.0] {
                let edges = BaiYin::new(m, n, variance).unwrap();
                let support = edges.marchenko_pastur().unwrap().support();
                let scale = edges.lambda_max();
                assert!(
                    (support.upper - edges.lambda_max()).abs() <= EDGE_RELATIVE_TOLERANCE * scale,
                    "m={m}, n={n}, s2={variance}: {} vs {}",
                    support.upper,
                    edges.lambda_max()
                );
                assert!(
                    (support.lower - edges.lambda_min()).abs() <= EDGE_RELATIVE_TOLERANCE * scale,
                    "m={m}, n={n}, s2={variance}: {} vs {}",
                    support.lower,
                    edges.lambda_min()
                );
            }
        }
    }

    #[test]
    fn singular_values_and_condition_numbers() {
        // source: closed form; √1024 = 32, √256 = 16.
        let edges = BaiYin::new(256, 1024, 4.0).unwrap();
        assert_eq!(edges.largest_singular_value(), 2.0 * 48.0);
        assert_eq!(edges.smallest_singular_value(), 2.0 * 16.0);
        assert_eq!(edges.spectral_norm(), edges.largest_singular_value());
        assert_eq!(edges.condition_number(), 3.0);
        assert_eq!(edges.gram_condition_number(), 9.0);
        assert_eq!(edges.lambda_max(), 4.0 * 2.25);
        assert_eq!(edges.lambda_min(), 4.0 * 0.25);
        assert_eq!(edges.gamma(), 0.25);
        // Transposing the shape keeps the singular values.
        let t = BaiYin::new(1024, 256, 4.0).unwrap();
        assert_eq!(t.largest_singular_value(), edges.largest_singular_value());
        assert_eq!(t.smallest_singular_value(), edges.smallest_singular_value());
        assert_eq!(t.condition_number(), 3.0);
        // λ of S = W Wᵀ/n scale with 1/n: for m = 1024, n = 256, λ+ = 4(1 + 2)².
        assert_eq!(t.lambda_max(), 36.0);
        assert_eq!(t.lambda_min(), 4.0);
    }

    #[test]
    fn square_matrix_has_infinite_condition_number() {
        let edges = BaiYin::new(500, 500, 1.0).unwrap();
        assert_eq!(edges.smallest_singular_value(), 0.0);
        assert_eq!(edges.lambda_min(), 0.0);
        assert!(edges.condition_number().is_infinite());
        assert!(edges.gram_condition_number().is_infinite());
        assert!((edges.lambda_max() - 4.0).abs() <= 4.0 * f64::EPSILON);
    }

    #[test]
    fn nearly_square_gap_has_no_cancellation() {
        // |√n − √m| = 1/(√n + √m) for n = m + 1; the subtraction form loses about 7 digits here.
        let m = 10_000_000usize;
        let edges = BaiYin::new(m, m + 1, 1.0).unwrap();
        let exact = 1.0 / ((m as f64).sqrt() + ((m + 1) as f64).sqrt());
        assert!((edges.smallest_singular_value() - exact).abs() <= 4.0 * f64::EPSILON * exact);
    }

    #[test]
    fn constructor_rejects_bad_parameters() {
        let name = |r: Result<BaiYin>| match r {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("expected an invalid parameter, got {other:?}"),
        };
        assert_eq!(name(BaiYin::new(0, 3, 1.0)), "m");
        assert_eq!(name(BaiYin::new(3, 0, 1.0)), "n");
        for v in [f64::NAN, f64::INFINITY, 0.0, -1.0] {
            assert_eq!(name(BaiYin::new(3, 3, v)), "variance");
        }
        assert_eq!(BaiYin::new(2, 3, 0.5).unwrap().to_string(), "BaiYin(m=2, n=3, s2=0.5)");
    }
}
