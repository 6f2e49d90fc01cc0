//! Monte Carlo of sampled networks: the eigenvalues of J Jᵀ for the input–output Jacobian
//! J = D_L W_Lᵀ ⋯ D₁ W₁ᵀ of networks drawn at initialisation, pooled over trials and compared
//! with [`JacobianLaw`].
//!
//! **One trial.** Trial t draws from [`trial_rng`]`(seed, t)`, in this order: the input
//! x₀ ~ N(0, E x₀ᵢ²·I) (w₀ draws), then per layer ℓ the weights W_ℓ ∈ ℝ^{w_{ℓ−1}×w_ℓ} by the
//! strategy ([`sample_into`]) and, when σ_b² > 0, the bias b_ℓ ~ N(0, σ_b² I). The forward pass
//! h_ℓ = W_ℓᵀ x_{ℓ−1} + b_ℓ, x_ℓ = φ(h_ℓ) gives D_ℓ = diag φ'(h_ℓ), and the product is carried in
//! f64: J_ℓ = D_ℓ (W_ℓᵀ J_{ℓ−1}) by `dgemm` (J₀ = I on w₀), rescaled to unit Frobenius norm after
//! every layer with the scale kept as a logarithm (no overflow at any depth). The singular values
//! of J_L come from LAPACK `dgesdd` ([`linalg::singular_values`]); the w_L eigenvalues of J Jᵀ
//! are their squares times the scale, plus w_L − w₀ structural zeros when w_L > w₀. Singular
//! values at or below the numerical-rank tolerance max(w_L, w₀)·ε·σ_max (the rank deficit of a
//! relu or bottleneck network, exact zeros in exact arithmetic that dgesdd returns as 1e−16·σ_max
//! or less) give the eigenvalue 0: the law's atom at 0 is where they belong, and kept as tiny
//! positive values they would sit to the right of it, so that F_N(0) would miss the whole atom
//! (a KS distance of about the atom's mass for every relu network).
//!
//! **Resolution floor.** A trial cannot resolve eigenvalues at or below its floor (max(w_L, w₀)·ε·
//! σ_max)² (the tolerance above, squared, in eigenvalue units): whatever the law puts there, the
//! trial reports 0. Laws whose lower tail spans many decades put real mass there (He gelu at
//! depth 10: Q(0.01) = 4e−49 against a mean of 0.48, and about a tenth of the eigenvalues of a
//! width-200 network below its floor), which an unrestricted comparison would count as a
//! disagreement of that size.
//!
//! **Comparison.** The Kolmogorov–Smirnov distance sup|F_N − F| between the pooled eigenvalues of
//! all trials (atom at 0 included) and the law, over x at and above the largest floor of the
//! trials, where everything at or below it counts at the floor
//! ([`stats::ks_distance_above`]; the law's atom at 0 lies below it). The eigenvalues of one
//! matrix are not independent, so the distance has no Kolmogorov null distribution: it is a
//! finite-size distance (of order 1/width for the bulk, see `examples/jacobian_drift.rs`), and a
//! threshold for it must be justified where it is used.

use crate::error::{Error, Result};
use crate::law::jacobian::{JacobianLaw, Network};
use crate::linalg;
use crate::sample::{fill_standard_normal, sample_into, trial_rng};
use crate::stats::{self, mean_stderr, Histogram, MeanStderr};
use crate::trials::run_all_trials;
use serde::Serialize;

/// Bins of the histogram kept for figures.
pub const HISTOGRAM_BINS: usize = 60;

