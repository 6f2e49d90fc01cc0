//! `rmspec edges`: the predictions for every strategy at one shape ([`EdgesDocument`]), as JSON and
//! as tables. Also the pieces the spectrum tables share: the symbols of the edge quantities and
//! the note under a table whose limits are not meant for the size.

use super::number::{short, Column};
use super::prose::{wrap, LINE_WIDTH};
use super::table::Table;
use crate::prediction::{EdgePrediction, EdgeQuantity, PredictionSource, LIMIT_TOLERANCE};
use crate::provenance::Format;
use crate::shape::Shape;
use serde::Serialize;

/// The format of `rmspec edges --json`.
pub const FORMAT: Format = Format::new("rmspec-edges", 1);

/// The document `rmspec edges --json` prints.
#[derive(Debug, Serialize)]
pub struct EdgesDocument {
    /// The shape (written as `m`, `n`, `gamma`).
    #[serde(flatten)]
    pub shape: Shape,
    /// Coverage of the prediction intervals.
    pub coverage: f64,
    /// The normalisation convention.
    pub normalization: &'static str,
    /// One prediction (with intervals) per strategy, in the order asked.
    pub strategies: Vec<EdgePrediction>,
}

/// How a quantity is written in tables.
pub fn symbol(quantity: EdgeQuantity) -> &'static str {
    match quantity {
        EdgeQuantity::LambdaMin => "λmin⁺(S)",
        EdgeQuantity::LambdaMax => "λmax(S)",
        EdgeQuantity::SpectralNorm => "‖W‖",
        EdgeQuantity::SmallestSingularValue => "σmin(W)",
        EdgeQuantity::ConditionNumber => "κ(W)",
    }
}

/// The mark after a limit that is not meant for the size
/// ([`EdgePrediction::limit_not_meant_for_size`]).
pub const LIMIT_MARK: &str = "*";

/// The note under a table with marked limits: what the mark means at this shape.
pub fn limit_note(shape: Shape, coverage: f64) -> String {
    wrap(
        &format!(
            "{LIMIT_MARK} the m, n → ∞ limit is not meant for one {}×{} matrix: it differs by more than {}% from \
             the median at this size, or lies outside the central {}% interval; compare with those instead.",
            shape.m(),
            shape.n(),
            short(100.0 * LIMIT_TOLERANCE),
            short(100.0 * coverage),
        ),
        LINE_WIDTH,
        "  ",
    )
}

impl EdgesDocument {
    /// The document for predictions made at `shape` with intervals at `coverage`.
    pub fn new(shape: Shape, coverage: f64, strategies: Vec<EdgePrediction>) -> Self {
        EdgesDocument { shape, coverage, normalization: crate::NORMALIZATION, strategies }
    }

    /// The tables `rmspec edges` prints: the limits (marked when not meant for the size), and the
    /// finite-size medians and intervals.
    pub fn text(&self) -> String {
        let (m, n) = (self.shape.m(), self.shape.n());
        let mut out = format!(
            "Predicted spectrum of S = W Wᵀ/n for m = {m}, n = {n} (γ = {})\nconvention: {}\n\n",
            short(self.shape.gamma()),
            self.normalization
        );
        out.push_str("Limits as m, n → ∞ (Marchenko–Pastur, Bai–Yin; orthogonal: exact at every size)\n");
        let (limits, marked) = self.limits_table();
        out.push_str(&limits);
        if marked {
            out.push_str(&limit_note(self.shape, self.coverage));
        }
        out.push('\n');
        out.push_str(&wrap(
            &format!(
                "At this size, for one {m}×{n} matrix: medians and central {}% prediction intervals (Gaussian: \
                 Tracy–Widom and Edelman edge laws; orthogonal: exact)",
                short(100.0 * self.coverage),
            ),
            LINE_WIDTH,
            "  ",
        ));
        out.push_str(&self.finite_size_table());
        out
    }

    /// The limits table, and whether a limit is marked.
    fn limits_table(&self) -> (String, bool) {
        let mut header = vec!["strategy".to_string(), "s2".to_string()];
        header.extend(EdgeQuantity::ALL.iter().map(|&q| symbol(q).to_string()));
        header.push("source".into());
        let mut columns = vec![Column::format_all(&self.strategies.iter().map(|p| p.variance).collect::<Vec<_>>())];
        let mut marked = false;
        for q in EdgeQuantity::ALL {
            let mut cells = Column::format_all(&self.strategies.iter().map(|p| p.limit(q)).collect::<Vec<_>>());
            for (cell, p) in cells.iter_mut().zip(&self.strategies) {
                if p.limit_not_meant_for_size(q) {
                    cell.push_str(LIMIT_MARK);
                    marked = true;
                }
            }
            columns.push(cells);
        }
        let mut t = Table::new(header);
        for (i, p) in self.strategies.iter().enumerate() {
            let mut row = vec![p.strategy.to_string()];
            row.extend(columns.iter().map(|c| c[i].clone()));
            row.push(match p.source {
                PredictionSource::MarchenkoPasturBaiYin => "limit".into(),
                PredictionSource::ExactOrthogonal => "exact".into(),
            });
            t.row(row);
        }
        (t.render(), marked)
    }

    /// Per strategy three rows (the median, the interval's lower and upper end) and a column per
    /// quantity; one row for an exact (orthogonal) prediction.
    fn finite_size_table(&self) -> String {
        let mut header = vec!["strategy".to_string(), "for one matrix".to_string()];
        header.extend(EdgeQuantity::ALL.iter().map(|&q| symbol(q).to_string()));
        let level = short(100.0 * self.coverage);
        let mut labels: Vec<(String, String)> = Vec::new();
        for p in &self.strategies {
            match p.source {
                PredictionSource::MarchenkoPasturBaiYin => {
                    labels.push((p.strategy.to_string(), "median".into()));
                    labels.push((String::new(), format!("{level}% lower")));
                    labels.push((String::new(), format!("{level}% upper")));
                }
                PredictionSource::ExactOrthogonal => labels.push((p.strategy.to_string(), "exact".into())),
            }
        }
        let columns: Vec<Vec<String>> = EdgeQuantity::ALL
            .iter()
            .map(|&q| {
                let mut values = Vec::new();
                for p in &self.strategies {
                    let i = p.interval(q);
                    match p.source {
                        PredictionSource::MarchenkoPasturBaiYin => values.extend([
                            p.median(q).unwrap_or(f64::NAN),
                            i.map_or(f64::NAN, |i| i.lower),
                            i.map_or(f64::NAN, |i| i.upper),
                        ]),
                        PredictionSource::ExactOrthogonal => values.push(p.limit(q)),
                    }
                }
                Column::format_all(&values)
            })
            .collect();
        let mut t = Table::new(header);
        for (row, (strategy, what)) in labels.into_iter().enumerate() {
            let mut cells = vec![strategy, what];
            cells.extend(columns.iter().map(|c| c[row].clone()));
            t.row(cells);
        }
        t.render()
    }
}
