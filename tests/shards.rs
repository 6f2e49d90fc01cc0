//! Scale-out: shards run as separate processes merge into exactly the single-run JSON.

use assert_cmd::Command;
use predicates::str::contains;
use std::path::{Path, PathBuf};

const COMMON: [&str; 10] = ["spectrum", "--m", "60", "--n", "40", "--trials", "11", "--bins", "17", "--no-plots"];

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").unwrap()
}

fn run_shards(dir: &Path, count: usize, seed: &str) -> Vec<PathBuf> {
    (1..=count)
        .map(|k| {
            let path = dir.join(format!("part-{k}.json"));
            rmspec()
                .args(COMMON)
                .args(["--strategy", "he,arithmetic,orthogonal,torch-default"])
                .args(["--seed", seed])
                .args(["--shard", &format!("{k}/{count}"), "--output"])
                .arg(&path)
                .assert()
                .success();
            path
        })
        .collect()
}

#[test]
fn four_shards_merge_to_the_single_run_byte_for_byte() {
    // torch-default (uniform entries) has its own bulk null, which the merge recomputes too.
    let single = rmspec()
        .args(COMMON)
        .args(["--strategy", "he,arithmetic,orthogonal,torch-default", "--seed", "5", "--json"])
        .output()
        .unwrap();
    assert!(single.status.success());
    let dir = tempfile::tempdir().unwrap();
    let mut parts = run_shards(dir.path(), 4, "5");
    parts.reverse(); // order of the parts does not matter
    let merged = rmspec().arg("merge").args(&parts).arg("--json").output().unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    assert_eq!(String::from_utf8(merged.stdout).unwrap(), String::from_utf8(single.stdout).unwrap());
}

#[test]
fn tridiagonal_and_histogram_only_shards_merge_too() {
    // The tridiagonal model reproduces Gaussian ensembles only.
    rmspec()
        .args(COMMON)
        .args(["--strategy", "orthogonal", "--method", "tridiagonal"])
        .assert()
        .failure()
        .stderr(contains("Gaussian strategies only"));
    for method in [&["--method", "tridiagonal"][..], &["--method", "tridiagonal", "--histogram-only"]] {
        let single = rmspec().args(COMMON).args(["--strategy", "he,lecun", "--json"]).args(method).output().unwrap();
        assert!(single.status.success());
        let dir = tempfile::tempdir().unwrap();
        let parts: Vec<PathBuf> = (1..=3)
            .map(|k| {
                let path = dir.path().join(format!("t-{k}.json"));
                rmspec()
                    .args(COMMON)
                    .args(["--strategy", "he,lecun", "--shard", &format!("{k}/3")])
                    .args(method)
                    .arg("--output")
                    .arg(&path)
                    .assert()
                    .success();
                path
            })
            .collect();
        let merged = rmspec().arg("merge").args(&parts).arg("--json").output().unwrap();
        assert!(merged.status.success(), "{method:?}: {}", String::from_utf8_lossy(&merged.stderr));
        assert_eq!(String::from_utf8(merged.stdout).unwrap(), String::from_utf8(single.stdout).unwrap(), "{method:?}");
    }
}

#[test]
fn mismatched_or_incomplete_partials_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let parts = run_shards(dir.path(), 2, "5");
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let other_parts = run_shards(&other, 2, "6");
    rmspec()
        .arg("merge")
        .args([&parts[0], &other_parts[1]])
        .assert()
        .failure()
        .stderr(contains("belongs to a different run: seed = 6"));
    rmspec().arg("merge").arg(&parts[0]).assert().failure().stderr(contains("shard 2/2 is missing"));
    rmspec().arg("merge").args([&parts[0], &parts[0]]).assert().failure().stderr(contains("given twice"));
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{}").unwrap();
    rmspec().arg("merge").arg(&garbage).assert().failure().stderr(contains("is not an rmspec partial result"));
    rmspec().args(COMMON).args(["--shard", "3/2"]).assert().failure().stderr(contains("invalid shard"));
}

/// Asserts that `rmspec merge --validate FILES` fails with a message containing `reason`.
fn validate_refuses(files: &[&PathBuf], reason: &str) {
    rmspec().args(["merge", "--validate"]).args(files).assert().failure().stderr(contains(reason));
}

