//! Every JSON document rmspec writes is valid against its published schema under `docs/schema/`
//! (validated with the `jsonschema` crate against real output of every command, including ±∞,
//! null standard errors and missing p-values), every schema is a valid draft 2020-12 schema whose
//! every property has a description, and every format the library lists has its schema.
//! About 4 s (small sizes; `report --quick` twice; `weights` on a four-tensor checkpoint twice).

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema").join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests")
}

/// Runs rmspec, parses its stdout as JSON and validates it against the schema of `format`.
fn check(format: &str, args: &[&str]) -> Value {
    let output = rmspec().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(format, &document, args);
    document
}

fn assert_valid(format: &str, document: &Value, context: &[&str]) {
    let validator = jsonschema::validator_for(&schema(format)).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(document).map(|e| format!("at {}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{context:?} against {format}:\n{}", errors.join("\n"));
    assert_eq!(document["format"]["name"], format);
}

#[test]
fn every_format_has_a_valid_schema_whose_properties_are_all_described() {
    fn undescribed(schema: &Value, path: &str, out: &mut Vec<String>) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, property) in properties {
                if property.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
                    out.push(format!("{path}.{key}"));
                }
                undescribed(property, &format!("{path}.{key}"), out);
            }
        }
        for key in ["items", "oneOf"] {
            match schema.get(key) {
                Some(Value::Array(list)) => list.iter().for_each(|s| undescribed(s, path, out)),
                Some(s @ Value::Object(_)) => undescribed(s, &format!("{path}[]"), out),
                _ => {}
            }
        }
    }
    for format in rmspec::output::FORMATS {
        let schema = schema(&format.name);
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{}: {e}", format.name));
        assert_eq!(schema["properties"]["format"]["properties"]["name"]["const"], format.name.as_ref());
        assert_eq!(schema["properties"]["format"]["properties"]["version"]["const"], format.version);
        let mut missing = Vec::new();
        undescribed(&schema, "", &mut missing);
        assert!(missing.is_empty(), "{}: properties without a description: {missing:?}", format.name);
    }
}

#[test]
fn law_documents_match_their_schemas_including_infinite_values() {
    let mp = check(
        "rmspec-law-marchenko-pastur",
        &["law", "mp", "--gamma", "2", "--cdf=inf", "--cdf", "0.5", "--density", "1", "--quantile", "1", "--json"],
    );
    assert_eq!(mp["cdf"][0]["x"], "Infinity");
    let mp = check("rmspec-law-marchenko-pastur", &["law", "mp", "--gamma", "0.5", "--grid", "0:3:7", "--json"]);
    assert_eq!(mp["grid"].as_array().unwrap().len(), 7);
    let tw = check(
        "rmspec-law-tracy-widom",
        &["law", "tw", "--beta", "2", "--quantile", "0", "--quantile", "1", "--grid=-3:1:3", "--json"],
    );
    assert_eq!(tw["support"]["lower"], "-Infinity");
    assert_eq!(tw["quantile"][0]["value"], "-Infinity");
    assert_eq!(tw["quantile"][1]["value"], "Infinity");
}

#[test]
fn edges_documents_match_their_schema() {
    let square = check("rmspec-edges", &["edges", "-m", "40", "-n", "40", "--json"]);
    assert_eq!(square["strategies"][0]["condition_number"], "Infinity");
    check("rmspec-edges", &["edges", "-m", "1", "-n", "5", "-s", "lecun,variance:0.5", "--json"]);
    check("rmspec-edges", &["edges", "-m", "90", "-n", "30", "--coverage", "0.5", "--json"]);
}

#[test]
fn spectrum_partial_and_merged_documents_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let plots = dir.path().join("plots");
    let plots = plots.to_str().unwrap();
    let dense = ["spectrum", "-m", "10", "-n", "16", "-s", "he,orthogonal,mix:0.5", "-t", "4", "--plots", plots];
    let v = check("rmspec-spectrum", &[&dense[..], &["--json"]].concat());
    assert_eq!(v["figures"].as_array().unwrap().len(), 1);
    // One trial: no standard error, no p-value.
    let one = check("rmspec-spectrum", &["spectrum", "-m", "6", "-n", "9", "-s", "he", "-t", "1", "--json"]);
    assert!(one["strategies"][0]["empirical"]["lambda_max"]["stderr"].is_null());
    assert!(one["strategies"][0]["edge_fit"]["p_value"].is_null());
    assert!(one["figures"].as_array().unwrap().is_empty());
    // m = n: κ's mean and standard error are null with the reason in `omitted` (E κ = ∞).
    let square = check("rmspec-spectrum", &["spectrum", "-m", "6", "-n", "6", "-s", "he", "-t", "3", "--json"]);
    assert!(square["strategies"][0]["empirical"]["condition_number"]["mean"].is_null());
    let histogram = ["spectrum", "-m", "20", "-n", "12", "-s", "he", "-t", "3", "--method", "tridiagonal"];
    check("rmspec-spectrum", &[&histogram[..], &["--histogram-only", "--json"]].concat());
    let common = ["spectrum", "-m", "8", "-n", "12", "-s", "arithmetic,orthogonal", "-t", "5", "--bins", "6"];
    let mut parts = Vec::new();
    for k in 1..=2 {
        let path = dir.path().join(format!("part-{k}.json"));
        let shard = format!("{k}/2");
        let output = rmspec().args(common).args(["--shard", &shard, "-o", path.to_str().unwrap()]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let partial: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_valid("rmspec-partial-spectrum", &partial, &["--shard", &shard]);
        parts.push(path);
    }
    let merge = ["merge", parts[0].to_str().unwrap(), parts[1].to_str().unwrap(), "--json"];
    check("rmspec-spectrum", &merge);
}

