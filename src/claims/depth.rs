//! Deep chains: the two-layer composite gain behind the geometric mean, and the growth of the
//! end-to-end singular-value spread with depth.

use super::{figure_link, pm4, sig, table, ReportSize, Section, Verdict, SEED};
use crate::error::Result;
use crate::experiment::depth::{self, composite_gain, DepthConfig, DepthStudy, RESOLVABLE_SPREAD};
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series, PALETTE};
use crate::strategy::Strategy;

/// The width patterns studied.
fn patterns(size: ReportSize) -> Vec<(&'static str, Vec<usize>)> {
    match size {
        ReportSize::Full => vec![
            ("constant width 64", vec![64]),
            ("alternating 64, 128", vec![64, 128]),
            ("widening/narrowing 64→128→256→128→…", vec![64, 128, 256, 128]),
        ],
        ReportSize::Quick => vec![("constant width 8", vec![8]), ("alternating 8, 16", vec![8, 16])],
    }
}

fn depths(size: ReportSize) -> Vec<usize> {
    match size {
        ReportSize::Full => vec![1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120],
        ReportSize::Quick => vec![1, 2, 5, 100],
    }
}

/// `sig` with values below 1e-9 in magnitude (rounding residue of exact zeros) shown as 0.
fn sig0(v: f64, digits: i32) -> String {
    if v.abs() < 1e-9 {
        "0".into()
    } else {
        sig(v, digits)
    }
}

/// `pm4` with rounding residue of exact zeros shown as 0.
fn pm0(mean: f64, stderr: f64) -> String {
    if mean.abs() < 1e-9 {
        "0".into()
    } else {
        pm4(mean, stderr)
    }
}

/// Least-squares slope of the discrete-QR log₁₀ κ against depth, over depths ≥ 10.
fn growth_per_layer(points: &[depth::DepthPoint]) -> Option<f64> {
    let pts: Vec<(f64, f64)> =
        points.iter().filter(|p| p.depth >= 10).map(|p| (p.depth as f64, p.log10_spread_qr.mean)).collect();
    if pts.len() < 2 {
        return None;
    }
    let k = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / k;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / k;
    let num: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let den: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    Some(num / den)
}

fn spread_figure(study: &DepthStudy) -> Figure {
    let mut figure = Figure::new(
        format!("End-to-end singular-value spread vs depth: {}", study.pattern),
        format!(
            "linear J = W₁⋯W_L, widths {:?} repeated, {} trials, seed {SEED}; lines: discrete-QR estimate; points: dgesdd on J (≤ 10^12)",
            study.cycle, study.trials
        ),
        "depth L (number of layers)",
        "log₁₀ κ(J) = log₁₀ σmax/σmin (mean ± se)",
    );
    for (i, s) in study.strategies.iter().enumerate() {
        let resolved: Vec<&depth::DepthPoint> = s.points.iter().filter(|p| p.unresolved == 0).collect();
        let colour = series_colour(i);
        let mark = if i > 0 && i < 5 { Mark::Dashed } else { Mark::Line };
        let label = if i == 0 {
            "geometric = arithmetic = quadratic = he = lecun".to_string()
        } else if i < 5 {
            String::new()
        } else {
            s.strategy.clone()
        };
        figure.series.push(Series {
            label: (!label.is_empty()).then_some(label),
            colour,
            mark,
            points: s.points.iter().map(|p| (p.depth as f64, p.log10_spread_qr.mean)).collect(),
        });
        figure.series.push(Series {
            label: None,
            colour,
            mark: Mark::Points { errors: Some(resolved.iter().map(|p| p.log10_spread.stderr).collect()) },
            points: resolved.iter().map(|p| (p.depth as f64, p.log10_spread.mean)).collect(),
        });
    }
    let last = study.strategies[0].points.last().map(|p| p.depth as f64).unwrap_or(1.0);
    figure.series.push(Series {
        label: Some("dgesdd resolution limit (10^12)".into()),
        colour: PALETTE[0],
        mark: Mark::Dashed,
        points: vec![(1.0, RESOLVABLE_SPREAD.log10()), (last, RESOLVABLE_SPREAD.log10())],
    });
    figure.x_scale = Scale::Linear;
    figure.legend = LegendPosition::UpperLeft;
    figure
}