/// What a simulation measured for one network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JacobianSimulation {
    /// Independent networks.
    pub trials: usize,
    /// Seed of the trial streams.
    pub seed: u64,
    /// Eigenvalues of J Jᵀ per trial (w_L), pooled over the trials.
    pub eigenvalues_per_trial: usize,
    /// KS distance between the pooled eigenvalues and the law (atom at 0 included), over the
    /// eigenvalues above `resolution_floor` (see the module docs).
    pub ks_distance: f64,
    /// The largest resolution floor of the trials, (max(w_L, w₀)·ε·σ_max)² in eigenvalue units:
    /// eigenvalues at or below it are reported as 0, and the KS distance starts there.
    pub resolution_floor: f64,
    /// Per-trial tr(J Jᵀ)/w_L: mean ± standard error over trials (the law's mean is Π χ_ℓ).
    pub mean: MeanStderr,
    /// Per-trial largest eigenvalue of J Jᵀ (largest squared singular value): mean ± standard
    /// error over trials.
    pub largest: MeanStderr,
    /// Fraction of pooled eigenvalues at zero: structural zeros and squared singular values at or
    /// below LAPACK's rank tolerance (σ ≤ max(w_L, w₀)·ε·σ_max).
    pub zero_fraction: f64,
    /// Histogram of the nonzero eigenvalues, as densities of all eigenvalues (for figures).
    #[serde(skip)]
    pub histogram: Histogram,
}

/// One sampled network's eigenvalues of J Jᵀ.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialSpectrum {
    /// The min(w_L, w₀) squared singular values of J, ascending.
    pub values: Vec<f64>,
    /// w_L − w₀ when w_L > w₀ (the eigenvalues of J Jᵀ beyond the rank of J), else 0.
    pub structural_zeros: usize,
    /// How many of `values` are at or below LAPACK's rank tolerance (σ ≤ max(w_L, w₀)·ε·σ_max).
    pub rank_zeros: usize,
    /// That tolerance squared, in eigenvalue units: the resolution floor of this trial.
    pub floor: f64,
}

/// The eigenvalues of all trials pooled: (ascending values, structural zeros).
pub fn pooled(spectra: &[TrialSpectrum]) -> (Vec<f64>, usize) {
    let mut values: Vec<f64> = spectra.iter().flat_map(|t| t.values.iter().copied()).collect();
    values.sort_by(f64::total_cmp);
    (values, spectra.iter().map(|t| t.structural_zeros).sum())
}

/// Samples `trials` networks (trial t from [`trial_rng`]`(seed, t)`; see the module docs), in
/// trial order.
///
/// # Errors
/// Zero trials, an invalid network, or a BLAS/LAPACK failure.
pub fn sample_spectra(network: &Network, trials: usize, seed: u64) -> Result<Vec<TrialSpectrum>> {
    if trials == 0 {
        return Err(Error::invalid("trials", 0, "must be at least 1"));
    }
    network.validate()?;
    run_all_trials(trials, || Ok(buffers(network)), |buf, t| sample_trial(network, seed, t, buf))
}

/// Per-worker buffers.
struct Buffers {
    weights: Vec<f64>,
    jacobian: Vec<f64>,
    next: Vec<f64>,
    x: Vec<f64>,
    h: Vec<f64>,
    bias: Vec<f64>,
}

/// Samples `trials` networks and compares the pooled eigenvalues of J Jᵀ with `law`.
///
/// # Errors
/// Zero trials, a law of a different network, or a BLAS/LAPACK failure.
pub fn simulate(law: &JacobianLaw, trials: usize, seed: u64) -> Result<JacobianSimulation> {
    let network = law.network();
    let per_trial = sample_spectra(network, trials, seed)?;
    let w_last = *network.widths.last().expect("validated: at least two widths");
    let (values, zeros) = pooled(&per_trial);
    let resolution_floor = per_trial.iter().map(|t| t.floor).fold(0.0, f64::max);
    let ks_distance = stats::ks_distance_above(&values, zeros, resolution_floor, law)?;
    let rank_zeros: usize = per_trial.iter().map(|t| t.rank_zeros).sum();
    let mean = mean_stderr(per_trial.iter().map(|t| t.values.iter().sum::<f64>() / w_last as f64));
    let largest = mean_stderr(per_trial.iter().map(|t| t.values.last().copied().unwrap_or(0.0)));
    let histogram = histogram(law, &per_trial, (trials * w_last) as u64)?;
    Ok(JacobianSimulation {
        trials,
        seed,
        eigenvalues_per_trial: w_last,
        ks_distance,
        resolution_floor,
        mean,
        largest,
        zero_fraction: (zeros + rank_zeros) as f64 / (trials * w_last) as f64,
        histogram,
    })
}

