//! Which OpenBLAS kernels the `rmspec` command runs on.
//!
//! Debian's OpenBLAS 0.3.21 (a DYNAMIC_ARCH build) picks its kernel set from the CPU's family and
//! model when the library loads. On a CPU model it does not know, as on virtual machines that
//! report only "Intel(R) Xeon(R) Processor", it falls back to `Prescott`, its SSE3 kernels, even
//! when the CPU has AVX2 and AVX-512: the dense workloads then run at about half the speed
//! (docs/performance.md, "This machine's OpenBLAS kernel"). OpenBLAS reads `OPENBLAS_CORETYPE`
//! only while it loads, before `main`, so the choice cannot be changed in the running process.
//!
//! [`select`] therefore re-executes the command once, with `OPENBLAS_CORETYPE` set to the kernel
//! set OpenBLAS would have chosen had it known the model, when all of these hold:
//! `OPENBLAS_CORETYPE` is not set (a user who sets it, to any value, keeps it), OpenBLAS reports
//! `Prescott`, and the CPU has the instructions with the operating system saving their registers
//! (`is_x86_feature_detected!`): `SkylakeX` with AVX-512 (F, CD, BW, DQ, VL: the Skylake-SP set
//! those kernels are built for), else `Haswell` with AVX2 and FMA. Measured on such a machine
//! (docs/performance.md): the W1 workload (200 spectra of 512×1024) 4.0 s of CPU with SkylakeX,
//! 5.0 s with Haswell, twice that with Prescott. The committed `docs/` and `plots/` were produced
//! with `Haswell`, which `make report` and CI set explicitly; another kernel changes the last bits
//! of eigenvalues (README, "Figures"). The re-executed process carries
//! [`FALLBACK_VARIABLE`] naming the kernel OpenBLAS had chosen, for `rmspec --version`. If the
//! re-execution fails the command goes on with OpenBLAS's own choice. Library users (and the Python
//! package) are not affected: they set `OPENBLAS_CORETYPE` themselves (README, "Speed and scale").

/// Set on the re-executed process: the kernel OpenBLAS had chosen before rmspec selected another.
pub const FALLBACK_VARIABLE: &str = "RMSPEC_OPENBLAS_FALLBACK";

/// Re-executes the command with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to its SSE3
/// kernels on a CPU with AVX2 or AVX-512 (module documentation); otherwise returns at once. Call
/// first in `main`, before any thread is started.
pub fn select() {
    if std::env::var_os("OPENBLAS_CORETYPE").is_some() {
        return;
    }
    let Some(kernel) = vector_kernel() else { return };
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
    command.args(args).env("OPENBLAS_CORETYPE", kernel).env(FALLBACK_VARIABLE, &chosen);
    // exec returns only on failure; the command then runs with OpenBLAS's own choice.
    let _ = std::os::unix::process::CommandExt::exec(&mut command);
}

/// The OpenBLAS kernel set for this CPU's vector instructions: `SkylakeX` with the Skylake-SP
/// AVX-512 set, `Haswell` with AVX2 and FMA, none otherwise.
#[cfg(target_arch = "x86_64")]
fn vector_kernel() -> Option<&'static str> {
    use std::arch::is_x86_feature_detected as has;
    if has!("avx512f") && has!("avx512cd") && has!("avx512bw") && has!("avx512dq") && has!("avx512vl") {
        Some("SkylakeX")
    } else if has!("avx2") && has!("fma") {
        Some("Haswell")
    } else {
        None
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn vector_kernel() -> Option<&'static str> {
    None
}

/// The lines `rmspec --version` adds after the version: the OpenBLAS kernel set in use and how it
/// was chosen.
pub fn description() -> String {
    let kernel = rmspec::linalg::openblas_kernel();
    let how = match (std::env::var(FALLBACK_VARIABLE), std::env::var_os("OPENBLAS_CORETYPE")) {
        (Ok(fallback), Some(_)) => {
            format!(
                "selected by rmspec: OpenBLAS fell back to {fallback} on this CPU, which has {kernel}'s instructions"
            )
        }
        (_, Some(_)) => "from OPENBLAS_CORETYPE".to_string(),
        (_, None) => "chosen by OpenBLAS from the CPU model".to_string(),
    };
    format!("OpenBLAS kernel: {kernel} ({how})")
}
