//! Goodness-of-fit tests whose null distributions are honest for spectra: the largest eigenvalue
//! against Tracy–Widom (one value per independent matrix, so the iid KS p-value applies) and the
//! pooled bulk against Marchenko–Pastur (eigenvalues of one matrix are strongly dependent, so the
//! critical value is calibrated by simulation).
//!
//! # Bulk calibration
//!
//! The statistic is the KS distance D between the pooled eigenvalues of S = W Wᵀ/n over T
//! independent m×n matrices with iid entries (structural zeros included) and MP(γ, s2), evaluated on the
//! quantile grid of [`KS_GRID_CELLS`](crate::stats::KS_GRID_CELLS) cells exactly as the run evaluates its own (the lower end
//! of the bracket, [`QuantileGridCounts`](crate::stats::QuantileGridCounts)), so that observed and replicate statistics are the same
//! function of their samples. D does not depend
//! on s2 (both sides scale together), so the null distribution at (m, n, T) is simulated once with
//! s2 = 1: R replicate runs of T matrices each, drawn *exactly* through the Dumitriu–Edelman
//! tridiagonal model (the eigenvalue law of W Wᵀ/n, O(k²) per matrix; why this is exact: [`null`])
//! from [`trial_rng`](crate::sample::trial_rng)`(seed ⊕ SALT, r·T + t)` (streams disjoint from
//! the run's own, which uses key `seed`), replicates in parallel. Each null is computed once per
//! key per process and kept on disk between runs ([`cache`]). Under the null the observed D
//! and the R replicates are exchangeable, so with D₍ₖ₎ the k-th largest replicate and
//! k = ⌊(1 − level)(R + 1)⌋, P(D > D₍ₖ₎) = k/(R + 1) ≤ 1 − level exactly (a Monte Carlo test;
//! Barnard 1963, Hope 1968). The level actually attained, 1 − k/(R + 1), is reported. The
//! default R = 19 gives k = 1 at level 0.95: the critical value is the largest of 19 replicates
//! and the test has size exactly 5%. Cost: R·T extra matrices, once per run and entry law (not
//! per strategy).
//!
//! **Entry law.** The null is simulated with the entry law of the strategies tested
//! ([`BulkNull::entry_law`]): standard Gaussian for the strategies of the source analysis,
//! uniform or truncated normal for framework initialisers. D's limit does not depend on the law
//! (Marchenko–Pastur is universal), but its finite-size distribution does, at order 1/n, which is
//! the order of D itself; a Gaussian null for uniform entries would test the wrong hypothesis.
//! `examples/bulk_null_entry_law.rs` measures how much that matters.
//!
//! References: G. A. Barnard, discussion of "The spectral analysis of point processes", *J. R.
//! Stat. Soc. B* 25 (1963), 294; A. C. A. Hope, "A simplified Monte Carlo significance test
//! procedure", *J. R. Stat. Soc. B* 30 (1968), 582–598.

use crate::error::{Error, Result};
use crate::initializer::EntryLaw;
use crate::intervals::check_level;
use crate::law::{EdgeScaling, TabulatedTw1};
use crate::stats::{ks_distance, ks_p_value};
use crate::trials::RunControl;
use serde::Serialize;

pub mod cache;
pub mod null;

pub use null::{NullKey, NullStatistic};

/// XORed into the seed for calibration streams, so that they never coincide with a run's trials.
pub const CALIBRATION_SALT: u64 = 0x6361_6c69_6272_6174; // "calibrat"

/// Default number of replicate runs for the bulk calibration (size exactly 5% at level 0.95).
pub const DEFAULT_REPLICATES: usize = 19;

/// Options of the goodness-of-fit tests a spectrum run adds (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitOptions {
    /// Level of the calibrated bulk test against Marchenko–Pastur, in (0, 1).
    pub level: f64,
    /// Replicate runs simulated for the bulk test's critical value (0: no bulk test).
    pub bulk_replicates: usize,
    /// Whether to test the scaled λ_max against TW₁ (one evaluation of the tabulated TW₁ CDF,
    /// [`TabulatedTw1`], per trial: about 80 ns).
    pub edge: bool,
}

impl Default for FitOptions {
    /// Level 0.95 with [`DEFAULT_REPLICATES`] = 19 replicates (size exactly 5%), and the edge fit.
    fn default() -> Self {
        FitOptions { level: 0.95, bulk_replicates: DEFAULT_REPLICATES, edge: true }
    }
}

