//! The commands whose result is a JSON document — `edges`, `spectrum`, `weights` — with the
//! library's own serialisation: each function returns the text `rmspec COMMAND … --json` prints
//! (header, keys, ±∞ as `"Infinity"`, NaN as `null`), which `rmspec/__init__.py` parses into a
//! dict. Computations run without the GIL and stop on Ctrl-C ([`crate::interrupt`]).

use crate::errors::{invalid, IntoPy};
use crate::interrupt;
use pyo3::prelude::*;
use rmspec::calibration::FitOptions;
use rmspec::error::count;
use rmspec::experiment::spectrum::{run_with, Method, SpectrumConfig};
use rmspec::output::Document;
use rmspec::prediction::EdgePrediction;
use rmspec::spectrum::SingularValueMethod;
use rmspec::trials::{RunControl, ThreadsLayout};
use rmspec::{Shape, Strategy};
use std::path::PathBuf;

/// Strategies named as the CLI's `--strategy` takes them (comma-separated names, `all`), joined
/// from a string or a sequence of strings.
fn strategies(names: &[String]) -> rmspec::Result<Vec<Strategy>> {
    Strategy::parse_list(&names.join(","))
}

fn shape(m: i64, n: i64) -> rmspec::Result<Shape> {
    Shape::new(count("m", m)?, count("n", n)?)
}

/// `rmspec edges --m M --n N --strategy … --coverage C --json`.
#[pyfunction]
#[pyo3(signature = (m, n, strategy, coverage = 0.95))]
pub fn edges_json(m: i64, n: i64, strategy: Vec<String>, coverage: f64) -> PyResult<String> {
    let (shape, strategies) = (shape(m, n).py()?, strategies(&strategy).py()?);
    let coverage = rmspec::intervals::check_level_named("coverage", coverage).py()?;
    let predictions = strategies
        .iter()
        .map(|s| EdgePrediction::with_level(*s, shape, coverage))
        .collect::<rmspec::Result<Vec<_>>>()
        .py()?;
    let document = rmspec::output::edges::EdgesDocument::new(shape, coverage, predictions);
    Document::new(&rmspec::output::edges::FORMAT, &document).to_json().py()
}

/// How the spectra are computed, by the name the JSON's `method.name` gives it.
fn method(name: &str) -> PyResult<Method> {
    match name {
        "dense" => Ok(Method::Dense),
        "tridiagonal" => Ok(Method::Tridiagonal),
        "tridiagonal-histogram" => Ok(Method::TridiagonalHistogram),
        other => Err(invalid("method", format!("'{other}'"), "must be dense, tridiagonal or tridiagonal-histogram")),
    }
}

/// `rmspec spectrum … --json` (no figures, no shards; the `trials` threads layout, whose
/// results do not depend on the thread count).
#[pyfunction]
#[pyo3(signature = (m, n, strategy, trials, seed, method_name, exact_singular_values, coverage, bulk_level,
                    bulk_replicates, fits, bins))]
#[allow(clippy::too_many_arguments)] // the CLI's options, one to one
pub fn spectrum_json(
    py: Python<'_>,
    m: i64,
    n: i64,
    strategy: Vec<String>,
    trials: i64,
    seed: u64,
    method_name: &str,
    exact_singular_values: bool,
    coverage: f64,
    bulk_level: f64,
    bulk_replicates: i64,
    fits: bool,
    bins: i64,
) -> PyResult<String> {
    let bulk_replicates =
        usize::try_from(bulk_replicates).map_err(|_| invalid("bulk replicates", bulk_replicates, "must be ≥ 0"))?;
    let config = SpectrumConfig {
        shape: shape(m, n).py()?,
        strategies: strategies(&strategy).py()?,
        trials: count("trials", trials).py()?,
        seed,
        bins: count("bins", bins).py()?,
        singular_values: if exact_singular_values { SingularValueMethod::Svd } else { SingularValueMethod::Auto },
        fit: FitOptions { level: bulk_level, bulk_replicates: if fits { bulk_replicates } else { 0 }, edge: fits },
        method: method(method_name)?,
        layout: ThreadsLayout::Trials,
    };
    rmspec::intervals::check_level_named("bulk level", bulk_level).py()?;
    let coverage = rmspec::intervals::check_level_named("coverage", coverage).py()?;
    let study = interrupt::run(py, || run_with(&config, RunControl::default())?.with_intervals(coverage))?;
    let figures = rmspec::output::spectrum::FigurePaths::default();
    let document = rmspec::output::spectrum::SpectrumDocument { study: &study, figures: &figures };
    Document::new(&rmspec::output::spectrum::FORMAT, &document).to_json().py()
}

/// `rmspec weights FILES … --json`: every layer of a checkpoint against its initialiser's law.
#[pyfunction]
#[pyo3(signature = (paths, layout, init, include, exclude, false_alarm, replicates, seed))]
#[allow(clippy::too_many_arguments)] // the CLI's options, one to one
pub fn weights_json(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    layout: &str,
    init: Option<&str>,
    include: Vec<String>,
    exclude: Vec<String>,
    false_alarm: f64,
    replicates: i64,
    seed: u64,
) -> PyResult<String> {
    use rmspec::weights::{self, analysis::Tests, Options};
    let layout = match layout {
        "auto" => None,
        name => Some(name.parse::<weights::layout::Layout>().py()?),
    };
    let options = Options {
        layout,
        include,
        exclude,
        tests: Tests { false_alarm, init: init.map(weights::initializer).transpose().py()? },
        replicates: count("replicates", replicates).py()?,
        seed,
    };
    let analysis = interrupt::run(py, || weights::analyse(&weights::source::Checkpoint::open(&paths)?, &options))?;
    let document = rmspec::output::weights::WeightsDocument::new(&analysis);
    Document::new(&rmspec::output::weights::FORMAT, &document).to_json().py()
}
