//! Framework initialisers — PyTorch, Keras, Flax/JAX — with their exact entry laws, variances and
//! fan rules, mapped onto rmspec's m×n convention.
//!
//! # Convention
//!
//! W ∈ ℝ^{m×n} with m = fan-in rows and n = fan-out columns (see the
//! [crate table](crate#conventions)). A framework stores the same layer in its own layout
//! (PyTorch `Linear.weight` is [out, in] = n×m; Keras and Flax `Dense` kernels are [in, out] =
//! m×n; convolution kernels are flattened to m = in·kh·kw rows, see [`crate::weights::layout`]).
//! Each initialiser below draws iid entries from an [`EntryLaw`] at a variance s2 fixed by its
//! framework's *fans*: for a dense layer fan_in = m and fan_out = n; for a convolution with
//! receptive field r = kh·kw (every framework here uses the same rule: PyTorch's
//! `_calculate_fan_in_and_fan_out`, Keras' and JAX's `_compute_fans`) fan_in = in·r = m and
//! fan_out = out·r = n·r, which is *not* n.
//!
//! | name (aliases) | framework function | entry law | s2 |
//! |---|---|---|---|
//! | `torch-default` (`torch-linear`, `torch-conv`) | PyTorch `nn.Linear`/`nn.ConvNd` default, `kaiming_uniform_(a=√5)` | U(±1/√fan_in) | 1/(3·fan_in) |
//! | `xavier-uniform[:G]` | `xavier_uniform_(gain=G)` (G = 1) | U(±G·√(6/(fan_in+fan_out))) | 2G²/(fan_in+fan_out) |
//! | `xavier-normal[:G]` | `xavier_normal_(gain=G)` | N(0, s2) | 2G²/(fan_in+fan_out) |
//! | `kaiming-uniform[:MODE[:NONLIN[:A]]]` | `kaiming_uniform_(a=A, mode, nonlinearity)`, defaults fan_in, leaky_relu, 0 | U(±g·√(3/fan_mode)) | g²/fan_mode |
//! | `kaiming-normal[:MODE[:NONLIN[:A]]]` | `kaiming_normal_(a=A, mode, nonlinearity)` | N(0, s2) | g²/fan_mode |
//! | `torch-orthogonal[:G]` | `orthogonal_(gain=G)` | Haar semi-orthogonal, every singular value = G | G²/max(m, n) |
//! | `glorot-uniform` (`keras-default`) | Keras `GlorotUniform` (the `Dense` and `Conv` default), JAX `glorot_uniform` | U(±√(6/(fan_in+fan_out))) | 2/(fan_in+fan_out) |
//! | `glorot-normal` | Keras `GlorotNormal`, JAX `glorot_normal` | truncated normal | 2/(fan_in+fan_out) |
//! | `he-normal` | Keras `HeNormal`, JAX `he_normal` | truncated normal | 2/fan_in |
//! | `he-uniform` | Keras `HeUniform`, JAX `he_uniform` | U(±√(6/fan_in)) | 2/fan_in |
//! | `lecun-normal` (`flax-default`, `jax-default`) | Keras `LecunNormal`; JAX `lecun_normal`, Flax `linen.Dense`/`Conv` default | truncated normal | 1/fan_in |
//! | `lecun-uniform` | Keras `LecunUniform`, JAX `lecun_uniform` | U(±√(3/fan_in)) | 1/fan_in |
//! | `uniform:V` | — | U(±√(3V)) | V |
//! | `normal:V` | — (as `variance:V`, but usable where an initialiser is expected) | N(0, V) | V |
//! | `truncated-normal:V` | — | truncated normal | V |
//!
//! g is PyTorch's `calculate_gain(nonlinearity, a)`: 1 for `linear` and `sigmoid`, 5/3 for
//! `tanh`, √2 for `relu`, √(2/(1 + a²)) for `leaky_relu`, 3/4 for `selu`; fan_mode is fan_in or
//! fan_out. "Truncated normal" is the Keras/JAX `variance_scaling` law: N(0, τ²) conditioned on
//! |x| ≤ 2τ with τ = √s2/c and c = √(1 − 4φ(2)/(2Φ(2) − 1)) = 0.87962566103423978…, the standard
//! deviation of a standard normal truncated to [−2, 2]; so the entries have variance exactly
//! s2. (PyTorch's own `trunc_normal_(std, a=-2, b=2)` truncates at ±2 in absolute units, which for
//! the usual std ≪ 1 is a plain normal: use `variance:V`.)
//!
//! Keras' `Orthogonal(gain)` is the same law as `torch-orthogonal:G` (QR of a Gaussian matrix
//! with the signs of R's diagonal, then ×gain).
//!
//! # What theory says about these laws
//!
//! The Marchenko–Pastur bulk and the Bai–Yin edges depend on the entry law only through its
//! variance (universality for iid entries with finite fourth moment[^by93][^bs10]); all laws
//! here are bounded or subgaussian. The Tracy–Widom fluctuations of the extreme eigenvalues hold
//! for iid entries with subexponential tails[^py14] (and, for the smallest eigenvalue,
//! Feldheim–Sodin's symmetric-law result[^fs10]), so [`crate::intervals`] applies at leading
//! order; its finite-size accuracy for uniform and truncated-normal entries is measured by
//! `examples/entry_law_coverage.rs` (table in `docs/weights.md`).
//!
//! Sources: PyTorch `torch/nn/init.py` and `torch/nn/modules/linear.py` (`reset_parameters`);
//! Keras `keras/src/initializers/random_initializers.py`; JAX `jax/_src/nn/initializers.py`;
//! Flax `flax/linen/linear.py` (`default_kernel_init = lecun_normal()`).
//!
//! [^by93]: Z. D. Bai and Y. Q. Yin, "Limit of the smallest eigenvalue of a large dimensional
//!     sample covariance matrix", *Ann. Probab.* 21 (1993).
//! [^bs10]: Z. Bai and J. W. Silverstein, *Spectral Analysis of Large Dimensional Random
//!     Matrices*, Springer (2010), ch. 3 and 5.
//! [^py14]: N. S. Pillai and J. Yin, "Universality of covariance matrices", *Ann. Appl. Probab.*
//!     24 (2014), 935–1001.
//! [^fs10]: O. N. Feldheim and S. Sodin, "A universality result for the smallest eigenvalues of
//!     certain sample covariance matrices", *Geom. Funct. Anal.* 20 (2010).

