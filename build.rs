//! Records the git commit rmspec is built from, when it is built from its own checkout, as
//! `RMSPEC_GIT_COMMIT` (12 hex digits) for `rmspec --version` and the `rmspec.commit` key of every
//! JSON document. Outside a checkout of this repository (a registry package, a vendored copy
//! inside another repository) nothing is recorded. Setting `RMSPEC_GIT_COMMIT` at build time
//! overrides the lookup (for packagers).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=RMSPEC_GIT_COMMIT");
    if let Ok(commit) = std::env::var("RMSPEC_GIT_COMMIT") {
        println!("cargo:rustc-env=RMSPEC_GIT_COMMIT={commit}");
        return;
    }
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // Only this repository's own checkout: a path dependency inside another repository would
    // otherwise be stamped with that repository's commit.
    let own_checkout = git(&["rev-parse", "--show-toplevel"])
        .is_some_and(|top| Path::new(&top).canonicalize().ok() == Path::new(&manifest_dir).canonicalize().ok());
    if !own_checkout {
        return;
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it points to, and packed refs.
    for file in ["HEAD", "packed-refs"] {
        if let Some(path) = git(&["rev-parse", "--git-path", file]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &reference]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]) {
        println!("cargo:rustc-env=RMSPEC_GIT_COMMIT={commit}");
    }
}
