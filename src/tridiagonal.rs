//! The β = 1 Laguerre tridiagonal model (Dumitriu–Edelman): the spectrum of S = W Wᵀ/n for
//! Gaussian W in O(k) memory and O(k²) time (full spectrum) or O(k·bins) time (histogram only),
//! k = min(m, n).
//!
//! **Definition.** For W ∈ ℝ^{m×n} with iid N(0, s2) entries (see the
//! [crate conventions](crate#conventions)), let k = min(m, n), p = max(m, n), and let B be the
//! k×k lower-bidiagonal matrix with independent entries
//!
//! B_ii = χ_{p−i} (i = 0, …, k − 1),  B_{i+1,i} = χ_{k−1−i} (i = 0, …, k − 2),
//!
//! where χ_ν is the square root of a χ²_ν variable. Then the eigenvalues of T = (s2/n)·B Bᵀ
//! have the same joint law as the k nonzero eigenvalues of S = W Wᵀ/n (the remaining m − k are
//! structural zeros). T is symmetric tridiagonal with
//!
//! T_ii = (s2/n)(B_ii² + B_{i,i−1}²),  T_{i+1,i} = (s2/n)·B_{i+1,i}·B_ii.
//!
//! **Scope.** Only for Gaussian strategies: the model reproduces the law of the Gaussian
//! ensemble, not of a particular W, so its draws differ from the dense path's for the same
//! seed (the same seed gives the same tridiagonal draws).
//!
//! **Numerical method.** The full spectrum comes from one of two O(k²) LAPACK routes, chosen per
//! shape by [`TridiagonalSolver::for_shape`]:
//! - `dsterf` on T itself ([`crate::linalg::tridiagonal_eigenvalues`]: Pal–Walker–Kahan root-free
//!   QL/QR), backward stable, so each eigenvalue has absolute error O(ε·λ_max) and the smallest a
//!   relative error O(ε·λ_max/λ_min);
//! - dqds on the bidiagonal factor B (LAPACK's `dbdsqr` → `dlasq1`,
//!   [`crate::linalg::bidiagonal_singular_values`]), every eigenvalue to high relative accuracy.
//!
//! dsterf is used where the Marchenko–Pastur edges satisfy λ₋ ≥ λ₊/100
//! ([`DSTERF_MIN_EDGE_RATIO`]; γ' = k/p ≤ 0.669), where its relative error on the smallest
//! eigenvalue is at most about 100 times its absolute error in units of λ_max (a modest multiple of
//! ε; 1.4e-13 measured at k = 2·10⁴, so ≈ 5e-12 at γ' = 1/2); dqds near the hard edge (γ' → 1), where λ_min/λ_max
//! falls like k⁻² and only relative accuracy keeps σ_min and κ meaningful. On the machine of
//! docs/performance.md dsterf took 5.69 s per k = 2·10⁴ spectrum against 7.08 s for dqds (scipy's
//! `eigvalsh_tridiagonal`, also dsterf: 5.64 s), and agreed with it to 1.4e-13·λ_max.
//! Histograms without eigenvalues use Sturm counts ([`count_below`]): the number of negative
//! pivots of the LDLᵀ factorisation of T − xI equals the number of eigenvalues below x, exact up
//! to the backward error of the recurrence (O(ε·‖T‖) in x). Extreme eigenvalues are located by
//! bisection on the count ([`eigenvalue_by_bisection`]).
//!
//! References:
//! [^de]: I. Dumitriu and A. Edelman, "Matrix models for beta ensembles", *J. Math. Phys.* 43
//!   (2002), 5830–5847.
//! [^demmel]: J. W. Demmel, *Applied Numerical Linear Algebra*, SIAM (1997), §5.3.4 (bisection
//!   and Sturm counts).
//!
//! # Example
//! ```
//! use rmspec::tridiagonal::{LaguerreTridiagonal, count_below};
//! let mut model = LaguerreTridiagonal::new(200, 400, 1.0 / 400.0).unwrap();
//! model.sample(&mut rmspec::sample::trial_rng(1, 0));
//! // All 200 eigenvalues lie below a generous Gershgorin-type bound and none below 0.
//! assert_eq!(count_below(model.diagonal(), model.off_diagonal_squared(), -1e-12), 0);
//! assert_eq!(count_below(model.diagonal(), model.off_diagonal_squared(), 1e6), 200);
//! ```

use crate::error::{require_positive, Error, Result};
use crate::linalg;
use crate::shape::Shape;
use rand::Rng;
use rand_distr::{ChiSquared, Distribution};

/// The smallest ratio λ₋/λ₊ of the Marchenko–Pastur edges, ((1 − √γ')/(1 + √γ'))² with
/// γ' = k/p ≤ 1, at which the full spectrum is computed by `dsterf` (see the
/// [module documentation](self)).
pub const DSTERF_MIN_EDGE_RATIO: f64 = 0.01;

