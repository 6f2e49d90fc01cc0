//! What a new user meets before any computation: grouped help with possible values and the
//! strategy table, shell completions and the man page (generated here, non-empty, naming every
//! subcommand), usage errors on one line, `--quiet`, `--output`, and the version with its commit.
//! About 1 s.

use assert_cmd::Command;

fn rmspec() -> Command {
    Command::cargo_bin("rmspec").expect("the rmspec binary is built for integration tests")
}

fn stdout_of(args: &[&str]) -> String {
    let output = rmspec().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

const SUBCOMMANDS: [&str; 10] =
    ["law", "edges", "spectrum", "propagate", "jacobian", "report", "merge", "weights", "completions", "man"];

#[test]
fn spectrum_help_is_grouped_with_possible_values_and_the_strategy_table() {
    let help = stdout_of(&["spectrum", "--help"]);
    for heading in ["Input:", "Sampling:", "Fits:", "Output:", "Performance:"] {
        assert!(help.lines().any(|l| l == heading), "no heading {heading} in\n{help}");
    }
    // Possible values of every enumerated option, with their help.
    for value in ["svg", "png", "dense", "tridiagonal", "trials", "blas", "auto"] {
        assert!(help.contains(&format!("- {value}:")), "possible value {value} missing");
    }
    // Every strategy of the library's table, with its aliases and variance.
    for entry in rmspec::strategy::CATALOGUE {
        assert!(help.contains(entry.name) && help.contains(entry.variance), "{} missing", entry.name);
        for alias in entry.aliases {
            assert!(help.contains(alias), "alias {alias} missing");
        }
    }
    // Short flags for the common options; one meaning per name.
    for flag in ["-m, --m", "-n, --n", "-s, --strategy", "-t, --trials", "-p, --plots <DIR>", "-o, --output <FILE>"] {
        assert!(help.contains(flag), "{flag} missing");
    }
    assert!(!help.contains("--level") && !help.contains("--out "), "old names are hidden");
    let propagate = stdout_of(&["propagate", "--help"]);
    assert!(propagate.contains("- relu:") && propagate.contains("max(0, x)"), "{propagate}");
}

#[test]
fn weights_help_is_grouped_and_lists_layouts_and_initialisers() {
    let help = stdout_of(&["weights", "--help"]);
    for heading in ["Input:", "Fits:", "Output:"] {
        assert!(help.lines().any(|l| l == heading), "no heading {heading} in\n{help}");
    }
    for value in ["auto", "torch", "keras", "flax", "svg", "png", "he", "lecun", "xavier", "variance:V"] {
        assert!(help.contains(&format!("- {value}:")), "possible value {value} missing");
    }
    // Every framework initialiser of the library's table, by the name typed before its arguments.
    for entry in rmspec::initializer::NAMES {
        let name = entry.name.split('[').next().unwrap();
        assert!(help.contains(&format!("- {name}:")), "initialiser {name} missing");
    }
    for flag in ["-p, --plots <DIR>", "-o, --output <FILE>", "--json", "--dpi <DPI>"] {
        assert!(help.contains(flag), "{flag} missing");
    }
    assert!(!help.contains("--out "), "the old name is hidden");
}

#[test]
fn completions_and_man_page_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let bash = stdout_of(&["completions", "bash"]);
    assert!(bash.contains("svg png") && bash.contains("--threads-layout"), "values and options are completed");
    let page = stdout_of(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH rmspec"), "not roff:\n{}", &page[..200.min(page.len())]);
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("rmspec\\-{sub}")) || page.contains(sub), "man page lacks {sub}");
    }
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&["man", "--dir", dir.path().to_str().unwrap()]);
    for sub in SUBCOMMANDS {
        let page = std::fs::read_to_string(dir.path().join(format!("rmspec-{sub}.1"))).unwrap();
        assert!(page.contains(&format!(".TH rmspec-{sub} 1")) && page.len() > 200, "{sub}");
    }
    let mp = std::fs::read_to_string(dir.path().join("rmspec-law-mp.1")).unwrap();
    assert!(mp.contains("\\-\\-grid") && mp.contains("\\-\\-gamma"), "{mp}");
    let spectrum = std::fs::read_to_string(dir.path().join("rmspec-spectrum.1")).unwrap();
    assert!(spectrum.contains("bulk\\-level") && spectrum.contains("threads\\-layout"), "{spectrum}");
}

#[test]
fn usage_errors_are_one_line_with_exit_status_two() {
    for (args, needle) in [
        (&["spectrum", "-m", "4", "-n", "4", "--format", "jpeg"][..], "[possible values: svg, png]"),
        (&["propagate", "-w", "4,4", "-a", "sigmoid"][..], "possible values: linear, relu, tanh, gelu, swish"),
        (&["edges", "-m", "4"][..], "--n <N>"),
        (&["completions", "tcsh"][..], "possible values"),
        (&["weights", "model.safetensors", "--layout", "caffe"][..], "possible values: auto, torch, keras, flax"),
    ] {
        let output = rmspec().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{args:?}: {stderr}");
    }
    // Aliases of possible values are accepted.
    stdout_of(&["propagate", "-w", "4,4", "-a", "silu", "-t", "2", "--batch", "2"]);
}

