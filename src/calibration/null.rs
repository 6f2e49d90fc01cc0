//! The simulated null distribution of the bulk statistic (see the [module docs](super)).
//!
//! # Why the tridiagonal simulation is exact
//!
//! The bulk statistic is a function of the eigenvalues of S = W Wᵀ/n alone (the KS distance of
//! their empirical law, structural zeros included, to MP(γ, s2)). For W with iid N(0, 1)
//! entries, the k = min(m, n) nonzero eigenvalues of S have the same joint law as the
//! eigenvalues of (1/n)·B Bᵀ, B the k×k bidiagonal matrix of independent χ variables of the
//! β = 1 Laguerre model (Dumitriu and Edelman 2002, Theorem 3.4; [`crate::tridiagonal`]). A
//! replicate statistic computed from the model therefore has *exactly* the law of one computed
//! from dense Gaussian matrices: the null is the same distribution, drawn for O(k²) per matrix
//! (LAPACK's root-free QR `dsterf` on T = B Bᵀ/n) instead of O(k²·max(m, n)) (a Gram product and
//! a dense eigensolver). Only rounding differs (both routes err by O(ε·λ_max)), far below the
//! resolution of a KS distance. `dsterf` rather than dqds on B (which the `tridiagonal` method of
//! `spectrum` keeps, for the relative accuracy of σ_min) because the statistic needs no relative
//! accuracy and `dsterf` was measured 14% faster at k = 512 and 23% at k = 64 on the same matrices
//! (`cargo run --release --example tridiagonal_floor`, docs/performance.md). `tests/calibration.rs` checks that the two simulations give
//! critical values that agree within their Monte Carlo error.
//!
//! # Other entry laws
//!
//! The tridiagonal model holds for Gaussian entries only. For the uniform and truncated-normal
//! entries of framework initialisers ([`EntryLaw`]) the bulk statistic's finite-size law differs
//! at order 1/n (the order of D itself), and no such model exists: their nulls are simulated by
//! dense sampling (unit-variance m×n matrices of the law, Gram eigenvalues by LAPACK), at the cost
//! of a run's trials.
//!
//! Replicate r's matrix t draws from [`trial_rng`]`(seed ⊕ CALIBRATION_SALT, r·T + t)` (T the
//! matrices per replicate): a stream per (seed, replicate, matrix), so replicates can run in
//! parallel, in any order, or on different shards, and give the same values.
//!
//! References:
//! [^de]: I. Dumitriu and A. Edelman, "Matrix models for beta ensembles", *J. Math. Phys.* 43
//!   (2002), 5830–5847.

use super::CALIBRATION_SALT;
use crate::error::{Error, Result};
use crate::initializer::EntryLaw;
use crate::law::MarchenkoPastur;
use crate::sample::{fill_unit_variance, trial_rng};
use crate::shape::Shape;
use crate::spectrum::{GramSolver, SingularValueMethod};
use crate::stats::{ks_distance, QuantileGridCounts, KS_GRID_CELLS};
use crate::trials::{run_trials, RunControl, ThreadsLayout};
use crate::tridiagonal::LaguerreTridiagonal;
use serde::{Deserialize, Serialize};

/// How a replicate's KS distance is evaluated: as the run being tested evaluates its own, so
/// that observed and replicate statistics are the same function of their samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NullStatistic {
    /// The lower end of the [`KS_GRID_CELLS`]-cell quantile-grid bracket of the pooled
    /// eigenvalues ([`QuantileGridCounts::ks_distance_bounds`]): what `spectrum` reports.
    PooledGrid,
    /// The exact KS distance of the sorted eigenvalues ([`ks_distance`]): what
    /// [`crate::check`] computes for its one matrix.
    Exact,
}

/// Everything that determines a simulated null: the key of the caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NullKey {
    /// Rows m.
    pub m: usize,
    /// Columns n.
    pub n: usize,
    /// Matrices pooled per replicate (T).
    pub trials: usize,
    /// Replicates R.
    pub replicates: usize,
    /// The run's seed (streams keyed by seed ⊕ [`CALIBRATION_SALT`]).
    pub seed: u64,
    /// The law of the matrices' entries (at unit variance).
    pub entry_law: EntryLaw,
    /// How each replicate's statistic is evaluated.
    pub statistic: NullStatistic,
}