/// The LAPACK route for the full spectrum of T (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TridiagonalSolver {
    /// `dsterf` on T: absolute error O(ε·λ_max).
    Dsterf,
    /// dqds (`dbdsqr`) on the bidiagonal factor B: high relative accuracy.
    Dqds,
}

impl TridiagonalSolver {
    /// `Dsterf` when the Marchenko–Pastur edge ratio of the k×p model, k ≤ p, is at least
    /// [`DSTERF_MIN_EDGE_RATIO`], else `Dqds`.
    pub fn for_shape(k: usize, p: usize) -> Self {
        let root = (k as f64 / p as f64).sqrt();
        let ratio = ((1.0 - root) / (1.0 + root)).powi(2);
        if ratio >= DSTERF_MIN_EDGE_RATIO {
            TridiagonalSolver::Dsterf
        } else {
            TridiagonalSolver::Dqds
        }
    }
}

/// A reusable sampler and buffers for the Laguerre tridiagonal model of one shape.
#[derive(Debug, Clone)]
pub struct LaguerreTridiagonal {
    k: usize,
    p: usize,
    scale: f64,
    diagonal: Vec<f64>,
    off: Vec<f64>,
    off_squared: Vec<f64>,
    /// B's diagonal and subdiagonal (unscaled χ variates).
    b_diagonal: Vec<f64>,
    b_sub: Vec<f64>,
}

impl LaguerreTridiagonal {
    /// The model of S = W Wᵀ/n for m×n W with entry variance `s2`.
    ///
    /// # Errors
    /// Zero sizes, a non-positive or non-finite variance.
    pub fn new(m: usize, n: usize, s2: f64) -> Result<Self> {
        let shape = Shape::new(m, n)?;
        require_positive("variance", s2)?;
        let k = shape.min();
        Ok(LaguerreTridiagonal {
            k,
            p: shape.max(),
            scale: s2 / n as f64,
            diagonal: vec![0.0; k],
            off: vec![0.0; k.saturating_sub(1)],
            off_squared: vec![0.0; k.saturating_sub(1)],
            b_diagonal: vec![0.0; k],
            b_sub: vec![0.0; k.saturating_sub(1)],
        })
    }

    /// The order k = min(m, n) of T.
    pub fn order(&self) -> usize {
        self.k
    }

    /// Draws a new T: 2k − 1 χ variates from `rng`, in the order B_00, B_10, B_11, B_21, ….
    pub fn sample<R: Rng + ?Sized>(&mut self, rng: &mut R) {
        let (k, p) = (self.k, self.p);
        let chi = |df: usize, rng: &mut R| -> f64 {
            // df ≥ 1 always holds here, so the constructor cannot fail.
            ChiSquared::new(df as f64).expect("positive degrees of freedom").sample(rng)
        };
        let mut previous_sub_sq = 0.0;
        for i in 0..k {
            let a2 = chi(p - i, rng);
            self.diagonal[i] = self.scale * (a2 + previous_sub_sq);
            self.b_diagonal[i] = a2.sqrt();
            if i + 1 < k {
                let b2 = chi(k - 1 - i, rng);
                self.b_sub[i] = b2.sqrt();
                let off = self.scale * (b2 * a2).sqrt();
                self.off[i] = off;
                self.off_squared[i] = off * off;
                previous_sub_sq = b2;
            }
        }
    }

    /// Diagonal of T.
    pub fn diagonal(&self) -> &[f64] {
        &self.diagonal
    }

    /// Squared off-diagonal of T (what Sturm counts need).
    pub fn off_diagonal_squared(&self) -> &[f64] {
        &self.off_squared
    }

    /// The route [`eigenvalues_into`](Self::eigenvalues_into) takes for this shape.
    pub fn solver(&self) -> TridiagonalSolver {
        TridiagonalSolver::for_shape(self.k, self.p)
    }

    /// All k eigenvalues of T, ascending, into `eigenvalues` (length k), by the shape's
    /// [`solver`](Self::solver). `scratch` is reused workspace.
    ///
    /// # Errors
    /// Wrong buffer lengths or a LAPACK failure.
    pub fn eigenvalues_into(&self, eigenvalues: &mut [f64], scratch: &mut Vec<f64>) -> Result<()> {
        match self.solver() {
            TridiagonalSolver::Dsterf => self.eigenvalues_by_dsterf(eigenvalues, scratch),
            TridiagonalSolver::Dqds => self.eigenvalues_by_dqds(eigenvalues, scratch),
        }
    }

