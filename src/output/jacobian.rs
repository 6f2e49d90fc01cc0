//! `rmspec jacobian`: the study as its JSON document ([`JacobianDocument`]) and as tables.

use super::number::{num, pm, short, Column};
use super::prose::{counted, wrap, LINE_WIDTH};
use super::table::Table;
use crate::experiment::jacobian::{JacobianStudy, LawSummary, StrategyJacobian};
use crate::provenance::Format;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The format of `rmspec jacobian --json`.
pub const FORMAT: Format = Format::new("rmspec-jacobian", 1);

/// Grid rows the text output shows (the JSON has every point).
const TEXT_GRID_ROWS: usize = 11;

/// The JSON document of a study, with the paths of the figures drawn (empty without `--plots`).
#[derive(Debug, Clone, Copy)]
pub struct JacobianDocument<'a> {
    /// The study.
    pub study: &'a JacobianStudy,
    /// One figure per strategy with a simulation, in strategy order.
    pub figures: &'a [String],
}

impl Serialize for JacobianDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let study = self.study;
        let mut s = serializer.serialize_struct("JacobianStudy", 7)?;
        s.serialize_field("widths", &study.widths)?;
        s.serialize_field("activation", &study.activation)?;
        s.serialize_field("bias_variance", &study.bias_variance)?;
        s.serialize_field("mean_field", &study.mean_field)?;
        s.serialize_field("normalization", study.normalization)?;
        s.serialize_field("strategies", &study.strategies)?;
        s.serialize_field("figures", self.figures)?;
        s.end()
    }
}

/// The header and one block of tables per strategy that `rmspec jacobian` prints.
pub fn text(study: &JacobianStudy, figures: &[String]) -> String {
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let mut out = format!(
        "Jacobian law: widths {}, activation {}, bias variance {}, mean field: {}\n",
        widths.join("→"),
        study.activation,
        short(study.bias_variance),
        study.mean_field,
    );
    out.push_str(&wrap(&format!("convention: {}", study.normalization), LINE_WIDTH, "  "));
    for s in &study.strategies {
        out.push_str(&strategy_text(s));
    }
    if !figures.is_empty() {
        out.push_str(&format!("\nfigures: {}\n", figures.join(", ")));
    }
    out
}

fn strategy_text(s: &StrategyJacobian) -> String {
    let law = &s.law;
    let mut out = format!("\n{}\n", s.strategy);
    let top = law.top_atom.map_or(String::new(), |a| format!(", atom {} at {}", short(a.mass), num(a.position)));
    out.push_str(&format!(
        "mean Π χ_l = {}, χ* = {} ({}), atom at 0 = {}{top}\n",
        num(law.mean),
        num(law.chi_star),
        law.phase,
        short(law.atom_at_zero)
    ));
    out.push_str(&format!(
        "support of the continuous part [{}, {}], largest squared singular value {}, κ(J) = {}, √(Q(0.99)/Q(0.01)) = {}\n",
        num(law.support.lower),
        num(law.support.upper),
        num(law.largest_squared_singular_value),
        num(law.condition_number),
        num(law.quantile_spread)
    ));
    if law.upper_edge_set_by_truncation {
        out.push_str(&wrap(
            "note: the upper edge (so the largest squared singular value and κ(J)) is set by the \
             truncation of a D² law at z = ±9, above which the law has an exponentially thin tail: \
             it moves with the truncation, the quantiles do not (docs/jacobian.md, Accuracy)",
            LINE_WIDTH,
            "  ",
        ));
    }
    let moments: Vec<String> =
        law.moments.iter().enumerate().map(|(k, m)| format!("E λ^{} = {}", k + 1, num(*m))).collect();
    out.push_str(&format!("moments: {}\n", moments.join(", ")));
    out.push_str(&layers_table(law));
    let quantiles: Vec<String> =
        law.quantiles.iter().map(|q| format!("Q({}) = {}", short(q.p), num(q.value))).collect();
    out.push_str(&wrap(&format!("quantiles: {}", quantiles.join(", ")), LINE_WIDTH, "  "));
    out.push_str(&grid_table(law));
    if let Some(sim) = &s.simulation {
        out.push_str(&format!(
            "Monte Carlo, {} (seed {}), {} eigenvalues each: KS distance {} (pooled eigenvalues, not iid); \
             tr(J Jᵀ)/w_L = {} (law {}); largest eigenvalue {} (law {}); zero fraction {}\n",
            counted(sim.trials as u64, "network", "networks"),
            sim.seed,
            sim.eigenvalues_per_trial,
            num(sim.ks_distance),
            pm(sim.mean.mean, sim.mean.stderr),
            num(law.mean),
            pm(sim.largest.mean, sim.largest.stderr),
            num(law.largest_squared_singular_value),
            short(sim.zero_fraction)
        ));
    }
    out
}

fn layers_table(law: &LawSummary) -> String {
    let layers = &law.layers;
    let q = Column::for_values(layers.iter().map(|l| l.q));
    let gain = Column::for_values(layers.iter().map(|l| l.derivative_gain));
    let chi = Column::for_values(layers.iter().map(|l| l.chi));
    let sigma = Column::for_values(layers.iter().map(|l| l.sigma_w2));
    let mut t = Table::new(["layer", "m×n", "s2", "σ_w² = m·s2", "q_l", "E φ'(h)²", "χ_l"]);
    for (l, layer) in layers.iter().enumerate() {
        t.row([
            (l + 1).to_string(),
            format!("{}×{}", layer.fan_in, layer.fan_out),
            num(layer.variance),
            sigma.format(layer.sigma_w2),
            q.format(layer.q),
            gain.format(layer.derivative_gain),
            chi.format(layer.chi),
        ]);
    }
    t.render()
}

/// At most [`TEXT_GRID_ROWS`] evenly spread grid points.
fn grid_table(law: &LawSummary) -> String {
    if law.grid.is_empty() {
        return "no continuous part: the law is atoms only\n".into();
    }
    let step = law.grid.len().div_ceil(TEXT_GRID_ROWS).max(1);
    let mut t = Table::new(["x", "density", "CDF"]);
    for p in law.grid.iter().step_by(step) {
        t.row([num(p.x), num(p.density), num(p.cdf)]);
    }
    let shown = law.grid.len().div_ceil(step);
    format!("density and CDF ({shown} of {} grid points; all with --json):\n{}", law.grid.len(), t.render())
}
