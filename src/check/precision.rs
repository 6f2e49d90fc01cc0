//! How precisely the weights were stored, and what that allows an exact (orthogonal) check.
//!
//! **The f32 tolerance, derived.** Let W be exactly c·Q (Q with orthonormal rows or columns, so
//! every one of its k = min(m, n) singular values is c) and W̃ = fl(W) the matrix as stored, each
//! entry rounded to nearest in a format with unit roundoff u (2⁻²⁴ for f32, 2⁻⁵³ for f64). Then
//! E = W̃ − W has |E_ij| ≤ u·|W_ij|, so ‖E‖₂ ≤ ‖E‖_F ≤ u·‖W‖_F = u·c·√k, and by Weyl's inequality
//! for singular values |σ_i(W̃) − c| ≤ ‖E‖₂ ≤ u·√k·c. The singular values of W̃ are then computed
//! in f64 by `dgesdd`, backward stable with relative error a modest multiple of 2⁻⁵³·√k
//! (bounded generously by [`COMPUTATION_SLACK`] = 1e-9). An exact check therefore allows
//!
//!   |σ_i − c| ≤ c·(u·√k + 1e-9)
//!
//! which holds for *every* correctly initialised matrix (it is a bound, not a fitted number): at
//! k = 1024 in f32 it is 1.9e-6·c, while the rounding actually seen in f32 layers is 4.5e-9 to
//! 3.5e-8 relative (most rounding errors partly cancel). [`Precision::F64`] keeps only the
//! computational slack, for weights that were never rounded to f32. κ = σ_max/σ_min then lies in
//! [1, (1 + t)/(1 − t)] and ‖W‖_F²/(m·n·s2) in [(1 − t)², (1 + t)²]·(its exact value).
//!
//! Reference: H. Weyl, "Das asymptotische Verteilungsgesetz der Eigenwerte linearer partieller
//! Differentialgleichungen", *Math. Ann.* 71 (1912); N. J. Higham, *Accuracy and Stability of
//! Numerical Algorithms*, 2nd ed., SIAM (2002), §2.2 (rounding to nearest), §20 (SVD).

/// Relative slack for the f64 computation of singular values (far above dgesdd's error).
pub const COMPUTATION_SLACK: f64 = 1e-9;

/// The storage format the weights went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Rounded to f32 (the storage of every framework layer): exact checks allow that rounding.
    #[default]
    F32,
    /// Computed and kept in f64: exact checks allow only the computation's rounding.
    F64,
}

impl Precision {
    /// The unit roundoff u of the format (rounding to nearest).
    pub fn unit_roundoff(self) -> f64 {
        match self {
            Precision::F32 => f64::from(f32::EPSILON) / 2.0,
            Precision::F64 => f64::EPSILON / 2.0,
        }
    }

    /// The relative tolerance t of an exact check of a matrix with k nonzero singular values:
    /// u·√k + [`COMPUTATION_SLACK`] (see the docs of the module `precision`).
    pub fn exact_tolerance(self, k: usize) -> f64 {
        let storage = match self {
            Precision::F32 => self.unit_roundoff() * (k as f64).sqrt(),
            Precision::F64 => 0.0,
        };
        storage + COMPUTATION_SLACK
    }

    /// The coarser of two precisions.
    pub fn coarser(self, other: Precision) -> Precision {
        if self == Precision::F32 || other == Precision::F32 {
            Precision::F32
        } else {
            Precision::F64
        }
    }
}

/// A weight entry type the check accepts: f32 (framework storage) or f64.
pub trait WeightEntry: Copy + 'static {
    /// The storage precision this type implies.
    const PRECISION: Precision;
    /// The value as f64 (exact for both types).
    fn to_f64(self) -> f64;
}

impl WeightEntry for f32 {
    const PRECISION: Precision = Precision::F32;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl WeightEntry for f64 {
    const PRECISION: Precision = Precision::F64;
    fn to_f64(self) -> f64 {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{sample, trial_rng};
    use crate::Strategy;

    #[test]
    fn the_f32_bound_holds_for_rounded_orthogonal_matrices() {
        // Orthogonal matrices rounded to f32: every singular value within the derived bound of
        // c, and the bound is not vacuous (the worst deviation seen is below it but not 0).
        for (m, n) in [(64, 256), (300, 100), (128, 128)] {
            let strategy = Strategy::orthogonal_with_variance(0.5).unwrap();
            let w = sample(strategy, m, n, &mut trial_rng(3, 1)).unwrap();
            let rounded = w.map(|x| f64::from(x as f32));
            let c = (m.max(n) as f64 * 0.5).sqrt();
            let k = m.min(n);
            let sv = crate::spectrum::singular_values(&rounded).unwrap();
            let worst = sv.iter().map(|s| (s / c - 1.0).abs()).fold(0.0, f64::max);
            assert!(worst <= Precision::F32.exact_tolerance(k), "{m}×{n}: {worst:e}");
            assert!(worst > Precision::F64.exact_tolerance(k), "{m}×{n}: f32 rounding is visible: {worst:e}");
        }
        assert_eq!(Precision::F32.coarser(Precision::F64), Precision::F32);
        assert!((Precision::F32.exact_tolerance(1024) - (2f64.powi(-24) * 32.0 + 1e-9)).abs() < 1e-18);
    }
}
