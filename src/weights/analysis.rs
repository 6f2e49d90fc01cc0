//! One layer's spectrum against its initialiser's random-matrix law, and a verdict.
//!
//! Convention: W is m×n (m = fan-in rows, n = fan-out columns), S = W Wᵀ/n, γ = m/n, p =
//! min(m, n), N = max(m, n) (see the [crate table](crate#conventions)). From the p singular
//! values σ of W ([`super::singular`]), λ = σ²/n are the nonzero eigenvalues of S.
//!
//! | quantity | definition |
//! |---|---|
//! | `fit.variance` ŝ2 | median-matching estimate, bias-corrected, with standard error from the simulated null ([`super::null`]) |
//! | `fit.ks_distance` | sup |F_emp − F_MP(γ, ŝ2_raw)| over the m eigenvalues of S (zeros included) |
//! | `fit.critical_value`, `fit.p_value` | Monte Carlo test of that distance at level α_k ([`super::null::FitNull`]) |
//! | `outliers` | eigenvalues above the finite-size edge λ_TW = ŝ2(μ₊ + σ₊·q)/n, q the 1 − α_k quantile of TW₁ widened for the fitted variance, tested step-down |
//! | `bbp_threshold` | the smallest rank-one signal singular value that separates from the noise bulk |
//! | `stable_rank` | ‖W‖²_F/‖W‖² = Σσ²/σ²_max |
//! | `condition_number` | κ = σ_max/σ_min |
//! | `rank` | #{σ > u·‖W‖_F}, u the storage format's unit roundoff |
//! | `power_law` | Clauset–Shalizi–Newman tail fit of the λ ([`super::powerlaw`]) |
//!
//! **Outliers and the multiplicity rule.** With s_i = (n·λ_i/ŝ2 − μ₊)/σ₊ the TW₁-scaled i-th
//! largest eigenvalue ([`EdgeScaling`]) and p_i = P(T + E > s_i) its p-value under TW₁ widened by
//! the simulated effect E of fitting ŝ2 ([`FitNull::edge_p_value`]), the count is the number of
//! consecutive rejections of a step-down test: λ₁ is an outlier if p₁ < α_k; if so λ₂ is tested
//! at the same level against TW₁ (the noise eigenvalues left after removing r spikes have, to
//! leading order, the same edge law), and so on. Under the null the probability of counting one
//! or more is α_k (to the accuracy of TW₁ at this size), and with r true spikes the probability of
//! counting more than r is about α_k (Kritchman and Nadler[^kn]).
//!
//! **BBP threshold.** For W = X + θ·√(N·s2)·u vᵀ with X iid noise of variance s2 and unit u, v,
//! the top singular value separates from the bulk edge √(N·s2)(1 + √c), c = p/N, iff θ > c^{1/4},
//! and then σ₁ → √(N·s2)·√((1 + θ²)(c + θ²))/θ (Benaych-Georges and Nadakuditi[^bgn], the
//! additive "signal + noise" form that suits trained weights; Baik, Ben Arous and Péché[^bbp] for
//! the multiplicative covariance spike). `bbp_threshold` = c^{1/4}·√(N·ŝ2) is the smallest
//! detectable signal singular value; for each outlier the formula is inverted for its signal
//! strength θ̂·√(N·ŝ2) (`signal`).
//!
//! **Verdict** (the first rule that applies), with the per-layer false-alarm rate α split by
//! Bonferroni over the k tests run (KS, edge, and the variance when an initialiser is named):
//!
//! 1. `rank-deficient`: rank < p;
//! 2. `heavy-tailed`: the KS test rejects and the power-law exponent is below 6
//!    (WeightWatcher's upper bound for heavy-tailed layers) by two of its standard errors,
//!    α̂ + 2·SE < 6 ([`PowerLawFit::is_heavy_tailed`]);
//! 3. `spikes`: at least one outlier;
//! 4. `bulk-deviates`: the KS test rejects (and the tail is not heavy by rule 2);
//! 5. `wrong-variance`: an initialiser is named and |ŝ2 − s2_init| > z₁₋α_k/2 · SE;
//! 6. `random-like`: none of the above.
//!
//! A layer drawn from its initialiser is classed `random-like` with probability at least 1 − α
//! (up to the accuracy of TW₁ at its size).
//!
//! **The exact initialiser.** For `torch-orthogonal:G` the law is exact: every singular value is
//! G. The comparison (`init`) then reports the largest deviation max|σ_i − G| and its tolerance
//! 4·u·√(mn)·σ_max (u the storage format's unit roundoff) instead of a z for ŝ2, which would be
//! meaningless (the median-matching fit and its standard error assume iid entries). The verdict
//! is `random-like` iff the deviation is within the tolerance; otherwise `rank-deficient` (rule
//! 1), `wrong-variance` if all singular values are equal within the tolerance (orthogonal at
//! another gain), rules 2–4, and `not-orthogonal` when none of them applies (e.g. an iid random
//! matrix at the same mean square, which rules 1–6 would call `random-like`).
//!
//! [^kn]: S. Kritchman and B. Nadler, "Non-parametric detection of the number of signals:
//!     hypothesis testing and random matrix theory", *IEEE Trans. Signal Process.* 57 (2009).
//! [^bgn]: F. Benaych-Georges and R. R. Nadakuditi, "The singular values and vectors of low rank
//!     perturbations of large rectangular random matrices", *J. Multivariate Anal.* 111 (2012).
//! [^bbp]: J. Baik, G. Ben Arous and S. Péché, "Phase transition of the largest eigenvalue for
//!     nonnull complex sample covariance matrices", *Ann. Probab.* 33 (2005).