use crate::error::{require_positive, Error, Result};
use crate::shape::Shape;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Standard deviation of a standard normal truncated to [−2, 2]: the Keras/JAX correction
/// constant (`.87962566103423978`).
pub const TRUNCATED_NORMAL_SD: f64 = 0.879_625_661_034_239_8;

/// The law of each entry, at unit variance; entries of a layer are `√s2` times draws from it.
/// Serialised as its [`name`](Self::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryLaw {
    /// N(0, 1).
    Normal,
    /// U(−√3, √3).
    Uniform,
    /// N(0, 1/c²) truncated to ±2/c (c = [`TRUNCATED_NORMAL_SD`]): variance 1.
    TruncatedNormal,
}

impl EntryLaw {
    /// E x⁴ at unit variance (3 for the normal, 9/5 for the uniform, 2.3655… truncated).
    pub fn fourth_moment(self) -> f64 {
        match self {
            EntryLaw::Normal => 3.0,
            EntryLaw::Uniform => 1.8,
            EntryLaw::TruncatedNormal => TRUNCATED_NORMAL_FOURTH_MOMENT,
        }
    }

    /// The law at unit variance as an adjective in sentences ("simulated standard Gaussian 64×128
    /// matrices", "unit-variance uniform").
    pub fn unit_description(self) -> &'static str {
        match self {
            EntryLaw::Normal => "standard Gaussian",
            EntryLaw::Uniform => "unit-variance uniform",
            EntryLaw::TruncatedNormal => "unit-variance truncated-normal",
        }
    }

    /// The law's name in JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            EntryLaw::Normal => "normal",
            EntryLaw::Uniform => "uniform",
            EntryLaw::TruncatedNormal => "truncated-normal",
        }
    }
}

/// E x⁴ of the unit-variance truncated normal: (3 − 28φ(2)/(2Φ(2) − 1))/c⁴.
/// source: scripts/reference/entry_laws.py (mpmath, 30 digits).
pub const TRUNCATED_NORMAL_FOURTH_MOMENT: f64 = 2.365_536_717_129_649_5;

/// Which fan a Kaiming initialiser divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FanMode {
    /// fan_in (PyTorch's default): preserves the forward second moment.
    FanIn,
    /// fan_out: preserves the backward second moment.
    FanOut,
}

