//! Spectra of weight matrices through LAPACK: Gram eigenvalues, singular values, spectral norm,
//! condition number.
//!
//! Convention (see the [crate table](crate#conventions)): for W ∈ ℝ^{m×n}, the Gram matrix is
//! S = W Wᵀ / n (m×m). When m > n, S has rank n and m − n exact zero eigenvalues; rmspec never
//! asks an eigensolver for them. It forms the smaller of W Wᵀ/n and Wᵀ W/n (they share their
//! nonzero eigenvalues) with `dsyrk`, takes its eigenvalues with `dsyev` (JOBZ = 'N'; the fastest
//! driver measured, see [`linalg::EigenDriver`]), and
//! records the m − n zeros as a count. Hence:
//!
//! - ‖W‖ = σ_max(W) = √(n·λ_max(S));
//! - σ_min(W) = √(n·λ_min⁺(S)), with λ_min⁺ the smallest of the min(m, n) eigenvalues of the
//!   smaller Gram matrix (the smallest *nonzero* eigenvalue of S when W has full rank);
//! - κ(W) = σ_max/σ_min over the min(m, n) singular values; κ(S) = κ(W)² (on the nonzero part).
//!
//! **Accuracy of the Gram route.** Eigenvalues of the computed Gram matrix carry absolute errors
//! of order ε·λ_max (ε = 2.2e-16), so σ_min = √(n·λ_min⁺) has relative error about
//! ε·κ(W)²/2: harmless for κ(W) ≲ 10⁵ (Gaussian W with γ ≤ 0.9 at any size has κ ≲ 40), but
//! for γ → 1 or nearly singular W it loses digits. [`SingularValueMethod::Svd`] computes the
//! singular values directly with `dgesdd` (relative accuracy ε·κ in the worst case, and
//! typically to full precision for the largest) at 4–6× the cost. The default,
//! [`SingularValueMethod::Auto`], takes the Gram route and falls back to `dgesdd` for the
//! matrices whose estimate κ̂ = √(λ_max/λ_min⁺) exceeds [`AUTO_SVD_CONDITION`] = 10⁵ (there the
//! Gram route's σ_min would be good to only about 1e-6 relative), so σ_min is never reported
//! with fewer than about 6 correct digits, while well-conditioned matrices pay nothing extra.
//!
//! Every function returns eigenvalues and singular values sorted **ascending**.

use crate::error::{Error, Result};
use crate::linalg::{self, GramSide, SymmetricEigenvalues};
use crate::shape::Shape;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// How singular values are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SingularValueMethod {
    /// From the Gram eigenvalues: σ = √(n·λ). Fast; see the module docs for its accuracy.
    Gram,
    /// Directly by LAPACK's `dgesdd` (JOBZ = 'N').
    Svd,
    /// From the Gram eigenvalues, falling back to `dgesdd` for a matrix whose Gram estimate
    /// κ̂ = √(λ_max/λ_min⁺) exceeds [`AUTO_SVD_CONDITION`] (or whose λ_min⁺ ≤ 0), where the
    /// Gram route's σ_min would have lost more than about 6 of its 16 digits.
    #[default]
    Auto,
}

/// The κ̂(W) above which [`SingularValueMethod::Auto`] recomputes singular values by `dgesdd`:
/// 10⁵, where the Gram route's relative error in σ_min, about ε·κ²/2, reaches 1e-6.
pub const AUTO_SVD_CONDITION: f64 = 1e5;

/// The spectrum of S = W Wᵀ/n for one m×n matrix W.
#[derive(Debug, Clone, PartialEq)]
pub struct GramSpectrum {
    m: usize,
    n: usize,
    eigenvalues: Vec<f64>,
    singular_values: Option<Vec<f64>>,
}

impl GramSpectrum {
    /// Rows m of W (fan-in).
    pub fn m(&self) -> usize {
        self.m
    }

    /// Columns n of W (fan-out).
    pub fn n(&self) -> usize {
        self.n
    }

    /// The min(m, n) eigenvalues of the smaller Gram matrix, ascending: the nonzero spectrum of S
    /// (when W has full rank).
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// Number of structural zero eigenvalues of S: m − n when m > n, else 0.
    pub fn zero_count(&self) -> usize {
        self.m.saturating_sub(self.n)
    }

