//! What a spectrum run returns: per-trial [`TrialRecord`]s, reduced to one [`StrategySpectrum`]
//! per strategy inside a [`SpectrumStudy`]. Result types hold numbers and types only; their JSON
//! and text forms are rendered by [`crate::output::spectrum`], which also attaches the paths of
//! the figures written for them.

use super::config::MethodDescription;
use crate::calibration::{BulkFit, EdgeFit};
use crate::prediction::EdgePrediction;
use crate::shape::Shape;
use crate::stats::{median, quantile_of_sorted, Histogram, MeanStderr, RunningMoments};
use crate::strategy::Strategy;
use serde::{Deserialize, Serialize};

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
    /// κ(W) = σ_max/σ_min; for a Gaussian W with |m − n| ≤ 1 its standard error, and at m = n
    /// its mean, are omitted ([`KAPPA_MEAN_INFINITE`], [`KAPPA_VARIANCE_INFINITE`]).
    pub condition_number: Summary,
}

/// Why κ(W)'s mean is omitted for a square Gaussian W.
///
/// For a real Gaussian m×n matrix with d = |m − n|, the density of σ_min near 0 is of order
/// σ_min^d, so E κᵖ is finite only for p < d + 1 (Edelman 1988[^1]: E log κ is finite, E κ is
/// not, at m = n). At m = n the sample mean of κ does not converge and its standard error
/// measures nothing; at |m − n| = 1 the mean exists but the variance does not.
///
/// [^1]: A. Edelman, "Eigenvalues and condition numbers of random matrices", *SIAM J. Matrix
///     Anal. Appl.* 9(4), 543–560 (1988).
pub const KAPPA_MEAN_INFINITE: &str =
    "E κ(W) is infinite for a square Gaussian W (Edelman 1988): mean and standard error omitted, see the median, quartiles, min and max";

/// Why κ(W)'s standard error is omitted when |m − n| = 1 (see [`KAPPA_MEAN_INFINITE`]).
pub const KAPPA_VARIANCE_INFINITE: &str =
    "Var κ(W) is infinite for a Gaussian W with |m − n| = 1 (Edelman 1988): standard error omitted, see the median, quartiles, min and max";

impl EmpiricalEdges {
    /// The summaries of the records of all trials, in trial order; `heavy_tail` is d = |m − n|
    /// when W is Gaussian (κ's moments of order d + 1 and above are infinite), else `None`.
    pub(super) fn of(records: &[TrialRecord], heavy_tail: Option<usize>) -> Self {
        let column = |f: fn(&TrialRecord) -> f64| records.iter().map(f).collect::<Vec<f64>>();
        let mut condition_number = Summary::of(&column(|o| o.condition_number));
        match heavy_tail {
            Some(0) => condition_number.omit(true, KAPPA_MEAN_INFINITE),
            Some(1) => condition_number.omit(false, KAPPA_VARIANCE_INFINITE),
            _ => {}
        }
        EmpiricalEdges {
            lambda_min: Summary::of(&column(|o| o.lambda_min)),
            lambda_max: Summary::of(&column(|o| o.lambda_max)),
            spectral_norm: Summary::of(&column(|o| o.spectral_norm)),
            smallest_singular_value: Summary::of(&column(|o| o.smallest_singular_value)),
            condition_number,
        }
    }
}

/// Mean ± standard error over trials, with the median, the quartiles and the extremes.
///
/// The quartiles are sample quantiles of Hyndman and Fan's type 7 (linear interpolation between
/// order statistics, R's and numpy's default; see [`quantile_of_sorted`]), of which the median
/// is the p = ½ case. They exist whatever the tail, so they summarise κ(W) where its mean or
/// variance does not ([`KAPPA_MEAN_INFINITE`]). Computed from the records in trial order, so a
/// merge of shards, which carries every record, reproduces them bit for bit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Mean over trials (NaN, JSON `null`, when omitted: see `omitted`).
    pub mean: f64,
    /// Standard error of the mean (NaN, JSON `null`, for one trial or when omitted).
    pub stderr: f64,
    /// Why the mean or standard error is omitted (an infinite moment), absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<&'static str>,
    /// Median over trials.
    pub median: f64,
    /// Lower quartile Q(¼) over trials (type 7).
    pub lower_quartile: f64,
    /// Upper quartile Q(¾) over trials (type 7).
    pub upper_quartile: f64,
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
}

