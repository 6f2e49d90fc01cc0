//! The reduction of a strategy's trial records (in trial order) and pooled counts to its
//! [`StrategySpectrum`]. Runs and merges both end here, which is what makes a merge of shards
//! byte-identical to a single run.

use super::config::{Method, SpectrumConfig};
use super::pooling::PooledSpectrum;
use super::result::{EmpiricalEdges, SpectrumStudy, StrategySpectrum, TrialRecord};
use crate::calibration::{cache, BulkNull, EdgeFit, NullKey, NullStatistic};
use crate::error::Result;
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
    Ok(StrategySpectrum {
        strategy,
        variance: predicted.variance,
        predicted,
        empirical: EmpiricalEdges::of(&records),
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

/// The key of a run's bulk-fit null, when the run has a bulk test: the null does not depend on
/// the variance, so all Gaussian strategies share it, and it is determined by the run's own
/// configuration (a merge of shards assembles the same one).
pub(super) fn null_key(config: &SpectrumConfig) -> Result<Option<NullKey>> {
    let any_gaussian = config.strategies.iter().any(|s| s.ensemble() == Ensemble::Gaussian);
    if any_gaussian && config.fit.bulk_replicates > 0 && config.method != Method::TridiagonalHistogram {
        let (trials, replicates) = (config.trials, config.fit.bulk_replicates);
        Ok(Some(NullKey::new(config.shape, trials, replicates, config.seed, NullStatistic::PooledGrid)?))
    } else {
        Ok(None)
    }
}

/// The bulk-fit null of a run (see [`null_key`]), once per key per process and from the disk
/// cache when it holds it ([`cache::bulk_null`]); announced as the calibration phase.
pub(super) fn bulk_null(config: &SpectrumConfig, control: RunControl<'_>) -> Result<Option<Arc<BulkNull>>> {
    match null_key(config)? {
        Some(key) => {
            control.begin(Phase::Calibration, key.replicates as u64);
            Ok(Some(cache::bulk_null(key, control)?))
        }
        None => Ok(None),
    }
}

/// λ_max of every trial against TW₁ after the finite-size edge scaling (Gaussian strategies).
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