impl FitOptions {
    /// No bulk test (no calibration cost); the λ_max fit against TW₁ is still done.
    pub fn without_bulk() -> Self {
        FitOptions { bulk_replicates: 0, ..Self::default() }
    }

    /// Neither test: the plain pipeline (sampling, spectra, summaries, KS distance, histogram),
    /// as benchmarked against numpy.
    pub fn none() -> Self {
        FitOptions { bulk_replicates: 0, edge: false, ..Self::default() }
    }

    /// The fewest replicates R with which a Monte Carlo test at `level` exists: the smallest R
    /// with ⌊(1 − level)(R + 1)⌋ ≥ 1, i.e. R + 1 ≥ 1/(1 − level) (19 at 0.95, 99 at 0.99).
    pub fn min_replicates(level: f64) -> usize {
        ((1.0 / (1.0 - level) - 1e-9).ceil() as usize).saturating_sub(1).max(1)
    }

    /// Checks the level and that there are enough replicates for it.
    ///
    /// # Errors
    /// A level outside (0, 1), or 0 < R < [`min_replicates`](Self::min_replicates).
    pub fn validate(&self) -> Result<()> {
        check_level(self.level)?;
        let needed = Self::min_replicates(self.level);
        if self.bulk_replicates > 0 && self.bulk_replicates < needed {
            return Err(Error::Mismatch(format!(
                "invalid bulk replicates = {}: too few for level {}; a Monte Carlo test at that level needs at \
                 least {} (R + 1 ≥ 1/(1 − level)): use {} or more, or 0 to skip the bulk test",
                self.bulk_replicates, self.level, needed, needed
            )));
        }
        Ok(())
    }
}

/// KS test of the scaled largest eigenvalues against TW₁.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeFit {
    /// KS distance between the scaled λ_max over trials and TW₁.
    pub statistic: f64,
    /// Asymptotic KS p-value (valid: one λ_max per independent matrix).
    pub p_value: f64,
    /// Number of matrices (one λ_max each).
    pub trials: usize,
    /// Centring of λ_max(S): s2·μ₊/n (see [`EdgeScaling`]).
    pub centring: f64,
    /// Scaling of λ_max(S): s2·σ₊/n.
    pub scaling: f64,
    /// The scaled values (n·λ_max/s2 − μ₊)/σ₊, ascending (not serialised; for figures).
    #[serde(skip)]
    pub scaled: Vec<f64>,
}

impl EdgeFit {
    /// Scales the largest eigenvalues of S observed over independent m×n Gaussian matrices with
    /// entry variance s2 and tests them against TW₁, through the tabulated CDF ([`TabulatedTw1`]:
    /// the distance is within [`CDF_ERROR_BOUND`](crate::law::tracy_widom::table::CDF_ERROR_BOUND)
    /// = 1e−14 of the one computed with the exact CDF).
    ///
    /// # Errors
    /// Zero sizes, no values, or non-finite values.
    pub fn new(m: usize, n: usize, variance: f64, lambda_max: &[f64]) -> Result<Self> {
        let scaling = EdgeScaling::new(m, n)?;
        let mut scaled: Vec<f64> = lambda_max.iter().map(|&l| scaling.scaled_lambda_max(l, variance)).collect();
        scaled.sort_by(f64::total_cmp);
        let statistic = ks_distance(&scaled, 0, &TabulatedTw1)?;
        Ok(EdgeFit {
            statistic,
            p_value: ks_p_value(statistic, scaled.len()),
            trials: scaled.len(),
            centring: variance * scaling.upper_centre() / n as f64,
            scaling: variance * scaling.upper_scale() / n as f64,
            scaled,
        })
    }
}

/// The calibrated bulk test against Marchenko–Pastur.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkFit {
    /// KS distance of the pooled eigenvalues to MP.
    pub statistic: f64,
    /// The simulated critical value: reject when `statistic` exceeds it.
    pub critical_value: f64,
    /// The level attained, 1 − k/(R + 1) (≥ the level asked).
    pub level: f64,
    /// How the critical value was obtained (its numbers, and a sentence).
    pub method: CriticalValueMethod,
    /// `statistic ≤ critical_value`.
    pub passed: bool,
}

