//! Long calls without the GIL, stopped by Ctrl-C.
//!
//! The work runs on a scoped thread while the calling thread, without the GIL, waits for it in
//! slices of [`POLL`]; between slices it takes the GIL and asks Python for pending signals
//! (`PyErr_CheckSignals`, which runs the SIGINT handler in the main thread). When Python raises
//! (`KeyboardInterrupt` from Ctrl-C), the library's process-wide stop request is set
//! ([`rmspec::trials::request_stop`]): every long phase of the library checks it between steps
//! of well under a second, so the work ends with `Error::Interrupted`; the request is then
//! withdrawn so that the next call runs, and Python's exception is raised.
//!
//! The stop request is process-wide: a Ctrl-C also stops rmspec calls running at that moment in
//! other Python threads (they raise `KeyboardInterrupt`).

use crate::errors::IntoPy;
use pyo3::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

/// How long the caller waits without the GIL between two looks at Python's signals.
const POLL: Duration = Duration::from_millis(50);

/// Runs `work` on a scoped thread without the GIL, honouring Ctrl-C (see the module docs).
///
/// # Errors
/// The library's error mapped by [`crate::errors::to_py`], or Python's exception from its signal
/// handler (`KeyboardInterrupt`).
pub fn run<T: Send>(py: Python<'_>, work: impl FnOnce() -> rmspec::Result<T> + Send) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (sender, mut receiver) = mpsc::sync_channel(1);
        let worker = scope.spawn(move || {
            // The receiver outlives the worker unless the caller is unwinding: nothing to do then.
            let _ = sender.send(work());
        });
        loop {
            let (back, received) = py.detach(move || {
                let received = receiver.recv_timeout(POLL);
                (receiver, received)
            });
            receiver = back;
            match received {
                Ok(result) => {
                    join(py, worker);
                    return result.py();
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // The worker ended without sending: it panicked. Re-raise here, where PyO3
                    // turns a panic into `pyo3_runtime.PanicException`.
                    join(py, worker);
                    unreachable!("a worker that did not send its result has panicked");
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if let Err(signal) = py.check_signals() {
                rmspec::trials::request_stop();
                // Whatever the work returns now (Interrupted, or a result finished meanwhile),
                // Python's exception wins.
                let _ = py.detach(move || receiver.recv());
                join(py, worker);
                rmspec::trials::clear_stop();
                return Err(signal);
            }
        }
    })
}

/// Waits for the worker without the GIL, re-raising its panic.
fn join(py: Python<'_>, worker: std::thread::ScopedJoinHandle<'_, ()>) {
    if let Err(panic) = py.detach(move || worker.join()) {
        std::panic::resume_unwind(panic);
    }
}