use super::null::{bulk_statistics, FitNull};
use super::powerlaw::{self, PowerLawFit};
use super::source::FloatType;
use crate::error::Result;
use crate::initializer::Initializer;
use crate::law::EdgeScaling;
use crate::shape::Shape;
use serde::Serialize;

/// How many outliers get their p-value and signal strength listed.
pub const LISTED_OUTLIERS: usize = 20;

/// The verdict for a layer (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Consistent with an iid random matrix (and its initialiser's variance, if named).
    RandomLike,
    /// Eigenvalues separate above the Tracy–Widom edge.
    Spikes,
    /// The bulk is not Marchenko–Pastur and the tail follows a power law with α̂ < 6.
    HeavyTailed,
    /// Numerical rank below min(m, n).
    RankDeficient,
    /// The bulk is not Marchenko–Pastur, without a heavy tail.
    BulkDeviates,
    /// Random-like in shape, but not at the named initialiser's variance (for the orthogonal
    /// initialiser: all singular values equal, but not to its gain).
    WrongVariance,
    /// The orthogonal initialiser is named, and the singular values are not all equal although
    /// nothing else is found (e.g. an iid random matrix).
    NotOrthogonal,
}

impl Verdict {
    /// The name used in JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::RandomLike => "random-like",
            Verdict::Spikes => "spikes",
            Verdict::HeavyTailed => "heavy-tailed",
            Verdict::RankDeficient => "rank-deficient",
            Verdict::BulkDeviates => "bulk-deviates",
            Verdict::WrongVariance => "wrong-variance",
            Verdict::NotOrthogonal => "not-orthogonal",
        }
    }
}

/// The bulk fit to Marchenko–Pastur.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BulkFit {
    /// ŝ2, bias-corrected.
    pub variance: f64,
    /// Its standard error.
    pub variance_stderr: f64,
    /// KS distance of the spectrum of S to MP(γ, raw ŝ2).
    pub ks_distance: f64,
    /// The Monte Carlo critical value at the KS test's level.
    pub critical_value: f64,
    /// The size attained, k/(R + 1).
    pub size: f64,
    /// Monte Carlo p-value.
    pub p_value: f64,
    /// `ks_distance ≤ critical_value`.
    pub passed: bool,
    /// Replicates simulated.
    pub replicates: usize,
    /// Entry law of the replicates.
    pub null_law: &'static str,
}

/// One eigenvalue above the TW edge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Outlier {
    /// Its eigenvalue λ of S.
    pub lambda: f64,
    /// σ = √(n·λ).
    pub singular_value: f64,
    /// TW₁-scaled value s.
    pub tw_statistic: f64,
    /// P(T + E > s): TW₁ widened for the fitted variance.
    pub p_value: f64,
    /// Estimated signal singular value θ̂·√(N·ŝ2) (BBP inversion).
    pub signal: f64,
}

