//! `rmspec propagate`: the study as its JSON document ([`PropagationDocument`]) and as tables.

use super::number::Column;
use super::prose::{counted, wrap, LINE_WIDTH};
use super::table::Table;
use crate::experiment::propagation::{theory_kinds, PropagationStudy, TheoryKind};
use crate::provenance::Format;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The format of `rmspec propagate --json`.
pub const FORMAT: Format = Format::new("rmspec-propagate", 1);

/// The JSON document of a study: its parameters, what `forward` and `backward` measure (an
/// identifier for the kind of theory, and a description), and the per-strategy layers.
#[derive(Debug, Clone, Copy)]
pub struct PropagationDocument<'a> {
    /// The study.
    pub study: &'a PropagationStudy,
}

/// What one direction measures.
#[derive(serde::Serialize)]
struct Direction {
    theory: TheoryKind,
    description: &'static str,
}

impl Serialize for PropagationDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let study = self.study;
        let (forward, backward) = theory_kinds(study.activation);
        let mut s = serializer.serialize_struct("PropagationStudy", 10)?;
        s.serialize_field("widths", &study.widths)?;
        s.serialize_field("activation", &study.activation)?;
        s.serialize_field("trials", &study.trials)?;
        s.serialize_field("batch", &study.batch)?;
        s.serialize_field("seed", &study.seed)?;
        s.serialize_field("normalization", study.normalization)?;
        s.serialize_field("forward", &Direction { theory: forward, description: study.forward_measures })?;
        s.serialize_field("backward", &Direction { theory: backward, description: study.backward_measures })?;
        s.serialize_field("theory_description", study.theory)?;
        s.serialize_field("strategies", &study.strategies)?;
        s.end()
    }
}

/// The header lines and one table per strategy that `rmspec propagate` prints.
pub fn text(study: &PropagationStudy) -> String {
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let mut out = format!(
        "Variance propagation: widths {}, activation {}, {} × batch {}, seed {}\nconvention: {}\n",
        widths.join("→"),
        study.activation,
        counted(study.trials as u64, "trial", "trials"),
        study.batch,
        study.seed,
        study.normalization,
    );
    for line in [
        format!("forward: {}", study.forward_measures),
        format!("backward: {}", study.backward_measures),
        format!("theory: {}", study.theory),
    ] {
        out.push_str(&wrap(&line, LINE_WIDTH, "  "));
    }
    for s in &study.strategies {
        out.push_str(&format!("\n{}\n", s.strategy));
        let layers = &s.layers;
        let column =
            |f: fn(&crate::experiment::propagation::LayerPropagation) -> f64| Column::for_values(layers.iter().map(f));
        let variance = column(|l| l.variance);
        let forward = Column::for_values(layers.iter().flat_map(|l| [l.forward.theory, l.forward.mean]));
        let forward_se = column(|l| l.forward.stderr);
        let backward = Column::for_values(layers.iter().flat_map(|l| [l.backward.theory, l.backward.mean]));
        let backward_se = column(|l| l.backward.stderr);
        let mut t = Table::new([
            "layer",
            "m×n",
            "s2",
            "forward theory",
            "forward MC mean",
            "± se",
            "backward theory",
            "backward MC mean",
            "± se",
        ]);
        for (l, layer) in layers.iter().enumerate() {
            t.row([
                (l + 1).to_string(),
                format!("{}×{}", layer.fan_in, layer.fan_out),
                variance.format(layer.variance),
                forward.format(layer.forward.theory),
                forward.format(layer.forward.mean),
                forward_se.format(layer.forward.stderr),
                backward.format(layer.backward.theory),
                backward.format(layer.backward.mean),
                backward_se.format(layer.backward.stderr),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}
