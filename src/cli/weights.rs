//! `rmspec weights`: a checkpoint's layers against their initialiser's random-matrix law.

use anyhow::Context;
use clap::Args;
use rmspec::figures;
use rmspec::output::weights::WeightsDocument;
use rmspec::output::{ensure_writable_dir, to_json, write_atomic};
use rmspec::plot::{render, ImageFormat};
use rmspec::weights::{self, analysis::Tests, ModelAnalysis, Options};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// Checkpoint files (.safetensors, .npy, .npz) or directories of safetensors shards.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Storage convention: torch ([out, in]), keras or flax ([in, out]), or auto (from names).
    #[arg(long, default_value = "auto")]
    layout: String,
    /// Initialiser to compare with (e.g. torch-default, glorot-uniform, lecun-normal, he).
    #[arg(long)]
    init: Option<String>,
    /// Analyse only tensors whose name matches this glob (* and ?); repeatable.
    #[arg(long)]
    include: Vec<String>,
    /// Skip tensors whose name matches this glob; repeatable.
    #[arg(long)]
    exclude: Vec<String>,
    /// Per-layer false-alarm rate: a layer drawn from its initialiser is called random-like
    /// with at least this probability's complement.
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true)]
    false_alarm: f64,
    /// Simulated null matrices per distinct layer shape.
    #[arg(long, default_value_t = weights::DEFAULT_REPLICATES as i64, allow_negative_numbers = true)]
    replicates: i64,
    /// Seed of the null simulations.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write the JSON document to this file.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Write a figure per layer and a summary figure into this directory.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Figure format: svg or png.
    #[arg(long, default_value = "svg")]
    format: String,
}

fn options(args: &WeightsArgs) -> anyhow::Result<Options> {
    let layout = match args.layout.to_ascii_lowercase().as_str() {
        "auto" => None,
        other => Some(other.parse()?),
    };
    let init = match &args.init {
        None => None,
        Some(name) => Some(match name.parse::<rmspec::Strategy>()? {
            rmspec::Strategy::Framework(init) => init,
            other => initializer_of(other)?,
        }),
    };
    Ok(Options {
        layout,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        tests: Tests { false_alarm: args.false_alarm, init },
        replicates: super::count("replicates", args.replicates)?,
        seed: args.seed,
    })
}

/// The project's own strategy names as initialisers: he, lecun, xavier are Gaussian by fan-in /
/// fan average (PyTorch's kaiming_normal_ and xavier_normal_); variance:V is N(0, V) (e.g. BERT's
/// normal(0, 0.02) is variance:0.0004).
fn initializer_of(strategy: rmspec::Strategy) -> anyhow::Result<rmspec::initializer::Initializer> {
    use rmspec::initializer::{FanMode, Initializer, Nonlinearity};
    Ok(match strategy {
        rmspec::Strategy::He => Initializer::KaimingNormal { mode: FanMode::FanIn, nonlinearity: Nonlinearity::Relu },
        rmspec::Strategy::LeCun => {
            Initializer::KaimingNormal { mode: FanMode::FanIn, nonlinearity: Nonlinearity::Linear }
        }
        rmspec::Strategy::Arithmetic => Initializer::XavierNormal { gain: 1.0 },
        rmspec::Strategy::Variance { variance } => {
            Initializer::Fixed { law: rmspec::initializer::EntryLaw::Normal, variance }
        }
        other => anyhow::bail!(
            "invalid init = {other}: depends on (m, n) only through the source analysis's means; name a framework \
             initialiser, he, lecun, xavier or variance:V"
        ),
    })
}

fn file_stem(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect()
}

fn write_figures(analysis: &ModelAnalysis, dir: &std::path::Path, format: ImageFormat) -> anyhow::Result<()> {
    ensure_writable_dir(dir)?;
    for layer in &analysis.layers {
        let figure = figures::weights::layer(analysis, layer)?;
        let path = dir.join(format!("weights-{}.{}", file_stem(&layer.name), format.extension()));
        write_atomic(&path, &render(&figure, format)?)
            .with_context(|| format!("writing figure to {}", path.display()))?;
    }
    let path = dir.join(format!("weights-summary.{}", format.extension()));
    write_atomic(&path, &render(&figures::weights::summary(analysis), format)?)
        .with_context(|| format!("writing figure to {}", path.display()))?;
    Ok(())
}

pub fn run(args: WeightsArgs) -> anyhow::Result<()> {
    let options = options(&args)?;
    let format: ImageFormat = args.format.parse()?;
    let checkpoint = weights::source::Checkpoint::open(&args.files)?;
    let analysis = weights::analyse(&checkpoint, &options)?;
    if let Some(dir) = &args.out {
        write_figures(&analysis, dir, format)?;
    }
    let document = WeightsDocument::new(&analysis);
    let json = to_json(&document)?;
    if let Some(path) = &args.output {
        write_atomic(path, json.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    }
    super::print(&if args.json { json } else { document.text() })?;
    let refused: Vec<&str> =
        analysis.skipped.iter().filter(|s| s.non_finite.is_some()).map(|s| s.name.as_str()).collect();
    if !refused.is_empty() {
        anyhow::bail!("{} tensor(s) refused for NaN or infinite values: {}", refused.len(), refused.join(", "));
    }
    Ok(())
}
