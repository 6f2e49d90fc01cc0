//! Running the trials of one strategy: each trial t draws from [`trial_rng`]`(seed, t)`, computes
//! the spectrum by the configured [`Method`], pools its eigenvalues and returns its
//! [`TrialRecord`].

use super::config::{Method, SpectrumConfig};
use super::pooling::PooledSpectrum;
use super::result::TrialRecord;
use crate::error::Result;
use crate::prediction::EdgePrediction;
use crate::sample::{sample_into, trial_rng};
use crate::spectrum::GramSolver;
use crate::strategy::Strategy;
use crate::trials::{cores, locked, run_trials, RunControl, ThreadsLayout};
use crate::tridiagonal::{count_below, LaguerreTridiagonal};
use std::sync::Mutex;

/// Runs the trials in `indices` of `strategy`: their records in that order, and their pooled
/// eigenvalues.
pub(super) fn run_trials_of(
    config: &SpectrumConfig,
    strategy: Strategy,
    indices: &[u64],
    control: RunControl<'_>,
) -> Result<(Vec<TrialRecord>, PooledSpectrum)> {
    let predicted = EdgePrediction::new(strategy, config.shape)?;
    let law = predicted.marchenko_pastur();
    let pooled = Mutex::new(PooledSpectrum::new(config, &predicted)?);
    let pool = |eigenvalues: &[f64]| locked(&pooled).add(law.as_ref(), eigenvalues);
    let job = Job { config, strategy, indices, control };
    let records = match config.method {
        Method::Dense => dense_trials(&job, &pool)?,
        Method::Tridiagonal => tridiagonal_trials(&job, &pool)?,
        Method::TridiagonalHistogram => histogram_trials(&job, &pooled)?,
    };
    Ok((records, pooled.into_inner().unwrap_or_else(|p| p.into_inner())))
}

/// The trials of one strategy to run.
#[derive(Clone, Copy)]
struct Job<'a> {
    config: &'a SpectrumConfig,
    strategy: Strategy,
    indices: &'a [u64],
    control: RunControl<'a>,
}

fn dense_trials(job: &Job<'_>, pool: &(dyn Fn(&[f64]) + Sync)) -> Result<Vec<TrialRecord>> {
    let Job { config, strategy, indices, control } = *job;
    let (m, n, k) = (config.shape.m(), config.shape.n(), config.shape.min());
    // Resolved from the whole run's trial count, so that every shard picks the layout a single
    // run would (the layout can change the last bits; see `ThreadsLayout`).
    let layout = config.layout.resolve(k, config.trials, cores());
    run_trials(
        indices,
        layout,
        control,
        || Ok((GramSolver::new(m, n, config.singular_values)?, vec![0.0; m * n], vec![0.0; k])),
        |(solver, w, eigenvalues), trial| {
            sample_into(strategy, m, n, &mut trial_rng(config.seed, trial), w)?;
            let exact = solver.compute_into(w, eigenvalues)?;
            pool(eigenvalues);
            Ok(TrialRecord::new(trial, n, eigenvalues, exact))
        },
    )
}

fn tridiagonal_trials(job: &Job<'_>, pool: &(dyn Fn(&[f64]) + Sync)) -> Result<Vec<TrialRecord>> {
    let Job { config, strategy, indices, control } = *job;
    let (m, n, k) = (config.shape.m(), config.shape.n(), config.shape.min());
    let s2 = config.tridiagonal_variance(strategy)?;
    run_trials(
        indices,
        ThreadsLayout::Trials,
        control,
        || Ok((LaguerreTridiagonal::new(m, n, s2)?, Vec::new(), vec![0.0; k])),
        |(model, scratch, eigenvalues), trial| {
            model.sample(&mut trial_rng(config.seed, trial));
            model.eigenvalues_into(eigenvalues, scratch)?;
            pool(eigenvalues);
            Ok(TrialRecord::new(trial, n, eigenvalues, None))
        },
    )
}

/// No eigenvalues are computed: the extremes by bisection, and the counts below every bin edge by
/// Sturm sequences (in parallel over edges), O(k·(bins + 2·60)) per trial.
fn histogram_trials(job: &Job<'_>, pooled: &Mutex<PooledSpectrum>) -> Result<Vec<TrialRecord>> {
    let Job { config, strategy, indices, control } = *job;
    use rayon::prelude::*;
    let (m, n, k) = (config.shape.m(), config.shape.n(), config.shape.min());
    let s2 = config.tridiagonal_variance(strategy)?;
    let edges = locked(pooled).histogram.edges();
    run_trials(
        indices,
        ThreadsLayout::Trials,
        control,
        || LaguerreTridiagonal::new(m, n, s2),
        |model, trial| {
            model.sample(&mut trial_rng(config.seed, trial));
            let (lambda_min, lambda_max) = rayon::join(|| model.eigenvalue(0), || model.eigenvalue(k - 1));
            let below_edge: Vec<u64> = edges
                .par_iter()
                .map(|&x| count_below(model.diagonal(), model.off_diagonal_squared(), x) as u64)
                .collect();
            locked(pooled).histogram.add_counts_below_edges(&below_edge, k as u64)?;
            Ok(TrialRecord::new(trial, n, &[lambda_min, lambda_max], None))
        },
    )
}