/// PyTorch's `calculate_gain` nonlinearities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Nonlinearity {
    /// `linear` (and the conv/identity aliases): 1.
    Linear,
    /// `sigmoid`: 1.
    Sigmoid,
    /// `tanh`: 5/3.
    Tanh,
    /// `relu`: √2.
    Relu,
    /// `leaky_relu` with negative slope a: √(2/(1 + a²)).
    LeakyRelu(f64),
    /// `selu`: 3/4.
    Selu,
}

impl Nonlinearity {
    /// PyTorch's `calculate_gain(nonlinearity, a)`.
    pub fn gain(self) -> f64 {
        match self {
            Nonlinearity::Linear | Nonlinearity::Sigmoid => 1.0,
            Nonlinearity::Tanh => 5.0 / 3.0,
            Nonlinearity::Relu => std::f64::consts::SQRT_2,
            Nonlinearity::LeakyRelu(a) => (2.0 / (1.0 + a * a)).sqrt(),
            Nonlinearity::Selu => 0.75,
        }
    }
}

/// The fans of one layer in its framework's rule, with its matrix shape m×n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fans {
    /// The matrix W: m rows (fan-in side), n columns (fan-out side).
    pub shape: Shape,
    /// The framework's fan_out: n for a dense layer, n times the receptive field of a
    /// convolution.
    pub fan_out: usize,
}

impl Fans {
    /// A plain m×n matrix (dense layer): fan_in = m, fan_out = n.
    pub fn matrix(shape: Shape) -> Self {
        Fans { shape, fan_out: shape.n() }
    }

    /// The framework's fan_in: m, for every layer kind (a convolution's in·r).
    pub fn fan_in(self) -> usize {
        self.shape.m()
    }
}

/// A framework initialiser (see the [module table](self)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Initializer {
    /// PyTorch `nn.Linear`/`nn.ConvNd` default: U(±1/√fan_in).
    TorchDefault,
    /// PyTorch `xavier_uniform_(gain)`.
    XavierUniform {
        /// The gain G.
        gain: f64,
    },
    /// PyTorch `xavier_normal_(gain)`.
    XavierNormal {
        /// The gain G.
        gain: f64,
    },
    /// PyTorch `kaiming_uniform_(a, mode, nonlinearity)`.
    KaimingUniform {
        /// fan_in or fan_out.
        mode: FanMode,
        /// The nonlinearity (with `a` inside `LeakyRelu`).
        nonlinearity: Nonlinearity,
    },
    /// PyTorch `kaiming_normal_(a, mode, nonlinearity)`.
    KaimingNormal {
        /// fan_in or fan_out.
        mode: FanMode,
        /// The nonlinearity (with `a` inside `LeakyRelu`).
        nonlinearity: Nonlinearity,
    },
    /// PyTorch `orthogonal_(gain)` (and Keras `Orthogonal(gain)`): every singular value = gain.
    TorchOrthogonal {
        /// The gain G.
        gain: f64,
    },
    /// Keras/JAX `variance_scaling(scale, mode, distribution)`: s2 = scale/fan.
    VarianceScaling {
        /// The scale (1 for Glorot and LeCun, 2 for He).
        scale: f64,
        /// Which fan: `None` for the average (fan_in + fan_out)/2 (Glorot).
        mode: Option<FanMode>,
        /// Uniform or truncated normal.
        law: EntryLaw,
    },
    /// Any law at a fixed variance (`uniform:V`, `truncated-normal:V`).
    Fixed {
        /// The entry law.
        law: EntryLaw,
        /// The variance V.
        variance: f64,
    },
}

impl Initializer {
    /// The entry variance s2 at `fans`.
    pub fn variance(&self, fans: Fans) -> f64 {
        let fan = |mode: FanMode| match mode {
            FanMode::FanIn => fans.fan_in() as f64,
            FanMode::FanOut => fans.fan_out as f64,
        };
        let sum = fans.fan_in() as f64 + fans.fan_out as f64;
        match *self {
            Initializer::TorchDefault => 1.0 / (3.0 * fans.fan_in() as f64),
            Initializer::XavierUniform { gain } | Initializer::XavierNormal { gain } => 2.0 * gain * gain / sum,
            Initializer::KaimingUniform { mode, nonlinearity } | Initializer::KaimingNormal { mode, nonlinearity } => {
                nonlinearity.gain().powi(2) / fan(mode)
            }
            Initializer::TorchOrthogonal { gain } => gain * gain / fans.shape.max() as f64,
            Initializer::VarianceScaling { scale, mode, .. } => match mode {
                Some(mode) => scale / fan(mode),
                None => 2.0 * scale / sum,
            },
            Initializer::Fixed { variance, .. } => variance,
        }
    }

