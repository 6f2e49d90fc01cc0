//! The null distribution of a layer's bulk statistics — the fitted variance ŝ2 and the KS
//! distance to Marchenko–Pastur(γ, ŝ2) — simulated for one shape and entry law.
//!
//! **Why the fitted-variance null.** A checkpoint's layer comes without a known variance, so
//! the bulk is compared with MP at a variance ŝ2 estimated from the same spectrum. That makes
//! the KS distance smaller than against the true law (the Lilliefors effect), so the crate's
//! known-variance null ([`crate::calibration::BulkNull`]) would give a conservative
//! test. Here each replicate repeats the whole procedure (draw, estimate ŝ2, KS distance against
//! MP(γ, ŝ2)), so the observed statistic and the R replicates are exchangeable under the null and
//! the Monte Carlo test is exact (Barnard 1963; Hope 1968): with D₍ₖ₎ the k-th largest replicate,
//! k = ⌊α(R + 1)⌋, P(D > D₍ₖ₎) = k/(R + 1) ≤ α.
//!
//! **Estimator.** ŝ2 = median of the min(m, n) nonzero eigenvalues of S = W Wᵀ/n divided by the
//! median of MP(γ, 1) restricted to its nonzero part (the quantile at
//! atom + (1 − atom)/2). A median ignores up to half of the spectrum, so spikes and a heavy tail
//! above the edge barely move it; the mean tr S/m would move with every outlier. Its finite-size
//! bias and its standard error are taken from the same replicates (drawn at s2 = 1, so that
//! ŝ2/s2 has mean `variance_mean` and standard deviation `variance_sd`); the reported ŝ2 is
//! divided by `variance_mean`.
//!
//! **Edge test with a fitted variance.** The TW₁-scaled largest eigenvalue
//! s = (n·λ₁/ŝ2 − μ₊)/σ₊ uses the fitted ŝ2, whose relative error (about 1% at p = 384) is of the
//! order of the TW scale σ₊/μ₊ itself, so s is more spread than TW₁ (measured: 4.8% false
//! outliers at a nominal 1.67% for Gaussian 384×384 layers with the plain TW₁ quantile). Each
//! replicate records the shift e_r = s(λ₁, ŝ2_r) − s(λ₁, 1) that fitting causes, and the edge
//! test uses the law of T + E with T ~ TW₁ and E drawn from the e_r, taken independent. Fitting a
//! larger variance when λ₁ is larger makes E and T negatively correlated, so treating them as
//! independent overstates the spread: the test errs on the conservative side.
//!
//! **Entry law.** Statistics of the bulk depend on the entry law at order 1/n, the order of the
//! KS fluctuations themselves, so replicates are drawn from the law being tested: the Gaussian
//! law through the Dumitriu–Edelman tridiagonal model ([`crate::tridiagonal`], O(k²) per
//! replicate, the exact eigenvalue law), any other law as dense m×n matrices
//! ([`crate::sample::sample_into`], O(m·n·k)). Replicate r of a shape draws from
//! [`trial_rng`]`(seed ⊕ NULL_SALT, r)`.

use crate::error::{Error, Result};
use crate::initializer::{EntryLaw, Initializer};
use crate::law::edge_scaling::tw1_cdf_interpolated;
use crate::law::{EdgeScaling, MarchenkoPastur, SpectralLaw};
use crate::sample::{sample_into, trial_rng};
use crate::shape::Shape;
use crate::spectrum::{GramSolver, SingularValueMethod};
use crate::stats::{ks_distance, median};
use crate::strategy::Strategy;
use crate::trials::run_all_trials;
use crate::tridiagonal::LaguerreTridiagonal;

/// XORed into the seed for null replicates.
pub const NULL_SALT: u64 = 0x7765_6967_6874_7321; // "weights!"

