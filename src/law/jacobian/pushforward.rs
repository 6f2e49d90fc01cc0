//! The one case the S-transform solver cannot do: a single smooth D² factor with nothing free
//! beside it (one layer of orthogonal weights with w₀ ≥ w₁, where J Jᵀ = c²·D₁²). The law is
//! then the pushforward of N(0, q) under h ↦ φ'(h)² itself, with density
//!
//! ```text
//! ρ(y) = Σ_{z: d(√q z) = y} φ(z)/|d/dz d(√q z)|,    d = φ'²,  φ(z) the standard normal density,
//! ```
//!
//! which this module evaluates directly. The function f(z) = d(√q z) is split into monotone
//! pieces on [−Z, Z] (the range of the trapezoidal rule, [`GAUSSIAN_RANGE`]) at the sign
//! changes of its finite differences on a grid of 2¹⁴ steps, refined by bisection; each root of
//! f(z) = y is found by bisection on its piece, and f' at the root by a central difference
//! (relative error about 1e-9).

use super::table::LogDensity;
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::free::discrete::GAUSSIAN_RANGE;

const GRID: usize = 1 << 14;

/// The law of φ'(√q z)²/m, z ~ N(0, 1) (m its mean), as a density source in t = log x.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pushforward {
    activation: Activation,
    sqrt_q: f64,
    mean: f64,
    /// Ends of the monotone pieces of f, ascending in z.
    breaks: Vec<f64>,
}

impl Pushforward {
    /// # Errors
    /// [`Error::InvalidParameter`] if q or the mean is not positive.
    pub(crate) fn new(activation: Activation, q: f64, mean: f64) -> Result<Self> {
        if !(q > 0.0 && mean > 0.0) {
            return Err(Error::invalid("pushforward variance", q, "must be > 0"));
        }
        let mut p = Pushforward { activation, sqrt_q: q.sqrt(), mean, breaks: Vec::new() };
        let h = 2.0 * GAUSSIAN_RANGE / GRID as f64;
        let z = |i: usize| -GAUSSIAN_RANGE + i as f64 * h;
        let mut breaks = vec![z(0)];
        for i in 1..GRID {
            let (a, b, c) = (p.f(z(i - 1)), p.f(z(i)), p.f(z(i + 1)));
            if (b - a) * (c - b) < 0.0 {
                breaks.push(p.extremum(z(i - 1), z(i + 1), b > a));
            }
        }
        breaks.push(z(GRID));
        p.breaks = breaks;
        Ok(p)
    }

    fn f(&self, z: f64) -> f64 {
        self.activation.derivative(self.sqrt_q * z).powi(2)
    }

    /// The extremum of f in [a, b] (a maximum when `maximum`), by ternary search.
    fn extremum(&self, mut a: f64, mut b: f64, maximum: bool) -> f64 {
        for _ in 0..200 {
            let (m1, m2) = (a + (b - a) / 3.0, b - (b - a) / 3.0);
            let better = if maximum { self.f(m1) < self.f(m2) } else { self.f(m1) > self.f(m2) };
            if better {
                a = m1;
            } else {
                b = m2;
            }
        }
        0.5 * (a + b)
    }

    /// log of the largest value of f/m (the upper edge).
    pub(crate) fn log_upper(&self) -> f64 {
        let max = self.breaks.iter().map(|&z| self.f(z)).fold(0.0, f64::max);
        (max / self.mean).ln()
    }

    /// log of f/m where ρ is singular inside the support, ascending: at the interior extrema of
    /// f other than the upper edge (an inverse square root on one side: the negative minimum of
    /// φ' for gelu and swish), and at an end of the range where f has reached its limit (it
    /// moves by less than 1e-6 relative over the last unit of z), which it then approaches as
    /// fast as the Gaussian weight decays (gelu: φ'(h) − 1 ~ hφ(h) as h → ∞, a power of y − 1
    /// in ρ). An end where f still moves (tanh, swish: φ' − 1 ~ he^{−h}) carries ~φ(Z) ≈ 1e-18
    /// of density and is left out. Values below 1e-12 of the upper edge (zeros of φ', the far
    /// left end) are left out too: the lower tail is marched, not laid out.
    pub(crate) fn log_breakpoints(&self) -> Vec<f64> {
        let upper = self.log_upper();
        let last = self.breaks.len() - 1;
        let mut points: Vec<f64> = self
            .breaks
            .iter()
            .enumerate()
            .filter(|&(i, &z)| {
                let inward = if i == 0 { z + 1.0 } else { z - 1.0 };
                (i != 0 && i != last) || (self.f(z) - self.f(inward)).abs() <= 1e-6 * self.f(z)
            })
            .map(|(_, &z)| (self.f(z) / self.mean).ln())
            .filter(|&t| t.is_finite() && t < upper - 1e-9 && t > upper - 12.0 * std::f64::consts::LN_10)
            .collect();
        points.sort_by(f64::total_cmp);
        points.dedup_by(|a, b| (*a - *b).abs() <= 1e-9);
        points
    }

    /// ρ of y = f(z) (unnormalised variable).
    fn density_of_y(&self, y: f64) -> f64 {
        let mut sum = 0.0;
        for pair in self.breaks.windows(2) {
            let (mut a, mut b) = (pair[0], pair[1]);
            let (fa, fb) = (self.f(a), self.f(b));
            if (fa - y) * (fb - y) >= 0.0 {
                continue;
            }
            let increasing = fb > fa;
            for _ in 0..200 {
                let mid = 0.5 * (a + b);
                if mid <= a || mid >= b {
                    break;
                }
                if (self.f(mid) < y) == increasing {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            let z = 0.5 * (a + b);
            let h = 1e-6 * z.abs().max(1.0);
            let slope = (self.f(z + h) - self.f(z - h)) / (2.0 * h);
            sum += (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / slope.abs();
        }
        sum
    }
}

impl LogDensity for Pushforward {
    fn log_density(&mut self, t: f64) -> Result<f64> {
        let y = self.mean * t.exp();
        Ok(y * self.density_of_y(y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tanh_pushforward_matches_the_closed_form() {
        // source: closed form for d = sech⁴(h), h ~ N(0, q): the roots are ±z with
        // √q z = arcsech(y^{1/4}), and |dd/dh| = 4 sech⁴(h) tanh(h), so
        // ρ(y) = 2φ(z)/(√q·4y·tanh(√q z)).
        let q: f64 = 0.7;
        let p = Pushforward::new(Activation::Tanh, q, 1.0).unwrap();
        for y in [0.05f64, 0.3, 0.8, 0.99] {
            let h = (1.0 / y.powf(0.25)).acosh();
            let z = h / q.sqrt();
            let exact =
                2.0 * (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / (q.sqrt() * 4.0 * y * h.tanh());
            let got = p.density_of_y(y);
            assert!((got - exact).abs() < 1e-7 * exact, "y = {y}: {got} vs {exact}");
        }
        assert!(p.log_upper().abs() < 1e-12);
    }
}
