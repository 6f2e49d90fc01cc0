//! `check`: a weight matrix from NumPy against what its initialiser promises, through the
//! library's [`rmspec::check::Check`], returning its [`CheckReport`] (`passed`, the items, and
//! the library's own text as `str`).
//!
//! Layouts: W is m×n with m = fan-in rows and n = fan-out columns. `layout="torch"` takes an
//! out×in array (`nn.Linear.weight`: W transposed), `layout="keras"` an in×out array (Keras
//! and Flax `Dense` kernels: W itself). C-contiguous (row-major) and Fortran-contiguous arrays
//! are read in place: a row-major out×in buffer is the column-major in×out matrix, and so on;
//! other arrays are first made C-contiguous by NumPy (a copy).

use crate::errors::{invalid, IntoPy};
use crate::interrupt;
use numpy::{PyArray2, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use rmspec::check::{Check, Layout, Quantity};
use rmspec::Strategy;

/// The storage order of `array` read as W (m = fan-in rows), and (rows, cols) = (m, n).
fn orientation(shape: [usize; 2], c_order: bool, torch: bool) -> (Layout, usize, usize) {
    let [first, second] = shape;
    match (torch, c_order) {
        // torch: the array is Wᵀ (out × in); its row-major buffer is W column-major.
        (true, true) => (Layout::ColumnMajor, second, first),
        (true, false) => (Layout::RowMajor, second, first),
        // keras: the array is W (in × out).
        (false, true) => (Layout::RowMajor, first, second),
        (false, false) => (Layout::ColumnMajor, first, second),
    }
}

/// Entries of a 2-D float array, in place when contiguous.
enum Entries<'py> {
    F64(numpy::PyReadonlyArray2<'py, f64>),
    F32(numpy::PyReadonlyArray2<'py, f32>),
}

impl<'py> Entries<'py> {
    /// `weights` as a contiguous 2-D float32 or float64 array (NumPy makes other arrays
    /// C-contiguous; other dtypes and ranks are errors naming them).
    fn of(weights: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = weights.py();
        let numpy = py.import("numpy")?;
        let mut array = numpy.call_method1("asarray", (weights,))?;
        let ndim: usize = array.getattr("ndim")?.extract()?;
        if ndim != 2 {
            let shape = array.getattr("shape")?.str()?.to_string();
            return Err(invalid(
                "weights shape",
                shape,
                "must be 2-D: out × in for layout='torch', in × out for 'keras'",
            ));
        }
        let flags = array.getattr("flags")?;
        if !flags.getattr("c_contiguous")?.extract::<bool>()? && !flags.getattr("f_contiguous")?.extract::<bool>()? {
            array = numpy.call_method1("ascontiguousarray", (array,))?;
        }
        if let Ok(a) = array.cast::<PyArray2<f64>>() {
            Ok(Entries::F64(a.readonly()))
        } else if let Ok(a) = array.cast::<PyArray2<f32>>() {
            Ok(Entries::F32(a.readonly()))
        } else {
            let dtype = array.getattr("dtype")?.str()?.to_string();
            Err(invalid("weights dtype", dtype, "must be float32 or float64"))
        }
    }

    /// Shape and whether the buffer is C-ordered (else Fortran-ordered).
    fn layout(&self) -> ([usize; 2], bool) {
        let (shape, c) = match self {
            Entries::F64(a) => (a.shape(), a.is_c_contiguous()),
            Entries::F32(a) => (a.shape(), a.is_c_contiguous()),
        };
        ([shape[0], shape[1]], c)
    }
}

/// Checks `weights` against `strategy` (see the module docs and `rmspec/__init__.pyi`).
#[pyfunction]
#[pyo3(signature = (weights, strategy, layout = "torch", false_alarm = 0.01, bulk_replicates = None, seed = None))]
pub fn check(
    py: Python<'_>,
    weights: &Bound<'_, PyAny>,
    strategy: &str,
    layout: &str,
    false_alarm: f64,
    bulk_replicates: Option<i64>,
    seed: Option<u64>,
) -> PyResult<CheckReport> {
    let torch = match layout {
        "torch" | "pytorch" => true,
        "keras" | "flax" | "jax" => false,
        other => {
            return Err(invalid("layout", format!("'{other}'"), "must be 'torch' (out × in) or 'keras' (in × out)"))
        }
    };
    let mut check = Check::new(strategy.parse::<Strategy>().py()?).false_alarm(false_alarm);
    if let Some(r) = bulk_replicates {
        check = check.bulk_replicates(usize::try_from(r).map_err(|_| invalid("bulk replicates", r, "must be ≥ 0"))?);
    }
    if let Some(seed) = seed {
        check = check.seed(seed);
    }
    let entries = Entries::of(weights)?;
    let (shape, c_order) = entries.layout();
    let (order, rows, cols) = orientation(shape, c_order, torch);
    let report = match &entries {
        Entries::F64(a) => {
            let data = a.as_slice()?;
            interrupt::run(py, || check.run_slice(data, rows, cols, order))?
        }
        Entries::F32(a) => {
            let data = a.as_slice()?;
            // float32 entries are read in place; exact checks allow their storage rounding.
            interrupt::run(py, || check.run_slice(data, rows, cols, order))?
        }
    };
    Ok(CheckReport { inner: report })
}

/// The name of a quantity in Python (`CheckItem.quantity`).
fn quantity_key(quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::SpectralNorm => "spectral_norm",
        Quantity::SmallestSingularValue => "smallest_singular_value",
        Quantity::ConditionNumber => "condition_number",
        Quantity::VarianceRatio => "variance_ratio",
        Quantity::KsToMarchenkoPastur => "ks_distance",
    }
}

/// The outcome of `rmspec.check`: `passed`, the checked `items`, and `str(report)`, the
/// library's readable report (what `assert report.passed, report` prints).
#[pyclass(frozen, module = "rmspec")]
pub struct CheckReport {
    inner: rmspec::check::CheckReport,
}

#[pymethods]
impl CheckReport {
    /// True when every check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }

    /// The checks, in the order ‖W‖, σ_min, κ, KS (when the bulk check ran).
    #[getter]
    fn items(&self) -> Vec<CheckItem> {
        self.inner.items.iter().map(|&item| CheckItem { inner: item }).collect()
    }

    /// The checks that failed.
    #[getter]
    fn failures(&self) -> Vec<CheckItem> {
        self.inner.failures().map(|&item| CheckItem { inner: item }).collect()
    }

    /// (m, n): rows = fan-in, columns = fan-out, as checked.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.inner.shape.m(), self.inner.shape.n())
    }

    /// The strategy claimed, by its canonical name.
    #[getter]
    fn strategy(&self) -> String {
        self.inner.strategy.to_string()
    }

    /// Its entry variance s2 at (m, n).
    #[getter]
    fn variance(&self) -> f64 {
        self.inner.variance
    }

    /// The overall false-alarm rate α.
    #[getter]
    fn false_alarm(&self) -> f64 {
        self.inner.false_alarm
    }

    /// Matrices simulated for the bulk check's critical value (0: no bulk check).
    #[getter]
    fn bulk_replicates(&self) -> usize {
        self.inner.bulk_replicates
    }

    /// True for orthogonal strategies (checked exactly).
    #[getter]
    fn exact(&self) -> bool {
        self.inner.exact
    }

    fn __bool__(&self) -> bool {
        self.inner.passed()
    }

    fn __str__(&self) -> String {
        self.inner.to_string().trim_end().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<rmspec.CheckReport {}×{} against {}: {}>",
            self.inner.shape.m(),
            self.inner.shape.n(),
            self.inner.strategy,
            if self.inner.passed() { "passed" } else { "FAILED" }
        )
    }
}