    /// The entry law, or `None` for the (non-iid) orthogonal initialiser.
    pub fn entry_law(&self) -> Option<EntryLaw> {
        match *self {
            Initializer::TorchDefault | Initializer::XavierUniform { .. } | Initializer::KaimingUniform { .. } => {
                Some(EntryLaw::Uniform)
            }
            Initializer::XavierNormal { .. } | Initializer::KaimingNormal { .. } => Some(EntryLaw::Normal),
            Initializer::TorchOrthogonal { .. } => None,
            Initializer::VarianceScaling { law, .. } | Initializer::Fixed { law, .. } => Some(law),
        }
    }

    /// Every initialiser's canonical default form, in the order of [`NAMES`] (for tests and
    /// listings; `uniform:1` stands for the fixed-variance laws).
    pub fn defaults() -> Vec<Initializer> {
        NAMES.iter().filter_map(|e| e.instance).map(|name| name.parse().expect("the table names parse")).collect()
    }
}

/// One row of the initialiser table: the name as typed with its arguments, the aliases, s2 as a
/// formula of m (fan-in) and n (fan-out) for a dense layer, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct InitializerName {
    /// The name with its optional or required arguments (`xavier-uniform[:G]`, `uniform:V`).
    pub name: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// s2 of a dense m×n layer (fan_in = m, fan_out = n).
    pub variance: &'static str,
    /// The framework function and the entry law.
    pub note: &'static str,
    /// The canonical default instance, parsed by [`Initializer::defaults`] (`None` for the rows
    /// whose fixed-variance law `uniform:1` already stands for).
    instance: Option<&'static str>,
}

/// Every initialiser name rmspec accepts, in the order of the [module table](self); the strategy
/// table [`crate::strategy::CATALOGUE`] lists them after the strategies of the source analysis.
pub const NAMES: [InitializerName; 15] = [
    InitializerName {
        name: "torch-default",
        aliases: &["torch-linear", "torch-conv"],
        variance: "1/(3m)",
        note: "PyTorch Linear/Conv default, kaiming_uniform_(a=√5): U(±1/√m)",
        instance: Some("torch-default"),
    },
    InitializerName {
        name: "xavier-uniform[:G]",
        aliases: &[],
        variance: "2G²/(m+n)",
        note: "PyTorch xavier_uniform_(gain=G), G = 1 by default: uniform",
        instance: Some("xavier-uniform"),
    },
    InitializerName {
        name: "xavier-normal[:G]",
        aliases: &[],
        variance: "2G²/(m+n)",
        note: "PyTorch xavier_normal_(gain=G): normal",
        instance: Some("xavier-normal"),
    },
    InitializerName {
        name: "kaiming-uniform[:MODE[:NONLIN[:A]]]",
        aliases: &[],
        variance: "g²/m or g²/n",
        note: "PyTorch kaiming_uniform_: MODE fan_in (m) or fan_out (n), g = calculate_gain(NONLIN, A), \
               defaults fan_in, leaky_relu, 0: uniform",
        instance: Some("kaiming-uniform"),
    },
    InitializerName {
        name: "kaiming-normal[:MODE[:NONLIN[:A]]]",
        aliases: &[],
        variance: "g²/m or g²/n",
        note: "PyTorch kaiming_normal_, arguments as kaiming-uniform: normal",
        instance: Some("kaiming-normal"),
    },
    InitializerName {
        name: "torch-orthogonal[:G]",
        aliases: &[],
        variance: "G²/max(m,n)",
        note: "PyTorch orthogonal_(gain=G), Keras Orthogonal: Haar semi-orthogonal, every σ = G",
        instance: Some("torch-orthogonal"),
    },
    InitializerName {
        name: "glorot-uniform",
        aliases: &["keras-default"],
        variance: "2/(m+n)",
        note: "Keras GlorotUniform (the Dense default), JAX glorot_uniform: uniform",
        instance: Some("glorot-uniform"),
    },
    InitializerName {
        name: "glorot-normal",
        aliases: &[],
        variance: "2/(m+n)",
        note: "Keras GlorotNormal, JAX glorot_normal: truncated normal",
        instance: Some("glorot-normal"),
    },
    InitializerName {
        name: "he-normal",
        aliases: &[],
        variance: "2/m",
        note: "Keras HeNormal, JAX he_normal: truncated normal",
        instance: Some("he-normal"),
    },
    InitializerName {
        name: "he-uniform",
        aliases: &[],
        variance: "2/m",
        note: "Keras HeUniform, JAX he_uniform: uniform",
        instance: Some("he-uniform"),
    },
    InitializerName {
        name: "lecun-normal",
        aliases: &["flax-default", "jax-default"],
        variance: "1/m",
        note: "Keras LecunNormal, JAX lecun_normal, the Flax Dense/Conv default: truncated normal",
        instance: Some("lecun-normal"),
    },
    InitializerName {
        name: "lecun-uniform",
        aliases: &[],
        variance: "1/m",
        note: "Keras LecunUniform, JAX lecun_uniform: uniform",
        instance: Some("lecun-uniform"),
    },
    InitializerName {
        name: "uniform:V",
        aliases: &[],
        variance: "V",
        note: "uniform entries of variance V > 0",
        instance: Some("uniform:1"),
    },
    InitializerName {
        name: "truncated-normal:V",
        aliases: &[],
        variance: "V",
        note: "Keras/JAX truncated normal (at ±2τ) of variance V > 0",
        instance: None,
    },
    InitializerName {
        name: "normal:V",
        aliases: &[],
        variance: "V",
        note: "normal entries of variance V > 0",
        instance: None,
    },
];

