//! `rmspec weights`: a checkpoint's layers against their initialiser's random-matrix law.

use super::args::{choice, count, Choice, FigureArgs, OutputArgs, FITS, INPUT};
use anyhow::Context;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::Args;
use rmspec::figures;
use rmspec::initializer::NAMES;
use rmspec::output::weights::{WeightsDocument, FORMAT};
use rmspec::output::{ensure_writable_dir, Document, OutputSet};
use rmspec::plot::{render, ImageFormat};
use rmspec::weights::layout::Layout;
use rmspec::weights::{self, analysis::Tests, ModelAnalysis, Options};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// Checkpoint files (.safetensors, .npy, .npz) or directories of safetensors shards.
    #[arg(required = true, help_heading = INPUT)]
    files: Vec<PathBuf>,
    /// Storage convention of the layers.
    #[arg(long, default_value = "auto", value_parser = choice::<LayoutArg>(), help_heading = INPUT)]
    layout: LayoutArg,
    /// Analyse only tensors whose name matches this glob (* and ?); repeatable.
    #[arg(long, value_name = "GLOB", help_heading = INPUT)]
    include: Vec<String>,
    /// Skip tensors whose name matches this glob; repeatable.
    #[arg(long, value_name = "GLOB", help_heading = INPUT)]
    exclude: Vec<String>,
    /// Initialiser to compare every layer with (its variance at the layer's fans, or for
    /// torch-orthogonal its exact singular values).
    #[arg(long, value_name = "NAME", value_parser = InitNames, help_heading = FITS)]
    init: Option<String>,
    /// Per-layer false-alarm rate: a layer drawn from its initialiser is called random-like
    /// with at least this probability's complement.
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true, help_heading = FITS)]
    false_alarm: f64,
    /// Simulated null matrices per distinct layer shape.
    #[arg(long, default_value_t = weights::DEFAULT_REPLICATES as i64, allow_negative_numbers = true,
          help_heading = FITS)]
    replicates: i64,
    /// Seed of the null simulations.
    #[arg(long, default_value_t = 1, help_heading = FITS)]
    seed: u64,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    figures: FigureArgs,
}

/// `--layout`: a framework's convention, or `auto` (`None`: decided from the tensor names).
#[derive(Debug, Clone, Copy)]
struct LayoutArg(Option<Layout>);

impl Choice for LayoutArg {
    const ALL: &'static [Self] = &[
        LayoutArg(None),
        LayoutArg(Some(Layout::Torch)),
        LayoutArg(Some(Layout::Keras)),
        LayoutArg(Some(Layout::Flax)),
    ];
    fn name(self) -> &'static str {
        match self.0 {
            None => "auto",
            Some(Layout::Torch) => "torch",
            Some(Layout::Keras) => "keras",
            Some(Layout::Flax) => "flax",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self.0 {
            None => &[],
            Some(Layout::Torch) => &["pytorch"],
            Some(Layout::Keras) => &["tensorflow", "tf"],
            Some(Layout::Flax) => &["jax"],
        }
    }
    fn help(self) -> &'static str {
        match self.0 {
            None => "decided from the tensor names (weight: torch; kernel: keras, or flax under params), and printed",
            Some(Layout::Torch) => "Linear [out, in], Conv [out, in, k…] with fan_in = in·k…",
            Some(Layout::Keras) => "Dense [in, out], Conv [k…, in, out] (HWIO)",
            Some(Layout::Flax) => "as keras",
        }
    }
}

/// `--init`'s names for help and completions: the framework initialisers of the library's table
/// (arguments in brackets are optional), and the strategies that have an initialiser's law. The
/// name is parsed after clap ([`options`]), so a bad argument is rmspec's one-line error.
#[derive(Debug, Clone, Copy)]
struct InitNames;

/// The strategies `--init` accepts besides the framework initialisers ([`initializer_of`]).
const STRATEGY_INITS: [(&str, &str); 4] = [
    ("he", "PyTorch kaiming_normal_(nonlinearity='relu'): normal, s2 = 2/fan_in"),
    ("lecun", "normal, s2 = 1/fan_in"),
    ("xavier", "PyTorch xavier_normal_: normal, s2 = 2/(fan_in + fan_out)"),
    ("variance:V", "normal, s2 = V (BERT's normal(0, 0.02) is variance:0.0004)"),
];

impl TypedValueParser for InitNames {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> clap::error::Result<String> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let framework = NAMES.iter().map(|e| {
            let (name, arguments) = e.name.split_once('[').map_or((e.name, ""), |(n, a)| (n, a));
            let arguments = if arguments.is_empty() { String::new() } else { format!("takes [{arguments}; ") };
            PossibleValue::new(name).aliases(e.aliases.iter().copied()).help(format!("{arguments}{}", e.note))
        });
        let strategies = STRATEGY_INITS.iter().map(|(name, help)| PossibleValue::new(*name).help(*help));
        Some(Box::new(framework.chain(strategies)))
    }
}

fn options(args: &WeightsArgs) -> anyhow::Result<Options> {
    let init = match &args.init {
        None => None,
        Some(name) => Some(match name.parse::<rmspec::Strategy>()? {
            rmspec::Strategy::Framework(init) => init,
            other => initializer_of(other)?,
        }),
    };
    Ok(Options {
        layout: args.layout.0,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        tests: Tests { false_alarm: args.false_alarm, init },
        replicates: count("replicates", args.replicates)?,
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

/// Renders a figure per layer and the summary and stages them in `set` (committed with the
/// document, so a failed run leaves no figure behind).
fn stage_figures(
    analysis: &ModelAnalysis,
    dir: &std::path::Path,
    format: ImageFormat,
    set: &mut OutputSet,
) -> anyhow::Result<()> {
    let mut stage = |name: String, figure: &rmspec::plot::Figure| -> anyhow::Result<()> {
        let path = dir.join(format!("weights-{name}.{}", format.extension()));
        set.stage(&path, &render(figure, format)?).with_context(|| format!("writing figure to {}", path.display()))?;
        Ok(())
    };
    for layer in &analysis.layers {
        stage(file_stem(&layer.name), &figures::weights::layer(analysis, layer)?)?;
    }
    stage("summary".into(), &figures::weights::summary(analysis))
}

pub fn run(args: WeightsArgs) -> anyhow::Result<()> {
    let options = options(&args)?;
    let format = args.figures.image_format()?;
    if let Some(dir) = &args.figures.plots {
        ensure_writable_dir(dir).context("checking --plots")?;
    }
    let checkpoint = weights::source::Checkpoint::open(&args.files)?;
    let analysis = weights::analyse(&checkpoint, &options)?;
    let mut set = OutputSet::new();
    if let Some(dir) = &args.figures.plots {
        stage_figures(&analysis, dir, format, &mut set)?;
    }
    let document = WeightsDocument::new(&analysis);
    args.output.emit_with(
        set,
        &if args.output.json { Document::new(&FORMAT, &document).to_json()? } else { document.text() },
    )?;
    let refused: Vec<&str> =
        analysis.skipped.iter().filter(|s| s.non_finite.is_some()).map(|s| s.name.as_str()).collect();
    if !refused.is_empty() {
        anyhow::bail!("{} tensor(s) refused for NaN or infinite values: {}", refused.len(), refused.join(", "));
    }
    Ok(())
}
