//! `rmspec propagate`: forward and backward second moments through a layer chain, theory beside
//! Monte Carlo.

use clap::Args;
use rmspec::activation::Activation;
use rmspec::experiment::propagation::{run, PropagationConfig, PropagationStudy};
use rmspec::report::{num, pm, to_json, TextTable};

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
    if args.json {
        return super::print(&to_json(&study)?);
    }
    super::print(&text_report(&study))
}

fn text_report(study: &PropagationStudy) -> String {
    let widths: Vec<String> = study.widths.iter().map(|w| w.to_string()).collect();
    let mut out = format!(
        "Variance propagation: widths {}, activation {}, {} trials × batch {}, seed {}\nconvention: {}\nforward: {}\nbackward: {}\ntheory: {}\n",
        widths.join("→"),
        study.activation,
        study.trials,
        study.batch,
        study.seed,
        study.normalization,
        study.forward_measures,
        study.backward_measures,
        study.theory
    );
    for s in &study.strategies {
        out.push_str(&format!("\n{}\n", s.strategy));
        let mut t = TextTable::new([
            "layer",
            "m×n",
            "s2",
            "forward theory",
            "forward MC mean ± se",
            "backward theory",
            "backward MC mean ± se",
        ]);
        for (l, layer) in s.layers.iter().enumerate() {
            t.row([
                (l + 1).to_string(),
                format!("{}×{}", layer.fan_in, layer.fan_out),
                num(layer.variance),
                num(layer.forward.theory),
                pm(layer.forward.mean, layer.forward.stderr),
                num(layer.backward.theory),
                pm(layer.backward.mean, layer.backward.stderr),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}
