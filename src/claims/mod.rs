//! The report behind `rmspec report`: every claim of the source analysis (a 2021 blog post on
//! initialising non-square weight matrices, quoted claim by claim in the report) beside
//! its closed-form value, a seeded Monte Carlo estimate and a verdict computed from the numbers.
//!
//! | section | module |
//! |---|---|
//! | the three means and their inequality | [`means`] |
//! | single layers, the 64→128→256→128→64 chain, gains vs aspect ratio | [`layers`] |
//! | gradient norms, nonlinear chains, the conclusions | [`gradients`] |
//! | spectral norms vs Bai–Yin, Marchenko–Pastur histograms | [`spectra`] |
//! | the stated density's mass | [`density`] |
//! | condition numbers vs γ, edge fluctuations | [`edges`] |
//! | deep chains: singular-value spread vs depth, the two-layer composite gain | [`depth`] |
//! | deep networks through the Jacobian's singular-value law (free probability) | [`jacobian`] |
//!
//! Each section is split in two: a `compute` step that runs the experiments and returns a typed
//! result (numbers, strategies, studies), and a `render` step that turns it into a [`Section`]:
//! markdown and figure models (built by [`crate::figures`]). The experiments' sizes come from
//! one table, [`Sizes`]; verdicts follow one rule ([`verdict`]). [`generate`] returns the
//! markdown and the figures as bytes; nothing is written here, so the CLI can either write them
//! (atomically) or compare them with the files on disk (`--check`). Every experiment is seeded
//! and reduced in trial order, and figures render deterministically, so the output is
//! byte-identical for any thread count.

pub mod density;
pub mod depth;
pub mod edges;
pub mod gradients;
pub mod jacobian;
pub mod layers;
pub mod means;
pub mod spectra;
pub mod verdict;

#[cfg(test)]
mod tests;

pub use verdict::{stated_value_holds, Verdict};

use crate::error::Result;
use crate::experiment::propagation::{self, PropagationConfig, PropagationStudy};
use crate::plot::{render, Figure, ImageFormat};

/// Sizes of the Jacobian-law section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JacobianSizes {
    /// Constant width of the laws along depth (the law depends on it only through σ² = w·s2).
    pub width: usize,
    /// Depths of the laws.
    pub depths: &'static [usize],
    /// Depths whose densities are drawn.
    pub density_depths: &'static [usize],
    /// Depth of the sampled networks.
    pub simulation_depth: usize,
    /// Their width.
    pub simulation_width: usize,
    /// Sampled networks per strategy.
    pub simulation_trials: usize,
}

/// How large the report's experiments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportSize {
    /// The published report (about a minute or two on two cores).
    #[default]
    Full,
    /// Tiny sizes for the test suite only: same code paths, meaningless statistics.
    Quick,
}

/// Trials and batch of a propagation experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batches {
    /// Independent networks.
    pub trials: usize,
    /// Inputs per trial.
    pub batch: usize,
}

/// Every size the report's experiments use, in one table per [`ReportSize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    /// The 64→128→256→128→64 chain (the chain, gradient-norm and conclusions sections).
    pub chain: Batches,
    /// The single 64×256 and 128×128 layers.
    pub single_layer: Batches,
    /// Gains vs aspect ratio, and the fixed fan-out n of those layers.
    pub gains: Batches,
    /// The fan-out of the gains section's layers.
    pub gains_fan_out: usize,
    /// The nonlinear chains.
    pub nonlinear: Batches,
    /// Fixed shapes (m, n) of the spectra sections; the first two give the spectral-norm table,
    /// the rest the histograms.
    pub shapes: &'static [(usize, usize)],
    /// Matrices per strategy and shape.
    pub shape_trials: usize,
    /// Fan-outs n of the size sweep (at each γ of [`spectra::SWEEP_GAMMAS`]).
    pub sweep_fan_outs: &'static [usize],
    /// Matrices per point of the size sweep.
    pub sweep_trials: usize,
    /// Fan-out n of the condition-number section.
    pub condition_fan_out: usize,
    /// Matrices per strategy and γ there.
    pub condition_trials: usize,
    /// Its aspect ratios γ.
    pub condition_gammas: &'static [f64],
    /// The composite m→n→m chains.
    pub composite: Batches,
    /// Their shapes (m, n).
    pub composite_shapes: &'static [(usize, usize)],
    /// Chains per strategy and pattern in the depth study.
    pub depth_trials: usize,
    /// Width patterns (name, repeated cycle) of the depth study.
    pub depth_patterns: &'static [(&'static str, &'static [usize])],
    /// Depths analysed.
    pub depths: &'static [usize],
    /// The Jacobian-law section.
    pub jacobian: JacobianSizes,
}