/// The initialiser names for error messages: `torch-default (torch-linear, torch-conv), …`.
pub fn expected_names() -> String {
    NAMES.iter().map(|e| name_with_aliases(e.name, e.aliases)).collect::<Vec<_>>().join(", ")
}

/// `name (alias, alias)`, or `name` alone: how tables and messages list a name.
pub fn name_with_aliases(name: &str, aliases: &[&str]) -> String {
    match aliases {
        [] => name.to_string(),
        aliases => format!("{name} ({})", aliases.join(", ")),
    }
}

fn parse_number(name: &'static str, text: &str) -> Result<f64> {
    text.trim().parse::<f64>().map_err(|_| Error::invalid(name, format!("'{text}'"), "is not a number"))
}

fn parse_gain(rest: Option<&str>) -> Result<f64> {
    match rest {
        None => Ok(1.0),
        Some(text) => require_positive("gain", parse_number("gain", text)?),
    }
}

fn parse_kaiming(rest: Option<&str>) -> Result<(FanMode, Nonlinearity)> {
    let mut parts = rest.map(|r| r.split(':').collect::<Vec<_>>()).unwrap_or_default().into_iter();
    let mode = match parts.next().unwrap_or("fan_in") {
        "fan_in" | "fan-in" => FanMode::FanIn,
        "fan_out" | "fan-out" => FanMode::FanOut,
        other => return Err(Error::invalid("kaiming mode", format!("'{other}'"), "must be fan_in or fan_out")),
    };
    let name = parts.next().unwrap_or("leaky_relu");
    let slope = match parts.next() {
        Some(a) => parse_number("negative slope a", a)?,
        None => 0.0,
    };
    if !slope.is_finite() {
        return Err(Error::invalid("negative slope a", slope, "must be finite"));
    }
    let nonlinearity = match name {
        "linear" | "identity" | "conv1d" | "conv2d" | "conv3d" => Nonlinearity::Linear,
        "sigmoid" => Nonlinearity::Sigmoid,
        "tanh" => Nonlinearity::Tanh,
        "relu" => Nonlinearity::Relu,
        "leaky_relu" | "leaky-relu" => Nonlinearity::LeakyRelu(slope),
        "selu" => Nonlinearity::Selu,
        other => {
            return Err(Error::invalid(
                "nonlinearity",
                format!("'{other}'"),
                "must be linear, sigmoid, tanh, relu, leaky_relu or selu",
            ))
        }
    };
    if parts.next().is_some() {
        return Err(Error::invalid("kaiming initialiser", rest.unwrap_or(""), "takes at most MODE:NONLINEARITY:A"));
    }
    Ok((mode, nonlinearity))
}

impl FromStr for Initializer {
    type Err = Error;

