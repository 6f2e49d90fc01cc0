//! The figures committed under `plots/` and the numbers quoted in `docs/spectrum-example.md`
//! regenerate byte for byte from the commands the docs give. A failure means the committed
//! files are stale: rerun the commands in docs/spectrum-example.md and commit the result.
//!
//! (The figures of docs/report.md are checked by `rmspec report --check`.)

use assert_cmd::Command;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// OpenBLAS's kernel for regenerating committed files: the committed bytes come from its Haswell
/// (AVX2) kernels, and another kernel changes the last bits of rounding-level quantities (the
/// spread of orthogonal spectra). `None` (the machine's own choice) on CPUs without AVX2.
fn reference_kernel() -> Option<&'static str> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    cpuinfo.split_whitespace().any(|flag| flag == "avx2").then_some("Haswell")
}

fn regenerate(args: &[&str], out: &Path) -> String {
    let mut command = Command::cargo_bin("rmspec").unwrap();
    if let Some(kernel) = reference_kernel() {
        command.env("OPENBLAS_CORETYPE", kernel);
    }
    let output = command.args(args).args(["--plots", out.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn assert_same_files(fresh: &Path) {
    for entry in std::fs::read_dir(fresh).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let committed = repo().join("plots").join(&name);
        let committed =
            std::fs::read(&committed).unwrap_or_else(|_| panic!("plots/{} is not committed", name.to_string_lossy()));
        assert!(committed == std::fs::read(entry.path()).unwrap(), "plots/{} is stale", name.to_string_lossy());
    }
}

#[test]
fn readme_and_example_figures_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let text = regenerate(
        &["spectrum", "--m", "512", "--n", "1024", "--strategy", "all", "--trials", "50", "--seed", "1"],
        dir.path(),
    );
    regenerate(
        &["spectrum", "--m", "1024", "--n", "512", "--strategy", "arithmetic", "--trials", "50", "--seed", "1"],
        dir.path(),
    );
    assert_same_files(dir.path());
    // The numbers quoted in the worked example are the command's own output.
    let doc = std::fs::read_to_string(repo().join("docs/spectrum-example.md")).unwrap();
    for block in ["geometric (s2", "arithmetic (s2", "orthogonal (s2"] {
        let start = text.find(block).unwrap();
        // The strategy's heading and table, up to the KS line.
        let table = text[start..].lines().take_while(|l| !l.starts_with("KS distance")).collect::<Vec<_>>().join("\n");
        assert!(doc.contains(&table), "docs/spectrum-example.md quotes a stale table for '{block}':\n{table}");
    }
}
