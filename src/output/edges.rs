//! `rmspec edges`: the predictions for every strategy at one shape ([`EdgesDocument`]), as JSON and
//! as tables.

use super::number::{num, short};
use super::table::Table;
use crate::intervals::Interval;
use crate::prediction::{EdgePrediction, PredictionSource};
use crate::shape::Shape;
use serde::Serialize;

/// The document `rmspec edges --json` prints.
#[derive(Debug, Serialize)]
pub struct EdgesDocument {
    /// The shape (written as `m`, `n`, `gamma`).
    #[serde(flatten)]
    pub shape: Shape,
    /// Coverage of the prediction intervals.
    pub level: f64,
    /// The normalisation convention.
    pub normalization: &'static str,
    /// One prediction (with intervals) per strategy, in the order asked.
    pub strategies: Vec<EdgePrediction>,
}

impl EdgesDocument {
    /// The document for predictions made at `shape` with intervals at `level`.
    pub fn new(shape: Shape, level: f64, strategies: Vec<EdgePrediction>) -> Self {
        EdgesDocument { shape, level, normalization: crate::NORMALIZATION, strategies }
    }

    /// The two tables `rmspec edges` prints: the limits, and the intervals at this size.
    pub fn text(&self) -> String {
        let mut t = Table::new(["strategy", "s2", "λ− of S", "λ+ of S", "‖W‖", "σmin", "κ(W)", "source"]);
        for p in &self.strategies {
            t.row([
                p.strategy.to_string(),
                num(p.variance),
                num(p.mp_support.lower),
                num(p.mp_support.upper),
                num(p.spectral_norm),
                num(p.smallest_singular_value),
                num(p.condition_number),
                match p.source {
                    PredictionSource::MarchenkoPasturBaiYin => "MP/Bai–Yin limit".into(),
                    PredictionSource::ExactOrthogonal => "exact".to_string(),
                },
            ]);
        }
        let mut intervals = Table::new(["strategy", "‖W‖", "λmax(S)", "σmin(W)", "κ(W)"]);
        let span = |i: &Interval| format!("[{}, {}]", num(i.lower), num(i.upper));
        for p in &self.strategies {
            if let Some(i) = &p.intervals {
                intervals.row([
                    p.strategy.to_string(),
                    span(&i.spectral_norm),
                    span(&i.lambda_max),
                    span(&i.smallest_singular_value),
                    span(&i.condition_number),
                ]);
            }
        }
        format!(
            "Predicted spectrum for m = {}, n = {} (γ = {})\nconvention: {}\n\n{}\n\
             Central {}% prediction intervals at this size (Gaussian: Tracy–Widom/Edelman edge laws; orthogonal: exact)\n\n{}",
            self.shape.m(),
            self.shape.n(),
            short(self.shape.gamma()),
            self.normalization,
            t.render(),
            short(100.0 * self.level),
            intervals.render()
        )
    }
}
