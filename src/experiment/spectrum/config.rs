//! What a spectrum run is asked to do: [`SpectrumConfig`] and [`Method`], their validation and
//! the run's memory estimate.

use crate::calibration::FitOptions;
use crate::error::{Error, Result};
use crate::initializer::EntryLaw;
use crate::memory;
use crate::shape::Shape;
use crate::spectrum::SingularValueMethod;
use crate::stats::KS_GRID_CELLS;
use crate::strategy::{Ensemble, Strategy};
use crate::trials::ThreadsLayout;
use serde::{Deserialize, Serialize};

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumConfig {
    /// The shape of W (m = fan-in rows, n = fan-out columns).
    pub shape: Shape,
    /// Strategies, in output order.
    pub strategies: Vec<Strategy>,
    /// Independent matrices per strategy.
    pub trials: usize,
    /// Seed of the trial streams.
    pub seed: u64,
    /// Histogram bins.
    pub bins: usize,
    /// How singular values are computed.
    pub singular_values: SingularValueMethod,
    /// Goodness-of-fit options (λ_max vs TW₁, calibrated bulk vs MP); see
    /// [`calibration`](crate::calibration).
    pub fit: FitOptions,
    /// How spectra are computed.
    pub method: Method,
    /// How trials use the cores (results of the `trials` layout do not depend on it).
    pub layout: ThreadsLayout,
}

/// How the spectra are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Sample W, Gram by dsyrk, eigenvalues by dsyev.
    #[default]
    Dense,
    /// The Dumitriu–Edelman tridiagonal model, eigenvalues by `dsterf` on T away from the hard
    /// edge, by dqds on its bidiagonal factor near it ([`crate::tridiagonal::TridiagonalSolver`];
    /// iid Gaussian strategies only).
    Tridiagonal,
    /// The tridiagonal model, histogram by Sturm counts; no eigenvalues are stored.
    TridiagonalHistogram,
}

/// The most histogram bins a run may ask for (2²⁰, as many as the KS grid has cells): finer
/// bins hold a handful of eigenvalues each, and every bin is a number in the JSON and a bar in
/// the figures (10⁷ bins made a 160 MB SVG).
pub const MAX_BINS: usize = 1 << 20;

/// Bytes kept and written per histogram bin and strategy: the counts, centres and densities of
/// the result (3 × 8), the JSON text of a bin (≈ 60) and, with figures, its bar in the SVG (≈ 70).
const BYTES_PER_BIN: u128 = 160;

/// Bytes per trial record kept for the reduction (7 numbers, the trial index, flags) and its
/// JSON text in a partial.
const BYTES_PER_RECORD: u128 = 200;

impl SpectrumConfig {
    /// Checks counts, that every eigenvalue count fits in 64 bits, that the run fits in memory
    /// (the shape is valid by construction), then that the method exists for every strategy
    /// ([`check_method`](Self::check_method)).
    ///
    /// # Errors
    /// Zero trials or bins, more than `MAX_BINS` (2²⁰) bins; no strategies; a tridiagonal method
    /// with a strategy that is not iid Gaussian; trials × max(m, n) eigenvalues per strategy beyond
    /// u64; an estimate above [`memory::limit_bytes`] (naming the phase that needs it).
    pub fn validate(&self) -> Result<()> {
        for (name, value) in [("trials", self.trials), ("bins", self.bins)] {
            if value == 0 {
                return Err(Error::invalid(name, value, "must be at least 1"));
            }
        }
        if self.bins > MAX_BINS {
            return Err(Error::invalid("bins", self.bins, "must be at most 1048576 (2^20)"));
        }
        if self.strategies.is_empty() {
            return Err(Error::invalid("strategy", "(none)", "at least one strategy is needed"));
        }
        self.fit.validate()?;
        // Pooled counts, structural zeros and merged totals are u64: trials × max(m, n) must fit.
        if (self.trials as u128) * (self.shape.max() as u128) > u64::MAX as u128 {
            return Err(Error::invalid(
                "trials",
                self.trials,
                "trials × max(m, n) eigenvalues must be countable in 64 bits (at most 2^64 − 1)",
            ));
        }
        let (phase, required) = self.memory_estimate(rayon::current_num_threads());
        memory::ensure_fits(|| format!("{phase} of {} trial(s) of a {} matrix", self.trials, self.shape), required)?;
        // After the size checks, as before the method check moved here: a size that cannot run
        // is reported whatever the method.
        self.check_method()
    }

