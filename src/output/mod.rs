//! The one home of output: how results become text, JSON and files. Results are computed
//! elsewhere as typed values; this module renders them, one function per format, and writes
//! files.
//!
//! | module | what |
//! |---|---|
//! | [`number`] | the number formatters of every table, title, label and tick |
//! | [`table`] | the table type, as aligned text or markdown |
//! | [`law`] | `rmspec law mp` / `law tw`: the evaluation document and its tables |
//! | [`edges`] | `rmspec edges`: the prediction document and its tables |
//! | [`spectrum`] | `rmspec spectrum` / `merge`: the study as JSON (with figure paths) and text |
//! | [`propagation`] | `rmspec propagate`: the study as its JSON document and tables |
//! | [`weights`] | `rmspec weights`: a checkpoint's analysis as its JSON document and text |
//! | [`jacobian`] | `rmspec jacobian`: the Jacobian law (and simulation) as its JSON document and tables |
//! | [`report`] | `rmspec report --json`: the report's summary and the files written or checked |
//! | [`json`] | JSON writing: the document header, one form for ±∞ and NaN |
//! | [`prose`] | counts in words that agree in number, line wrapping |
//!
//! Every JSON document starts with its header (`format`, `rmspec`: see
//! [`crate::provenance`]) and has a JSON Schema under `docs/schema/`, named after its format
//! ([`FORMATS`] lists them). JSON is written by [`to_json`] (pretty, trailing newline). Every file rmspec writes goes
//! through an [`OutputSet`] (or [`write_atomic`], a set of one): each file's bytes go to a
//! temporary file in its target directory, and only when every file of the set has been written
//! and flushed are they renamed over their targets, the main document last; on any error, and
//! on SIGINT, SIGTERM or SIGHUP, the temporaries are removed. A reader (or an interrupted run)
//! never sees a half-written file or half a set.

pub mod edges;
mod files;
pub mod jacobian;
pub mod json;
pub mod law;
pub mod number;
pub mod propagation;
pub mod prose;
#[cfg(feature = "figures")]
pub mod report;
pub mod spectrum;
pub mod table;
#[cfg(feature = "weights")]
pub mod weights;

pub use json::{to_json, to_json_compact, Document};
pub use number::{num, pm, short};
pub use table::Table;

use crate::provenance::Format;

/// Every document format rmspec writes; each has its schema at
/// `docs/schema/<name>.schema.json`.
pub const FORMATS: [&Format; 10] = [
    &law::MARCHENKO_PASTUR_FORMAT,
    &law::TRACY_WIDOM_FORMAT,
    &edges::FORMAT,
    &spectrum::FORMAT,
    &crate::experiment::spectrum::PARTIAL_FORMAT,
    &propagation::FORMAT,
    &jacobian::FORMAT,
    &REPORT_FORMAT,
    &WEIGHTS_FORMAT,
    &KERNEL_FLOOR_FORMAT,
];

/// The format of `rmspec report --json` (defined here so that [`FORMATS`] lists it whether or not
/// the `figures` feature, which the report needs, is on).
pub const REPORT_FORMAT: Format = Format::new("rmspec-report", 1);

/// The format of `rmspec weights` (defined here so that [`FORMATS`] lists it whether or not the
/// `weights` feature, which reads checkpoints, is on).
pub const WEIGHTS_FORMAT: Format = Format::new("rmspec-weights", 1);

/// The format of `rmspec bench-kernels` (hidden; for `bench/compare`).
pub const KERNEL_FLOOR_FORMAT: Format = Format::new("rmspec-kernel-floor", 1);

/// What `rmspec bench-kernels` prints: the LAPACK floor of a `rmspec spectrum` workload.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct KernelFloorDocument {
    /// Seconds spent in the LAPACK kernels alone.
    pub floor_seconds: f64,
    /// The threads layout the workload resolved to.
    pub layout: crate::trials::ThreadsLayout,
}

pub use files::{ensure_writable_dir, remove_temporaries_then, write_atomic, OutputSet};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("x.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn unwritable_directory_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        // A path below a regular file cannot be a directory.
        let err = ensure_writable_dir(&file.join("plots")).unwrap_err();
        assert!(err.to_string().starts_with("invalid input: cannot write to"), "{err}");
        assert!(write_atomic(&file.join("a.svg"), b"x").is_err());
    }
}
