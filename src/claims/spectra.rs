//! Claims about spectra: spectral norms vs Bai–Yin, Marchenko–Pastur histograms and the stated
//! density's normalisation, condition numbers, and finite-size edge fluctuations.

use super::{figure_link, pm4, sig, table, ReportSize, Section, Verdict, SEED};
use crate::error::Result;
use crate::experiment::calibration::FitOptions;
use crate::experiment::spectrum::{self, Method, SpectrumConfig, SpectrumStudy};
use crate::experiment::ThreadsLayout;
use crate::figures;
use crate::law::edge_scaling::EdgeScaling;
use crate::law::quadrature::GaussLegendre;
use crate::law::{MarchenkoPastur, SpectralLaw, TracyWidom};
use crate::plot::{series_colour, Figure, LegendPosition, Mark, Scale, Series, PALETTE};
use crate::spectrum::SingularValueMethod;
use crate::strategy::Strategy;

fn run_spectrum(m: usize, n: usize, strategies: Vec<Strategy>, trials: usize) -> Result<SpectrumStudy> {
    spectrum::run(&SpectrumConfig {
        m,
        n,
        strategies,
        trials,
        seed: SEED,
        bins: 60,
        singular_values: SingularValueMethod::Gram,
        fit: FitOptions::without_bulk(),
        method: Method::Dense,
        layout: ThreadsLayout::Trials,
    })
}

/// Spectra at fixed shapes, all strategies (histograms, norms, density mass).
#[derive(Debug, Clone)]
pub struct ShapeStudies {
    /// One study per shape.
    pub studies: Vec<SpectrumStudy>,
}

/// Runs the fixed-shape spectra.
///
/// # Errors
/// A failing experiment.
pub fn shape_studies(size: ReportSize) -> Result<ShapeStudies> {
    let (shapes, trials): (Vec<(usize, usize)>, usize) = match size {
        ReportSize::Full => (vec![(64, 256), (128, 128), (128, 512), (256, 256), (512, 128)], 40),
        ReportSize::Quick => (vec![(8, 32), (16, 16), (16, 64), (24, 24), (48, 12)], 3),
    };
    let studies = shapes
        .into_iter()
        .map(|(m, n)| run_spectrum(m, n, Strategy::ALL_NAMED.to_vec(), trials))
        .collect::<Result<Vec<_>>>()?;
    Ok(ShapeStudies { studies })
}

/// λmax and ‖W‖ over a range of sizes at fixed γ (spectral-norm convergence, edge fluctuations).
#[derive(Debug, Clone)]
pub struct SizeSweep {
    /// (γ, studies in increasing n).
    pub by_gamma: Vec<(f64, Vec<SpectrumStudy>)>,
}

/// The sweep's aspect ratios.
pub const SWEEP_GAMMAS: [f64; 2] = [0.25, 1.0];

/// Runs the size sweep (arithmetic strategy; ‖W‖/prediction and λmax/λ+ are scale-free).
///
/// # Errors
/// A failing experiment.
pub fn size_sweep(size: ReportSize) -> Result<SizeSweep> {
    let (ns, trials): (Vec<usize>, usize) = match size {
        ReportSize::Full => (vec![32, 64, 128, 256, 512], 100),
        ReportSize::Quick => (vec![16, 32], 4),
    };
    let mut by_gamma = Vec::new();
    for gamma in SWEEP_GAMMAS {
        let studies = ns
            .iter()
            .map(|&n| run_spectrum((gamma * n as f64).round() as usize, n, vec![Strategy::Arithmetic], trials))
            .collect::<Result<Vec<_>>>()?;
        by_gamma.push((gamma, studies));
    }
    Ok(SizeSweep { by_gamma })
}

