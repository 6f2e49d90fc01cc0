//! `rmspec propagate`: the study's tables (its JSON is the study itself, [`PropagationStudy`]).

use super::number::{num, pm};
use super::table::Table;
use crate::experiment::propagation::PropagationStudy;

/// The header lines and one table per strategy that `rmspec propagate` prints.
pub fn text(study: &PropagationStudy) -> String {
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let mut out = format!(
        "Variance propagation: widths {}, activation {}, {} trials × batch {}, seed {}\nconvention: {}\nforward: {}\nbackward: {}\ntheory: {}\n",
        widths.join("→"),
        study.activation,
        study.trials,
        study.batch,
        study.seed,
        study.normalization,
        study.forward_measures,
        study.backward_measures,
        study.theory
    );
    for s in &study.strategies {
        out.push_str(&format!("\n{}\n", s.strategy));
        let mut t = Table::new([
            "layer",
            "m×n",
            "s2",
            "forward theory",
            "forward MC mean ± se",
            "backward theory",
            "backward MC mean ± se",
        ]);
        for (l, layer) in s.layers.iter().enumerate() {
            t.row([
                (l + 1).to_string(),
                format!("{}×{}", layer.fan_in, layer.fan_out),
                num(layer.variance),
                num(layer.forward.theory),
                pm(layer.forward.mean, layer.forward.stderr),
                num(layer.backward.theory),
                pm(layer.backward.mean, layer.backward.stderr),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}