    /// Parses the names of the module table (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        let (head, rest) = match lower.split_once(':') {
            Some((h, r)) => (h, Some(r)),
            None => (lower.as_str(), None),
        };
        let scaling =
            |scale: f64, mode: Option<FanMode>, law: EntryLaw| Initializer::VarianceScaling { scale, mode, law };
        let no_argument = |init: Initializer| match rest {
            None => Ok(init),
            Some(r) => Err(Error::invalid("initialiser argument", format!("'{r}'"), "this initialiser takes none")),
        };
        match head {
            "torch-default" | "torch-linear" | "torch-conv" => no_argument(Initializer::TorchDefault),
            "xavier-uniform" => Ok(Initializer::XavierUniform { gain: parse_gain(rest)? }),
            "xavier-normal" => Ok(Initializer::XavierNormal { gain: parse_gain(rest)? }),
            "kaiming-uniform" => {
                let (mode, nonlinearity) = parse_kaiming(rest)?;
                Ok(Initializer::KaimingUniform { mode, nonlinearity })
            }
            "kaiming-normal" => {
                let (mode, nonlinearity) = parse_kaiming(rest)?;
                Ok(Initializer::KaimingNormal { mode, nonlinearity })
            }
            "torch-orthogonal" => Ok(Initializer::TorchOrthogonal { gain: parse_gain(rest)? }),
            "glorot-uniform" | "keras-default" => no_argument(scaling(1.0, None, EntryLaw::Uniform)),
            "glorot-normal" => no_argument(scaling(1.0, None, EntryLaw::TruncatedNormal)),
            "he-normal" => no_argument(scaling(2.0, Some(FanMode::FanIn), EntryLaw::TruncatedNormal)),
            "he-uniform" => no_argument(scaling(2.0, Some(FanMode::FanIn), EntryLaw::Uniform)),
            "lecun-normal" | "flax-default" | "jax-default" => {
                no_argument(scaling(1.0, Some(FanMode::FanIn), EntryLaw::TruncatedNormal))
            }
            "lecun-uniform" => no_argument(scaling(1.0, Some(FanMode::FanIn), EntryLaw::Uniform)),
            "uniform" | "truncated-normal" | "normal" => {
                let law = match head {
                    "uniform" => EntryLaw::Uniform,
                    "normal" => EntryLaw::Normal,
                    _ => EntryLaw::TruncatedNormal,
                };
                let text = rest.ok_or_else(|| Error::invalid("variance", "''", "is required: uniform:V"))?;
                Ok(Initializer::Fixed { law, variance: require_positive("variance", parse_number("variance", text)?)? })
            }
            _ => Err(Error::UnknownName { kind: "initialiser", name: s.to_string(), expected: expected_names() }),
        }
    }
}

impl fmt::Display for Initializer {
    /// The canonical name, which parses back to the same initialiser.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kaiming = |f: &mut fmt::Formatter<'_>, head: &str, mode: FanMode, nl: Nonlinearity| {
            let mode = match mode {
                FanMode::FanIn => "fan_in",
                FanMode::FanOut => "fan_out",
            };
            match nl {
                Nonlinearity::Linear => write!(f, "{head}:{mode}:linear"),
                Nonlinearity::Sigmoid => write!(f, "{head}:{mode}:sigmoid"),
                Nonlinearity::Tanh => write!(f, "{head}:{mode}:tanh"),
                Nonlinearity::Relu => write!(f, "{head}:{mode}:relu"),
                Nonlinearity::LeakyRelu(a) => write!(f, "{head}:{mode}:leaky_relu:{a}"),
                Nonlinearity::Selu => write!(f, "{head}:{mode}:selu"),
            }
        };
        match *self {
            Initializer::TorchDefault => f.write_str("torch-default"),
            Initializer::XavierUniform { gain } => write!(f, "xavier-uniform:{gain}"),
            Initializer::XavierNormal { gain } => write!(f, "xavier-normal:{gain}"),
            Initializer::KaimingUniform { mode, nonlinearity } => kaiming(f, "kaiming-uniform", mode, nonlinearity),
            Initializer::KaimingNormal { mode, nonlinearity } => kaiming(f, "kaiming-normal", mode, nonlinearity),
            Initializer::TorchOrthogonal { gain } => write!(f, "torch-orthogonal:{gain}"),
            Initializer::VarianceScaling { scale, mode, law } => f.write_str(match (scale == 2.0, mode, law) {
                (false, None, EntryLaw::Uniform) => "glorot-uniform",
                (false, None, _) => "glorot-normal",
                (true, _, EntryLaw::Uniform) => "he-uniform",
                (true, _, _) => "he-normal",
                (false, Some(_), EntryLaw::Uniform) => "lecun-uniform",
                (false, Some(_), _) => "lecun-normal",
            }),
            Initializer::Fixed { law, variance } => write!(f, "{}:{variance}", law.name()),
        }
    }
}

