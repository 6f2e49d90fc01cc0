//! Checking your own initialiser with rmspec, as an outside crate would (public API only).
//!
//! A "user" initialiser draws a fan-in × fan-out weight matrix for He/Kaiming initialisation
//! (entries N(0, 2/fan_in)). rmspec checks its spectral norm, smallest singular value, condition
//! number and bulk spectrum against the finite-size predictions at a 1% false-alarm rate, and
//! catches a classic bug: scaling by fan-out instead of fan-in.
//!
//! Run: `cargo run --release --example check_initialiser`

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use rmspec::check::{Check, Layout};
use rmspec::Strategy;

/// The initialiser under test: He normal, stored row-major as most frameworks do.
fn he_normal(fan_in: usize, fan_out: usize, seed: u64, buggy: bool) -> Vec<f32> {
    let fan = if buggy { fan_out } else { fan_in }; // the bug: the wrong fan
    let normal = Normal::new(0.0f32, (2.0 / fan as f32).sqrt()).expect("a positive standard deviation");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..fan_in * fan_out).map(|_| normal.sample(&mut rng)).collect()
}

fn main() -> Result<(), rmspec::Error> {
    let (fan_in, fan_out) = (256, 1024);

    // 1. A slice of f32 weights in row-major order.
    let weights: Vec<f32> = he_normal(fan_in, fan_out, 42, false);
    let report = Check::new(Strategy::He).false_alarm(0.01).run_slice(&weights, fan_in, fan_out, Layout::RowMajor)?;
    println!("{report}");
    assert!(report.passed(), "{report}");

    // 2. The same check on an nalgebra matrix, with the assertion macro.
    let w = DMatrix::from_row_slice(fan_in, fan_out, &weights);
    rmspec::assert_spectrum!(&w, Strategy::He, 0.01);

    // 3. The buggy initialiser is caught: its norm is half the promised one.
    let buggy: Vec<f32> = he_normal(fan_in, fan_out, 42, true);
    let report = Check::new(Strategy::He).run_slice(&buggy, fan_in, fan_out, Layout::RowMajor)?;
    println!("A deliberately buggy initialiser (scaled by fan-out instead of fan-in); the check must reject it:");
    println!("{report}");
    assert!(!report.passed());
    for failure in report.failures() {
        println!("caught: {} = {:.4}, expected {}", failure.quantity, failure.observed, failure.interval);
    }

    // 4. Bad input is an error, not a panic.
    let err = Check::new(Strategy::He).run_slice(&weights[1..], fan_in, fan_out, Layout::RowMajor).unwrap_err();
    println!("error as expected: {err}");
    Ok(())
}
