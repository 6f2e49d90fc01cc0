//! The spectrum experiment behind `rmspec spectrum`: sample W for each strategy over independent
//! trials, compute the spectrum of S = W Wᵀ/n, and set it beside the prediction.
//!
//! For each strategy and trial t the matrix is drawn from [`trial_rng`]`(seed, t)`; all strategies
//! share those streams (common random numbers). Per-trial scalars (λ_min⁺, λ_max, ‖W‖, σ_min,
//! κ) are summarised as mean ± standard error over trials; the nonzero eigenvalues of all trials
//! are pooled (with the structural zeros counted) for the KS distance to Marchenko–Pastur and the
//! histogram. Pooling means *counting* ([`PooledSpectrum`]): each trial's eigenvalues go into the
//! histogram, whose range is fixed from the prediction beforehand, and onto a quantile grid of the
//! MP law that brackets the KS distance to within 1e−6 ([`QuantileGridCounts`]), and are dropped.
//! A run's memory is then independent of its trial count but for 7 scalars per trial.
//!
//! The KS distance of pooled eigenvalues is a *distance*, not an iid test: eigenvalues of one
//! matrix are strongly dependent, so the iid p-value does not apply. For Gaussian strategies the
//! run adds two honest tests (see [`calibration`](super::calibration)): the scaled λ_max over
//! trials against TW₁ (`edge_fit`, iid across matrices) and the pooled KS distance against a
//! critical value simulated at the run's (m, n, trials) (`bulk_fit`).
//!
//! **Methods** ([`Method`]): `dense` samples W; `tridiagonal` draws the Dumitriu–Edelman model
//! ([`crate::tridiagonal`]) with the same eigenvalue law for Gaussian strategies; its
//! histogram-only variant counts eigenvalues at the bin edges by Sturm sequences and stores none.
//!
//! **Shards** ([`run_shard`], [`merge`]): every run is a list of per-trial [`TrialRecord`]s in trial
//! order plus pooled counts, reduced by one function; a shard writes the records and counts of its
//! trials, and the merge reduces the union (records in trial order, counts summed), so it
//! reproduces a single run byte for byte (docs/scale-out.md).

use crate::error::{Error, Result};
use crate::experiment::calibration::{BulkFit, BulkNull, EdgeFit, FitOptions};
use crate::experiment::{locked, run_trials, RunControl, ThreadsLayout};
use crate::law::{EdgeScaling, LowerEdge, MarchenkoPastur, SpectralLaw, Support};
use crate::memory;
use crate::prediction::EdgePrediction;
use crate::sample::{checked_len, sample_into, trial_rng};
use crate::spectrum::{GramSolver, SingularValueMethod};
use crate::stats::{median, Histogram, MeanStderr, QuantileGridCounts, RunningMoments};
use crate::strategy::{Ensemble, Strategy};
use crate::tridiagonal::{count_below, LaguerreTridiagonal};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumConfig {
    /// Rows of W (fan-in).
    pub m: usize,
    /// Columns of W (fan-out).
    pub n: usize,
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
    /// [`calibration`](super::calibration).
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
    /// The Dumitriu–Edelman tridiagonal model, eigenvalues by dqds on its bidiagonal factor
    /// (Gaussian strategies).
    Tridiagonal,
    /// The tridiagonal model, histogram by Sturm counts; no eigenvalues are stored.
    TridiagonalHistogram,
}

impl SpectrumConfig {
    /// Checks sizes and counts, and that the run fits in memory.
    ///
    /// # Errors
    /// Zero m, n, trials or bins; no strategies; an estimate above [`memory::limit_bytes`].
    pub fn validate(&self) -> Result<()> {
        for (name, value) in [("m", self.m), ("n", self.n), ("trials", self.trials), ("bins", self.bins)] {
            if value == 0 {
                return Err(Error::invalid(name, value, "must be at least 1"));
            }
        }
        if self.strategies.is_empty() {
            return Err(Error::invalid("strategy", "(none)", "at least one strategy is needed"));
        }
        self.fit.validate()?;
        checked_len(self.m, self.n)?;
        let required = self.memory_estimate(rayon::current_num_threads());
        memory::ensure_fits(
            || format!("spectrum of {} trial(s) of a {}×{} matrix", self.trials, self.m, self.n),
            required,
        )
    }