/// The comparison of a layer with a named initialiser's law.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitComparison {
    /// The initialiser.
    pub init: Initializer,
    /// Its variance s2 at this layer's fans.
    pub variance: f64,
    /// The test (its fields are written into this object).
    #[serde(flatten)]
    pub test: InitTest,
    /// Whether the layer passes: |z| ≤ z₁₋α_k/2 for an iid initialiser, `max_deviation ≤
    /// tolerance` for the exact one.
    pub consistent: bool,
}

/// How a layer is compared with a named initialiser.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum InitTest {
    /// An iid initialiser: the fitted variance ŝ2 against its s2, with ŝ2's standard error.
    Variance {
        /// ŝ2/s2.
        ratio: f64,
        /// (ŝ2 − s2)/SE.
        z: f64,
    },
    /// The exact orthogonal initialiser (`torch-orthogonal:G`): every singular value should equal
    /// G up to the rounding of the stored format. (A z for ŝ2 would be meaningless here: the
    /// median-matching fit and its standard error assume iid entries.)
    Exact {
        /// G, the value of every singular value.
        singular_value: f64,
        /// max_i |σ_i − G|.
        max_deviation: f64,
        /// The allowed deviation 4·u·√(mn)·σ_max, u the storage format's unit roundoff.
        tolerance: f64,
    },
}

/// The exact check's slack in units of u·√(mn)·σ_max. Rounding W to a format of unit roundoff u
/// changes each entry by at most u·|w_ij|, hence (Weyl) each σ by at most ‖ΔW‖ ≤ ‖ΔW‖_F ≤
/// u·‖W‖_F ≤ u·√(min(m, n))·σ_max ≤ u·√(mn)·σ_max; the factor 4 covers the f64 arithmetic of the
/// factorisation.
const EXACT_SLACK: f64 = 4.0;

/// Everything computed for one layer (the `layers[]` objects of `rmspec weights --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerStatistics {
    /// The shape m×n of W (written as `m`, `n`, `gamma`).
    #[serde(flatten)]
    pub shape: Shape,
    /// σ_max = ‖W‖.
    pub spectral_norm: f64,
    /// σ_min over the p singular values.
    pub smallest_singular_value: f64,
    /// κ = σ_max/σ_min (`null` in JSON when infinite).
    pub condition_number: f64,
    /// ‖W‖²_F/‖W‖².
    pub stable_rank: f64,
    /// Numerical rank (see the module docs).
    pub rank: usize,
    /// Bulk fit.
    pub fit: BulkFit,
    /// The edge λ_TW at the edge test's level (TW₁ widened for the fitted variance).
    pub tw_edge: f64,
    /// The edge test's level 1 − α_k.
    pub edge_level: f64,
    /// Number of outliers (step-down count).
    pub outlier_count: usize,
    /// The first [`LISTED_OUTLIERS`] outliers, largest first.
    pub outliers: Vec<Outlier>,
    /// p-value of the largest eigenvalue that is not an outlier (the one that stopped the count).
    pub first_inlier_p_value: Option<f64>,
    /// BBP detection threshold for a signal singular value.
    pub bbp_threshold: f64,
    /// Power-law tail fit (`null` with fewer than 10 eigenvalues).
    pub power_law: Option<PowerLawFit>,
    /// Comparison with the named initialiser.
    pub init: Option<InitComparison>,
    /// The verdict.
    pub verdict: Verdict,
    /// Eigenvalues of S, ascending (not serialised; for figures).
    #[serde(skip)]
    pub eigenvalues: Vec<f64>,
}

/// Options of the per-layer tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tests {
    /// Per-layer false-alarm rate α.
    pub false_alarm: f64,
    /// The named initialiser, if any.
    pub init: Option<Initializer>,
}

impl Tests {
    /// Number of Bonferroni-split tests: KS, edge, and the variance when an initialiser is named.
    pub fn count(&self) -> usize {
        if self.init.is_some() {
            3
        } else {
            2
        }
    }

    /// α_k = α/k.
    pub fn alpha_each(&self) -> f64 {
        self.false_alarm / self.count() as f64
    }
}

