//! `rmspec jacobian`: the free-probability law of a deep network's input–output Jacobian, per
//! strategy, optionally beside sampled networks.

use super::args::{choice, count, ChainArgs, OutputArgs, INPUT, OUTPUT, SAMPLING};
use anyhow::Context;
use clap::Args;
use rmspec::activation::Activation;
use rmspec::experiment::jacobian::{run, JacobianConfig, JacobianStudy, SimulationConfig};
use rmspec::figures::jacobian::density_vs_simulation;
use rmspec::law::jacobian::MeanField;
use rmspec::output::jacobian::{text, JacobianDocument, FORMAT};
use rmspec::output::{ensure_writable_dir, Document, OutputSet};
use rmspec::plot::{render, ImageFormat};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct JacobianArgs {
    #[command(flatten)]
    chain: ChainArgs,
    /// Activation after every layer, the last included.
    #[arg(short, long, default_value = "linear", value_parser = choice::<Activation>(), help_heading = INPUT)]
    activation: Activation,
    /// Bias variance σ_b² (biases N(0, σ_b²)).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true, help_heading = INPUT)]
    bias_variance: f64,
    /// Use every layer's mean-field fixed point q* instead of the trajectory q_l from the input
    /// (E x0² = 1).
    #[arg(long, help_heading = INPUT)]
    fixed_point: bool,
    /// Grid points of the density and CDF (cell midpoints of the continuous part's support).
    #[arg(long, default_value_t = 1000, allow_negative_numbers = true, help_heading = OUTPUT)]
    points: i64,
    /// Also sample this many networks per strategy and compare their Jacobians' spectra with the
    /// law (KS distance).
    #[arg(long, value_name = "TRIALS", allow_negative_numbers = true, help_heading = SAMPLING)]
    simulate: Option<i64>,
    /// Seed: trial t draws from Xoshiro256++ seeded by stream t of ChaCha8 keyed by this seed.
    #[arg(long, default_value_t = 1, help_heading = SAMPLING)]
    seed: u64,
    #[command(flatten)]
    output: OutputArgs,
    /// Draw one SVG figure per strategy (law vs the histogram of sampled networks; needs
    /// --simulate) into DIR (created if missing).
    #[arg(short, long, value_name = "DIR", help_heading = OUTPUT)]
    plots: Option<PathBuf>,
}

impl JacobianArgs {
    /// The validated configuration.
    fn config(&self) -> anyhow::Result<JacobianConfig> {
        let simulation = match self.simulate {
            Some(trials) => Some(SimulationConfig { trials: count("simulate", trials)?, seed: self.seed }),
            None => None,
        };
        if self.plots.is_some() && simulation.is_none() {
            anyhow::bail!("--plots needs --simulate TRIALS: the figure sets the law against sampled networks");
        }
        let config = JacobianConfig {
            widths: self.chain.widths.clone(),
            strategies: self.chain.strategies.resolve()?,
            activation: self.activation,
            bias_variance: self.bias_variance,
            mean_field: if self.fixed_point { MeanField::FixedPoint } else { MeanField::Trajectory },
            points: count("points", self.points)?,
            simulation,
        };
        config.validate()?;
        Ok(config)
    }
}

pub fn run_command(args: JacobianArgs) -> anyhow::Result<()> {
    let config = args.config()?;
    if let Some(dir) = &args.plots {
        ensure_writable_dir(dir).context("checking --plots")?;
    }
    let study = run(&config)?;
    let mut set = OutputSet::new();
    let figures = match &args.plots {
        Some(dir) => draw_figures(&study, dir, &mut set)?,
        None => Vec::new(),
    };
    args.output.emit_with(
        set,
        &if args.output.json {
            Document::new(&FORMAT, &JacobianDocument { study: &study, figures: &figures }).to_json()?
        } else {
            text(&study, &figures)
        },
    )
}

/// Renders one figure per simulated strategy and stages it in `set` (committed with the
/// document): the paths, as the output lists them.
fn draw_figures(study: &JacobianStudy, dir: &Path, set: &mut OutputSet) -> anyhow::Result<Vec<String>> {
    // Widths in the name: all of them for up to six, else the ends and the depth.
    let w = &study.widths;
    let widths = if w.len() <= 6 {
        w.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("-")
    } else {
        format!("{}-to-{}-depth{}", w[0], w[w.len() - 1], w.len() - 1)
    };
    let mut paths = Vec::new();
    for result in &study.strategies {
        let (Some(figure), Some(sim)) = (density_vs_simulation(study, result), &result.simulation) else {
            continue;
        };
        let name = format!(
            "jacobian-w{widths}-{}-{}-t{}-seed{}.svg",
            result.strategy.to_string().replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "-"),
            study.activation,
            sim.trials,
            sim.seed
        );
        let path = dir.join(name);
        set.stage(&path, &render(&figure, ImageFormat::Svg)?)
            .with_context(|| format!("writing figure to {}", path.display()))?;
        paths.push(path.display().to_string());
    }
    Ok(paths)
}
