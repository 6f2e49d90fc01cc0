//! `rmspec propagate`: JSON shape, exact linear theory, and one-line errors for bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests")
}

#[test]
fn json_has_the_documented_shape_and_exact_linear_theory() {
    let output = rmspec()
        .args(["propagate", "--widths", "64,128,256,128,64", "--strategy", "all", "--trials", "8", "--batch", "4"])
        .args(["--seed", "3", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["widths"], serde_json::json!([64, 128, 256, 128, 64]));
    assert_eq!(doc["activation"], "linear");
    let strategies = doc["strategies"].as_array().unwrap();
    assert_eq!(strategies.len(), 6);
    for s in strategies {
        assert!(s["strategy"].is_string());
        let layers = s["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 4);
        let mut forward = 1.0;
        for layer in layers {
            for key in ["fan_in", "fan_out", "variance"] {
                assert!(layer[key].is_number(), "{key} in {layer}");
            }
            for direction in ["forward", "backward"] {
                for key in ["theory", "mean", "stderr"] {
                    assert!(layer[direction][key].is_number(), "{direction}.{key} in {layer}");
                }
            }
            let (m, s2) = (layer["fan_in"].as_f64().unwrap(), layer["variance"].as_f64().unwrap());
            forward *= m * s2;
            let theory = layer["forward"]["theory"].as_f64().unwrap();
            assert!((theory - forward).abs() <= 1e-15 * forward, "{theory} vs {forward}");
        }
    }
    // source: hand computation, geometric forward after layer 2 of the chain = √(64/256) = 0.5.
    let geometric = strategies.iter().find(|s| s["strategy"] == "geometric").unwrap();
    assert!((geometric["layers"][1]["forward"]["theory"].as_f64().unwrap() - 0.5).abs() < 1e-15);
}

#[test]
fn relu_text_output_names_the_activation_and_its_exact_forward_theory() {
    rmspec()
        .args(["propagate", "--widths", "16,32", "--strategy", "he", "--activation", "relu", "--trials", "4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("activation relu").and(predicate::str::contains("forward exact")));
}

#[test]
fn bad_input_is_a_one_line_error_with_non_zero_exit() {
    // (arguments, message, exit status: 2 for a usage error, a value not among the possible ones)
    let cases: [(&[&str], &str, i32); 5] = [
        (&["--widths", "64"], "at least two widths", 1),
        (&["--widths", "64,0,3"], "must all be ≥ 1", 1),
        (&["--widths", "4,4", "--activation", "sigmoid"], "invalid value 'sigmoid' for '--activation", 2),
        (&["--widths", "4,4", "--batch", "0"], "invalid batch = 0", 1),
        (&["--widths", "4,4", "--trials", "0"], "invalid trials = 0", 1),
    ];
    for (args, message, status) in cases {
        let output = rmspec().arg("propagate").args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(status), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
