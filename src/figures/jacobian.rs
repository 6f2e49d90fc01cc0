//! Figures of the Jacobian law of a deep network: against sampled networks (the law's density
//! over the histogram of the pooled eigenvalues of J Jᵀ, with its atoms as spikes), and along
//! depth (densities of log λ, the largest eigenvalue and the spread against depth).

use super::style;
use crate::activation::Activation;
use crate::experiment::jacobian::depth::{CaseDepth, DepthCase, DepthSweep, DENSITY_FROM};
use crate::experiment::jacobian::{JacobianStudy, StrategyJacobian};
use crate::output::number::{figure, sig};
use crate::plot::style::{Dash, Marker, PALETTE};
use crate::plot::{Axis, Cell, Figure, Geometry, Layer, Panel, Series, Style};

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
        Axis::linear("density: fraction of all w_{L} eigenvalues per unit λ").from_zero(),
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
            "widths {} (W_{{ℓ}} is w_{{ℓ−1}}×w_{{ℓ}}: fan-in rows, fan-out columns), σ_{{b}}² = {}, {} trials, seed {}; \
             eigenvalues of J Jᵀ, J = D_{{L}}W_{{L}}ᵀ⋯D₁W₁ᵀ, no normalisation; KS distance {} (pooled, not iid)",
            widths.join("→"),
            figure(study.bias_variance),
            sim.trials,
            sim.seed,
            sig(sim.ks_distance, 3)
        ),
        panel,
    ))
}

/// The line look of a depth case: the colour of its strategy, the dash of its activation
/// (linear solid, relu dashed, others dotted).
fn case_style(case: &DepthCase) -> Style {
    let dash = match case.activation {
        Activation::Linear => Dash::Solid,
        Activation::Relu => Dash::Dashed,
        _ => Dash::Dotted,
    };
    Style { width: 2.2, ..style::of(&case.strategy) }.dashed(dash)
}

/// The density of log₁₀(λ/m₁) at several depths, one panel per case with a continuous part
/// (the point masses of orthogonal linear chains have none). `None` when no case has a density.
pub fn log_density_vs_depth(sweep: &DepthSweep) -> Option<Figure> {
    let with: Vec<&CaseDepth> = sweep.cases.iter().filter(|c| !c.densities.is_empty()).collect();
    if with.is_empty() {
        return None;
    }
    // One colour per depth across the panels (a case may lack a depth: orthogonal relu has no
    // continuous part at L = 1), in ascending depth.
    let mut depths: Vec<usize> = with.iter().flat_map(|c| c.densities.iter().map(|d| d.depth)).collect();
    depths.sort_unstable();
    depths.dedup();
    let colour = |depth: usize| PALETTE[depths.iter().position(|&d| d == depth).unwrap_or(0) % PALETTE.len()];
    let mut panels = Vec::new();
    for (k, case) in with.iter().enumerate() {
        let mut panel = Panel::new(
            Axis::linear("log₁₀(λ/m₁): λ eigenvalue of J Jᵀ, m₁ = Π χ_{ℓ} its mean"),
            Axis::linear("density of log₁₀(λ/m₁) (nonzero part)").from_zero(),
        );
        panel.title = Some(case.case.label.clone());
        panel.cell = Cell::at(k % 2, k / 2);
        for d in &case.densities {
            let look = Style { width: 2.0, ..Style::data(colour(d.depth), Marker::Circle) };
            panel.series.push(Series::new(
                Some(format!("L = {}", d.depth)),
                look,
                Layer::Theory,
                Geometry::Line(d.points.clone()),
            ));
        }
        panels.push(panel);
    }
    let mut figure = Figure::single(
        "The Jacobian's squared singular values as depth grows (free-probability law)",
        format!(
            "constant width (the law depends on w only through σ² = w·s2), φ after every layer; eigenvalues λ of \
             J Jᵀ, J = D_{{L}}W_{{L}}ᵀ⋯D₁W₁ᵀ, in units of their mean m₁; density of log₁₀(λ/m₁) from the {} quantile \
             to the upper edge; one colour per depth L in every panel",
            figure(DENSITY_FROM)
        ),
        panels.remove(0),
    );
    figure.panels.extend(panels);
    figure.width = 1200;
    figure.row_height = 420;
    Some(figure)
}

/// λ_max/m₁ (left) and the quantile spread √(Q(0.99)/Q(0.01)) (right) against depth, one line
/// per case, log scale.
pub fn largest_vs_depth(sweep: &DepthSweep) -> Figure {
    let mut left = Panel::new(
        Axis::linear("depth L").from_zero(),
        Axis::log("λ_{max}/m₁: largest eigenvalue of J Jᵀ over its mean"),
    );
    left.title = Some("largest squared singular value".into());
    let mut right = Panel::new(
        Axis::linear("depth L").from_zero(),
        Axis::log("√(Q(0.99)/Q(0.01)): spread of the singular values of J"),
    );
    right.title = Some("quantile spread (κ(J) is infinite when the support reaches 0)".into());
    right.cell = Cell::at(1, 0);
    for case in &sweep.cases {
        let look = case_style(&case.case);
        let largest: Vec<(f64, f64)> = case.points.iter().map(|p| (p.depth as f64, p.largest_over_mean)).collect();
        let spread: Vec<(f64, f64)> = case.points.iter().map(|p| (p.depth as f64, p.quantile_spread)).collect();
        // Markers at the depths computed; the lines only join them.
        let at = |points: &[(f64, f64)]| Geometry::Points { points: points.to_vec(), intervals: None };
        let marked = Style { width: 1.2, ..look }.dashed(Dash::Solid);
        left.series.push(Series::new(None, marked, Layer::Data, at(&largest)));
        right.series.push(Series::new(None, marked, Layer::Data, at(&spread)));
        left.series.push(Series::new(Some(case.case.label.clone()), look, Layer::Data, Geometry::Line(largest)));
        right.series.push(Series::new(None, look, Layer::Data, Geometry::Line(spread)));
    }
    let mut figure = Figure::single(
        "The Jacobian's largest squared singular value and spread against depth (free-probability law)",
        format!(
            "constant width w (any w: the law depends on it only through σ² = w·s2), φ after every layer, bias 0, \
             input x₀ ~ N(0, I), mean-field trajectory q_{{ℓ}}; eigenvalues of J Jᵀ, J = D_{{L}}W_{{L}}ᵀ⋯D₁W₁ᵀ, in \
             units of their mean m₁ = Π χ_{{ℓ}}; computed at w = {} at the marked depths (lines join them)",
            sweep.width
        ),
        left,
    );
    figure.panels.push(right);
    figure.width = 1200;
    figure
}