    /// Estimated peak bytes with `workers` threads, and the phase that needs them. The run's
    /// phases are sequential: the bulk calibration (per worker a tridiagonal model, O(k), for
    /// Gaussian entries and a dense unit-variance m×n matrix with its Gram matrix for other entry
    /// laws, and the quantile grid of the replicate it is running, for every method but the
    /// histogram-only one, unless the bulk test is off), then the trials
    /// (dense: per worker W, twice when `dgesdd` may run, the Gram matrix and LAPACK workspace;
    /// tridiagonal: O(k) per worker), then the output. Kept throughout: per strategy the pooled
    /// counts (histogram and [`KS_GRID_CELLS`] grid cells), the trial records, and what is
    /// rendered from the histogram (`BYTES_PER_BIN` a bin).
    pub fn memory_estimate(&self, workers: usize) -> (&'static str, u128) {
        let (m, n) = (self.shape.m() as u128, self.shape.n() as u128);
        let k = m.min(n);
        let workers = workers as u128;
        let dense = |w_copies: u128| w_copies * m * n + k * k + 5 * k + 64;
        let per_worker = match self.method {
            Method::Dense => dense(if self.singular_values == SingularValueMethod::Gram { 1 } else { 2 }),
            Method::Tridiagonal => 6 * k,
            Method::TridiagonalHistogram => 4 * k + self.bins as u128,
        };
        let strategies = self.strategies.len() as u128;
        let kept = memory::estimate(&[
            (strategies * (KS_GRID_CELLS as u128 + self.bins as u128), 8),
            (strategies * self.trials as u128, BYTES_PER_RECORD),
        ]);
        let trials = memory::estimate(&[(workers * per_worker, 8)]).saturating_add(kept);
        let output = memory::estimate(&[(strategies * self.bins as u128, BYTES_PER_BIN)]).saturating_add(kept);
        let calibrated = self.fit.bulk_replicates > 0 && self.method != Method::TridiagonalHistogram;
        // Per worker: the largest sampler among the laws simulated (see calibration::null).
        let sampler = self
            .strategies
            .iter()
            .filter_map(|s| s.entry_law())
            .map(|law| if law == EntryLaw::Normal { 6 * k } else { dense(1) })
            .max()
            .filter(|_| calibrated);
        let calibration = match sampler {
            Some(sampler) => memory::estimate(&[
                (workers * (sampler + KS_GRID_CELLS as u128), 8),
                (self.fit.bulk_replicates as u128, 8),
            ]),
            None => 0,
        };
        [
            ("the bulk calibration (--bulk-replicates 0 or --no-fits skips it)", calibration),
            ("the spectra", trials),
            ("the histogram output (--bins)", output),
        ]
        .into_iter()
        .max_by_key(|&(_, bytes)| bytes)
        .expect("three phases")
    }

    /// Refuses a merge of `parts` partials of this run that would not fit: the run's own peak
    /// ([`memory_estimate`](Self::memory_estimate) with `workers` threads, an upper bound: the
    /// merge simulates no calibration, and keeps one set of pooled counts and the records) plus what holding
    /// all the partials at once adds, the pooled counts of the other `parts − 1` (histogram and
    /// grid cells per strategy) and a second copy of the records, gathered from the partials.
    ///
    /// # Errors
    /// [`Error::TooLarge`] naming the merge and its estimate; an invalid `RMSPEC_MAX_MEMORY`.
    pub fn ensure_merge_fits(&self, parts: usize, workers: usize) -> Result<()> {
        let strategies = self.strategies.len() as u128;
        let held = memory::estimate(&[
            ((parts.saturating_sub(1) as u128) * strategies * (KS_GRID_CELLS as u128 + self.bins as u128), 8),
            (strategies * self.trials as u128, BYTES_PER_RECORD),
        ]);
        let required = self.memory_estimate(workers).1.saturating_add(held);
        memory::ensure_fits(
            || format!("merging {parts} partial(s) of a {} run of {} trial(s)", self.shape, self.trials),
            required,
        )
    }
}

/// The tridiagonal model exists for iid Gaussian entries only (see [`SpectrumConfig::check_method`]).
fn tridiagonal_model_exists(strategy: Strategy) -> Result<()> {
    let value = || format!("tridiagonal with strategy {strategy}");
    match strategy.ensemble() {
        Ensemble::Iid(EntryLaw::Normal) => Ok(()),
        Ensemble::Iid(_) => Err(Error::invalid(
            "method",
            value(),
            "its entries are not Gaussian, and the tridiagonal model has the Gaussian ensemble's eigenvalue law only; \
             use --method dense",
        )),
        Ensemble::Orthogonal => Err(Error::invalid(
            "method",
            value(),
            "the tridiagonal model exists for Gaussian strategies only; use --method dense",
        )),
    }
}

/// The route a run took: the JSON `method` object, `{name, singular_values, description}`
/// (identifiers, and the route in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodDescription {
    /// How the spectra were computed.
    pub method: Method,
    /// How singular values were computed (dense runs).
    pub singular_values: SingularValueMethod,
}