impl Summary {
    fn of(values: &[f64]) -> Self {
        let MeanStderr { mean, stderr } = values.iter().copied().collect::<RunningMoments>().mean_stderr();
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Summary {
            mean,
            stderr,
            omitted: None,
            median: median(values),
            lower_quartile: quantile_of_sorted(&sorted, 0.25),
            upper_quartile: quantile_of_sorted(&sorted, 0.75),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

impl Summary {
    /// Omits the standard error, and the mean too when `mean`, for the reason `why`.
    fn omit(&mut self, mean: bool, why: &'static str) {
        if mean {
            self.mean = f64::NAN;
        }
        self.stderr = f64::NAN;
        self.omitted = Some(why);
    }
}

/// The result for one strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySpectrum {
    /// The strategy.
    pub strategy: Strategy,
    /// Entry variance s2.
    pub variance: f64,
    /// Theory (see [`EdgePrediction`]).
    pub predicted: EdgePrediction,
    /// Monte Carlo over trials.
    pub empirical: EmpiricalEdges,
    /// KS distance sup|F_N − F_MP| of the pooled eigenvalues of S (structural zeros included,
    /// against the MP CDF with its atom), evaluated on the quantile grid of
    /// [`KS_GRID_CELLS`](crate::stats::KS_GRID_CELLS) cells: a lower bound, with the exact
    /// distance in [`ks_distance`, `ks_distance + ks_distance_resolution`]. `None` for
    /// orthogonal, whose spectrum is a point mass, and for histogram-only runs.
    pub ks_distance: Option<f64>,
    /// The width (1 − p₀)/G of the KS bracket (`None` with `ks_distance`).
    pub ks_distance_resolution: Option<f64>,
    /// Scaled λ_max over trials vs TW₁ (`None` for orthogonal, or when not asked for).
    pub edge_fit: Option<EdgeFit>,
    /// Pooled KS distance vs a simulated critical value (`None` for orthogonal or when no
    /// replicates were asked for).
    pub bulk_fit: Option<BulkFit>,
    /// Histogram-only runs: sup over the bin edges of |F_N − F_MP|, a lower bound on the KS
    /// distance at the bins' resolution (`None` otherwise).
    pub ks_distance_at_bin_edges: Option<f64>,
    /// Histogram of the pooled nonzero eigenvalues of S; the structural zeros are in the total.
    pub histogram: Histogram,
    /// Structural zero eigenvalues pooled over trials (trials·(m − n) when m > n).
    pub zero_eigenvalues: u64,
    /// Dense runs: trials whose singular values came from `dgesdd` (all with
    /// `--exact-singular-values`; with the default, those whose κ̂ exceeded 1e5).
    pub svd_fallback_trials: Option<u64>,
}

/// The whole experiment's result.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumStudy {
    /// The shape of W.
    pub shape: Shape,
    /// Trials per strategy.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
    /// How the spectra were computed.
    pub method: MethodDescription,
    /// One entry per strategy, in the order asked.
    pub strategies: Vec<StrategySpectrum>,
}

impl SpectrumStudy {
    /// The study with each strategy's prediction carrying its finite-size intervals at coverage
    /// `level` ([`EdgePrediction::with_level`]), for output beside the limits.
    ///
    /// # Errors
    /// A level outside (0, 1).
    pub fn with_intervals(mut self, level: f64) -> crate::Result<Self> {
        for result in &mut self.strategies {
            result.predicted = EdgePrediction::with_level(result.strategy, self.shape, level)?;
        }
        Ok(self)
    }
}

/// One trial's scalars: with the pooled counts ([`PooledSpectrum`](super::PooledSpectrum)), the
/// unit that runs, shards and merges exchange. A merge of shards reproduces a single run bit for
/// bit because records are reduced in trial order and counts add.
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

impl TrialRecord {
    /// A trial's record from its ascending eigenvalues of S (at least the two extremes) and, when
    /// `dgesdd` ran, its singular values.
    pub(super) fn new(trial: u64, n: usize, eigenvalues: &[f64], exact: Option<Vec<f64>>) -> Self {
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
}
