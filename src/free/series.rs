//! Truncated formal power series with real coefficients: the algebra behind the exact moments of
//! a free multiplicative product (see [`super`] for the transforms).
//!
//! A series is held as its first K + 1 coefficients c₀, …, c_K; every operation is exact in
//! exact arithmetic up to order K (it never needs the coefficients beyond K), so the moments it
//! produces are the exact moments of the law, up to floating-point rounding.
//!
//! The operations are the textbook ones[^1]: products by convolution; exp and log by the
//! recurrences obtained from f' = f·g' (exp) and g' = f'/f (log); compositional inverse
//! (reversion) one coefficient at a time, by solving [z^k] χ(ψ(z)) = 0 for ψ's k-th coefficient,
//! which enters linearly as a₁·b_k.
//!
//! [^1]: D. E. Knuth, *The Art of Computer Programming*, vol. 2, 3rd ed. (1997), §4.7
//!     "Manipulation of power series".

use crate::error::{Error, Result};

/// A power series truncated after z^K.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    coefficients: Vec<f64>,
}

impl Series {
    /// The series with these coefficients c₀, c₁, … (its order K is `len − 1`).
    pub fn new(coefficients: Vec<f64>) -> Self {
        Series { coefficients }
    }

    /// The zero series of order `order`.
    pub fn zero(order: usize) -> Self {
        Series { coefficients: vec![0.0; order + 1] }
    }

    /// The coefficients c₀, …, c_K.
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// The truncation order K.
    pub fn order(&self) -> usize {
        self.coefficients.len() - 1
    }

    /// log(1 + z/a) = Σ_{k≥1} (−1)^{k+1} z^k/(k·a^k), for a ≠ 0.
    pub fn log_one_plus_scaled(order: usize, a: f64) -> Self {
        let mut c = vec![0.0; order + 1];
        let mut power = 1.0;
        for (k, ck) in c.iter_mut().enumerate().skip(1) {
            power /= -a;
            *ck = -power / k as f64;
        }
        Series { coefficients: c }
    }

    /// self + factor·other (same order).
    pub fn add_scaled(&mut self, other: &Series, factor: f64) {
        for (a, b) in self.coefficients.iter_mut().zip(&other.coefficients) {
            *a += factor * b;
        }
    }

    /// The product, truncated to the smaller order.
    pub fn mul(&self, other: &Series) -> Series {
        let order = self.order().min(other.order());
        let mut c = vec![0.0; order + 1];
        for (i, a) in self.coefficients.iter().enumerate().take(order + 1) {
            for (j, b) in other.coefficients.iter().enumerate().take(order + 1 - i) {
                c[i + j] += a * b;
            }
        }
        Series { coefficients: c }
    }

    /// exp(g) for g with g₀ = 0 (the constant term is ignored): f' = f·g', so
    /// k·f_k = Σ_{j=1}^{k} j·g_j·f_{k−j}.
    pub fn exp(&self) -> Series {
        let order = self.order();
        let g = &self.coefficients;
        let mut f = vec![0.0; order + 1];
        f[0] = 1.0;
        for k in 1..=order {
            let s: f64 = (1..=k).map(|j| j as f64 * g[j] * f[k - j]).sum();
            f[k] = s / k as f64;
        }
        Series { coefficients: f }
    }

    /// log(f) for f with f₀ > 0: log f₀ + log(f/f₀), and for f₀ = 1, g' = f'/f gives
    /// k·g_k = k·f_k − Σ_{j=1}^{k−1} j·g_j·f_{k−j}.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless f₀ > 0.
    pub fn log(&self) -> Result<Series> {
        let f0 = self.coefficients[0];
        if !(f0 > 0.0 && f0.is_finite()) {
            return Err(Error::InvalidInput(format!("log of a series needs a positive constant term, not {f0}")));
        }
        let f: Vec<f64> = self.coefficients.iter().map(|c| c / f0).collect();
        let order = self.order();
        let mut g = vec![0.0; order + 1];
        g[0] = f0.ln();
        for k in 1..=order {
            let s: f64 = (1..k).map(|j| j as f64 * g[j] * f[k - j]).sum();
            g[k] = f[k] - s / k as f64;
        }
        Ok(Series { coefficients: g })
    }

    /// f(g(z)) for g with g₀ = 0, by Horner's rule in truncated arithmetic.
    pub fn compose(&self, inner: &Series) -> Series {
        let order = self.order().min(inner.order());
        let mut out = Series::zero(order);
        for &c in self.coefficients.iter().take(order + 1).rev() {
            out = out.mul(inner);
            out.coefficients[0] += c;
        }
        out
    }

    /// The compositional inverse ψ of χ (χ₀ = 0, χ₁ ≠ 0): χ(ψ(z)) = z up to order K.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless χ₀ = 0 and χ₁ is finite and nonzero.
    pub fn reversion(&self) -> Result<Series> {
        let chi = &self.coefficients;
        if chi[0] != 0.0 || chi.len() < 2 || chi[1] == 0.0 || !chi[1].is_finite() {
            return Err(Error::InvalidInput("series reversion needs c₀ = 0 and c₁ ≠ 0".into()));
        }
        let order = self.order();
        let mut psi = Series::zero(order);
        psi.coefficients[1] = 1.0 / chi[1];
        for k in 2..=order {
            // With b_k still 0, [z^k] χ(ψ(z)) is everything but the a₁·b_k term.
            let residual = self.compose(&psi).coefficients[k];
            psi.coefficients[k] = -residual / chi[1];
        }
        Ok(psi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tolerance * y.abs().max(1.0))
    }

    #[test]
    fn exp_and_log_are_inverse_and_match_closed_forms() {
        // source: closed forms, exp(z) = Σ z^k/k!, log(1 + z/2) = Σ (−1)^{k+1} z^k/(k 2^k).
        let z = Series::new(vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        let e = z.exp();
        assert!(close(e.coefficients(), &[1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0], 1e-15));
        let l = Series::log_one_plus_scaled(5, 2.0);
        assert!(close(l.coefficients(), &[0.0, 0.5, -0.125, 1.0 / 24.0, -1.0 / 64.0, 1.0 / 160.0], 1e-15));
        let back = l.exp().log().unwrap();
        assert!(close(back.coefficients(), l.coefficients(), 1e-14));
        assert!(Series::new(vec![-2.0, 1.0]).log().is_err());
    }

    #[test]
    fn reversion_inverts_a_known_pair() {
        // source: closed form, χ(z) = z/(1 + z) has inverse ψ(z) = z/(1 − z) = Σ z^k.
        let chi = Series::new(vec![0.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0]);
        let psi = chi.reversion().unwrap();
        assert!(close(psi.coefficients(), &[0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 1e-14));
        assert!(Series::new(vec![0.0, 0.0, 1.0]).reversion().is_err());
    }
}
