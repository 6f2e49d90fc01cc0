//! The reduction of a strategy's trial records (in trial order) and pooled counts to its
//! [`StrategySpectrum`]. Runs and merges both end here, which is what makes a merge of shards
//! byte-identical to a single run.

use super::config::{Method, SpectrumConfig};
use super::pooling::PooledSpectrum;
use super::result::{EmpiricalEdges, SpectrumStudy, StrategySpectrum, TrialRecord};
use crate::calibration::{cache, BulkNull, EdgeFit, NullKey, NullStatistic};
use crate::error::Result;
use crate::initializer::EntryLaw;
use crate::prediction::{EdgePrediction, PredictionSource};
use crate::strategy::{Ensemble, Strategy};
use crate::trials::{Phase, RunControl};
use std::sync::Arc;

/// Reduces the records of all trials (in trial order) and their pooled counts to the strategy's
/// result.
pub(super) fn reduce(
    config: &SpectrumConfig,
    strategy: Strategy,
    records: Vec<TrialRecord>,
    pooled: PooledSpectrum,
    null: Option<&BulkNull>,
) -> Result<StrategySpectrum> {
    let predicted = EdgePrediction::new(strategy, config.shape)?;
    let lambda_max: Vec<f64> = records.iter().map(|r| r.lambda_max).collect();
    let edge_fit = edge_fit(config, &predicted, &lambda_max)?;
    let svd_fallback_trials = records.iter().filter(|r| r.exact_singular_values).count() as u64;
    let zero_eigenvalues = (config.trials * config.shape.zero_eigenvalues()) as u64;
    let PooledSpectrum { mut histogram, ks_grid } = pooled;
    histogram.excluded_atom = zero_eigenvalues;
    let law = predicted.marchenko_pastur();
    let (ks, resolution) = match (ks_grid, &law) {
        (Some(mut grid), Some(law)) => {
            grid.add_zeros(zero_eigenvalues);
            let (lower, _) = grid.ks_distance_bounds(law)?;
            (Some(lower), Some(grid.resolution(law)))
        }
        _ => (None, None),
    };
    let bulk_fit = match (ks, null) {
        (Some(d), Some(null)) => Some(null.test(d, config.fit.level)?),
        _ => None,
    };
    let ks_at_edges = match (config.method, &law) {
        (Method::TridiagonalHistogram, Some(law)) => Some(histogram.ks_distance_at_edges(law)),
        _ => None,
    };
    // Edelman's result is for Gaussian entries; other entry laws keep their mean and standard error.
    let heavy_tail =
        (strategy.ensemble() == Ensemble::Iid(EntryLaw::Normal)).then(|| config.shape.m().abs_diff(config.shape.n()));
    Ok(StrategySpectrum {
        strategy,
        variance: predicted.variance,
        predicted,
        empirical: EmpiricalEdges::of(&records, heavy_tail),
        ks_distance: ks,
        ks_distance_resolution: resolution,
        edge_fit,
        bulk_fit,
        ks_distance_at_bin_edges: ks_at_edges,
        histogram,
        zero_eigenvalues,
        svd_fallback_trials: if config.method == Method::Dense { Some(svd_fallback_trials) } else { None },
    })
}

/// The study of reduced strategies.
pub(super) fn study(config: &SpectrumConfig, strategies: Vec<StrategySpectrum>) -> SpectrumStudy {
    SpectrumStudy {
        shape: config.shape,
        trials: config.trials,
        seed: config.seed,
        method: config.method_description(),
        strategies,
    }
}

/// The keys of a run's bulk-fit nulls, one per entry law among its iid strategies in the order
/// the laws first occur (none without bulk replicates or for a histogram-only run): a null does
/// not depend on the variance, so strategies of one law share it; it does depend on the law (see
/// [`crate::calibration`]). Determined by the run's own configuration, so a merge of shards
/// assembles the same ones.
pub(super) fn null_keys(config: &SpectrumConfig) -> Result<Vec<NullKey>> {
    let mut keys: Vec<NullKey> = Vec::new();
    if config.fit.bulk_replicates == 0 || config.method == Method::TridiagonalHistogram {
        return Ok(keys);
    }
    let (trials, replicates) = (config.trials, config.fit.bulk_replicates);
    for law in config.strategies.iter().filter_map(Strategy::entry_law) {
        if keys.iter().all(|key| key.entry_law != law) {
            keys.push(NullKey::new(config.shape, trials, replicates, config.seed, law, NullStatistic::PooledGrid)?);
        }
    }
    Ok(keys)
}

/// The bulk-fit nulls of a run, one per entry law ([`null_keys`]).
pub(super) struct BulkNulls(Vec<Arc<BulkNull>>);

impl BulkNulls {
    /// The run's nulls, each once per key per process and from the disk cache when it holds it
    /// ([`cache::bulk_null`]); announced as the calibration phase.
    pub(super) fn compute(config: &SpectrumConfig, control: RunControl<'_>) -> Result<Self> {
        let keys = null_keys(config)?;
        if !keys.is_empty() {
            control.begin(Phase::Calibration, keys.iter().map(|key| key.replicates as u64).sum());
        }
        Ok(BulkNulls(keys.into_iter().map(|key| cache::bulk_null(key, control)).collect::<Result<_>>()?))
    }

    /// Nulls already at hand (a merge assembles them from the shards).
    pub(super) fn of_nulls(nulls: Vec<BulkNull>) -> Self {
        BulkNulls(nulls.into_iter().map(Arc::new).collect())
    }

    /// The null for a strategy's bulk test: the one of its entry law (`None` for orthogonal
    /// strategies, or when no bulk test runs).
    pub(super) fn of(&self, strategy: Strategy) -> Option<&BulkNull> {
        let law = strategy.entry_law()?;
        self.0.iter().map(|null| &**null).find(|null| null.entry_law() == law)
    }
}

/// λ_max of every trial against TW₁ after the finite-size edge scaling (iid strategies; for
/// non-Gaussian laws TW₁ holds by universality).
fn edge_fit(config: &SpectrumConfig, predicted: &EdgePrediction, lambda_max: &[f64]) -> Result<Option<EdgeFit>> {
    if !config.fit.edge {
        return Ok(None);
    }
    match predicted.source {
        PredictionSource::MarchenkoPasturBaiYin => {
            Ok(Some(EdgeFit::new(config.shape.m(), config.shape.n(), predicted.variance, lambda_max)?))
        }
        PredictionSource::ExactOrthogonal => Ok(None),
    }
}