    /// All m eigenvalues of S, ascending, with the structural zeros first.
    pub fn all_eigenvalues(&self) -> Vec<f64> {
        let mut all = vec![0.0; self.zero_count()];
        all.extend_from_slice(&self.eigenvalues);
        all
    }

    /// λ_max(S).
    pub fn lambda_max(&self) -> f64 {
        *self.eigenvalues.last().expect("a spectrum has at least one eigenvalue")
    }

    /// λ_min⁺(S): the smallest of the min(m, n) computed eigenvalues (see the module docs).
    pub fn lambda_min(&self) -> f64 {
        self.eigenvalues[0]
    }

    /// Singular values of W, ascending: by `dgesdd` if this spectrum was computed with
    /// [`SingularValueMethod::Svd`], otherwise √(n·max(λ, 0)).
    pub fn singular_values(&self) -> Vec<f64> {
        match &self.singular_values {
            Some(s) => s.clone(),
            None => self.eigenvalues.iter().map(|&l| (self.n as f64 * l.max(0.0)).sqrt()).collect(),
        }
    }

    /// ‖W‖ = σ_max(W).
    pub fn spectral_norm(&self) -> f64 {
        match &self.singular_values {
            Some(s) => s[s.len() - 1],
            None => (self.n as f64 * self.lambda_max()).sqrt(),
        }
    }

    /// σ_min(W) over the min(m, n) singular values.
    pub fn smallest_singular_value(&self) -> f64 {
        match &self.singular_values {
            Some(s) => s[0],
            None => (self.n as f64 * self.lambda_min().max(0.0)).sqrt(),
        }
    }

    /// κ(W) = σ_max/σ_min (infinite if σ_min = 0).
    pub fn condition_number(&self) -> f64 {
        self.spectral_norm() / self.smallest_singular_value()
    }

    /// κ(S) = κ(W)² on the nonzero spectrum.
    pub fn gram_condition_number(&self) -> f64 {
        self.condition_number().powi(2)
    }
}

/// Computes Gram spectra of m×n matrices repeatedly without allocating: the Gram buffer and the
/// LAPACK workspace are sized once (one solver per worker thread).
#[derive(Debug, Clone)]
pub struct GramSolver {
    m: usize,
    n: usize,
    side: GramSide,
    gram: Vec<f64>,
    eigen: SymmetricEigenvalues,
    method: SingularValueMethod,
    copy: Vec<f64>,
}

impl GramSolver {
    /// A solver for m×n matrices.
    ///
    /// # Errors
    /// Zero sizes, or a LAPACK workspace query failure.
    pub fn new(m: usize, n: usize, method: SingularValueMethod) -> Result<Self> {
        let k = Shape::new(m, n)?.min();
        let side = if m <= n { GramSide::Rows } else { GramSide::Columns };
        Ok(GramSolver {
            m,
            n,
            side,
            gram: vec![0.0; Shape::new(k, k)?.len()],
            eigen: SymmetricEigenvalues::new(k)?,
            method,
            copy: Vec::new(),
        })
    }

    /// The spectrum of S = W Wᵀ/n for W given column-major in `w` (length m·n). When
    /// singular values are taken by `dgesdd` (always with [`SingularValueMethod::Svd`], when
    /// needed with [`SingularValueMethod::Auto`]), `w` is copied into a reused buffer first.
    ///
    /// # Errors
    /// A wrong buffer length or a LAPACK failure.
    pub fn compute(&mut self, w: &[f64]) -> Result<GramSpectrum> {
        let mut eigenvalues = vec![0.0; self.m.min(self.n)];
        let exact = self.compute_into(w, &mut eigenvalues)?;
        Ok(GramSpectrum { m: self.m, n: self.n, eigenvalues, singular_values: exact })
    }

