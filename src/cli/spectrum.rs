//! `rmspec spectrum`: sample, compute spectra, compare with theory, draw figures.

use anyhow::Context;
use clap::Args;
use rmspec::calibration::FitOptions;
use rmspec::experiment::spectrum::{run_shard, run_with, Method, Shard, SpectrumConfig, SpectrumStudy};
use rmspec::figures;
use rmspec::output::spectrum::{text, FigurePaths, SpectrumDocument};
use rmspec::output::{ensure_writable_dir, to_json, write_atomic};
use rmspec::plot::{render, ImageFormat};
use rmspec::spectrum::SingularValueMethod;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct SpectrumArgs {
    #[command(flatten)]
    shape: super::ShapeArgs,
    /// Independent matrices per strategy.
    #[arg(long, default_value_t = 20, allow_negative_numbers = true)]
    trials: i64,
    /// Seed: trial t of every strategy draws from Xoshiro256++ seeded by stream t of ChaCha8 keyed by this seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Histogram bins.
    #[arg(long, default_value_t = 60, allow_negative_numbers = true)]
    bins: i64,
    /// Directory for the figures (created if missing).
    #[arg(long, default_value = "plots")]
    out: PathBuf,
    /// Figure format: svg or png (rendered from the SVG by resvg with the bundled DejaVu Sans).
    #[arg(long, default_value = "svg")]
    format: String,
    /// Resolution of PNG figures in dots per inch (the SVG's pixel is 1/96 inch; the default 192
    /// is twice the SVG's size). Only with --format png.
    #[arg(long, value_name = "DPI")]
    dpi: Option<u32>,
    /// Do not draw figures.
    #[arg(long)]
    no_plots: bool,
    /// Compute singular values with LAPACK's dgesdd instead of from the Gram eigenvalues (by
    /// default dgesdd is used only for matrices whose Gram estimate of κ exceeds 1e5).
    #[arg(long)]
    exact_singular_values: bool,
    /// Level of the calibrated bulk test against Marchenko–Pastur, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Replicate runs simulated for the bulk test's critical value (0 skips the bulk test).
    #[arg(long, default_value_t = rmspec::calibration::DEFAULT_REPLICATES as i64, allow_negative_numbers = true)]
    bulk_replicates: i64,
    /// Skip both goodness-of-fit tests (λmax vs TW₁ and the calibrated bulk test): the plain
    /// pipeline, as benchmarked.
    #[arg(long)]
    no_fits: bool,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
    /// dense (sample W; dsyrk + dsyev) or tridiagonal (Dumitriu–Edelman model, Gaussian
    /// strategies; O(k²) per matrix, O(k) memory).
    #[arg(long, default_value = "dense", value_parser = ["dense", "tridiagonal"])]
    method: String,
    /// With --method tridiagonal: histogram by Sturm counts at the bin edges, storing no
    /// eigenvalues (O(k·bins) per matrix; a 10⁶-row spectrum in seconds).
    #[arg(long)]
    histogram_only: bool,
    /// trials (trials in parallel, BLAS at one thread; bit-reproducible on any core count),
    /// blas (one trial at a time, BLAS on all cores) or auto (blas for a few large matrices,
    /// else trials; fastest, but the last bits then depend on the core count).
    #[arg(long, default_value = "trials")]
    threads_layout: String,
    /// Run only shard K of N (trials t with t mod N = K − 1) and write a partial result for
    /// `rmspec merge` (to --output, or stdout).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// With --shard: the file for the partial result (written atomically).
    #[arg(long, value_name = "FILE", requires = "shard")]
    output: Option<PathBuf>,
}

fn file_stem(study: &SpectrumStudy, what: &str) -> String {
    let safe: String = what.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
    format!("spectrum-m{}-n{}-{}-t{}-seed{}", study.shape.m(), study.shape.n(), safe, study.trials, study.seed)
}

