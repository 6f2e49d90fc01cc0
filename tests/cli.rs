//! The command-line interface as a user runs it: JSON shapes, reproducibility across thread
//! counts, and one-line errors with a non-zero exit for every kind of bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests")
}

fn json_of(args: &[&str]) -> Value {
    let output = rmspec().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs a command that must fail: non-zero exit, nothing on stdout, exactly one line on stderr
/// starting with `error:` and containing `needle`.
fn assert_one_line_error(args: &[&str], needle: &str) {
    let output = rmspec().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} should fail");
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(needle), "{args:?}: expected '{needle}' in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn law_mp_json_has_the_documented_keys_and_the_evaluations_in_the_order_asked() {
    let v = json_of(&[
        "law",
        "mp",
        "--gamma",
        "2",
        "--variance",
        "0.5",
        "--cdf",
        "0",
        "--cdf",
        "10",
        "--cdf",
        "0.3",
        "--density",
        "1",
        "--quantile",
        "0.9",
        "--quantile",
        "0.1",
        "--json",
    ]);
    for key in [
        "law",
        "gamma",
        "variance",
        "normalization",
        "support",
        "atom_at_zero",
        "moments",
        "cdf",
        "density",
        "quantile",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["law"], "marchenko-pastur");
    assert_eq!(v["atom_at_zero"], 0.5);
    // cdf(0) = atom, cdf(beyond the upper edge) = 1, in the order asked.
    assert_eq!(v["cdf"][0]["x"], 0.0);
    assert_eq!(v["cdf"][0]["value"], 0.5);
    assert_eq!(v["cdf"][1]["value"], 1.0);
    assert_eq!(v["cdf"][2]["x"], 0.3);
    // p = 0.1 ≤ atom: the quantile is 0.
    assert_eq!(v["quantile"][1]["value"], 0.0);
    let upper = v["support"]["upper"].as_f64().unwrap();
    assert!((upper - 0.5 * (1.0 + 2f64.sqrt()).powi(2)).abs() < 1e-14);
    assert_eq!(v["moments"]["mean"], 0.5);
}

#[test]
fn edges_json_lists_every_strategy_with_the_bai_yin_condition_number() {
    let v = json_of(&["edges", "--m", "64", "--n", "256", "--strategy", "all", "--json"]);
    assert_eq!(v["gamma"], 0.25);
    let strategies = v["strategies"].as_array().unwrap();
    let names: Vec<&str> = strategies.iter().map(|s| s["strategy"].as_str().unwrap()).collect();
    assert_eq!(names, ["geometric", "arithmetic", "quadratic", "he", "lecun", "orthogonal"]);
    for s in strategies {
        for key in ["variance", "mp_support", "spectral_norm", "smallest_singular_value", "condition_number"] {
            assert!(s.get(key).is_some(), "missing {key}");
        }
    }
    // κ = (√256 + √64)/(√256 − √64) = 3 for every Gaussian strategy.
    assert!((strategies[0]["condition_number"].as_f64().unwrap() - 3.0).abs() < 1e-14);
    assert_eq!(strategies[5]["condition_number"], 1.0);
}

