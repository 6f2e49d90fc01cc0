//! Snapshots of every command's output at fixed seeds and small sizes (`insta`): the JSON and
//! the text of `law mp`, `law tw`, `edges`, `spectrum` (dense, tridiagonal, histogram-only; m < n,
//! m > n; named, `mix:`, `variance:`, `orthogonal:` and framework strategies; with and without fits and
//! `dgesdd`), `spectrum --shard` partials and their `merge`, `propagate` (linear and relu),
//! `report --quick`'s markdown, `weights` on a small checkpoint written here, and one-line
//! errors. Figures are pinned by a 64-bit FNV-1a hash of
//! their bytes. A renamed field, a changed number or a changed figure fails here and has to be
//! approved on purpose (`INSTA_UPDATE=always cargo test --test snapshots`, then review the diff of
//! `tests/snapshots/`).
//!
//! Temporary paths are replaced by `[OUT]` in the test; the program prints them as given. The
//! git commit in the documents' `rmspec` key (present when built from a checkout) is removed, so
//! that the snapshots do not change with every commit. The
//! spawned commands use OpenBLAS's reference kernel (`OPENBLAS_CORETYPE=Haswell` where the CPU has
//! AVX2, as for the committed figures), since another kernel changes the last bits of some
//! numbers. The whole file runs in a few seconds.

use assert_cmd::Command;
use std::path::Path;

/// OpenBLAS's reference kernel (see the Makefile's REFERENCE_KERNEL); `None` without AVX2.
fn reference_kernel() -> Option<&'static str> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    cpuinfo.split_whitespace().any(|flag| flag == "avx2").then_some("Haswell")
}

fn rmspec() -> Command {
    let mut command = Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests");
    if let Some(kernel) = reference_kernel() {
        command.env("OPENBLAS_CORETYPE", kernel);
    }
    command
}

/// Runs a command that must succeed; its stdout with `dir` (if any) replaced by `[OUT]` and the
/// git commit removed.
fn stdout_of(args: &[&str], dir: Option<&Path>) -> String {
    let output = rmspec().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let text = without_commit(String::from_utf8(output.stdout).unwrap());
    match dir {
        Some(dir) => text.replace(dir.to_str().unwrap(), "[OUT]"),
        None => text,
    }
}

/// `text` without the `"commit": "…"` members of JSON (pretty or compact) and the comma before
/// each.
fn without_commit(mut text: String) -> String {
    while let Some(key) = text.find("\"commit\":") {
        let comma = text[..key].rfind(',').expect("commit follows version");
        let value = key + text[key..].find(": \"").or_else(|| text[key..].find(":\"")).unwrap();
        let open = value + text[value..].find('"').unwrap();
        let close = open + 1 + text[open + 1..].find('"').unwrap();
        text.replace_range(comma..=close, "");
    }
    text
}

/// 64-bit FNV-1a: a stable fingerprint of a file's bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// `name  length  hash` for every file in `dir`, sorted by name.
fn fingerprints(dir: &Path) -> String {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            format!("{}  {}  {:016x}\n", p.file_name().unwrap().to_string_lossy(), bytes.len(), fnv1a(&bytes))
        })
        .collect()
}