impl std::fmt::Display for MethodDescription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let svd = match self.singular_values {
            SingularValueMethod::Gram => "singular values √(n·λ)",
            SingularValueMethod::Svd => "singular values by dgesdd",
            SingularValueMethod::Auto => "singular values √(n·λ), by dgesdd when κ̂ > 1e5",
        };
        match self.method {
            Method::Dense => write!(f, "dense: dsyrk Gram + dsyev eigenvalues; {svd}"),
            Method::Tridiagonal => f.write_str(
                "tridiagonal: Dumitriu–Edelman β=1 Laguerre model, eigenvalues by dsterf on T where the Marchenko–Pastur edges satisfy λ₋ ≥ λ₊/100, else by dqds (dbdsqr) on its bidiagonal factor; singular values √(n·λ)",
            ),
            Method::TridiagonalHistogram => f.write_str(
                "tridiagonal-histogram: Dumitriu–Edelman β=1 Laguerre model, Sturm counts at the bin edges, extremes by bisection; singular values √(n·λ)",
            ),
        }
    }
}

impl MethodDescription {
    /// How singular values were actually obtained: the tridiagonal model always takes √(n·λ).
    pub fn effective_singular_values(&self) -> SingularValueMethod {
        match self.method {
            Method::Dense => self.singular_values,
            Method::Tridiagonal | Method::TridiagonalHistogram => SingularValueMethod::Gram,
        }
    }
}

impl Serialize for MethodDescription {
    /// As `{name, singular_values, description}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Method", 3)?;
        s.serialize_field("name", &self.method)?;
        s.serialize_field("singular_values", &self.effective_singular_values())?;
        s.serialize_field("description", &self.to_string())?;
        s.end()
    }
}

impl SpectrumConfig {
    /// Checks that the method exists for every strategy: the dense method for all; the
    /// tridiagonal ones only for iid Gaussian entries, since the Dumitriu–Edelman model has the
    /// eigenvalue law of W Wᵀ for N(0, s2) entries and for no other law (uniform or
    /// truncated-normal entries share its limits, not its finite-size law), nor for orthogonal
    /// matrices.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the method and the first strategy it does not exist for.
    pub fn check_method(&self) -> Result<()> {
        if self.method == Method::Dense {
            return Ok(());
        }
        self.strategies.iter().try_for_each(|&s| tridiagonal_model_exists(s))
    }

    /// The variance of a Gaussian strategy for the tridiagonal model, which exists for no other.
    ///
    /// # Errors
    /// As [`check_method`](Self::check_method).
    pub(crate) fn tridiagonal_variance(&self, strategy: Strategy) -> Result<f64> {
        tridiagonal_model_exists(strategy)?;
        Ok(strategy.variance_for(self.shape))
    }

    /// What the JSON `method` field says.
    pub fn method_description(&self) -> MethodDescription {
        MethodDescription { method: self.method, singular_values: self.singular_values }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::FitOptions;

    fn config(method: Method, strategy: &str) -> SpectrumConfig {
        SpectrumConfig {
            shape: Shape::new(12, 20).unwrap(),
            strategies: vec![Strategy::He, strategy.parse().unwrap()],
            trials: 3,
            seed: 1,
            bins: 5,
            singular_values: SingularValueMethod::Auto,
            fit: FitOptions::none(),
            method,
            layout: ThreadsLayout::Trials,
        }
    }

    #[test]
    fn tridiagonal_methods_refuse_non_gaussian_entry_laws_in_the_library() {
        // Regression (issue 13's loose end): only the CLI refused the tridiagonal model for
        // uniform or truncated-normal strategies; the library drew Gaussian spectra for them.
        for method in [Method::Tridiagonal, Method::TridiagonalHistogram] {
            for strategy in ["torch-default", "glorot-normal", "uniform:0.1"] {
                let err = config(method, strategy).validate().unwrap_err().to_string();
                assert!(err.starts_with("invalid method = tridiagonal with strategy "), "{err}");
                assert!(err.contains("its entries are not Gaussian"), "{err}");
                assert!(crate::experiment::spectrum::run(&config(method, strategy)).is_err());
            }
            let err = config(method, "torch-orthogonal").validate().unwrap_err().to_string();
            assert!(err.contains("Gaussian strategies only"), "{err}");
            // Gaussian framework initialisers have the model.
            for strategy in ["kaiming-normal", "xavier-normal:2", "normal:0.5"] {
                config(method, strategy).validate().unwrap();
            }
        }
        for strategy in ["torch-default", "glorot-normal", "torch-orthogonal"] {
            config(Method::Dense, strategy).validate().unwrap();
        }
    }
}
