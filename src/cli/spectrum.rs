//! `rmspec spectrum`: sample, compute spectra, compare with theory, draw figures.

use super::args::{choice, count, FigureArgs, OutputArgs, ShapeArgs, FITS, OUTPUT, PERFORMANCE, SAMPLING};
use super::progress::Progress;
use anyhow::Context;
use clap::Args;
use rmspec::calibration::FitOptions;
use rmspec::experiment::spectrum::{run_shard, run_with, Method, Shard, SpectrumConfig, SpectrumStudy};
use rmspec::figures;
use rmspec::output::spectrum::{text, FigurePaths, SpectrumDocument, FORMAT};
use rmspec::output::{ensure_writable_dir, to_json_compact, Document, OutputSet};
use rmspec::plot::{render, ImageFormat};
use rmspec::spectrum::SingularValueMethod;
use rmspec::trials::ThreadsLayout;
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Args)]
pub struct SpectrumArgs {
    #[command(flatten)]
    shape: ShapeArgs,
    /// Independent matrices per strategy.
    #[arg(short, long, default_value_t = 20, allow_negative_numbers = true, help_heading = SAMPLING)]
    trials: i64,
    /// Seed: trial t of every strategy draws from Xoshiro256++ seeded by stream t of ChaCha8 keyed
    /// by this seed.
    #[arg(long, default_value_t = 1, help_heading = SAMPLING)]
    seed: u64,
    /// How spectra are computed.
    #[arg(long, default_value = "dense", value_parser = choice::<Method>(), help_heading = SAMPLING)]
    method: Method,
    /// With --method tridiagonal: histogram by Sturm counts at the bin edges, storing no
    /// eigenvalues (O(k·bins) per matrix; a 10⁶-row spectrum in seconds).
    #[arg(long, help_heading = SAMPLING)]
    histogram_only: bool,
    /// Compute singular values with LAPACK's dgesdd instead of from the Gram eigenvalues (by
    /// default dgesdd is used only for matrices whose Gram estimate of κ exceeds 1e5).
    #[arg(long, help_heading = SAMPLING)]
    exact_singular_values: bool,
    /// Coverage of the finite-size prediction intervals printed beside the limits, in (0, 1).
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, help_heading = FITS)]
    coverage: f64,
    /// Level of the calibrated bulk test against Marchenko–Pastur, in (0, 1); level L needs at
    /// least 1/(1 − L) − 1 replicates (19 at 0.95, 99 at 0.99).
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, help_heading = FITS)]
    bulk_level: f64,
    /// Replicate runs simulated for the bulk test's critical value (0 skips the bulk test).
    #[arg(long, default_value_t = rmspec::calibration::DEFAULT_REPLICATES as i64, allow_negative_numbers = true,
          help_heading = FITS)]
    bulk_replicates: i64,
    /// Skip both goodness-of-fit tests (λmax vs TW₁ and the calibrated bulk test): the plain
    /// pipeline, as benchmarked.
    #[arg(long, help_heading = FITS)]
    no_fits: bool,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    figures: FigureArgs,
    /// Histogram bins (JSON and figures).
    #[arg(long, default_value_t = 60, allow_negative_numbers = true, help_heading = OUTPUT)]
    bins: i64,
    /// Draw no figures: the default since figures need --plots DIR (kept for old scripts).
    #[arg(long, hide = true, conflicts_with = "plots")]
    no_plots: bool,
    /// How trials use the cores.
    #[arg(long, default_value = "trials", value_parser = choice::<ThreadsLayout>(), help_heading = PERFORMANCE)]
    threads_layout: ThreadsLayout,
    /// Run only shard K of N (trials t with t mod N = K − 1) and write a partial result for
    /// `rmspec merge` (to --output, or stdout).
    #[arg(long, value_name = "K/N", help_heading = PERFORMANCE)]
    shard: Option<String>,
}

/// The default of `--bins`: figure names mention the bins only when they differ from it.
const DEFAULT_BINS: i64 = 60;

/// The longest file name most file systems take (NAME_MAX).
const NAME_MAX: usize = 255;

/// A figure's file name: `spectrum-m…-n…-WHAT-t…-seed…`, then what else changes the figure when
/// it is not the default (`-b120` for the bins, `-tridiagonal` or `-tridiagonal-histogram` for
/// the method), so that runs drawing different figures do not overwrite each other's.
fn file_name(config: &SpectrumConfig, what: &str, format: ImageFormat) -> String {
    let safe: String = what.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
    let (m, n) = (config.shape.m(), config.shape.n());
    let mut name = format!("spectrum-m{m}-n{n}-{safe}-t{}-seed{}", config.trials, config.seed);
    if config.bins as i64 != DEFAULT_BINS {
        name += &format!("-b{}", config.bins);
    }
    match config.method {
        Method::Dense => {}
        Method::Tridiagonal => name += "-tridiagonal",
        Method::TridiagonalHistogram => name += "-tridiagonal-histogram",
    }
    format!("{name}.{}", format.extension())
}

