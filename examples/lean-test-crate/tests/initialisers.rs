//! The initialisers of this crate checked with rmspec, as an ML project's test suite would: f32
//! weights in PyTorch's out×in row-major layout, which is the column-major in×out matrix rmspec
//! expects (rows = fan-in), so `Layout::ColumnMajor` and no copy.

use rmspec::check::{Check, Layout};
use rmspec::initializer::{FanMode, Initializer, Nonlinearity};
use rmspec::Strategy;
use rmspec_lean_test_crate::{kaiming_normal, orthogonal, xavier_uniform, Linear};

fn check(layer: &Linear, claim: Check) -> rmspec::check::CheckReport {
    claim.run_slice(&layer.weight, layer.in_features, layer.out_features, Layout::ColumnMajor).expect("valid input")
}

#[test]
fn xavier_uniform_passes_as_xavier_uniform() {
    // Claimed under PyTorch's name: uniform entries of variance 2/(fan_in + fan_out). The KS
    // critical value is simulated with uniform entries (dense: 499 matrices of 128×384, about a
    // second), the edge intervals hold by universality, and the variance check is conservative
    // for uniform entries (their squares vary less than Gaussian ones). Seed 2: of seeds 1–60,
    // the check (false-alarm rate 0.01) rejected one, seed 1, by its KS check; 60 He-normal layers
    // of the same shape all passed.
    let layer = xavier_uniform(128, 384, 1.0, 2);
    let xavier: Strategy = "xavier-uniform".parse().unwrap();
    assert_eq!(xavier, Strategy::Framework(Initializer::XavierUniform { gain: 1.0 }));
    let report = check(&layer, Check::new(xavier));
    assert!(report.passed(), "{report}");
    assert!(report.to_string().contains("unit-variance uniform"), "{report}");
    // The same layer claimed with gain 1.1 (variance 21% too high) fails.
    let wrong = Strategy::Framework(Initializer::XavierUniform { gain: 1.1 });
    assert!(!check(&layer, Check::new(wrong).edges_only()).passed());
}

#[test]
fn kaiming_normal_passes_as_kaiming_normal_and_a_wrong_fan_is_caught() {
    let layer = kaiming_normal(128, 512, 2);
    let kaiming =
        Strategy::Framework(Initializer::KaimingNormal { mode: FanMode::FanIn, nonlinearity: Nonlinearity::Relu });
    assert_eq!("kaiming-normal:fan_in:relu".parse::<Strategy>().unwrap(), kaiming);
    let report = check(&layer, Check::new(kaiming));
    assert!(report.passed(), "{report}");
    // Claimed with in and out swapped (the classic PyTorch mistake): caught, with the hint.
    let swapped = Check::new(kaiming).edges_only().run_slice(&layer.weight, 512, 128, Layout::RowMajor).unwrap();
    assert!(!swapped.passed(), "{swapped}");
}

#[test]
fn torch_orthogonal_with_gain_passes_exactly_in_f32() {
    for (fan_in, fan_out, gain) in [(256, 128, 1.0), (96, 300, 2.0f64.sqrt())] {
        let layer = orthogonal(fan_in, fan_out, gain, 3);
        // PyTorch's orthogonal_(gain): every singular value is `gain`, checked exactly (up to the
        // f32 storage's rounding).
        let torch = Strategy::Framework(Initializer::TorchOrthogonal { gain });
        let report = check(&layer, Check::new(torch));
        assert!(report.passed(), "{report}");
        // The wrong gain fails.
        let wrong = Strategy::Framework(Initializer::TorchOrthogonal { gain: 1.05 * gain });
        assert!(!check(&layer, Check::new(wrong)).passed());
    }
}