const FULL: Sizes = Sizes {
    chain: Batches { trials: 400, batch: 128 },
    single_layer: Batches { trials: 1000, batch: 64 },
    gains: Batches { trials: 100, batch: 32 },
    gains_fan_out: 128,
    nonlinear: Batches { trials: 100, batch: 64 },
    shapes: &[(64, 256), (128, 128), (128, 512), (256, 256), (512, 128)],
    shape_trials: 40,
    sweep_fan_outs: &[32, 64, 128, 256, 512],
    sweep_trials: 100,
    condition_fan_out: 100,
    condition_trials: 20,
    condition_gammas: &[0.1, 0.2, 0.3, 0.5, 0.7, 1.5, 2.0, 3.0, 5.0, 10.0],
    composite: Batches { trials: 300, batch: 32 },
    composite_shapes: &[(64, 256), (256, 64), (128, 128), (32, 512)],
    depth_trials: 12,
    depth_patterns: &[
        ("constant width 64", &[64]),
        ("alternating 64, 128", &[64, 128]),
        ("widening/narrowing 64→128→256→128→…", &[64, 128, 256, 128]),
    ],
    depths: &[1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120],
    jacobian: JacobianSizes {
        width: 100,
        depths: &[1, 2, 5, 10, 20, 50, 100],
        density_depths: &[1, 2, 5, 10],
        simulation_depth: 5,
        simulation_width: 400,
        simulation_trials: 10,
    },
};

const QUICK: Sizes = Sizes {
    chain: Batches { trials: 6, batch: 4 },
    single_layer: Batches { trials: 6, batch: 4 },
    gains: Batches { trials: 6, batch: 4 },
    gains_fan_out: 16,
    nonlinear: Batches { trials: 6, batch: 4 },
    shapes: &[(8, 32), (16, 16), (16, 64), (24, 24), (48, 12)],
    shape_trials: 3,
    sweep_fan_outs: &[16, 32],
    sweep_trials: 4,
    condition_fan_out: 20,
    condition_trials: 3,
    condition_gammas: &[0.25, 4.0],
    composite: Batches { trials: 5, batch: 4 },
    composite_shapes: &[(8, 32)],
    depth_trials: 3,
    depth_patterns: &[("constant width 8", &[8]), ("alternating 8, 16", &[8, 16])],
    depths: &[1, 2, 5, 100],
    jacobian: JacobianSizes {
        width: 16,
        depths: &[1, 2, 4, 6],
        density_depths: &[1, 4],
        simulation_depth: 3,
        simulation_width: 16,
        simulation_trials: 3,
    },
};

impl ReportSize {
    /// The sizes of every experiment.
    pub fn sizes(self) -> &'static Sizes {
        match self {
            ReportSize::Full => &FULL,
            ReportSize::Quick => &QUICK,
        }
    }
}

/// The seed of every experiment in the report.
pub const SEED: u64 = 2021;

/// A linear chain through `widths` for the six named strategies at the report's seed: the
/// propagation study most sections start from.
///
/// # Errors
/// Invalid widths, trials or batch.
pub fn linear_chain_study(widths: Vec<usize>, sizes: Batches) -> Result<PropagationStudy> {
    propagation_study(
        widths,
        crate::strategy::Strategy::ALL_NAMED.to_vec(),
        crate::activation::Activation::Linear,
        sizes,
    )
}

/// A chain through `widths` for `strategies` and `activation` at the report's seed.
///
/// # Errors
/// Invalid widths, trials or batch.
pub fn propagation_study(
    widths: Vec<usize>,
    strategies: Vec<crate::strategy::Strategy>,
    activation: crate::activation::Activation,
    sizes: Batches,
) -> Result<PropagationStudy> {
    propagation::run(&PropagationConfig {
        widths,
        strategies,
        activation,
        trials: sizes.trials,
        batch: sizes.batch,
        seed: SEED,
    })
}

