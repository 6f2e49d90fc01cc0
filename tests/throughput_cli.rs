//! CLI behaviour of the throughput features: determinism across thread counts, the method
//! named in the JSON, histogram-only runs, and the layout flag.

use assert_cmd::Command;
use predicates::str::contains;

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").unwrap()
}

fn json(args: &[&str], rayon_threads: &str) -> String {
    let out = rmspec().env("RAYON_NUM_THREADS", rayon_threads).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn same_seed_gives_the_same_json_for_any_rayon_thread_count() {
    let args =
        ["spectrum", "--m", "48", "--n", "96", "--trials", "9", "--strategy", "he,orthogonal", "--no-plots", "--json"];
    let one = json(&args, "1");
    assert_eq!(one, json(&args, "2"));
    assert_eq!(one, json(&args, "3"));
    assert!(one.contains("\"name\": \"dense\""), "{one}");
    assert!(one.contains("\"description\": \"dense: dsyrk Gram + dsyev eigenvalues"), "{one}");
    assert!(one.contains("\"svd_fallback_trials\": 0"), "{one}");
}

#[test]
fn tridiagonal_runs_name_their_method_and_histogram_only_counts_every_eigenvalue() {
    let base = ["spectrum", "--m", "300", "--n", "600", "--trials", "3", "--strategy", "he", "--no-plots", "--json"];
    let full = json(&[&base[..], &["--method", "tridiagonal"]].concat(), "2");
    assert!(full.contains("\"name\": \"tridiagonal\"") && full.contains("\"singular_values\": \"gram\""), "{full}");
    assert!(full.contains("\"description\": \"tridiagonal: Dumitriu–Edelman"), "{full}");
    let hist = json(&[&base[..], &["--method", "tridiagonal", "--histogram-only", "--bins", "20"]].concat(), "2");
    assert!(hist.contains("\"name\": \"tridiagonal-histogram\""), "{hist}");
    let value: serde_json::Value = serde_json::from_str(&hist).unwrap();
    let h = &value["strategies"][0]["histogram"];
    let binned: u64 = h["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum();
    let total = binned + h["below"].as_u64().unwrap() + h["above"].as_u64().unwrap();
    assert_eq!(total, 3 * 300, "every eigenvalue of every trial is counted once");
    assert!(value["strategies"][0]["ks_distance_at_bin_edges"].as_f64().unwrap() < 0.1);
    // Histogram-only needs the tridiagonal method.
    rmspec().args(base).arg("--histogram-only").assert().failure().stderr(contains("needs --method tridiagonal"));
}

#[test]
fn layouts_are_accepted_and_unknown_ones_refused() {
    for layout in ["auto", "trials", "blas"] {
        rmspec()
            .args(["spectrum", "--m", "20", "--n", "30", "--trials", "2", "--strategy", "he", "--no-plots", "--json"])
            .args(["--threads-layout", layout])
            .assert()
            .success();
    }
    rmspec()
        .args(["spectrum", "--m", "20", "--n", "30", "--no-plots", "--threads-layout", "both"])
        .assert()
        .failure()
        .code(2)
        .stderr(contains("invalid value 'both' for '--threads-layout <THREADS_LAYOUT>'"))
        .stderr(contains("[possible values: trials, blas, auto]"));
}

/// Ctrl-C (SIGINT) stops a run cleanly: exit status 130, the one-line message, and no partial
/// file (writes happen only after the run, atomically).
#[cfg(unix)]
#[test]
fn sigint_stops_a_run_without_writing_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("part.json");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rmspec"))
        .args(["spectrum", "--m", "400", "--n", "800", "--trials", "100000", "--strategy", "he", "--no-plots"])
        .args(["--shard", "1/1", "--output"])
        .arg(&output)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted before the run finished"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no file, not even a temporary one: {left:?}");
}
