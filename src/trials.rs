//! Trial running: how the independent trials of a Monte Carlo experiment use the cores, and the
//! one lock that keeps OpenBLAS's process-wide thread count consistent between runs.
//!
//! **Threading layout.** Two ways to use the cores, never nested ([`ThreadsLayout`]):
//! independent trials in parallel (rayon) with OpenBLAS at one thread, or one trial at a time
//! with OpenBLAS on all cores. OpenBLAS's threading costs more than it gains on small matrices
//! (2–4× slower at 64×64), while a few large matrices leave rayon workers idle. `auto` picks by
//! size: see [`ThreadsLayout::resolve`].
//!
//! **Determinism.** Trial t always draws from stream t, and results are returned in trial order,
//! so the `trials` layout gives the same bits for any RAYON_NUM_THREADS. OpenBLAS's threaded
//! `dsyrk` and `dsytrd` (inside `dsyev`) split their sums differently with the thread count, so
//! the `blas` layout changes the last bits of eigenvalues with the core count (measured: a
//! 1200×2400 run's JSON differs between the two layouts). Hence `trials` is the default; `auto`
//! and `blas` are opt-in, and the layout `auto` picks is fixed by the problem size and the
//! machine's core count, never by RAYON_NUM_THREADS. See docs/performance.md.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

/// How trials use the cores.
///
/// The default is [`ThreadsLayout::Trials`], the only layout whose results are bit-identical for
/// any thread and core count (measured: a 1200×2400 spectrum differs in the last bits between
/// OpenBLAS at 1 and 2 threads). [`ThreadsLayout::Auto`] is faster for a few large matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThreadsLayout {
    /// Chosen by size ([`ThreadsLayout::resolve`]); results may then depend on the core count.
    Auto,
    /// Trials in parallel (rayon), OpenBLAS at one thread. Bit-identical for any thread count.
    #[default]
    Trials,
    /// One trial at a time, OpenBLAS on all cores.
    Blas,
}

impl ThreadsLayout {
    /// Smallest Gram order k = min(m, n) for which `auto` considers BLAS threading.
    pub const BLAS_MIN_ORDER: usize = 1024;

    /// The concrete layout for `trials` trials of Gram order `k` on `cores` cores: `blas` when
    /// there are fewer trials than cores, or when k ≥ [`Self::BLAS_MIN_ORDER`] and there are
    /// fewer than 4 trials per core (rayon's rounds would be short and unbalanced); else `trials`.
    pub fn resolve(self, k: usize, trials: usize, cores: usize) -> ThreadsLayout {
        match self {
            ThreadsLayout::Auto => {
                if cores > 1 && k >= 64 && (trials < cores || (k >= Self::BLAS_MIN_ORDER && trials < 4 * cores)) {
                    ThreadsLayout::Blas
                } else {
                    ThreadsLayout::Trials
                }
            }
            other => other,
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ThreadsLayout::Auto => "auto",
            ThreadsLayout::Trials => "trials",
            ThreadsLayout::Blas => "blas",
        }
    }
}

impl std::str::FromStr for ThreadsLayout {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ThreadsLayout::Auto),
            "trials" => Ok(ThreadsLayout::Trials),
            "blas" => Ok(ThreadsLayout::Blas),
            _ => Err(crate::Error::UnknownName {
                kind: "threads layout",
                name: s.to_string(),
                expected: "auto, trials, blas".into(),
            }),
        }
    }
}

/// The machine's core count (std's available parallelism; not RAYON_NUM_THREADS).
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Hooks into a running experiment: a per-step progress callback, a phase callback and a
/// cancellation flag (checked before each step; a set flag ends the run with
/// [`crate::Error::Interrupted`]).
#[derive(Clone, Copy, Default)]
pub struct RunControl<'a> {
    /// Called once after each finished step (a trial, a calibration replicate), from any worker
    /// thread.
    pub on_trial: Option<&'a (dyn Fn() + Sync)>,
    /// Called when a phase begins, with its number of steps: each step of that phase is then
    /// reported through `on_trial`. A progress display restarts its count and its ETA there, so
    /// that no ETA is computed over another phase's steps.
    pub on_phase: Option<&'a (dyn Fn(Phase, u64) + Sync)>,
    /// When set, the run stops before its next step.
    pub cancel: Option<&'a AtomicBool>,
}

