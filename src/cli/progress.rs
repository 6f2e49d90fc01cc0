//! Progress of long runs on stderr, phase by phase (calibration, trials, figures, merge).
//!
//! Each phase restarts the count and the ETA, so an ETA is only ever computed from the steps of
//! the phase it is about (never over a silent phase before it). Shown only on a terminal, when
//! not `--quiet`, and only once the run has lasted a second. One process owns the terminal line
//! with a bar; a shard (`--shard K/N`, of which several usually share one terminal) prints
//! whole lines prefixed with `shard K/N` instead — at the start of each phase and at each
//! quarter of it — so that processes writing to one terminal never overwrite each other.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// How progress is drawn.
enum Display {
    /// Nothing (quiet, or not a terminal).
    Hidden,
    /// One redrawn bar.
    Bar(ProgressBar),
    /// Whole lines with a per-process prefix.
    Lines(String),
}

/// The progress of one command.
pub(crate) struct Progress {
    display: Display,
    start: Instant,
    shown: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    phase: Mutex<(String, &'static str, Instant)>,
}

impl Progress {
    /// Progress on stderr when it is a terminal and not `quiet`; `prefix` (a shard's name)
    /// selects whole lines instead of a bar.
    pub(crate) fn new(quiet: bool, prefix: Option<String>) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let display = match (quiet || !terminal, prefix) {
            (true, _) => Display::Hidden,
            (false, Some(prefix)) => Display::Lines(prefix),
            (false, None) => {
                let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
                bar.set_style(
                    ProgressStyle::with_template("{msg} {elapsed_precise} [{bar:40}] {pos}/{len}, eta {eta}")
                        .expect("a valid template")
                        .progress_chars("=> "),
                );
                Display::Bar(bar)
            }
        };
        Progress {
            display,
            start: Instant::now(),
            shown: AtomicBool::new(false),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            phase: Mutex::new((String::new(), "", Instant::now())),
        }
    }

    /// A new phase of `steps` steps of `unit` (e.g. "figures", 12, "files").
    pub(crate) fn phase(&self, name: &str, unit: &'static str, steps: u64) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = (name.to_string(), unit, Instant::now());
        self.done.store(0, Ordering::SeqCst);
        self.total.store(steps, Ordering::SeqCst);
        match &self.display {
            Display::Hidden => {}
            Display::Bar(bar) => {
                bar.reset();
                bar.set_length(steps);
                bar.set_message(format!("{name} ({unit})"));
            }
            Display::Lines(prefix) => eprintln!("{prefix}: {name}: {steps} {unit}"),
        }
    }

    /// One step of the current phase done.
    pub(crate) fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        match &self.display {
            Display::Hidden => {}
            Display::Bar(bar) => {
                bar.inc(1);
                if self.start.elapsed().as_secs_f64() > 1.0 && !self.shown.swap(true, Ordering::SeqCst) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            }
            Display::Lines(prefix) => {
                let total = self.total.load(Ordering::SeqCst);
                let quarter = (total / 4).max(1);
                if done % quarter == 0 && done < total {
                    let (name, unit, started) = self.phase.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    let elapsed = started.elapsed().as_secs_f64();
                    let eta = elapsed / done as f64 * (total - done) as f64;
                    eprintln!("{prefix}: {name}: {done}/{total} {unit}, {elapsed:.0} s, eta {eta:.0} s");
                }
            }
        }
    }

    /// Clears the bar.
    pub(crate) fn finish(&self) {
        if let Display::Bar(bar) = &self.display {
            bar.finish_and_clear();
        }
    }
}
