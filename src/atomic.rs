//! Atomic file writes: a file is written to a temporary file in its directory and renamed, so
//! that a reader (or an interrupted run) never sees a half-written file. Used by every output
//! and by the calibration cache.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
/// Creates missing parent directories.
///
/// # Errors
/// [`Error::InvalidInput`] naming the path and the OS error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_error = |what: &str, e: std::io::Error| Error::InvalidInput(format!("{what} {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| io_error("cannot create the directory of", e))?;
    let file_name =
        path.file_name().ok_or_else(|| Error::InvalidInput(format!("{} is not a file path", path.display())))?;
    let temporary = dir.join(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(io_error("cannot write", e));
    }
    Ok(())
}
