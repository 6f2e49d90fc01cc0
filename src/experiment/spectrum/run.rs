//! Running the trials: each trial t draws from [`trial_rng`]`(seed, t)`, computes the spectrum
//! by the configured [`Method`], pools its eigenvalues and returns its [`TrialRecord`].
//!
//! **Shared draws.** All iid strategies of a run with the same entry law draw the same
//! unit-variance entries Z for a trial ([`fill_unit_variance`] from [`trial_rng`]`(seed, t)`), so
//! W_s = √s2_s · Z and S_s = s2_s · Z Zᵀ/n: their spectra are the one unit-variance spectrum
//! times s2_s. For the `dense` and `tridiagonal` methods the unit spectrum is computed once per
//! trial and entry law and scaled for each strategy of that law (singular values by √s2_s),
//! instead of one decomposition per strategy (strategies of different laws draw different Z, so
//! each law is its own group); this is also how a run of one iid strategy computes, so a
//! strategy's numbers do not depend on which others ran beside it. (Scaling the eigenvalues
//! instead of the entries changes only the rounding: the test
//! `scaled_unit_spectrum_equals_the_direct_one` bounds the difference by a few ulps of λ_max.)
//! Orthogonal strategies and `tridiagonal-histogram` runs (whose counts are per strategy) run
//! one strategy at a time.

use super::config::{Method, SpectrumConfig};
use super::pooling::PooledSpectrum;
use super::result::TrialRecord;
use crate::error::Result;
use crate::initializer::EntryLaw;
use crate::law::MarchenkoPastur;
use crate::prediction::EdgePrediction;
use crate::sample::{fill_unit_variance, sample_into, trial_rng};
use crate::spectrum::GramSolver;
use crate::strategy::{Ensemble, Strategy};
use crate::trials::{cores, locked, run_trials, RunControl, ThreadsLayout};
use crate::tridiagonal::{count_below, LaguerreTridiagonal};
use std::sync::Mutex;

/// Records (in the order of `indices`) and pooled eigenvalues of one strategy's trials.
pub(super) type StrategyTrials = (Vec<TrialRecord>, PooledSpectrum);

/// The entry law whose shared unit-variance spectrum `strategy` is computed from under `method`
/// (`None`: the strategy runs on its own).
fn shared_law(method: Method, strategy: Strategy) -> Option<EntryLaw> {
    match strategy.ensemble() {
        Ensemble::Iid(law) if method != Method::TridiagonalHistogram => Some(law),
        _ => None,
    }
}

/// The entry laws of the run's shared-draw groups, in the order they first occur.
fn shared_laws(config: &SpectrumConfig) -> Vec<EntryLaw> {
    let mut laws = Vec::new();
    for law in config.strategies.iter().filter_map(|&s| shared_law(config.method, s)) {
        if !laws.contains(&law) {
            laws.push(law);
        }
    }
    laws
}

/// Progress steps of running `trials` trials of every strategy: one per trial for each group of
/// strategies that share draws, plus one per trial for each other strategy.
pub(super) fn steps(config: &SpectrumConfig, trials: usize) -> u64 {
    let alone = config.strategies.iter().filter(|&&s| shared_law(config.method, s).is_none()).count();
    ((shared_laws(config).len() + alone) * trials) as u64
}

/// Runs the trials in `indices` of every strategy of the run: per strategy (in the run's
/// order), its records in the order of `indices` and its pooled eigenvalues.
pub(super) fn run_trials_of_all(
    config: &SpectrumConfig,
    indices: &[u64],
    control: RunControl<'_>,
) -> Result<Vec<StrategyTrials>> {
    let mut results: Vec<Option<StrategyTrials>> = config.strategies.iter().map(|_| None).collect();
    for law in shared_laws(config) {
        let group: Vec<usize> = (0..config.strategies.len())
            .filter(|&i| shared_law(config.method, config.strategies[i]) == Some(law))
            .collect();
        let strategies: Vec<Strategy> = group.iter().map(|&i| config.strategies[i]).collect();
        for (i, result) in group.into_iter().zip(shared_trials(config, law, &strategies, indices, control)?) {
            results[i] = Some(result);
        }
    }
    for (result, &strategy) in results.iter_mut().zip(&config.strategies) {
        if result.is_none() {
            *result = Some(run_trials_of(config, strategy, indices, control)?);
        }
    }
    Ok(results.into_iter().map(|r| r.expect("every strategy ran")).collect())
}