#[test]
fn spectrum_json_names_its_figures_and_fits_the_gaussian_strategy_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let v = json_of(&[
        "spectrum",
        "--m",
        "40",
        "--n",
        "20",
        "--strategy",
        "he,orthogonal",
        "--trials",
        "5",
        "--seed",
        "3",
        "--plots",
        out,
        "--json",
    ]);
    for key in ["format", "rmspec", "m", "n", "gamma", "trials", "seed", "strategies", "normalization"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let he = &v["strategies"][0];
    for key in ["strategy", "variance", "predicted", "empirical", "ks_distance", "figures"] {
        assert!(he.get(key).is_some(), "missing {key}");
    }
    for key in ["lambda_min", "lambda_max", "spectral_norm", "smallest_singular_value", "condition_number"] {
        assert!(he["empirical"][key]["mean"].is_number(), "{key}");
        assert!(he["empirical"][key]["stderr"].is_number(), "{key}");
    }
    assert!(v["strategies"][1]["ks_distance"].is_null(), "orthogonal has no MP comparison");
    for figure in he["figures"].as_array().unwrap().iter().chain(v["figures"].as_array().unwrap()) {
        let text = std::fs::read_to_string(figure.as_str().unwrap()).unwrap();
        assert!(text.starts_with("<svg") && text.contains("m = 40 (fan-in), n = 20 (fan-out)"));
    }
    // Edge and bulk goodness of fit for the Gaussian strategy only.
    for key in ["statistic", "p_value", "trials", "centring", "scaling", "figure"] {
        assert!(he["edge_fit"].get(key).is_some(), "edge_fit.{key}");
    }
    assert_eq!(he["edge_fit"]["trials"], 5);
    let edge_figure = std::fs::read_to_string(he["edge_fit"]["figure"].as_str().unwrap()).unwrap();
    assert!(edge_figure.contains("Tracy–Widom"));
    for key in ["statistic", "critical_value", "level", "method"] {
        assert!(he["bulk_fit"].get(key).is_some(), "bulk_fit.{key}");
    }
    assert_eq!(he["bulk_fit"]["statistic"], he["ks_distance"]);
    assert!((he["bulk_fit"]["level"].as_f64().unwrap() - 0.95).abs() < 1e-12);
    assert!(v["strategies"][1]["edge_fit"].is_null() && v["strategies"][1]["bulk_fit"].is_null());
}

#[test]
fn bulk_test_needs_enough_replicates_for_its_level() {
    assert_one_line_error(
        &["spectrum", "--m", "4", "--n", "8", "--bulk-level", "0.99", "--bulk-replicates", "19"],
        "invalid bulk replicates = 19: too few for level 0.99; a Monte Carlo test at that level needs at least 99",
    );
    assert_one_line_error(
        &["spectrum", "--m", "4", "--n", "8", "--bulk-replicates", "-1", "--no-plots"],
        "must be ≥ 0",
    );
    assert_one_line_error(&["spectrum", "--m", "4", "--n", "8", "--bulk-level", "1"], "invalid bulk level = 1");
}