#[test]
fn propagate_report_and_kernel_floor_documents_match_their_schemas() {
    let v = check(
        "rmspec-propagate",
        &["propagate", "-w", "6,10,4", "-s", "he,orthogonal", "-a", "relu", "-t", "3", "--batch", "2", "--json"],
    );
    assert_eq!(v["forward"]["theory"], "exact");
    assert_eq!(v["backward"]["theory"], "mean-field");
    check("rmspec-propagate", &["propagate", "-w", "3,4", "-s", "lecun", "-t", "1", "--batch", "2", "--json"]);
    let dir = tempfile::tempdir().unwrap();
    let plots = dir.path().join("plots");
    let jacobian = check(
        "rmspec-jacobian",
        &["jacobian", "-w", "20,40,20", "-s", "lecun,orthogonal", "-a", "tanh", "--points", "5", "--simulate", "2"]
            .iter()
            .copied()
            .chain(["--plots", plots.to_str().unwrap(), "--json"])
            .collect::<Vec<_>>(),
    );
    assert_eq!(jacobian["figures"].as_array().unwrap().len(), 2);
    let atoms = check("rmspec-jacobian", &["jacobian", "-w", "16,8,16", "-s", "orthogonal", "--points", "3", "--json"]);
    assert!(atoms["strategies"][0]["simulation"].is_null() && atoms["strategies"][0]["law"]["top_atom"].is_object());
    let dir = tempfile::tempdir().unwrap();
    let (docs, plots) = (dir.path().join("docs"), dir.path().join("plots"));
    let args = ["report", "--quick", "--docs", docs.to_str().unwrap(), "--plots", plots.to_str().unwrap(), "--json"];
    let written = check("rmspec-report", &args);
    assert!(written["files"].as_array().unwrap().iter().all(|f| f["state"] == "written"));
    let checked = check("rmspec-report", &[&args[..], &["--check"]].concat());
    assert!(checked["files"].as_array().unwrap().iter().all(|f| f["state"] == "up-to-date"));
    assert_eq!(checked["sections"], written["sections"]);
    check("rmspec-kernel-floor", &["bench-kernels", "--m", "8", "--n", "12", "--trials", "2"]);
}

/// A checkpoint of four tensors written here: a torch Linear 40×20 (W is 20×40), a 3×3
/// convolution, a bias (skipped) and a Linear with one NaN (refused). Values from a fixed
/// linear congruential sequence in [−0.5, 0.5): a fixture, not a random matrix.
fn write_checkpoint(path: &Path) {
    let mut state = 12345u64;
    let mut values = |count: usize| -> Vec<u8> {
        (0..count)
            .flat_map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5).to_le_bytes()
            })
            .collect()
    };
    let mut nan = values(12 * 10);
    nan[..4].copy_from_slice(&f32::NAN.to_le_bytes());
    let tensors = [
        ("fc.weight", vec![40, 20], values(40 * 20)),
        ("conv.weight", vec![8, 4, 3, 3], values(8 * 4 * 9)),
        ("fc.bias", vec![40], values(40)),
        ("bad.weight", vec![12, 10], nan),
    ];
    let views: Vec<(&str, safetensors::tensor::TensorView)> = tensors
        .iter()
        .map(|(name, shape, bytes)| {
            (*name, safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes).unwrap())
        })
        .collect();
    safetensors::serialize_to_file(views, None, path).unwrap();
}

#[test]
fn weights_documents_match_their_schema_with_iid_and_exact_initialisers_and_refused_tensors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    write_checkpoint(&path);
    for init in ["torch-default", "torch-orthogonal"] {
        let args =
            ["weights", path.to_str().unwrap(), "--init", init, "--replicates", "39", "--false-alarm", "0.1", "--json"];
        let output = rmspec().args(args).output().unwrap();
        // The NaN tensor makes the run fail after the document is printed.
        assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
        let document: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_valid("rmspec-weights", &document, &args);
        let named = |list: &str, name: &str| -> Value {
            document[list].as_array().unwrap().iter().find(|t| t["name"] == name).cloned().unwrap_or_default()
        };
        assert_eq!(document["layers"].as_array().unwrap().len(), 2, "{document}");
        assert_eq!(named("skipped", "bad.weight")["non_finite"]["nan"], 1, "{document}");
        assert_eq!(named("layers", "conv.weight")["kind"]["conv"]["receptive_field"], 9, "{document}");
    }
}