/// One claim of the analysis checked by a section, with its own verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim in one line, for the summary table.
    pub text: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What is true, in one line, generated from the section's numbers.
    pub truth: String,
}

impl Claim {
    /// A claim.
    pub fn new(text: impl Into<String>, verdict: Verdict, truth: impl Into<String>) -> Self {
        Claim { text: text.into(), verdict, truth: truth.into() }
    }
}

/// One section of the report.
#[derive(Debug, Clone)]
pub struct Section {
    /// Anchor and figure-name prefix.
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// The claims it checks (one or more), each with its verdict.
    pub claims: Vec<Claim>,
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
    /// The summary table's rows, in section order.
    pub summary: Vec<SectionSummary>,
}

/// One section of the report in its summary: its claims and their verdicts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SectionSummary {
    /// The section's number (from 1).
    pub number: usize,
    /// Its anchor in the markdown.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// The claims it checks, each with its own verdict (one row each in the summary table).
    pub claims: Vec<ClaimSummary>,
    /// The section's figures (file names).
    pub figures: Vec<String>,
}

/// One claim of a section in the report's summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimSummary {
    /// Its number in the summary table: "3" for a section's only claim, "3a", "3b", … for several.
    pub number: String,
    /// The claim in one line.
    pub claim: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What is true, in one line.
    pub truth: String,
}

/// Placeholder token replaced by the relative link from the report to the plots directory.
pub const PLOTS: &str = "{plots}";

/// Runs every section and assembles the report. `plots_link` is the path of the plots directory
/// relative to the report's directory (e.g. `../plots`).
///
/// # Errors
/// A failing experiment or figure.
pub fn generate(size: ReportSize, plots_link: &str) -> Result<Report> {
    let sizes = size.sizes();
    let chain = layers::chain_study(sizes)?;
    let shapes = spectra::shape_studies(sizes)?;
    let sweep = spectra::size_sweep(sizes)?;
    let sections = vec![
        means::section()?,
        layers::single_layer(sizes)?,
        layers::chain(&chain)?,
        layers::gains_vs_aspect_ratio(sizes)?,
        spectra::spectral_norms(&shapes, &sweep)?,
        spectra::histograms(&shapes)?,
        density::density_mass(&shapes)?,
        edges::condition_numbers(sizes)?,
        edges::edge_fluctuations(&sweep)?,
        depth::section(sizes)?,
        gradients::gradient_norms(&chain)?,
        jacobian::section(sizes)?,
        gradients::nonlinear(sizes)?,
        gradients::conclusions(&chain)?,
    ];
    let claims: Vec<&Claim> = sections.iter().flat_map(|s| &s.claims).collect();
    let failing = claims.iter().filter(|c| c.verdict == Verdict::DoesNotHold).count();
    let judged = claims.iter().filter(|c| c.verdict != Verdict::Question).count();
    let mut md = preamble(size, failing, judged);
    md.push_str("## Summary\n\n| # | claim | verdict | what is true |\n|---|---|---|---|\n");
    for (i, s) in sections.iter().enumerate() {
        for (k, c) in s.claims.iter().enumerate() {
            md.push_str(&format!(
                "| [{}](#{}) | {} | {} | {} |\n",
                claim_number(i, k, s.claims.len()),
                s.id,
                c.text.replace('|', "\\|"),
                c.verdict.label(),
                c.truth.replace('|', "\\|")
            ));
        }
    }
    md.push('\n');
    let mut figures = Vec::new();
    let summary = sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionSummary {
            number: i + 1,
            id: s.id,
            title: s.title.clone(),
            claims: s
                .claims
                .iter()
                .enumerate()
                .map(|(k, c)| ClaimSummary {
                    number: claim_number(i, k, s.claims.len()),
                    claim: c.text.clone(),
                    verdict: c.verdict,
                    truth: c.truth.clone(),
                })
                .collect(),
            figures: s.figures.iter().map(|(name, _)| name.clone()).collect(),
        })
        .collect();
    for (i, s) in sections.iter().enumerate() {
        md.push_str(&format!("<a id=\"{}\"></a>\n## {}. {}\n\n", s.id, i + 1, s.title));
        for (k, c) in s.claims.iter().enumerate() {
            let which =
                if s.claims.len() > 1 { format!(" {}", claim_number(i, k, s.claims.len())) } else { String::new() };
            md.push_str(&format!("**Verdict{which}:** {}. {}\n\n", c.verdict.label(), c.truth));
        }
        md.push_str(&s.body.replace(PLOTS, plots_link));
        if !s.body.ends_with('\n') {
            md.push('\n');
        }
        md.push('\n');
        for (name, figure) in &s.figures {
            crate::trials::check_stop()?;
            figures.push((name.clone(), render(figure, ImageFormat::Svg)?));
        }
    }
    Ok(Report { markdown: md, figures, summary })
}