    /// All k eigenvalues of T, ascending, as (s2/n)·σ_i(B)² with the singular values of B from
    /// `dbdsqr`'s dqds (high relative accuracy, also for the smallest eigenvalues).
    ///
    /// # Errors
    /// Wrong buffer lengths or a LAPACK failure.
    pub fn eigenvalues_by_dqds(&self, eigenvalues: &mut [f64], scratch: &mut Vec<f64>) -> Result<()> {
        if eigenvalues.len() != self.k {
            return Err(Error::Mismatch(format!("{} eigenvalue slots for order {}", eigenvalues.len(), self.k)));
        }
        eigenvalues.copy_from_slice(&self.b_diagonal);
        let mut sub = self.b_sub.clone();
        linalg::bidiagonal_singular_values(eigenvalues, &mut sub, true, scratch)?;
        eigenvalues.iter_mut().for_each(|s| *s = self.scale * *s * *s);
        Ok(())
    }

    /// All k eigenvalues of T, ascending, by `dsterf` on T itself (absolute accuracy O(ε·λ_max)):
    /// also what the bulk null uses at every shape ([`crate::calibration::null`]), where no
    /// relative accuracy is needed.
    ///
    /// # Errors
    /// Wrong buffer lengths or a LAPACK failure.
    pub fn eigenvalues_by_dsterf(&self, eigenvalues: &mut [f64], scratch: &mut Vec<f64>) -> Result<()> {
        if eigenvalues.len() != self.k {
            return Err(Error::Mismatch(format!("{} eigenvalue slots for order {}", eigenvalues.len(), self.k)));
        }
        eigenvalues.copy_from_slice(&self.diagonal);
        scratch.clear();
        scratch.extend_from_slice(&self.off);
        linalg::tridiagonal_eigenvalues(eigenvalues, scratch)
    }

    /// The j-th smallest eigenvalue (0-based) by bisection on Sturm counts (see
    /// [`eigenvalue_by_bisection`]).
    pub fn eigenvalue(&self, j: usize) -> f64 {
        eigenvalue_by_bisection(&self.diagonal, &self.off_squared, j)
    }
}

/// Number of eigenvalues strictly below `x` of the symmetric tridiagonal matrix with diagonal
/// `d` and squared off-diagonal `e2` (length d.len() − 1): the number of negative pivots of
/// T − xI = LDLᵀ. Zero pivots are replaced by −pivmin as in LAPACK's `dlaebz`.
pub fn count_below(d: &[f64], e2: &[f64], x: f64) -> usize {
    if d.is_empty() {
        return 0;
    }
    let pivmin = f64::MIN_POSITIVE * e2.iter().copied().fold(1.0, f64::max);
    let mut count = 0;
    let mut q = d[0] - x;
    if q.abs() < pivmin {
        q = -pivmin;
    }
    count += (q < 0.0) as usize;
    for i in 1..d.len() {
        q = d[i] - x - e2[i - 1] / q;
        if q.abs() < pivmin {
            q = -pivmin;
        }
        count += (q < 0.0) as usize;
    }
    count
}