#[test]
fn quiet_silences_status_lines_and_output_writes_the_document_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edges.json");
    let printed = stdout_of(&["edges", "-m", "8", "-n", "16", "--json", "-o", file.to_str().unwrap()]);
    assert!(printed.is_empty());
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(document["format"]["name"], "rmspec-edges");
    let (docs, plots) = (dir.path().join("docs"), dir.path().join("plots"));
    let report = ["report", "--quick", "--docs", docs.to_str().unwrap(), "--plots", plots.to_str().unwrap()];
    assert!(stdout_of(&report).starts_with("wrote "));
    assert_eq!(stdout_of(&[&report[..], &["--quiet", "--check"]].concat()), "");
}

#[test]
fn old_spellings_kept_as_hidden_aliases_still_work() {
    // spectrum --out DIR (now --plots DIR) and --no-plots (figures are drawn only with --plots).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figures");
    let base = ["spectrum", "-m", "4", "-n", "6", "-s", "he", "-t", "3", "--no-fits"];
    stdout_of(&[&base[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "the spectrum figure (no edge fit with --no-fits)");
    stdout_of(&[&base[..], &["--no-plots"]].concat());
    let both = rmspec().args(base).args(["--no-plots", "--plots", "x"]).output().unwrap();
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn version_names_the_package_version_and_the_commit_when_built_from_a_checkout() {
    let version = stdout_of(&["--version"]);
    assert!(version.starts_with(&format!("rmspec {}", env!("CARGO_PKG_VERSION"))), "{version}");
    assert_eq!(version.contains("(commit "), rmspec::provenance::GIT_COMMIT.is_some(), "{version}");
    let document: serde_json::Value =
        serde_json::from_str(&stdout_of(&["law", "tw", "--beta", "1", "--json"])).unwrap();
    assert_eq!(document["rmspec"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(document["rmspec"]["commit"].as_str(), rmspec::provenance::GIT_COMMIT);
}

/// `rmspec --version` names the OpenBLAS kernel set in use. A kernel the user sets through
/// `OPENBLAS_CORETYPE` is kept; without it, an AVX2 + FMA CPU never runs OpenBLAS's SSE3 fallback
/// (`Prescott`): the command re-executes itself with the Haswell or SkylakeX kernels
/// (src/cli/blas_kernel.rs).
/// On a machine where OpenBLAS recognises the CPU this checks only that a kernel is named.
#[test]
fn version_names_the_openblas_kernel_and_the_sse3_fallback_is_not_used_on_avx2() {
    let with = |kernel: Option<&str>| {
        let mut command = rmspec();
        command.env_remove("OPENBLAS_CORETYPE").env_remove("RMSPEC_OPENBLAS_FALLBACK");
        if let Some(kernel) = kernel {
            command.env("OPENBLAS_CORETYPE", kernel);
        }
        let output = command.arg("--version").output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(with(Some("Prescott")).contains("OpenBLAS kernel: Prescott (from OPENBLAS_CORETYPE)"));
    let default = with(None);
    let kernel_line = default.lines().find(|line| line.starts_with("OpenBLAS kernel: ")).expect(&default);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        assert!(!kernel_line.starts_with("OpenBLAS kernel: Prescott"), "{default}");
    }
    // The re-executed command keeps its arguments, output streams and exit status.
    let refused = rmspec().env_remove("OPENBLAS_CORETYPE").args(["edges", "--m", "0", "--n", "8"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(message, "error: invalid m = 0: must be at least 1\n");
}

/// The `--strategy` table at 80 columns: every row's name and s2 on one line, its note starting
/// on the next, no line longer than 80 characters. Clap wraps each line of a long help on its
/// own, and the three-column rows used to be torn apart (`the` alone at the end of a row, the
/// rest of the note under the name).
#[test]
fn the_strategy_table_fits_80_columns_in_every_command() {
    for command in ["spectrum", "edges", "propagate", "jacobian"] {
        let output = rmspec().env("COLUMNS", "80").args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = help.lines().collect();
        for line in &lines {
            assert!(line.chars().count() <= 80, "{command}: {line:?} is longer than 80 columns");
        }
        for entry in rmspec::strategy::CATALOGUE {
            let row = lines
                .iter()
                .position(|l| {
                    l.trim_start().starts_with(&format!("{} ", entry.label()))
                        && l.trim_end().ends_with(&format!("s2 = {}", entry.variance))
                })
                .unwrap_or_else(|| panic!("{command}: no whole row for {} in\n{help}", entry.label()));
            let first_word = entry.note.split(' ').next().unwrap();
            assert!(lines[row + 1].trim_start().starts_with(first_word), "{command}: {:?}", lines[row + 1]);
        }
    }
}
