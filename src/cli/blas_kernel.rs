//! Which OpenBLAS kernels the `rmspec` command runs on.
//!
//! Debian's OpenBLAS 0.3.21 (a DYNAMIC_ARCH build) picks its kernel set from the CPU's family and
//! model when the library loads. On a CPU model it does not know, as on virtual machines that
//! report only "Intel(R) Xeon(R) Processor", it falls back to `Prescott`, its SSE3 kernels, even
//! when the CPU has AVX2 and AVX-512: the dense workloads then run at about half the speed
//! (docs/performance.md, "This machine's OpenBLAS kernel"). OpenBLAS reads `OPENBLAS_CORETYPE`
//! only while it loads, before `main`, so the choice cannot be changed in the running process.
//!
//! [`select`] therefore re-executes the command once, with `OPENBLAS_CORETYPE=Haswell`, when all
//! of these hold: `OPENBLAS_CORETYPE` is not set (a user who sets it, to any value, keeps it),
//! OpenBLAS reports `Prescott`, and the CPU has AVX2 and FMA with the operating system saving
//! their registers (`is_x86_feature_detected!`). `Haswell` is the AVX2 kernel set, the one the
//! committed `docs/` and `plots/` were produced with, so on such a machine the default run gives
//! the committed bytes. The re-executed process carries [`FALLBACK_VARIABLE`] naming the kernel
//! OpenBLAS had chosen, for `rmspec --version`. If the re-execution fails the command goes on with
//! OpenBLAS's own choice. Library users (and the Python package) are not affected: they set
//! `OPENBLAS_CORETYPE` themselves (README, "Speed and scale").

/// Set on the re-executed process: the kernel OpenBLAS had chosen before rmspec selected another.
pub const FALLBACK_VARIABLE: &str = "RMSPEC_OPENBLAS_FALLBACK";

/// The kernel set selected in place of `Prescott` on an AVX2 + FMA CPU.
const AVX2_KERNEL: &str = "Haswell";

/// Re-executes the command with `OPENBLAS_CORETYPE=Haswell` when OpenBLAS fell back to its SSE3
/// kernels on an AVX2 + FMA CPU (module documentation); otherwise returns at once. Call first in
/// `main`, before any thread is started.
pub fn select() {
    if std::env::var_os("OPENBLAS_CORETYPE").is_some() || !has_avx2_and_fma() {
        return;
    }
    let chosen = rmspec::linalg::openblas_kernel();
    if !chosen.eq_ignore_ascii_case("Prescott") {
        return;
    }
    let Ok(executable) = std::env::current_exe() else { return };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(executable);
    if let Some(arg0) = args.next() {
        std::os::unix::process::CommandExt::arg0(&mut command, arg0);
    }
    command.args(args).env("OPENBLAS_CORETYPE", AVX2_KERNEL).env(FALLBACK_VARIABLE, &chosen);
    // exec returns only on failure; the command then runs with OpenBLAS's own choice.
    let _ = std::os::unix::process::CommandExt::exec(&mut command);
}

#[cfg(target_arch = "x86_64")]
fn has_avx2_and_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx2_and_fma() -> bool {
    false
}

/// The lines `rmspec --version` adds after the version: the OpenBLAS kernel set in use and how it
/// was chosen.
pub fn description() -> String {
    let kernel = rmspec::linalg::openblas_kernel();
    let how = match (std::env::var(FALLBACK_VARIABLE), std::env::var_os("OPENBLAS_CORETYPE")) {
        (Ok(fallback), Some(_)) => {
            format!("selected by rmspec: OpenBLAS fell back to {fallback} on this AVX2 CPU")
        }
        (_, Some(_)) => "from OPENBLAS_CORETYPE".to_string(),
        (_, None) => "chosen by OpenBLAS from the CPU model".to_string(),
    };
    format!("OpenBLAS kernel: {kernel} ({how})")
}