/// One check: the value seen, the large-size limit, and the interval it was held to.
#[pyclass(frozen, module = "rmspec")]
pub struct CheckItem {
    inner: rmspec::check::CheckItem,
}

#[pymethods]
impl CheckItem {
    /// `spectral_norm`, `smallest_singular_value`, `condition_number` or `ks_distance`.
    #[getter]
    fn quantity(&self) -> &'static str {
        quantity_key(self.inner.quantity)
    }

    /// The quantity as the report names it (`spectral norm ‖W‖`, …).
    #[getter]
    fn label(&self) -> String {
        self.inner.quantity.to_string()
    }

    /// The value seen in the matrix.
    #[getter]
    fn observed(&self) -> f64 {
        self.inner.observed
    }

    /// The m, n → ∞ limit (Bai–Yin; 0 for the KS distance), for orientation only.
    #[getter]
    fn limit(&self) -> f64 {
        self.inner.limit
    }

    /// Lower end of the interval.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.interval.lower
    }

    /// Upper end of the interval.
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.interval.upper
    }

    /// The interval's level (coverage) for this check.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.interval.level
    }

    /// How the interval was obtained.
    #[getter]
    fn method(&self) -> String {
        self.inner.interval.method.to_string()
    }

    /// `observed` lies in the interval.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed
    }

    fn __repr__(&self) -> String {
        format!(
            "<rmspec.CheckItem {}: {} {} in [{}, {}]>",
            quantity_key(self.inner.quantity),
            if self.inner.passed { "ok" } else { "FAIL" },
            self.inner.observed,
            self.inner.interval.lower,
            self.inner.interval.upper
        )
    }
}
