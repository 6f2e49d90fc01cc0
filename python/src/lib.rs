//! Python bindings of rmspec: the native module `rmspec._rmspec`, wrapped by the Python package
//! `rmspec` (`python/rmspec/`). Thin: every number comes from the rmspec library; this crate
//! converts NumPy arrays and Python values, maps the library's errors to Python exceptions
//! ([`errors`]), and runs long calls without the GIL, stopped by Ctrl-C ([`interrupt`]).
//!
//! Conventions as everywhere in rmspec: W is m×n with m = fan-in rows and n = fan-out columns,
//! S = W Wᵀ/n, γ = m/n.

mod arrays;
mod check;
mod documents;
mod errors;
mod interrupt;
mod laws;

use pyo3::prelude::*;

/// The native part of the `rmspec` package (import `rmspec`, not this module).
#[pymodule]
fn _rmspec(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NORMALIZATION", rmspec::NORMALIZATION)?;
    m.add("VERSION_LINE", rmspec::provenance::version_line())?;
    // Fixed for the life of the process: OpenBLAS chose it when it loaded.
    m.add("OPENBLAS_KERNEL", rmspec::linalg::openblas_kernel())?;
    m.add_function(wrap_pyfunction!(laws::mp_pdf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::mp_cdf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::mp_ppf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::tw_pdf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::tw_cdf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::tw_ppf, m)?)?;
    m.add_function(wrap_pyfunction!(laws::mp_law_json, m)?)?;
    m.add_function(wrap_pyfunction!(laws::tw_law_json, m)?)?;
    m.add_function(wrap_pyfunction!(documents::edges_json, m)?)?;
    m.add_function(wrap_pyfunction!(documents::spectrum_json, m)?)?;
    m.add_function(wrap_pyfunction!(documents::weights_json, m)?)?;
    m.add_function(wrap_pyfunction!(check::check, m)?)?;
    m.add_class::<check::CheckReport>()?;
    m.add_class::<check::CheckItem>()?;
    Ok(())
}
