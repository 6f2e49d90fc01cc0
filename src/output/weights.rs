//! `rmspec weights`: a checkpoint's [`ModelAnalysis`] as its JSON document ([`WeightsDocument`])
//! and as text.

use super::number::{num, short};
use super::table::Table;
use crate::weights::ModelAnalysis;
use serde::Serialize;

/// The document `rmspec weights --json` prints: the convention, the files read (as text) and the
/// analysis's fields.
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

    /// The text `rmspec weights` prints: a heading, one row per layer, then the skipped tensors.
    pub fn text(&self) -> String {
        let analysis = self.analysis;
        let mut t = Table::new([
            "layer",
            "m×n",
            "s2 fit ± se",
            "KS / crit",
            "outliers",
            "κ",
            "stable rank",
            "α tail",
            "verdict",
        ]);
        for l in &analysis.layers {
            let s = &l.stats;
            t.row([
                l.name.clone(),
                s.shape.to_string(),
                format!("{} ± {}", short(s.fit.variance), short(s.fit.variance_stderr)),
                format!("{} / {}", short(s.fit.ks_distance), short(s.fit.critical_value)),
                s.outlier_count.to_string(),
                num(s.condition_number),
                short(s.stable_rank),
                s.power_law
                    .map(|f| format!("{} ± {}", short(f.alpha), short(f.alpha_stderr)))
                    .unwrap_or_else(|| "-".into()),
                s.verdict.name().to_string(),
            ]);
        }
        let mut skipped = String::new();
        for s in &analysis.skipped {
            skipped.push_str(&format!("  skipped {} {:?} {}: {}\n", s.name, s.shape, s.dtype, s.reason));
        }
        let verdicts: Vec<String> = analysis.verdicts.iter().map(|(v, c)| format!("{c} {v}")).collect();
        format!(
            "rmspec weights: {} layers ({}); layout {} ({})\nconvention: {}\nper-layer false-alarm rate {} over {} \
             tests; KS null from {} simulated matrices per shape{}\n\n{}\n{}",
            analysis.layers.len(),
            verdicts.join(", "),
            analysis.layout,
            analysis.layout_reason,
            self.normalization,
            short(analysis.false_alarm),
            analysis.tests_per_layer,
            analysis.replicates,
            analysis.init.map(|i| format!("; initialiser {i}")).unwrap_or_default(),
            t.render(),
            skipped
        )
    }
}
