//! Test-grade checks of a weight matrix against what its initialiser promises: spectral norm,
//! smallest singular value, condition number and the bulk's distance to Marchenko–Pastur, each
//! against a prediction interval at a stated false-alarm rate.
//!
//! # What is checked
//!
//! For W ∈ ℝ^{m×n} (m = fan-in rows, n = fan-out columns; see the
//! [conventions](crate#conventions)) claimed to be drawn by a [`Strategy`] (or with iid N(0, s2)
//! entries, [`Check::with_variance`]):
//!
//! | check | passes when | interval from |
//! |---|---|---|
//! | ‖W‖ | inside its central interval | TW₁ at the upper edge ([`crate::intervals`]) |
//! | σ_min(W) | inside its central interval | reflected TW₁ (m ≠ n) or Edelman's law (m = n) |
//! | κ(W) | inside its central interval | both edge laws, independent |
//! | KS(ESD of S, MP) | below a simulated critical value | R standard Gaussian m×n matrices ([`crate::calibration`]) |
//!
//! The overall false-alarm rate α (the probability that a correctly drawn matrix fails at least
//! one check) is split evenly by Bonferroni's inequality: each of the k checks runs at level
//! 1 − α/k, so P(any false alarm) ≤ α. The intervals are finite-size approximations whose
//! measured coverage is in `docs/edge-fluctuations.md` (within about 1% of nominal at 95% except
//! close to γ = 1, where the σ_min and κ intervals are conservative). The KS critical value is
//! exact for its level (a Monte Carlo test): by default R = ⌈k/α⌉ − 1 simulated matrices, which
//! dominates the cost (R = 399 for α = 0.01; it is simulated once per shape and process and then
//! reused); [`Check::bulk_replicates`] changes R, and 0 drops
//! the bulk check (k = 3). The KS critical value's exactness is over the calibration's
//! randomness; the calibration is seeded (deterministic verdicts), so for one shape the KS
//! check's actual rate is one draw from a Beta(R + 1 − j, j) law around j/(R + 1) (j the order
//! statistic used): relative spread about 1/√j, i.e. ±100% at the default j = 1. Pass more
//! replicates (e.g. 10× the default) when the KS check's own rate must be tight.
//! Measured over 300 correctly drawn 48×160 He matrices at α = 0.1 with R = 399 (the test
//! `false_alarm_rate_is_at_most_the_stated_one` in `tests/check_api.rs` prints them with
//! `--nocapture`): per-check rates 1.7% (‖W‖), 2.0% (σ_min), 1.7% (κ), 1.7% (KS) at nominal
//! 2.5%; any check 6.3%. Orthogonal strategies are checked exactly (every singular value is
//! √(max(m, n)·s2), up to a relative 1e-9), with no bulk check.
//!
//! Singular values are computed with LAPACK's `dgesdd` (accurate σ_min for any κ); the bulk uses
//! the eigenvalues of the smaller Gram matrix.
//!
//! # Example
//!
//! ```
//! use rmspec::check::{Check, Layout};
//! use rmspec::Strategy;
//! use rand::SeedableRng;
//! use rand_distr::{Distribution, Normal};
//!
//! // "My initialiser": He for a 64 → 256 layer, entries N(0, 2/64), stored row-major.
//! let (fan_in, fan_out) = (64, 256);
//! let normal = Normal::new(0.0, (2.0f64 / fan_in as f64).sqrt()).unwrap();
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let weights: Vec<f64> = (0..fan_in * fan_out).map(|_| normal.sample(&mut rng)).collect();
//!
//! let report = Check::new(Strategy::He)
//!     .false_alarm(0.01)
//!     .run_slice(&weights, fan_in, fan_out, Layout::RowMajor)?;
//! assert!(report.passed(), "{report}");
//!
//! // The same weights claimed as LeCun (variance 1/64) fail: the norm is √2 too large.
//! let wrong = Check::new(Strategy::LeCun).bulk_replicates(0).run_slice(&weights, fan_in, fan_out, Layout::RowMajor)?;
//! assert!(!wrong.passed());
//! # Ok::<(), rmspec::Error>(())
//! ```

use crate::calibration::{cache, NullKey, NullStatistic};
use crate::error::{require_positive, Error, Result};
use crate::intervals::{Interval, IntervalMethod};
use crate::prediction::{EdgePrediction, PredictionSource};
use crate::shape::Shape;
use crate::spectrum::{GramSolver, GramSpectrum, SingularValueMethod};
use crate::stats::ks_distance;
use crate::strategy::Strategy;
use crate::trials::RunControl;
use nalgebra::DMatrix;
use std::fmt;

