//! The Marchenko–Pastur and Tracy–Widom laws, vectorised over NumPy arrays: `mp_pdf`, `mp_cdf`,
//! `mp_ppf`, `tw_pdf`, `tw_cdf`, `tw_ppf` (exposed as `rmspec.mp.pdf`, … by `rmspec/mp.py` and
//! `rmspec/tw.py`), and `mp_law` / `tw_law` (support, atom, moments as the CLI's JSON has them).
//!
//! Every value is the library's, through the same function that fills `rmspec law … --json`
//! ([`Evaluations::of`]), so it equals the CLI's to the last bit. Points are evaluated in chunks
//! of [`CHUNK`] on a worker thread without the GIL, with the library's stop request checked
//! between chunks (Ctrl-C: a Tracy–Widom point costs about a millisecond).

use crate::arrays::{array_of, Points};
use crate::errors::IntoPy;
use crate::interrupt;
use numpy::PyUntypedArrayMethods;
use pyo3::prelude::*;
use rmspec::law::{MarchenkoPastur, SpectralLaw, TracyWidom};
use rmspec::output::law::{Evaluations, LawQuery, MarchenkoPasturDocument, TracyWidomDocument};

/// Points evaluated between two looks at the stop request.
const CHUNK: usize = 256;

/// What to evaluate.
#[derive(Clone, Copy)]
enum Function {
    /// The density of the continuous part.
    Density,
    /// The CDF, atom at zero included.
    Cdf,
    /// The quantile (inverse CDF) at probabilities.
    Quantile,
}

/// `function` of `law` at `points`, through the library's [`Evaluations::of`].
fn values<L: SpectralLaw>(law: &L, function: Function, points: &[f64]) -> rmspec::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(points.len());
    for chunk in points.chunks(CHUNK) {
        rmspec::trials::check_stop()?;
        let query = match function {
            Function::Density => LawQuery { density: chunk, ..LawQuery::default() },
            Function::Cdf => LawQuery { cdf: chunk, ..LawQuery::default() },
            Function::Quantile => LawQuery { quantile: chunk, ..LawQuery::default() },
        };
        let evaluations = Evaluations::of(law, query)?;
        match function {
            Function::Density => out.extend(evaluations.density.iter().map(|e| e.value)),
            Function::Cdf => out.extend(evaluations.cdf.iter().map(|e| e.value)),
            Function::Quantile => out.extend(evaluations.quantile.iter().map(|q| q.value)),
        }
    }
    Ok(out)
}

/// `function` of `law` at `x`: a float for a number, an array of `x`'s shape for an array.
fn evaluate<'py, L: SpectralLaw + Sync>(
    x: &Bound<'py, PyAny>,
    law: L,
    function: Function,
) -> PyResult<Bound<'py, PyAny>> {
    let py = x.py();
    match Points::of(x)? {
        Points::Scalar(value) => {
            let result = values(&law, function, &[value]).py()?;
            Ok(result[0].into_pyobject(py)?.into_any())
        }
        Points::Array(array) => {
            let points = array.as_slice()?;
            let result = interrupt::run(py, || values(&law, function, points))?;
            array_of(py, result, array.shape())
        }
    }
}

fn mp(gamma: f64, variance: f64) -> PyResult<MarchenkoPastur> {
    MarchenkoPastur::new(gamma, variance).py()
}

fn tw(beta: i64) -> PyResult<TracyWidom> {
    TracyWidom::from_dyson_index(beta).py()
}

/// Density of the continuous part of Marchenko–Pastur(γ, s2), the limit law of the eigenvalues
/// of S = W Wᵀ/n for W m×n (m = fan-in rows, n = fan-out columns), γ = m/n, entries of variance
/// s2. The atom at 0 (mass 1 − 1/γ when γ > 1) is not in the density.
#[pyfunction]
#[pyo3(signature = (x, gamma, variance = 1.0))]
pub fn mp_pdf<'py>(x: &Bound<'py, PyAny>, gamma: f64, variance: f64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(x, mp(gamma, variance)?, Function::Density)
}

/// CDF of Marchenko–Pastur(γ, s2), the atom at 0 included (see `mp_pdf`).
#[pyfunction]
#[pyo3(signature = (x, gamma, variance = 1.0))]
pub fn mp_cdf<'py>(x: &Bound<'py, PyAny>, gamma: f64, variance: f64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(x, mp(gamma, variance)?, Function::Cdf)
}

/// Quantile of Marchenko–Pastur(γ, s2) at probabilities p ∈ [0, 1] (see `mp_pdf`).
#[pyfunction]
#[pyo3(signature = (p, gamma, variance = 1.0))]
pub fn mp_ppf<'py>(p: &Bound<'py, PyAny>, gamma: f64, variance: f64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(p, mp(gamma, variance)?, Function::Quantile)
}

/// Density of the Tracy–Widom law TW_β (β = 1 real, 2 complex), Tracy and Widom's normalisation.
#[pyfunction]
#[pyo3(signature = (x, beta = 1))]
pub fn tw_pdf<'py>(x: &Bound<'py, PyAny>, beta: i64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(x, tw(beta)?, Function::Density)
}

/// CDF of the Tracy–Widom law TW_β.
#[pyfunction]
#[pyo3(signature = (x, beta = 1))]
pub fn tw_cdf<'py>(x: &Bound<'py, PyAny>, beta: i64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(x, tw(beta)?, Function::Cdf)
}

/// Quantile of the Tracy–Widom law TW_β at probabilities p ∈ [0, 1].
#[pyfunction]
#[pyo3(signature = (p, beta = 1))]
pub fn tw_ppf<'py>(p: &Bound<'py, PyAny>, beta: i64) -> PyResult<Bound<'py, PyAny>> {
    evaluate(p, tw(beta)?, Function::Quantile)
}

/// The JSON text of `rmspec law mp --gamma γ --variance s2 --json` with no evaluations: law,
/// gamma, variance, normalization, support, atom_at_zero, moments.
#[pyfunction]
#[pyo3(signature = (gamma, variance = 1.0))]
pub fn mp_law_json(gamma: f64, variance: f64) -> PyResult<String> {
    let law = mp(gamma, variance)?;
    let document = MarchenkoPasturDocument::new(&law, LawQuery::default()).py()?;
    rmspec::output::Document::new(&rmspec::output::law::MARCHENKO_PASTUR_FORMAT, &document).to_json().py()
}

/// The JSON text of `rmspec law tw --beta β --json` with no evaluations.
#[pyfunction]
#[pyo3(signature = (beta = 1))]
pub fn tw_law_json(beta: i64) -> PyResult<String> {
    let law = tw(beta)?;
    let document = TracyWidomDocument::new(&law, LawQuery::default()).py()?;
    rmspec::output::Document::new(&rmspec::output::law::TRACY_WIDOM_FORMAT, &document).to_json().py()
}
