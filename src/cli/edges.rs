//! `rmspec edges`: predictions only, no sampling.

use clap::Args;
use rmspec::prediction::EdgePrediction;
use rmspec::report::{num, short, to_json, TextTable};
use serde::Serialize;

#[derive(Debug, Args)]
pub struct EdgesArgs {
    #[command(flatten)]
    shape: super::ShapeArgs,
    /// Coverage of the central prediction intervals, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct EdgesReport {
    m: usize,
    n: usize,
    gamma: f64,
    level: f64,
    normalization: &'static str,
    strategies: Vec<EdgePrediction>,
}

pub fn run(args: EdgesArgs) -> anyhow::Result<()> {
    let (m, n, strategies) = args.shape.resolve()?;
    let level = rmspec::intervals::check_level(args.level)?;
    let predictions =
        strategies.iter().map(|s| EdgePrediction::with_level(*s, m, n, level)).collect::<rmspec::Result<Vec<_>>>()?;
    let report = EdgesReport {
        m,
        n,
        gamma: m as f64 / n as f64,
        level,
        normalization: rmspec::NORMALIZATION,
        strategies: predictions,
    };
    if args.json {
        return super::print(&to_json(&report)?);
    }
    let mut t = TextTable::new(["strategy", "s2", "λ− of S", "λ+ of S", "‖W‖", "σmin", "κ(W)", "source"]);
    for p in &report.strategies {
        t.row([
            p.strategy.clone(),
            num(p.variance),
            num(p.mp_support.lower),
            num(p.mp_support.upper),
            num(p.spectral_norm),
            num(p.smallest_singular_value),
            num(p.condition_number),
            match p.source {
                rmspec::prediction::PredictionSource::MarchenkoPasturBaiYin => "MP/Bai–Yin limit".into(),
                rmspec::prediction::PredictionSource::ExactOrthogonal => "exact".to_string(),
            },
        ]);
    }
    let mut intervals = TextTable::new(["strategy", "‖W‖", "λmax(S)", "σmin(W)", "κ(W)"]);
    let span = |i: &rmspec::intervals::Interval| format!("[{}, {}]", num(i.lower), num(i.upper));
    for p in &report.strategies {
        if let Some(i) = &p.intervals {
            intervals.row([
                p.strategy.clone(),
                span(&i.spectral_norm),
                span(&i.lambda_max),
                span(&i.smallest_singular_value),
                span(&i.condition_number),
            ]);
        }
    }
    super::print(&format!(
        "Predicted spectrum for m = {}, n = {} (γ = {})\nconvention: {}\n\n{}\n\
         Central {}% prediction intervals at this size (Gaussian: Tracy–Widom/Edelman edge laws; orthogonal: exact)\n\n{}",
        report.m,
        report.n,
        short(report.gamma),
        report.normalization,
        t.render(),
        short(100.0 * level),
        intervals.render()
    ))
}
