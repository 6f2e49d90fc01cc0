//! Initialisation strategies: the variance s2 each one gives the entries of an m×n weight matrix.
//!
//! Conventions: W ∈ ℝ^{m×n}, m = fan-in (rows), n = fan-out (columns), y = Wᵀx (see the
//! [crate-level table](crate#conventions)). Every strategy of the table below but `orthogonal`
//! draws iid N(0, s2) entries; `orthogonal` draws a Haar-distributed semi-orthogonal matrix scaled
//! so that its entries have mean square s2. Framework initialisers (`torch-default`,
//! `glorot-uniform`, `lecun-normal`, …, [`crate::initializer`]) are strategies too
//! ([`Strategy::Framework`]): iid entries of their own law (normal, uniform or truncated normal)
//! at their framework's variance, or orthogonal (`torch-orthogonal`). [`Strategy::ensemble`] says
//! which kind a strategy is.
//!
//! | name (aliases) | s2 | the mean M of m and n with s2 = 1/M |
//! |---|---|---|
//! | `geometric` | 1/√(mn) | √(mn) |
//! | `arithmetic` (`xavier`, `glorot`) | 2/(m+n) | (m+n)/2 |
//! | `quadratic` | (m+n)/(m²+n²) | (m²+n²)/(m+n) |
//! | `he` (`kaiming`) | 2/m | |
//! | `lecun` | 1/m | |
//! | `orthogonal` | 2/(m+n) unless given as `orthogonal:V` | |
//! | `mix:A` | A/√(mn) + (1−A)·2/(m+n), A ∈ [0, 1] | |
//! | `variance:V` | V | |
//!
//! `all` (on the command line) means the six named ones: geometric, arithmetic, quadratic, he,
//! lecun, orthogonal.
//!
//! References: X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
//! feedforward neural networks", AISTATS 2010; K. He, X. Zhang, S. Ren and J. Sun, "Delving deep
//! into rectifiers", ICCV 2015; Y. LeCun, L. Bottou, G. Orr and K.-R. Müller, "Efficient
//! BackProp", 1998; A. Saxe, J. McClelland and S. Ganguli, "Exact solutions to the nonlinear
//! dynamics of learning in deep linear neural networks", ICLR 2014.

use crate::error::{require_in_closed, require_positive, Error, Result};
use crate::initializer::{name_with_aliases, EntryLaw, Fans, Initializer, NAMES};
use crate::shape::Shape;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How the entries of a weight matrix are drawn, and at which variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// s2 = 1/√(mn): the geometric mean of fan-in and fan-out.
    Geometric,
    /// s2 = 2/(m+n): Xavier/Glorot, the arithmetic mean.
    Arithmetic,
    /// s2 = (m+n)/(m²+n²): minimises (m·s2 − 1)² + (n·s2 − 1)².
    Quadratic,
    /// s2 = 2/m: He/Kaiming (fan-in, ReLU gain 2).
    He,
    /// s2 = 1/m: LeCun (fan-in).
    LeCun,
    /// Haar semi-orthogonal matrix scaled to entry mean square `variance` (default 2/(m+n)).
    Orthogonal {
        /// Mean square of the entries; `None` means the arithmetic 2/(m+n).
        variance: Option<f64>,
    },
    /// s2 = A/√(mn) + (1−A)·2/(m+n) with A ∈ [0, 1].
    Mix {
        /// Weight A of the geometric variance.
        weight: f64,
    },
    /// A fixed variance s2 = V > 0.
    Variance {
        /// The variance.
        variance: f64,
    },
    /// A framework initialiser (PyTorch, Keras, Flax/JAX) with its own entry law and fan rule,
    /// applied to a plain m×n matrix (fan_in = m, fan_out = n); see [`crate::initializer`].
    Framework(Initializer),
}