    /// Estimated peak bytes with `workers` threads. Dense: per worker W (twice when `dgesdd` may
    /// run), the Gram matrix and LAPACK workspace; tridiagonal: O(k) per worker. Kept for the
    /// run: the pooled counts of one strategy (histogram and [`KS_GRID_CELLS`] grid cells, no
    /// eigenvalues) and the per-trial scalars, 7 numbers a trial.
    pub fn memory_estimate(&self, workers: usize) -> u128 {
        let (m, n) = (self.m as u128, self.n as u128);
        let k = m.min(n);
        let workers = workers as u128;
        let per_worker = match self.method {
            Method::Dense => {
                let w_copies = if self.singular_values == SingularValueMethod::Gram { 1 } else { 2 };
                w_copies * m * n + k * k + 5 * k + 64
            }
            Method::Tridiagonal => 6 * k,
            Method::TridiagonalHistogram => 4 * k + self.bins as u128,
        };
        memory::estimate(&[
            (workers * per_worker, 8),
            (KS_GRID_CELLS as u128 + self.bins as u128, 8),
            (self.trials as u128 * 7, 8),
        ])
    }
}

/// Observed per-trial quantities, summarised over trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmpiricalEdges {
    /// λ_min⁺(S): smallest nonzero eigenvalue.
    pub lambda_min: Summary,
    /// λ_max(S).
    pub lambda_max: Summary,
    /// ‖W‖ = σ_max.
    pub spectral_norm: Summary,
    /// σ_min over the min(m, n) singular values.
    pub smallest_singular_value: Summary,
    /// κ(W) = σ_max/σ_min.
    pub condition_number: Summary,
}

/// Mean ± standard error over trials, with the median and the extremes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Mean over trials.
    pub mean: f64,
    /// Standard error of the mean (`null` for one trial).
    pub stderr: f64,
    /// Median over trials.
    pub median: f64,
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
}

impl Summary {
    fn of(values: &[f64]) -> Self {
        let MeanStderr { mean, stderr } = values.iter().copied().collect::<RunningMoments>().mean_stderr();
        Summary {
            mean,
            stderr,
            median: median(values),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// The result for one strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategySpectrum {
    /// Strategy name.
    pub strategy: String,
    /// Entry variance s2.
    pub variance: f64,
    /// Theory (see [`EdgePrediction`]).
    pub predicted: EdgePrediction,
    /// Monte Carlo over trials.
    pub empirical: EmpiricalEdges,
    /// KS distance sup|F_N − F_MP| of the pooled eigenvalues of S (structural zeros included,
    /// against the MP CDF with its atom), evaluated on the quantile grid of
    /// [`KS_GRID_CELLS`] cells: a lower bound, with the exact distance in
    /// [`ks_distance`, `ks_distance + ks_distance_resolution`]. `null` for orthogonal, whose
    /// spectrum is a point mass, and for histogram-only runs.
    pub ks_distance: Option<f64>,
    /// The width (1 − p₀)/G of the KS bracket (`null` with `ks_distance`).
    pub ks_distance_resolution: Option<f64>,
    /// Scaled λ_max over trials vs TW₁ (`null` for orthogonal, or when not asked for).
    pub edge_fit: Option<EdgeFit>,
    /// Pooled KS distance vs a simulated critical value (`null` for orthogonal or when no
    /// replicates were asked for).
    pub bulk_fit: Option<BulkFit>,
    /// Histogram-only runs: sup over the bin edges of |F_N − F_MP|, a lower bound on the KS
    /// distance at the bins' resolution (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks_distance_at_bin_edges: Option<f64>,
    /// Histogram of the pooled nonzero eigenvalues of S; the structural zeros are in the total.
    pub histogram: Histogram,
    /// Structural zero eigenvalues pooled over trials (trials·(m − n) when m > n).
    pub zero_eigenvalues: u64,
    /// Dense runs: trials whose singular values came from `dgesdd` (all with
    /// `--exact-singular-values`; with the default, those whose κ̂ exceeded 1e5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svd_fallback_trials: Option<u64>,
    /// Figures written for this strategy (filled in by the caller that renders them).
    pub figures: Vec<String>,
}

/// The whole experiment's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpectrumStudy {
    /// Rows m (fan-in).
    pub m: usize,
    /// Columns n (fan-out).
    pub n: usize,
    /// γ = m/n.
    pub gamma: f64,
    /// Trials per strategy.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
    /// The normalisation convention.
    pub normalization: &'static str,
    /// How the spectra were computed.
    pub method: String,
    /// One entry per strategy, in the order asked.
    pub strategies: Vec<StrategySpectrum>,
    /// Figures spanning all strategies (filled in by the caller that renders them).
    pub figures: Vec<String>,
}

/// One trial's scalars: with the pooled counts ([`PooledSpectrum`]), the unit that runs, shards
/// and merges exchange. A merge of shards reproduces a single run bit for bit because records are
/// reduced in trial order and counts add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// Trial index t (the RNG stream).
    pub trial: u64,
    /// λ_min⁺(S).
    pub lambda_min: f64,
    /// λ_max(S).
    pub lambda_max: f64,
    /// ‖W‖.
    pub spectral_norm: f64,
    /// σ_min(W).
    pub smallest_singular_value: f64,
    /// κ(W).
    pub condition_number: f64,
    /// Whether singular values came from `dgesdd` (the automatic fallback or `--exact-singular-values`).
    pub exact_singular_values: bool,
}

