//! Sampled networks against the Jacobian law (`rmspec::experiment::jacobian`): Jacobians of
//! networks drawn at initialisation (products in f64, singular values by LAPACK dgesdd), pooled
//! over seeded trials.
//!
//! Cost: about 5 s in the optimised test profile under load (widths up to 240, 8 networks per
//! case).

use rmspec::activation::Activation;
use rmspec::experiment::jacobian::{pooled, sample_spectra, simulate};
use rmspec::law::jacobian::{JacobianLaw, Network};
use rmspec::law::SpectralLaw;
use rmspec::stats::ks_distance;
use rmspec::Strategy;

const TRIALS: usize = 8;
const SEED: u64 = 20261130;

/// The bound on the KS distance of T pooled spectra of w_L eigenvalues each. The eigenvalues of
/// one matrix are not independent, so the distance has no Kolmogorov null distribution; it has
/// two parts. (1) Fluctuation: each network's D_ℓ² are w_ℓ draws of φ'(h)², whose empirical law
/// fluctuates like 1/√w, and the eigenvalues of a random matrix fluctuate no more than iid draws
/// (rigidity), so the iid critical value 1.95/√(T·w_L) (α = 0.001) bounds this part. (2) Bias:
/// the finite-size correction of the mean spectral distribution, O(1/w_L). In the drift
/// measurement (`examples/jacobian_drift.rs`, docs/jacobian.md: these chains at base widths 25 to
/// 200, 8 trials) w_L·KS never exceeded 2.5 and KS stayed below the fluctuation part alone, so
/// BIAS = 5 covers twice the largest w_L·KS even if all of it were bias.
fn ks_bound(trials: usize, w_last: usize) -> f64 {
    1.95 / ((trials * w_last) as f64).sqrt() + BIAS / w_last as f64
}
const BIAS: f64 = 5.0;

fn orthogonal() -> Strategy {
    Strategy::Orthogonal { variance: None }
}

fn law(widths: &[usize], strategy: Strategy, activation: Activation) -> JacobianLaw {
    JacobianLaw::new(&Network::new(widths.to_vec(), strategy, activation).unwrap()).unwrap()
}

#[test]
fn tanh_and_rectangular_networks_follow_the_law() {
    let cases: [(&[usize], Strategy, Activation); 4] = [
        (&[200, 200, 200, 200], Strategy::LeCun, Activation::Tanh),
        (&[200, 200, 200, 200], orthogonal(), Activation::Tanh),
        (&[80, 240, 120, 160], Strategy::Arithmetic, Activation::Tanh),
        (&[80, 240, 120, 160], Strategy::Arithmetic, Activation::Linear),
    ];
    for (widths, strategy, activation) in cases {
        let law = law(widths, strategy, activation);
        let sim = simulate(&law, TRIALS, SEED).unwrap();
        let bound = ks_bound(TRIALS, *widths.last().unwrap());
        assert!(sim.ks_distance <= bound, "{widths:?} {strategy} {activation}: KS {} > {bound}", sim.ks_distance);
    }
}

#[test]
fn a_wrong_law_is_rejected() {
    // The same sampled tanh spectra against two wrong laws: the orthogonal network's (the other
    // ensemble at the same σ_w²) and a Gaussian one at σ_w² = 2 instead of 1. The bound of the
    // test above must be able to fail. It is loose (the bound is 0.074; `rmspec jacobian` measured
    // KS = 0.006 for the right law at this width with 4 networks, seed 1): σ_w² = 1.5 gives
    // KS = 0.065 with these samples and is not rejected.
    let widths = [200, 200, 200, 200];
    let network = Network::new(widths.to_vec(), Strategy::LeCun, Activation::Tanh).unwrap();
    let (values, zeros) = pooled(&sample_spectra(&network, TRIALS, SEED).unwrap());
    let bound = ks_bound(TRIALS, 200);
    assert!(ks_distance(&values, zeros, &law(&widths, Strategy::LeCun, Activation::Tanh)).unwrap() <= bound);
    for wrong in [orthogonal(), Strategy::fixed_variance(2.0 / 200.0).unwrap()] {
        let off = ks_distance(&values, zeros, &law(&widths, wrong, Activation::Tanh)).unwrap();
        assert!(off > bound, "KS against the law of {wrong}: {off} ≤ {bound}");
    }
}

#[test]
fn linear_gaussian_chains_have_the_exact_mean() {
    // E tr(J Jᵀ)/w_L = Π w_{l−1}·s2_l exactly at any width for Gaussian linear chains
    // (E‖Wᵀ A‖_F² = n·s2·‖A‖_F², telescoping), which is the law's mean: |mean − law| ≤ 5 SE.
    let law = law(&[40, 120, 60, 80], Strategy::Arithmetic, Activation::Linear);
    let sim = simulate(&law, 40, SEED).unwrap();
    assert!((sim.mean.mean - law.mean()).abs() <= 5.0 * sim.mean.stderr, "{:?} vs {}", sim.mean, law.mean());
}

#[test]
fn zeros_are_counted() {
    // Structural: J Jᵀ is 100×100 of rank 50 for widths 50 → 100.
    let rectangular = simulate(&law(&[50, 100], Strategy::LeCun, Activation::Linear), 2, SEED).unwrap();
    assert_eq!(rectangular.zero_fraction, 0.5);
    // Rank: D W ᵀ for relu has rank = the active units, Binomial(100, 1/2) per network, so the
    // zero fraction over 20 networks has mean 1/2 and SE 0.5/√2000; allow 5 SE.
    let relu = simulate(&law(&[100, 100], Strategy::He, Activation::Relu), 20, SEED).unwrap();
    assert!((relu.zero_fraction - 0.5).abs() <= 5.0 * 0.5 / 2000f64.sqrt(), "{}", relu.zero_fraction);
}

#[test]
fn simulations_are_reproducible_whatever_the_thread_count() {
    let law = law(&[30, 60, 30], Strategy::He, Activation::Tanh);
    let many = simulate(&law, 6, SEED).unwrap();
    let one =
        rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| simulate(&law, 6, SEED).unwrap());
    assert_eq!(many, one);
    assert_ne!(simulate(&law, 6, SEED + 1).unwrap().ks_distance, many.ks_distance);
}