/// The depth section.
///
/// # Errors
/// A failing experiment.
pub fn section(size: ReportSize) -> Result<Section> {
    let trials = match size {
        ReportSize::Full => 12,
        ReportSize::Quick => 3,
    };
    // 1. The composite gain m → n → m.
    let (ct, cb) = match size {
        ReportSize::Full => (300, 32),
        ReportSize::Quick => (5, 4),
    };
    let composite_shapes: Vec<(usize, usize)> = match size {
        ReportSize::Full => vec![(64, 256), (256, 64), (128, 128), (32, 512)],
        ReportSize::Quick => vec![(8, 32)],
    };
    let mut composite_rows = Vec::new();
    let mut geometric_exact = true;
    for &(m, n) in &composite_shapes {
        let study = super::linear_chain_study(vec![m, n, m], ct, cb)?;
        for (s, strategy) in study.strategies.iter().zip(Strategy::ALL_NAMED) {
            let theory = composite_gain(strategy, m, n)?;
            let second = s.layers[1].forward;
            if strategy == Strategy::Geometric {
                geometric_exact &= (theory - 1.0).abs() < 1e-12 && second.z_score().abs() <= 5.0;
            }
            composite_rows.push(vec![
                format!("{m}→{n}→{m}"),
                s.strategy.clone(),
                sig(theory, 4),
                pm4(second.mean, second.stderr),
                sig(second.z_score(), 2),
            ]);
        }
    }
    // 2. Spread vs depth.
    let mut figures_out = Vec::new();
    let mut spread_rows = Vec::new();
    let mut orthogonal_constant_flat = true;
    // Largest |log₁₀ κ by QR − log₁₀ κ by dgesdd| over the points where both exist.
    let mut qr_vs_svd: f64 = 0.0;
    let mut gaussian_grows = true;
    let mut links = String::new();
    for (k, (name, cycle)) in patterns(size).into_iter().enumerate() {
        let study = depth::run(&DepthConfig {
            pattern: name.to_string(),
            cycle: cycle.clone(),
            depths: depths(size),
            strategies: Strategy::ALL_NAMED.to_vec(),
            trials,
            seed: SEED,
        })?;
        for s in &study.strategies {
            let at = |d: usize| {
                s.points
                    .iter()
                    .find(|p| p.depth == d)
                    .map(|p| {
                        if p.unresolved > 0 {
                            format!("> 12 ({} of {} unresolved)", p.unresolved, study.trials)
                        } else {
                            if p.log10_spread.mean.abs() < 1e-9 {
                                "0 (κ = 1 to rounding)".to_string()
                            } else {
                                pm4(p.log10_spread.mean, p.log10_spread.stderr)
                            }
                        }
                    })
                    .unwrap_or("–".into())
            };
            let growth = growth_per_layer(&s.points);
            let is_orthogonal = s.strategy == "orthogonal";
            for p in s.points.iter().filter(|p| p.unresolved == 0) {
                qr_vs_svd = qr_vs_svd.max((p.log10_spread_qr.mean - p.log10_spread.mean).abs());
            }
            if is_orthogonal && cycle.len() == 1 {
                orthogonal_constant_flat &=
                    s.points.iter().all(|p| p.unresolved == 0 && p.log10_spread.mean.abs() < 1e-8);
            }
            if !is_orthogonal {
                gaussian_grows &= growth.is_some_and(|g| g > 0.0);
            }
            let last = s.points.last().expect("depths are non-empty");
            spread_rows.push(vec![
                name.to_string(),
                s.strategy.clone(),
                at(1),
                at(10),
                at(*depths(size).last().expect("non-empty")),
                growth.map(|g| sig0(g, 3)).unwrap_or("–".into()),
                format!("{} (L = {})", pm0(last.log10_spread_qr.mean, last.log10_spread_qr.stderr), last.depth),
                format!(
                    "{} (expectation 10^{})",
                    pm4(last.gain_ratio.mean, last.gain_ratio.stderr),
                    sig0(last.log10_gain_theory, 3)
                ),
            ]);
        }
        let file = format!("spread-vs-depth-{}.svg", k + 1);
        links.push_str(&figure_link(&file, &format!("singular-value spread vs depth, {name}")));
        figures_out.push((file, spread_figure(&study)));
    }
    let verdict = Verdict::of(geometric_exact);
    let max_depth = *depths(size).last().expect("non-empty");
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** The geometric strategy's argument: \"two stacked layers m→n→m with one shared s2 \
         give gain m n s2^2 = 1\". Open question: how each strategy behaves in very deep chains and how the spread \
         of the end-to-end singular values grows.\n\n",
    );
    body.push_str(
        "**Closed form.** The composite forward gain is (m·s2)(n·s2) = m·n·s2²: exactly 1 for geometric \
         (s2 = 1/√(mn)), 4mn/(m+n)² < 1 for arithmetic and mn(m+n)²/(m²+n²)² < 1 for quadratic when m ≠ n. \
         Monte Carlo: second-moment after the second layer of an m→n→m linear chain.\n\n",
    );
    body.push_str(&format!("Monte Carlo: {ct} trials × batch {cb}, seed {SEED}.\n\n"));
    body.push_str(&table(&["chain", "strategy", "m·n·s2² (theory)", "Monte Carlo", "z"], &composite_rows));
    body.push_str(&format!(
        "The geometric composite gain is exactly 1 and Monte Carlo agrees within 5 se: **{}**. This argument is \
         about the *product* of the two layers only; each layer alone still scales the variance by √(m/n) or \
         √(n/m).\n\n",
        if geometric_exact { "yes" } else { "no" }
    ));
    body.push_str(&format!(
        "**Depth.** For the linear chain J = W₁⋯W_L (the end-to-end Jacobian is Jᵀ), log₁₀ κ(J) by LAPACK \
         `dgesdd` on the product, depth up to {max_depth}, {trials} trials per strategy, seed {SEED}. A Gaussian \
         strategy only rescales each layer, so κ(J) is the same for all five Gaussian strategies (identical \
         with common random numbers): the choice of mean cannot tame the spread. It grows exponentially \
         (log₁₀ κ linear in L: the Lyapunov spectrum of the product), exceeding what an SVD of the explicit \
         product resolves (10^12) within a few dozen layers; beyond that the discrete-QR method (accumulated \
         log|diag R| of W_kᵀQ_{{k−1}} = Q_kR_k, never forming the product; see `experiment::depth`) gives the \
         spread at every depth, and agrees with the direct SVD where both exist. \
         Orthogonal layers of constant width keep κ = 1 exactly at any depth; with changing widths even \
         orthogonal layers compress some directions. The end-to-end gain ‖J‖_F²/w_L, in contrast, does depend on \
         the strategy: its expectation is Π w_{{k−1}}·s2_k (last column: Monte Carlo ratio to it, and its log₁₀).\n\n"
    ));
    body.push_str(&table(
        &[
            "pattern",
            "strategy",
            "log₁₀ κ at L = 1",
            "at L = 10",
            &format!("at L = {max_depth}"),
            "growth of log₁₀ κ per layer (QR, L ≥ 10)",
            "log₁₀ κ by discrete QR",
            &format!("gain at L = {max_depth}: MC / expectation"),
        ],
        &spread_rows,
    ));
    body.push_str(&format!(
        "Where both estimates exist (κ ≤ 10^12), the discrete-QR value differs from the direct SVD by at most {} \
         in log₁₀ (mean over trials): the QR estimate is a lower bound (the diagonal of a triangular matrix lies \
         between its extreme singular values) whose shortfall stays O(1) as L grows (Benettin et al. 1980), so \
         its growth rate per layer, fitted over L ≥ 10, is the figure to read.\n\n",
        sig(qr_vs_svd, 2)
    ));
    body.push_str(&format!(
        "Orthogonal constant-width chains keep κ = 1 at every depth: **{}**; every Gaussian strategy's spread grows \
         with depth: **{}**.\n\n",
        if orthogonal_constant_flat { "yes" } else { "no" },
        if gaussian_grows { "yes" } else { "no" }
    ));
    body.push_str(&links);
    Ok(Section {
        id: "depth",
        title: "Two-layer composite gain and deep chains".into(),
        claim: "m→n→m with a shared s2 has gain m·n·s2² = 1 for geometric (the argument for the geometric mean)".into(),
        verdict,
        truth: "exact, but only for the two-layer product; in deep chains the singular-value spread grows exponentially and identically for every Gaussian strategy; only orthogonal (constant width) keeps κ = 1".into(),
        body,
        figures: figures_out,
    })
}