/// Cells G of the quantile grid behind the pooled KS distance
/// ([`QuantileGridCounts`]): the reported distance is within (1 − p₀)/G ≤ 9.6e−7 of the exact
/// statistic, for 8 MiB of counts however many trials run.
pub const KS_GRID_CELLS: usize = 1 << 20;

/// The pooled nonzero eigenvalues of one strategy, accumulated as trials finish, in memory
/// independent of the number of trials: the histogram (its range fixed from the prediction before
/// any trial runs) and, for Gaussian strategies, the quantile-grid counts behind the KS distance
/// to Marchenko–Pastur. Counts add, so neither the order trials finish in nor a split into shards
/// changes them. Structural zeros are added once, by the reduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledSpectrum {
    /// Histogram of the nonzero eigenvalues of S.
    pub histogram: Histogram,
    /// Counts on the Marchenko–Pastur quantile grid (absent for orthogonal strategies, whose
    /// spectrum is a point mass, and for histogram-only runs).
    pub ks_grid: Option<QuantileGridCounts>,
}

impl PooledSpectrum {
    /// Empty counts for `config`'s run: the histogram on the range fixed from the prediction, and
    /// the quantile grid when the run keeps one (Gaussian strategies, not histogram-only).
    pub(crate) fn new(config: &SpectrumConfig, predicted: &EdgePrediction) -> Result<Self> {
        let (lower, upper) = histogram_range(predicted, config.m, config.n, config.bins)?;
        let with_grid =
            predicted.marchenko_pastur(config.m, config.n).is_some() && config.method != Method::TridiagonalHistogram;
        Ok(PooledSpectrum {
            histogram: Histogram::new(lower, upper, config.bins)?,
            ks_grid: if with_grid { Some(QuantileGridCounts::new(KS_GRID_CELLS)?) } else { None },
        })
    }

    /// Adds one trial's nonzero eigenvalues.
    fn add(&mut self, law: Option<&MarchenkoPastur>, eigenvalues: &[f64]) {
        for &x in eigenvalues {
            self.histogram.add(x);
        }
        if let (Some(grid), Some(law)) = (self.ks_grid.as_mut(), law) {
            grid.add_all(law, eigenvalues);
        }
    }

    fn merge(&mut self, other: &PooledSpectrum) -> Result<()> {
        self.histogram.merge(&other.histogram)?;
        match (self.ks_grid.as_mut(), &other.ks_grid) {
            (Some(a), Some(b)) => a.merge(b),
            (None, None) => Ok(()),
            _ => Err(Error::Mismatch("one partial has KS grid counts and the other has none".into())),
        }
    }
}

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
/// As [`run`], and [`Error::Interrupted`] when cancelled.
pub fn run_with(config: &SpectrumConfig, control: RunControl<'_>) -> Result<SpectrumStudy> {
    config.validate()?;
    let all: Vec<u64> = (0..config.trials as u64).collect();
    let null = bulk_null(config)?;
    let mut strategies = Vec::with_capacity(config.strategies.len());
    for &strategy in &config.strategies {
        let (records, pooled) = run_trials_of(config, strategy, &all, control)?;
        strategies.push(reduce(config, strategy, records, pooled, null.as_ref())?);
    }
    Ok(study(config, strategies))
}