/// The phases of a long run, as [`RunControl::on_phase`] announces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Simulating the bulk test's null distribution; a step is one replicate run.
    Calibration,
    /// The trials; a step is one matrix (shared by the Gaussian strategies that share draws).
    Trials,
}

impl Phase {
    /// What the phase is, for a progress line.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Calibration => "calibration",
            Phase::Trials => "trials",
        }
    }

    /// What one step is.
    pub fn unit(self) -> &'static str {
        match self {
            Phase::Calibration => "replicates",
            Phase::Trials => "matrices",
        }
    }
}

impl std::fmt::Debug for RunControl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunControl").field("cancel", &self.cancel).finish_non_exhaustive()
    }
}

impl RunControl<'_> {
    /// Whether the run should stop: its cancel flag is set or the process was asked to stop.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) || stop_requested()
    }

    /// Announces the beginning of `phase` with `steps` steps.
    pub fn begin(&self, phase: Phase, steps: u64) {
        if let Some(f) = self.on_phase {
            f(phase, steps);
        }
    }
}

/// The process-wide stop request: set by a front end's signal handler (the CLI sets it on
/// SIGINT, SIGTERM and SIGHUP), read by every long phase (each trial of every experiment, the
/// calibration replicates, each figure and report section), which then ends with
/// [`crate::Error::Interrupted`]. A phase checks it between steps of well under a second for the
/// sizes the memory limit admits, so a stop is honoured within about a second.
static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every running phase to stop (idempotent; returns whether a stop had been requested
/// before, so that a handler can treat a second signal as "stop now").
pub fn request_stop() -> bool {
    STOP.swap(true, Ordering::SeqCst)
}

/// Withdraws a stop request, for a front end that outlives a stopped run (the Python bindings:
/// after Ctrl-C has ended one call, the next call must run). The CLI never calls it: a stopped
/// program exits.
pub fn clear_stop() {
    STOP.store(false, Ordering::SeqCst);
}

/// Whether a stop has been requested.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// `Err(Interrupted)` once a stop has been requested: the check between the steps of a phase.
///
/// # Errors
/// [`crate::Error::Interrupted`] after [`request_stop`].
pub fn check_stop() -> crate::Result<()> {
    if stop_requested() {
        Err(crate::Error::Interrupted)
    } else {
        Ok(())
    }
}

/// The variable that sets the worker thread count (rayon's).
pub const THREADS_VARIABLE: &str = "RAYON_NUM_THREADS";

/// The most worker threads a run uses: the core count, or 8 on smaller machines (so that the
/// thread-count invariance of results stays testable there). Trials are CPU-bound, so threads
/// beyond the cores cannot make a run faster; 10 000 of them made a tiny run take over a minute.
pub fn max_threads() -> usize {
    cores().max(8)
}

/// The worker thread count for this process: `RAYON_NUM_THREADS` when set to a positive integer,
/// capped at [`max_threads`]; the core count when it is unset, empty or 0 (rayon's meaning).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] naming `RAYON_NUM_THREADS` when it is set to anything else.
pub fn worker_threads() -> crate::Result<usize> {
    let Some(value) = std::env::var_os(THREADS_VARIABLE) else { return Ok(cores()) };
    let text = value.to_string_lossy();
    if text.trim().is_empty() {
        return Ok(cores());
    }
    match text.trim().parse::<u128>() {
        Ok(0) => Ok(cores()),
        Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX).min(max_threads())),
        Err(_) => Err(crate::Error::invalid(THREADS_VARIABLE, format!("'{text}'"), "must be a whole number ≥ 0")),
    }
}

