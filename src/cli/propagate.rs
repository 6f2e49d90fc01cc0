//! `rmspec propagate`: forward and backward second moments through a layer chain, theory beside
//! Monte Carlo.

use clap::Args;
use rmspec::activation::Activation;
use rmspec::experiment::propagation::{run, PropagationConfig};
use rmspec::output::{propagation, to_json};

#[derive(Debug, Args)]
pub struct PropagateArgs {
    /// Layer widths w0,w1,…,wL (at least two): layer l has a w(l−1)×w(l) weight matrix.
    #[arg(long, value_delimiter = ',', num_args = 1.., required = true)]
    widths: Vec<usize>,
    /// Strategy name, comma-separated names, or `all` (repeatable).
    #[arg(long = "strategy", default_value = "all")]
    strategies: Vec<String>,
    /// Activation after every layer but the last: linear, relu, tanh, gelu, swish.
    #[arg(long, default_value = "linear")]
    activation: String,
    /// Independent networks (fresh weights) per strategy.
    #[arg(long, default_value_t = 200)]
    trials: usize,
    /// Inputs (and output gradients) per trial.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Seed: trial t draws from Xoshiro256++ seeded by stream t of ChaCha8 keyed by this seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run_command(args: PropagateArgs) -> anyhow::Result<()> {
    let activation: Activation = args.activation.parse()?;
    let config = PropagationConfig {
        widths: args.widths,
        strategies: super::parse_strategies(&args.strategies)?,
        activation,
        trials: args.trials,
        batch: args.batch,
        seed: args.seed,
    };
    config.validate()?;
    let study = run(&config)?;
    super::print(&if args.json { to_json(&study)? } else { propagation::text(&study) })
}