/// Analyses the ascending singular values of a layer of `shape` stored as `float` (see the
/// [module docs](self)); `null` is the simulated null at that shape and `init_variance` the named
/// initialiser's s2 at this layer's fans.
///
/// # Errors
/// Too few replicates for the level, or an empty spectrum.
pub fn analyse(
    singular: &[f64],
    shape: Shape,
    float: FloatType,
    null: &FitNull,
    tests: &Tests,
    init_variance: Option<f64>,
) -> Result<LayerStatistics> {
    let alpha = tests.alpha_each();
    let n = shape.n() as f64;
    let eigenvalues: Vec<f64> = singular.iter().map(|s| s * s / n).collect();
    let (p, big) = (singular.len(), shape.max());
    let sigma_max = singular[p - 1];
    let frobenius2: f64 = singular.iter().map(|s| s * s).sum();
    let rank = singular.iter().filter(|&&s| s > float.unit_roundoff() * frobenius2.sqrt()).count();
    let (raw_s2, ks) = bulk_statistics(&eigenvalues, shape)?;
    let variance = raw_s2 / null.variance_mean;
    let variance_stderr = variance * null.variance_sd / null.variance_mean;
    let (critical_value, size) = null.critical_value(alpha)?;
    let fit = BulkFit {
        variance,
        variance_stderr,
        ks_distance: ks,
        critical_value,
        size,
        p_value: null.p_value(ks),
        passed: ks <= critical_value,
        replicates: null.ks.len(),
        null_law: null.law.name(),
    };
    let edge = outliers(&eigenvalues, shape, variance, alpha, null);
    let c = p as f64 / big as f64;
    let unit = (big as f64 * variance).sqrt();
    let init = match (tests.init, init_variance) {
        (Some(named), Some(s2)) => Some(compare_with_init(named, s2, &fit, singular, shape, float, alpha)),
        _ => None,
    };
    let power_law = powerlaw::fit(&eigenvalues);
    let mut stats = LayerStatistics {
        shape,
        spectral_norm: sigma_max,
        smallest_singular_value: singular[0],
        condition_number: sigma_max / singular[0],
        stable_rank: frobenius2 / (sigma_max * sigma_max),
        rank,
        fit,
        tw_edge: edge.threshold,
        edge_level: 1.0 - alpha,
        outlier_count: edge.count,
        outliers: edge.listed,
        first_inlier_p_value: edge.first_inlier_p_value,
        bbp_threshold: c.powf(0.25) * unit,
        power_law,
        init,
        verdict: Verdict::RandomLike,
        eigenvalues,
    };
    stats.verdict = verdict(&stats, singular);
    Ok(stats)
}

/// The layer against the named initialiser's law at its variance s2: the fitted ŝ2 against s2
/// for iid initialisers; for the exact orthogonal one every singular value against its gain (see
/// the [module docs](self)).
fn compare_with_init(
    init: Initializer,
    variance: f64,
    fit: &BulkFit,
    singular: &[f64],
    shape: Shape,
    float: FloatType,
    alpha: f64,
) -> InitComparison {
    if let Initializer::TorchOrthogonal { gain } = init {
        let sigma_max = singular[singular.len() - 1];
        let tolerance = EXACT_SLACK * float.unit_roundoff() * (shape.len() as f64).sqrt() * sigma_max;
        let max_deviation = singular.iter().map(|s| (s - gain).abs()).fold(0.0, f64::max);
        return InitComparison {
            init,
            variance,
            test: InitTest::Exact { singular_value: gain, max_deviation, tolerance },
            consistent: max_deviation <= tolerance,
        };
    }
    let z = (fit.variance - variance) / fit.variance_stderr;
    let bound = statrs_normal_quantile(1.0 - alpha / 2.0);
    InitComparison {
        init,
        variance,
        test: InitTest::Variance { ratio: fit.variance / variance, z },
        consistent: z.abs() <= bound,
    }
}

fn statrs_normal_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(p)
}

struct EdgeTest {
    threshold: f64,
    count: usize,
    listed: Vec<Outlier>,
    first_inlier_p_value: Option<f64>,
}