/// Runs `trial(state, index)` for each index in `indices` with one `init()` state per worker
/// (solvers, buffers), and returns the results **in the order of `indices`**.
///
/// `layout` must be concrete (`trials` or `blas`; `auto` is treated as `trials`). With `trials`,
/// OpenBLAS is held at one thread and trials run on rayon's pool; with `blas`, trials run one at a
/// time on this thread with OpenBLAS on all [`cores`], and OpenBLAS is set back to one thread after
/// (not to the count it had before; see [`BLAS_THREADING`]).
pub(crate) fn run_trials<S, T, I, F>(
    indices: &[u64],
    layout: ThreadsLayout,
    control: RunControl<'_>,
    init: I,
    trial: F,
) -> crate::Result<Vec<T>>
where
    T: Send,
    I: Fn() -> crate::Result<S> + Sync + Send,
    F: Fn(&mut S, u64) -> crate::Result<T> + Sync + Send,
{
    let one = |state: &mut S, index: u64| {
        if control.cancelled() {
            return Err(crate::Error::Interrupted);
        }
        let out = trial(state, index)?;
        if let Some(f) = control.on_trial {
            f();
        }
        Ok(out)
    };
    match layout {
        ThreadsLayout::Blas => {
            // Exclusive: no other run may call BLAS from rayon workers while OpenBLAS is threaded.
            let _exclusive = BLAS_THREADING.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            crate::linalg::set_blas_threads(cores());
            let result = init().and_then(|mut state| indices.iter().map(|&i| one(&mut state, i)).collect());
            crate::linalg::set_blas_threads(1);
            result
        }
        ThreadsLayout::Trials | ThreadsLayout::Auto => {
            let _shared = BLAS_THREADING.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            crate::linalg::set_blas_threads(1);
            indices
                .par_iter()
                .map_init(&init, |state, &index| match state {
                    Ok(state) => one(state, index),
                    Err(e) => Err(e.clone()),
                })
                .collect::<crate::Result<Vec<T>>>()
        }
    }
}

/// [`run_trials`] over trials 0..count with the deterministic `trials` layout and no progress
/// hook (a [stop request](request_stop) still ends it): what the fixed-size experiments
/// (calibration, propagation, depth) use.
pub(crate) fn run_all_trials<S, T, I, F>(count: usize, init: I, trial: F) -> crate::Result<Vec<T>>
where
    T: Send,
    I: Fn() -> crate::Result<S> + Sync + Send,
    F: Fn(&mut S, u64) -> crate::Result<T> + Sync + Send,
{
    let indices: Vec<u64> = (0..count as u64).collect();
    run_trials(&indices, ThreadsLayout::Trials, RunControl::default(), init, trial)
}

/// The guarded value of an accumulator shared by the workers of a run. A poisoned lock means a
/// worker panicked mid-update; rayon re-raises that panic in the caller, so the value is never
/// used, and taking it anyway keeps the other workers from panicking a second time.
pub(crate) fn locked<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Who may change OpenBLAS's thread count. OpenBLAS's count is one process-wide setting, so runs
/// in different threads of one process (parallel tests using [`crate::check`], say) must agree:
/// trial-parallel runs hold it shared and keep OpenBLAS at one thread; a `blas`-layout run holds
/// it exclusively, raises the count for its duration and lowers it back to one. (An earlier
/// version restored "the previous count" on exit, which could re-thread OpenBLAS under another
/// run's rayon workers; the parallel unit tests once produced a corrupted spectrum that way.
/// Not reproduced in ten further runs, but the race was real, and this closes it.)
static BLAS_THREADING: std::sync::RwLock<()> = std::sync::RwLock::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_layout_picks_blas_only_for_few_large_matrices() {
        // (k, trials, cores) → layout; the workloads of docs/performance.md on 2 cores.
        let table = [
            ((512, 200, 2), ThreadsLayout::Trials), // W1
            ((64, 2000, 2), ThreadsLayout::Trials), // W2
            ((2048, 5, 2), ThreadsLayout::Blas),    // W3
            ((4000, 1, 2), ThreadsLayout::Blas),    // W4
            ((2048, 64, 2), ThreadsLayout::Trials), // many large: trials fill the cores
            ((32, 1, 2), ThreadsLayout::Trials),    // tiny: threading costs more than it gains
            ((4000, 1, 1), ThreadsLayout::Trials),  // one core: nothing to share
        ];
        for ((k, trials, cores), want) in table {
            assert_eq!(ThreadsLayout::Auto.resolve(k, trials, cores), want, "{k} {trials} {cores}");
        }
        assert_eq!(ThreadsLayout::Trials.resolve(4000, 1, 2), ThreadsLayout::Trials);
        assert_eq!("BLAS".parse::<ThreadsLayout>().unwrap(), ThreadsLayout::Blas);
        assert!("both".parse::<ThreadsLayout>().is_err());
    }
}