/// The iid strategies `strategies`, all of entry law `law`, from one unit-variance spectrum per
/// trial.
fn shared_trials(
    config: &SpectrumConfig,
    law: EntryLaw,
    strategies: &[Strategy],
    indices: &[u64],
    control: RunControl<'_>,
) -> Result<Vec<StrategyTrials>> {
    let (m, n, k) = (config.shape.m(), config.shape.n(), config.shape.min());
    let mut laws: Vec<(f64, Option<MarchenkoPastur>)> = Vec::with_capacity(strategies.len());
    let mut pooled = Vec::with_capacity(strategies.len());
    for &strategy in strategies {
        let predicted = EdgePrediction::new(strategy, config.shape)?;
        laws.push((predicted.variance, predicted.marchenko_pastur()));
        pooled.push(Mutex::new(PooledSpectrum::new(config, &predicted)?));
    }
    // One trial: the unit spectrum (and dgesdd's unit singular values when they were needed),
    // scaled for each strategy into its pool and its record.
    let scale_all = |trial: u64, unit: &[f64], exact: Option<&[f64]>, scaled: &mut [f64]| -> Vec<TrialRecord> {
        let mut records = Vec::with_capacity(laws.len());
        for ((s2, law), pool) in laws.iter().zip(&pooled) {
            scaled.iter_mut().zip(unit).for_each(|(x, &u)| *x = s2 * u);
            locked(pool).add(law.as_ref(), scaled);
            let sigma = s2.sqrt();
            let exact = exact.map(|sv| sv.iter().map(|&x| sigma * x).collect());
            records.push(TrialRecord::new(trial, n, scaled, exact));
        }
        records
    };
    let per_trial: Vec<Vec<TrialRecord>> = match config.method {
        Method::Dense => {
            let layout = config.layout.resolve(k, config.trials, cores());
            run_trials(
                indices,
                layout,
                control,
                || Ok((GramSolver::new(m, n, config.singular_values)?, vec![0.0; m * n], vec![0.0; k], vec![0.0; k])),
                |(solver, z, unit, scaled), trial| {
                    fill_unit_variance(law, z, &mut trial_rng(config.seed, trial));
                    let exact = solver.compute_into(z, unit)?;
                    Ok(scale_all(trial, unit, exact.as_deref(), scaled))
                },
            )?
        }
        Method::Tridiagonal | Method::TridiagonalHistogram => run_trials(
            indices,
            ThreadsLayout::Trials,
            control,
            || Ok((LaguerreTridiagonal::new(m, n, 1.0)?, Vec::new(), vec![0.0; k], vec![0.0; k])),
            |(model, scratch, unit, scaled), trial| {
                model.sample(&mut trial_rng(config.seed, trial));
                model.eigenvalues_into(unit, scratch)?;
                Ok(scale_all(trial, unit, None, scaled))
            },
        )?,
    };
    let mut records: Vec<Vec<TrialRecord>> = strategies.iter().map(|_| Vec::with_capacity(indices.len())).collect();
    for trial_records in per_trial {
        for (s, record) in trial_records.into_iter().enumerate() {
            records[s].push(record);
        }
    }
    Ok(records.into_iter().zip(pooled).map(|(r, p)| (r, p.into_inner().unwrap_or_else(|e| e.into_inner()))).collect())
}