/// Spectral norms vs Bai–Yin.
///
/// # Errors
/// A failing figure description (not expected).
pub fn spectral_norms(shapes: &ShapeStudies, sweep: &SizeSweep) -> Result<Section> {
    let mut rows = Vec::new();
    for study in shapes.studies.iter().take(2) {
        for r in &study.strategies {
            let e = &r.empirical.spectral_norm;
            rows.push(vec![
                format!("{}×{}", study.m, study.n),
                r.strategy.clone(),
                sig(r.variance, 4),
                sig(r.predicted.spectral_norm, 4),
                pm4(e.mean, e.stderr),
                format!("{:+.2}%", 100.0 * (e.mean / r.predicted.spectral_norm - 1.0)),
            ]);
        }
    }
    // Convergence: relative deviation at the smallest and largest n, per γ.
    let mut converging = Vec::new();
    let mut figure = Figure::new(
        "Spectral norm ‖W‖ relative to the Bai–Yin prediction √s2(√m + √n)",
        format!(
            "arithmetic s2 = 2/(m+n) (the ratio is scale-free), m = γn, {} trials per point, seed {SEED}; points: mean ± se",
            sweep.by_gamma[0].1[0].trials
        ),
        "n = fan-out (log scale)",
        "‖W‖ / (√s2 (√m + √n))",
    );
    figure.x_scale = Scale::Log10;
    let mut sweep_rows = Vec::new();
    for (i, (gamma, studies)) in sweep.by_gamma.iter().enumerate() {
        let points: Vec<(f64, f64, f64)> = studies
            .iter()
            .map(|s| {
                let r = &s.strategies[0];
                let p = r.predicted.spectral_norm;
                (s.n as f64, r.empirical.spectral_norm.mean / p, r.empirical.spectral_norm.stderr / p)
            })
            .collect();
        for (s, p) in studies.iter().zip(&points) {
            sweep_rows.push(vec![
                sig(*gamma, 3),
                s.m.to_string(),
                s.n.to_string(),
                pm4(p.1, p.2),
                format!("{:+.2}%", 100.0 * (p.1 - 1.0)),
            ]);
        }
        let first = (points[0].1 - 1.0).abs();
        let last = (points[points.len() - 1].1 - 1.0).abs();
        converging.push(last < first && last < 0.02);
        figure.series.push(Series {
            label: Some(format!("γ = m/n = {}", sig(*gamma, 2))),
            colour: series_colour(i),
            mark: Mark::Points { errors: Some(points.iter().map(|p| p.2).collect()) },
            points: points.iter().map(|p| (p.0, p.1)).collect(),
        });
        figure.series.push(Series {
            label: None,
            colour: series_colour(i),
            mark: Mark::Dashed,
            points: points.iter().map(|p| (p.0, p.1)).collect(),
        });
    }
    let xs: Vec<f64> = sweep.by_gamma[0].1.iter().map(|s| s.n as f64).collect();
    figure.series.push(Series {
        label: Some("Bai–Yin limit (ratio 1)".into()),
        colour: PALETTE[0],
        mark: Mark::Line,
        points: vec![(xs[0], 1.0), (xs[xs.len() - 1], 1.0)],
    });
    figure.legend = LegendPosition::LowerRight;
    let verdict = Verdict::of(converging.iter().all(|&c| c));
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"Spectral norm (Bai–Yin): for an m×n matrix with iid entries of variance s2, \
         ‖W‖ ≈ sqrt(s2) (sqrt m + sqrt n) as m, n → ∞ with m/n fixed.\"\n\n",
    );
    body.push_str(
        "**Closed form.** Bai–Yin: σ_max(W)/(√s2(√m+√n)) → 1 almost surely. At finite size σ_max fluctuates on \
         the Tracy–Widom scale n^{−2/3} around a centre slightly below the limit. For the orthogonal strategy the \
         norm is exact: √(max(m, n)·s2).\n\n",
    );
    body.push_str(&format!(
        "Monte Carlo: fixed shapes, all strategies, {} trials each, seed {SEED} (`rmspec spectrum`):\n\n",
        shapes.studies[0].trials
    ));
    body.push_str(&table(&["shape", "strategy", "s2", "‖W‖ predicted", "‖W‖ MC", "difference"], &rows));
    body.push_str("Convergence with size (arithmetic strategy):\n\n");
    body.push_str(&table(&["γ", "m", "n", "‖W‖ / prediction", "difference"], &sweep_rows));
    body.push_str(&format!(
        "The deviation shrinks with n and is below 2% at the largest size for every γ: **{}**.\n\n",
        if verdict == Verdict::Holds { "yes" } else { "no" }
    ));
    body.push_str(&figure_link("spectral-norm-vs-bai-yin.svg", "spectral norm relative to Bai–Yin vs n"));
    Ok(Section {
        id: "spectral-norms",
        title: "Spectral norms vs Bai–Yin".into(),
        claim: "‖W‖ ≈ √s2 (√m + √n) as m, n → ∞ with m/n fixed".into(),
        verdict,
        truth: "the ratio tends to 1 with a finite-size deficit that shrinks with n; orthogonal is exact".into(),
        body,
        figures: vec![("spectral-norm-vs-bai-yin.svg".into(), figure)],
    })
}