/// How a strategy draws the entries of W: iid from a law, or as a scaled Haar semi-orthogonal
/// matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ensemble {
    /// iid entries √s2·x with x drawn from the law at unit variance: N(0, 1) for the strategies of
    /// the source analysis, the framework's law for framework initialisers (uniform, truncated
    /// normal, normal).
    Iid(EntryLaw),
    /// A Haar-distributed semi-orthogonal matrix, scaled.
    Orthogonal,
}

impl Strategy {
    /// The six named strategies that `all` stands for, in report order.
    pub const ALL_NAMED: [Strategy; 6] = [
        Strategy::Geometric,
        Strategy::Arithmetic,
        Strategy::Quadratic,
        Strategy::He,
        Strategy::LeCun,
        Strategy::Orthogonal { variance: None },
    ];

    /// The three "means" of the source analysis, in the order of the inequality chain.
    pub const MEANS: [Strategy; 3] = [Strategy::Geometric, Strategy::Arithmetic, Strategy::Quadratic];

    /// A validated `mix:A` strategy.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless A ∈ [0, 1].
    pub fn mix(weight: f64) -> Result<Self> {
        require_in_closed("mix weight", weight, 0.0, 1.0, "must lie in [0, 1]")?;
        Ok(Strategy::Mix { weight })
    }

    /// A validated `variance:V` strategy.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless V is finite and > 0.
    pub fn fixed_variance(variance: f64) -> Result<Self> {
        Ok(Strategy::Variance { variance: require_positive("variance", variance)? })
    }

    /// A validated `orthogonal:V` strategy (orthogonal with a given entry variance).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless V is finite and > 0.
    pub fn orthogonal_with_variance(variance: f64) -> Result<Self> {
        Ok(Strategy::Orthogonal { variance: Some(require_positive("variance", variance)?) })
    }

    /// The entry variance s2 for an m×n matrix (m = fan-in, n = fan-out).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if m or n is zero (see [`Shape::new`]).
    pub fn variance(&self, m: usize, n: usize) -> Result<f64> {
        Ok(self.variance_for(Shape::new(m, n)?))
    }

    /// The entry variance s2 for a validated shape.
    pub fn variance_for(&self, shape: Shape) -> f64 {
        let (mf, nf) = (shape.m() as f64, shape.n() as f64);
        let geometric = 1.0 / (mf.sqrt() * nf.sqrt());
        let arithmetic = 2.0 / (mf + nf);
        match *self {
            Strategy::Geometric => geometric,
            Strategy::Arithmetic => arithmetic,
            Strategy::Quadratic => (mf + nf) / (mf * mf + nf * nf),
            Strategy::He => 2.0 / mf,
            Strategy::LeCun => 1.0 / mf,
            Strategy::Orthogonal { variance } => variance.unwrap_or(arithmetic),
            Strategy::Mix { weight } => weight * geometric + (1.0 - weight) * arithmetic,
            Strategy::Variance { variance } => variance,
            Strategy::Framework(init) => init.variance(Fans::matrix(shape)),
        }
    }

    /// iid entries of a law, or orthogonal.
    pub fn ensemble(&self) -> Ensemble {
        match self {
            Strategy::Orthogonal { .. } => Ensemble::Orthogonal,
            Strategy::Framework(init) => init.entry_law().map_or(Ensemble::Orthogonal, Ensemble::Iid),
            _ => Ensemble::Iid(EntryLaw::Normal),
        }
    }

    /// The law of each entry at unit variance for iid strategies (`Normal` for every strategy of
    /// the source analysis; uniform or truncated normal for some framework initialisers), `None`
    /// for orthogonal ones.
    pub fn entry_law(&self) -> Option<EntryLaw> {
        match self.ensemble() {
            Ensemble::Iid(law) => Some(law),
            Ensemble::Orthogonal => None,
        }
    }

