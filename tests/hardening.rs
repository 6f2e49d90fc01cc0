//! Regression tests of issue 10 (hardening): every case the issue lists answers with a one-line
//! error naming the input and the documented exit status (README, "Bad input"), or a correct
//! result. Each run is tiny or refused before any work: about 5 s in all, most of it the two
//! signal tests' runs.

use assert_cmd::Command;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn rmspec() -> Command {
    let mut command = Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests");
    // A fixed limit, so that refusals do not depend on the machine's memory.
    command.env("RMSPEC_MAX_MEMORY", "2G").env_remove("RAYON_NUM_THREADS");
    command
}

/// Runs `args`, which must fail with `status`, nothing on stdout and one `error:` line on
/// stderr containing `needle`.
fn fails(args: &[&str], status: i32, needle: &str) {
    fails_with(rmspec().args(args), args, status, needle);
}

fn fails_with(command: &mut Command, args: &[&str], status: i32, needle: &str) {
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(needle), "{args:?}: expected '{needle}' in {stderr}");
}

/// Hidden temporaries (`.rmspec-…` or the old `.NAME.PID.tmp`) left anywhere under `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            found.extend(temporaries(&entry.path()));
        } else if name.starts_with('.') {
            found.push(name);
        }
    }
    found
}

#[test]
fn memory_of_every_phase_is_estimated_before_allocating() {
    // A dense run (and the dense bulk calibration of a framework initialiser's uniform entries)
    // at 100000×200000 is refused before allocating. (A tridiagonal run's calibration, once dense
    // and aborting on an 80 GB allocation, is now tridiagonal too: O(k) per worker.)
    let big = ["spectrum", "--strategy", "torch-default", "--trials", "1", "--m", "100000", "--n", "200000"];
    fails(&big, 1, "the spectra of 1 trial(s) of a 100000×200000 matrix would need about");
    let mut small = rmspec();
    small.env("RMSPEC_MAX_MEMORY", "200M");
    let mid = ["spectrum", "--strategy", "torch-default", "--trials", "1", "--m", "4000", "--n", "8000"];
    fails_with(small.args(mid), &mid, 1, "more than the limit of 200.0 MiB");
    // Capacity overflow: 20 trials × 10¹⁸ zero eigenvalues do not fit in 64 bits.
    fails(&["spectrum", "--m", "1000000000000000000", "--n", "2", "--method", "tridiagonal"], 1, "invalid trials = 20");
    fails(&["spectrum", "--m", "4", "--n", "8", "--bulk-replicates", "9223372036854775807"], 1, "bulk calibration");
    fails(&["spectrum", "--m", "4", "--n", "8", "--bulk-replicates", "100000000000"], 1, "bulk calibration");
    fails(&["propagate", "--widths", "100000,100000", "--trials", "1", "--batch", "1"], 1, "propagation of 1 trial(s)");
    fails(&["propagate", "--widths", "10,10", "--batch", "100000000000"], 1, "would need about");
    fails(&["propagate", "--widths", "10,10", "--trials", "18446744073709551615"], 2, "--trials");
    fails(&["spectrum", "--m", "4", "--n", "8", "--bins", "300000000", "--json"], 1, "invalid bins = 300000000");
}

#[test]
fn zero_eigenvalue_counts_do_not_wrap() {
    let args = ["spectrum", "--m", "9223372036854775807", "--n", "2", "--method", "tridiagonal", "--histogram-only"];
    fails(&args, 1, "countable in 64 bits");
}