/// The false-alarm rate of [`assert_spectrum`](crate::assert_spectrum!) when none is given.
pub const DEFAULT_FALSE_ALARM: f64 = 0.01;

/// Seed of the bulk calibration when none is given.
pub const DEFAULT_SEED: u64 = 0x726d_7370_6563; // "rmspec"

/// How a slice stores a matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Row after row (C order; numpy, PyTorch, `ndarray` default).
    #[default]
    RowMajor,
    /// Column after column (Fortran order; nalgebra, LAPACK).
    ColumnMajor,
}

/// A configured check: what the matrix is claimed to be and at which false-alarm rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    strategy: Strategy,
    false_alarm: f64,
    replicates: Option<usize>,
    seed: u64,
}

impl Check {
    /// Checks against `strategy` at the default false-alarm rate [`DEFAULT_FALSE_ALARM`].
    pub fn new(strategy: Strategy) -> Self {
        Check { strategy, false_alarm: DEFAULT_FALSE_ALARM, replicates: None, seed: DEFAULT_SEED }
    }

    /// Checks against iid N(0, s2) entries.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless s2 is finite and > 0.
    pub fn with_variance(variance: f64) -> Result<Self> {
        Ok(Self::new(Strategy::fixed_variance(require_positive("variance", variance)?)?))
    }

    /// The overall false-alarm rate α ∈ (0, 1) (validated by [`run`](Self::run)).
    pub fn false_alarm(mut self, alpha: f64) -> Self {
        self.false_alarm = alpha;
        self
    }

    /// Simulated matrices for the bulk check's critical value (0: no bulk check). The default is
    /// the smallest R that reaches the bulk check's level, ⌈4/α⌉ − 1.
    pub fn bulk_replicates(mut self, replicates: usize) -> Self {
        self.replicates = Some(replicates);
        self
    }

    /// Seed of the bulk calibration (default [`DEFAULT_SEED`]); the check is deterministic.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks a matrix (rows = fan-in m, columns = fan-out n).
    ///
    /// # Errors
    /// See [`run_slice`](Self::run_slice).
    pub fn run(&self, w: &DMatrix<f64>) -> Result<CheckReport> {
        self.run_slice(w.as_slice(), w.nrows(), w.ncols(), Layout::ColumnMajor)
    }

    /// Checks a matrix given as a slice of `rows`·`cols` entries in `layout` (rows = fan-in m,
    /// columns = fan-out n; for a PyTorch `nn.Linear.weight`, which is out×in, pass
    /// rows = in_features, cols = out_features and [`Layout::ColumnMajor`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for zero sizes or α outside (0, 1); [`Error::Mismatch`] when
    /// the slice length is not rows·cols; [`Error::InvalidInput`] naming the first non-finite
    /// entry; a LAPACK failure.
    pub fn run_slice(&self, data: &[f64], rows: usize, cols: usize, layout: Layout) -> Result<CheckReport> {
        let alpha = self.false_alarm;
        if !(alpha > 0.0 && alpha < 1.0) {
            return Err(Error::invalid("false alarm rate", alpha, "must lie strictly between 0 and 1"));
        }
        let (shape, w) = column_major(data, rows, cols, layout)?;
        let spectrum = GramSolver::new(shape.m(), shape.n(), SingularValueMethod::Svd)?.compute(&w)?;
        let replicates = self.replicates(alpha)?;
        let checks = if replicates > 0 { 4 } else { 3 };
        let level = 1.0 - alpha / checks as f64;
        let prediction = EdgePrediction::with_level(self.strategy, shape, level)?;
        let intervals = prediction.intervals.expect("with_level fills the intervals");
        let item = |quantity, observed: f64, limit: f64, interval: Interval| CheckItem {
            quantity,
            observed,
            limit,
            passed: interval.contains(observed),
            interval,
        };
        let mut items = vec![
            item(Quantity::SpectralNorm, spectrum.spectral_norm(), prediction.spectral_norm, intervals.spectral_norm),
            item(
                Quantity::SmallestSingularValue,
                spectrum.smallest_singular_value(),
                prediction.smallest_singular_value,
                intervals.smallest_singular_value,
            ),
            item(
                Quantity::ConditionNumber,
                spectrum.condition_number(),
                prediction.condition_number,
                intervals.condition_number,
            ),
        ];
        if replicates > 0 {
            items.push(self.bulk_item(&prediction, &spectrum, replicates, level)?);
        }
        Ok(CheckReport {
            shape,
            strategy: self.strategy,
            variance: prediction.variance,
            exact: prediction.source == PredictionSource::ExactOrthogonal,
            false_alarm: alpha,
            bulk_replicates: replicates,
            items,
        })
    }

