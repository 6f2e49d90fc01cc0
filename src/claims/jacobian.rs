//! Deep networks through the Jacobian's singular-value law (free probability): the depth
//! questions of the deep-chain and gradient-norm sections revisited with the limit law of J Jᵀ
//! instead of Monte Carlo spreads and products of norms, and the law set beside sampled networks at one depth.

use super::verdict::{side, yes_no};
use super::{figure_link, table, Claim, Section, Sizes, Verdict, SEED};
use crate::activation::Activation;
use crate::error::Result;
use crate::experiment::jacobian::depth::{self, CaseDepth, DepthCase, DepthSweep, DepthSweepConfig, SPREAD_LEVEL};
use crate::experiment::jacobian::{self as jacobian, JacobianConfig, JacobianStudy, SimulationConfig};
use crate::figures::jacobian::{density_vs_simulation, largest_vs_depth, log_density_vs_depth};
use crate::law::jacobian::MeanField;
use crate::output::number::{pm_sig, sig, sig_or_zero};
use crate::stats::least_squares_slope;
use crate::strategy::Strategy;

/// Grid points of each density along depth.
const DENSITY_POINTS: usize = 200;
/// Grid points of the law beside the simulation.
const SIMULATION_POINTS: usize = 400;
/// The product of norms "≈" the norm of J when it overstates λ_max by at most this factor.
const NORM_PRODUCT_FACTOR: f64 = 2.0;
/// Depths from which the growth of log₁₀ spread per layer is fitted.
const FIT_FROM: usize = 10;

/// The six cases: Gaussian and orthogonal weights at the critical gain of linear, relu and tanh
/// (σ² = 1, 2, 1; at constant width geometric, arithmetic, quadratic and LeCun all give σ² = 1).
fn cases(width: usize) -> Result<Vec<DepthCase>> {
    let case = |label: &str, strategy, activation| DepthCase { label: label.into(), strategy, activation };
    let orthogonal = Strategy::Orthogonal { variance: None };
    Ok(vec![
        case("Gaussian σ² = 1, linear", Strategy::LeCun, Activation::Linear),
        case("Gaussian σ² = 2 (He), relu", Strategy::He, Activation::Relu),
        case("Gaussian σ² = 1, tanh", Strategy::LeCun, Activation::Tanh),
        case("orthogonal σ² = 1, linear", orthogonal, Activation::Linear),
        case("orthogonal σ² = 2, relu", Strategy::orthogonal_with_variance(2.0 / width as f64)?, Activation::Relu),
        case("orthogonal σ² = 1, tanh", orthogonal, Activation::Tanh),
    ])
}

/// What the section computes.
#[derive(Debug, Clone)]
pub struct JacobianResult {
    /// The laws along depth.
    pub sweep: DepthSweep,
    /// The laws beside sampled networks (Gaussian and orthogonal tanh at one depth).
    pub simulation: JacobianStudy,
}

/// Runs the depth sweep and the simulation.
///
/// # Errors
/// A law that cannot be computed, or a failing simulation.
pub fn compute(sizes: &Sizes) -> Result<JacobianResult> {
    let j = sizes.jacobian;
    let sweep = depth::run(&DepthSweepConfig {
        width: j.width,
        cases: cases(j.width)?,
        depths: j.depths.to_vec(),
        density_depths: j.density_depths.to_vec(),
        points: DENSITY_POINTS,
    })?;
    let simulation = jacobian::run(&JacobianConfig {
        widths: vec![j.simulation_width; j.simulation_depth + 1],
        strategies: vec![Strategy::LeCun, Strategy::Orthogonal { variance: None }],
        activation: Activation::Tanh,
        bias_variance: 0.0,
        mean_field: MeanField::Trajectory,
        points: SIMULATION_POINTS,
        simulation: Some(SimulationConfig { trials: j.simulation_trials, seed: SEED }),
    })?;
    Ok(JacobianResult { sweep, simulation })
}

/// The section.
///
/// # Errors
/// A failing computation.
pub fn section(sizes: &Sizes) -> Result<Section> {
    Ok(render(&compute(sizes)?))
}