impl NullKey {
    /// Validates the counts and the shape.
    ///
    /// # Errors
    /// Zero sizes, trials or replicates.
    pub fn new(
        shape: Shape,
        trials: usize,
        replicates: usize,
        seed: u64,
        entry_law: EntryLaw,
        statistic: NullStatistic,
    ) -> Result<Self> {
        if trials == 0 {
            return Err(Error::invalid("trials", trials, "must be at least 1"));
        }
        if replicates == 0 {
            return Err(Error::invalid("replicates", replicates, "must be at least 1"));
        }
        Ok(NullKey { m: shape.m(), n: shape.n(), trials, replicates, seed, entry_law, statistic })
    }

    /// The statistics of the replicates in `indices` (each < R), in that order, computed in
    /// parallel; `control` is told of each finished replicate and can cancel.
    ///
    /// # Errors
    /// A LAPACK failure, or [`Error::Interrupted`].
    pub fn replicate_statistics(&self, indices: &[u64], control: RunControl<'_>) -> Result<Vec<f64>> {
        let shape = Shape::new(self.m, self.n)?;
        let law = MarchenkoPastur::for_shape(shape, 1.0)?;
        let (k, trials) = (shape.min(), self.trials);
        let zeros = trials * shape.zero_eigenvalues();
        let key = self.seed ^ CALIBRATION_SALT;
        let statistic = self.statistic;
        run_trials(
            indices,
            ThreadsLayout::Trials,
            control,
            || Ok((Sampler::new(self.m, self.n, self.entry_law)?, vec![0.0; k])),
            |(sampler, eigenvalues), r| {
                let mut grid = match statistic {
                    NullStatistic::PooledGrid => Some(QuantileGridCounts::new(KS_GRID_CELLS)?),
                    NullStatistic::Exact => None,
                };
                let mut exact = None;
                for t in 0..trials as u64 {
                    // A replicate draws T matrices: a stop request is honoured between them, not
                    // only between replicates (T can be 10⁵ in a sharded run).
                    if control.cancelled() {
                        return Err(Error::Interrupted);
                    }
                    sampler.eigenvalues_into(&mut trial_rng(key, r * trials as u64 + t), eigenvalues)?;
                    match &mut grid {
                        Some(grid) => grid.add_all(&law, eigenvalues),
                        // One matrix (the only case `check` needs): exact, eigenvalues ascending.
                        None if trials == 1 => exact = Some(ks_distance(eigenvalues, zeros, &law)?),
                        None => return Err(Error::invalid("trials", trials, "the exact statistic is for one matrix")),
                    }
                }
                match grid {
                    Some(mut grid) => {
                        grid.add_zeros(zeros as u64);
                        Ok(grid.ks_distance_bounds(&law)?.0)
                    }
                    None => Ok(exact.expect("one matrix was drawn")),
                }
            },
        )
    }
}

/// One worker's way of drawing the nonzero eigenvalues of S = W Wᵀ/n for unit-variance entries:
/// the tridiagonal model for Gaussian entries (exact, see the [module docs](self)), dense
/// sampling for the other laws.
enum Sampler {
    Tridiagonal { model: LaguerreTridiagonal, scratch: Vec<f64> },
    Dense { solver: GramSolver, law: EntryLaw, w: Vec<f64> },
}

impl Sampler {
    fn new(m: usize, n: usize, law: EntryLaw) -> Result<Self> {
        Ok(match law {
            EntryLaw::Normal => {
                Sampler::Tridiagonal { model: LaguerreTridiagonal::new(m, n, 1.0)?, scratch: Vec::new() }
            }
            law => {
                Sampler::Dense { solver: GramSolver::new(m, n, SingularValueMethod::Gram)?, law, w: vec![0.0; m * n] }
            }
        })
    }

    /// Draws one matrix from `rng` and writes its k nonzero eigenvalues, ascending.
    fn eigenvalues_into(&mut self, rng: &mut impl rand::Rng, eigenvalues: &mut [f64]) -> Result<()> {
        match self {
            Sampler::Tridiagonal { model, scratch } => {
                model.sample(rng);
                model.eigenvalues_by_dsterf(eigenvalues, scratch)
            }
            Sampler::Dense { solver, law, w } => {
                fill_unit_variance(*law, w, rng);
                solver.compute_into(w, eigenvalues)?;
                eigenvalues.sort_by(f64::total_cmp);
                Ok(())
            }
        }
    }
}
