//! Writing the files of a run as one set: every file first to a temporary in its target
//! directory, then, once all of them are written and flushed, each renamed over its target in the
//! order staged (the caller stages the main document last, so that it never names a figure that
//! is not there). Temporaries are removed when a set is dropped uncommitted (any error, an
//! interruption) and, through [`remove_temporaries_then`], by a front end's signal handler.
//!
//! Temporary names are short (`.rmspec-PID-N.tmp`) whatever the target's name, so a target name
//! of up to NAME_MAX (255) bytes can be written. A target that exists and is not a regular file
//! (`/dev/stdout`, a FIFO, a device) is written directly when the set commits: renaming over it
//! would replace the device with a file.

use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Temporaries that exist (or are about to be created) and are not yet renamed.
static PENDING: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
/// Numbers the temporaries of this process.
static NEXT: AtomicU64 = AtomicU64::new(0);

fn pending() -> MutexGuard<'static, BTreeSet<PathBuf>> {
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every pending temporary of this process, then runs `finish` (a signal handler's
/// `exit`) while still holding the registry, so that no new temporary appears in between.
pub fn remove_temporaries_then<R>(finish: impl FnOnce() -> R) -> R {
    let guard = pending();
    for path in guard.iter() {
        let _ = std::fs::remove_file(path);
    }
    finish()
}

/// One staged file.
#[derive(Debug)]
enum Staged {
    /// Written to `temporary`, to be renamed over `target`.
    Renamed { temporary: PathBuf, target: PathBuf },
    /// A target that is not a regular file, written directly at commit.
    Direct { target: PathBuf, bytes: Vec<u8> },
}

/// The files of one run, committed together or not at all (see the docs of the module
/// `output::files`).
#[derive(Debug, Default)]
pub struct OutputSet {
    staged: Vec<Staged>,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::InvalidInput(format!("{what} {}: {e}", path.display()))
}

impl OutputSet {
    /// An empty set.
    pub fn new() -> Self {
        OutputSet::default()
    }

    /// Writes `bytes` to a temporary beside `target` (creating missing parent directories) and
    /// flushes it; nothing is visible at `target` until [`commit`](Self::commit).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the target and the OS error (a full disk, a missing
    /// permission); [`Error::Interrupted`] after a stop request.
    pub fn stage(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        crate::trials::check_stop()?;
        target.file_name().ok_or_else(|| Error::InvalidInput(format!("{} is not a file path", target.display())))?;
        if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            self.staged.push(Staged::Direct { target: target.to_path_buf(), bytes: bytes.to_vec() });
            return Ok(());
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| io_error("cannot create the directory of", target, e))?;
        let temporary =
            dir.join(format!(".rmspec-{}-{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        // Registered before it exists, so that a signal handler never misses it.
        pending().insert(temporary.clone());
        let staged = Staged::Renamed { temporary: temporary.clone(), target: target.to_path_buf() };
        self.staged.push(staged);
        let written = (|| {
            let mut file = std::fs::File::create_new(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        written.map_err(|e| io_error("cannot write", target, e))
    }

    /// Renames every staged file over its target, in the order staged.
    ///
    /// # Errors
    /// [`Error::Interrupted`] after a stop request (nothing is renamed); [`Error::InvalidInput`]
    /// naming the target when a rename or direct write fails (the files not yet renamed are
    /// removed).
    pub fn commit(mut self) -> Result<()> {
        crate::trials::check_stop()?;
        // Held throughout, so that a signal handler waits for the renames to finish.
        let mut registry = pending();
        while !self.staged.is_empty() {
            match self.staged.remove(0) {
                Staged::Renamed { temporary, target } => {
                    let renamed = std::fs::rename(&temporary, &target);
                    if renamed.is_err() {
                        let _ = std::fs::remove_file(&temporary);
                    }
                    registry.remove(&temporary);
                    renamed.map_err(|e| io_error("cannot write", &target, e))?;
                }
                Staged::Direct { target, bytes } => {
                    std::fs::write(&target, &bytes).map_err(|e| io_error("cannot write", &target, e))?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for OutputSet {
    /// Removes the temporaries of a set that was not committed.
    fn drop(&mut self) {
        let mut registry = pending();
        for staged in &self.staged {
            if let Staged::Renamed { temporary, .. } = staged {
                let _ = std::fs::remove_file(temporary);
                registry.remove(temporary);
            }
        }
    }
}

/// Writes `bytes` to `path` atomically: an [`OutputSet`] of one file.
///
/// # Errors
/// As [`OutputSet::stage`] and [`OutputSet::commit`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut set = OutputSet::new();
    set.stage(path, bytes)?;
    set.commit()
}

/// Checks, before any work is done, that files can be created in `dir` (creating it if needed).
///
/// # Errors
/// [`Error::InvalidInput`] naming the directory and the OS error.
pub fn ensure_writable_dir(dir: &Path) -> Result<()> {
    let fail = |e: std::io::Error| Error::InvalidInput(format!("cannot write to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(format!(".rmspec-write-probe.{}", std::process::id()));
    std::fs::File::create(&probe).map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}
