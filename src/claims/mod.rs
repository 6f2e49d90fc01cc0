//! The report behind `rmspec report`: every claim of the source analysis (SEED-NOTES.md) beside
//! its closed-form value, a seeded Monte Carlo estimate and a verdict computed from the numbers.
//!
//! | section | module |
//! |---|---|
//! | the three means and their inequality | [`means`] |
//! | single layers, the 64→128→256→128→64 chain, gains vs aspect ratio, nonlinear chains, gradient norms, the conclusions | [`layers`] |
//! | spectral norms vs Bai–Yin, Marchenko–Pastur histograms, the stated density's mass, condition numbers, edge fluctuations | [`spectra`] |
//! | deep chains: singular-value spread vs depth, the two-layer composite gain | [`depth`] |
//!
//! [`generate`] returns the markdown and the figures as bytes; nothing is written here, so the
//! CLI can either write them (atomically) or compare them with the files on disk (`--check`).
//! Every experiment is seeded and reduced in trial order, and figures render deterministically,
//! so the output is byte-identical for any thread count.
//!
//! **Verdicts** are computed, never written in: a stated number "holds" when it lies within
//! half a unit of its last stated digit (its own rounding) plus 5 Monte Carlo standard errors of
//! the true value; otherwise it "does not hold", and the section says what is true instead.

pub mod depth;
pub mod layers;
pub mod means;
pub mod spectra;

use crate::error::Result;
use crate::plot::{render, Figure, ImageFormat};
use crate::report::num;

/// How large the report's experiments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportSize {
    /// The published report (about a minute or two on two cores).
    #[default]
    Full,
    /// Tiny sizes for the test suite only: same code paths, meaningless statistics.
    Quick,
}

/// The seed of every experiment in the report.
pub const SEED: u64 = 2021;

/// A linear chain through `widths` for the six named strategies at the report's seed: the
/// propagation study most sections start from.
///
/// # Errors
/// Invalid widths, trials or batch.
pub fn linear_chain_study(
    widths: Vec<usize>,
    trials: usize,
    batch: usize,
) -> Result<crate::experiment::propagation::PropagationStudy> {
    crate::experiment::propagation::run(&crate::experiment::propagation::PropagationConfig {
        widths,
        strategies: crate::strategy::Strategy::ALL_NAMED.to_vec(),
        activation: crate::activation::Activation::Linear,
        trials,
        batch,
        seed: SEED,
    })
}

/// A verdict on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The claim agrees with the computed values.
    Holds,
    /// Part of the claim holds, part does not (the section says which).
    Partly,
    /// The claim disagrees with the computed values.
    DoesNotHold,
    /// Not a claim but an open question of the analysis, answered with numbers.
    Question,
}

impl Verdict {
    /// From a list of sub-verdicts: all hold → holds, none → does not hold, else partly.
    pub fn combine(parts: &[bool]) -> Self {
        if parts.iter().all(|&p| p) {
            Verdict::Holds
        } else if parts.iter().any(|&p| p) {
            Verdict::Partly
        } else {
            Verdict::DoesNotHold
        }
    }

    /// From one boolean.
    pub fn of(holds: bool) -> Self {
        if holds {
            Verdict::Holds
        } else {
            Verdict::DoesNotHold
        }
    }

    /// Markdown text.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Holds => "**holds**",
            Verdict::Partly => "**partly holds**",
            Verdict::DoesNotHold => "**does not hold**",
            Verdict::Question => "open question, answered",
        }
    }
}

/// Whether a stated value agrees with the truth: within half a unit of its last stated digit
/// (`decimals` after the point) plus 5 standard errors of the Monte Carlo estimate (`stderr`,
/// 0 for a closed form).
pub fn stated_value_holds(stated: f64, truth: f64, decimals: u32, stderr: f64) -> bool {
    let rounding = 0.5 * 10f64.powi(-(decimals as i32));
    let se = if stderr.is_finite() { stderr } else { 0.0 };
    (stated - truth).abs() <= rounding + 5.0 * se + 1e-12
}

/// One section of the report.
#[derive(Debug, Clone)]
pub struct Section {
    /// Anchor and figure-name prefix.
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// The claim in one line, for the summary table.
    pub claim: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What is true, in one line, for the summary table.
    pub truth: String,
    /// Markdown body (figures referenced as `{plots}/name.svg`).
    pub body: String,
    /// Figures: file name (without directory) and description.
    pub figures: Vec<(String, Figure)>,
}

/// Everything the report consists of.
#[derive(Debug, Clone)]
pub struct Report {
    /// The markdown text.
    pub markdown: String,
    /// Figures as (file name, SVG bytes).
    pub figures: Vec<(String, Vec<u8>)>,
}

/// Placeholder token replaced by the relative link from the report to the plots directory.
pub const PLOTS: &str = "{plots}";