#[test]
fn law_mp_json_and_text() {
    let args = ["law", "mp", "--gamma", "2", "--variance", "0.5", "--cdf", "0", "--cdf", "1", "--density", "1"];
    let args = [&args[..], &["--quantile", "0.9", "--quantile", "0"]].concat();
    insta::assert_snapshot!("law_mp_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("law_mp_text", stdout_of(&args, None));
    let small = ["law", "mp", "--gamma", "0.25", "--cdf", "0.5", "--cdf", "-1", "--density", "2.25"];
    insta::assert_snapshot!("law_mp_small_gamma_json", stdout_of(&[&small[..], &["--json"]].concat(), None));
}

#[test]
fn law_tw_json_and_text() {
    let args = ["law", "tw", "--beta", "1", "--cdf", "0", "--cdf", "-3", "--density", "-2", "--quantile", "0.95"];
    insta::assert_snapshot!("law_tw1_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("law_tw1_text", stdout_of(&args, None));
    let beta2 = ["law", "tw", "--beta", "2", "--cdf", "0", "--density", "1"];
    insta::assert_snapshot!("law_tw2_json", stdout_of(&[&beta2[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("law_tw2_text", stdout_of(&beta2, None));
}

#[test]
fn law_grids_and_infinite_values() {
    let args = ["law", "mp", "--gamma", "4", "--variance", "0.5", "--grid", "0:5:6"];
    insta::assert_snapshot!("law_mp_grid_text", stdout_of(&args, None));
    let tw = ["law", "tw", "--beta", "1", "--quantile", "0", "--quantile", "1", "--grid=-2:0:3", "--json"];
    insta::assert_snapshot!("law_tw_grid_and_infinite_quantiles_json", stdout_of(&tw, None));
}

#[test]
fn a_tiny_spectrum_flags_the_limits_not_meant_for_its_size() {
    // 3×5 (issue 15): λmin⁺ and κ limits far from what one matrix shows; one trial: no p-value.
    let args = ["spectrum", "--m", "3", "--n", "5", "--strategy", "he", "--trials", "1", "--seed", "2"];
    insta::assert_snapshot!("spectrum_tiny_one_trial_text", stdout_of(&args, None));
    let args = ["spectrum", "--m", "3", "--n", "5", "--strategy", "he", "--trials", "40", "--seed", "2"];
    insta::assert_snapshot!("spectrum_tiny_text", stdout_of(&args, None));
}

#[test]
fn edges_json_and_text() {
    let wide = ["edges", "--m", "30", "--n", "120", "--strategy", "all,mix:0.5,variance:0.01,orthogonal:0.02"];
    insta::assert_snapshot!("edges_wide_json", stdout_of(&[&wide[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("edges_wide_text", stdout_of(&wide, None));
    // m > n with another level; m = n (Edelman's hard edge, κ infinite in the limit); a single row.
    let tall = ["edges", "--m", "120", "--n", "30", "--strategy", "he,orthogonal", "--coverage", "0.5"];
    insta::assert_snapshot!("edges_tall_json", stdout_of(&[&tall[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("edges_tall_text", stdout_of(&tall, None));
    let square = ["edges", "--m", "40", "--n", "40", "--strategy", "arithmetic"];
    insta::assert_snapshot!("edges_square_json", stdout_of(&[&square[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("edges_square_text", stdout_of(&square, None));
    let row = ["edges", "--m", "1", "--n", "5", "--strategy", "lecun", "--json"];
    insta::assert_snapshot!("edges_single_row_json", stdout_of(&row, None));
}

#[test]
fn spectrum_dense_wide_with_figures() {
    // m < n, every named strategy, default fits (edge fit and a 19-replicate bulk test).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plots");
    let args = ["spectrum", "--m", "12", "--n", "20", "--strategy", "all", "--trials", "6", "--seed", "3"];
    let args = [&args[..], &["--bins", "10", "--plots", out.to_str().unwrap()]].concat();
    insta::assert_snapshot!("spectrum_dense_wide_json", stdout_of(&[&args[..], &["--json"]].concat(), Some(&out)));
    insta::assert_snapshot!("spectrum_dense_wide_figures", fingerprints(&out));
    insta::assert_snapshot!("spectrum_dense_wide_text", stdout_of(&args, Some(&out)));
}

#[test]
fn spectrum_dense_tall_png_and_exact_singular_values() {
    // m > n (structural zeros), dgesdd for every trial, PNG figures, mixed strategies.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plots");
    let args = ["spectrum", "--m", "20", "--n", "12", "--strategy", "arithmetic,orthogonal:0.02,mix:0.25"];
    let args = [&args[..], &["--trials", "5", "--seed", "7", "--bins", "8", "--exact-singular-values"]].concat();
    let args = [&args[..], &["--format", "png", "--bulk-level", "0.9", "--plots", out.to_str().unwrap()]].concat();
    insta::assert_snapshot!("spectrum_dense_tall_json", stdout_of(&[&args[..], &["--json"]].concat(), Some(&out)));
    insta::assert_snapshot!("spectrum_dense_tall_figures", fingerprints(&out));
    insta::assert_snapshot!("spectrum_dense_tall_text", stdout_of(&args, Some(&out)));
}

#[test]
fn spectrum_without_fits_and_square() {
    let args = ["spectrum", "--m", "16", "--n", "16", "--strategy", "geometric,variance:0.5", "--trials", "4"];
    let args = [&args[..], &["--seed", "11", "--bins", "6", "--no-plots", "--no-fits"]].concat();
    insta::assert_snapshot!("spectrum_square_no_fits_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("spectrum_square_no_fits_text", stdout_of(&args, None));
}

#[test]
fn spectrum_tridiagonal_and_histogram_only() {
    let args = ["spectrum", "--m", "24", "--n", "40", "--strategy", "he,lecun", "--trials", "5", "--seed", "2"];
    let args = [&args[..], &["--bins", "8", "--no-plots", "--method", "tridiagonal"]].concat();
    insta::assert_snapshot!("spectrum_tridiagonal_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("spectrum_tridiagonal_text", stdout_of(&args, None));
    let histogram = [&args[..], &["--histogram-only"]].concat();
    insta::assert_snapshot!("spectrum_histogram_only_json", stdout_of(&[&histogram[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("spectrum_histogram_only_text", stdout_of(&histogram, None));
    // m > n through the tridiagonal model.
    let tall = ["spectrum", "--m", "30", "--n", "18", "--strategy", "geometric", "--trials", "3", "--bins", "6"];
    let tall = [&tall[..], &["--no-plots", "--method", "tridiagonal", "--histogram-only", "--json"]].concat();
    insta::assert_snapshot!("spectrum_histogram_only_tall_json", stdout_of(&tall, None));
}

#[test]
fn framework_initialisers_in_edges_and_spectrum() {
    // Uniform, truncated-normal and orthogonal entry laws beside a Gaussian one.
    let strategies = "torch-default,glorot-normal,torch-orthogonal:2,kaiming-normal:fan_out:relu";
    let edges = ["edges", "--m", "16", "--n", "24", "--strategy", strategies];
    insta::assert_snapshot!("edges_framework_json", stdout_of(&[&edges[..], &["--json"]].concat(), None));
    let args = ["spectrum", "--m", "16", "--n", "24", "--strategy", strategies, "--trials", "4", "--seed", "5"];
    let args = [&args[..], &["--bins", "6", "--no-plots"]].concat();
    insta::assert_snapshot!("spectrum_framework_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("spectrum_framework_text", stdout_of(&args, None));
}

#[test]
fn shard_partials_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let common = ["spectrum", "--m", "10", "--n", "14", "--strategy", "arithmetic,orthogonal", "--trials", "5"];
    let common = [&common[..], &["--seed", "4", "--bins", "6", "--bulk-replicates", "19"]].concat();
    let mut parts = Vec::new();
    for k in 1..=2 {
        let path = dir.path().join(format!("part-{k}.json"));
        let shard = format!("{k}/2");
        stdout_of(&[&common[..], &["--shard", &shard, "--output", path.to_str().unwrap()]].concat(), None);
        parts.push(path);
    }
    insta::assert_snapshot!("shard_partial_1_of_2", without_commit(std::fs::read_to_string(&parts[0]).unwrap()));
    // A partial on stdout is the same document.
    insta::assert_snapshot!("shard_partial_2_of_2", stdout_of(&[&common[..], &["--shard", "2/2"]].concat(), None));
    let merge = ["merge", parts[1].to_str().unwrap(), parts[0].to_str().unwrap()];
    insta::assert_snapshot!("merge_json", stdout_of(&[&merge[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("merge_text", stdout_of(&merge, None));
}

#[test]
fn propagate_json_and_text() {
    let args = ["propagate", "--widths", "8,16,12", "--strategy", "all", "--trials", "5", "--batch", "4"];
    let args = [&args[..], &["--seed", "9"]].concat();
    insta::assert_snapshot!("propagate_linear_json", stdout_of(&[&args[..], &["--json"]].concat(), None));
    insta::assert_snapshot!("propagate_linear_text", stdout_of(&args, None));
    let relu = ["propagate", "--widths", "6,10,6,4", "--strategy", "he,mix:0.5", "--activation", "relu"];
    let relu = [&relu[..], &["--trials", "3", "--batch", "2"]].concat();
    insta::assert_snapshot!("propagate_relu_json", stdout_of(&[&relu[..], &["--json"]].concat(), None));
    insta::assert_snapshot!(
        "propagate_tanh_text",
        stdout_of(&["propagate", "--widths", "5,7", "--activation", "tanh", "--trials", "2", "--batch", "3"], None)
    );
}

/// A small torch checkpoint: a torch-default 24→40 linear layer ([40, 24]), a torch-default
/// 3×3 convolution from 3 to 8 channels ([8, 3, 3, 3]: m = 27, n = 8), a bias and an integer
/// tensor (both skipped). Entries drawn by rmspec's own sampler at fixed seeds, stored as f32.
fn write_small_checkpoint(path: &Path) {
    use rmspec::initializer::Initializer;
    use rmspec::sample::{sample, trial_rng};
    let draw = |m, n, seed| {
        let w = sample(rmspec::Strategy::Framework(Initializer::TorchDefault), m, n, &mut trial_rng(seed, 0)).unwrap();
        // torch stores W (m×n, fan-in rows) as the row-major [n, m] array: W's column-major data.
        w.as_slice().iter().flat_map(|&x| (x as f32).to_le_bytes()).collect::<Vec<u8>>()
    };
    let tensors: Vec<(&str, safetensors::Dtype, Vec<usize>, Vec<u8>)> = vec![
        ("fc.weight", safetensors::Dtype::F32, vec![40, 24], draw(24, 40, 1)),
        ("fc.bias", safetensors::Dtype::F32, vec![40], vec![0; 160]),
        ("conv.weight", safetensors::Dtype::F32, vec![8, 3, 3, 3], draw(27, 8, 2)),
        ("position_ids", safetensors::Dtype::I64, vec![3], vec![0; 24]),
    ];
    let views = tensors.iter().map(|(name, dtype, shape, bytes)| {
        (*name, safetensors::tensor::TensorView::new(*dtype, shape.clone(), bytes).unwrap())
    });
    safetensors::serialize_to_file(views, None, path).unwrap();
}

#[test]
fn weights_json_text_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("small.safetensors");
    write_small_checkpoint(&checkpoint);
    let out = dir.path().join("plots");
    let args = ["weights", checkpoint.to_str().unwrap(), "--init", "torch-default", "--replicates", "39"];
    let args = [&args[..], &["--false-alarm", "0.1", "--seed", "5", "--plots", out.to_str().unwrap()]].concat();
    insta::assert_snapshot!("weights_json", stdout_of(&[&args[..], &["--json"]].concat(), Some(dir.path())));
    insta::assert_snapshot!("weights_figures", fingerprints(&out));
    insta::assert_snapshot!("weights_text", stdout_of(&args, Some(dir.path())));
}

#[test]
fn report_quick_markdown_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, plots) = (dir.path().join("docs"), dir.path().join("plots"));
    let args = ["report", "--quick", "--docs", docs.to_str().unwrap(), "--plots", plots.to_str().unwrap()];
    insta::assert_snapshot!("report_quick_stdout", stdout_of(&args, Some(dir.path())));
    insta::assert_snapshot!("report_quick_markdown", std::fs::read_to_string(docs.join("report.md")).unwrap());
    insta::assert_snapshot!("report_quick_figures", fingerprints(&plots));
}

#[test]
fn bad_input_messages() {
    let cases: [&[&str]; 15] = [
        &["law", "mp", "--gamma", "0"],
        &["law", "mp", "--gamma", "1", "--quantile", "1.5"],
        &["law", "tw", "--beta", "3"],
        &["edges", "--m", "0", "--n", "4"],
        &["edges", "--m", "4", "--n", "4", "--coverage", "1"],
        &["edges", "--m", "4", "--n", "4", "--strategy", "gaussian"],
        &["spectrum", "--m", "-3", "--n", "4", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--strategy", "mix:2", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--strategy", "orthogonal", "--method", "tridiagonal", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--strategy", "glorot-uniform", "--method", "tridiagonal", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--shard", "3/2", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--bulk-replicates", "3", "--no-plots"],
        &["spectrum", "--m", "4", "--n", "4", "--bulk-level", "0.99"],
        &["law", "mp", "--gamma", "1", "--grid", "0:4:1"],
        &["propagate", "--widths", "4", "--trials", "2"],
    ];
    let mut text = String::new();
    for args in cases {
        let output = rmspec().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        text.push_str(&format!("{}\n{}\n", args.join(" "), String::from_utf8_lossy(&output.stderr)));
    }
    insta::assert_snapshot!("bad_input_messages", text);
}
