//! `rmspec spectrum`: sample, compute spectra, compare with theory, draw figures.

use anyhow::Context;
use clap::Args;
use rmspec::experiment::calibration::FitOptions;
use rmspec::experiment::spectrum::{run_shard, run_with, Method, Shard, SpectrumConfig, SpectrumStudy};
use rmspec::figures;
use rmspec::plot::{render, ImageFormat};
use rmspec::report::{ensure_writable_dir, num, pm, short, to_json, write_atomic, TextTable};
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
    /// Figure format: svg or png.
    #[arg(long, default_value = "svg")]
    format: String,
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
    #[arg(long, default_value_t = rmspec::experiment::calibration::DEFAULT_REPLICATES as i64, allow_negative_numbers = true)]
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
    format!("spectrum-m{}-n{}-{}-t{}-seed{}", study.m, study.n, safe, study.trials, study.seed)
}

pub fn run(args: SpectrumArgs) -> anyhow::Result<()> {
    let format: ImageFormat = args.format.parse()?;
    let method = match (args.method.as_str(), args.histogram_only) {
        ("dense", false) => Method::Dense,
        ("dense", true) => anyhow::bail!("--histogram-only needs --method tridiagonal"),
        (_, false) => Method::Tridiagonal,
        (_, true) => Method::TridiagonalHistogram,
    };
    let (m, n, strategies) = args.shape.resolve()?;
    // The tridiagonal model is the Gaussian ensemble's: refuse other entry laws (uniform,
    // truncated normal) rather than silently drawing Gaussian spectra for them.
    if method != Method::Dense {
        if let Some(s) =
            strategies.iter().find(|s| s.entry_law().is_some_and(|law| law != rmspec::initializer::EntryLaw::Normal))
        {
            anyhow::bail!(
                "invalid method = tridiagonal with strategy {s}: its entries are not Gaussian; use --method dense"
            );
        }
    }
    let config = SpectrumConfig {
        m,
        n,
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
    let mut study =
        super::long_run(config.trials * config.strategies.len(), args.json, |control| run_with(&config, control))?;
    if !args.no_plots {
        draw_figures(&mut study, &args.out, format)?;
    }
    if args.json {
        return super::print(&to_json(&study)?);
    }
    super::print(&text_report(&study))
}

fn draw_figures(study: &mut SpectrumStudy, out: &Path, format: ImageFormat) -> anyhow::Result<()> {
    let mut rendered: Vec<(usize, PathBuf, Vec<u8>)> = Vec::new();
    for (i, result) in study.strategies.iter().enumerate() {
        let path = out.join(format!("{}.{}", file_stem(study, &result.strategy), format.extension()));
        let figure = figures::strategy_spectrum(study, result);
        rendered.push((i, path, render(&figure, format)?));
    }
    let mut edge_rendered: Vec<(usize, PathBuf, Vec<u8>)> = Vec::new();
    for (i, result) in study.strategies.iter().enumerate() {
        if let Some(figure) = figures::edge_fit(study, result) {
            let stem = file_stem(study, &format!("edge-{}", result.strategy));
            let path = out.join(format!("{stem}.{}", format.extension()));
            edge_rendered.push((i, path, render(&figure, format)?));
        }
    }
    let overlay_path = out.join(format!("{}.{}", file_stem(study, "overlay"), format.extension()));
    let overlay = render(&figures::all_strategies(study), format)?;
    for (i, path, bytes) in rendered {
        write_atomic(&path, &bytes).with_context(|| format!("writing figure to {}", path.display()))?;
        study.strategies[i].figures.push(path.display().to_string());
    }
    for (i, path, bytes) in edge_rendered {
        write_atomic(&path, &bytes).with_context(|| format!("writing figure to {}", path.display()))?;
        if let Some(fit) = study.strategies[i].edge_fit.as_mut() {
            fit.figure = Some(path.display().to_string());
        }
    }
    write_atomic(&overlay_path, &overlay).with_context(|| format!("writing figure to {}", overlay_path.display()))?;
    study.figures.push(overlay_path.display().to_string());
    Ok(())
}

fn relative(observed: f64, predicted: f64) -> String {
    if predicted.is_finite() && predicted != 0.0 {
        format!("{:+.2}%", 100.0 * (observed / predicted - 1.0))
    } else {
        "-".into()
    }
}

pub(crate) fn text_report(study: &SpectrumStudy) -> String {
    let mut out = format!(
        "Spectrum of S = W Wᵀ/n: m = {}, n = {}, γ = {}, {} trials, seed {}\nconvention: {}\nmethod: {}\n",
        study.m,
        study.n,
        short(study.gamma),
        study.trials,
        study.seed,
        study.normalization,
        study.method
    );
    for r in &study.strategies {
        out.push_str(&format!("\n{} (s2 = {})\n", r.strategy, num(r.variance)));
        let e = &r.empirical;
        let p = &r.predicted;
        let mut t = TextTable::new(["quantity", "predicted", "observed mean ± se", "median", "mean vs predicted"]);
        let mut row = |name: &str, predicted: f64, observed: &rmspec::experiment::spectrum::Summary| {
            t.row([
                name.to_string(),
                num(predicted),
                pm(observed.mean, observed.stderr),
                num(observed.median),
                relative(observed.mean, predicted),
            ]);
        };
        row("λmin⁺(S)", p.mp_support.lower, &e.lambda_min);
        row("λmax(S)", p.mp_support.upper, &e.lambda_max);
        row("‖W‖", p.spectral_norm, &e.spectral_norm);
        row("σmin(W)", p.smallest_singular_value, &e.smallest_singular_value);
        row("κ(W)", p.condition_number, &e.condition_number);
        out.push_str(&t.render());
        match (r.ks_distance, r.ks_distance_at_bin_edges) {
            (Some(d), _) => out.push_str(&format!(
                "KS distance of pooled eigenvalues to MP: {} (on a quantile grid; the exact distance is at most {} more)\n",
                num(d),
                num(r.ks_distance_resolution.unwrap_or(0.0))
            )),
            (None, Some(d)) => out.push_str(&format!("KS distance to MP at the bin edges (lower bound): {}\n", num(d))),
            (None, None) => out.push_str("KS distance: not applicable (orthogonal: exact point spectrum)\n"),
        }
        let h = &r.histogram;
        if h.below + h.above > 0 {
            out.push_str(&format!(
                "histogram on [{}, {}]: {} eigenvalue(s) below and {} above its range (counted, not drawn)\n",
                num(h.lower),
                num(h.upper),
                h.below,
                h.above
            ));
        }
        if let Some(fit) = &r.edge_fit {
            out.push_str(&format!(
                "scaled λmax vs Tracy–Widom TW₁ ({} matrices): KS distance {}, p-value {}\n",
                fit.trials,
                num(fit.statistic),
                num(fit.p_value)
            ));
        }
        if let Some(b) = &r.bulk_fit {
            out.push_str(&format!(
                "bulk vs Marchenko–Pastur: KS {} vs critical value {} at level {} ({}): {}\n",
                num(b.statistic),
                num(b.critical_value),
                short(b.level),
                b.method,
                if b.passed { "consistent" } else { "REJECTED" }
            ));
        }
        for f in r.figures.iter().chain(r.edge_fit.iter().filter_map(|e| e.figure.as_ref())) {
            out.push_str(&format!("figure: {f}\n"));
        }
    }
    for f in &study.figures {
        out.push_str(&format!("\nfigure (all strategies): {f}\n"));
    }
    out
}