/// Runs every section and assembles the report. `plots_link` is the path of the plots directory
/// relative to the report's directory (e.g. `../plots`).
///
/// # Errors
/// A failing experiment or figure.
pub fn generate(size: ReportSize, plots_link: &str) -> Result<Report> {
    let chain = layers::chain_study(size)?;
    let shapes = spectra::shape_studies(size)?;
    let sweep = spectra::size_sweep(size)?;
    let sections = vec![
        means::section()?,
        layers::single_layer(size)?,
        layers::chain(&chain)?,
        layers::gains_vs_aspect_ratio(size)?,
        spectra::spectral_norms(&shapes, &sweep)?,
        spectra::histograms(&shapes)?,
        spectra::density_mass(&shapes)?,
        spectra::condition_numbers(size)?,
        spectra::edge_fluctuations(&sweep)?,
        depth::section(size)?,
        layers::gradient_norms(&chain)?,
        layers::nonlinear(size)?,
        layers::conclusions(&chain)?,
    ];
    let mut md = String::new();
    md.push_str("# rmspec report: the claims of the source analysis, checked\n\n");
    md.push_str(
        "Generated by `rmspec report` (do not edit by hand; `rmspec report --check` fails when this file or a \
         figure is stale). Every claim of `SEED-NOTES.md` is stated as written, beside its closed-form value, a \
         seeded Monte Carlo estimate (mean ± standard error over independent trials) and a verdict computed \
         from those numbers.\n\n",
    );
    md.push_str(&format!(
        "Conventions: W ∈ ℝ^{{m×n}}, m = fan-in (rows), n = fan-out (columns), a layer computes y = Wᵀx; s2 is \
         the entry variance; γ = m/n; S = W Wᵀ/n. Forward gain of a layer m·s2, backward gain n·s2. Seed {SEED} \
         for every experiment (trial t draws from a Xoshiro256++ generator seeded by ChaCha8 stream t).\n\n"
    ));
    md.push_str(
        "Verdict rule: a stated number holds when it lies within half a unit of its last stated digit plus 5 \
         Monte Carlo standard errors of the true value.\n\n",
    );
    if size == ReportSize::Quick {
        md.push_str("**Quick mode: tiny sizes for tests; the numbers below are not meaningful.**\n\n");
    }
    md.push_str("## Summary\n\n| # | claim | verdict | what is true |\n|---|---|---|---|\n");
    for (i, s) in sections.iter().enumerate() {
        md.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            i + 1,
            s.id,
            s.claim.replace('|', "\\|"),
            s.verdict.label(),
            s.truth.replace('|', "\\|")
        ));
    }
    md.push('\n');
    let mut figures = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        md.push_str(&format!("<a id=\"{}\"></a>\n## {}. {}\n\n", s.id, i + 1, s.title));
        md.push_str(&format!("**Verdict:** {}. {}\n\n", s.verdict.label(), s.truth));
        md.push_str(&s.body.replace(PLOTS, plots_link));
        if !s.body.ends_with('\n') {
            md.push('\n');
        }
        md.push('\n');
        for (name, figure) in &s.figures {
            figures.push((name.clone(), render(figure, ImageFormat::Svg)?));
        }
    }
    Ok(Report { markdown: md, figures })
}

/// A markdown table.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out.push('\n');
    out
}

/// A figure link line.
pub(crate) fn figure_link(name: &str, caption: &str) -> String {
    format!("![{caption}]({PLOTS}/{name})\n\n")
}

/// `mean ± se` with 4 significant digits for both.
pub(crate) fn pm4(mean: f64, stderr: f64) -> String {
    if stderr.is_finite() {
        format!("{} ± {}", sig(mean, 4), sig(stderr, 2))
    } else {
        sig(mean, 4)
    }
}

/// A number with `digits` significant digits (plain notation in [1e-4, 1e6)).
pub(crate) fn sig(v: f64, digits: i32) -> String {
    if !v.is_finite() || v == 0.0 {
        return num(v);
    }
    let a = v.abs();
    if !(1e-4..1e6).contains(&a) {
        return format!("{:.*e}", (digits - 1).max(0) as usize, v);
    }
    let decimals = (digits - 1 - a.log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_values_are_judged_by_rounding_and_standard_error() {
        assert!(stated_value_holds(0.94, 0.9449, 2, 0.0));
        assert!(!stated_value_holds(0.94, 0.6667, 2, 0.001));
        assert!(stated_value_holds(1.0012, 1.0, 4, 0.0003));
        assert!(!stated_value_holds(1.0012, 0.4, 4, 0.001));
        assert_eq!(Verdict::combine(&[true, false]), Verdict::Partly);
        assert_eq!(Verdict::combine(&[false, false]), Verdict::DoesNotHold);
        assert_eq!(Verdict::combine(&[true]), Verdict::Holds);
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(0.666666, 4), "0.6667");
        assert_eq!(sig(12.3456, 4), "12.35");
        assert_eq!(sig(1.5e-6, 2), "1.5e-6");
    }
}