fn study(config: &SpectrumConfig, strategies: Vec<StrategySpectrum>) -> SpectrumStudy {
    let (m, n) = (config.m, config.n);
    SpectrumStudy {
        m,
        n,
        gamma: m as f64 / n as f64,
        trials: config.trials,
        seed: config.seed,
        normalization: crate::NORMALIZATION,
        method: config.method_description(),
        strategies,
        figures: Vec::new(),
    }
}

/// Runs the trials in `indices` of `strategy`: their records in that order, and their pooled
/// eigenvalues.
fn run_trials_of(
    config: &SpectrumConfig,
    strategy: Strategy,
    indices: &[u64],
    control: RunControl<'_>,
) -> Result<(Vec<TrialRecord>, PooledSpectrum)> {
    let (m, n, k) = (config.m, config.n, config.m.min(config.n));
    let predicted = EdgePrediction::new(strategy, m, n)?;
    let law = predicted.marchenko_pastur(m, n);
    let pooled = Mutex::new(PooledSpectrum::new(config, &predicted)?);
    let pool = |eigenvalues: &[f64]| locked(&pooled).add(law.as_ref(), eigenvalues);
    // Resolved from the whole run's trial count, so that every shard picks the layout a single
    // run would (the layout can change the last bits; see `ThreadsLayout`).
    let layout = config.layout.resolve(k, config.trials, super::cores());
    let records = match config.method {
        Method::Dense => run_trials(
            indices,
            layout,
            control,
            || Ok((GramSolver::new(m, n, config.singular_values)?, vec![0.0; m * n], vec![0.0; k])),
            |(solver, w, eigenvalues), trial| {
                sample_into(strategy, m, n, &mut trial_rng(config.seed, trial), w)?;
                let exact = solver.compute_into(w, eigenvalues)?;
                pool(eigenvalues);
                Ok(record(trial, n, eigenvalues, exact))
            },
        )?,
        Method::Tridiagonal => {
            let s2 = gaussian_variance(strategy, m, n)?;
            run_trials(
                indices,
                ThreadsLayout::Trials,
                control,
                || Ok((LaguerreTridiagonal::new(m, n, s2)?, Vec::new(), vec![0.0; k])),
                |(model, scratch, eigenvalues), trial| {
                    model.sample(&mut trial_rng(config.seed, trial));
                    model.eigenvalues_into(eigenvalues, scratch)?;
                    pool(eigenvalues);
                    Ok(record(trial, n, eigenvalues, None))
                },
            )?
        }
        Method::TridiagonalHistogram => {
            // No eigenvalues are computed: the extremes by bisection, and the counts below every
            // bin edge by Sturm sequences (in parallel over edges), O(k·(bins + 2·60)) per trial.
            use rayon::prelude::*;
            let s2 = gaussian_variance(strategy, m, n)?;
            let edges = locked(&pooled).histogram.edges();
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
                    locked(&pooled).histogram.add_counts_below_edges(&below_edge, k as u64)?;
                    Ok(record(trial, n, &[lambda_min, lambda_max], None))
                },
            )?
        }
    };
    Ok((records, pooled.into_inner().unwrap_or_else(|p| p.into_inner())))
}

/// A trial's record from its ascending eigenvalues (at least the two extremes) and, when
/// `dgesdd` ran, its singular values.
fn record(trial: u64, n: usize, eigenvalues: &[f64], exact: Option<Vec<f64>>) -> TrialRecord {
    let (lambda_min, lambda_max) = (eigenvalues[0], eigenvalues[eigenvalues.len() - 1]);
    let (smallest, largest) = match &exact {
        Some(s) => (s[0], s[s.len() - 1]),
        None => ((n as f64 * lambda_min.max(0.0)).sqrt(), (n as f64 * lambda_max).sqrt()),
    };
    TrialRecord {
        trial,
        lambda_min,
        lambda_max,
        spectral_norm: largest,
        smallest_singular_value: smallest,
        condition_number: largest / smallest,
        exact_singular_values: exact.is_some(),
    }
}

