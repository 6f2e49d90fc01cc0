//! The spectrum experiment behind `rmspec spectrum`: sample W for each strategy over independent
//! trials, compute the spectrum of S = W Wᵀ/n, and set it beside the prediction.
//!
//! For each strategy and trial t the matrix is drawn from [`trial_rng`](crate::sample::trial_rng)`(seed, t)`; all strategies
//! share those streams (common random numbers). Per-trial scalars (λ_min⁺, λ_max, ‖W‖, σ_min,
//! κ) are summarised as mean ± standard error, median and extremes over trials (κ's mean and
//! standard error omitted where they are infinite, see [`KAPPA_MEAN_INFINITE`]); the nonzero eigenvalues of all trials
//! are pooled (with the structural zeros counted) for the KS distance to Marchenko–Pastur and the
//! histogram. Pooling means *counting* ([`PooledSpectrum`]): each trial's eigenvalues go into the
//! histogram, whose range is fixed from the prediction beforehand, and onto a quantile grid of the
//! MP law that brackets the KS distance to within 1e−6 ([`QuantileGridCounts`](crate::stats::QuantileGridCounts)), and are dropped.
//! A run's memory is then independent of its trial count but for 7 scalars per trial.
//!
//! The KS distance of pooled eigenvalues is a *distance*, not an iid test: eigenvalues of one
//! matrix are strongly dependent, so the iid p-value does not apply. For iid strategies the
//! run adds two honest tests (see [`calibration`](crate::calibration)): the scaled λ_max over
//! trials against TW₁ (`edge_fit`, iid across matrices) and the pooled KS distance against a
//! critical value simulated at the run's (m, n, trials) with the strategy's entry law
//! (`bulk_fit`).
//!
//! **Methods** ([`Method`]): `dense` samples W from the strategy's own law; `tridiagonal` draws
//! the Dumitriu–Edelman model ([`crate::tridiagonal`]), which has the same eigenvalue law for iid
//! Gaussian entries and exists for no other strategy (validation refuses uniform,
//! truncated-normal and orthogonal ones); its histogram-only variant counts eigenvalues at the
//! bin edges by Sturm sequences and stores none.
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
pub use result::{
    EmpiricalEdges, SpectrumStudy, StrategySpectrum, Summary, TrialRecord, KAPPA_MEAN_INFINITE, KAPPA_VARIANCE_INFINITE,
};
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
    let nulls = reduce::BulkNulls::compute(config, control)?;
    control.begin(Phase::Trials, run::steps(config, config.trials));
    let runs = run::run_trials_of_all(config, &all, control)?;
    let strategies = config
        .strategies
        .iter()
        .zip(runs)
        .map(|(&strategy, (records, pooled))| reduce::reduce(config, strategy, records, pooled, nulls.of(strategy)))
        .collect::<Result<Vec<_>>>()?;
    Ok(reduce::study(config, strategies))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::FitOptions;
    use crate::initializer::EntryLaw;
    use crate::spectrum::SingularValueMethod;
    use crate::trials::ThreadsLayout;
    use crate::{Shape, Strategy};

    #[test]
    fn each_strategy_is_tested_against_the_bulk_null_of_its_entry_law() {
        // Regression (issue 13's loose end): uniform and truncated-normal strategies were tested
        // against the standard Gaussian null. One null per law, shared by strategies of that law.
        let strategies: Vec<Strategy> =
            ["torch-default", "he", "glorot-uniform", "lecun-normal"].iter().map(|s| s.parse().unwrap()).collect();
        let config = SpectrumConfig {
            shape: Shape::new(10, 14).unwrap(),
            strategies,
            trials: 3,
            seed: 2,
            bins: 5,
            singular_values: SingularValueMethod::Auto,
            fit: FitOptions { edge: false, ..FitOptions::default() },
            method: Method::Dense,
            layout: ThreadsLayout::Trials,
        };
        let study = run(&config).unwrap();
        let fit = |i: usize| study.strategies[i].bulk_fit.as_ref().unwrap().clone();
        let laws: Vec<EntryLaw> = (0..4).map(|i| fit(i).method.entry_law).collect();
        assert_eq!(laws, [EntryLaw::Uniform, EntryLaw::Normal, EntryLaw::Uniform, EntryLaw::TruncatedNormal]);
        // Both uniform strategies use the same null (the statistic does not depend on s2).
        assert_eq!(fit(0).critical_value, fit(2).critical_value);
        assert!(fit(0).method.to_string().contains("unit-variance uniform 10×14 matrices"), "{}", fit(0).method);
        assert!(fit(1).method.to_string().contains("standard Gaussian 10×14 matrices"), "{}", fit(1).method);
    }
}
