//! Claim: the Marchenko–Pastur density as the analysis writes it (without the 1/γ factor) is a
//! probability density. Its integral by quadrature for several γ, and the factor by which the
//! report's arithmetic histograms differ from it.

use super::spectra::ShapeStudies;
use super::{table, Claim, Section, Verdict, SEED};
use crate::error::Result;
use crate::law::quadrature::GaussLegendre;
use crate::law::{MarchenkoPastur, SpectralLaw};
use crate::output::number::sig;
use crate::shape::Shape;
use crate::strategy::Strategy;

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

/// The stated density's integrals per γ, and the histogram fit per shape.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityMass {
    /// Per γ: (γ, ∫ stated, ∫ correct, atom).
    pub integrals: Vec<(f64, f64, f64, f64)>,
    /// Per shape with an arithmetic run: (shape, histogram area, fitted factor c).
    pub fits: Vec<(Shape, f64, f64)>,
}

/// The integrals by quadrature and the least-squares factor c with histogram ≈ c · (stated
/// density) on the arithmetic histograms; the stated density is γ times the correct one, so
/// c → 1/γ (1 only at γ = 1).
///
/// # Errors
/// An invalid law (not for the fixed parameters).
pub fn compute_density_mass(shapes: &ShapeStudies) -> Result<DensityMass> {
    let mut integrals = Vec::new();
    for gamma in [0.1, 0.25, 0.5, 1.0, 2.0, 4.0] {
        let (stated, correct) = density_integrals(gamma, 1.0)?;
        integrals.push((gamma, stated, correct, MarchenkoPastur::new(gamma, 1.0)?.atom_at_zero()));
    }
    let mut fits = Vec::new();
    for study in &shapes.studies {
        if let Some(r) = study.strategies.iter().find(|r| r.strategy == Strategy::Arithmetic) {
            let gamma = study.shape.gamma();
            let h = &r.histogram;
            let law = MarchenkoPastur::new(gamma, r.variance)?;
            let (mut hs, mut ss) = (0.0, 0.0);
            let support = law.support();
            let (lo, hi) = (support.lower + 0.1 * support.width(), support.upper - 0.1 * support.width());
            for (x, d) in h.centres().into_iter().zip(h.densities()).filter(|(x, _)| (lo..=hi).contains(x)) {
                let stated = gamma * law.density(x);
                hs += d * stated;
                ss += stated * stated;
            }
            let area: f64 = h.densities().iter().sum::<f64>() * h.bin_width();
            fits.push((study.shape, area, hs / ss));
        }
    }
    Ok(DensityMass { integrals, fits })
}

/// Whether the stated density integrates to 1.
///
/// # Errors
/// An invalid law (not for the fixed parameters).
pub fn density_mass(shapes: &ShapeStudies) -> Result<Section> {
    Ok(render_density_mass(&compute_density_mass(shapes)?, shapes.studies[0].trials))
}

/// Whether every fitted factor c lies closer to 1/γ than to 1 (at γ ≠ 1), as a phrase.
pub(super) fn fitted_factor_phrase(fits: &[(Shape, f64, f64)]) -> String {
    let off_square: Vec<&(Shape, f64, f64)> = fits.iter().filter(|f| f.0.m() != f.0.n()).collect();
    let near_inverse = off_square.iter().all(|(shape, _, c)| (c - 1.0 / shape.gamma()).abs() < (c - 1.0).abs());
    if near_inverse {
        "closer to 1/γ than to 1 at every γ ≠ 1".into()
    } else {
        "not closer to 1/γ than to 1 at every γ ≠ 1".into()
    }
}

/// The density-mass section from its numbers (`trials` per histogram).
pub fn render_density_mass(mass: &DensityMass, trials: usize) -> Section {
    let mut rows = Vec::new();
    let mut stated_ok = Vec::new();
    let mut short_of_one = Vec::new();
    for &(gamma, stated, correct, atom) in &mass.integrals {
        // The stated density is a probability density (of the nonzero eigenvalues) when it
        // integrates to 1; the quadrature is exact to ~1e−15 here.
        let integrates_to_one = (stated - 1.0).abs() < 1e-9;
        stated_ok.push(integrates_to_one);
        if !integrates_to_one {
            short_of_one.push(format!("{} at γ = {}", sig(stated, 3), sig(gamma, 2)));
        }
        rows.push(vec![
            sig(gamma, 3),
            format!("{stated:.10}"),
            format!("{correct:.10}"),
            sig(atom, 4),
            format!("{:.10}", stated + atom),
        ]);
    }
    let mc_rows: Vec<Vec<String>> = mass
        .fits
        .iter()
        .map(|(shape, area, c)| {
            vec![
                shape.to_string(),
                sig(shape.gamma(), 3),
                format!("{area:.6}"),
                sig(*c, 4),
                sig(1.0 / shape.gamma(), 4),
            ]
        })
        .collect();
    let verdict = Verdict::of(stated_ok.iter().all(|&o| o));
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** The analysis writes the MP density without the 1/γ factor, i.e. \
         f(x) = √((λ+ − x)(x − λ−)) / (2π s2 x); does it integrate to 1?\n\n",
    );
    body.push_str(
        "**Closed form.** The correct continuous part √((λ+ − x)(x − λ−))/(2π s2 γ x) has mass min(1, 1/γ); \
         without 1/γ the mass is γ·min(1, 1/γ) = min(γ, 1). So for γ < 1 (more outputs than inputs, as in every \
         non-square example of the analysis) the stated density integrates to γ, not 1; for γ ≥ 1 it integrates \
         to 1 and is the correct density of the nonzero eigenvalues alone (the m − n zeros left out; adding the \
         atom 1 − 1/γ to it would give 2 − 1/γ). Integrals by 200-point Gauss–Legendre in θ (x = c + r cos θ), \
         s2 = 1 (the mass does not depend on s2):\n\n",
    );
    body.push_str(&table(
        &["γ", "∫ stated density", "∫ correct density", "atom 1 − 1/γ", "stated density + atom"],
        &rows,
    ));
    body.push_str(&format!(
        "Monte Carlo (the arithmetic histograms of the previous section, {} matrices each, seed {SEED}): the area \
         under the histogram of S's nonzero eigenvalues, normalised by all m eigenvalues, is the continuous mass \
         min(1, 1/γ); and the least-squares factor c with histogram ≈ c · (stated density), fitted on the bins in the \
         middle 80% of the support (edge bins average a density with square-root or, at γ = 1, 1/√x behaviour), \
         is {}:\n\n",
        trials,
        fitted_factor_phrase(&mass.fits)
    ));
    body.push_str(&table(&["shape", "γ", "histogram area", "fitted c: histogram / stated density", "1/γ"], &mc_rows));
    Section {
        id: "mp-density-mass",
        title: "Does the stated MP density integrate to 1?".into(),
        claims: vec![Claim::new(
            "MP density written without the 1/γ factor: √((λ+ − x)(x − λ−))/(2π s2 x)",
            verdict,
            if short_of_one.is_empty() {
                "it integrates to 1 at every γ tested".to_string()
            } else {
                format!(
                    "it integrates to min(γ, 1): {} — not a density for γ < 1; for γ ≥ 1 it is the correct density of the nonzero eigenvalues",
                    short_of_one.join(", ")
                )
            },
        )],
        body,
        figures: Vec::new(),
    }
}