impl Serialize for Initializer {
    /// As its canonical name (`"torch-default"`, `"xavier-uniform:1"`, …).
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variances_follow_each_framework_rule() {
        // A 3×3 conv from 16 to 32 channels: fan_in = 16·9 = 144 = m, fan_out = 32·9 = 288, n = 32.
        let conv = Fans { shape: Shape::new(144, 32).unwrap(), fan_out: 288 };
        let table: [(&str, f64); 12] = [
            ("torch-default", 1.0 / (3.0 * 144.0)),
            ("xavier-uniform", 2.0 / 432.0),
            ("xavier-normal:2", 8.0 / 432.0),
            ("kaiming-uniform", 2.0 / 144.0),
            ("kaiming-normal:fan_out:relu", 2.0 / 288.0),
            ("kaiming-normal:fan_in:tanh", 25.0 / 9.0 / 144.0),
            ("kaiming-uniform:fan_in:leaky_relu:2.23606797749979", 2.0 / 6.0 / 144.0),
            ("torch-orthogonal:3", 9.0 / 144.0),
            ("glorot-uniform", 2.0 / 432.0),
            ("he-normal", 2.0 / 144.0),
            ("lecun-normal", 1.0 / 144.0),
            ("truncated-normal:0.25", 0.25),
        ];
        for (name, expected) in table {
            let got = name.parse::<Initializer>().unwrap().variance(conv);
            assert!((got / expected - 1.0).abs() < 1e-14, "{name}: {got} vs {expected}");
        }
        // kaiming_uniform_(a=√5) is the torch default: U(±1/√fan_in).
        let a5 =
            Initializer::KaimingUniform { mode: FanMode::FanIn, nonlinearity: Nonlinearity::LeakyRelu(5f64.sqrt()) };
        assert!((a5.variance(conv) / Initializer::TorchDefault.variance(conv) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn truncated_normal_constants_match_the_closed_form() {
        // c² = 1 − 4φ(2)/(2Φ(2) − 1); E Z⁴ = 3 − 28φ(2)/(2Φ(2) − 1) (before dividing by c⁴).
        // source: scripts/reference/entry_laws.py (mpmath quadrature, 40 digits):
        // c = 0.879625661034239750412841419578, m4 = 2.36553671712964951165026667975.
        let phi2 = (-2.0f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let mass = statrs::function::erf::erf(2.0 / std::f64::consts::SQRT_2);
        let c2 = 1.0 - 4.0 * phi2 / mass;
        // The constants themselves are the mpmath values above; this checks the closed forms
        // with statrs' erf, which is off by about 3e-13 at √2 (measured): bar 1e-12.
        assert!((c2.sqrt() - TRUNCATED_NORMAL_SD).abs() < 1e-12, "{}", c2.sqrt());
        let m4 = (3.0 - 28.0 * phi2 / mass) / (c2 * c2);
        assert!((m4 - TRUNCATED_NORMAL_FOURTH_MOMENT).abs() < 1e-11, "{m4}");
    }

    #[test]
    fn names_round_trip_and_bad_ones_are_errors() {
        for init in Initializer::defaults() {
            assert_eq!(init.to_string().parse::<Initializer>().unwrap(), init, "{init}");
        }
        assert_eq!("keras-default".parse::<Initializer>().unwrap().to_string(), "glorot-uniform");
        assert_eq!("flax-default".parse::<Initializer>().unwrap().to_string(), "lecun-normal");
        let normal = Initializer::Fixed { law: EntryLaw::Normal, variance: 0.0004 };
        assert_eq!(normal.to_string().parse::<Initializer>().unwrap(), normal);
        for bad in [
            "xavier-uniform:0",
            "xavier-uniform:x",
            "kaiming-normal:fan_sideways",
            "kaiming-normal:fan_in:swish",
            "kaiming-normal:fan_in:leaky_relu:nan",
            "kaiming-normal:fan_in:relu:0:9",
            "uniform",
            "uniform:-1",
            "he-normal:2",
            "glorot",
        ] {
            assert!(bad.parse::<Initializer>().is_err(), "{bad}");
        }
    }
}