    /// The bulk check's replicates: none for orthogonal strategies, else as asked or the default.
    ///
    /// # Errors
    /// Fewer than the default (but more than 0) replicates for `alpha`.
    fn replicates(&self, alpha: f64) -> Result<usize> {
        let gaussian = self.strategy.ensemble() == crate::strategy::Ensemble::Gaussian;
        let replicates = if gaussian { self.replicates.unwrap_or_else(|| default_replicates(alpha)) } else { 0 };
        if replicates > 0 && replicates < default_replicates(alpha) {
            return Err(Error::invalid(
                "bulk replicates",
                replicates,
                "too few for the false-alarm rate: at least ⌈4/α⌉ − 1 are needed (or 0 for no bulk check)",
            ));
        }
        Ok(replicates)
    }

    /// The KS distance of the spectrum to Marchenko–Pastur against the simulated critical value.
    fn bulk_item(
        &self,
        prediction: &EdgePrediction,
        spectrum: &GramSpectrum,
        replicates: usize,
        level: f64,
    ) -> Result<CheckItem> {
        let law = prediction.marchenko_pastur().expect("Gaussian strategies have an MP law");
        let d = ks_distance(spectrum.eigenvalues(), spectrum.zero_count(), &law)?;
        let key = NullKey::new(prediction.shape, 1, replicates, self.seed, NullStatistic::Exact)?;
        let null = cache::bulk_null(key, RunControl::default())?;
        let fit = null.test(d, level)?;
        Ok(CheckItem {
            quantity: Quantity::KsToMarchenkoPastur,
            observed: d,
            limit: 0.0,
            interval: Interval {
                lower: 0.0,
                upper: fit.critical_value,
                level: fit.level,
                method: IntervalMethod::MonteCarlo,
            },
            passed: fit.passed,
        })
    }
}

/// The matrix as a validated shape and its entries column-major.
///
/// # Errors
/// Zero sizes, a slice of the wrong length, a non-finite entry (named by position).
fn column_major(data: &[f64], rows: usize, cols: usize, layout: Layout) -> Result<(Shape, Vec<f64>)> {
    let shape = Shape::named(rows, cols, ("rows", "cols"))?;
    if data.len() != shape.len() {
        return Err(Error::Mismatch(format!(
            "slice has {} entries but the shape {shape} needs {}",
            data.len(),
            shape.len()
        )));
    }
    if let Some(k) = data.iter().position(|x| !x.is_finite()) {
        let (i, j) = match layout {
            Layout::RowMajor => (k / cols, k % cols),
            Layout::ColumnMajor => (k % rows, k / rows),
        };
        return Err(Error::InvalidInput(format!("entry ({i}, {j}) of the weight matrix is {}", data[k])));
    }
    let w = match layout {
        Layout::ColumnMajor => data.to_vec(),
        Layout::RowMajor => (0..shape.len()).map(|k| data[(k % rows) * cols + k / rows]).collect(),
    };
    Ok((shape, w))
}

/// ⌈4/α⌉ − 1: the fewest replicates for which the bulk check (at level 1 − α/4) has k ≥ 1.
fn default_replicates(alpha: f64) -> usize {
    ((4.0 / alpha) - 1e-9).ceil() as usize - 1
}

/// What a [`CheckItem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// ‖W‖ = σ_max(W).
    SpectralNorm,
    /// σ_min(W).
    SmallestSingularValue,
    /// κ(W) = σ_max/σ_min.
    ConditionNumber,
    /// KS distance of the eigenvalues of S = W Wᵀ/n to Marchenko–Pastur.
    KsToMarchenkoPastur,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quantity::SpectralNorm => "spectral norm ‖W‖",
            Quantity::SmallestSingularValue => "smallest singular value σmin",
            Quantity::ConditionNumber => "condition number κ",
            Quantity::KsToMarchenkoPastur => "KS distance to Marchenko–Pastur",
        })
    }
}