/// Marchenko–Pastur histograms for several γ and every strategy.
///
/// # Errors
/// A failing check matrix or LAPACK call.
pub fn histograms(shapes: &ShapeStudies) -> Result<Section> {
    /// Largest KS distance of pooled eigenvalues to MP accepted. Eigenvalues of one matrix are
    /// dependent, so no iid critical value applies; the bound is empirical: at these sizes the
    /// finite-size distance is ≈ 0.01, and a wrong normalisation (e.g. dropping 1/γ or using
    /// W Wᵀ instead of W Wᵀ/n) moves it above 0.2.
    const KS_BOUND: f64 = 0.05;
    let mut rows = Vec::new();
    let mut figures_out = Vec::new();
    let mut all_ok = true;
    let mut body_links = String::new();
    for study in shapes.studies.iter().skip(2) {
        for r in &study.strategies {
            let e = &r.empirical;
            let ok = r.ks_distance.map(|d| d <= KS_BOUND).unwrap_or(true);
            all_ok &= ok;
            rows.push(vec![
                format!("{}×{} (γ = {})", study.m, study.n, sig(study.gamma, 3)),
                r.strategy.clone(),
                format!("[{}, {}]", sig(r.predicted.mp_support.lower, 4), sig(r.predicted.mp_support.upper, 4)),
                format!(
                    "[{}, {}]",
                    pm4(e.lambda_min.mean, e.lambda_min.stderr),
                    pm4(e.lambda_max.mean, e.lambda_max.stderr)
                ),
                r.ks_distance.map(|d| sig(d, 2)).unwrap_or("point mass".into()),
            ]);
        }
        let overlay = format!("mp-overlay-m{}-n{}.svg", study.m, study.n);
        body_links.push_str(&figure_link(
            &overlay,
            &format!("spectra of every strategy at m = {}, n = {}", study.m, study.n),
        ));
        let mut figure = figures::all_strategies(study);
        figure.size = (1150, 600); // room for the subtitle with its atom note
        figures_out.push((overlay, figure));
        if let Some(r) = study.strategies.iter().find(|r| r.strategy == "arithmetic") {
            let single = format!("mp-arithmetic-m{}-n{}.svg", study.m, study.n);
            body_links.push_str(&figure_link(
                &single,
                &format!("arithmetic spectrum vs Marchenko–Pastur at m = {}, n = {}", study.m, study.n),
            ));
            let mut figure = figures::strategy_spectrum(study, r);
            figure.size = (1150, 600);
            figures_out.push((single, figure));
        }
    }
    // The unnormalised W Wᵀ of a tall matrix: count its numerically zero eigenvalues directly.
    let (m, n) = shapes.studies.last().map(|s| (s.m, s.n)).unwrap_or((48, 12));
    let w = crate::sample::sample(Strategy::Arithmetic, m, n, &mut crate::sample::trial_rng(SEED, 0))?;
    let full = &w * w.transpose();
    let eig = crate::spectrum::symmetric_eigenvalues(&full)?;
    let top = eig[eig.len() - 1];
    let zeros = eig.iter().filter(|&&l| l.abs() <= 1e-10 * top).count();
    let s2 = Strategy::Arithmetic.variance(m, n)?;
    let unnormalised_upper = s2 * ((n as f64).sqrt() + (m as f64).sqrt()).powi(2);
    let zeros_ok = zeros == m.saturating_sub(n);
    let edge_ok = (top / unnormalised_upper - 1.0).abs() < 0.1;
    let verdict = Verdict::of(all_ok && zeros_ok && edge_ok);
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"with ratio γ = m/n, the eigenvalues of the (suitably normalised) Gram matrix W Wᵀ \
         follow the MP law with edges λ± = s2 (1 ± sqrt γ)^2 … for S = W Wᵀ / n the MP edges are s2 (1 ± sqrt γ)^2; \
         for the unnormalised W Wᵀ they are s2 (sqrt n ± sqrt m)^2. When m > n, W Wᵀ has m − n zero eigenvalues \
         (an atom at 0 of mass 1 − 1/γ).\"\n\n",
    );
    body.push_str(
        "**Closed form.** MP(γ, s2) on [s2(1−√γ)², s2(1+√γ)²] with an atom 1 − 1/γ at 0 when γ > 1 (see `rmspec law \
         mp`). Every Gaussian strategy gives the same shape scaled by its s2; orthogonal is a point mass at \
         max(m, n)·s2/n.\n\n",
    );
    body.push_str(&format!(
        "Monte Carlo: {} matrices per strategy and shape, seed {SEED}; pooled nonzero eigenvalues of S = W Wᵀ/n. \
         KS distance to MP (atom included) ≤ {KS_BOUND} for every Gaussian strategy: **{}** (an empirical bound: \
         eigenvalues of one matrix are dependent, so no iid p-value applies). The KS distances are evaluated \
         on a 2²⁰-cell quantile grid of MP (pooled eigenvalues are counted, not stored): each is at most 9.6e−7 \
         below the exact statistic.\n\n",
        shapes.studies[0].trials,
        if all_ok { "yes" } else { "no" }
    ));
    body.push_str(&table(
        &["shape", "strategy", "MP support [λ−, λ+]", "observed [λmin⁺, λmax] (mean ± se)", "KS distance"],
        &rows,
    ));
    body.push_str(&format!(
        "Unnormalised W Wᵀ, one {m}×{n} arithmetic matrix (seed {SEED}), full {m}×{m} eigen-decomposition by \
         `dsyevd`: {zeros} eigenvalues are zero to 1e-10 relative (m − n = {}: **{}**); λmax(W Wᵀ) = {} vs \
         s2(√n + √m)² = {} (**{}** within 10%).\n\n",
        m.saturating_sub(n),
        if zeros_ok { "matches" } else { "does not match" },
        sig(top, 5),
        sig(unnormalised_upper, 5),
        if edge_ok { "yes" } else { "not" }
    ));
    body.push_str(
        "In the overlays, strategies with equal s2 draw the same curve (common random numbers): at m = n the \
         geometric, arithmetic, quadratic, LeCun and orthogonal variances all equal 1/n, and at m = 4n geometric \
         equals He; the legend lists every s2.\n\n",
    );
    body.push_str(&body_links);
    Ok(Section {
        id: "mp-histograms",
        title: "Marchenko–Pastur histograms for several γ and every strategy".into(),
        claim: "Gram eigenvalues follow MP with edges s2(1 ± √γ)² (S = W Wᵀ/n) or s2(√n ± √m)² (W Wᵀ), atom 1 − 1/γ when m > n".into(),
        verdict,
        truth: "holds for every Gaussian strategy and γ tested; orthogonal is a point mass, not MP".into(),
        body,
        figures: figures_out,
    })
}