fn gaussian_variance(strategy: Strategy, m: usize, n: usize) -> Result<f64> {
    if strategy.ensemble() != Ensemble::Gaussian {
        return Err(Error::invalid(
            "method",
            format!("tridiagonal with strategy {strategy}"),
            "the tridiagonal model exists for Gaussian strategies only; use --method dense",
        ));
    }
    strategy.variance(m, n)
}

fn summaries(records: &[TrialRecord]) -> EmpiricalEdges {
    let column = |f: fn(&TrialRecord) -> f64| records.iter().map(f).collect::<Vec<f64>>();
    EmpiricalEdges {
        lambda_min: Summary::of(&column(|o| o.lambda_min)),
        lambda_max: Summary::of(&column(|o| o.lambda_max)),
        spectral_norm: Summary::of(&column(|o| o.spectral_norm)),
        smallest_singular_value: Summary::of(&column(|o| o.smallest_singular_value)),
        condition_number: Summary::of(&column(|o| o.condition_number)),
    }
}

/// The bulk-fit null distribution for a run: simulated once per run (it does not depend on the
/// variance, so all Gaussian strategies share it), from the run's own configuration, so that a
/// merge of shards computes the same one.
fn bulk_null(config: &SpectrumConfig) -> Result<Option<BulkNull>> {
    let any_gaussian = config.strategies.iter().any(|s| s.ensemble() == Ensemble::Gaussian);
    if any_gaussian && config.fit.bulk_replicates > 0 && config.method != Method::TridiagonalHistogram {
        Ok(Some(BulkNull::simulate(config.m, config.n, config.trials, config.fit.bulk_replicates, config.seed)?))
    } else {
        Ok(None)
    }
}

/// λ_max of every trial against TW₁ after the finite-size edge scaling (Gaussian strategies).
fn edge_fit(config: &SpectrumConfig, predicted: &EdgePrediction, lambda_max: &[f64]) -> Result<Option<EdgeFit>> {
    let (m, n) = (config.m, config.n);
    if !config.fit.edge {
        return Ok(None);
    }
    match predicted.source {
        crate::prediction::PredictionSource::MarchenkoPasturBaiYin => {
            Ok(Some(EdgeFit::new(m, n, predicted.variance, lambda_max)?))
        }
        crate::prediction::PredictionSource::ExactOrthogonal => Ok(None),
    }
}

/// Reduces the records of all trials (in trial order) and their pooled counts to the strategy's
/// result. Runs and merges both end here, which is what makes a merge byte-identical to a single
/// run.
fn reduce(
    config: &SpectrumConfig,
    strategy: Strategy,
    records: Vec<TrialRecord>,
    pooled: PooledSpectrum,
    null: Option<&BulkNull>,
) -> Result<StrategySpectrum> {
    let (m, n) = (config.m, config.n);
    let predicted = EdgePrediction::new(strategy, m, n)?;
    let lambda_max: Vec<f64> = records.iter().map(|r| r.lambda_max).collect();
    let edge_fit = edge_fit(config, &predicted, &lambda_max)?;
    let svd_fallback_trials = records.iter().filter(|r| r.exact_singular_values).count() as u64;
    let zero_eigenvalues = (config.trials * m.saturating_sub(n)) as u64;
    let PooledSpectrum { mut histogram, ks_grid } = pooled;
    histogram.excluded_atom = zero_eigenvalues;
    let law = predicted.marchenko_pastur(m, n);
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
    // Histogram-only runs: sup over the bin edges of |F_N − F_MP| (F_N with the structural
    // zeros), a lower bound on the KS distance at the bins' resolution.
    let ks_at_edges = match (config.method, &law) {
        (Method::TridiagonalHistogram, Some(law)) => {
            let total = histogram.total() as f64;
            let mut below = histogram.below + zero_eigenvalues;
            let mut distance: f64 = 0.0;
            for (edge, count) in histogram.edges().into_iter().zip(histogram.counts.iter().chain([&0])) {
                distance = distance.max((below as f64 / total - law.cdf(edge)).abs());
                below += count;
            }
            Some(distance)
        }
        _ => None,
    };
    Ok(StrategySpectrum {
        strategy: strategy.to_string(),
        variance: predicted.variance,
        predicted,
        empirical: summaries(&records),
        ks_distance: ks,
        ks_distance_resolution: resolution,
        edge_fit,
        bulk_fit,
        ks_distance_at_bin_edges: ks_at_edges,
        histogram,
        zero_eigenvalues,
        svd_fallback_trials: if config.method == Method::Dense { Some(svd_fallback_trials) } else { None },
        figures: Vec::new(),
    })
}

