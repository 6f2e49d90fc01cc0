//! `rmspec weights`: a checkpoint's [`ModelAnalysis`] as its JSON document ([`WeightsDocument`])
//! and as text.

use super::number::{pm_sig, short, sig, Column};
use super::prose::counted;
use super::table::Table;
use crate::provenance::Format;
use crate::weights::ModelAnalysis;
use serde::Serialize;

/// The format of `rmspec weights --json` (schema: `docs/schema/rmspec-weights.schema.json`).
pub const FORMAT: Format = super::WEIGHTS_FORMAT;

/// The body of the document `rmspec weights --json` prints (after the header, [`FORMAT`]): the
/// convention, the files read (as text) and the analysis's fields.
#[derive(Debug, Serialize)]
pub struct WeightsDocument<'a> {
    /// The normalisation convention.
    pub normalization: &'static str,
    /// The files read, as printed.
    pub files: Vec<String>,
    /// The analysis.
    #[serde(flatten)]
    pub analysis: &'a ModelAnalysis,
}

impl<'a> WeightsDocument<'a> {
    /// The document of `analysis`.
    pub fn new(analysis: &'a ModelAnalysis) -> Self {
        WeightsDocument {
            normalization: crate::NORMALIZATION,
            files: analysis.files.iter().map(|f| f.display().to_string()).collect(),
            analysis,
        }
    }

    /// The text `rmspec weights` prints: a heading, one row per layer (each column in one
    /// notation), then the skipped tensors grouped by reason.
    pub fn text(&self) -> String {
        let analysis = self.analysis;
        let mut t = Table::new([
            "layer",
            "m×n",
            "s2 fit ± se",
            "KS / critical",
            "outliers",
            "κ",
            "stable rank",
            "tail α ± se",
            "verdict",
        ]);
        let stats = || analysis.layers.iter().map(|l| &l.stats);
        let kappa = Column::for_values(stats().map(|s| s.condition_number));
        let stable_rank = Column::for_values(stats().map(|s| s.stable_rank));
        for l in &analysis.layers {
            let s = &l.stats;
            t.row([
                l.name.clone(),
                s.shape.to_string(),
                pm_sig(s.fit.variance, s.fit.variance_stderr),
                format!("{} / {}", sig(s.fit.ks_distance, 3), sig(s.fit.critical_value, 3)),
                s.outlier_count.to_string(),
                kappa.format(s.condition_number),
                stable_rank.format(s.stable_rank),
                s.power_law.map(|f| pm_sig(f.alpha, f.alpha_stderr)).unwrap_or_else(|| "-".into()),
                s.verdict.name().to_string(),
            ]);
        }
        let verdicts: Vec<String> = analysis.verdicts.iter().map(|(v, c)| format!("{c} {v}")).collect();
        format!(
            "rmspec weights: {} ({})\nlayout: {}, {}\nconvention: {}\nper-layer false-alarm rate {} over {} \
             tests; KS null from {} simulated matrices per shape{}\n\n{}\n{}",
            super::prose::counted(analysis.layers.len() as u64, "layer", "layers"),
            verdicts.join(", "),
            analysis.layout,
            analysis.layout_reason,
            self.normalization,
            short(analysis.false_alarm),
            analysis.tests_per_layer,
            analysis.replicates,
            analysis.init.map(|i| format!("; initialiser {i}")).unwrap_or_default(),
            t.render(),
            skipped_text(&analysis.skipped)
        )
    }
}

/// How many skipped tensors of one reason are named in the text (the JSON lists all).
const NAMED_SKIPPED: usize = 4;

/// The skipped tensors, one line per reason: how many, and the first [`NAMED_SKIPPED`] names
/// (with shape and dtype).
fn skipped_text(skipped: &[crate::weights::Skipped]) -> String {
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for s in skipped {
        let entry = format!("{} {:?} {}", s.name, s.shape, s.dtype);
        match reasons.iter_mut().find(|(r, _)| *r == s.reason) {
            Some((_, names)) => names.push(entry),
            None => reasons.push((&s.reason, vec![entry])),
        }
    }
    reasons
        .iter()
        .map(|(reason, names)| {
            let more = names.len().saturating_sub(NAMED_SKIPPED);
            let listed = names[..names.len() - more].join(", ");
            let rest = if more > 0 { format!(", and {more} more (--json lists all)") } else { String::new() };
            format!("skipped {} — {reason} — {listed}{rest}\n", counted(names.len() as u64, "tensor", "tensors"))
        })
        .collect()
}
