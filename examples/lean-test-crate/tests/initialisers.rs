//! The initialisers of this crate checked with rmspec, as an ML project's test suite would: f32
//! weights in PyTorch's out×in row-major layout, which is the column-major in×out matrix rmspec
//! expects (rows = fan-in), so `Layout::ColumnMajor` and no copy.

use rmspec::check::{Check, Layout};
use rmspec::Strategy;
use rmspec_lean_test_crate::{kaiming_normal, orthogonal, xavier_uniform, Linear};

fn check(layer: &Linear, claim: Check) -> rmspec::check::CheckReport {
    claim.run_slice(&layer.weight, layer.in_features, layer.out_features, Layout::ColumnMajor).expect("valid input")
}

#[test]
fn xavier_uniform_has_the_xavier_spectrum() {
    // Uniform entries of variance 2/(fan_in + fan_out): rmspec's Gaussian intervals hold for
    // them by universality at this size (the variance check is conservative for them: uniform
    // entries' squares vary less than Gaussian ones).
    let layer = xavier_uniform(256, 512, 1.0, 1);
    let report = check(&layer, Check::new(Strategy::Arithmetic).edges_only());
    assert!(report.passed(), "{report}");
}

#[test]
fn kaiming_normal_has_the_he_spectrum_and_a_wrong_fan_is_caught() {
    let layer = kaiming_normal(128, 512, 2);
    let report = check(&layer, Check::new(Strategy::He));
    assert!(report.passed(), "{report}");
    // Claimed with in and out swapped (the classic PyTorch mistake): caught, with the hint.
    let swapped = Check::new(Strategy::He).edges_only().run_slice(&layer.weight, 512, 128, Layout::RowMajor).unwrap();
    assert!(!swapped.passed(), "{swapped}");
}

#[test]
fn torch_orthogonal_with_gain_passes_exactly_in_f32() {
    for (fan_in, fan_out, gain) in [(256, 128, 1.0), (96, 300, 2.0f64.sqrt())] {
        let layer = orthogonal(fan_in, fan_out, gain, 3);
        // Every singular value is `gain`: the orthogonal strategy with entry variance
        // gain²/max(fan_in, fan_out) (its singular values are √(max·s2)).
        let strategy = Strategy::orthogonal_with_variance(gain * gain / fan_in.max(fan_out) as f64).unwrap();
        let report = check(&layer, Check::new(strategy));
        assert!(report.passed(), "{report}");
        // The wrong gain fails.
        let wrong = Strategy::orthogonal_with_variance(1.1 * gain * gain / fan_in.max(fan_out) as f64).unwrap();
        assert!(!check(&layer, Check::new(wrong)).passed());
    }
}