/// The figures a run will draw, checked before any compute: each name must fit NAME_MAX.
fn figure_names(config: &SpectrumConfig, format: ImageFormat) -> anyhow::Result<Vec<String>> {
    let mut whats: Vec<String> = Vec::new();
    for strategy in &config.strategies {
        whats.push(strategy.to_string());
        whats.push(format!("edge-{strategy}"));
    }
    whats.push("overlay".into());
    let names: Vec<String> = whats.iter().map(|what| file_name(config, what, format)).collect();
    if let Some(long) = names.iter().find(|name| name.len() > NAME_MAX) {
        anyhow::bail!(
            "invalid --strategy: the figure name {long} has {} bytes, more than the {NAME_MAX} a file name may have",
            long.len()
        );
    }
    Ok(names)
}

impl SpectrumArgs {
    /// The validated run configuration.
    fn config(&self) -> anyhow::Result<SpectrumConfig> {
        let method = match (self.method, self.histogram_only) {
            (Method::Dense, true) => anyhow::bail!("--histogram-only needs --method tridiagonal"),
            (method, false) => method,
            (_, true) => Method::TridiagonalHistogram,
        };
        let (shape, strategies) = self.shape.resolve()?;
        let bulk_replicates = usize::try_from(self.bulk_replicates)
            .map_err(|_| rmspec::Error::invalid("bulk replicates", self.bulk_replicates, "must be ≥ 0"))?;
        rmspec::intervals::check_level_named("bulk level", self.bulk_level)?;
        let config = SpectrumConfig {
            shape,
            strategies,
            trials: count("trials", self.trials)?,
            seed: self.seed,
            bins: count("bins", self.bins)?,
            singular_values: if self.exact_singular_values {
                SingularValueMethod::Svd
            } else {
                SingularValueMethod::Auto
            },
            fit: FitOptions {
                level: self.bulk_level,
                bulk_replicates: if self.no_fits { 0 } else { bulk_replicates },
                edge: !self.no_fits,
            },
            method,
            layout: self.threads_layout,
        };
        config.validate()?;
        Ok(config)
    }
}

pub fn run(args: SpectrumArgs, quiet: bool) -> anyhow::Result<()> {
    let config = args.config()?;
    let format = args.figures.image_format()?;
    let coverage = super::edges::check_coverage(args.coverage)?;
    if let Some(shard) = &args.shard {
        let shard: Shard = shard.parse()?;
        let progress = Progress::new(quiet, Some(format!("rmspec shard {}/{}", shard.index, shard.count)));
        let partial = super::long_run(&progress, |control| run_shard(&config, shard, control))?;
        // Compact: a partial is for `rmspec merge`, and its sparse grid has up to 2²⁰ pairs.
        return args.output.emit(&to_json_compact(&partial).context("serialising the partial result")?);
    }
    if let Some(dir) = &args.figures.plots {
        ensure_writable_dir(dir).context("checking --plots")?;
        figure_names(&config, format)?;
    }
    let to_terminal = args.output.output.is_some() || std::io::stdout().is_terminal();
    let progress = Progress::new(quiet || args.output.json || !to_terminal, None);
    let study = super::long_run(&progress, |control| run_with(&config, control))?.with_intervals(coverage)?;
    let mut set = OutputSet::new();
    let figures = match &args.figures.plots {
        Some(dir) => draw_figures(&study, &config, dir, format, &mut set, &progress)?,
        None => FigurePaths::default(),
    };
    progress.finish();
    args.output.emit_with(
        set,
        &if args.output.json {
            Document::new(&FORMAT, &SpectrumDocument { study: &study, figures: &figures }).to_json()?
        } else {
            text(&study, &figures)
        },
    )
}

/// Renders every figure of the study and stages it in `set` (committed with the document): the
/// paths, as the output lists them. The overlay of all strategies is drawn only when there are
/// several. A stop request ends it between figures; `progress` shows them as a phase.
fn draw_figures(
    study: &SpectrumStudy,
    config: &SpectrumConfig,
    out: &Path,
    format: ImageFormat,
    set: &mut OutputSet,
    progress: &Progress,
) -> anyhow::Result<FigurePaths> {
    // Per strategy its spectrum, and its λ_max fit when there is one; the overlay of several.
    let edge_figures = study.strategies.iter().filter(|r| r.edge_fit.is_some()).count();
    let overlay = usize::from(study.strategies.len() > 1);
    progress.phase("figures", "figures", (study.strategies.len() + edge_figures + overlay) as u64);
    let mut stage = |what: &str, figure: &rmspec::plot::Figure| -> anyhow::Result<String> {
        rmspec::trials::check_stop()?;
        let path = out.join(file_name(config, what, format));
        set.stage(&path, &render(figure, format)?).with_context(|| format!("writing figure to {}", path.display()))?;
        progress.tick();
        Ok(path.display().to_string())
    };
    let mut paths = FigurePaths::default();
    for result in &study.strategies {
        paths.strategies.push(vec![stage(&result.strategy.to_string(), &figures::strategy_spectrum(study, result))?]);
    }
    for result in &study.strategies {
        let edge = figures::edge_fit(study, result);
        paths.edge_fits.push(edge.map(|figure| stage(&format!("edge-{}", result.strategy), &figure)).transpose()?);
    }
    // The comparison of strategies exists only when more than one ran.
    if let Some(figure) = figures::all_strategies(study) {
        paths.study.push(stage("overlay", &figure)?);
    }
    Ok(paths)
}
