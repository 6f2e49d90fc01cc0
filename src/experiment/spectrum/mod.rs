//! The spectrum experiment behind `rmspec spectrum`: sample W for each strategy over independent
//! trials, compute the spectrum of S = W Wᵀ/n, and set it beside the prediction.
//!
//! For each strategy and trial t the matrix is drawn from [`trial_rng`](crate::sample::trial_rng)`(seed, t)`; all strategies
//! share those streams (common random numbers). Per-trial scalars (λ_min⁺, λ_max, ‖W‖, σ_min,
//! κ) are summarised as mean ± standard error over trials; the nonzero eigenvalues of all trials
//! are pooled (with the structural zeros counted) for the KS distance to Marchenko–Pastur and the
//! histogram. Pooling means *counting* ([`PooledSpectrum`]): each trial's eigenvalues go into the
//! histogram, whose range is fixed from the prediction beforehand, and onto a quantile grid of the
//! MP law that brackets the KS distance to within 1e−6 ([`QuantileGridCounts`](crate::stats::QuantileGridCounts)), and are dropped.
//! A run's memory is then independent of its trial count but for 7 scalars per trial.
//!
//! The KS distance of pooled eigenvalues is a *distance*, not an iid test: eigenvalues of one
//! matrix are strongly dependent, so the iid p-value does not apply. For Gaussian strategies the
//! run adds two honest tests (see [`calibration`](crate::calibration)): the scaled λ_max over
//! trials against TW₁ (`edge_fit`, iid across matrices) and the pooled KS distance against a
//! critical value simulated at the run's (m, n, trials) (`bulk_fit`).
//!
//! **Methods** ([`Method`]): `dense` samples W; `tridiagonal` draws the Dumitriu–Edelman model
//! ([`crate::tridiagonal`]) with the same eigenvalue law for Gaussian strategies; its
//! histogram-only variant counts eigenvalues at the bin edges by Sturm sequences and stores none.
//!
//! **Shards** ([`run_shard`], [`merge_partials`]): every run is a list of per-trial [`TrialRecord`]s in trial
//! order plus pooled counts, reduced by one function; a shard writes the records and counts of its
//! trials, and the merge reduces the union (records in trial order, counts summed), so it
//! reproduces a single run byte for byte (docs/scale-out.md).
//!
//! | file | concept |
//! |---|---|
//! | `config.rs` | [`SpectrumConfig`], [`Method`], validation, memory estimate |
//! | `result.rs` | [`SpectrumStudy`], [`StrategySpectrum`], [`Summary`], [`TrialRecord`] |
//! | `pooling.rs` | [`PooledSpectrum`]: histogram and KS-grid counts, the histogram's range |
//! | `run.rs` | one strategy's trials by each method |
//! | `reduce.rs` | records and counts → [`StrategySpectrum`] (edge fit, bulk test, KS) |
//! | `shard.rs` | [`Shard`], [`PartialSpectrum`], [`run_shard`], [`merge_partials`] |
//! | `validate.rs` | [`PartialSpectrum::validate`], [`check_consistent`]: partials checked without merging |

mod config;
mod pooling;
mod reduce;
mod result;
mod run;
mod shard;
mod validate;

pub use config::{Method, MethodDescription, SpectrumConfig};
pub use pooling::PooledSpectrum;
pub use result::{EmpiricalEdges, SpectrumStudy, StrategySpectrum, Summary, TrialRecord};
pub use shard::{merge_partials, run_shard, PartialSpectrum, ReplicateStatistic, RunIdentity, Shard, PARTIAL_FORMAT};
pub use validate::check_consistent;

use crate::error::Result;
use crate::trials::{Phase, RunControl};

/// Runs the experiment.
///
/// # Errors
/// Invalid configuration (see [`SpectrumConfig::validate`]) or a LAPACK failure.
pub fn run(config: &SpectrumConfig) -> Result<SpectrumStudy> {
    run_with(config, RunControl::default())
}

/// Runs the experiment with progress and cancellation hooks.
///
/// # Errors
/// As [`run`], and [`Error::Interrupted`](crate::Error::Interrupted) when cancelled.
pub fn run_with(config: &SpectrumConfig, control: RunControl<'_>) -> Result<SpectrumStudy> {
    config.validate()?;
    let all: Vec<u64> = (0..config.trials as u64).collect();
    let null = reduce::bulk_null(config, control)?;
    control.begin(Phase::Trials, run::steps(config, config.trials));
    let runs = run::run_trials_of_all(config, &all, control)?;
    let strategies = config
        .strategies
        .iter()
        .zip(runs)
        .map(|(&strategy, (records, pooled))| reduce::reduce(config, strategy, records, pooled, null.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(reduce::study(config, strategies))
}
