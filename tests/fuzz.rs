//! A seeded fuzz harness (proptest) over rmspec's command line and over mutations of a real
//! partial result: whatever the input, rmspec ends with status 0, 1 (error) or 2 (usage), never
//! a panic (101) or an abort (134), within a per-run timeout, printing at most one line on
//! stderr, leaving no temporary file, under a small RMSPEC_MAX_MEMORY and an address-space limit
//! (RLIMIT_AS, `ulimit -v`) that turns a memory breach into a failure.
//!
//! Cost: 96 command lines and 64 mutated partials, each a run of a few milliseconds to a
//! second; about a minute on 2 cores in the test profile.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::path::Path;
use std::process::Output;

/// RMSPEC_MAX_MEMORY for every run, and the address-space limit above it (KiB: 4 GiB, room for
/// the binary, thread stacks and OpenBLAS's buffers, which are reserved rather than used).
const MAX_MEMORY: &str = "256M";
const ADDRESS_SPACE_KIB: u64 = 4 << 20;
/// Seconds a single run may take before it counts as a hang.
const TIMEOUT_SECONDS: u32 = 60;

fn run(dir: &Path, args: &[String]) -> Output {
    std::process::Command::new("sh")
        .current_dir(dir)
        .env("RMSPEC_MAX_MEMORY", MAX_MEMORY)
        .env("RAYON_NUM_THREADS", "2")
        .arg("-c")
        .arg(format!("ulimit -v {ADDRESS_SPACE_KIB}; exec timeout -s KILL {TIMEOUT_SECONDS} \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("rmspec"))
        .args(args)
        .output()
        .unwrap()
}

/// The harness's assertions on one run.
fn check(dir: &Path, args: &[String], output: &Output) -> Result<(), TestCaseError> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    prop_assert!(matches!(code, Some(0..=2)), "{args:?}: status {:?} (137 = timeout or killed): {stderr}", code);
    prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    if code != Some(0) {
        prop_assert_eq!(stderr.lines().count(), 1, "{:?}: {}", args, stderr);
        prop_assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
    let left: Vec<String> = walk(dir).into_iter().filter(|n| n.contains(".rmspec-") || n.ends_with(".tmp")).collect();
    prop_assert!(left.is_empty(), "{args:?} left {left:?}");
    Ok(())
}

fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            names.extend(walk(&entry.path()));
        } else {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names
}

/// Values worth trying for any option: boundaries, signs, non-numbers, overflow.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("2".to_string()),
        Just("7".to_string()),
        Just("1e-300".to_string()),
        Just("1e308".to_string()),
        Just("-inf".to_string()),
        Just("inf".to_string()),
        Just("nan".to_string()),
        Just("0.9999999999999999".to_string()),
        Just("18446744073709551615".to_string()),
        Just("9223372036854775807".to_string()),
        Just("100000000000".to_string()),
        Just("abc".to_string()),
        Just(String::new()),
        Just("he,kaiming,HE".to_string()),
        Just("variance:1e-300".to_string()),
        Just("1/3".to_string()),
        Just("0:4:11".to_string()),
        (1u32..200).prop_map(|v| v.to_string()),
    ]
}

/// Per subcommand, the options it takes (a few required ones first, with small valid values).
fn subcommands() -> Vec<(&'static [&'static str], &'static [&'static str], &'static [&'static str])> {
    vec![
        (
            &["law", "mp"],
            &["--gamma", "0.5", "--variance", "1"],
            &["--gamma", "--variance", "--cdf", "--quantile", "--grid", "--density"],
        ),
        (&["law", "tw"], &[], &["--beta", "--cdf", "--quantile", "--grid"]),
        (&["edges"], &["--m", "8", "--n", "4"], &["--m", "--n", "--strategy", "--coverage"]),
        (
            &["spectrum"],
            &["--m", "6", "--n", "4", "--trials", "2", "--bulk-replicates", "0"],
            &[
                "--m",
                "--n",
                "--strategy",
                "--trials",
                "--seed",
                "--bins",
                "--method",
                "--bulk-level",
                "--bulk-replicates",
                "--shard",
                "--coverage",
                "--plots",
                "--output",
            ],
        ),
        (
            &["propagate"],
            &["--widths", "4,3", "--trials", "3", "--batch", "2"],
            &["--widths", "--trials", "--batch", "--seed", "--strategy", "--activation"],
        ),
    ]
}

fn command_line() -> impl Strategy<Value = Vec<String>> {
    let commands = subcommands();
    (0..commands.len(), proptest::collection::vec((any::<prop::sample::Index>(), value()), 0..4), any::<bool>())
        .prop_map(move |(c, options, json)| {
            let (name, base, names) = commands[c];
            let mut args: Vec<String> = name.iter().chain(base).map(|s| s.to_string()).collect();
            for (which, v) in options {
                args.push(names[which.index(names.len())].to_string());
                args.push(v);
            }
            if json {
                args.push("--json".into());
            }
            args
        })
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(20261130),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    })
}

#[test]
fn any_command_line_ends_cleanly() {
    runner(96)
        .run(&command_line(), |args| {
            let dir = tempfile::tempdir().unwrap();
            let output = run(dir.path(), &args);
            check(dir.path(), &args, &output)
        })
        .unwrap();
}

/// A mutation of one partial: a JSON pointer among the partial's numeric leaves (by index) and
/// the value put there.
fn mutation() -> impl Strategy<Value = (prop::sample::Index, serde_json::Value)> {
    let replacement = prop_oneof![
        Just(serde_json::json!(0)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(1_000_000_000_000_000u64)),
        Just(serde_json::json!(1e308)),
        Just(serde_json::json!(-1e-300)),
        Just(serde_json::json!("Infinity")),
        Just(serde_json::Value::Null),
        Just(serde_json::json!("x")),
        Just(serde_json::json!([])),
        (0u64..100).prop_map(|v| serde_json::json!(v)),
    ];
    (any::<prop::sample::Index>(), replacement)
}

fn leaves(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| leaves(v, format!("{at}/{k}"), out)),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out))
        }
        _ => out.push(at),
    }
}

#[test]
fn any_mutation_of_a_partial_ends_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |k: &str| -> serde_json::Value {
        let args: Vec<String> = ["spectrum", "--m", "6", "--n", "4", "--strategy", "he,orthogonal", "--trials", "3"]
            .iter()
            .map(|s| s.to_string())
            .chain(["--bulk-replicates".into(), "19".into(), "--shard".into(), format!("{k}/2")])
            .collect();
        let output = run(dir.path(), &args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let (one, two) = (shard("1"), shard("2"));
    std::fs::write(dir.path().join("two.json"), serde_json::to_vec(&two).unwrap()).unwrap();
    let mut paths = Vec::new();
    leaves(&one, String::new(), &mut paths);
    runner(64)
        .run(&proptest::collection::vec(mutation(), 1..3), |mutations| {
            let mut part = one.clone();
            for (index, value) in &mutations {
                *part.pointer_mut(&paths[index.index(paths.len())]).unwrap() = value.clone();
            }
            std::fs::write(dir.path().join("one.json"), serde_json::to_vec(&part).unwrap()).unwrap();
            for extra in [&["--validate"][..], &[][..]] {
                let args: Vec<String> =
                    ["merge"].iter().chain(extra).chain(&["one.json", "two.json"]).map(|s| s.to_string()).collect();
                let output = run(dir.path(), &args);
                check(dir.path(), &args, &output)?;
            }
            Ok(())
        })
        .unwrap();
}