    /// Parses a comma-separated list where `all` expands to [`Strategy::ALL_NAMED`].
    ///
    /// # Errors
    /// The first name that does not parse.
    pub fn parse_list(list: &str) -> Result<Vec<Strategy>> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if name.eq_ignore_ascii_case("all") {
                out.extend(Strategy::ALL_NAMED);
            } else {
                out.push(name.parse()?);
            }
        }
        if out.is_empty() {
            return Err(Error::invalid("strategy", format!("'{list}'"), "names no strategy"));
        }
        Ok(dedup(out))
    }
}

/// `strategies` without repeats, each at its first place (`he,kaiming,HE` is `he` once: the
/// same strategy would be computed again and its figure overwritten).
pub fn dedup(strategies: Vec<Strategy>) -> Vec<Strategy> {
    let mut out: Vec<Strategy> = Vec::with_capacity(strategies.len());
    for s in strategies {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// How a catalogue entry's name becomes a strategy.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// A name (and its aliases) for one strategy.
    Fixed(Strategy),
    /// A framework initialiser: parsed by [`Initializer`]'s `FromStr` (its arguments included).
    Framework,
    /// `prefix` followed by a number, validated by `make`.
    Parameter {
        /// The name before the number, with its colon (`mix:`).
        prefix: &'static str,
        /// The number's name in error messages.
        parameter: &'static str,
        /// The validating constructor.
        make: fn(f64) -> Result<Strategy>,
    },
}

/// One row of the strategy table: the name a user types, its aliases, the variance as a formula
/// of m and n, and what the strategy is. [`CATALOGUE`] is the one list that parsing, error
/// messages and the command line's help are made from.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueEntry {
    /// The name as typed (`he`, `mix:A`).
    pub name: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// s2 as a formula of m (fan-in) and n (fan-out).
    pub variance: &'static str,
    /// What the strategy is.
    pub note: &'static str,
    form: Form,
}

/// Every strategy name rmspec accepts: those of the source analysis in the order of the
/// [module table](self) (`all` is the first six, [`Strategy::ALL_NAMED`]), then the framework
/// initialisers of [`crate::initializer::NAMES`].
pub const CATALOGUE: [CatalogueEntry; SOURCE.len() + NAMES.len()] = catalogue();

/// The strategies of the source analysis.
const SOURCE: [CatalogueEntry; 9] = [
    CatalogueEntry {
        name: "geometric",
        aliases: &[],
        variance: "1/√(mn)",
        note: "the geometric mean of fan-in and fan-out",
        form: Form::Fixed(Strategy::Geometric),
    },
    CatalogueEntry {
        name: "arithmetic",
        aliases: &["xavier", "glorot"],
        variance: "2/(m+n)",
        note: "Xavier/Glorot: the arithmetic mean",
        form: Form::Fixed(Strategy::Arithmetic),
    },
    CatalogueEntry {
        name: "quadratic",
        aliases: &[],
        variance: "(m+n)/(m²+n²)",
        note: "minimises (m·s2 − 1)² + (n·s2 − 1)²",
        form: Form::Fixed(Strategy::Quadratic),
    },
    CatalogueEntry {
        name: "he",
        aliases: &["kaiming"],
        variance: "2/m",
        note: "He/Kaiming: fan-in, ReLU gain 2",
        form: Form::Fixed(Strategy::He),
    },
    CatalogueEntry {
        name: "lecun",
        aliases: &[],
        variance: "1/m",
        note: "LeCun: fan-in",
        form: Form::Fixed(Strategy::LeCun),
    },
    CatalogueEntry {
        name: "orthogonal",
        aliases: &[],
        variance: "2/(m+n)",
        note: "Haar semi-orthogonal, scaled so that entries have mean square s2",
        form: Form::Fixed(Strategy::Orthogonal { variance: None }),
    },
    CatalogueEntry {
        name: "orthogonal:V",
        aliases: &[],
        variance: "V",
        note: "orthogonal with entry mean square V > 0",
        form: Form::Parameter {
            prefix: "orthogonal:",
            parameter: "variance",
            make: Strategy::orthogonal_with_variance,
        },
    },
    CatalogueEntry {
        name: "mix:A",
        aliases: &[],
        variance: "A/√(mn) + (1−A)·2/(m+n)",
        note: "geometric and arithmetic mixed, A ∈ [0, 1]",
        form: Form::Parameter { prefix: "mix:", parameter: "mix weight", make: Strategy::mix },
    },
    CatalogueEntry {
        name: "variance:V",
        aliases: &[],
        variance: "V",
        note: "Gaussian entries of any variance V > 0",
        form: Form::Parameter { prefix: "variance:", parameter: "variance", make: Strategy::fixed_variance },
    },
];