/// "3" for a section's only claim, "3a", "3b", … for several.
fn claim_number(section: usize, claim: usize, claims: usize) -> String {
    if claims > 1 {
        format!("{}{}", section + 1, (b'a' + claim as u8) as char)
    } else {
        (section + 1).to_string()
    }
}

/// The title, the source analysis (with how many of the `judged` claims do not hold: `failing`),
/// the conventions and the verdict rule.
fn preamble(size: ReportSize, failing: usize, judged: usize) -> String {
    let mut md = String::new();
    md.push_str("# rmspec report: the claims of the source analysis, checked\n\n");
    md.push_str(
        "Generated by `rmspec report` (do not edit by hand; `rmspec report --check` fails when this file or a \
         figure is stale).\n\n",
    );
    md.push_str(&format!(
        "**The source analysis.** A 2021 blog post on initialising non-square weight matrices asks how to choose \
         the variance s2 of the iid zero-mean weights of a fully connected layer with m inputs and n outputs. The \
         forward pass keeps the second moment of the activations when s2 = 1/m, the backward pass keeps that of \
         the gradients when s2 = 1/n; for m ≠ n the two conflict, and the post compares strategies that pick one \
         s2 from (m, n): geometric 1/√(mn), arithmetic (Xavier/Glorot) 2/(m+n), quadratic (m+n)/(m²+n²), He \
         2/m, LeCun 1/m, a scaled orthogonal matrix, and an interpolation between geometric and arithmetic. It \
         supports its choice (the geometric mean) with random-matrix arguments (Bai–Yin norms, the \
         Marchenko–Pastur law) and with numbers from small simulations. This report checks each of those claims: \
         every section quotes the claim as the analysis states it, then gives the closed form, a seeded Monte \
         Carlo estimate (mean ± standard error over independent trials) and a verdict computed from those \
         numbers. {failing} of the {judged} claims judged below do not hold.\n\n",
    ));
    md.push_str(&format!(
        "Conventions: W ∈ ℝ^{{m×n}}, m = fan-in (rows), n = fan-out (columns), a layer computes y = Wᵀx; s2 is \
         the entry variance; γ = m/n; S = W Wᵀ/n. Forward gain of a layer m·s2, backward gain n·s2. Seed {SEED} \
         for every experiment (trial t draws from a Xoshiro256++ generator seeded by ChaCha8 stream t).\n\n"
    ));
    md.push_str(
        "Verdict rule, the same for every claim: a stated number holds when it lies within half a unit of its \
         last stated digit (the precision the claim itself gives) plus 5 Monte Carlo standard errors of the true \
         value (a correct number fails with probability about 6·10⁻⁷); a claim holds when every number it states \
         holds. Claims are judged one by one: a section that checks several claims gives each its own verdict \
         (3a, 3b, …), and so does the summary.\n\n",
    );
    if size == ReportSize::Quick {
        md.push_str("**Quick mode: tiny sizes for tests; the numbers below are not meaningful.**\n\n");
    }
    md
}

/// A figure link line.
pub(crate) fn figure_link(name: &str, caption: &str) -> String {
    format!("![{caption}]({PLOTS}/{name})\n\n")
}

/// A markdown table of these rows (through [`Table`](crate::output::Table)).
pub(crate) fn table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut t = crate::output::Table::new(header.iter().map(|h| h.as_ref().to_string()));
    for r in rows {
        t.row(r.iter().cloned());
    }
    t.markdown()
}