/// The median-matching variance estimate from the min(m, n) nonzero eigenvalues of S at
/// γ = m/n: median(λ)/median(MP(γ, 1) | λ > 0).
///
/// # Errors
/// An empty spectrum.
pub fn median_variance(eigenvalues: &[f64], shape: Shape) -> Result<f64> {
    if eigenvalues.is_empty() {
        return Err(Error::invalid("spectrum", "empty", "needs at least one eigenvalue"));
    }
    Ok(median(eigenvalues) / mp_median(shape)?)
}

/// Median of the nonzero part of MP(γ, 1).
fn mp_median(shape: Shape) -> Result<f64> {
    let law = MarchenkoPastur::for_shape(shape, 1.0)?;
    let atom = law.atom_at_zero();
    law.quantile(atom + 0.5 * (1.0 - atom))
}

/// (raw ŝ2, KS distance to MP(γ, raw ŝ2)) of one spectrum (ascending nonzero eigenvalues of S;
/// m − n structural zeros when m > n).
///
/// # Errors
/// An empty or non-finite spectrum.
pub fn bulk_statistics(eigenvalues: &[f64], shape: Shape) -> Result<(f64, f64)> {
    let s2 = median_variance(eigenvalues, shape)?;
    let s2 = if s2 > 0.0 { s2 } else { f64::MIN_POSITIVE };
    let law = MarchenkoPastur::for_shape(shape, s2)?;
    Ok((s2, ks_distance(eigenvalues, shape.zero_eigenvalues(), &law)?))
}

/// The simulated null at one shape and entry law.
#[derive(Debug, Clone, PartialEq)]
pub struct FitNull {
    /// The entry law replicates were drawn from.
    pub law: EntryLaw,
    /// KS distances of the replicates, ascending.
    pub ks: Vec<f64>,
    /// Mean of raw ŝ2 over replicates drawn at s2 = 1 (the estimator's bias factor).
    pub variance_mean: f64,
    /// Standard deviation of raw ŝ2 over the replicates (its relative standard error).
    pub variance_sd: f64,
    /// Per replicate, the shift e = s(λ₁, ŝ2) − s(λ₁, 1) of the TW₁-scaled largest eigenvalue
    /// caused by using the (bias-corrected) fitted variance instead of the true one.
    pub edge_shifts: Vec<f64>,
}

impl FitNull {
    /// Simulates `replicates` m×n matrices with iid entries of `law` (see the [module docs](self)).
    ///
    /// # Errors
    /// Fewer than 2 replicates, a LAPACK failure.
    pub fn simulate(shape: Shape, law: EntryLaw, replicates: usize, seed: u64) -> Result<Self> {
        if replicates < 2 {
            return Err(Error::invalid("replicates", replicates, "must be at least 2"));
        }
        let key = seed ^ NULL_SALT;
        let unit = Strategy::Framework(Initializer::Fixed { law, variance: 1.0 });
        let (m, n) = (shape.m(), shape.n());
        let dense = law != EntryLaw::Normal;
        let stats: Vec<(f64, f64, f64)> = run_all_trials(
            replicates,
            || Ok((vec![0.0; shape.min()], vec![0.0; if dense { shape.len() } else { 0 }])),
            |(eigenvalues, w), r| {
                let mut rng = trial_rng(key, r);
                if dense {
                    sample_into(unit, m, n, &mut rng, w)?;
                    GramSolver::new(m, n, SingularValueMethod::Gram)?.compute_into(w, eigenvalues)?;
                } else {
                    let mut model = LaguerreTridiagonal::new(m, n, 1.0)?;
                    model.sample(&mut rng);
                    model.eigenvalues_into(eigenvalues, &mut Vec::new())?;
                }
                let (s2, ks) = bulk_statistics(eigenvalues, shape)?;
                Ok((s2, ks, eigenvalues[eigenvalues.len() - 1]))
            },
        )?;
        let mut ks: Vec<f64> = stats.iter().map(|s| s.1).collect();
        ks.sort_by(f64::total_cmp);
        let moments = crate::stats::mean_stderr(stats.iter().map(|s| s.0));
        let variance_sd = moments.stderr * (replicates as f64).sqrt();
        let scaling = EdgeScaling::for_shape(shape);
        let edge_shifts = stats
            .iter()
            .map(|&(s2, _, top)| {
                scaling.scaled_lambda_max(top, s2 / moments.mean) - scaling.scaled_lambda_max(top, 1.0)
            })
            .collect();
        Ok(FitNull { law, ks, variance_mean: moments.mean, variance_sd, edge_shifts })
    }

