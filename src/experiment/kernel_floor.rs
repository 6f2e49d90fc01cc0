//! The LAPACK floor of a spectrum run: the wall time of its eigenvalue kernels alone, used by
//! `bench/compare` (through the hidden `rmspec bench-kernels`) to report a run's overhead over
//! its kernels.

use super::spectrum::{Method, SpectrumConfig};
use crate::error::{Error, Result};
use crate::sample::{sample_into, trial_rng};
use crate::spectrum::{GramSolver, SingularValueMethod};
use crate::trials::{cores, run_trials, RunControl, ThreadsLayout};
use crate::tridiagonal::LaguerreTridiagonal;

/// The wall time of the kernels alone (dense: dsyrk + dsyev per trial; tridiagonal: the shape's
/// solver, `dsterf` on T or dqds on the bidiagonal factor, per trial) for all trials of all strategies at the layout
/// the run would use, on one matrix sampled once per worker and reused, so that sampling, pooling,
/// KS and histogram are excluded.
///
/// # Errors
/// As [`run`](super::spectrum::run); histogram-only runs have no LAPACK floor, and the tridiagonal
/// model exists for Gaussian strategies only.
pub fn kernel_floor(config: &SpectrumConfig) -> Result<std::time::Duration> {
    config.validate()?;
    let (m, n, k) = (config.shape.m(), config.shape.n(), config.shape.min());
    let strategy = config.strategies[0];
    let all: Vec<u64> = (0..(config.trials * config.strategies.len()) as u64).collect();
    let start = std::time::Instant::now();
    match config.method {
        Method::Dense => {
            run_trials(
                &all,
                config.layout.resolve(k, config.trials, cores()),
                RunControl::default(),
                || {
                    let mut w = vec![0.0; m * n];
                    sample_into(strategy, m, n, &mut trial_rng(config.seed, 0), &mut w)?;
                    Ok((GramSolver::new(m, n, SingularValueMethod::Gram)?, w, vec![0.0; k]))
                },
                |(solver, w, eigenvalues), _| solver.compute_into(w, eigenvalues).map(|_| ()),
            )?;
        }
        Method::Tridiagonal => {
            let s2 = config.tridiagonal_variance(strategy)?;
            run_trials(
                &all,
                ThreadsLayout::Trials,
                RunControl::default(),
                || {
                    let mut model = LaguerreTridiagonal::new(m, n, s2)?;
                    model.sample(&mut trial_rng(config.seed, 0));
                    Ok((model, vec![0.0; k], Vec::new()))
                },
                |(model, eigenvalues, scratch), _| model.eigenvalues_into(eigenvalues, scratch),
            )?;
        }
        Method::TridiagonalHistogram => {
            return Err(Error::invalid("method", "tridiagonal-histogram", "has no LAPACK floor"));
        }
    }
    Ok(start.elapsed())
}