/// The step-down TW₁ test of the largest eigenvalues (ascending `eigenvalues`), with the
/// fitted-variance correction of [`FitNull::edge_p_value`].
fn outliers(eigenvalues: &[f64], shape: Shape, variance: f64, alpha: f64, null: &FitNull) -> EdgeTest {
    let scaling = EdgeScaling::for_shape(shape);
    let threshold = scaling.lambda_max_at(null.edge_quantile(alpha), variance);
    let count = eigenvalues.iter().rev().take_while(|&&l| l > threshold).count();
    let (p, big, n) = (eigenvalues.len(), shape.max(), shape.n());
    let c = p as f64 / big as f64;
    let unit = (big as f64 * variance).sqrt();
    let listed = eigenvalues
        .iter()
        .rev()
        .take(count.min(LISTED_OUTLIERS))
        .map(|&lambda| {
            let s = scaling.scaled_lambda_max(lambda, variance);
            let sigma = (n as f64 * lambda).sqrt();
            Outlier {
                lambda,
                singular_value: sigma,
                tw_statistic: s,
                p_value: null.edge_p_value(s),
                signal: bbp_signal(sigma / unit, c) * unit,
            }
        })
        .collect();
    let first_inlier_p_value =
        eigenvalues.iter().rev().nth(count).map(|&l| null.edge_p_value(scaling.scaled_lambda_max(l, variance)));
    EdgeTest { threshold, count, listed, first_inlier_p_value }
}

/// Inverts σ/√(N s2) = x = √((1 + θ²)(c + θ²))/θ for θ (0 when x is at or below the bulk edge
/// 1 + √c).
pub fn bbp_signal(x: f64, c: f64) -> f64 {
    let b = x * x - 1.0 - c;
    let disc = b * b - 4.0 * c;
    if x <= 1.0 + c.sqrt() || disc < 0.0 {
        return 0.0;
    }
    ((b + disc.sqrt()) / 2.0).sqrt()
}

/// The BBP forward map: where a signal θ (in units of √(N s2)) puts the top singular value.
pub fn bbp_outlier(theta: f64, c: f64) -> f64 {
    if theta <= c.powf(0.25) {
        1.0 + c.sqrt()
    } else {
        ((1.0 + theta * theta) * (c + theta * theta)).sqrt() / theta
    }
}

fn verdict(stats: &LayerStatistics, singular: &[f64]) -> Verdict {
    // Some((passed, tolerance)) when an exact (orthogonal) initialiser is named.
    let exact = stats.init.as_ref().and_then(|c| match c.test {
        InitTest::Exact { tolerance, .. } => Some((c.consistent, tolerance)),
        InitTest::Variance { .. } => None,
    });
    if exact.is_some_and(|(passed, _)| passed) {
        return Verdict::RandomLike;
    }
    let heavy = stats.power_law.is_some_and(|f| f.is_heavy_tailed());
    let spread = singular[singular.len() - 1] - singular[0];
    if stats.rank < singular.len() {
        Verdict::RankDeficient
    } else if exact.is_some_and(|(_, tolerance)| spread <= tolerance) {
        // Orthogonal, at another gain.
        Verdict::WrongVariance
    } else if !stats.fit.passed && heavy {
        Verdict::HeavyTailed
    } else if stats.outlier_count > 0 {
        Verdict::Spikes
    } else if !stats.fit.passed {
        Verdict::BulkDeviates
    } else if exact.is_some() {
        Verdict::NotOrthogonal
    } else if stats.init.as_ref().is_some_and(|c| !c.consistent) {
        Verdict::WrongVariance
    } else {
        Verdict::RandomLike
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbp_inversion_undoes_the_forward_map() {
        for c in [0.1f64, 0.25, 0.5, 1.0] {
            for theta in [0.8f64, 1.0, 1.5, 3.0] {
                if theta <= c.powf(0.25) {
                    continue;
                }
                let x = bbp_outlier(theta, c);
                assert!((bbp_signal(x, c) - theta).abs() < 1e-10, "c {c} θ {theta}");
            }
            // At the threshold the outlier sits at the bulk edge.
            assert!((bbp_outlier(c.powf(0.25) * (1.0 + 1e-12), c) - (1.0 + c.sqrt())).abs() < 1e-5);
        }
    }
}
