//! The finite-size drift of sampled networks' Jacobian spectra from the free-probability law: the
//! KS distance between the pooled eigenvalues of J Jᵀ and [`JacobianLaw`] as the widths grow
//! with fixed ratios, and the mean and largest eigenvalue beside the law's.
//!
//! The KS distance of T pooled spectra has a fluctuating part (each network's D_ℓ² are w draws
//! of φ'(h)², whose empirical law fluctuates like 1/√w; pooled, like 1/√(T·w)) and a bias, the
//! O(1/w) finite-size correction of the mean spectral distribution. The table prints the KS
//! distance, the iid critical value 1.95/√(T·w_L) that bounds the first part, and
//! w_L·(KS + 1.95/√(T·w_L)), an upper bound on w_L times the bias (|bias| ≤ KS + fluctuation).
//!
//! With many trials at a small width the fluctuating part is small, and
//! w_L·(KS + 1.95/√(T·w_L)) bounds w_L times the bias (at α = 0.001): that is how the bias
//! constant of `tests/jacobian_simulation.rs` is measured (`jacobian_drift 64 25,50`).
//!
//! Run: `cargo run --release --example jacobian_drift [trials] [k,k,…]` (default 8 networks per
//! width and base widths 25, 50, 100, 200; at width 400 and depth 3 a trial is three 400×400
//! products and one SVD).

use rmspec::activation::Activation;
use rmspec::experiment::jacobian::simulate;
use rmspec::law::jacobian::{JacobianLaw, Network};
use rmspec::law::SpectralLaw;
use rmspec::Strategy;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trials: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(8);
    let bases: Vec<usize> = match std::env::args().nth(2) {
        Some(list) => list.split(',').map(|k| k.trim().parse()).collect::<Result<_, _>>()?,
        None => vec![25, 50, 100, 200],
    };
    let orthogonal = Strategy::Orthogonal { variance: None };
    // (name, widths as multiples of the base width k, strategy, activation)
    let cases: [(&str, &[usize], Strategy, Activation); 5] = [
        ("tanh, Gaussian, square, depth 3", &[1, 1, 1, 1], Strategy::LeCun, Activation::Tanh),
        ("tanh, orthogonal, square, depth 3", &[1, 1, 1, 1], orthogonal, Activation::Tanh),
        ("tanh, Gaussian, rectangular 2:6:3:4", &[2, 6, 3, 4], Strategy::Arithmetic, Activation::Tanh),
        ("linear, Gaussian, rectangular 2:6:3:4", &[2, 6, 3, 4], Strategy::Arithmetic, Activation::Linear),
        ("relu, He, square, depth 3", &[1, 1, 1, 1], Strategy::He, Activation::Relu),
    ];
    println!("trials {trials}, seed 1; KS between pooled eigenvalues of J Jᵀ and the law");
    for (name, ratios, strategy, activation) in cases {
        println!("\n{name}");
        println!(
            "{:>4} {:>6} {:>9} {:>9} {:>9} {:>22} {:>9} {:>22} {:>9}",
            "k", "w_L", "KS", "1.95/√Tw", "w·(KS+)", "mean ± se", "law", "λmax ± se", "law"
        );
        for &k in &bases {
            let widths: Vec<usize> = ratios.iter().map(|r| r * k).collect();
            let law = JacobianLaw::new(&Network::new(widths.clone(), strategy, activation)?)?;
            let sim = simulate(&law, trials, 1)?;
            let w_last = *widths.last().unwrap() as f64;
            let iid = 1.95 / (trials as f64 * w_last).sqrt();
            println!(
                "{:>4} {:>6} {:>9.5} {:>9.5} {:>9.3} {:>12.6} ± {:<8.6} {:>9.6} {:>12.6} ± {:<8.6} {:>9.6}",
                k,
                w_last,
                sim.ks_distance,
                iid,
                w_last * (sim.ks_distance + iid),
                sim.mean.mean,
                sim.mean.stderr,
                law.mean(),
                sim.largest.mean,
                sim.largest.stderr,
                law.largest_squared_singular_value()
            );
        }
    }
    Ok(())
}