fn buffers(network: &Network) -> Buffers {
    let widest = *network.widths.iter().max().expect("validated: non-empty");
    let w0 = network.widths[0];
    Buffers {
        weights: vec![0.0; widest * widest],
        jacobian: vec![0.0; widest * w0],
        next: vec![0.0; widest * w0],
        x: vec![0.0; widest],
        h: vec![0.0; widest],
        bias: vec![0.0; widest],
    }
}

/// One network: forward pass, Jacobian product, singular values (see the module docs).
fn sample_trial(network: &Network, seed: u64, trial: u64, buf: &mut Buffers) -> Result<TrialSpectrum> {
    let mut rng = trial_rng(seed, trial);
    let widths = &network.widths;
    let w0 = widths[0];
    let x = &mut buf.x[..w0];
    fill_standard_normal(x, &mut rng);
    let input_sd = network.input_second_moment.sqrt();
    x.iter_mut().for_each(|v| *v *= input_sd);
    // J₀ = I (w₀ × w₀).
    let jacobian = &mut buf.jacobian[..w0 * w0];
    jacobian.iter_mut().for_each(|v| *v = 0.0);
    (0..w0).for_each(|i| jacobian[i + w0 * i] = 1.0);
    let mut log_scale = 0.0;
    let bias_sd = network.bias_variance.sqrt();
    for pair in widths.windows(2) {
        let (m, n) = (pair[0], pair[1]);
        let w = &mut buf.weights[..m * n];
        sample_into(network.strategy, m, n, &mut rng, w)?;
        let h = &mut buf.h[..n];
        linalg::gemm(true, false, w, m, n, &buf.x[..m], m, 1, 1.0, h)?;
        if network.bias_variance > 0.0 {
            let b = &mut buf.bias[..n];
            fill_standard_normal(b, &mut rng);
            h.iter_mut().zip(b.iter()).for_each(|(h, b)| *h += bias_sd * b);
        }
        let next = &mut buf.next[..n * w0];
        linalg::gemm(true, false, w, m, n, &buf.jacobian[..m * w0], m, w0, 1.0, next)?;
        for (i, &hi) in h.iter().enumerate() {
            let d = network.activation.derivative(hi);
            (0..w0).for_each(|j| next[i + n * j] *= d);
        }
        let norm = next.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 && norm.is_finite() {
            next.iter_mut().for_each(|v| *v /= norm);
            log_scale += norm.ln();
        }
        buf.jacobian[..n * w0].copy_from_slice(next);
        for (xi, &hi) in buf.x[..n].iter_mut().zip(h.iter()) {
            *xi = network.activation.apply(hi);
        }
    }
    let w_last = *widths.last().expect("validated");
    let singular = linalg::singular_values(&mut buf.jacobian[..w_last * w0], w_last, w0)?;
    let tolerance = w_last.max(w0) as f64 * f64::EPSILON * singular.last().copied().unwrap_or(0.0);
    let rank_zeros = singular.iter().filter(|&&s| s <= tolerance).count();
    let scale = (2.0 * log_scale).exp();
    let values = singular.iter().map(|&s| if s <= tolerance { 0.0 } else { s * s * scale }).collect();
    let floor = tolerance * tolerance * scale;
    Ok(TrialSpectrum { values, structural_zeros: w_last.saturating_sub(w0), rank_zeros, floor })
}

/// The nonzero eigenvalues (above the rank tolerance) on [0, 1.05·top], top the larger of the
/// law's largest value and the largest eigenvalue seen; densities are fractions of all
/// eigenvalues, so the bars match the law's continuous density.
fn histogram(law: &JacobianLaw, per_trial: &[TrialSpectrum], total: u64) -> Result<Histogram> {
    let seen = per_trial.iter().filter_map(|t| t.values.last().copied()).fold(0.0, f64::max);
    let top = law.largest_squared_singular_value().max(seen);
    let upper = if top > 0.0 && top.is_finite() { 1.05 * top } else { 1.0 };
    let mut histogram = Histogram::new(0.0, upper, HISTOGRAM_BINS)?;
    for t in per_trial {
        t.values[t.rank_zeros..].iter().for_each(|&v| histogram.add(v));
    }
    histogram.excluded_atom = total - histogram.total();
    Ok(histogram)
}
