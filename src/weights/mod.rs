//! Real weights: a checkpoint read layer by layer, each layer's spectrum set beside the random
//! matrix its initialiser draws (`rmspec weights`).
//!
//! | module | concept |
//! |---|---|
//! | [`source`] | safetensors / npy / npz files and shard directories, one tensor at a time |
//! | [`layout`] | framework storage conventions → the m×n matrix W (m = fan-in rows) |
//! | [`singular`] | singular values in f64, streamed (TSQR) for tall tensors |
//! | [`null`] | the simulated null of the bulk fit |
//! | [`powerlaw`] | Clauset–Shalizi–Newman tail exponent |
//! | [`analysis`] | per-layer statistics and the verdict |
//!
//! The figures are built by [`crate::figures::weights`], the JSON and text by
//! [`crate::output::weights`].
//! Conventions: W ∈ ℝ^{m×n}, S = W Wᵀ/n, γ = m/n (see the [crate table](crate#conventions)).
//!
//! **Memory.** Layers are analysed in parallel (one per rayon worker, OpenBLAS at one thread
//! through [`crate::trials`], so results do not depend on the thread count), but a worker starts a tensor only while the
//! tensors being read total at most the largest selected tensor's size: resident memory is about
//! one largest tensor's mapped pages plus each worker's working buffers
//! ([`singular::working_bytes`]).

pub mod analysis;
pub mod layout;
pub mod null;
pub mod powerlaw;
pub mod singular;
pub mod source;

use crate::error::{Error, Result};
use crate::initializer::{EntryLaw, Initializer};
use crate::shape::Shape;
use crate::trials::{locked, run_all_trials};
use analysis::{LayerStatistics, Tests};
use layout::{LayerKind, Layout, MatrixView};
use null::FitNull;
use serde::Serialize;
use source::{Checkpoint, Encoding, NonFinite, TensorEntry};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

/// Default number of null replicates per shape: 79 gives a KS test of size exactly 2.5% (k = 2),
/// the per-test level at α = 0.05 split over two tests.
pub const DEFAULT_REPLICATES: usize = 79;

/// What to analyse and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `None`: decide from the names (`auto`).
    pub layout: Option<Layout>,
    /// Tensor-name glob patterns (`*`, `?`) to include (empty: all).
    pub include: Vec<String>,
    /// Patterns to exclude.
    pub exclude: Vec<String>,
    /// Per-layer false-alarm rate α and the named initialiser.
    pub tests: Tests,
    /// Null replicates per shape.
    pub replicates: usize,
    /// Seed of the null simulations.
    pub seed: u64,
}

/// A tensor not analysed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Tensor name.
    pub name: String,
    /// Stored shape.
    pub shape: Vec<usize>,
    /// Stored dtype.
    pub dtype: String,
    /// Why.
    pub reason: String,
    /// NaN/inf counts when the tensor was refused for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub non_finite: Option<NonFinite>,
}

/// One analysed layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layer {
    /// Tensor name.
    pub name: String,
    /// Stored shape.
    pub shape: Vec<usize>,
    /// Stored dtype.
    pub dtype: String,
    /// Dense, convolution or embedding.
    pub kind: LayerKind,
    /// The framework's fan_in.
    pub fan_in: usize,
    /// The framework's fan_out.
    pub fan_out: usize,
    /// How singular values were computed.
    pub svd: singular::SvdRoute,
    /// The statistics.
    #[serde(flatten)]
    pub stats: LayerStatistics,
}

/// The analysis of a whole checkpoint (written by [`crate::output::weights`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelAnalysis {
    /// Files read (the document writes them as text).
    #[serde(skip)]
    pub files: Vec<PathBuf>,
    /// The layout used.
    pub layout: Layout,
    /// Why (`given` or the auto-detection reason).
    pub layout_reason: String,
    /// The named initialiser.
    pub init: Option<Initializer>,
    /// Per-layer false-alarm rate α.
    pub false_alarm: f64,
    /// Tests per layer (Bonferroni split).
    pub tests_per_layer: usize,
    /// Null replicates per shape.
    pub replicates: usize,
    /// Seed of the null simulations.
    pub seed: u64,
    /// Analysed layers, in file order.
    pub layers: Vec<Layer>,
    /// Tensors not analysed.
    pub skipped: Vec<Skipped>,
    /// Counts of each verdict.
    pub verdicts: BTreeMap<&'static str, usize>,
}

/// Glob match with `*` (any run) and `?` (one character).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn selected(options: &Options, name: &str) -> bool {
    (options.include.is_empty() || options.include.iter().any(|p| glob_match(p, name)))
        && !options.exclude.iter().any(|p| glob_match(p, name))
}

struct Planned<'a> {
    entry: &'a TensorEntry,
    view: MatrixView,
}