/// [`SOURCE`], then one entry per framework initialiser (a `const fn`, so that [`CATALOGUE`]
/// stays a constant built from the two tables).
const fn catalogue() -> [CatalogueEntry; SOURCE.len() + NAMES.len()] {
    let mut out = [SOURCE[0]; SOURCE.len() + NAMES.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = if i < SOURCE.len() {
            SOURCE[i]
        } else {
            let init = &NAMES[i - SOURCE.len()];
            CatalogueEntry {
                name: init.name,
                aliases: init.aliases,
                variance: init.variance,
                note: init.note,
                form: Form::Framework,
            }
        };
        i += 1;
    }
    out
}

impl CatalogueEntry {
    /// `name (alias, alias)`: how help and messages list the entry.
    pub fn label(&self) -> String {
        name_with_aliases(self.name, self.aliases)
    }

    /// Whether the entry is a framework initialiser ([`Strategy::Framework`]).
    pub fn is_framework(&self) -> bool {
        matches!(self.form, Form::Framework)
    }
}

/// The accepted names for an error message: `geometric, arithmetic (xavier, glorot), …, all, …`.
fn expected_names() -> String {
    let (source, framework) = CATALOGUE.split_at(SOURCE.len());
    let mut names: Vec<String> = source.iter().map(CatalogueEntry::label).collect();
    names.push("all".into());
    names.extend(framework.iter().map(CatalogueEntry::label));
    names.join(", ")
}

impl FromStr for Strategy {
    type Err = Error;

    /// Parses the names of [`CATALOGUE`] (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        for entry in &CATALOGUE {
            match entry.form {
                Form::Fixed(strategy) if entry.name == lower || entry.aliases.contains(&lower.as_str()) => {
                    return Ok(strategy)
                }
                Form::Parameter { prefix, parameter, make } => {
                    if let Some(text) = lower.strip_prefix(prefix) {
                        let value = text
                            .trim()
                            .parse::<f64>()
                            .map_err(|_| Error::invalid(parameter, format!("'{text}'"), "is not a number"))?;
                        return make(value);
                    }
                }
                Form::Fixed(_) | Form::Framework => {}
            }
        }
        match s.parse::<Initializer>() {
            Ok(init) => Ok(Strategy::Framework(init)),
            Err(Error::UnknownName { .. }) => {
                Err(Error::UnknownName { kind: "strategy", name: s.to_string(), expected: expected_names() })
            }
            Err(e) => Err(e),
        }
    }
}

/// A strategy's number as its name writes it: Rust's shortest round-trip form, in exponent form
/// outside [1e-4, 1e16) so that `variance:1e-300` is not a 300-digit name (or file name).
struct ShortNumber(f64);

impl fmt::Display for ShortNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v != 0.0 && v.is_finite() && !(1e-4..1e16).contains(&v.abs()) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

