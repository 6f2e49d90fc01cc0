//! Issue 2's acceptance run, as a user would run it:
//! `rmspec spectrum --m 512 --n 1024 --strategy all --trials 50 --seed 1 --plots plots --json`.
//!
//! The bars are the issue's: KS distance below 0.02 for every Gaussian strategy, λmax within 3% of
//! the Marchenko–Pastur edge λ+, mean spectral norm within 3% of Bai–Yin. At this size λmax sits
//! about 1% inside λ+ (O(n^{−2/3})), so these are real checks, not loose ones.
//!
//! λmin⁺ is the exception: its finite-size offset from λ− at 512×1024 is itself about 3%
//! (reflected TW₁ on the log scale, ν = σ₋/μ₋ ≈ 0.025: the median sits about 3.3%
//! above λ−), so the 3% bar fails in expectation and passing it is luck. λmin⁺ is checked
//! against its finite-size prediction instead: the median over trials within 4 standard errors
//! of the predicted median, SE(median) ≈ √(π/2)·sd/√T. The exact-moment checks with
//! standard-error tolerances live in `sampler_statistics.rs`.

use assert_cmd::Command;
use rmspec::law::{EdgeScaling, LowerEdge, SpectralLaw, TracyWidom};
use serde_json::Value;

/// The predicted median of λ_min⁺(S) at variance s2: s2·exp(τ − ν·q_TW₁(½))/n.
fn predicted_median_lambda_min(m: usize, n: usize, s2: f64) -> f64 {
    let tw_median = TracyWidom::new(1).unwrap().quantile(0.5).unwrap();
    match EdgeScaling::new(m, n).unwrap().lower_edge() {
        LowerEdge::Soft { tau, nu } => s2 * (tau - nu * tw_median).exp() / n as f64,
        LowerEdge::Hard { .. } => unreachable!("m ≠ n"),
    }
}

#[test]
fn spectrum_512_by_1024_matches_marchenko_pastur_and_bai_yin() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("rmspec")
        .unwrap()
        .current_dir(dir.path())
        .args(["spectrum", "--m", "512", "--n", "1024", "--strategy", "all", "--trials", "50", "--seed", "1"])
        .args(["--plots", "plots", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    let relative = |a: &Value, b: &Value| (a.as_f64().unwrap() / b.as_f64().unwrap() - 1.0).abs();
    for s in v["strategies"].as_array().unwrap() {
        let name = s["strategy"].as_str().unwrap();
        let (p, e) = (&s["predicted"], &s["empirical"]);
        if name == "orthogonal" {
            assert!(s["ks_distance"].is_null());
            assert!(relative(&e["condition_number"]["mean"], &p["condition_number"]) < 1e-12);
            continue;
        }
        let ks = s["ks_distance"].as_f64().unwrap();
        assert!(ks < 0.02, "{name}: KS {ks}");
        assert!(relative(&e["lambda_max"]["mean"], &p["mp_support"]["upper"]) < 0.03, "{name} λmax");
        let s2 = s["variance"].as_f64().unwrap();
        let median = e["lambda_min"]["median"].as_f64().unwrap();
        let se_median = (std::f64::consts::PI / 2.0).sqrt() * e["lambda_min"]["stderr"].as_f64().unwrap();
        let predicted = predicted_median_lambda_min(512, 1024, s2);
        // The median the document prints beside the limit is this one.
        assert!((p["medians"]["lambda_min"].as_f64().unwrap() / predicted - 1.0).abs() < 1e-12, "{name}");
        assert!((median - predicted).abs() < 4.0 * se_median, "{name} λmin median {median} vs {predicted}");
        assert!(relative(&e["spectral_norm"]["mean"], &p["spectral_norm"]) < 0.03, "{name} ‖W‖");
        // Issue 3: λmax over the 50 independent matrices vs TW₁ at α = 0.001 (iid, so the KS
        // p-value is valid), and the calibrated bulk test is reported.
        let p_value = s["edge_fit"]["p_value"].as_f64().unwrap();
        assert!(p_value > 0.001, "{name}: λmax vs TW₁ p-value {p_value}");
        assert!(s["bulk_fit"]["critical_value"].as_f64().unwrap() > 0.0, "{name}");
        assert_eq!(s["figures"].as_array().unwrap().len(), 1);
    }
}
