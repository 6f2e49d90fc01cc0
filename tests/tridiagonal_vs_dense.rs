//! The Dumitriu–Edelman tridiagonal model against the dense path: the same law for the extreme
//! eigenvalues and for bulk order statistics, at m = 500, n = 1000 (γ = 1/2).

use rmspec::sample::{sample_into, trial_rng};
use rmspec::spectrum::{GramSolver, SingularValueMethod};
use rmspec::stats::two_sample_ks;
use rmspec::tridiagonal::LaguerreTridiagonal;
use rmspec::Strategy;

/// Kolmogorov's c(α) for α = 0.001 (source: the Kolmogorov distribution, Q(1.9495) = 0.001;
/// scipy.special.kolmogi(0.001) = 1.9495).
const C_ALPHA_0_001: f64 = 1.9495;

/// Two-sample KS at α = 0.001 on five statistics, each iid across trials (one value per
/// independent matrix): λ_min⁺, λ_max, and the eigenvalues at ranks k/4, k/2, 3k/4 of each
/// matrix. Within one matrix eigenvalues are dependent, so only one value per matrix per test is
/// used. The five tests share the matrices, so by Bonferroni the chance that any of them fails
/// when the laws agree is at most 5 × 0.001 = 0.005 (the seeds are fixed, so the outcome is
/// reproducible; the α describes how unusual a failure would be). Power: with R = 150 per side
/// the critical distance is 1.95·√(2/150) ≈ 0.225. Checked once by hand as a negative control: the
/// model with n + 20 instead of n degrees of freedom (scaled to the same s2/n) gives KS distances
/// of 0.67, 1.0, 1.0, 0.99 and 0.56 at the five ranks, all far above 0.225.
#[test]
fn tridiagonal_model_has_the_dense_spectrum_law() {
    let (m, n, trials) = (500usize, 1000usize, 150u64);
    let strategy = Strategy::He;
    let s2 = strategy.variance(m, n).unwrap();
    let ranks = [0, m / 4, m / 2, 3 * m / 4, m - 1];
    let mut dense: Vec<Vec<f64>> = vec![Vec::new(); ranks.len()];
    let mut solver = GramSolver::new(m, n, SingularValueMethod::Gram).unwrap();
    let mut w = vec![0.0; m * n];
    let mut eig = vec![0.0; m];
    for t in 0..trials {
        sample_into(strategy, m, n, &mut trial_rng(101, t), &mut w).unwrap();
        solver.compute_into(&w, &mut eig).unwrap();
        ranks.iter().zip(&mut dense).for_each(|(&r, column)| column.push(eig[r]));
    }
    let mut tri: Vec<Vec<f64>> = vec![Vec::new(); ranks.len()];
    let mut model = LaguerreTridiagonal::new(m, n, s2).unwrap();
    let mut scratch = Vec::new();
    for t in 0..trials {
        model.sample(&mut trial_rng(202, t));
        model.eigenvalues_into(&mut eig, &mut scratch).unwrap();
        ranks.iter().zip(&mut tri).for_each(|(&r, column)| column.push(eig[r]));
    }
    let critical = C_ALPHA_0_001 * (2.0 / trials as f64).sqrt();
    for ((rank, a), b) in ranks.iter().zip(&dense).zip(&tri) {
        let d = two_sample_ks(a, b).unwrap();
        assert!(d <= critical, "rank {rank}: two-sample KS {d} > {critical}");
    }
}

/// The model is also right for tall W (m > n): it then draws the n nonzero eigenvalues.
#[test]
fn tall_shapes_match_the_dense_mean_of_lambda_max() {
    let (m, n, trials) = (120usize, 60usize, 200u64);
    let s2 = 1.0 / m as f64;
    let mut solver = GramSolver::new(m, n, SingularValueMethod::Gram).unwrap();
    let mut w = vec![0.0; m * n];
    let mut eig = vec![0.0; n];
    let (mut dense, mut tri) = (Vec::new(), Vec::new());
    let mut model = LaguerreTridiagonal::new(m, n, s2).unwrap();
    let mut scratch = Vec::new();
    for t in 0..trials {
        sample_into(Strategy::Variance { variance: s2 }, m, n, &mut trial_rng(3, t), &mut w).unwrap();
        solver.compute_into(&w, &mut eig).unwrap();
        dense.push(eig[n - 1]);
        model.sample(&mut trial_rng(4, t));
        model.eigenvalues_into(&mut eig, &mut scratch).unwrap();
        tri.push(eig[n - 1]);
    }
    let critical = C_ALPHA_0_001 * (2.0 / trials as f64).sqrt();
    let d = two_sample_ks(&dense, &tri).unwrap();
    assert!(d <= critical, "λmax two-sample KS {d} > {critical}");
}