#[test]
fn negative_numbers_reach_rmspecs_own_checks() {
    fails(&["spectrum", "--m", "4", "--n", "8", "--seed", "-1"], 2, "invalid value '-1' for '--seed");
    fails(&["propagate", "--widths", "3,3", "--trials", "-1"], 1, "invalid trials = -1");
    fails(&["spectrum", "--m", "4", "--n", "8", "--shard", "-1/4"], 1, "invalid shard = '-1/4'");
    let out =
        rmspec().args(["law", "mp", "--gamma", "1", "--variance", "1", "--cdf", "-inf", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_value_that_looks_like_a_long_option_is_not_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| rmspec().current_dir(dir.path()).args(args).output().unwrap();
    // A name or path never starts with '-': `--json` is a missing value, not a file name.
    for args in [
        &["law", "mp", "--gamma", "1", "--cdf", "1", "--output", "--json"][..],
        &["spectrum", "--m", "4", "--n", "8", "--trials", "1", "--plots", "--json"],
        &["report", "--docs", "--check"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("a value is required"), "{args:?}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file named --json");
    // A numeric option given an option name says so (not a file, not a silent default).
    fails(&["law", "mp", "--gamma", "1", "--cdf", "--json"], 2, "invalid value '--json' for '--cdf");
    // Hyphen values where they mean something: negative numbers, -inf, -.5, -1/4, a negative grid.
    for args in [
        &["law", "mp", "--gamma", "1", "--cdf", "-.5", "--density", "-inf", "--json"][..],
        &["law", "mp", "--gamma", "1", "--grid", "-4:2:3", "--json"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    fails(&["law", "mp", "--gamma", "-2"], 1, "invalid gamma = -2");
}

#[test]
fn levels_too_close_to_one_name_their_option() {
    // 1 − 2⁻⁵³ < 1, but the upper tail (1 + level)/2 of a central interval rounds to 1.
    let level = "0.9999999999999999";
    fails(&["edges", "--m", "10", "--n", "20", "--coverage", level], 1, "invalid coverage = 0.9999999999999999");
    fails(&["spectrum", "--m", "4", "--n", "8", "--coverage", level], 1, "invalid coverage = 0.9999999999999999");
    fails(&["spectrum", "--m", "4", "--n", "8", "--bulk-level", level], 1, "invalid bulk level = 0.9999999999999999");
    fails(&["merge", "--coverage", level, "missing.json"], 1, "invalid coverage = 0.9999999999999999");
    // The largest accepted level is 1 − 2⁻⁵².
    let out = rmspec().args(["edges", "--m", "10", "--n", "20", "--coverage", "0.9999999999999998"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn invalid_environment_variables_are_errors() {
    for value in ["abc", "-1G", "1e400", "16777216T"] {
        let mut command = rmspec();
        command.env("RMSPEC_MAX_MEMORY", value);
        // The variable is read where a run is sized.
        let spectrum = ["spectrum", "--m", "4", "--n", "8", "--trials", "2", "--strategy", "he"];
        fails_with(command.args(spectrum), &spectrum, 1, &format!("invalid RMSPEC_MAX_MEMORY = '{value}'"));
        // And by every command, also those that size nothing.
        let edges = ["edges", "--m", "4", "--n", "8"];
        let mut command = rmspec();
        command.env("RMSPEC_MAX_MEMORY", value);
        fails_with(command.args(edges), &edges, 1, &format!("invalid RMSPEC_MAX_MEMORY = '{value}'"));
    }
    let mut command = rmspec();
    command.env("RAYON_NUM_THREADS", "many");
    fails_with(command.args(["law", "tw", "--beta", "1", "--cdf", "0"]), &[], 1, "invalid RAYON_NUM_THREADS = 'many'");
}

#[test]
fn absurd_thread_counts_are_capped() {
    let start = Instant::now();
    let output = rmspec()
        .env("RAYON_NUM_THREADS", "10000")
        .args(["spectrum", "--m", "4", "--n", "8", "--strategy", "he", "--trials", "2"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // It took over 60 s before; a generous bound for a loaded 2-core machine, not a benchmark.
    assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
}

#[test]
fn stdout_failures_are_named_and_a_closed_pipe_ends_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("rmspec");
    let law = ["law", "mp", "--gamma", "1", "--variance", "1", "--cdf", "1", "--json"];
    let full = std::process::Command::new(&bin)
        .args(law)
        .stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&full.stderr).starts_with("error: writing to stdout: No space left on device"));
    // A closed stdout: the shell's >&-.
    let closed = std::process::Command::new("sh").arg("-c").arg("exec \"$0\" \"$@\" >&-").arg(&bin).args(law).output();
    let closed = closed.unwrap();
    assert_eq!(closed.status.code(), Some(1), "{}", String::from_utf8_lossy(&closed.stderr));
    assert!(String::from_utf8_lossy(&closed.stderr).contains("writing to stdout"));
    // A reader that has gone: status 141 and no message, as `yes | head -1`.
    let script = "\"$0\" law mp --gamma 1 --variance 1 --grid 0:4:100000 --json | head -c 1 >/dev/null; \
                  echo \"${PIPESTATUS:-x}\"";
    let pipe = std::process::Command::new("bash")
        .arg("-c")
        .arg(script.replace("${PIPESTATUS:-x}", "${PIPESTATUS[0]}"))
        .arg(&bin)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&pipe.stdout).trim(), "141");
    assert!(pipe.stderr.is_empty(), "{}", String::from_utf8_lossy(&pipe.stderr));
}

#[test]
fn a_device_given_as_output_stays_a_device() {
    // `--output /dev/full` replaced the device with a regular file (as root).
    let args = ["law", "tw", "--beta", "1", "--cdf", "0", "--output", "/dev/full"];
    fails(&args, 1, "cannot write /dev/full: No space left on device");
    let kind = std::fs::metadata("/dev/full").unwrap().file_type();
    assert!(!kind.is_file(), "/dev/full became a regular file");
}

#[test]
fn strategies_are_merged_shortened_and_checked_before_the_compute() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["spectrum", "--m", "4", "--n", "8", "--trials", "2", "--plots", "p", "--json"];
        args.extend_from_slice(extra);
        let output = rmspec().current_dir(dir.path()).args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let json = run(&["--strategy", "he,kaiming,HE"]);
    assert_eq!(json["strategies"].as_array().unwrap().len(), 1, "he computed once");
    let json = run(&["--strategy", "variance:1e-300"]);
    assert_eq!(json["strategies"][0]["strategy"], "variance:1e-300");
    assert!(dir.path().join("p/spectrum-m4-n8-variance-1e-300-t2-seed1.svg").exists());
    // Runs that draw different figures write different files.
    run(&["--strategy", "he", "--bins", "30"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("p"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.retain(|n| n.starts_with("spectrum-m4-n8-he-"));
    names.sort();
    assert_eq!(names, ["spectrum-m4-n8-he-t2-seed1-b30.svg", "spectrum-m4-n8-he-t2-seed1.svg"]);
    // A 240-digit variance gets a short name (its figure name was too long to write, found
    // after the compute).
    let json = run(&["--strategy", &format!("variance:{}", "1".repeat(240))]);
    assert_eq!(json["strategies"][0]["strategy"], "variance:1.111111111111111e239");
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn output_names_up_to_name_max_work() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.json", "x".repeat(250));
    let output = rmspec()
        .current_dir(dir.path())
        .args(["law", "tw", "--beta", "1", "--cdf", "0", "--json", "--output", &name])
        .output();
    let output = output.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.path().join(&name).exists());
}

#[test]
fn merge_refuses_partials_that_cannot_be_a_shard_of_their_run() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("p.json");
    let args = ["spectrum", "--m", "6", "--n", "4", "--strategy", "he", "--trials", "3", "--no-fits", "--shard", "1/1"];
    let output = rmspec().args(args).arg("--output").arg(&part).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let good: serde_json::Value = serde_json::from_slice(&std::fs::read(&part).unwrap()).unwrap();
    let cases: [(&str, serde_json::Value, &str); 9] = [
        ("/shard/index", 0.into(), "shard 0/1"),
        ("/shard/index", 2.into(), "shard 2/1"),
        ("/shard/count", 0.into(), "shard 1/0"),
        ("/run/bins", 1_000_000_000_000_000u64.into(), "invalid bins"),
        ("/run/m", 1_000_000_000_000u64.into(), "would need about"),
        ("/run/fit/bulk_replicates", 1_000_000_000_000u64.into(), "bulk calibration"),
        ("/pooled/0/histogram/below", u64::MAX.into(), "a histogram holding"),
        ("/records/0/0/condition_number", (-1.0).into(), "condition_number = -1 is below 1"),
        ("/pooled/0/ks_grid/zero", 1_000_000_000u64.into(), "at zero"),
    ];
    for (pointer, value, needle) in cases {
        let mut bad = good.clone();
        *bad.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value;
        std::fs::write(&part, serde_json::to_vec(&bad).unwrap()).unwrap();
        let args = ["merge", part.to_str().unwrap()];
        fails(&args, 1, needle);
        let validate = ["merge", "--validate", part.to_str().unwrap()];
        fails(&validate, 1, needle);
    }
    // A grid declaring 10¹⁵ cells is refused before it is allocated.
    let mut bad = good.clone();
    *bad.pointer_mut("/pooled/0/ks_grid/cells/len").unwrap() = 1_000_000_000_000_000u64.into();
    std::fs::write(&part, serde_json::to_vec(&bad).unwrap()).unwrap();
    fails(&["merge", part.to_str().unwrap()], 1, "more than the 1048576 rmspec writes");
    // Holding all N partials is counted before the second is read: 400 partials of one
    // strategy hold 400 × 8 MiB of grid counts, above the 2G limit, so the files after the
    // first (which do not exist) are never opened.
    std::fs::write(&part, serde_json::to_vec(&good).unwrap()).unwrap();
    let mut args = vec!["merge".to_string(), part.to_str().unwrap().to_string()];
    args.extend((2..=400).map(|i| format!("missing-{i}.json")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fails(&args, 1, "merging 400 partial(s) of a 6×4 run");
}

/// Sends `signal` to a run drawing figures once it has started, and checks that it stops within
/// a few seconds with status 130, leaving no file and no temporary.
fn stops_cleanly_on(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rmspec"))
        .current_dir(dir.path())
        .args(["spectrum", "--m", "300", "--n", "600", "--trials", "100000", "--no-fits", "--plots", "p"])
        .args(["--output", "out.txt"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    assert!(std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    // "Within about a second"; 10 s leaves room for a loaded machine.
    assert!(sent.elapsed() < Duration::from_secs(10), "{signal}: {:?}", sent.elapsed());
    assert_eq!(status.code(), Some(130), "{signal}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.starts_with("error: interrupted"), "{stderr}");
    assert!(!dir.path().join("out.txt").exists());
    let figures: Vec<_> = std::fs::read_dir(dir.path().join("p")).unwrap().collect();
    assert!(figures.is_empty(), "{signal}: {figures:?}");
}

#[test]
fn sigint_sigterm_and_sighup_stop_a_run_leaving_nothing() {
    for signal in ["INT", "TERM", "HUP"] {
        stops_cleanly_on(signal);
    }
}

/// Issue 10, item 3: a signal while the figures are being written (not during the trials, as in
/// [`stops_cleanly_on`]) leaves no partial set: the run waits until the first figure's temporary
/// exists in the figure directory, then sends SIGTERM. PNG at 300 dpi makes each of the seven
/// figures take a few hundred milliseconds to render, so the signal lands between figures.
/// About 2 s.
#[test]
fn a_signal_while_figures_are_written_leaves_no_partial_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rmspec"))
        .current_dir(dir.path())
        .args(["spectrum", "--m", "40", "--n", "80", "--trials", "2", "--no-fits", "--plots", "p"])
        .args(["--format", "png", "--dpi", "300", "--output", "out.txt"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let figures = dir.path().join("p");
    let started = Instant::now();
    loop {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before a figure was staged");
        assert!(started.elapsed() < Duration::from_secs(120), "no figure staged in 120 s");
        if figures.is_dir() && !temporaries(&figures).is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(&figures).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!dir.path().join("out.txt").exists());
}

/// Runs rmspec with a file-size limit (RLIMIT_FSIZE, `ulimit -f` in 512- or 1024-byte blocks)
/// and SIGXFSZ ignored, so that a write past it fails like a full disk.
fn with_file_limit(dir: &Path, blocks: u32, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("ulimit -f {blocks}; trap '' XFSZ; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("rmspec"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_leaves_no_partial_set_of_figures() {
    let dir = tempfile::tempdir().unwrap();
    // Figures of 10–40 kB: with a 24-block limit the small ones fit and the overlay does not.
    let args =
        ["spectrum", "--m", "40", "--n", "80", "--trials", "4", "--plots", "p", "--output", "out.json", "--json"];
    let output = with_file_limit(dir.path(), 24, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("p")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn a_full_disk_leaves_no_report_linking_to_missing_figures() {
    let dir = tempfile::tempdir().unwrap();
    // The quick report: report.md ≈ 46 kB and 17 figures of 6–124 kB. A limit of 100 blocks
    // (50 or 100 kB, as the shell counts them) lets report.md and the small figures through
    // and stops the large ones: before, report.md was written linking to figures not there.
    let output = with_file_limit(dir.path(), 100, &["report", "--quick", "--docs", "d", "--plots", "p"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert!(!dir.path().join("d/report.md").exists());
    assert!(std::fs::read_dir(dir.path().join("p")).unwrap().next().is_none(), "figures left");
    assert!(temporaries(dir.path()).is_empty(), "{:?}", temporaries(dir.path()));
}

#[test]
fn kappa_is_summarised_without_a_mean_where_its_moments_are_infinite() {
    let kappa = |m: &str, n: &str, strategy: &str| {
        let args = ["spectrum", "--m", m, "--n", n, "--strategy", strategy, "--trials", "5", "--no-fits", "--json"];
        let output = rmspec().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["strategies"][0]["empirical"]["condition_number"].clone()
    };
    // m = n, Gaussian: E κ = ∞ (Edelman 1988): no mean, no standard error; the median stays.
    let square = kappa("8", "8", "he");
    assert!(square["mean"].is_null() && square["stderr"].is_null(), "{square}");
    assert!(square["omitted"].as_str().unwrap().contains("E κ(W) is infinite"), "{square}");
    assert!(square["median"].as_f64().unwrap() >= 1.0 && square["max"].as_f64().unwrap() >= 1.0);
    // |m − n| = 1: the mean exists, the variance does not.
    let near = kappa("8", "9", "he");
    assert!(near["mean"].as_f64().unwrap() >= 1.0 && near["stderr"].is_null(), "{near}");
    assert!(near["omitted"].as_str().unwrap().contains("Var κ(W) is infinite"), "{near}");
    // |m − n| ≥ 2, or an orthogonal W (κ = 1 exactly): mean ± standard error as for every quantity.
    for summary in [kappa("8", "10", "he"), kappa("8", "8", "orthogonal")] {
        assert!(summary["mean"].as_f64().is_some() && summary["stderr"].as_f64().is_some(), "{summary}");
        assert!(summary.get("omitted").is_none(), "{summary}");
    }
    let text = rmspec().args(["spectrum", "--m", "8", "--n", "8", "--trials", "5", "--no-fits"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("κ(W): E κ(W) is infinite"));
}

/// Issue 10, item 4: `law mp` at extreme parameters. The density was `null` for s2 below about
/// 1e-170 and 0 above about 1e155 (s2·x under- or overflowed); an upper edge beyond the largest
/// double answered `--cdf 1` with 1.0; γ = 1e-40 collapsed the support. Now the law is evaluated
/// in t = x/s2, and what doubles cannot hold is refused by name.
#[test]
fn the_marchenko_pastur_law_holds_or_refuses_at_extreme_parameters() {
    for (s2, x) in [("1e-300", "1.5e-300"), ("1e-200", "1.5e-200"), ("1e200", "1.5e200"), ("1e300", "1.5e300")] {
        let out = rmspec()
            .args(["law", "mp", "--gamma", "0.5", "--variance", s2, "--density", x, "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{s2}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // source: mpmath at 40 digits, √((b − t)(t − a))/(2πγt) at γ = 0.5, t = x/s2 = 1.5:
        // 0.30010543871903535652; the density at x is that over s2, for every s2.
        let want = 0.30010543871903536 / s2.parse::<f64>().unwrap();
        let got = v["density"][0]["value"].as_f64().unwrap_or(f64::NAN);
        assert!((got / want - 1.0).abs() < 1e-12, "s2 = {s2}: density {got:e}, want {want:e}");
    }
    fails(&["law", "mp", "--gamma", "1", "--variance", "1e308", "--cdf", "1"], 1, "invalid variance = 1e308");
    fails(&["law", "mp", "--gamma", "1e-40", "--quantile", "0.1"], 1, "invalid gamma = 1e-40");
    fails(&["edges", "--m", "1", "--n", "10000000000000"], 1, "invalid gamma = 1e-13");
}