/// Runs the trials in `indices` of one strategy that does not share draws (orthogonal, or a
/// histogram-only run): their records in that order, and their pooled eigenvalues.
fn run_trials_of(
    config: &SpectrumConfig,
    strategy: Strategy,
    indices: &[u64],
    control: RunControl<'_>,
) -> Result<StrategyTrials> {
    let predicted = EdgePrediction::new(strategy, config.shape)?;
    let law = predicted.marchenko_pastur();
    let pooled = Mutex::new(PooledSpectrum::new(config, &predicted)?);
    let pool = |eigenvalues: &[f64]| locked(&pooled).add(law.as_ref(), eigenvalues);
    let job = Job { config, strategy, indices, control };
    let records = match config.method {
        Method::Dense => dense_trials(&job, &pool)?,
        // Gaussian strategies of a `tridiagonal` run share draws and never come here; for any
        // other strategy `histogram_trials` fails at once (no tridiagonal model exists for it).
        Method::Tridiagonal | Method::TridiagonalHistogram => histogram_trials(&job, &pooled)?,
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

/// Dense trials of a strategy that does not share draws (orthogonal).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::Shape;

    #[test]
    fn scaled_unit_spectrum_equals_the_direct_one() {
        // The direct route draws the strategy's entries (√s2 times unit-variance draws of its
        // entry law) before the Gram product; the shared route scales the unit spectrum of its
        // law's draws by s2. Both are backward stable, so they agree to a few ulps of λ_max
        // (dsyev's absolute error is O(ε·λ_max)); 64·ε·λ_max is a loose bar. Covers every entry
        // law: normal (he, arithmetic, geometric, a fixed variance, xavier-normal), uniform
        // (torch-default, glorot-uniform) and truncated normal (lecun-normal, truncated-normal:V).
        let variance = Strategy::fixed_variance(3.7).unwrap();
        let named = ["torch-default", "glorot-uniform", "xavier-normal", "lecun-normal", "truncated-normal:0.02"];
        let mut strategies = vec![Strategy::He, Strategy::Arithmetic, Strategy::Geometric, variance];
        strategies.extend(named.iter().map(|s| s.parse::<Strategy>().unwrap()));
        let laws: Vec<EntryLaw> = strategies.iter().filter_map(|s| s.entry_law()).collect();
        for law in [EntryLaw::Normal, EntryLaw::Uniform, EntryLaw::TruncatedNormal] {
            assert!(laws.contains(&law), "{law:?} is not covered");
        }
        for (m, n) in [(30, 70), (70, 30)] {
            let k = Shape::new(m, n).unwrap().min();
            let mut solver = GramSolver::new(m, n, crate::spectrum::SingularValueMethod::Gram).unwrap();
            let (mut w, mut unit, mut direct) = (vec![0.0; m * n], vec![0.0; k], vec![0.0; k]);
            for &strategy in &strategies {
                let law = strategy.entry_law().unwrap();
                fill_unit_variance(law, &mut w, &mut trial_rng(8, 2));
                solver.compute_into(&w, &mut unit).unwrap();
                let s2 = strategy.variance(m, n).unwrap();
                sample_into(strategy, m, n, &mut trial_rng(8, 2), &mut w).unwrap();
                solver.compute_into(&w, &mut direct).unwrap();
                let bar = 64.0 * f64::EPSILON * direct[k - 1];
                for (u, d) in unit.iter().zip(&direct) {
                    assert!((s2 * u - d).abs() <= bar, "{strategy} {m}×{n}: {} vs {d}", s2 * u);
                }
            }
        }
    }

    #[test]
    fn strategies_of_different_entry_laws_do_not_share_draws() {
        // A run of several laws gives every strategy exactly what a run of it alone gives (a
        // strategy grouped with another law would draw the wrong entries).
        let strategies: Vec<Strategy> = ["torch-default", "he", "glorot-uniform", "lecun-normal", "orthogonal"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let config = |strategies: Vec<Strategy>| SpectrumConfig {
            shape: Shape::new(12, 20).unwrap(),
            strategies,
            trials: 3,
            seed: 4,
            bins: 5,
            singular_values: crate::spectrum::SingularValueMethod::Auto,
            fit: crate::calibration::FitOptions { edge: false, bulk_replicates: 0, ..Default::default() },
            method: Method::Dense,
            layout: ThreadsLayout::Trials,
        };
        let all = config(strategies.clone());
        assert_eq!(steps(&all, 3), 4 * 3, "groups: uniform, normal, truncated normal, orthogonal");
        let together = run_trials_of_all(&all, &[0, 1, 2], RunControl::default()).unwrap();
        for (strategy, (records, pooled)) in strategies.into_iter().zip(together) {
            let alone = run_trials_of_all(&config(vec![strategy]), &[0, 1, 2], RunControl::default()).unwrap();
            assert_eq!(records, alone[0].0, "{strategy}");
            assert_eq!(pooled, alone[0].1, "{strategy}");
        }
    }
}