/// The simulated null distribution of the bulk statistic at (m, n, trials) for one entry law: R
/// replicate statistics, simulated exactly through the Laguerre tridiagonal model for Gaussian
/// entries and by dense sampling for the others ([`null`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkNull {
    key: NullKey,
    /// Replicate statistics in replicate order (what shards exchange and the disk cache keeps).
    by_replicate: Vec<f64>,
    /// The same, ascending.
    replicates: Vec<f64>,
}

impl BulkNull {
    /// Simulates the R replicates of `key` (in parallel; see [`null`]), uncached: most callers
    /// want [`cache::bulk_null`], which computes each key once per process and keeps it on disk.
    ///
    /// # Errors
    /// A LAPACK failure, or [`Error::Interrupted`] through `control`.
    pub fn simulate(key: NullKey, control: RunControl<'_>) -> Result<Self> {
        let all: Vec<u64> = (0..key.replicates as u64).collect();
        Self::from_replicates(key, key.replicate_statistics(&all, control)?)
    }

    /// The null of `key` from its R replicate statistics in replicate order.
    ///
    /// # Errors
    /// [`Error::Mismatch`] unless there are exactly R finite, non-negative values.
    pub fn from_replicates(key: NullKey, by_replicate: Vec<f64>) -> Result<Self> {
        if by_replicate.len() != key.replicates || by_replicate.iter().any(|d| !(d.is_finite() && *d >= 0.0)) {
            return Err(Error::Mismatch(format!(
                "a bulk null needs {} finite non-negative replicate statistics, got {} values",
                key.replicates,
                by_replicate.len()
            )));
        }
        let mut replicates = by_replicate.clone();
        replicates.sort_by(f64::total_cmp);
        Ok(BulkNull { key, by_replicate, replicates })
    }

    /// What was simulated.
    pub fn key(&self) -> NullKey {
        self.key
    }

    /// The replicate statistics in replicate order.
    pub fn by_replicate(&self) -> &[f64] {
        &self.by_replicate
    }

    /// The entry law of the simulated matrices.
    pub fn entry_law(&self) -> EntryLaw {
        self.key.entry_law
    }

    /// The replicate statistics, ascending.
    pub fn replicates(&self) -> &[f64] {
        &self.replicates
    }

    /// The Monte Carlo test of an observed pooled KS distance at `level`.
    ///
    /// # Errors
    /// A level outside (0, 1), or too few replicates for it (R + 1 < 1/(1 − level)).
    pub fn test(&self, statistic: f64, level: f64) -> Result<BulkFit> {
        let level = check_level(level)?;
        let r = self.replicates.len();
        let k = ((1.0 - level) * (r + 1) as f64 + 1e-9).floor() as usize;
        if k == 0 {
            return Err(Error::invalid(
                "level",
                level,
                "needs more calibration replicates: R + 1 must be at least 1/(1 − level)",
            ));
        }
        let critical_value = self.replicates[r - k];
        Ok(BulkFit {
            statistic,
            critical_value,
            level: 1.0 - k as f64 / (r + 1) as f64,
            method: CriticalValueMethod {
                order: k,
                replicates: r,
                trials: self.key.trials,
                m: self.key.m,
                n: self.key.n,
                seed: self.key.seed,
                entry_law: self.key.entry_law,
            },
            passed: statistic <= critical_value,
        })
    }
}

/// How a bulk test's critical value was obtained: the `order`-th largest of `replicates`
/// simulated pooled KS distances, each over `trials` m×n matrices with iid entries of
/// `entry_law` at unit variance (standard Gaussian ones simulated through the tridiagonal model,
/// whose eigenvalue law is exactly theirs), drawn from the calibration streams of `seed`. Written
/// (in JSON and text) as one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriticalValueMethod {
    /// k: the critical value is the k-th largest replicate.
    pub order: usize,
    /// R, the replicates.
    pub replicates: usize,
    /// Matrices per replicate.
    pub trials: usize,
    /// Rows m.
    pub m: usize,
    /// Columns n.
    pub n: usize,
    /// The run's seed (the calibration streams use it XOR [`CALIBRATION_SALT`]).
    pub seed: u64,
    /// The entry law of the simulated matrices.
    pub entry_law: EntryLaw,
}

impl std::fmt::Display for CriticalValueMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Monte Carlo: critical value = {} largest of {} simulated pooled KS {} \
             ({} independent {} {}×{} {} each{}, calibration seed {} xor {:#x})",
            ordinal(self.order),
            self.replicates,
            if self.replicates == 1 { "distance" } else { "distances" },
            self.trials,
            self.entry_law.unit_description(),
            self.m,
            self.n,
            if self.trials == 1 { "matrix" } else { "matrices" },
            match self.entry_law {
                EntryLaw::Normal => ", simulated exactly by the Dumitriu–Edelman tridiagonal model",
                _ => "",
            },
            self.seed,
            CALIBRATION_SALT
        )
    }
}

