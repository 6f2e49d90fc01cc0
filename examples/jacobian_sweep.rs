//! Robustness sweep of `rmspec jacobian`: every strategy of `--strategy all` × every activation
//! × depths 1, 10 and 100 at width 100, and rectangular chains of width ratio 16, each run as
//! its own `rmspec jacobian … --json` process (law, 1000-point density and CDF, quantiles).
//! Prints one line per case: its outcome (ok, the one-line error, or the time limit), the child's
//! CPU time (user + system, from wait4) and its wall-clock time (to the 5 ms of the polling; the
//! law's solver runs on rayon's threads, so CPU time exceeds wall-clock time on several cores).
//! Every case should succeed or fail with a clear one-line error; docs/jacobian.md records the last run.
//!
//! Run: `cargo build --release && cargo run --release --example jacobian_sweep -- [LIMIT_S] [DEPTHS]`
//! (LIMIT_S: CPU-bound wall-clock limit per case, default 60; DEPTHS: comma-separated, default
//! 1,10,100). The binary is target/release/rmspec next to this example, or $RMSPEC_BIN.

use rmspec::activation::Activation;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The strategies of `--strategy all`.
const STRATEGIES: [&str; 6] = ["geometric", "arithmetic", "quadratic", "he", "lecun", "orthogonal"];

/// How one case ended.
enum Outcome {
    Ok,
    Failed(String),
    TimedOut,
}

/// The rmspec binary: $RMSPEC_BIN, else target/release/rmspec (this example lives in
/// target/release/examples).
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RMSPEC_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the example's own path");
    exe.parent().and_then(|p| p.parent()).expect("target/release").join("rmspec")
}

/// Runs one case; returns its outcome, CPU seconds (user + system of the child) and wall-clock
/// seconds.
#[allow(clippy::zombie_processes)] // libc::wait4 reaps the child (for its rusage)
fn run(
    binary: &Path,
    widths: &[usize],
    strategy: &str,
    activation: Activation,
    limit: Duration,
) -> (Outcome, f64, f64) {
    let widths: Vec<String> = widths.iter().map(|w| w.to_string()).collect();
    let mut child = Command::new(binary)
        .args(["jacobian", "--quiet", "--json", "-w", &widths.join(","), "-s", strategy, "-a"])
        .arg(activation.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning rmspec");
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, zero-initialised.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: pid is our own unreaped child; status and usage are valid for writes.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        if start.elapsed() > limit && !timed_out {
            timed_out = true;
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    let seconds = cpu(usage.ru_utime) + cpu(usage.ru_stime);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let outcome = if timed_out {
        Outcome::TimedOut
    } else if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        Outcome::Ok
    } else {
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        let text = match lines.as_slice() {
            [one] => one.to_string(),
            [] => format!("no message (status {status})"),
            many => format!("{} ({} lines on stderr)", many[0], many.len()),
        };
        Outcome::Failed(text)
    };
    (outcome, seconds, wall)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let limit = Duration::from_secs_f64(args.next().and_then(|a| a.parse().ok()).unwrap_or(60.0));
    let depths: Vec<usize> =
        args.next().map(|a| a.split(',').filter_map(|d| d.parse().ok()).collect()).unwrap_or_else(|| vec![1, 10, 100]);
    let binary = binary();
    let mut cases: Vec<(Vec<usize>, &str, Activation)> = Vec::new();
    for &depth in &depths {
        for activation in Activation::ALL {
            for strategy in STRATEGIES {
                cases.push((vec![100; depth + 1], strategy, activation));
            }
        }
    }
    // Width ratio 16: alternating 100 and 1600 (both directions), depth 10.
    for activation in [Activation::Linear, Activation::Relu, Activation::Tanh, Activation::Gelu] {
        for strategy in ["arithmetic", "orthogonal"] {
            let up: Vec<usize> = (0..=10).map(|l| if l % 2 == 0 { 100 } else { 1600 }).collect();
            let down: Vec<usize> = (0..=10).map(|l| if l % 2 == 0 { 1600 } else { 100 }).collect();
            cases.push((up, strategy, activation));
            cases.push((down, strategy, activation));
        }
    }
    println!("{:<8} {:<12} {:<10} {:>8} {:>8}  outcome", "depth", "strategy", "activation", "CPU s", "wall s");
    let (mut ok, mut failed, mut slow) = (0, 0, 0);
    for (widths, strategy, activation) in cases {
        let (outcome, seconds, wall) = run(&binary, &widths, strategy, activation, limit);
        let shape = if widths.iter().all(|&w| w == widths[0]) {
            format!("{}", widths.len() - 1)
        } else {
            format!("{}:{}", widths.len() - 1, if widths[0] < widths[1] { "up16" } else { "down16" })
        };
        let text = match outcome {
            Outcome::Ok => {
                ok += 1;
                "ok".to_string()
            }
            Outcome::Failed(message) => {
                failed += 1;
                message
            }
            Outcome::TimedOut => {
                slow += 1;
                format!("over the {} s limit", limit.as_secs_f64())
            }
        };
        println!("{shape:<8} {strategy:<12} {:<10} {seconds:>8.2} {wall:>8.2}  {text}", activation.to_string());
    }
    println!("{ok} ok, {failed} failed, {slow} over the limit");
}
