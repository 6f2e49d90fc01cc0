//! `rmspec weights` as a user runs it: bad input gives one line on stderr and exit status 1, and
//! a layer with NaN weights is listed and makes the run fail after the report is complete.

use assert_cmd::Command;
use serde_json::Value;

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").unwrap()
}

fn write_tensor(path: &std::path::Path, name: &str, shape: Vec<usize>, values: &[f32]) {
    let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
    let view = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape, &bytes).unwrap();
    safetensors::serialize_to_file([(name, view)], None, path).unwrap();
}

/// `count` deterministic values in [−0.5, 0.5): a fixture, not a random matrix.
fn fixture_values(count: usize) -> Vec<f32> {
    (0..count).map(|i| ((i * 7919 % 1000) as f32 / 1000.0) - 0.5).collect()
}

fn one_line_error(args: &[&str], needle: &str) {
    let output = rmspec().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{args:?}: {stderr}");
}

#[test]
fn bad_input_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.safetensors");
    write_tensor(&good, "fc.weight", vec![60, 30], &fixture_values(60 * 30));
    let good = good.to_str().unwrap();
    one_line_error(&["weights", "/nonexistent.safetensors"], "cannot open");
    one_line_error(&["weights", good, "--init", "glorot-sideways"], "unknown strategy");
    one_line_error(&["weights", good, "--init", "geometric"], "invalid init = geometric");
    one_line_error(&["weights", good, "--false-alarm", "1.5"], "invalid false alarm rate = 1.5");
    one_line_error(&["weights", good, "--replicates", "0"], "invalid replicates = 0");
    one_line_error(&["weights", good, "--replicates", "5"], "too few");
    one_line_error(&["weights", good, "--include", "nothing*"], "no tensor matches");
    let truncated = dir.path().join("cut.safetensors");
    let bytes = std::fs::read(good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    one_line_error(&["weights", truncated.to_str().unwrap()], "invalid safetensors header");
}

#[test]
fn a_layer_beyond_the_memory_limit_is_refused_with_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.safetensors");
    write_tensor(&path, "fc.weight", vec![300, 200], &fixture_values(300 * 200));
    // 200×300 f64 working copy = 480 000 bytes > 100 KiB.
    let output =
        rmspec().env("RMSPEC_MAX_MEMORY", "100K").args(["weights", path.to_str().unwrap(), "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let reason = report["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("would need about") && reason.contains("more than the limit of 100.0 KiB"), "{reason}");
}

#[test]
fn nan_weights_are_counted_and_fail_the_run_after_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nan.safetensors");
    let mut values = fixture_values(40 * 20);
    values[7] = f32::NAN;
    values[8] = f32::NEG_INFINITY;
    write_tensor(&path, "fc.weight", vec![40, 20], &values);
    let json = dir.path().join("report.json");
    let output = rmspec()
        .args(["weights", path.to_str().unwrap(), "--json", "--output", json.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refused for NaN or infinite values: fc.weight"), "{stderr}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(report["skipped"][0]["non_finite"]["nan"], 1);
    assert_eq!(report["skipped"][0]["non_finite"]["infinite"], 1);
    assert!(report["normalization"].as_str().unwrap().contains("m = fan-in"));
}

#[test]
fn framework_initialisers_work_in_edges_spectrum_and_not_with_the_tridiagonal_model() {
    let output = rmspec()
        .args(["edges", "--m", "64", "--n", "256", "--strategy", "torch-default,lecun-normal", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // torch default: U(±1/√64), variance 1/192.
    assert_eq!(report["strategies"][0]["strategy"], "torch-default");
    assert!((report["strategies"][0]["variance"].as_f64().unwrap() - 1.0 / 192.0).abs() < 1e-15);
    let output = rmspec()
        .args(["spectrum", "--m", "32", "--n", "64", "--strategy", "he-uniform", "--trials", "4", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    one_line_error(
        &["spectrum", "--m", "32", "--n", "64", "--strategy", "glorot-uniform", "--method", "tridiagonal"],
        "its entries are not Gaussian",
    );
}

/// The text header counts layers with the noun in agreement: "1 layer", not "1 layers" (found
/// on main at 26d3e72).
#[test]
fn one_layer_is_counted_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.safetensors");
    write_tensor(&path, "fc.weight", vec![40, 20], &fixture_values(40 * 20));
    let output = rmspec().args(["weights", path.to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.starts_with("rmspec weights: 1 layer ("), "{stdout}");
}