fn find(sweep: &DepthSweep, orthogonal: bool, activation: Activation) -> Option<&CaseDepth> {
    sweep.cases.iter().find(|c| c.case.orthogonal() == orthogonal && c.case.activation == activation)
}

/// Least-squares growth of log₁₀ spread per layer over L ≥ [`FIT_FROM`] (None with < 2 depths).
fn spread_growth(case: &CaseDepth) -> Option<f64> {
    let pts: Vec<(f64, f64)> = case
        .points
        .iter()
        .filter(|p| p.depth >= FIT_FROM)
        .map(|p| (p.depth as f64, p.quantile_spread.log10()))
        .collect();
    (pts.len() >= 2).then(|| least_squares_slope(&pts))
}

/// (L+1)^{L+1}/L^L: the upper edge of the Fuss–Catalan law of order L (the Gaussian linear chain
/// at σ² = 1, in units of its mean 1).
fn fuss_catalan_edge(depth: usize) -> f64 {
    let l = depth as f64;
    ((l + 1.0) * (l + 1.0).ln() - l * l.ln()).exp()
}

/// What the sentences report, computed from the sweep.
struct Findings {
    max_depth: usize,
    /// Whether λ_max/m₁ and the spread grow from the first to the last depth, per Gaussian case.
    gaussian_grows: bool,
    /// Largest relative difference from the Fuss–Catalan edge (None without that case).
    fuss_catalan: Option<f64>,
    /// The smallest depth from which every Gaussian case has κ(J) = ∞.
    kappa_infinite_from: Option<usize>,
    /// Whether every orthogonal linear law is the point mass at its mean.
    orthogonal_linear_flat: bool,
    /// Orthogonal tanh below Gaussian tanh in spread at every depth ≥ 2.
    isometry: Option<bool>,
    /// Whether Π‖W‖² ≤ 2 λ_max for every case and depth.
    norm_product_holds: bool,
    /// The largest log₁₀ overstatement (case label, depth, value).
    worst: (String, usize, f64),
}

fn findings(sweep: &DepthSweep) -> Findings {
    let max_depth = sweep.cases[0].points.last().map_or(0, |p| p.depth);
    let gaussian_grows = sweep.cases.iter().filter(|c| !c.case.orthogonal()).all(|c| {
        let (a, b) = (c.points[0], c.points[c.points.len() - 1]);
        b.largest_over_mean > a.largest_over_mean && b.quantile_spread > a.quantile_spread
    });
    let fuss_catalan = sweep
        .cases
        .iter()
        .find(|c| c.case.strategy == Strategy::LeCun && c.case.activation == Activation::Linear)
        .map(|c| {
            c.points.iter().map(|p| (p.largest_over_mean / fuss_catalan_edge(p.depth) - 1.0).abs()).fold(0.0, f64::max)
        });
    let orthogonal_linear_flat = find(sweep, true, Activation::Linear).is_none_or(|c| {
        c.points.iter().all(|p| (p.largest_over_mean - 1.0).abs() < 1e-9 && (p.quantile_spread - 1.0).abs() < 1e-9)
    });
    let isometry = find(sweep, true, Activation::Tanh).zip(find(sweep, false, Activation::Tanh)).map(|(o, g)| {
        o.points.iter().zip(&g.points).filter(|(p, _)| p.depth >= 2).all(|(p, q)| p.quantile_spread < q.quantile_spread)
    });
    let depths: Vec<usize> = sweep.cases[0].points.iter().map(|p| p.depth).collect();
    let kappa_infinite_from = depths.iter().copied().find(|&d| {
        sweep
            .cases
            .iter()
            .filter(|c| !c.case.orthogonal())
            .all(|c| c.points.iter().filter(|p| p.depth >= d).all(|p| p.condition_number.is_infinite()))
    });
    let mut worst = (String::new(), 0, f64::NEG_INFINITY);
    for c in &sweep.cases {
        for p in &c.points {
            if p.log10_overstatement() > worst.2 {
                worst = (c.case.label.clone(), p.depth, p.log10_overstatement());
            }
        }
    }
    Findings {
        max_depth,
        kappa_infinite_from,
        gaussian_grows,
        fuss_catalan,
        orthogonal_linear_flat,
        isometry,
        norm_product_holds: worst.2 <= NORM_PRODUCT_FACTOR.log10(),
        worst,
    }
}