    /// The Monte Carlo critical value at level α (the k-th largest replicate, k = ⌊α(R + 1)⌋)
    /// and the size attained k/(R + 1).
    ///
    /// # Errors
    /// Too few replicates for α (R + 1 < 1/α).
    pub fn critical_value(&self, alpha: f64) -> Result<(f64, f64)> {
        let r = self.ks.len();
        let k = (alpha * (r + 1) as f64 + 1e-9).floor() as usize;
        if k == 0 {
            return Err(Error::invalid("replicates", r, "too few for the KS test's level: R + 1 must be at least 1/α"));
        }
        Ok((self.ks[r - k], k as f64 / (r + 1) as f64))
    }

    /// The edge p-value of a TW₁-scaled eigenvalue s computed with the fitted variance:
    /// P(T + E > s) = mean over replicates of 1 − F₁(s − e_r), T ~ TW₁ and E the simulated
    /// shift from fitting the variance (see the [module docs](self)).
    pub fn edge_p_value(&self, s: f64) -> f64 {
        let total: f64 = self.edge_shifts.iter().map(|e| 1.0 - tw1_cdf_interpolated(s - e)).sum();
        total / self.edge_shifts.len() as f64
    }

    /// The s with [`edge_p_value`](Self::edge_p_value)(s) = α, by bisection.
    pub fn edge_quantile(&self, alpha: f64) -> f64 {
        let (mut lo, mut hi) = (-10.0, 20.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.edge_p_value(mid) > alpha {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    /// The Monte Carlo p-value (1 + #{replicates ≥ D})/(R + 1).
    pub fn p_value(&self, statistic: f64) -> f64 {
        let at_least = self.ks.iter().filter(|&&d| d >= statistic).count();
        (1 + at_least) as f64 / (self.ks.len() + 1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_estimator_is_nearly_unbiased_and_its_spread_shrinks_like_one_over_k() {
        // Under the null at s2 = 1 the mean of ŝ2 is 1 + O(1/k); its relative SD is O(1/k).
        let shape = |m, n| Shape::new(m, n).unwrap();
        let small = FitNull::simulate(shape(40, 80), EntryLaw::Normal, 200, 1).unwrap();
        let large = FitNull::simulate(shape(160, 320), EntryLaw::Normal, 200, 1).unwrap();
        for null in [&small, &large] {
            // 5 standard errors of the mean over 200 replicates.
            assert!((null.variance_mean - 1.0).abs() < 0.03 + 5.0 * null.variance_sd / 200f64.sqrt(), "{null:?}");
        }
        let ratio = small.variance_sd / large.variance_sd;
        assert!(ratio > 2.5 && ratio < 6.0, "sd ratio {ratio} for a 4× larger k");
    }

    #[test]
    fn uniform_and_gaussian_nulls_are_reproducible() {
        let shape = Shape::new(20, 50).unwrap();
        let a = FitNull::simulate(shape, EntryLaw::Uniform, 10, 3).unwrap();
        assert_eq!(a, FitNull::simulate(shape, EntryLaw::Uniform, 10, 3).unwrap());
        let (critical, size) = a.critical_value(0.1).unwrap();
        assert_eq!((critical, size), (a.ks[9], 1.0 / 11.0));
        assert!(a.critical_value(0.05).is_err());
    }
}