impl Serialize for CriticalValueMethod {
    /// As `{name: "monte-carlo", order, replicates, trials, m, n, seed, description}`: the numbers,
    /// and the sentence.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("CriticalValueMethod", 8)?;
        s.serialize_field("name", "monte-carlo")?;
        s.serialize_field("order", &self.order)?;
        s.serialize_field("replicates", &self.replicates)?;
        s.serialize_field("trials", &self.trials)?;
        s.serialize_field("m", &self.m)?;
        s.serialize_field("n", &self.n)?;
        s.serialize_field("seed", &self.seed)?;
        s.serialize_field("description", &self.to_string())?;
        s.end()
    }
}

fn ordinal(k: usize) -> String {
    match k {
        1 => "the".into(),
        2 => "the 2nd".into(),
        3 => "the 3rd".into(),
        _ => format!("the {k}th"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::Shape;

    #[test]
    fn the_fewest_replicates_for_a_level_are_enough_and_one_fewer_is_not() {
        for (level, fewest) in [(0.5, 1), (0.8, 4), (0.9, 9), (0.95, 19), (0.975, 39), (0.99, 99), (0.999, 999)] {
            assert_eq!(FitOptions::min_replicates(level), fewest, "{level}");
            let options = |bulk_replicates| FitOptions { level, bulk_replicates, edge: false };
            assert!(options(fewest).validate().is_ok(), "{level}");
            if fewest > 1 {
                let err = options(fewest - 1).validate().unwrap_err().to_string();
                assert!(err.contains(&format!("needs at least {fewest}")), "{err}");
            }
        }
    }

    #[test]
    fn monte_carlo_test_uses_the_kth_largest_replicate() {
        let key = NullKey::new(Shape::new(1, 1).unwrap(), 1, 19, 0, EntryLaw::Normal, NullStatistic::Exact).unwrap();
        let null = BulkNull::from_replicates(key, (1..=19).rev().map(f64::from).collect()).unwrap();
        assert_eq!(null.by_replicate()[0], 19.0);
        let fit = null.test(18.5, 0.95).unwrap();
        assert_eq!(fit.critical_value, 19.0);
        assert!((fit.level - 0.95).abs() < 1e-15);
        assert!(fit.passed);
        let fit = null.test(18.5, 0.9).unwrap();
        assert_eq!(fit.critical_value, 18.0); // k = 2
        assert!(!fit.passed);
        assert!(null.test(1.0, 0.99).is_err()); // 20 < 1/0.01
        assert!(null.test(1.0, 1.0).is_err());
    }

    #[test]
    fn simulated_null_is_reproducible_and_scale_free() {
        let key =
            NullKey::new(Shape::new(12, 30).unwrap(), 3, 4, 5, EntryLaw::Normal, NullStatistic::PooledGrid).unwrap();
        let a = BulkNull::simulate(key, RunControl::default()).unwrap();
        let b = BulkNull::simulate(key, RunControl::default()).unwrap();
        assert_eq!(a, b);
        // Any subset of replicates, in any order, gives the same values (shards rely on it).
        let some = key.replicate_statistics(&[3, 1], RunControl::default()).unwrap();
        assert_eq!(some, [a.by_replicate()[3], a.by_replicate()[1]]);
        assert!(BulkNull::from_replicates(key, vec![0.1; 3]).is_err());
        assert!(BulkNull::from_replicates(key, vec![0.1, 0.2, f64::NAN, 0.3]).is_err());
        assert!(a.replicates().iter().all(|&d| d > 0.0 && d < 0.5), "{:?}", a.replicates());
    }

    #[test]
    fn edge_fit_of_the_centre_is_zero() {
        let e = EdgeScaling::new(20, 50).unwrap();
        let fit = EdgeFit::new(20, 50, 2.0, &[e.lambda_max_at(-1.2685746165810707, 2.0)]).unwrap();
        // One value at the TW₁ median: the KS distance is 1/2.
        assert!((fit.statistic - 0.5).abs() < 1e-9, "{}", fit.statistic);
        assert!((fit.scaling - 2.0 * e.upper_scale() / 50.0).abs() < 1e-15);
    }
}