pub fn run(args: SpectrumArgs) -> anyhow::Result<()> {
    let format = match (args.format.parse::<ImageFormat>()?, args.dpi) {
        (ImageFormat::Png { .. }, Some(dpi)) => {
            if !rmspec::plot::png::DPI_RANGE.contains(&dpi) {
                anyhow::bail!(rmspec::Error::invalid("dpi", dpi, "must be between 24 and 1200"));
            }
            ImageFormat::Png { dpi }
        }
        (ImageFormat::Svg, Some(_)) => anyhow::bail!("--dpi applies to PNG figures only: add --format png"),
        (format, None) => format,
    };
    let method = match (args.method.as_str(), args.histogram_only) {
        ("dense", false) => Method::Dense,
        ("dense", true) => anyhow::bail!("--histogram-only needs --method tridiagonal"),
        (_, false) => Method::Tridiagonal,
        (_, true) => Method::TridiagonalHistogram,
    };
    let (shape, strategies) = args.shape.resolve()?;
    let config = SpectrumConfig {
        shape,
        strategies,
        trials: super::count("trials", args.trials)?,
        seed: args.seed,
        bins: super::count("bins", args.bins)?,
        singular_values: if args.exact_singular_values { SingularValueMethod::Svd } else { SingularValueMethod::Auto },
        fit: FitOptions {
            level: args.level,
            bulk_replicates: if args.no_fits {
                0
            } else {
                usize::try_from(args.bulk_replicates)
                    .map_err(|_| rmspec::Error::invalid("bulk replicates", args.bulk_replicates, "must be ≥ 0"))?
            },
            edge: !args.no_fits,
        },
        method,
        layout: args.threads_layout.parse()?,
    };
    config.validate()?;
    if let Some(shard) = &args.shard {
        let shard: Shard = shard.parse()?;
        let quiet = args.json || args.output.is_none();
        let partial = super::long_run(config.trials * config.strategies.len() / shard.count, quiet, |control| {
            run_shard(&config, shard, control)
        })?;
        // Compact: a partial is for `rmspec merge`, and its sparse grid has up to 2²⁰ pairs.
        let mut text = serde_json::to_string(&partial).context("serialising the partial result")?;
        text.push('\n');
        return match &args.output {
            Some(path) => write_atomic(path, text.as_bytes())
                .with_context(|| format!("writing partial result to {}", path.display())),
            None => super::print(&text),
        };
    }
    if !args.no_plots {
        ensure_writable_dir(&args.out).with_context(|| "checking --out".to_string())?;
    }
    let study =
        super::long_run(config.trials * config.strategies.len(), args.json, |control| run_with(&config, control))?;
    let figures = if args.no_plots { FigurePaths::default() } else { draw_figures(&study, &args.out, format)? };
    if args.json {
        return super::print(&to_json(&SpectrumDocument { study: &study, figures: &figures })?);
    }
    super::print(&text(&study, &figures))
}

/// Renders every figure of the study, then writes them (atomically) into `out`: the paths, as
/// the output lists them.
fn draw_figures(study: &SpectrumStudy, out: &Path, format: ImageFormat) -> anyhow::Result<FigurePaths> {
    let path = |what: &str| out.join(format!("{}.{}", file_stem(study, what), format.extension()));
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for result in &study.strategies {
        files.push((path(&result.strategy.to_string()), render(&figures::strategy_spectrum(study, result), format)?));
    }
    let mut edge_files = Vec::new();
    for result in &study.strategies {
        edge_files.push(match figures::edge_fit(study, result) {
            Some(figure) => Some((path(&format!("edge-{}", result.strategy)), render(&figure, format)?)),
            None => None,
        });
    }
    // The comparison of strategies exists only when more than one ran.
    let overlay = match figures::all_strategies(study) {
        Some(figure) => Some((path("overlay"), render(&figure, format)?)),
        None => None,
    };
    let write = |(path, bytes): &(PathBuf, Vec<u8>)| -> anyhow::Result<String> {
        write_atomic(path, bytes).with_context(|| format!("writing figure to {}", path.display()))?;
        Ok(path.display().to_string())
    };
    Ok(FigurePaths {
        strategies: files.iter().map(|f| write(f).map(|p| vec![p])).collect::<anyhow::Result<_>>()?,
        edge_fits: edge_files.iter().map(|f| f.as_ref().map(write).transpose()).collect::<anyhow::Result<_>>()?,
        study: overlay.iter().map(write).collect::<anyhow::Result<_>>()?,
    })
}
