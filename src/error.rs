//! The crate's one error type.
//!
//! Every fallible function in the library returns [`Result<T>`]. A variant names the bad
//! parameter and the value it had, so that the CLI can print it on one line and a test can
//! match on it. Panics are reserved for broken internal invariants (documented under `# Panics`).

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in rmspec's library code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A numeric parameter is NaN, infinite, or outside its allowed range.
    #[error("invalid {name} = {value}: {constraint}")]
    InvalidParameter {
        /// The parameter's name as the user sees it (`gamma`, `variance`, `m`, ...).
        name: &'static str,
        /// The offending value, formatted.
        value: String,
        /// The constraint it violates, e.g. "must be finite and > 0".
        constraint: &'static str,
    },
    /// A name (strategy, activation, law, method) that rmspec does not know.
    #[error("unknown {kind} '{name}' (expected one of: {expected})")]
    UnknownName {
        /// What kind of name it was (`strategy`, `activation`, ...).
        kind: &'static str,
        /// The name given.
        name: String,
        /// The accepted names, comma separated.
        expected: String,
    },
    /// Two pieces of input disagree (a slice length and a shape, two partial results, ...).
    #[error("{0}")]
    Mismatch(String),
    /// The problem would need more memory than rmspec is willing to allocate.
    #[error("{what} would need about {}, more than the limit of {}", HumanBytes(*.required_bytes), HumanBytes(*.limit_bytes))]
    TooLarge {
        /// What was being allocated.
        what: String,
        /// Estimated bytes needed.
        required_bytes: u64,
        /// The limit in force.
        limit_bytes: u64,
    },
    /// A LAPACK routine reported failure. `info < 0` means argument `-info` was illegal (a bug
    /// in rmspec); `info > 0` means the algorithm did not converge.
    #[error("LAPACK {routine} failed with info = {info} ({})", if *.info < 0 { "illegal argument: a bug in rmspec" } else { "no convergence" })]
    Lapack {
        /// The routine's name, e.g. `dsyevd`.
        routine: &'static str,
        /// LAPACK's `info` output.
        info: i32,
    },
    /// Input data (a matrix handed to the check API, a partial result file) is not valid.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A file or directory could not be opened, read, listed or mapped (the operating system's
    /// reason is in the message, after the path and what was attempted).
    #[error("invalid input: {0}")]
    File(String),
    /// A computation on valid input did not succeed in double precision: a solver found no
    /// root, or a result failed its own consistency check (the message says where).
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// The run was stopped on request (Ctrl-C) before it finished; nothing was written.
    #[error("interrupted before the run finished; no result was written")]
    Interrupted,
}

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid(name: &'static str, value: impl fmt::Display, constraint: &'static str) -> Self {
        Error::InvalidParameter { name, value: value.to_string(), constraint }
    }
}

/// A size or count given as a signed integer (as the command line and Python give them): at
/// least 1, so that a negative value gets the same one-line error as zero.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `name` when `value` < 1.
pub fn count(name: &'static str, value: i64) -> Result<usize> {
    usize::try_from(value).ok().filter(|&v| v > 0).ok_or_else(|| Error::invalid(name, value, "must be at least 1"))
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn require_positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "must be finite and > 0"))
    }
}

/// Checks that `value` lies in the closed interval [lo, hi] (and is not NaN).
pub(crate) fn require_in_closed(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    constraint: &'static str,
) -> Result<f64> {
    if value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, constraint))
    }
}

/// Formats a byte count with a binary unit, for error messages.
struct HumanBytes(u64);

impl fmt::Display for HumanBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
        let mut value = self.0 as f64;
        let mut unit = 0;
        while value >= 1024.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        if unit == 0 {
            write!(f, "{} B", self.0)
        } else {
            write!(f, "{value:.1} {}", UNITS[unit])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_parameter_and_value() {
        let e = Error::invalid("gamma", -1.0, "must be finite and > 0");
        assert_eq!(e.to_string(), "invalid gamma = -1: must be finite and > 0");
        let e = Error::TooLarge { what: "a 1e6 x 1e6 matrix".into(), required_bytes: 8 << 40, limit_bytes: 16 << 30 };
        assert_eq!(e.to_string(), "a 1e6 x 1e6 matrix would need about 8.0 TiB, more than the limit of 16.0 GiB");
        let e = Error::Lapack { routine: "dsyevd", info: 3 };
        assert!(e.to_string().contains("no convergence"));
    }

    #[test]
    fn positivity_rejects_nan_zero_negative_infinite() {
        for v in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
            assert!(require_positive("variance", v).is_err(), "{v}");
        }
        assert_eq!(require_positive("variance", 2.5), Ok(2.5));
        assert!(require_in_closed("mix", f64::NAN, 0.0, 1.0, "in [0,1]").is_err());
    }
}
