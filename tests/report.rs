//! `rmspec report`: byte-identical regeneration with 1 and 2 threads, and `--check`.
//!
//! These use the hidden `--quick` sizes (same code paths, tiny statistics) to stay cheap; CI runs
//! `rmspec report --check` on the committed full-size report.

use assert_cmd::Command;
use std::path::Path;

fn report(dir: &Path, threads: &str, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("rmspec")
        .unwrap()
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .args(["report", "--quick"])
        .args(extra)
        .output()
        .unwrap()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["docs", "plots"] {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(sub)).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            out.push((format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()), std::fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn regeneration_is_byte_identical_with_one_and_two_threads_and_check_detects_changes() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    assert!(report(one.path(), "1", &[]).status.success());
    assert!(report(two.path(), "2", &[]).status.success());
    let (a, b) = (files(one.path()), files(two.path()));
    assert!(a.len() > 10, "{} files", a.len());
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between 1 and 2 threads");
    }
    let markdown = String::from_utf8(a[0].1.clone()).unwrap();
    assert!(markdown.contains("## Summary") && markdown.contains("](../plots/chain-forward.svg)"));

    // --check passes on the fresh files, and fails, naming the file, after any change.
    assert!(report(one.path(), "2", &["--check"]).status.success());
    let figure = one.path().join("plots/chain-forward.svg");
    let mut bytes = std::fs::read(&figure).unwrap();
    bytes.push(b'\n');
    std::fs::write(&figure, bytes).unwrap();
    std::fs::remove_file(one.path().join("plots/gains-backward.svg")).unwrap();
    let failed = report(one.path(), "2", &["--check"]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8(failed.stderr).unwrap();
    assert!(stderr.contains("stale: plots/chain-forward.svg"), "{stderr}");
    assert!(stderr.contains("missing: plots/gains-backward.svg"), "{stderr}");
}