/// Tensors chosen for analysis and those skipped, with the layout.
fn plan<'a>(checkpoint: &'a Checkpoint, options: &Options) -> Result<(Vec<Planned<'a>>, Vec<Skipped>, Layout, String)> {
    let chosen: Vec<&TensorEntry> = checkpoint.entries().iter().filter(|e| selected(options, &e.name)).collect();
    if chosen.is_empty() {
        return Err(Error::InvalidInput("no tensor matches --include/--exclude".into()));
    }
    let (layout, reason) = match options.layout {
        Some(l) => (l, "given".to_string()),
        None => layout::detect(chosen.iter().map(|e| e.name.as_str()))?,
    };
    let (mut planned, mut skipped) = (Vec::new(), Vec::new());
    for entry in chosen {
        let skip = |reason: String| Skipped {
            name: entry.name.clone(),
            shape: entry.shape.clone(),
            dtype: entry.dtype.clone(),
            reason,
            non_finite: None,
        };
        if let Encoding::Unsupported(what) = &entry.encoding {
            let kind = if what.starts_with('I') || what.starts_with('U') || what.contains('i') || what.contains('u') {
                "integer"
            } else {
                "unsupported"
            };
            skipped.push(skip(format!("{kind} dtype {what}: only f64, f32, f16 and bf16 weights are analysed")));
            continue;
        }
        match layout::matrix_view(&entry.name, &entry.shape, entry.fortran_order, layout) {
            Ok(view) => planned.push(Planned { entry, view }),
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    Ok((planned, skipped, layout, reason))
}

/// A byte budget shared by workers: at most `limit` bytes of tensors are mapped at once.
struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    fn acquire(&self, bytes: u64) -> u64 {
        let bytes = bytes.min(self.limit);
        let mut used = locked(&self.used);
        while *used + bytes > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        bytes
    }

    fn release(&self, bytes: u64) {
        *locked(&self.used) -= bytes;
        self.freed.notify_all();
    }
}

/// The null key of a planned layer: its shape and the entry law of the replicates.
fn null_law(init: Option<Initializer>) -> EntryLaw {
    init.and_then(|i| i.entry_law()).unwrap_or(EntryLaw::Normal)
}

/// Reads and analyses every selected tensor (see the [module docs](self)).
///
/// # Errors
/// A checkpoint that cannot be read, bad options, or a LAPACK failure. Tensors that are not
/// weight matrices, of unsupported dtypes or with NaN/inf values are listed in `skipped`.
pub fn analyse(checkpoint: &Checkpoint, options: &Options) -> Result<ModelAnalysis> {
    let alpha = options.tests.false_alarm;
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::invalid("false alarm rate", alpha, "must lie strictly between 0 and 1"));
    }
    let (planned, mut skipped, layout, layout_reason) = plan(checkpoint, options)?;
    let law = null_law(options.tests.init);
    let mut shapes: Vec<Shape> = planned.iter().map(|p| p.view.fans.shape).collect();
    shapes.sort_unstable_by_key(|s| (s.m(), s.n()));
    shapes.dedup();
    let mut nulls = HashMap::new();
    for &shape in &shapes {
        let null = FitNull::simulate(shape, law, options.replicates, options.seed)?;
        null.critical_value(options.tests.alpha_each())?;
        nulls.insert(shape, null);
    }
    let budget = Budget {
        limit: planned.iter().map(|p| p.entry.bytes).max().unwrap_or(0),
        used: Mutex::new(0),
        freed: Condvar::new(),
    };
    let outcomes = run_all_trials(
        planned.len(),
        || Ok(()),
        |_, i| {
            let p = &planned[i as usize];
            let held = budget.acquire(p.entry.bytes);
            let result = analyse_one(checkpoint, p, &nulls[&p.view.fans.shape], options);
            budget.release(held);
            result
        },
    )?;
    let mut layers = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(layer) => layers.push(layer),
            Err(skip) => skipped.push(skip),
        }
    }
    let mut verdicts = BTreeMap::new();
    for l in &layers {
        *verdicts.entry(l.stats.verdict.name()).or_insert(0) += 1;
    }
    Ok(ModelAnalysis {
        files: checkpoint.files().to_vec(),
        layout,
        layout_reason,
        init: options.tests.init,
        false_alarm: alpha,
        tests_per_layer: options.tests.count(),
        replicates: options.replicates,
        seed: options.seed,
        layers,
        skipped,
        verdicts,
    })
}

fn analyse_one(
    checkpoint: &Checkpoint,
    planned: &Planned<'_>,
    null: &FitNull,
    options: &Options,
) -> Result<std::result::Result<Layer, Skipped>> {
    let entry = planned.entry;
    let view = planned.view;
    let bytes = match checkpoint.load(entry) {
        Ok(b) => b,
        Err(e @ Error::TooLarge { .. }) => return Ok(Err(skip_for(entry, e.to_string(), None))),
        Err(e) => return Err(e),
    };
    let singular = match singular::singular_values(&bytes, &view) {
        Ok(s) => s,
        Err(e @ Error::TooLarge { .. }) => return Ok(Err(skip_for(entry, e.to_string(), None))),
        Err(e) => return Err(e),
    };
    if !singular.non_finite.is_clean() {
        let nf = singular.non_finite;
        let reason = format!("refused: {} NaN and {} infinite values", nf.nan, nf.infinite);
        return Ok(Err(skip_for(entry, reason, Some(nf))));
    }
    let init_variance = options.tests.init.map(|i| i.variance(view.fans));
    let stats =
        analysis::analyse(&singular.values, view.fans.shape, bytes.float(), null, &options.tests, init_variance)?;
    Ok(Ok(Layer {
        name: entry.name.clone(),
        shape: entry.shape.clone(),
        dtype: entry.dtype.clone(),
        kind: view.kind,
        fan_in: view.fans.fan_in(),
        fan_out: view.fans.fan_out,
        svd: singular.route,
        stats,
    }))
}

fn skip_for(entry: &TensorEntry, reason: String, non_finite: Option<NonFinite>) -> Skipped {
    Skipped { name: entry.name.clone(), shape: entry.shape.clone(), dtype: entry.dtype.clone(), reason, non_finite }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_a_shell() {
        assert!(glob_match("encoder.*.weight", "encoder.layer.0.dense.weight"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "abbc"));
        assert!(!glob_match("*.bias", "x.weight"));
    }
}