#[test]
fn spectrum_is_byte_identical_with_one_and_two_threads() {
    let run = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        let output = rmspec()
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .args([
                "spectrum",
                "--m",
                "48",
                "--n",
                "96",
                "--strategy",
                "all",
                "--trials",
                "7",
                "--seed",
                "11",
                "--plots",
                "plots",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(output.status.success());
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join("plots"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        (output.stdout, files)
    };
    let (json1, figures1) = run("1");
    let (json2, figures2) = run("2");
    assert_eq!(json1, json2);
    assert_eq!(figures1.len(), 12); // 6 spectra, 5 edge fits (Gaussian strategies), 1 overlay
    assert_eq!(figures1, figures2);
}

#[test]
fn png_figures_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let v = json_of(&[
        "spectrum",
        "--m",
        "10",
        "--n",
        "30",
        "--strategy",
        "lecun",
        "--trials",
        "2",
        "--format",
        "png",
        "--plots",
        dir.path().to_str().unwrap(),
        "--json",
    ]);
    let path = v["strategies"][0]["figures"][0].as_str().unwrap();
    assert!(path.ends_with(".png"));
    assert_eq!(&std::fs::read(path).unwrap()[1..4], b"PNG");
}

#[test]
fn human_readable_tables_by_default() {
    rmspec()
        .args(["edges", "--m", "100", "--n", "400"])
        .assert()
        .success()
        .stdout(predicate::str::contains("geometric").and(predicate::str::contains("κ(W)")));
    rmspec()
        .args(["spectrum", "--m", "20", "--n", "40", "--strategy", "geometric", "--trials", "3", "--no-plots"])
        .assert()
        .success()
        .stdout(predicate::str::contains("KS distance").and(predicate::str::contains("S = W W^T / n")));
}

#[test]
fn bad_sizes_and_counts_are_one_line_errors() {
    assert_one_line_error(&["edges", "--m", "0", "--n", "4"], "invalid m = 0");
    assert_one_line_error(&["edges", "--m", "4", "--n", "0"], "invalid n = 0");
    assert_one_line_error(&["spectrum", "--m", "4", "--n", "4", "--trials", "0", "--no-plots"], "invalid trials = 0");
    assert_one_line_error(&["spectrum", "--m", "4", "--n", "4", "--bins", "0", "--no-plots"], "invalid bins = 0");
}

#[test]
fn negative_sizes_and_counts_are_one_line_errors() {
    assert_one_line_error(&["edges", "--m", "-3", "--n", "4"], "invalid m = -3: must be at least 1");
    assert_one_line_error(&["edges", "--m", "3", "--n", "-4"], "invalid n = -4");
    assert_one_line_error(&["spectrum", "--m", "4", "--n", "4", "--trials", "-2", "--no-plots"], "invalid trials = -2");
}

#[test]
fn bad_variances_and_strategies_are_one_line_errors() {
    assert_one_line_error(&["law", "mp", "--gamma", "-1"], "invalid gamma = -1");
    assert_one_line_error(&["law", "mp", "--gamma", "0.5", "--variance", "NaN"], "invalid variance = NaN");
    assert_one_line_error(&["law", "mp", "--gamma", "0.5", "--variance", "-2"], "invalid variance = -2");
    assert_one_line_error(&["law", "mp", "--gamma", "inf"], "invalid gamma = inf");
    assert_one_line_error(&["law", "mp", "--gamma", "0.5", "--quantile", "1.5"], "invalid p = 1.5");
    assert_one_line_error(&["edges", "--m", "4", "--n", "4", "--strategy", "variance:-1"], "invalid variance = -1");
    assert_one_line_error(&["edges", "--m", "4", "--n", "4", "--strategy", "variance:nan"], "invalid variance = NaN");
    assert_one_line_error(&["edges", "--m", "4", "--n", "4", "--strategy", "mix:1.5"], "invalid mix weight = 1.5");
    assert_one_line_error(&["edges", "--m", "4", "--n", "4", "--strategy", "mix:-0.5"], "invalid mix weight = -0.5");
    assert_one_line_error(&["edges", "--m", "4", "--n", "4", "--strategy", "gaussian"], "unknown strategy 'gaussian'");
}

#[test]
fn problems_too_large_for_memory_are_refused_with_the_estimate() {
    let output = rmspec()
        .env("RMSPEC_MAX_MEMORY", "1G")
        .args(["spectrum", "--m", "100000", "--n", "100000", "--trials", "1", "--no-plots"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("would need about") && stderr.contains("GiB"), "{stderr}");
    // Without an explicit limit the machine's available memory is the bound.
    assert_one_line_error(&["spectrum", "--m", "3000000", "--n", "3000000", "--no-plots"], "would need about");
}

#[test]
fn unwritable_out_directory_fails_before_any_work_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let out = blocker.join("plots");
    assert_one_line_error(
        &["spectrum", "--m", "8", "--n", "8", "--trials", "2", "--plots", out.to_str().unwrap()],
        "cannot write to",
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `rmspec law mp` as a user runs it, against independent 50-digit mpmath values below, at and
/// above γ = 1 (including the atom): CDF to 1e-13 absolute, density to 1e-12 relative, quantiles
/// to 1e-12 of the support width.
/// source: scripts/reference/marchenko_pastur.py (mpmath 1.3, 50 digits); rows copied from the
/// tables in src/law/marchenko_pastur.rs.
#[test]
fn law_mp_cli_matches_mpmath_reference_values() {
    // (gamma, s2, x, density, cdf)
    let points: [(f64, f64, f64, f64, f64); 6] = [
        (0.1, 1.0, 1.1, 0.915076583717946, 0.6291642114001259),
        (0.25, 0.5, 0.135, 0.938412852917659, 0.0064628892741775785),
        (1.0, 1.0, 4e-06, 159.1548635144039, 0.00127323933252854),
        (1.0, 2.5, 9.9, 0.0063982694517112975, 0.9995743067134221),
        (2.0, 1.0, 0.2281414177487337, 0.19632634723630854, 0.5082808287985608),
        (4.0, 0.5, 0.9, 0.1061032953945969, 0.7860134437920956),
    ];
    for (gamma, s2, x, density, cdf) in points {
        let (g, v, xs) = (gamma.to_string(), s2.to_string(), x.to_string());
        let out = json_of(&["law", "mp", "--gamma", &g, "--variance", &v, "--cdf", &xs, "--density", &xs, "--json"]);
        let got_cdf = out["cdf"][0]["value"].as_f64().unwrap();
        let got_density = out["density"][0]["value"].as_f64().unwrap();
        assert!((got_cdf - cdf).abs() <= 1e-13, "γ={gamma} x={x}: cdf {got_cdf} vs {cdf}");
        assert!((got_density / density - 1.0).abs() <= 1e-12, "γ={gamma} x={x}: density {got_density} vs {density}");
    }
    // (gamma, s2, p, quantile)
    let quantiles: [(f64, f64, f64, f64); 4] = [
        (0.1, 1.0, 0.5, 0.9665651474028224),
        (0.25, 0.5, 0.5, 0.458002035343306),
        (1.0, 1.0, 0.5, 0.6527759416335703),
        (4.0, 0.5, 0.975, 3.502845658148037),
    ];
    for (gamma, s2, p, q) in quantiles {
        let (g, v, ps) = (gamma.to_string(), s2.to_string(), p.to_string());
        let out = json_of(&["law", "mp", "--gamma", &g, "--variance", &v, "--quantile", &ps, "--json"]);
        let width = out["support"]["upper"].as_f64().unwrap() - out["support"]["lower"].as_f64().unwrap();
        let got = out["quantile"][0]["value"].as_f64().unwrap();
        assert!((got - q).abs() <= 1e-12 * width, "γ={gamma} p={p}: {got} vs {q}");
    }
}

#[test]
#[allow(clippy::excessive_precision)] // reference digits as printed by mpmath
fn law_tw_json_has_only_its_own_fields_and_matches_bornemann_and_mpmath() {
    // source: F. Bornemann (2010), Math. Comp. 79 and Markov Process. Related Fields 16:
    // F₁(0) = 0.83190806620295, F₂(0) = 0.96937282835526; TW₁ mean −1.2065335745820,
    // variance 1.6077810345810; TW₂ mean −1.7710868074116, variance 0.8131947928329.
    const TOL: f64 = 1e-12;
    for (beta, f0, mean, variance) in [
        ("1", 0.83190806620295, -1.2065335745820, 1.6077810345810),
        ("2", 0.96937282835526, -1.7710868074116, 0.8131947928329),
    ] {
        let v = json_of(&["law", "tw", "--beta", beta, "--cdf", "0", "--density", "-1", "--quantile", "0.5", "--json"]);
        for key in ["law", "beta", "description", "support", "moments", "cdf", "density", "quantile", "grid"] {
            assert!(v.get(key).is_some(), "β = {beta}: missing {key}");
        }
        // Only its own fields: no Marchenko–Pastur convention, no atom.
        assert!(v.get("normalization").is_none() && v.get("atom_at_zero").is_none());
        assert_eq!(v["law"], "tracy-widom");
        assert!(v["description"].as_str().unwrap().contains("beta = 1"));
        let at = |x: &Value| x.as_f64().unwrap();
        assert!((at(&v["cdf"][0]["value"]) - f0).abs() < TOL, "β = {beta}");
        assert!((at(&v["moments"]["mean"]) - mean).abs() < 1e-11, "β = {beta}");
        assert!((at(&v["moments"]["variance"]) - variance).abs() < 1e-11, "β = {beta}");
        assert!(at(&v["density"][0]["value"]) > 0.0);
    }
    // source: scripts/reference/tracy_widom.py (mpmath, 24 digits): F₁(6), f₁(−2), F₁⁻¹(0.99),
    // F₁⁻¹(0.001), through the CLI's JSON (shortest round-trip decimal).
    let v = json_of(&[
        "law",
        "tw",
        "--beta",
        "1",
        "--cdf",
        "6",
        "--density",
        "-2",
        "--quantile",
        "0.99",
        "--quantile",
        "0.001",
        "--json",
    ]);
    let at = |x: &Value| x.as_f64().unwrap();
    assert!((at(&v["cdf"][0]["value"]) - 0.99999805918592735).abs() < 1e-12);
    assert!((at(&v["density"][0]["value"]) - 0.28138843090267283).abs() < 1e-11);
    assert!((at(&v["quantile"][0]["value"]) - 2.0234492813801627).abs() < 1e-11);
    assert!((at(&v["quantile"][1]["value"]) - -4.6541982444217939).abs() < 1e-11);
}

#[test]
fn law_tw_rejects_other_betas_on_one_line() {
    for beta in ["0", "3", "4", "-1", "300"] {
        assert_one_line_error(&["law", "tw", "--beta", beta], &format!("invalid beta = {beta}"));
    }
}

#[test]
fn edges_json_has_intervals_at_the_level_asked() {
    let v =
        json_of(&["edges", "--m", "100", "--n", "400", "--strategy", "he,orthogonal", "--coverage", "0.9", "--json"]);
    assert_eq!(v["coverage"], 0.9);
    for s in v["strategies"].as_array().unwrap() {
        for key in ["spectral_norm", "lambda_max", "lambda_min", "smallest_singular_value", "condition_number"] {
            let i = &s["intervals"][key];
            for field in ["lower", "upper", "level", "method"] {
                assert!(i.get(field).is_some(), "{key}.{field}");
            }
            assert_eq!(i["level"], 0.9);
            assert!(i["lower"].as_f64().unwrap() <= i["upper"].as_f64().unwrap());
        }
    }
    let he = &v["strategies"][0]["intervals"];
    assert_eq!(he["spectral_norm"]["method"], "tracy-widom-upper-edge");
    assert_eq!(he["smallest_singular_value"]["method"], "tracy-widom-lower-edge");
    // The Bai–Yin limit √s2(√n + √m) = √(2/100)·30 lies inside the 90% interval at this size.
    let norm = (0.02f64).sqrt() * 30.0;
    assert!(he["spectral_norm"]["lower"].as_f64().unwrap() < norm);
    assert!(norm < he["spectral_norm"]["upper"].as_f64().unwrap());
    let orthogonal = &v["strategies"][1]["intervals"];
    assert_eq!(orthogonal["condition_number"]["method"], "exact");
    assert_eq!(orthogonal["condition_number"]["lower"], 1.0);
}

#[test]
fn levels_outside_the_open_unit_interval_are_one_line_errors() {
    for level in ["0", "1", "1.5", "-0.2", "nan"] {
        assert_one_line_error(&["edges", "--m", "10", "--n", "20", "--coverage", level], "invalid coverage");
    }
}

#[test]
fn jacobian_bad_input_is_one_line_errors() {
    assert_one_line_error(&["jacobian", "-w", "10,0,10"], "invalid widths = [10, 0, 10] (entry 2)");
    assert_one_line_error(&["jacobian", "-w", "10"], "needs at least two widths");
    assert_one_line_error(&["jacobian", "-w", "1,100"], "ratio");
    assert_one_line_error(&["jacobian", "-w", "10,10", "--bias-variance", "-1"], "invalid bias variance = -1");
    assert_one_line_error(&["jacobian", "-w", "10,10", "--points", "0"], "invalid points = 0");
    assert_one_line_error(&["jacobian", "-w", "10,10", "--simulate", "0"], "invalid simulate = 0");
    assert_one_line_error(&["jacobian", "-w", "10,10", "--plots", "x"], "--plots needs --simulate");
    let deep = vec!["10"; 2002].join(",");
    assert_one_line_error(&["jacobian", "-w", &deep], "invalid depth = 2001");
    // q_l = 2^l for He, linear: the variance leaves the double range before the mean does.
    let overflow = vec!["10"; 1501].join(",");
    assert_one_line_error(&["jacobian", "-w", &overflow, "-s", "he"], "overflows");
    // Usage errors (clap): one line, exit status 2.
    for args in
        [&["jacobian", "-w", "10,10", "-a", "sigmoid"][..], &["jacobian", "-w", ""], &["jacobian", "-w", "4,-2"]]
    {
        let output = rmspec().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.lines().count() == 1, "{args:?}: {stderr}");
    }
}

#[test]
fn jacobian_simulations_too_large_for_memory_are_refused() {
    // 10⁵ × 10⁵ weights are 80 GB per worker: refused with the estimate before any work.
    let output = rmspec().args(["jacobian", "-w", "100000,100000", "--simulate", "1", "-s", "lecun"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1 && stderr.contains("Jacobians of 1 sampled"),
        "{stderr}"
    );
}