/// ∫ of the stated density (without 1/γ) and of the correct one over the support, by
/// Gauss–Legendre in θ with x = c + r·cos θ (which removes the square-root edge singularities).
pub fn density_integrals(gamma: f64, s2: f64) -> Result<(f64, f64)> {
    let mp = MarchenkoPastur::new(gamma, s2)?;
    let (lo, hi) = (mp.lower_edge(), mp.upper_edge());
    let (c, r) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let rule = GaussLegendre::on_interval(200, 0.0, std::f64::consts::PI);
    // √((λ+ − x)(x − λ−)) = r sin θ and dx = r sin θ dθ.
    let stated = rule.integrate(|t| {
        let x = c + r * t.cos();
        (r * t.sin()).powi(2) / (2.0 * std::f64::consts::PI * s2 * x)
    });
    Ok((stated, stated / gamma))
}

/// Whether the stated density integrates to 1.
///
/// # Errors
/// An invalid law (not for the fixed parameters).
pub fn density_mass(shapes: &ShapeStudies) -> Result<Section> {
    let mut rows = Vec::new();
    let mut stated_ok = Vec::new();
    for gamma in [0.1, 0.25, 0.5, 1.0, 2.0, 4.0] {
        let s2 = 1.0;
        let (stated, correct) = density_integrals(gamma, s2)?;
        let mp = MarchenkoPastur::new(gamma, s2)?;
        let atom = mp.atom_at_zero();
        // The stated law is a probability law only if its continuous mass plus the atom is 1.
        stated_ok.push((stated + atom - 1.0).abs() < 1e-9);
        rows.push(vec![
            sig(gamma, 3),
            format!("{stated:.10}"),
            format!("{correct:.10}"),
            sig(atom, 4),
            format!("{:.10}", stated + atom),
        ]);
    }
    // Monte Carlo: the least-squares factor c with histogram ≈ c · (stated density); the stated
    // density is γ times the correct one, so c → 1/γ (1 only at γ = 1).
    let mut mc_rows = Vec::new();
    for study in &shapes.studies {
        if let Some(r) = study.strategies.iter().find(|r| r.strategy == "arithmetic") {
            let h = &r.histogram;
            let law = MarchenkoPastur::new(study.gamma, r.variance)?;
            let (mut hs, mut ss) = (0.0, 0.0);
            let support = law.support();
            let (lo, hi) = (support.lower + 0.1 * support.width(), support.upper - 0.1 * support.width());
            for (x, d) in h.centres().into_iter().zip(h.densities()).filter(|(x, _)| (lo..=hi).contains(x)) {
                let stated = study.gamma * law.density(x);
                hs += d * stated;
                ss += stated * stated;
            }
            let area: f64 = h.densities().iter().sum::<f64>() * h.bin_width();
            mc_rows.push(vec![
                format!("{}×{}", study.m, study.n),
                sig(study.gamma, 3),
                format!("{area:.6}"),
                sig(hs / ss, 4),
                sig(1.0 / study.gamma, 4),
            ]);
        }
    }
    let verdict = Verdict::of(stated_ok.iter().all(|&o| o));
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** The analysis writes the MP density without the 1/γ factor, i.e. \
         f(x) = √((λ+ − x)(x − λ−)) / (2π s2 x); does it integrate to 1?\n\n",
    );
    body.push_str(
        "**Closed form.** The correct continuous part √((λ+ − x)(x − λ−))/(2π s2 γ x) has mass min(1, 1/γ); \
         without 1/γ the mass is γ·min(1, 1/γ) = min(γ, 1). With the atom 1 − 1/γ (γ > 1) the stated law's total \
         mass is 2 − 1/γ. It is a probability law only at γ = 1. Integrals by 200-point Gauss–Legendre in θ \
         (x = c + r cos θ), s2 = 1 (the mass does not depend on s2):\n\n",
    );
    body.push_str(&table(&["γ", "∫ stated density", "∫ correct density", "atom 1 − 1/γ", "stated total mass"], &rows));
    body.push_str(&format!(
        "Monte Carlo (the arithmetic histograms of the previous section, {} matrices each, seed {SEED}): the area \
         under the histogram of S's nonzero eigenvalues, normalised by all m eigenvalues, is the continuous mass \
         min(1, 1/γ); and the least-squares factor c with histogram ≈ c · (stated density), fitted on the bins in the \
         middle 80% of the support (edge bins average a density with square-root or, at γ = 1, 1/√x behaviour), \
         is 1/γ, not 1:\n\n",
        shapes.studies[0].trials
    ));
    body.push_str(&table(&["shape", "γ", "histogram area", "fitted c: histogram / stated density", "1/γ"], &mc_rows));
    Ok(Section {
        id: "mp-density-mass",
        title: "Does the stated MP density integrate to 1?".into(),
        claim: "MP density written without the 1/γ factor".into(),
        verdict,
        truth: "its integral is min(γ, 1) (e.g. 0.25 at γ = 0.25); total mass with the atom is 2 − 1/γ for γ > 1; only γ = 1 gives 1".into(),
        body,
        figures: Vec::new(),
    })
}

