//! The Jacobian law of a deep network against sampled networks: the law's density over the
//! histogram of the pooled eigenvalues of J Jᵀ, with its atoms as spikes.

use super::style;
use crate::experiment::jacobian::{JacobianStudy, StrategyJacobian};
use crate::output::number::figure;
use crate::plot::{Axis, Figure, Geometry, Layer, Panel, Series, Style};

/// The histogram of one strategy's simulation with the law's density (from the study's grid),
/// the atom at 0 and the top atom as spikes, KS distance and parameters in the subtitle. `None`
/// without a simulation.
pub fn density_vs_simulation(study: &JacobianStudy, result: &StrategyJacobian) -> Option<Figure> {
    let sim = result.simulation.as_ref()?;
    let law = &result.law;
    let h = &sim.histogram;
    let bars = h.densities();
    let mut panel = Panel::new(
        // Room left of λ = 0 for the atom's arrow head when the law has one.
        Axis::linear("λ: eigenvalue of J Jᵀ (squared singular value of J)").with_range(
            if law.atom_at_zero > 0.0 { h.lower.min(0.0) - 0.03 * (h.upper - h.lower.min(0.0)) } else { h.lower },
            h.upper,
        ),
        Axis::linear("density: fraction of all w_L eigenvalues per unit λ").from_zero(),
    );
    panel.series.push(Series::new(
        Some(format!("{} sampled networks, pooled ({} eigenvalues each)", sim.trials, sim.eigenvalues_per_trial)),
        style::of(&result.strategy),
        Layer::Data,
        Geometry::Bars { lower: h.lower, width: h.bin_width(), heights: bars.clone() },
    ));
    // The law's density can diverge at 0 (a hard edge); the y range follows the bars and the
    // density away from the first bin.
    let curve: Vec<(f64, f64)> = law.grid.iter().map(|p| (p.x, p.density)).filter(|p| p.1.is_finite()).collect();
    let away = curve.iter().filter(|p| p.0 > h.lower + h.bin_width()).map(|p| p.1).fold(0.0, f64::max);
    let top = bars.iter().copied().fold(away, f64::max);
    panel.y = panel.y.with_range(0.0, if top > 0.0 { 1.08 * top } else { 1.0 });
    if !curve.is_empty() {
        let clipped = curve.into_iter().map(|(x, y)| (x, y.min(1.08 * top))).collect();
        panel.series.push(Series::new(
            Some(format!("free-probability law ({} mean field)", study.mean_field)),
            Style::theory(),
            Layer::Theory,
            Geometry::Line(clipped),
        ));
    }
    if law.atom_at_zero > 0.0 {
        let mass = figure(law.atom_at_zero);
        panel.series.push(Series::new(
            Some(format!("law's atom at 0: mass {mass} (sampled: {})", figure(sim.zero_fraction))),
            Style::theory(),
            Layer::Theory,
            Geometry::Spike { x: 0.0, label: format!("mass {mass}") },
        ));
    }
    if let Some(atom) = law.top_atom {
        let mass = figure(atom.mass);
        panel.series.push(Series::new(
            Some(format!("law's atom at {}: mass {mass}", figure(atom.position))),
            Style::theory(),
            Layer::Theory,
            Geometry::Spike { x: atom.position, label: format!("mass {mass}") },
        ));
    }
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    Some(Figure::single(
        format!("Squared singular values of a deep network's Jacobian: {}, {}", result.strategy, study.activation),
        format!(
            "widths {} (W_l is w(l−1)×w(l): fan-in rows, fan-out columns), σ_b² = {}, {} trials, seed {}; \
             eigenvalues of J Jᵀ, J = D_L W_Lᵀ⋯D_1 W_1ᵀ, no normalisation; KS distance {} (pooled, not iid)",
            widths.join("→"),
            figure(study.bias_variance),
            sim.trials,
            sim.seed,
            figure(sim.ks_distance)
        ),
        panel,
    ))
}
