//! `rmspec propagate`: forward and backward second moments through a layer chain, theory beside
//! Monte Carlo.

use super::args::{choice, count, ChainArgs, OutputArgs, INPUT, SAMPLING};
use clap::Args;
use rmspec::activation::Activation;
use rmspec::experiment::propagation::{run, PropagationConfig};
use rmspec::output::propagation::{self, PropagationDocument, FORMAT};
use rmspec::output::Document;

#[derive(Debug, Args)]
pub struct PropagateArgs {
    #[command(flatten)]
    chain: ChainArgs,
    /// Activation after every layer but the last.
    #[arg(short, long, default_value = "linear", value_parser = choice::<Activation>(), help_heading = INPUT)]
    activation: Activation,
    /// Independent networks (fresh weights) per strategy.
    #[arg(short, long, default_value_t = 200, allow_negative_numbers = true, help_heading = SAMPLING)]
    trials: i64,
    /// Inputs (and output gradients) per trial.
    #[arg(long, default_value_t = 64, allow_negative_numbers = true, help_heading = SAMPLING)]
    batch: i64,
    /// Seed: trial t draws from Xoshiro256++ seeded by stream t of ChaCha8 keyed by this seed.
    #[arg(long, default_value_t = 1, help_heading = SAMPLING)]
    seed: u64,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run_command(args: PropagateArgs) -> anyhow::Result<()> {
    let config = PropagationConfig {
        widths: args.chain.widths,
        strategies: args.chain.strategies.resolve()?,
        activation: args.activation,
        trials: count("trials", args.trials)?,
        batch: count("batch", args.batch)?,
        seed: args.seed,
    };
    config.validate()?;
    let study = run(&config)?;
    args.output.emit(&if args.output.json {
        Document::new(&FORMAT, &PropagationDocument { study: &study }).to_json()?
    } else {
        propagation::text(&study)
    })
}