/// Condition number vs γ for every strategy.
///
/// # Errors
/// A failing experiment.
pub fn condition_numbers(size: ReportSize) -> Result<Section> {
    let (n, trials, gammas): (usize, usize, Vec<f64>) = match size {
        ReportSize::Full => (100, 20, vec![0.1, 0.2, 0.3, 0.5, 0.7, 1.5, 2.0, 3.0, 5.0, 10.0]),
        ReportSize::Quick => (20, 3, vec![0.25, 4.0]),
    };
    let mut studies = Vec::new();
    for &gamma in &gammas {
        studies.push(run_spectrum((gamma * n as f64).round() as usize, n, Strategy::ALL_NAMED.to_vec(), trials)?);
    }
    // Claim check: at γ = 1/4 and every m ≠ n studied, is κ lowest for geometric, highest for quadratic?
    let mut ordering_claim_holds = Vec::new();
    let mut rows = Vec::new();
    for study in &studies {
        let kappa = |name: &str| {
            study
                .strategies
                .iter()
                .find(|r| r.strategy == name)
                .map(|r| r.predicted.gram_condition_number)
                .unwrap_or(f64::NAN)
        };
        let (g, a, q) = (kappa("geometric"), kappa("arithmetic"), kappa("quadratic"));
        ordering_claim_holds.push(g < a && a < q);
        let mut row = vec![format!("{}×{}", study.m, study.n), sig(study.gamma, 3), sig(g, 5)];
        for r in &study.strategies {
            let c = &r.empirical.condition_number;
            row.push(pm4(c.mean, c.stderr));
        }
        rows.push(row);
    }
    let mut figure = Figure::new(
        "Condition number κ(W) = σmax/σmin vs aspect ratio γ = m/n, per strategy",
        format!(
            "n = {n}, m = γn, {trials} trials per point, seed {SEED}; line: Bai–Yin (1+√γ)/|1−√γ|; points offset ±6% in γ for legibility (Gaussian ones coincide)"
        ),
        "aspect ratio γ = m/n (log scale)",
        "κ(W) = σmax/σmin (log scale); κ(S) = κ(W)²",
    );
    figure.x_scale = Scale::Log10;
    figure.y_scale = Scale::Log10;
    for branch in [(0.08f64, 0.8f64), (1.25, 12.5)] {
        let curve: Vec<(f64, f64)> = (0..=100)
            .map(|k| {
                let gamma = branch.0 * (branch.1 / branch.0).powf(k as f64 / 100.0);
                let root = gamma.sqrt();
                (gamma, (1.0 + root) / (1.0 - root).abs())
            })
            .collect();
        figure.series.push(Series {
            label: (branch.0 < 1.0).then(|| "Bai–Yin limit, every Gaussian strategy".to_string()),
            colour: PALETTE[0],
            mark: Mark::Line,
            points: curve,
        });
    }
    figure.series.push(Series {
        label: Some("orthogonal: exactly 1".into()),
        colour: PALETTE[0],
        mark: Mark::Dashed,
        points: vec![(0.08, 1.0), (12.5, 1.0)],
    });
    for (i, strategy) in Strategy::ALL_NAMED.iter().enumerate() {
        let offset = 1.0 + 0.06 * (i as f64 - 2.5) / 2.5;
        let mut points = Vec::new();
        let mut errors = Vec::new();
        for study in &studies {
            let r = &study.strategies[i];
            points.push((study.gamma * offset, r.empirical.condition_number.mean));
            errors.push(r.empirical.condition_number.stderr);
        }
        figure.series.push(Series {
            label: Some(strategy.to_string()),
            colour: series_colour(i),
            mark: Mark::Points { errors: Some(errors) },
            points,
        });
    }
    figure.legend = LegendPosition::UpperLeft;
    let mut header = vec!["shape", "γ", "κ(S) = λ+/λ− theory, every Gaussian strategy"];
    let names: Vec<String> = Strategy::ALL_NAMED.iter().map(|s| format!("κ(W) MC {s}")).collect();
    header.extend(names.iter().map(String::as_str));
    let verdict = Verdict::combine(&ordering_claim_holds);
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"claims the condition number λ+/λ− is lowest for geometric and highest for \
         quadratic (check: does λ+/λ− depend on s2 at all?)\"\n\n",
    );
    body.push_str(
        "**Closed form.** λ+/λ− = (1+√γ)²/(1−√γ)² = κ(W)²: s2 cancels, so every Gaussian strategy has the same \
         condition number at a given γ, and the orthogonal strategy has κ = 1 exactly. A strategy only rescales W, \
         and κ is scale-invariant; with common random numbers the sampled κ are identical across Gaussian \
         strategies, not just equal in law.\n\n",
    );
    body.push_str(&format!(
        "Monte Carlo: n = {n}, m = γn, {trials} matrices per strategy and γ, seed {SEED}; mean ± se of κ(W). \
         The finite-size mean lies above the limit (σmin fluctuates towards 0), most near γ = 1.\n\n"
    ));
    body.push_str(&table(&header, &rows));
    body.push_str(&figure_link("condition-number-vs-gamma.svg", "condition number vs aspect ratio"));
    Ok(Section {
        id: "condition-number",
        title: "Condition number vs γ for every strategy".into(),
        claim: "λ+/λ− is lowest for geometric and highest for quadratic".into(),
        verdict,
        truth:
            "λ+/λ− = ((1+√γ)/(1−√γ))² does not depend on s2: identical for every Gaussian strategy; orthogonal has 1"
                .into(),
        body,
        figures: vec![("condition-number-vs-gamma.svg".into(), figure)],
    })
}

