//! Seeded statistical tests of the samplers against exact finite-size theory.
//!
//! Tolerance policy: |estimate − expectation| ≤ 5·SE, with SE the standard error estimated from
//! the same independent trials. For an approximately normal estimator that is a two-sided
//! false-alarm rate of about 6e-7 per check; each test uses a fixed seed, so a failure is
//! reproducible and means the sampler (or the theory) is wrong, not bad luck.

use rmspec::sample::{sample, trial_rng};
use rmspec::spectrum::gram_spectrum;
use rmspec::stats::{mean_stderr, MeanStderr};
use rmspec::Strategy;

const Z: f64 = 5.0;

fn assert_within(name: &str, estimate: MeanStderr, expected: f64) {
    let gap = (estimate.mean - expected).abs();
    assert!(
        gap <= Z * estimate.stderr,
        "{name}: {} ± {} vs expected {expected} ({:.1} standard errors)",
        estimate.mean,
        estimate.stderr,
        gap / estimate.stderr
    );
}

/// E[w²] = s2 for every entry of every Gaussian strategy; each trial's mean square over m·n iid
/// entries is one observation.
#[test]
fn gaussian_entries_have_the_strategy_variance() {
    let (m, n, trials) = (60, 90, 200);
    for strategy in [Strategy::Geometric, Strategy::Arithmetic, Strategy::Quadratic, Strategy::He, Strategy::LeCun] {
        let s2 = strategy.variance(m, n).unwrap();
        let per_trial = (0..trials).map(|t| {
            let w = sample(strategy, m, n, &mut trial_rng(100, t)).unwrap();
            w.iter().map(|x| x * x).sum::<f64>() / (m * n) as f64
        });
        assert_within(&format!("{strategy} mean square"), mean_stderr(per_trial), s2);
    }
}

/// Exact finite-size moments of S = W Wᵀ/n for iid N(0, s2) entries:
/// E[(1/m) tr S] = s2 and E[(1/m) tr S²] = s2² (m + n + 1)/n (Wishart second moment).
#[test]
fn gram_trace_moments_match_exact_wishart_values() {
    for (m, n) in [(30, 90), (90, 30), (50, 50)] {
        let strategy = Strategy::Arithmetic;
        let s2 = strategy.variance(m, n).unwrap();
        let trials = 400;
        let spectra: Vec<Vec<f64>> = (0..trials)
            .map(|t| gram_spectrum(&sample(strategy, m, n, &mut trial_rng(7, t)).unwrap()).unwrap().all_eigenvalues())
            .collect();
        let first = spectra.iter().map(|l| l.iter().sum::<f64>() / m as f64);
        assert_within(&format!("({m},{n}) mean eigenvalue"), mean_stderr(first), s2);
        let second = spectra.iter().map(|l| l.iter().map(|x| x * x).sum::<f64>() / m as f64);
        let expected = s2 * s2 * (m + n + 1) as f64 / n as f64;
        assert_within(&format!("({m},{n}) mean squared eigenvalue"), mean_stderr(second), expected);
    }
}

/// A Haar orthogonal column is uniform on the sphere: E[q₁₁] = 0, E[q₁₁²] = 1/N and
/// E[q₁₁⁴] = 3/(N(N+2)). Regression test for the QR sign fix: without moving the signs of R's
/// diagonal into Q, LAPACK's Householder QR makes q₁₁ = −|z₁₁|/‖z₁‖ < 0 always and the mean
/// check fails by about 75 standard errors (measured).
#[test]
fn orthogonal_sampler_is_haar_distributed() {
    let (m, n, trials) = (12, 8, 3000);
    // Unit scale: s2 = 1/max(m, n) makes the columns orthonormal.
    let strategy = Strategy::Orthogonal { variance: Some(1.0 / m as f64) };
    let entries: Vec<f64> =
        (0..trials).map(|t| sample(strategy, m, n, &mut trial_rng(5, t)).unwrap()[(0, 0)]).collect();
    let nf = m as f64;
    assert_within("E q11", mean_stderr(entries.iter().copied()), 0.0);
    assert_within("E q11²", mean_stderr(entries.iter().map(|q| q * q)), 1.0 / nf);
    assert_within("E q11⁴", mean_stderr(entries.iter().map(|q| q.powi(4))), 3.0 / (nf * (nf + 2.0)));
    // The wide case (m < n) transposes: rows are orthonormal and row 1 is uniform on S^{n−1}.
    let strategy = Strategy::Orthogonal { variance: Some(1.0 / 12.0) };
    let entries: Vec<f64> =
        (0..trials).map(|t| sample(strategy, 8, 12, &mut trial_rng(6, t)).unwrap()[(0, 0)]).collect();
    assert_within("wide E q11", mean_stderr(entries.iter().copied()), 0.0);
    assert_within("wide E q11²", mean_stderr(entries.iter().map(|q| q * q)), 1.0 / 12.0);
}

/// Different trials are independent streams: the correlation of the first entries of trials t
/// and t + 1 over many t is within 5 standard errors (1/√T) of zero.
#[test]
fn consecutive_trials_are_uncorrelated() {
    let trials = 4000u64;
    let first: Vec<f64> = (0..=trials)
        .map(|t| sample(Strategy::Variance { variance: 1.0 }, 1, 1, &mut trial_rng(99, t)).unwrap()[(0, 0)])
        .collect();
    let products = first.windows(2).map(|w| w[0] * w[1]);
    assert_within("lag-1 product", mean_stderr(products), 0.0);
}
