//! The shape m×n of a weight matrix, validated once: m = fan-in (rows), n = fan-out (columns),
//! both at least 1, and m·n within the address space (see the [conventions](crate#conventions)).
//!
//! Everything derived from the shape alone is a method here, so that it is computed in one place:
//! γ = m/n, min(m, n) (the order of the smaller Gram matrix, the number of singular values),
//! max(m, n), the m − n structural zero eigenvalues of S = W Wᵀ/n when m > n, and the squared
//! singular value c² = max(m, n)·s2 of a scaled semi-orthogonal matrix.
//!
//! # Example
//! ```
//! use rmspec::Shape;
//! let shape = Shape::new(512, 1024)?;
//! assert_eq!((shape.gamma(), shape.min(), shape.max()), (0.5, 512, 1024));
//! assert_eq!(Shape::new(1024, 512)?.zero_eigenvalues(), 512);
//! assert!(Shape::new(0, 3).is_err());
//! # Ok::<(), rmspec::Error>(())
//! ```

use crate::error::{Error, Result};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

/// A validated m×n shape (m, n ≥ 1, m·n ≤ `usize::MAX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    m: usize,
    n: usize,
}

impl Shape {
    /// The shape m×n (m = fan-in rows, n = fan-out columns).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `m` or `n` when it is 0, or `m·n` when the product
    /// overflows the address space.
    pub fn new(m: usize, n: usize) -> Result<Self> {
        Self::named(m, n, ("m", "n"))
    }

    /// As [`new`](Self::new), with the two sizes named as the caller knows them in errors (e.g.
    /// `rows` and `cols`).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn named(m: usize, n: usize, names: (&'static str, &'static str)) -> Result<Self> {
        if m == 0 {
            return Err(Error::invalid(names.0, m, "must be at least 1"));
        }
        if n == 0 {
            return Err(Error::invalid(names.1, n, "must be at least 1"));
        }
        if m.checked_mul(n).is_none() {
            return Err(Error::invalid("m·n", format!("{m}·{n}"), "overflows the address space"));
        }
        Ok(Shape { m, n })
    }

    /// Rows m (fan-in).
    pub fn m(self) -> usize {
        self.m
    }

    /// Columns n (fan-out).
    pub fn n(self) -> usize {
        self.n
    }

    /// γ = m/n.
    pub fn gamma(self) -> f64 {
        self.m as f64 / self.n as f64
    }

    /// min(m, n): the number of singular values, the order of the smaller Gram matrix.
    pub fn min(self) -> usize {
        self.m.min(self.n)
    }

    /// max(m, n).
    pub fn max(self) -> usize {
        self.m.max(self.n)
    }

    /// m·n, the number of entries (fits in `usize` by construction).
    pub fn len(self) -> usize {
        self.m * self.n
    }

    /// Always false: a shape has at least one entry (for clippy's `len` convention).
    pub fn is_empty(self) -> bool {
        false
    }

    /// The structural zero eigenvalues of S = W Wᵀ/n: m − n when m > n, else 0.
    pub fn zero_eigenvalues(self) -> usize {
        self.m.saturating_sub(self.n)
    }

    /// c² = max(m, n)·s2: the square of every singular value of a scaled semi-orthogonal m×n
    /// matrix whose entries have mean square s2 (the orthogonal strategy).
    pub fn orthogonal_singular_value_squared(self, variance: f64) -> f64 {
        self.max() as f64 * variance
    }
}

impl fmt::Display for Shape {
    /// `m×n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.m, self.n)
    }
}

impl Serialize for Shape {
    /// `{"m": …, "n": …, "gamma": …}`; result documents flatten it into their own fields.
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Shape", 3)?;
        s.serialize_field("m", &self.m)?;
        s.serialize_field("n", &self.n)?;
        s.serialize_field("gamma", &self.gamma())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_sizes_and_overflowing_products_are_errors_naming_the_parameter() {
        assert_eq!(Shape::new(0, 3).unwrap_err().to_string(), "invalid m = 0: must be at least 1");
        assert_eq!(Shape::new(3, 0).unwrap_err().to_string(), "invalid n = 0: must be at least 1");
        assert!(Shape::named(0, 3, ("rows", "cols")).unwrap_err().to_string().starts_with("invalid rows = 0"));
        assert!(Shape::new(usize::MAX, 2).unwrap_err().to_string().contains("overflows the address space"));
    }

    #[test]
    fn derived_quantities() {
        let tall = Shape::new(300, 100).unwrap();
        assert_eq!((tall.min(), tall.max(), tall.len(), tall.zero_eigenvalues()), (100, 300, 30_000, 200));
        assert_eq!(tall.gamma(), 3.0);
        assert_eq!(tall.orthogonal_singular_value_squared(0.5), 150.0);
        assert_eq!(Shape::new(100, 300).unwrap().zero_eigenvalues(), 0);
        assert_eq!(tall.to_string(), "300×100");
        assert_eq!(serde_json::to_string(&tall).unwrap(), r#"{"m":300,"n":100,"gamma":3.0}"#);
    }
}