/// The Tracy–Widom prediction for the largest eigenvalue of S at (m, n, s2): its mean and
/// standard deviation, λmax(S) ≈ (s2/n)(μ + σ·TW₁) with Johnstone's centring μ and scaling σ
/// (Ma's n − ½, m − ½ constants; see [`EdgeScaling`]) and E TW₁, sd TW₁ from the law itself.
///
/// # Errors
/// Zero sizes.
pub fn tracy_widom_edge(m: usize, n: usize, s2: f64) -> Result<(f64, f64)> {
    let scaling = EdgeScaling::new(m, n)?;
    let tw1 = TracyWidom::new(1)?;
    let mean = scaling.lambda_max_at(tw1.mean(), s2);
    let unit = scaling.lambda_max_at(1.0, s2) - scaling.lambda_max_at(0.0, s2);
    Ok((mean, unit * tw1.variance().sqrt()))
}

/// Least-squares slope of log y against log x.
fn log_log_slope(points: &[(f64, f64)]) -> f64 {
    let k = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0.ln(), a.1 + p.1.ln()));
    let (mx, my) = (sx / k, sy / k);
    let (num, den) = points.iter().fold((0.0, 0.0), |a, p| {
        let dx = p.0.ln() - mx;
        (a.0 + dx * (p.1.ln() - my), a.1 + dx * dx)
    });
    num / den
}

