//! The spectrum experiment behind `rmspec spectrum`: sample W for each strategy over independent
//! trials, compute the spectrum of S = W Wᵀ/n, and set it beside the prediction.
//!
//! For each strategy and trial t the matrix is drawn from [`trial_rng`]`(seed, t)`; all strategies
//! share those streams (common random numbers). Per-trial scalars (λ_min⁺, λ_max, ‖W‖, σ_min,
//! κ) are summarised as mean ± standard error over trials; the nonzero eigenvalues of all trials
//! are pooled (with the structural zeros counted) for the KS distance to Marchenko–Pastur and the
//! histogram.
//!
//! The KS distance of pooled eigenvalues is a *distance*, not an iid test: eigenvalues of one
//! matrix are strongly dependent, so the iid p-value does not apply. For Gaussian strategies the
//! run adds two honest tests (see [`calibration`](super::calibration)): the scaled λ_max over
//! trials against TW₁ (`edge_fit`, iid across matrices) and the pooled KS distance against a
//! critical value simulated at the run's (m, n, trials) (`bulk_fit`).

use crate::error::{Error, Result};
use crate::experiment::calibration::{BulkFit, BulkNull, EdgeFit, FitOptions};
use crate::experiment::run_trials;
use crate::law::SpectralLaw;
use crate::memory;
use crate::prediction::EdgePrediction;
use crate::sample::{checked_len, sample_into, trial_rng};
use crate::spectrum::{GramSolver, SingularValueMethod};
use crate::stats::{ks_distance, median, Histogram, MeanStderr, RunningMoments};
use crate::strategy::Strategy;
use serde::Serialize;

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

    /// Estimated peak bytes with `workers` threads: per worker W (twice with SVD), the Gram
    /// matrix and LAPACK workspace; kept: the pooled nonzero eigenvalues of one strategy (and
    /// their sorted copy) and the per-trial summaries.
    pub fn memory_estimate(&self, workers: usize) -> u128 {
        let (m, n) = (self.m as u128, self.n as u128);
        let k = m.min(n);
        let w_copies = if self.singular_values == SingularValueMethod::Svd { 2 } else { 1 };
        memory::estimate(&[
            (workers as u128 * w_copies * m * n, 8),
            (workers as u128 * (k * k + 4 * k + 64), 8),
            (2 * self.trials as u128 * k, 8),
            (self.trials as u128 * 8, 8),
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
    /// against the MP CDF with its atom); `null` for orthogonal, whose spectrum is a point mass.
    pub ks_distance: Option<f64>,
    /// Scaled λ_max over trials vs TW₁ (`null` for orthogonal).
    pub edge_fit: Option<EdgeFit>,
    /// Pooled KS distance vs a simulated critical value (`null` for orthogonal or when no
    /// replicates were asked for).
    pub bulk_fit: Option<BulkFit>,
    /// Histogram of the pooled nonzero eigenvalues of S; the structural zeros are in the total.
    pub histogram: Histogram,
    /// Structural zero eigenvalues pooled over trials (trials·(m − n) when m > n).
    pub zero_eigenvalues: u64,
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

struct TrialOutcome {
    eigenvalues: Vec<f64>,
    lambda_min: f64,
    lambda_max: f64,
    spectral_norm: f64,
    smallest_singular_value: f64,
    condition_number: f64,
}

/// Runs the experiment.
///
/// # Errors
/// Invalid configuration (see [`SpectrumConfig::validate`]) or a LAPACK failure.
pub fn run(config: &SpectrumConfig) -> Result<SpectrumStudy> {
    config.validate()?;
    let (m, n) = (config.m, config.n);
    let any_gaussian = config.strategies.iter().any(|s| s.ensemble() == crate::strategy::Ensemble::Gaussian);
    let null = if any_gaussian && config.fit.bulk_replicates > 0 {
        Some(BulkNull::simulate(m, n, config.trials, config.fit.bulk_replicates, config.seed)?)
    } else {
        None
    };
    let strategies = config
        .strategies
        .iter()
        .map(|&strategy| run_strategy(config, strategy, null.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(SpectrumStudy {
        m,
        n,
        gamma: m as f64 / n as f64,
        trials: config.trials,
        seed: config.seed,
        normalization: crate::NORMALIZATION,
        method: match config.singular_values {
            SingularValueMethod::Gram => "dense: dsyrk Gram + dsyevd eigenvalues; singular values √(n·λ)".into(),
            SingularValueMethod::Svd => "dense: dsyrk Gram + dsyevd eigenvalues; singular values by dgesdd".into(),
        },
        strategies,
        figures: Vec::new(),
    })
}

fn run_strategy(config: &SpectrumConfig, strategy: Strategy, null: Option<&BulkNull>) -> Result<StrategySpectrum> {
    let (m, n) = (config.m, config.n);
    let predicted = EdgePrediction::new(strategy, m, n)?;
    let outcomes = run_trials(
        config.trials,
        || Ok((GramSolver::new(m, n, config.singular_values)?, vec![0.0; m * n])),
        |(solver, w), trial| {
            sample_into(strategy, m, n, &mut trial_rng(config.seed, trial), w)?;
            let s = solver.compute(w)?;
            Ok(TrialOutcome {
                lambda_min: s.lambda_min(),
                lambda_max: s.lambda_max(),
                spectral_norm: s.spectral_norm(),
                smallest_singular_value: s.smallest_singular_value(),
                condition_number: s.condition_number(),
                eigenvalues: s.eigenvalues().to_vec(),
            })
        },
    )?;
    let column = |f: fn(&TrialOutcome) -> f64| outcomes.iter().map(f).collect::<Vec<f64>>();
    let empirical = EmpiricalEdges {
        lambda_min: Summary::of(&column(|o| o.lambda_min)),
        lambda_max: Summary::of(&column(|o| o.lambda_max)),
        spectral_norm: Summary::of(&column(|o| o.spectral_norm)),
        smallest_singular_value: Summary::of(&column(|o| o.smallest_singular_value)),
        condition_number: Summary::of(&column(|o| o.condition_number)),
    };
    let edge_fit = match predicted.source {
        crate::prediction::PredictionSource::MarchenkoPasturBaiYin => {
            Some(EdgeFit::new(m, n, predicted.variance, &column(|o| o.lambda_max))?)
        }
        crate::prediction::PredictionSource::ExactOrthogonal => None,
    };
    let zero_eigenvalues = (config.trials * m.saturating_sub(n)) as u64;
    let mut pooled: Vec<f64> = outcomes.into_iter().flat_map(|o| o.eigenvalues).collect();
    pooled.sort_by(f64::total_cmp);
    let law = predicted.marchenko_pastur(m, n);
    let ks = match &law {
        Some(law) => Some(ks_distance(&pooled, zero_eigenvalues as usize, law)?),
        None => None,
    };
    let bulk_fit = match (ks, null) {
        (Some(d), Some(null)) => Some(null.test(d, config.fit.level)?),
        _ => None,
    };
    let (lower, upper) = histogram_range(&predicted, pooled[0], pooled[pooled.len() - 1], config.bins);
    let mut histogram = Histogram::new(lower, upper, config.bins)?;
    pooled.iter().for_each(|&x| histogram.add(x));
    histogram.excluded_atom = zero_eigenvalues;
    Ok(StrategySpectrum {
        strategy: strategy.to_string(),
        variance: predicted.variance,
        predicted,
        empirical,
        ks_distance: ks,
        edge_fit,
        bulk_fit,
        histogram,
        zero_eigenvalues,
        figures: Vec::new(),
    })
}

/// A range covering both the predicted support and every observed nonzero eigenvalue, padded by
/// 3% of its width. A point mass (orthogonal) gets ±5% of its value, shifted by half a bin so
/// that the point sits in the middle of a bin rather than on an edge.
fn histogram_range(predicted: &EdgePrediction, observed_min: f64, observed_max: f64, bins: usize) -> (f64, f64) {
    let lower = predicted.mp_support.lower.min(observed_min);
    let upper = predicted.mp_support.upper.max(observed_max);
    let width = upper - lower;
    if width <= 1e-9 * upper.abs().max(f64::MIN_POSITIVE) {
        let centre = 0.5 * (lower + upper);
        let half_bin = 0.05 * centre / bins as f64;
        return (centre * 0.95 - half_bin, centre * 1.05 - half_bin);
    }
    ((lower - 0.03 * width).max(0.0), upper + 0.03 * width)
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