#[test]
fn validate_checks_partials_without_merging() {
    let dir = tempfile::tempdir().unwrap();
    let parts = run_shards(dir.path(), 3, "5");
    // A subset is fine (shards may be missing); one line per file, naming its shard.
    let out = rmspec().arg("merge").arg("--validate").args([&parts[2], &parts[0]]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].ends_with("part-3.json: shard 3/3 of 60×40, 11 trials, seed 5: valid"), "{stdout}");
    assert!(lines[1].ends_with("part-1.json: shard 1/3 of 60×40, 11 trials, seed 5: valid"), "{stdout}");
    // A file cut short (as a non-atomic copy would leave it) is not a partial.
    let text = std::fs::read_to_string(&parts[1]).unwrap();
    std::fs::write(&parts[1], &text[..text.len() / 2]).unwrap();
    validate_refuses(&[&parts[1]], "part-2.json is not an rmspec partial result");
    // Shards of another run, or one shard twice, cannot go together.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let other_parts = run_shards(&other, 3, "6");
    validate_refuses(
        &[&parts[0], &other_parts[1]],
        "part-2.json cannot be merged with the files before it: part 2 belongs to a different run: seed = 6",
    );
    validate_refuses(&[&parts[0], &parts[0]], "part 2 is shard 1/3: given twice");
    // A partial whose records do not match its shard is refused with the reason.
    let edited = text.replacen("\"index\":2", "\"index\":1", 1);
    assert_ne!(edited, text, "the shard index is written as \"index\":2");
    std::fs::write(&parts[1], edited).unwrap();
    validate_refuses(
        &[&parts[1]],
        "is not a valid partial: invalid input: he: records of trials [1, 4, 7, 10] (4), shard 1/3 of 11 trials is trials [0, 3, 6, 9] (4)",
    );
    rmspec().arg("merge").args(["--validate", "--json"]).arg(&parts[0]).assert().failure();
}

/// Issue 10: κ(W) of a square Gaussian W has an infinite mean (Edelman 1988), so it is summarised
/// by its median and quartiles. Those come from the per-trial records, which partials carry
/// whole: the merge reproduces the single run byte for byte, and the quartiles equal type-7
/// quartiles computed here, independently, from the records in the partial files.
#[test]
fn kappa_quartiles_of_a_square_run_are_the_same_after_a_merge() {
    let square = ["spectrum", "--m", "12", "--n", "12", "--trials", "14", "--strategy", "he", "--seed", "3"];
    let square = [&square[..], &["--no-fits", "--no-plots"]].concat();
    let single = rmspec().args(&square).arg("--json").output().unwrap();
    assert!(single.status.success(), "{}", String::from_utf8_lossy(&single.stderr));
    let dir = tempfile::tempdir().unwrap();
    let mut kappa: Vec<f64> = Vec::new();
    let parts: Vec<PathBuf> = (1..=3)
        .map(|k| {
            let path = dir.path().join(format!("square-{k}.json"));
            rmspec().args(&square).args(["--shard", &format!("{k}/3"), "--output"]).arg(&path).assert().success();
            let partial: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let records = partial["records"][0].as_array().expect("he's records").clone();
            kappa.extend(records.iter().map(|r| r["condition_number"].as_f64().unwrap()));
            path
        })
        .collect();
    let merged = rmspec().arg("merge").args(&parts).arg("--json").output().unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    assert_eq!(String::from_utf8(merged.stdout.clone()).unwrap(), String::from_utf8(single.stdout).unwrap());

    // Hyndman–Fan type 7 in its 1-based textbook form: h = (N − 1)p + 1,
    // Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). N = 14: h = 4.25 and 10.75, so both interpolate.
    assert_eq!(kappa.len(), 14);
    kappa.sort_by(f64::total_cmp);
    let type7 = |p: f64| {
        let h = (kappa.len() - 1) as f64 * p + 1.0;
        let (j, g) = (h.floor() as usize, h - h.floor());
        kappa[j - 1] * (1.0 - g) + kappa[j] * g
    };
    let json: serde_json::Value = serde_json::from_slice(&merged.stdout).unwrap();
    let summary = &json["strategies"][0]["empirical"]["condition_number"];
    assert!(summary["mean"].is_null(), "{summary}");
    for (field, p) in [("lower_quartile", 0.25), ("upper_quartile", 0.75)] {
        let (got, want) = (summary[field].as_f64().unwrap(), type7(p));
        // Two roundings of the same interpolation: a few ulp apart at most.
        assert!((got - want).abs() <= 4.0 * f64::EPSILON * want, "{field}: {got} against {want}");
    }
    let median = summary["median"].as_f64().unwrap();
    assert!(
        summary["lower_quartile"].as_f64().unwrap() < median && median < summary["upper_quartile"].as_f64().unwrap()
    );
}