/// One check: the value seen, the m, n → ∞ limit, and the interval it was held to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckItem {
    /// What was checked.
    pub quantity: Quantity,
    /// The value seen in the matrix.
    pub observed: f64,
    /// The large-size limit (Bai–Yin; 0 for the KS distance) — for orientation, not the test.
    pub limit: f64,
    /// The interval at this check's level.
    pub interval: Interval,
    /// `observed` lies in `interval`.
    pub passed: bool,
}

/// The outcome of [`Check::run`]: every check, with a readable [`Display`](fmt::Display) for
/// assertion messages.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// The shape: rows m (fan-in), columns n (fan-out).
    pub shape: Shape,
    /// The strategy claimed.
    pub strategy: Strategy,
    /// Its entry variance s2 at (m, n).
    pub variance: f64,
    /// True for orthogonal strategies (exact, degenerate intervals).
    pub exact: bool,
    /// The overall false-alarm rate α.
    pub false_alarm: f64,
    /// Matrices simulated for the bulk check (0: none).
    pub bulk_replicates: usize,
    /// The checks, in the order: ‖W‖, σ_min, κ, KS (if any).
    pub items: Vec<CheckItem>,
}

impl CheckReport {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.items.iter().all(|i| i.passed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &CheckItem> {
        self.items.iter().filter(|i| !i.passed)
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.items.len();
        writeln!(
            f,
            "rmspec check of a {} weight matrix (rows = fan-in) against {} (s2 = {}): {}",
            self.shape,
            self.strategy,
            self.variance,
            if self.passed() { "passed" } else { "FAILED" }
        )?;
        if self.exact {
            writeln!(f, "  orthogonal: every singular value must equal √(max(m, n)·s2) (relative slack 1e-9)")?;
        } else {
            writeln!(
                f,
                "  false-alarm rate {} overall (Bonferroni: each of {k} checks at level {})",
                self.false_alarm,
                1.0 - self.false_alarm / k as f64
            )?;
        }
        for item in &self.items {
            let mark = if item.passed { "ok  " } else { "FAIL" };
            let expected = match item.quantity {
                Quantity::KsToMarchenkoPastur => format!("expected ≤ {:.6}", item.interval.upper),
                _ => format!(
                    "expected in [{:.6}, {:.6}] (limit {:.6})",
                    item.interval.lower, item.interval.upper, item.limit
                ),
            };
            writeln!(
                f,
                "  {mark} {:<32} seen {:<12.6} {expected}; level {}, {}",
                item.quantity.to_string(),
                item.observed,
                item.interval.level,
                item.interval.method
            )?;
        }
        if self.bulk_replicates > 0 {
            writeln!(
                f,
                "  KS critical value from {} simulated Gaussian {} matrices",
                self.bulk_replicates, self.shape
            )?;
        }
        Ok(())
    }
}

/// Panics with the [`CheckReport`] when `w` fails the check against `strategy` at false-alarm
/// rate `false_alarm` (or when the input is invalid). See also [`assert_spectrum!`](crate::assert_spectrum!).
///
/// # Panics
/// When any check fails or the check cannot run (non-finite entries, bad α).
#[track_caller]
pub fn assert_spectrum(w: &DMatrix<f64>, strategy: Strategy, false_alarm: f64) {
    match Check::new(strategy).false_alarm(false_alarm).run(w) {
        Ok(report) if report.passed() => {}
        Ok(report) => panic!("weight matrix does not match its initialiser:\n{report}"),
        Err(e) => panic!("rmspec check could not run: {e}"),
    }
}

/// Asserts that a weight matrix (`&DMatrix<f64>`) matches an initialisation strategy, at a
/// false-alarm rate (default [`check::DEFAULT_FALSE_ALARM`](crate::check::DEFAULT_FALSE_ALARM)).
///
/// ```
/// use rmspec::{assert_spectrum, sample, Strategy};
/// let w = sample::sample(Strategy::Arithmetic, 32, 96, &mut sample::trial_rng(5, 0))?;
/// assert_spectrum!(&w, Strategy::Arithmetic);
/// assert_spectrum!(&w, Strategy::Arithmetic, 0.05);
/// # Ok::<(), rmspec::Error>(())
/// ```
#[macro_export]
macro_rules! assert_spectrum {
    ($w:expr, $strategy:expr $(,)?) => {
        $crate::check::assert_spectrum($w, $strategy, $crate::check::DEFAULT_FALSE_ALARM)
    };
    ($w:expr, $strategy:expr, $false_alarm:expr $(,)?) => {
        $crate::check::assert_spectrum($w, $strategy, $false_alarm)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{sample, trial_rng};

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let c = Check::new(Strategy::He);
        let err = c.run_slice(&[1.0; 5], 2, 3, Layout::RowMajor).unwrap_err();
        assert!(matches!(err, Error::Mismatch(_)), "{err}");
        let mut data = vec![0.5; 6];
        data[4] = f64::NAN;
        let err = c.run_slice(&data, 2, 3, Layout::RowMajor).unwrap_err();
        assert_eq!(err.to_string(), "invalid input: entry (1, 1) of the weight matrix is NaN");
        let err = c.run_slice(&data, 2, 3, Layout::ColumnMajor).unwrap_err();
        assert!(err.to_string().contains("entry (0, 2)"), "{err}");
        data[4] = f64::INFINITY;
        assert!(c.run_slice(&data, 3, 2, Layout::RowMajor).is_err());
        for alpha in [0.0, 1.0, -0.1, f64::NAN] {
            let err = c.false_alarm(alpha).run_slice(&[1.0; 6], 2, 3, Layout::RowMajor).unwrap_err();
            assert!(err.to_string().contains("false alarm rate"), "{err}");
        }
        assert!(c.run_slice(&[], 0, 3, Layout::RowMajor).is_err());
        assert!(Check::with_variance(-1.0).is_err());
    }

    #[test]
    fn row_and_column_major_give_the_same_report() {
        let w = sample(Strategy::LeCun, 12, 40, &mut trial_rng(3, 0)).unwrap();
        let row_major: Vec<f64> = (0..12).flat_map(|i| (0..40).map(move |j| (i, j))).map(|(i, j)| w[(i, j)]).collect();
        let err = Check::new(Strategy::LeCun).bulk_replicates(99).run(&w).unwrap_err();
        assert!(err.to_string().contains("invalid bulk replicates = 99"), "{err}");
        let c = Check::new(Strategy::LeCun);
        let (a, b) = (c.run(&w).unwrap(), c.run_slice(&row_major, 12, 40, Layout::RowMajor).unwrap());
        // BLAS kernels may round differently with the buffer's alignment: compare to 1e-12.
        for (x, y) in a.items.iter().zip(&b.items) {
            assert_eq!((x.quantity, x.passed, x.interval), (y.quantity, y.passed, y.interval));
            assert!((x.observed / y.observed - 1.0).abs() < 1e-12, "{x:?} vs {y:?}");
        }
    }

    #[test]
    fn a_correct_draw_passes_and_a_wrong_variance_fails_with_a_readable_message() {
        let w = sample(Strategy::He, 48, 160, &mut trial_rng(11, 0)).unwrap();
        let ok = Check::new(Strategy::He).run(&w).unwrap();
        assert!(ok.passed(), "{ok}");
        assert_eq!(ok.items.len(), 4);
        assert_eq!(ok.bulk_replicates, 399);
        let bad = Check::new(Strategy::LeCun).run(&w).unwrap();
        assert!(!bad.passed());
        let text = bad.to_string();
        assert!(text.contains("FAILED") && text.contains("spectral norm ‖W‖") && text.contains("level"), "{text}");
        // κ does not depend on the variance: that check still passes.
        assert!(bad.items[2].passed);
    }

    #[test]
    fn orthogonal_is_checked_exactly() {
        let w = sample(Strategy::Orthogonal { variance: None }, 30, 20, &mut trial_rng(2, 0)).unwrap();
        let r = Check::new(Strategy::Orthogonal { variance: None }).run(&w).unwrap();
        assert!(r.passed(), "{r}");
        assert_eq!(r.items.len(), 3);
        let gaussian = sample(Strategy::Arithmetic, 30, 20, &mut trial_rng(2, 0)).unwrap();
        assert!(!Check::new(Strategy::Orthogonal { variance: None }).run(&gaussian).unwrap().passed());
    }

    #[test]
    #[should_panic(expected = "does not match its initialiser")]
    fn assertion_panics_with_the_report() {
        let w = sample(Strategy::He, 20, 60, &mut trial_rng(1, 0)).unwrap();
        crate::assert_spectrum!(&w, Strategy::Geometric, 0.05);
    }
}
