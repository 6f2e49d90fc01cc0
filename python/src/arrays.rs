//! NumPy arrays in and out: floats as C-contiguous `float64` without a copy when they already
//! are, results as new arrays of the input's shape, built from the library's `Vec` without a copy.

use numpy::{PyArray1, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;

/// Points at which to evaluate: one Python number, or an array of them.
pub enum Points<'py> {
    /// A Python number (or anything `float()` takes that is not an array): the result is a float.
    Scalar(f64),
    /// A C-contiguous float64 array: its own buffer when it was one already, else NumPy's
    /// `ascontiguousarray(x, dtype=float64)`.
    Array(PyReadonlyArrayDyn<'py, f64>),
}

impl<'py> Points<'py> {
    /// `x` as points: arrays and sequences become arrays, numbers stay scalars.
    pub fn of(x: &Bound<'py, PyAny>) -> PyResult<Self> {
        let is_array = x.cast::<PyUntypedArray>().is_ok();
        if !is_array {
            if let Ok(value) = x.extract::<f64>() {
                return Ok(Points::Scalar(value));
            }
        }
        if let Ok(array) = x.cast::<PyArrayDyn<f64>>() {
            if array.is_c_contiguous() {
                return Ok(Points::Array(array.readonly()));
            }
        }
        let numpy = x.py().import("numpy")?;
        let contiguous = numpy.call_method1("ascontiguousarray", (x, numpy.getattr("float64")?))?;
        Ok(Points::Array(contiguous.cast_into::<PyArrayDyn<f64>>()?.readonly()))
    }
}

/// `values` (in C order) as an array of `shape`, owning the `Vec` (no copy).
pub fn array_of<'py>(py: Python<'py>, values: Vec<f64>, shape: &[usize]) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyArray1::from_vec(py, values).reshape(shape)?.into_any())
}