impl fmt::Display for Strategy {
    /// The canonical name, which parses back to the same strategy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::Geometric => f.write_str("geometric"),
            Strategy::Arithmetic => f.write_str("arithmetic"),
            Strategy::Quadratic => f.write_str("quadratic"),
            Strategy::He => f.write_str("he"),
            Strategy::LeCun => f.write_str("lecun"),
            Strategy::Orthogonal { variance: None } => f.write_str("orthogonal"),
            Strategy::Orthogonal { variance: Some(v) } => write!(f, "orthogonal:{}", ShortNumber(*v)),
            Strategy::Mix { weight } => write!(f, "mix:{}", ShortNumber(*weight)),
            Strategy::Variance { variance } => write!(f, "variance:{}", ShortNumber(*variance)),
            Strategy::Framework(init) => init.fmt(f),
        }
    }
}

impl Serialize for Strategy {
    /// As its canonical name (`"he"`, `"mix:0.25"`, …).
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Strategy {
    /// From any name [`FromStr`] accepts.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: f64 = 1e-15;

    #[test]
    fn variances_match_the_closed_forms() {
        // source: the source analysis's strategy table (quoted in docs/report.md), evaluated by hand
        // for m = 2, n = 8.
        let table: [(Strategy, f64); 8] = [
            (Strategy::Geometric, 1.0 / 4.0),
            (Strategy::Arithmetic, 1.0 / 5.0),
            (Strategy::Quadratic, 10.0 / 68.0),
            (Strategy::He, 1.0),
            (Strategy::LeCun, 0.5),
            (Strategy::Orthogonal { variance: None }, 0.2),
            (Strategy::Mix { weight: 0.5 }, 0.5 * 0.25 + 0.5 * 0.2),
            (Strategy::Variance { variance: 0.3 }, 0.3),
        ];
        for (strategy, expected) in table {
            let got = strategy.variance(2, 8).unwrap();
            assert!((got - expected).abs() < EXACT, "{strategy}: {got} vs {expected}");
        }
    }

    #[test]
    fn means_obey_the_inequality_chain_with_equality_iff_square() {
        for (m, n) in [(2, 8), (64, 256), (300, 1200), (7, 3), (128, 128)] {
            let [g, a, q] = Strategy::MEANS.map(|s| 1.0 / s.variance(m, n).unwrap());
            if m == n {
                assert!((g - a).abs() < 1e-12 && (a - q).abs() < 1e-12);
            } else {
                assert!(g < a && a < q, "({m},{n}): {g} {a} {q}");
            }
        }
    }

    #[test]
    fn names_and_aliases_parse_and_round_trip() {
        for (name, expected) in [
            ("xavier", Strategy::Arithmetic),
            ("Glorot", Strategy::Arithmetic),
            ("kaiming", Strategy::He),
            ("mix:0.25", Strategy::Mix { weight: 0.25 }),
            ("variance:2", Strategy::Variance { variance: 2.0 }),
            ("orthogonal:0.5", Strategy::Orthogonal { variance: Some(0.5) }),
        ] {
            assert_eq!(name.parse::<Strategy>().unwrap(), expected);
        }
        for s in Strategy::ALL_NAMED.into_iter().chain([Strategy::Mix { weight: 0.3 }]) {
            assert_eq!(s.to_string().parse::<Strategy>().unwrap(), s);
        }
        assert_eq!(Strategy::parse_list("all").unwrap().len(), 6);
        assert_eq!(Strategy::parse_list("he, lecun").unwrap(), vec![Strategy::He, Strategy::LeCun]);
    }

    #[test]
    fn bad_names_and_values_are_errors() {
        assert!(matches!("gaussian".parse::<Strategy>(), Err(Error::UnknownName { .. })));
        for bad in
            ["mix:1.5", "mix:-0.1", "mix:nan", "mix:x", "variance:0", "variance:-1", "variance:NaN", "variance:inf"]
        {
            assert!(bad.parse::<Strategy>().is_err(), "{bad}");
        }
        assert!(Strategy::parse_list(" , ").is_err());
        assert!(Strategy::Geometric.variance(0, 3).is_err());
        assert!(Strategy::Geometric.variance(3, 0).is_err());
    }
}
