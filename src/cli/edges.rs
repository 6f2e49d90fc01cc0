//! `rmspec edges`: predictions only, no sampling.

use clap::Args;
use rmspec::prediction::EdgePrediction;
use rmspec::report::{num, short, to_json, TextTable};
use serde::Serialize;

#[derive(Debug, Args)]
pub struct EdgesArgs {
    /// Rows of W (fan-in).
    #[arg(long, allow_negative_numbers = true)]
    m: i64,
    /// Columns of W (fan-out).
    #[arg(long, allow_negative_numbers = true)]
    n: i64,
    /// Strategy name, comma-separated names, or `all` (repeatable).
    #[arg(long = "strategy", default_value = "all")]
    strategies: Vec<String>,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct EdgesReport {
    m: usize,
    n: usize,
    gamma: f64,
    normalization: &'static str,
    strategies: Vec<EdgePrediction>,
}

pub fn run(args: EdgesArgs) -> anyhow::Result<()> {
    let (m, n) = (super::count("m", args.m)?, super::count("n", args.n)?);
    let strategies = super::parse_strategies(&args.strategies)?;
    let predictions = strategies.iter().map(|s| EdgePrediction::new(*s, m, n)).collect::<rmspec::Result<Vec<_>>>()?;
    let report =
        EdgesReport { m, n, gamma: m as f64 / n as f64, normalization: rmspec::NORMALIZATION, strategies: predictions };
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
    super::print(&format!(
        "Predicted spectrum for m = {}, n = {} (γ = {})\nconvention: {}\n\n{}",
        report.m,
        report.n,
        short(report.gamma),
        report.normalization,
        t.render()
    ))
}