/// Which trials a shard runs: shard K of N (1-based K) takes the trials t with t mod N = K − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K, 1-based.
    pub index: usize,
    /// N, the number of shards.
    pub count: usize,
}

impl Shard {
    /// The trial indices of this shard among `trials`, ascending.
    pub fn trials(&self, trials: usize) -> Vec<u64> {
        (0..trials as u64).filter(|t| t % self.count as u64 == (self.index - 1) as u64).collect()
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    /// Parses `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("shard", format!("'{s}'"), "must be K/N with 1 ≤ K ≤ N");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The identity of a run: partial results merge only when these agree exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// rmspec's version (partials from different versions are refused).
    pub version: String,
    /// Rows m.
    pub m: usize,
    /// Columns n.
    pub n: usize,
    /// Strategies, canonical names, in output order.
    pub strategies: Vec<String>,
    /// Total trials of the whole run.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
    /// Histogram bins.
    pub bins: usize,
    /// Method.
    pub method: Method,
    /// How singular values are computed.
    pub singular_values: SingularValueMethod,
    /// Goodness-of-fit options (the bulk test's level and replicates).
    pub fit: FitOptions,
}

/// What `rmspec spectrum --shard K/N` writes: the run's identity and, per strategy, the
/// per-trial records of this shard's trials and their pooled counts (f64 values round-trip
/// exactly through JSON; the KS grid is stored sparsely).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialSpectrum {
    /// Always `rmspec-partial-spectrum`.
    pub format: String,
    /// The run this partial belongs to.
    pub run: RunIdentity,
    /// Which shard this is.
    pub shard: Shard,
    /// Per strategy (in `run.strategies` order), this shard's records in trial order.
    pub records: Vec<Vec<TrialRecord>>,
    /// Per strategy, this shard's pooled eigenvalue counts.
    pub pooled: Vec<PooledSpectrum>,
}

pub(crate) const PARTIAL_FORMAT: &str = "rmspec-partial-spectrum";

impl RunIdentity {
    /// The configuration of the run this identity names (the inverse of what a shard records;
    /// the threads layout, which a partial does not record, is `auto`).
    ///
    /// # Errors
    /// A strategy name this rmspec does not know.
    pub fn config(&self) -> Result<SpectrumConfig> {
        Ok(SpectrumConfig {
            m: self.m,
            n: self.n,
            strategies: self.strategies.iter().map(|s| s.parse()).collect::<Result<Vec<Strategy>>>()?,
            trials: self.trials,
            seed: self.seed,
            bins: self.bins,
            singular_values: self.singular_values,
            method: self.method,
            layout: ThreadsLayout::Auto,
            fit: self.fit,
        })
    }
}

impl SpectrumConfig {
    fn identity(&self) -> RunIdentity {
        RunIdentity {
            version: env!("CARGO_PKG_VERSION").to_string(),
            m: self.m,
            n: self.n,
            strategies: self.strategies.iter().map(|s| s.to_string()).collect(),
            trials: self.trials,
            seed: self.seed,
            bins: self.bins,
            method: self.method,
            singular_values: self.singular_values,
            fit: self.fit,
        }
    }

    /// What the JSON `method` field says.
    fn method_description(&self) -> String {
        let svd = match self.singular_values {
            SingularValueMethod::Gram => "singular values √(n·λ)",
            SingularValueMethod::Svd => "singular values by dgesdd",
            SingularValueMethod::Auto => "singular values √(n·λ), by dgesdd when κ̂ > 1e5",
        };
        match self.method {
            Method::Dense => format!("dense: dsyrk Gram + dsyev eigenvalues; {svd}"),
            Method::Tridiagonal => {
                "tridiagonal: Dumitriu–Edelman β=1 Laguerre model, eigenvalues by dqds (dbdsqr) on its bidiagonal factor; singular values √(n·λ)".into()
            }
            Method::TridiagonalHistogram => {
                "tridiagonal-histogram: Dumitriu–Edelman β=1 Laguerre model, Sturm counts at the bin edges, extremes by bisection; singular values √(n·λ)".into()
            }
        }
    }
}

