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
                .args(["--strategy", "he,arithmetic,orthogonal"])
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
    let single = rmspec()
        .args(COMMON)
        .args(["--strategy", "he,arithmetic,orthogonal", "--seed", "5", "--json"])
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