/// Finite-size fluctuations of the largest eigenvalue.
///
/// # Errors
/// Never for a finished sweep (kept for uniformity).
pub fn edge_fluctuations(sweep: &SizeSweep) -> Result<Section> {
    /// Accepted distance of the fitted exponent from −2/3: the standard deviations are estimated
    /// from ~100 trials (≈ 7% relative error each, slope error ≈ 0.04 over a factor 16 in n) and
    /// the smallest sizes carry O(n^{−1/3}) corrections to the scaling; calibrated on this sweep.
    const SLOPE_TOLERANCE: f64 = 0.15;
    let mut rows = Vec::new();
    let mut slopes = Vec::new();
    let mut fits = Vec::new();
    let mut figure = Figure::new(
        "Fluctuations of λmax(S) at finite size vs the n^(−2/3) edge scaling",
        format!(
            "S = W Wᵀ/n, arithmetic s2, m = γn, {} trials per point, seed {SEED}; points: standard deviation of λmax/λ+ over trials; dashed: slope −2/3",
            sweep.by_gamma[0].1[0].trials
        ),
        "n = fan-out (log scale)",
        "sd(λmax)/λ+ (log scale)",
    );
    figure.x_scale = Scale::Log10;
    figure.y_scale = Scale::Log10;
    for (i, (gamma, studies)) in sweep.by_gamma.iter().enumerate() {
        let mut points = Vec::new();
        for s in studies {
            let r = &s.strategies[0];
            let lm = &r.empirical.lambda_max;
            let sd = lm.stderr * (s.trials as f64).sqrt();
            let upper = r.predicted.mp_support.upper;
            points.push((s.n as f64, sd / upper));
            let (tw_mean, tw_sd) = tracy_widom_edge(s.m, s.n, r.variance)?;
            let fit = r
                .edge_fit
                .as_ref()
                .ok_or_else(|| crate::Error::InvalidInput("the edge section needs the λmax fit of each run".into()))?;
            fits.push(fit.p_value);
            rows.push(vec![
                sig(*gamma, 3),
                s.m.to_string(),
                s.n.to_string(),
                sig(upper, 5),
                pm4(lm.mean, lm.stderr),
                sig(sd, 3),
                sig(sd / upper * (s.n as f64).powf(2.0 / 3.0), 3),
                sig(tw_mean, 5),
                sig(tw_sd, 3),
                format!("{} (p = {})", sig(fit.statistic, 3), sig(fit.p_value, 3)),
            ]);
        }
        let slope = log_log_slope(&points);
        slopes.push((*gamma, slope));
        let colour = series_colour(i);
        let anchor = points[0];
        figure.series.push(Series {
            label: Some(format!("γ = {} (fitted slope {})", sig(*gamma, 2), sig(slope, 3))),
            colour,
            mark: Mark::Points { errors: None },
            points: points.clone(),
        });
        let last = points[points.len() - 1].0;
        figure.series.push(Series {
            label: None,
            colour,
            mark: Mark::Dashed,
            points: vec![anchor, (last, anchor.1 * (last / anchor.0).powf(-2.0 / 3.0))],
        });
    }
    figure.legend = LegendPosition::UpperRight;
    // One KS test per run (each valid: one λmax per independent matrix), Bonferroni over the runs.
    let alpha = 0.001;
    let tw_consistent = fits.iter().all(|&p| p > alpha / fits.len() as f64);
    let verdict = Verdict::of(slopes.iter().all(|(_, s)| (s + 2.0 / 3.0).abs() <= SLOPE_TOLERANCE) && tw_consistent);
    let mut body = String::new();
    body.push_str(
        "**Claim (implicit in the analysis).** The Bai–Yin edge is a limit; the analysis names Johnstone (2001) \
         for the largest eigenvalue's Tracy–Widom centring and scaling: at finite size λmax(S) fluctuates around \
         λ+ = s2(1+√γ)² on the scale n^{−2/3}.\n\n",
    );
    body.push_str(&format!(
        "**Closed form.** sd(λmax) ∝ n^{{−2/3}} at fixed γ (Johnstone's scale σ_{{n}} = s2 (√n+√m)(1/√n+1/√m)^{{1/3}}/n, \
         times the standard deviation of TW₁). Fitted log–log slopes: {} (expected −0.667; accepted within \
         ±{SLOPE_TOLERANCE}, see the code for the calibration).\n\n",
        slopes.iter().map(|(g, s)| format!("γ = {}: {}", sig(*g, 2), sig(*s, 3))).collect::<Vec<_>>().join(", ")
    ));
    body.push_str(&format!(
        "**Tracy–Widom comparison.** λmax(S) ≈ (s2/n)(μ + σ·TW₁) with Johnstone's centring and scaling (Ma's \
         n − ½, m − ½ constants), so the predicted mean is (s2/n)(μ + σ·E TW₁) with E TW₁ = −1.2065 and the \
         predicted standard deviation (s2/n)·σ·1.2680. The last column is the Kolmogorov–Smirnov distance of the \
         scaled λmax of each run to TW₁ with its p-value (valid: one λmax per independent matrix); the verdict \
         asks every p-value to exceed {alpha}/{} (Bonferroni over the runs) and every fitted slope to be near −2/3.\n\n",
        fits.len()
    ));
    body.push_str(&table(
        &["γ", "m", "n", "λ+", "λmax mean ± se", "sd(λmax)", "sd/λ+ · n^(2/3)", "TW mean", "TW sd", "KS vs TW₁"],
        &rows,
    ));
    body.push_str(&figure_link("edge-fluctuations.svg", "standard deviation of λmax vs n"));
    Ok(Section {
        id: "edge-fluctuations",
        title: "Edge fluctuations at finite size".into(),
        claim: "λmax(S) sits at λ+ up to Tracy–Widom fluctuations of order n^(−2/3)".into(),
        verdict,
        truth: format!(
            "fitted exponents {} vs −2/3; λmax vs TW₁ (Johnstone–Ma scaling): smallest KS p-value {} over {} runs",
            slopes.iter().map(|(_, s)| sig(*s, 3)).collect::<Vec<_>>().join(", "),
            sig(fits.iter().copied().fold(1.0, f64::min), 3),
            fits.len()
        ),
        body,
        figures: vec![("edge-fluctuations.svg".into(), figure)],
    })
}