/// The table: one row per case and shown depth.
fn law_table(sweep: &DepthSweep, shown: &[usize]) -> String {
    let mut rows = Vec::new();
    for c in &sweep.cases {
        for p in c.points.iter().filter(|p| shown.contains(&p.depth)) {
            rows.push(vec![
                c.case.label.clone(),
                p.depth.to_string(),
                sig(10f64.powf(p.log10_mean), 4),
                sig(p.largest_over_mean, 4),
                sig(p.quantile_spread, 4),
                if p.condition_number.is_finite() { sig(p.condition_number, 4) } else { "∞".into() },
                sig_or_zero(p.log10_overstatement(), 3),
            ]);
        }
    }
    table(&["case", "L", "m₁ = Π χ_ℓ", "λ_max/m₁", "√(Q(0.99)/Q(0.01))", "κ(J) (limit)", "log₁₀ Π‖W_ℓ‖²/λ_max"], &rows)
}

/// The depth paragraphs, every direction and size computed from the sweep.
fn depth_text(sweep: &DepthSweep, f: &Findings) -> String {
    let mut body = String::new();
    let growth: Vec<String> = sweep
        .cases
        .iter()
        .filter(|c| !c.case.orthogonal())
        .map(|c| {
            let (a, b) = (c.points[0], c.points[c.points.len() - 1]);
            let per_layer = spread_growth(c).map_or(String::new(), |g| {
                format!(", log₁₀ spread +{} per layer over L ≥ {FIT_FROM}", sig_or_zero(g, 3))
            });
            format!(
                "{}: λ_max/m₁ {} → {}, spread {} → {}{per_layer}",
                c.case.label,
                sig(a.largest_over_mean, 3),
                sig(b.largest_over_mean, 3),
                sig(a.quantile_spread, 3),
                sig(b.quantile_spread, 3)
            )
        })
        .collect();
    let infinite = match f.kappa_infinite_from {
        Some(d) => format!(
            "κ(J) is infinite in the limit for every Gaussian case from L = {d} on (the support reaches 0): the \
             finite κ of [the deep-chain section](#depth) is set by the smallest singular value of a finite matrix, \
             which the limit sends to 0, and the quantile spread is the finite measure"
        ),
        None => "κ(J) stays finite for some Gaussian case at every depth shown".to_string(),
    };
    body.push_str(&format!(
        "**Gaussian weights.** From L = {} to L = {}: {}. Both grow with depth for every Gaussian case: **{}**. \
         {infinite}.",
        sweep.cases[0].points[0].depth,
        f.max_depth,
        growth.join("; "),
        yes_no(f.gaussian_grows)
    ));
    if let Some(d) = f.fuss_catalan {
        body.push_str(&format!(
            " Check: the Gaussian linear chain's λ_max/m₁ is the Fuss–Catalan edge (L+1)^(L+1)/L^L (Penson and \
             Życzkowski 2011) to a relative {} at every depth.",
            sig(d.max(f64::EPSILON), 2)
        ));
    }
    body.push_str("\n\n");
    let isometry = match f.isometry {
        Some(true) => {
            "has a smaller spread than Gaussian tanh at every depth L ≥ 2: **yes** (along the mean-field \
                       trajectory q_ℓ decreases towards 0, so D_ℓ approaches I and the later layers add little: \
                       the dynamical isometry of Pennington et al.)"
        }
        Some(false) => "has a smaller spread than Gaussian tanh at every depth L ≥ 2: **no**",
        None => "is not computed",
    };
    let from_to = |c: &CaseDepth| {
        let (a, b) = (c.points[0], c.points[c.points.len() - 1]);
        format!(
            "spread {} → {}, λ_max/m₁ {} → {}",
            sig(a.quantile_spread, 3),
            sig(b.quantile_spread, 3),
            sig(a.largest_over_mean, 3),
            sig(b.largest_over_mean, 3)
        )
    };
    let tanh = find(sweep, true, Activation::Tanh).map_or(String::new(), |c| format!(" ({})", from_to(c)));
    let relu = find(sweep, true, Activation::Relu).map_or(String::new(), |c| {
        let grows = c.points[c.points.len() - 1].quantile_spread > c.points[0].quantile_spread;
        format!(
            " Orthogonal relu ({}): its spread grows with depth: **{}** (each D_ℓ² is a projection of trace 1/2, \
             which no choice of gain undoes).",
            from_to(c),
            yes_no(grows)
        )
    });
    body.push_str(&format!(
        "**Orthogonal weights.** The linear chain is the point mass at its mean at every depth (λ_max/m₁ = spread = \
         1): **{}**. Orthogonal tanh{tanh} {isometry}.{relu}\n\n",
        yes_no(f.orthogonal_linear_flat)
    ));
    body
}