/// Runs shard `shard` of the experiment.
///
/// # Errors
/// As [`run`].
pub fn run_shard(config: &SpectrumConfig, shard: Shard, control: RunControl<'_>) -> Result<PartialSpectrum> {
    config.validate()?;
    let indices = shard.trials(config.trials);
    let (records, pooled) = config
        .strategies
        .iter()
        .map(|&strategy| run_trials_of(config, strategy, &indices, control))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    Ok(PartialSpectrum { format: PARTIAL_FORMAT.into(), run: config.identity(), shard, records, pooled })
}

/// Combines partial results into exactly the result a single run would produce.
///
/// # Errors
/// [`Error::Mismatch`] naming the first disagreement: partials from different runs (m, n, seed,
/// strategies, trials, bins, method, version), different shard counts, a missing or repeated
/// shard or trial.
pub fn merge(parts: &[PartialSpectrum]) -> Result<SpectrumStudy> {
    let first = parts.first().ok_or_else(|| Error::Mismatch("no partial results to merge".into()))?;
    for (i, part) in parts.iter().enumerate() {
        if part.format != PARTIAL_FORMAT {
            return Err(Error::Mismatch(format!(
                "part {} is not an rmspec partial result (format '{}')",
                i + 1,
                part.format
            )));
        }
        if part.run != first.run {
            return Err(Error::Mismatch(format!(
                "part {} belongs to a different run: {} (part 1: {})",
                i + 1,
                describe_difference(&part.run, &first.run),
                describe_difference(&first.run, &part.run)
            )));
        }
        if part.shard.count != first.shard.count {
            return Err(Error::Mismatch(format!(
                "part {} is shard {}/{}, part 1 is {}/{}: shard counts differ",
                i + 1,
                part.shard.index,
                part.shard.count,
                first.shard.index,
                first.shard.count
            )));
        }
        if part.records.len() != first.run.strategies.len() || part.pooled.len() != first.run.strategies.len() {
            return Err(Error::Mismatch(format!(
                "part {} has records for {} and counts for {} strategies, expected {}",
                i + 1,
                part.records.len(),
                part.pooled.len(),
                first.run.strategies.len()
            )));
        }
    }
    let run = &first.run;
    let mut seen = vec![false; first.shard.count];
    for part in parts {
        if std::mem::replace(&mut seen[part.shard.index - 1], true) {
            return Err(Error::Mismatch(format!("shard {}/{} is given twice", part.shard.index, part.shard.count)));
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(Error::Mismatch(format!("shard {}/{} is missing", missing + 1, first.shard.count)));
    }
    let config = run.config()?;
    let null = bulk_null(&config)?;
    let mut results = Vec::with_capacity(config.strategies.len());
    for (s, &strategy) in config.strategies.iter().enumerate() {
        let mut records: Vec<TrialRecord> = parts.iter().flat_map(|p| p.records[s].iter().cloned()).collect();
        records.sort_by_key(|r| r.trial);
        if records.len() != run.trials || records.iter().enumerate().any(|(i, r)| r.trial != i as u64) {
            return Err(Error::Mismatch(format!(
                "the parts hold {} trial records for {strategy}, not trials 0..{} exactly once",
                records.len(),
                run.trials
            )));
        }
        let mut pooled = first.pooled[s].clone();
        for part in &parts[1..] {
            pooled.merge(&part.pooled[s])?;
        }
        results.push(reduce(&config, strategy, records, pooled, null.as_ref())?);
    }
    Ok(study(&config, results))
}

pub(crate) fn describe_difference(a: &RunIdentity, b: &RunIdentity) -> String {
    let fields: [(&str, String, String); 11] = [
        ("version", a.version.clone(), b.version.clone()),
        ("m", a.m.to_string(), b.m.to_string()),
        ("n", a.n.to_string(), b.n.to_string()),
        ("strategies", a.strategies.join(","), b.strategies.join(",")),
        ("trials", a.trials.to_string(), b.trials.to_string()),
        ("seed", a.seed.to_string(), b.seed.to_string()),
        ("bins", a.bins.to_string(), b.bins.to_string()),
        ("method", format!("{:?}", a.method), format!("{:?}", b.method)),
        ("singular values", format!("{:?}", a.singular_values), format!("{:?}", b.singular_values)),
        ("level", a.fit.level.to_string(), b.fit.level.to_string()),
        ("bulk replicates", a.fit.bulk_replicates.to_string(), b.fit.bulk_replicates.to_string()),
    ];
    fields.iter().filter(|(_, x, y)| x != y).map(|(name, x, _)| format!("{name} = {x}")).collect::<Vec<_>>().join(", ")
}

/// The histogram's range, fixed from the prediction before any trial runs, so that trials are
/// binned as they finish in memory independent of their number. Gaussian strategies: the
/// Marchenko–Pastur support padded by 3% of its width, and widened where needed to cover the
/// finite-size edge fluctuations out to 8 Tracy–Widom scale units at each soft edge (TW₁ exceeds 8
/// with probability ≈ 3e−7 per matrix; see [`crate::law::edge_scaling`]); never below 0. Values
/// outside are counted in the histogram's `below` and `above`. A point mass (orthogonal) gets ±5%
/// of its value, shifted by half a bin so that the point sits in the middle of a bin.
///
/// # Errors
/// Zero sizes.
fn histogram_range(predicted: &EdgePrediction, m: usize, n: usize, bins: usize) -> Result<(f64, f64)> {
    const TAIL: f64 = 8.0;
    let Support { lower, upper } = predicted.mp_support;
    let width = upper - lower;
    if width <= 1e-9 * upper.abs().max(f64::MIN_POSITIVE) {
        let centre = 0.5 * (lower + upper);
        let half_bin = 0.05 * centre / bins as f64;
        return Ok((centre * 0.95 - half_bin, centre * 1.05 - half_bin));
    }
    let scaling = EdgeScaling::new(m, n)?;
    let s2 = predicted.variance;
    let upper_tail = scaling.lambda_max_at(TAIL, s2);
    let lower_tail = match scaling.lower_edge() {
        LowerEdge::Soft { tau, nu } => s2 * (tau - nu * TAIL).exp() / n as f64,
        LowerEdge::Hard { .. } => 0.0,
    };
    Ok((((lower - 0.03 * width).min(lower_tail)).max(0.0), (upper + 0.03 * width).max(upper_tail)))
}

/// Evaluates the Marchenko–Pastur density on `points` equally spaced abscissae across `law`'s
/// support (ends included), for overlay curves.
pub fn density_curve<L: SpectralLaw>(law: &L, points: usize) -> Vec<(f64, f64)> {
    let support = law.support();
    (0..points)
        .map(|i| {
            let x = support.lower + support.width() * i as f64 / (points - 1).max(1) as f64;
            (x, law.density(x))
        })
        .collect()
}

/// The LAPACK floor of a run: wall time of the kernels alone (dense: dsyrk + dsyev per trial;
/// tridiagonal: dsterf per trial) at the layout the run would use, on one matrix sampled once per
/// worker and reused, so that sampling, pooling, KS and histogram are excluded. Used by
/// `bench/compare` to report a run's overhead over its kernels.
///
/// # Errors
/// As [`run`]; histogram-only runs have no LAPACK floor.
pub fn kernel_floor(config: &SpectrumConfig) -> Result<std::time::Duration> {
    config.validate()?;
    let (m, n) = (config.m, config.n);
    let strategy = config.strategies[0];
    let all: Vec<u64> = (0..(config.trials * config.strategies.len()) as u64).collect();
    let layout = config.layout.resolve(m.min(n), config.trials, super::cores());
    let start = std::time::Instant::now();
    match config.method {
        Method::Dense => {
            run_trials(
                &all,
                layout,
                RunControl::default(),
                || {
                    let mut w = vec![0.0; m * n];
                    sample_into(strategy, m, n, &mut trial_rng(config.seed, 0), &mut w)?;
                    Ok((GramSolver::new(m, n, SingularValueMethod::Gram)?, w, vec![0.0; m.min(n)]))
                },
                |(solver, w, eigenvalues), _| solver.compute_into(w, eigenvalues).map(|_| ()),
            )?;
        }
        Method::Tridiagonal => {
            let s2 = gaussian_variance(strategy, m, n)?;
            run_trials(
                &all,
                ThreadsLayout::Trials,
                RunControl::default(),
                || {
                    let mut model = LaguerreTridiagonal::new(m, n, s2)?;
                    model.sample(&mut trial_rng(config.seed, 0));
                    Ok((model, vec![0.0; m.min(n)], Vec::new()))
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
