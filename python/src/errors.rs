//! The library's [`rmspec::Error`] as Python exceptions, with the same one-line message.
//!
//! | `rmspec::Error` | Python exception (defined in `rmspec/_errors.py`) |
//! |---|---|
//! | `InvalidParameter`, `UnknownName`, `Mismatch`, `InvalidInput` | `rmspec.InvalidInputError` (a `ValueError`) |
//! | `File` | `rmspec.FileError` (an `OSError`) |
//! | `TooLarge` | `rmspec.TooLargeError` (a `MemoryError`) |
//! | `Lapack` | `rmspec.LapackError` (an `ArithmeticError`) |
//! | `Interrupted` | `KeyboardInterrupt` |
//!
//! Every class but `KeyboardInterrupt` derives from `rmspec.RmspecError`.

use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;

pyo3::import_exception!(rmspec._errors, RmspecError);
pyo3::import_exception!(rmspec._errors, InvalidInputError);
pyo3::import_exception!(rmspec._errors, FileError);
pyo3::import_exception!(rmspec._errors, TooLargeError);
pyo3::import_exception!(rmspec._errors, LapackError);

/// The Python exception for `error`, carrying its `Display` (the CLI's line without `error: `).
pub fn to_py(error: rmspec::Error) -> PyErr {
    use rmspec::Error;
    let message = error.to_string();
    match error {
        Error::InvalidParameter { .. } | Error::UnknownName { .. } | Error::Mismatch(_) | Error::InvalidInput(_) => {
            InvalidInputError::new_err(message)
        }
        Error::File(_) => FileError::new_err(message),
        Error::TooLarge { .. } => TooLargeError::new_err(message),
        Error::Lapack { .. } => LapackError::new_err(message),
        Error::Interrupted => PyKeyboardInterrupt::new_err(message),
        _ => RmspecError::new_err(message),
    }
}

/// `rmspec::Result` to `PyResult`.
pub trait IntoPy<T> {
    /// The error mapped by [`to_py`].
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for rmspec::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// An argument the binding itself checks (a layout name, an array's dtype or rank), with the
/// library's wording: `invalid NAME = VALUE: CONSTRAINT`.
pub fn invalid(name: &'static str, value: impl std::fmt::Display, constraint: &'static str) -> PyErr {
    to_py(rmspec::Error::invalid(name, value, constraint))
}