/// The paragraph on the product of norms (the gradient-norm section revisited).
fn norm_text(f: &Findings) -> String {
    format!(
        "**The product of norms ([gradient norms](#gradient-norms) revisited).** ‖J‖ ≤ Π‖W_ℓ‖·Π‖D_ℓ‖ with ‖D_ℓ‖ ≤ 1 for these activations; the \
         law gives ‖J‖² itself (λ_max). The product Π‖W_ℓ‖² (Bai–Yin s2(√m + √n)² = 4σ² per square Gaussian \
         layer, σ² per orthogonal one) is within a factor {NORM_PRODUCT_FACTOR} of λ_max for every case and depth: \
         **{}**; the largest overstatement is 10^{} ({}, L = {}). Only the orthogonal linear chain makes it \
         exact: for Gaussian layers the product grows like 4^L while λ_max grows polynomially (≈ e(L + 1) for the \
         linear chain).\n\n",
        yes_no(f.norm_product_holds),
        sig_or_zero(f.worst.2, 3),
        f.worst.0,
        f.worst.1
    )
}

/// The simulation paragraph: per strategy, KS distance and the largest eigenvalue sampled vs law.
fn simulation_text(study: &JacobianStudy) -> String {
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    for s in &study.strategies {
        let Some(sim) = &s.simulation else { continue };
        let law = s.law.largest_squared_singular_value;
        differences.push(sim.largest.mean - law);
        rows.push(vec![
            s.strategy.to_string(),
            sig(s.law.mean, 4),
            pm_sig(sim.mean.mean, sim.mean.stderr),
            sig(law, 4),
            pm_sig(sim.largest.mean, sim.largest.stderr),
            sig(sim.ks_distance, 3),
        ]);
    }
    let trials = study.strategies.iter().find_map(|s| s.simulation.as_ref()).map_or(0, |s| s.trials);
    let mut body = format!(
        "**Theory against simulation.** tanh networks of {} layers of width {}, {trials} sampled networks per \
         strategy (Jacobians multiplied in f64, singular values by LAPACK `dgesdd`), seed {SEED}:\n\n",
        study.widths.len() - 1,
        study.widths[0]
    );
    body.push_str(&table(
        &[
            "strategy",
            "mean m₁ (law)",
            "tr(J Jᵀ)/w (sampled)",
            "λ_max (law)",
            "largest eigenvalue (sampled)",
            "KS distance (pooled)",
        ],
        &rows,
    ));
    body.push_str(&format!(
        "The sampled largest eigenvalue lies {} the law's edge (a finite width spreads the edge by O(w^(−2/3)); \
         the KS distance is over pooled eigenvalues, which are not independent, so it has no p-value here; \
         tests/jacobian_simulation.rs holds the calibrated checks).\n\n",
        side(&differences)
    ));
    body
}