/// The j-th smallest eigenvalue (0-based) of a symmetric tridiagonal matrix by bisection on
/// [`count_below`], starting from the Gershgorin interval and stopping when the bracket is below
/// 4ε relative (or cannot shrink further). Accuracy: O(ε·‖T‖) absolute.
///
/// # Panics
/// If j ≥ d.len() (an internal invariant: callers ask for existing eigenvalues).
pub fn eigenvalue_by_bisection(d: &[f64], e2: &[f64], j: usize) -> f64 {
    assert!(j < d.len(), "eigenvalue index {j} out of range for order {}", d.len());
    let k = d.len();
    let radius = |i: usize| {
        let left = if i > 0 { e2[i - 1].sqrt() } else { 0.0 };
        let right = if i + 1 < k { e2[i].sqrt() } else { 0.0 };
        left + right
    };
    let mut lo = (0..k).map(|i| d[i] - radius(i)).fold(f64::INFINITY, f64::min);
    let mut hi = (0..k).map(|i| d[i] + radius(i)).fold(f64::NEG_INFINITY, f64::max);
    let pad = 2.0 * f64::EPSILON * lo.abs().max(hi.abs()) + f64::MIN_POSITIVE;
    lo -= pad;
    hi += pad;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi || hi - lo <= 4.0 * f64::EPSILON * lo.abs().max(hi.abs()) {
            break;
        }
        if count_below(d, e2, mid) > j {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::trial_rng;

    #[test]
    fn the_solver_is_dsterf_away_from_the_hard_edge_and_dqds_near_it() {
        // ((1 − √γ)/(1 + √γ))² = 0.01 at √γ = 9/11, γ = 0.6694…
        assert_eq!(TridiagonalSolver::for_shape(500, 1000), TridiagonalSolver::Dsterf);
        assert_eq!(TridiagonalSolver::for_shape(669, 1000), TridiagonalSolver::Dsterf);
        assert_eq!(TridiagonalSolver::for_shape(670, 1000), TridiagonalSolver::Dqds);
        assert_eq!(TridiagonalSolver::for_shape(1000, 1000), TridiagonalSolver::Dqds);
        assert_eq!(TridiagonalSolver::for_shape(1, 1), TridiagonalSolver::Dqds);
        assert_eq!(LaguerreTridiagonal::new(400, 200, 1.0).unwrap().solver(), TridiagonalSolver::Dsterf);
    }

    /// Both routes give the same spectrum within dsterf's backward error: every eigenvalue within
    /// k·ε·λ_max (the dqds values are accurate to a few ulp relative, so the difference is
    /// dsterf's error; LAPACK's bound is a modest multiple of ε‖T‖, k·ε is generous), and the
    /// smallest therefore within k·ε·λ_max/λ_min relative.
    #[test]
    fn dsterf_and_dqds_agree_within_dsterf_backward_error() {
        for (k, p) in [(300, 600), (300, 300), (200, 2000)] {
            let mut model = LaguerreTridiagonal::new(k, p, 1.0).unwrap();
            model.sample(&mut trial_rng(11, k as u64));
            let (mut a, mut b, mut scratch) = (vec![0.0; k], vec![0.0; k], Vec::new());
            model.eigenvalues_by_dsterf(&mut a, &mut scratch).unwrap();
            model.eigenvalues_by_dqds(&mut b, &mut scratch).unwrap();
            let lambda_max = b[k - 1];
            let bound = k as f64 * f64::EPSILON * lambda_max;
            let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(worst <= bound, "{k}×{p}: max |Δλ| = {worst:e} > {bound:e}");
            let mut direct = vec![0.0; k];
            model.eigenvalues_into(&mut direct, &mut scratch).unwrap();
            let expected = if model.solver() == TridiagonalSolver::Dsterf { &a } else { &b };
            assert_eq!(&direct, expected, "{k}×{p}");
        }
    }

    #[test]
    fn sturm_counts_match_dsterf_eigenvalues() {
        let mut model = LaguerreTridiagonal::new(300, 500, 1.0).unwrap();
        model.sample(&mut trial_rng(4, 0));
        let mut eig = vec![0.0; 300];
        model.eigenvalues_into(&mut eig, &mut Vec::new()).unwrap();
        assert!(eig.windows(2).all(|w| w[0] <= w[1]));
        // dqds on B and dsterf on T = (s2/n)·B Bᵀ agree to O(ε·λ_max).
        let mut by_dsterf = vec![0.0; 300];
        model.eigenvalues_by_dsterf(&mut by_dsterf, &mut Vec::new()).unwrap();
        for (a, b) in eig.iter().zip(&by_dsterf) {
            assert!((a - b).abs() <= 1e-12 * eig[299], "{a} vs {b}");
        }
        for (j, &lambda) in eig.iter().enumerate().step_by(37) {
            // Just below and above each eigenvalue the count changes by one (eigenvalues of a
            // random tridiagonal are simple with probability 1 and well separated here).
            let delta = 1e-9 * eig[299];
            assert_eq!(count_below(model.diagonal(), model.off_diagonal_squared(), lambda - delta), j);
            assert_eq!(count_below(model.diagonal(), model.off_diagonal_squared(), lambda + delta), j + 1);
            let by_bisection = model.eigenvalue(j);
            assert!((by_bisection - lambda).abs() <= 1e-12 * eig[299], "{j}: {by_bisection} vs {lambda}");
        }
    }

    #[test]
    fn trace_has_the_gaussian_expectation() {
        // E tr T = E tr S = (s2/n)·m·n = s2·m for any shape; over 200 draws of a 50×80 model the
        // mean trace is within 5 standard errors (Var tr(W Wᵀ)/n² = 2 s2² m n / n²).
        let (m, n, s2) = (50usize, 80usize, 0.5);
        let mut model = LaguerreTridiagonal::new(m, n, s2).unwrap();
        let draws = 200;
        let mut total = 0.0;
        for t in 0..draws {
            model.sample(&mut trial_rng(9, t));
            total += model.diagonal().iter().sum::<f64>();
        }
        let mean = total / draws as f64;
        let sd = (2.0 * s2 * s2 * (m * n) as f64).sqrt() / n as f64;
        assert!((mean - s2 * m as f64).abs() <= 5.0 * sd / (draws as f64).sqrt(), "{mean}");
    }

    #[test]
    fn tall_shapes_use_the_smaller_order() {
        let model = LaguerreTridiagonal::new(9, 4, 1.0).unwrap();
        assert_eq!(model.order(), 4);
        assert!(LaguerreTridiagonal::new(0, 4, 1.0).is_err());
        assert!(LaguerreTridiagonal::new(3, 4, 0.0).is_err());
    }
}