    /// As [`compute`](Self::compute), writing the min(m, n) eigenvalues into `eigenvalues` and
    /// returning the `dgesdd` singular values when they were computed.
    ///
    /// # Errors
    /// A wrong buffer length or a LAPACK failure.
    pub fn compute_into(&mut self, w: &[f64], eigenvalues: &mut [f64]) -> Result<Option<Vec<f64>>> {
        let (m, n) = (self.m, self.n);
        linalg::gram_lower(w, m, n, self.side, 1.0 / n as f64, &mut self.gram)?;
        self.eigen.compute(&mut self.gram, eigenvalues)?;
        let needs_svd = match self.method {
            SingularValueMethod::Gram => false,
            SingularValueMethod::Svd => true,
            SingularValueMethod::Auto => {
                let (low, high) = (eigenvalues[0], eigenvalues[eigenvalues.len() - 1]);
                !(low > 0.0 && high / low <= AUTO_SVD_CONDITION * AUTO_SVD_CONDITION)
            }
        };
        if !needs_svd {
            return Ok(None);
        }
        self.copy.clear();
        self.copy.extend_from_slice(w);
        Ok(Some(linalg::singular_values(&mut self.copy, m, n)?))
    }
}

/// The spectrum of S = W Wᵀ/n (see [`GramSpectrum`]), eigenvalues from `dsyev`.
///
/// # Errors
/// Empty W or a LAPACK failure.
///
/// # Example
/// ```
/// use nalgebra::DMatrix;
/// // W = diag(3, 4) padded to 2×3: S = W Wᵀ/3 has eigenvalues 9/3 and 16/3.
/// let w = DMatrix::from_row_slice(2, 3, &[3.0, 0.0, 0.0, 0.0, 4.0, 0.0]);
/// let s = rmspec::spectrum::gram_spectrum(&w).unwrap();
/// assert!((s.lambda_max() - 16.0 / 3.0).abs() < 1e-14);
/// assert!((s.spectral_norm() - 4.0).abs() < 1e-14);
/// assert!((s.condition_number() - 4.0 / 3.0).abs() < 1e-14);
/// ```
pub fn gram_spectrum(w: &DMatrix<f64>) -> Result<GramSpectrum> {
    GramSolver::new(w.nrows(), w.ncols(), SingularValueMethod::Gram)?.compute(w.as_slice())
}

/// Singular values of W, ascending, by `dgesdd` with JOBZ = 'N'.
///
/// # Errors
/// Empty W or a LAPACK failure.
pub fn singular_values(w: &DMatrix<f64>) -> Result<Vec<f64>> {
    if w.is_empty() {
        return Err(Error::invalid("matrix size", format!("{}×{}", w.nrows(), w.ncols()), "must be non-empty"));
    }
    linalg::singular_values(&mut w.as_slice().to_vec(), w.nrows(), w.ncols())
}

/// Eigenvalues of a symmetric matrix, ascending, by `dsyev` with JOBZ = 'N' (only the lower
/// triangle is read).
///
/// # Errors
/// A non-square matrix or a LAPACK failure.
pub fn symmetric_eigenvalues(a: &DMatrix<f64>) -> Result<Vec<f64>> {
    if !a.is_square() {
        return Err(Error::Mismatch(format!("matrix is {}×{}, not square", a.nrows(), a.ncols())));
    }
    let k = a.nrows();
    let mut buffer = a.as_slice().to_vec();
    let mut eigenvalues = vec![0.0; k];
    SymmetricEigenvalues::new(k)?.compute(&mut buffer, &mut eigenvalues)?;
    Ok(eigenvalues)
}

/// ‖W‖ = σ_max(W) through the Gram eigenvalues.
///
/// # Errors
/// As [`gram_spectrum`].
pub fn spectral_norm(w: &DMatrix<f64>) -> Result<f64> {
    Ok(gram_spectrum(w)?.spectral_norm())
}