/// The section from its result.
pub fn render(result: &JacobianResult) -> Section {
    let sweep = &result.sweep;
    let f = findings(sweep);
    let first = sweep.cases[0].points[0].depth;
    let mut body = String::from(
        "**Claims (as stated).** \"Gradient norm through depth ≈ product of the layers' spectral norms\" \
         ([gradient norms](#gradient-norms)); open question ([deep chains](#depth)): how the spread of the \
         end-to-end singular values grows in very deep chains. Those sections answer with Monte Carlo spreads and \
         products of norms; this one uses the limit law of the Jacobian.\n\n",
    );
    body.push_str(&format!(
        "**The law.** For J = D_L W_Lᵀ ⋯ D₁ W₁ᵀ = ∂x_L/∂x₀ (W_ℓ is w×w, fan-in rows, fan-out columns; D_ℓ = \
         diag φ'(h_ℓ), φ after every layer; bias 0, input x₀ ~ N(0, I), pre-activation variances q_ℓ along the \
         mean-field trajectory), the eigenvalues λ of J Jᵀ (the squared singular values of J) have, as the width \
         grows, the law whose S-transform is the product of the layers' (Pennington, Schoenholz and Ganguli 2017, \
         2018; `rmspec jacobian`, docs/jacobian.md). At constant width it depends on w only through σ² = w·s2. \
         Each case sits at its critical gain (mean-field χ = 1 at q → 0). Numbers in units of the mean m₁ = Π χ_ℓ; \
         spread √(Q(1−p)/Q(p)), p = {SPREAD_LEVEL}, over the nonzero part (Q the quantile function); depths {first} \
         to {}.\n\n",
        f.max_depth
    ));
    let shown: Vec<usize> = sweep.cases[0]
        .points
        .iter()
        .map(|p| p.depth)
        .filter(|&d| d == first || d == FIT_FROM || d == f.max_depth)
        .collect();
    body.push_str(&law_table(sweep, &shown));
    body.push_str(&depth_text(sweep, &f));
    body.push_str(&norm_text(&f));
    let mut figures = Vec::new();
    let name = "jacobian-largest-vs-depth.svg";
    body.push_str(&figure_link(
        name,
        "largest squared singular value and quantile spread of J against depth, from the law",
    ));
    figures.push((name.to_string(), largest_vs_depth(sweep)));
    if let Some(fig) = log_density_vs_depth(sweep) {
        let name = "jacobian-density-vs-depth.svg";
        body.push_str(&figure_link(name, "density of log₁₀(λ/m₁) of J Jᵀ at several depths, from the law"));
        figures.push((name.to_string(), fig));
    }
    body.push_str(&simulation_text(&result.simulation));
    for s in &result.simulation.strategies {
        if let Some(fig) = density_vs_simulation(&result.simulation, s) {
            let name = format!("jacobian-vs-simulation-{}.svg", s.strategy.to_string().replace(':', "-"));
            body.push_str(&figure_link(&name, &format!("law against sampled networks, {} tanh", s.strategy)));
            figures.push((name, fig));
        }
    }
    let growth = find(sweep, false, Activation::Linear).map_or(String::new(), |c| {
        spread_growth(c)
            .map_or(String::new(), |g| format!(" (log₁₀ spread +{} per layer for the linear chain)", sig_or_zero(g, 3)))
    });
    let claims = vec![
        Claim::new(
            "Gradient norm through depth ≈ product of the layers' spectral norms (revisited with the law's ‖J‖)",
            Verdict::of(f.norm_product_holds),
            format!(
                "the product of squared norms overstates λ_max(J Jᵀ) by up to 10^{} ({}, L = {}); exact only for orthogonal linear chains",
                sig_or_zero(f.worst.2, 3),
                f.worst.0,
                f.worst.1
            ),
        ),
        Claim::new(
            "Open question: how the singular-value spread of J grows with depth, per strategy (from the law)",
            Verdict::Question,
            format!(
                "Gaussian: {} with depth for linear, relu and tanh{growth}; orthogonal linear: {}; orthogonal tanh: {}",
                if f.gaussian_grows { "grows" } else { "does not always grow" },
                if f.orthogonal_linear_flat { "κ = 1 at every depth" } else { "not flat" },
                match f.isometry {
                    Some(true) => "smaller spread than Gaussian tanh at every depth (dynamical isometry)",
                    Some(false) => "not below Gaussian tanh at every depth",
                    None => "not computed",
                }
            ),
        ),
    ];
    Section {
        id: "jacobian-law",
        title: "Deep networks through the Jacobian's singular-value law".into(),
        claims,
        body,
        figures,
    }
}