/// κ(W) = σ_max/σ_min, by `dgesdd` (accurate also when W is ill-conditioned).
///
/// # Errors
/// As [`singular_values`].
pub fn condition_number(w: &DMatrix<f64>) -> Result<f64> {
    let s = singular_values(w)?;
    Ok(s[s.len() - 1] / s[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{sample, trial_rng};
    use crate::strategy::Strategy;

    /// Agreement between LAPACK and an independent decomposition, relative to the largest value.
    const CROSS_CHECK: f64 = 1e-12;

    fn assert_sorted(values: &[f64]) {
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "not ascending: {values:?}");
    }

    #[test]
    fn diagonal_matrix_has_known_spectrum() {
        // W = [diag(1, 2, 3) | 0] is 3×5: σ = 1, 2, 3; S = W Wᵀ/5 has eigenvalues σ²/5.
        let mut w = DMatrix::zeros(3, 5);
        for i in 0..3 {
            w[(i, i)] = (i + 1) as f64;
        }
        let s = gram_spectrum(&w).unwrap();
        for (got, want) in s.eigenvalues().iter().zip([0.2, 0.8, 1.8]) {
            assert!((got - want).abs() < 1e-15);
        }
        assert_eq!(s.zero_count(), 0);
        assert!((s.condition_number() - 3.0).abs() < 1e-14);
        assert!((s.gram_condition_number() - 9.0).abs() < 1e-13);
        let sv = singular_values(&w).unwrap();
        assert_sorted(&sv);
        assert!((sv[0] - 1.0).abs() < 1e-15 && (sv[2] - 3.0).abs() < 1e-15);
    }

    #[test]
    fn tall_matrix_counts_structural_zeros() {
        // m = 5 > n = 2: S is 5×5 of rank 2, three exact zeros, computed on the 2×2 side.
        let w = DMatrix::from_fn(5, 2, |i, j| if i == j { 2.0 } else { 0.0 });
        let s = gram_spectrum(&w).unwrap();
        assert_eq!(s.zero_count(), 3);
        assert_eq!(s.eigenvalues().len(), 2);
        assert_eq!(s.all_eigenvalues().len(), 5);
        assert!((s.lambda_max() - 2.0).abs() < 1e-15); // 4/2
        assert!((s.spectral_norm() - 2.0).abs() < 1e-15);
    }

    #[test]
    fn rank_deficient_matrix_has_zero_smallest_singular_value() {
        // Two equal rows: rank 1, κ infinite (SVD) or huge (Gram).
        let w = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
        let sv = singular_values(&w).unwrap();
        assert!(sv[0] < 1e-15 * sv[1]);
        assert!((sv[1] - (28.0f64).sqrt()).abs() < 1e-14);
        let s = gram_spectrum(&w).unwrap();
        assert!(s.lambda_min().abs() < 1e-14, "Gram eigenvalues ≥ −ε: {}", s.lambda_min());
        assert!(condition_number(&w).unwrap() > 1e14);
    }

    #[test]
    fn orthogonal_matrix_has_unit_condition_number() {
        let w = sample(Strategy::Orthogonal { variance: Some(0.25) }, 8, 20, &mut trial_rng(3, 0)).unwrap();
        let s = gram_spectrum(&w).unwrap();
        assert!((s.condition_number() - 1.0).abs() < 1e-13);
        // c² = max(m, n)·s2 = 5 ⇒ S eigenvalues c²/n = 0.25.
        assert!(s.eigenvalues().iter().all(|l| (l - 0.25).abs() < 1e-14));
    }

    #[test]
    fn agrees_with_nalgebra_decompositions_on_random_matrices() {
        for (trial, (m, n)) in [(3, 7), (7, 3), (6, 6), (1, 5), (5, 1), (12, 30)].into_iter().enumerate() {
            let w = sample(Strategy::Variance { variance: 1.0 }, m, n, &mut trial_rng(11, trial as u64)).unwrap();
            let s = gram_spectrum(&w).unwrap();
            assert_sorted(s.eigenvalues());
            // Independent: nalgebra's pure-Rust symmetric eigen-decomposition of the full S.
            let full = &w * w.transpose() / n as f64;
            let mut reference: Vec<f64> = full.clone().symmetric_eigen().eigenvalues.iter().copied().collect();
            reference.sort_by(f64::total_cmp);
            let scale = reference[m - 1];
            for (got, want) in s.all_eigenvalues().iter().zip(&reference) {
                assert!((got - want).abs() <= CROSS_CHECK * scale, "({m},{n}) {got} vs {want}");
            }
            // Σλ = tr S and Σσ² = ‖W‖_F².
            let trace: f64 = full.trace();
            assert!((s.eigenvalues().iter().sum::<f64>() - trace).abs() <= CROSS_CHECK * trace);
            let sv = singular_values(&w).unwrap();
            let frob2 = w.norm_squared();
            assert!((sv.iter().map(|x| x * x).sum::<f64>() - frob2).abs() <= CROSS_CHECK * frob2);
            // Independent: nalgebra's pure-Rust SVD, and nalgebra-lapack's full dgesdd.
            let mut na: Vec<f64> = w.clone().svd(false, false).singular_values.iter().copied().collect();
            na.sort_by(f64::total_cmp);
            let mut nl: Vec<f64> =
                nalgebra_lapack::SVD::new(w.clone()).unwrap().singular_values.iter().copied().collect();
            nl.sort_by(f64::total_cmp);
            for ((a, b), c) in sv.iter().zip(&na).zip(&nl) {
                assert!((a - b).abs() <= CROSS_CHECK * sv[sv.len() - 1]);
                assert!((a - c).abs() <= CROSS_CHECK * sv[sv.len() - 1]);
            }
            assert!((s.spectral_norm() - sv[sv.len() - 1]).abs() <= CROSS_CHECK * sv[sv.len() - 1]);
        }
    }

    #[test]
    fn svd_method_matches_gram_method_on_well_conditioned_matrices() {
        let w = sample(Strategy::Arithmetic, 20, 80, &mut trial_rng(5, 0)).unwrap();
        let by_gram = GramSolver::new(20, 80, SingularValueMethod::Gram).unwrap().compute(w.as_slice()).unwrap();
        let by_svd = GramSolver::new(20, 80, SingularValueMethod::Svd).unwrap().compute(w.as_slice()).unwrap();
        let rel = (by_gram.condition_number() - by_svd.condition_number()).abs() / by_svd.condition_number();
        assert!(rel < 1e-13, "{rel}");
    }

    #[test]
    fn auto_method_falls_back_to_dgesdd_only_for_ill_conditioned_matrices() {
        // Well conditioned (κ ≈ 3): the Gram route, no dgesdd.
        let w = sample(Strategy::Arithmetic, 20, 80, &mut trial_rng(5, 0)).unwrap();
        let mut solver = GramSolver::new(20, 80, SingularValueMethod::Auto).unwrap();
        let mut eig = vec![0.0; 20];
        assert!(solver.compute_into(w.as_slice(), &mut eig).unwrap().is_none());
        // κ(W) = 1e7 > 1e5: the Gram route would give σ_min with ~2 correct digits at best;
        // the fallback returns dgesdd's, accurate to ~ε·κ relative.
        let mut w = DMatrix::zeros(3, 4);
        for (i, s) in [1.0, 1e-3, 1e-7].into_iter().enumerate() {
            w[(i, i)] = s;
        }
        let mut solver = GramSolver::new(3, 4, SingularValueMethod::Auto).unwrap();
        let s = solver.compute(w.as_slice()).unwrap();
        assert!((s.smallest_singular_value() - 1e-7).abs() <= 1e-15 * 1e-7 * 1e7, "{}", s.smallest_singular_value());
        assert!((s.condition_number() - 1e7).abs() <= 1e-8 * 1e7);
    }

    #[test]
    fn solver_rejects_bad_shapes_and_buffers() {
        assert!(GramSolver::new(0, 3, SingularValueMethod::Gram).is_err());
        assert!(GramSolver::new(3, 0, SingularValueMethod::Gram).is_err());
        let mut solver = GramSolver::new(2, 3, SingularValueMethod::Gram).unwrap();
        assert!(matches!(solver.compute(&[1.0; 5]), Err(Error::Mismatch(_))));
        assert!(symmetric_eigenvalues(&DMatrix::zeros(2, 3)).is_err());
        assert!(singular_values(&DMatrix::zeros(0, 3)).is_err());
    }

    /// Regression for the nalgebra-lapack 0.28 trap named in issue 2: its eigenvalues-only path
    /// passes JOBZ = 'T' to dsyev. rmspec calls dsyev with JOBZ = 'N' itself; this pins that
    /// our path works on the matrix that would have failed.
    #[test]
    fn eigenvalues_only_path_uses_a_valid_jobz() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
        assert_eq!(symmetric_eigenvalues(&a).unwrap(), vec![1.0, 3.0]);
    }
}
