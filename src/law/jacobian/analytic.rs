//! φ' and φ'' of the smooth activations at complex arguments, for the exact Cauchy transform
//! of the law of φ'(h)² ([`crate::free::discrete`] needs f(z) = φ'(√q z)² and f'(z) off the
//! real axis to locate and weigh the poles of 1/(s − f(z))).
//!
//! | φ | φ'(u) | φ''(u) |
//! |---|---|---|
//! | tanh | sech²u = 1/cosh²u | −2 tanh u · sech²u |
//! | swish | σ(1 + u(1 − σ)), σ = 1/(1 + e^{−u}) | σ(1 − σ)(2 + u(1 − 2σ)) |
//! | gelu | Φ(u) + u·φ_N(u) | φ_N(u)(2 − u²) |
//!
//! with φ_N(u) = e^{−u²/2}/√(2π) and Φ(u) = erfc(−u/√2)/2. The complex erfc is, for Re w ≥ 0,
//! the Taylor series of erf when |w| < 2.2 or Re w < 1, and the Laplace continued fraction of
//! erfc (100 terms, evaluated backwards: converged to 1e-19 at |w| = 2, measured with mpmath)
//! otherwise,
//! with erfc(−w) = 2 − erfc(w) for Re w < 0: about 1e-14 relative where the arguments of this
//! module fall (tested against mpmath).

use crate::activation::Activation;
use crate::free::discrete::{AnalyticMap, C64};

/// f(z) = φ'(√q z)² with its derivative, for φ = tanh, swish or gelu.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DerivativeSquared {
    pub activation: Activation,
    pub sqrt_q: f64,
}

impl AnalyticMap for DerivativeSquared {
    fn eval(&self, z: C64) -> (C64, C64) {
        let u = z * self.sqrt_q;
        let (d1, d2) = derivatives(self.activation, u);
        (d1 * d1, d1 * d2 * (2.0 * self.sqrt_q))
    }
}

/// (φ'(u), φ''(u)) at complex u.
///
/// # Panics
/// For an activation without a complex form here (linear, relu, hard-tanh: their D² laws are
/// point masses or Bernoulli and never reach this code).
fn derivatives(activation: Activation, u: C64) -> (C64, C64) {
    match activation {
        Activation::Tanh => {
            // sech² as 1/cosh², not 1 − tanh² (which cancels for |u| ≳ 2); both from one
            // exponential of −|Re u| (so that it cannot overflow).
            let sign = if u.re < 0.0 { -1.0 } else { 1.0 };
            let e = (-2.0 * sign * u).exp(); // e^{−2|u|}
            let tanh = sign * (1.0 - e) / (1.0 + e);
            let sech2 = 4.0 * e / ((1.0 + e) * (1.0 + e));
            (sech2, -2.0 * tanh * sech2)
        }
        Activation::Swish => {
            let sigma = (1.0 + (-u).exp()).inv();
            let one_minus = 1.0 - sigma;
            (sigma * (1.0 + u * one_minus), sigma * one_minus * (2.0 + u * (1.0 - 2.0 * sigma)))
        }
        Activation::Gelu => {
            let pdf = (-0.5 * u * u).exp() / (2.0 * std::f64::consts::PI).sqrt();
            (normal_cdf(u) + u * pdf, pdf * (2.0 - u * u))
        }
        other => panic!("no complex derivative for {other}: its D² law is not continuous"),
    }
}

/// Φ(u) = erfc(−u/√2)/2 at complex u.
fn normal_cdf(u: C64) -> C64 {
    0.5 * erfc(-u / std::f64::consts::SQRT_2)
}

/// erfc(w) at complex w (see the module docs).
pub(crate) fn erfc(w: C64) -> C64 {
    if w.re < 0.0 {
        return 2.0 - erfc(-w);
    }
    if w.norm() < 2.2 || w.re < 1.0 {
        // erf(w) = (2/√π) Σ (−1)^n w^{2n+1}/(n!(2n+1)).
        let w2 = w * w;
        let mut term = w;
        let mut sum = w;
        for n in 1..120 {
            term *= -w2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.norm() < 1e-17 * sum.norm() {
                break;
            }
        }
        return 1.0 - sum * (2.0 / std::f64::consts::PI.sqrt());
    }
    // erfc(w) = e^{−w²}/√π · 1/(w + (1/2)/(w + 1/(w + (3/2)/(w + …)))), evaluated backwards.
    let mut tail = w;
    for k in (1..=100).rev() {
        tail = w + (k as f64 / 2.0) / tail;
    }
    (-w * w).exp() / (std::f64::consts::PI.sqrt() * tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_erfc_matches_mpmath() {
        // source: scripts/reference/jacobian.py (mpmath.erfc at 30 digits).
        for (w, want) in ERFC {
            let got = erfc(C64::new(w.0, w.1));
            let want = C64::new(want.0, want.1);
            assert!((got - want).norm() <= 1e-13 * want.norm(), "erfc({w:?}) = {got} vs {want}");
        }
    }

    #[test]
    fn derivatives_match_the_real_ones_and_complex_differences() {
        for activation in [Activation::Tanh, Activation::Swish, Activation::Gelu] {
            // The real φ' of gelu goes through statrs' erfc, measured 1.7e-11 off mpmath at 0.9
            // and 5e-13 at −2.3 (where the complex route agrees with mpmath to 1e-16).
            for x in [-2.3, -0.4, 0.0, 0.9, 3.1] {
                let (d1, _) = derivatives(activation, C64::new(x, 0.0));
                assert!(
                    (d1.re - activation.derivative(x)).abs() < 5e-11 && d1.im.abs() < 1e-13,
                    "{activation} {x}: {d1} vs {}",
                    activation.derivative(x)
                );
            }
            let map = DerivativeSquared { activation, sqrt_q: 0.8 };
            let z = C64::new(0.7, 0.3);
            let h = 1e-5;
            let fd = (map.eval(z + h).0 - map.eval(z - h).0) / (2.0 * h);
            assert!((fd - map.eval(z).1).norm() < 1e-8, "{activation}: {fd} vs {}", map.eval(z).1);
        }
    }

    // (w, erfc(w)) with w = (re, im). source: scripts/reference/jacobian.py erfc.
    const ERFC: [((f64, f64), (f64, f64)); 13] = [
        ((0.3, 0.2), (0.6587625185278614, -0.20852883788276888)),
        ((-1.2, 0.5), (1.9905872693140325, -0.11101765542751976)),
        ((2.5, -0.7), (-0.0005330591707436101, -0.0003659618036248686)),
        ((3.5, 0.4), (-8.434868456435267e-07, -2.0238401314261035e-07)),
        ((-4.0, 1.1), (2.000000046723172, -1.8104436325216604e-08)),
        ((0.0, 2.5), (1.0, -130.39575501324694)),
        ((6.0, -0.3), (-2.0559763394040997e-17, -1.1421335617963405e-17)),
        ((-2.9, -0.9), (1.999937087015902, -6.3189609159124e-05)),
        ((1.0, 0.0), (0.15729920705028513, 0.0)),
        ((1.3, -0.8), (-0.09345863630882918, 0.06857455716188463)),
        ((2.0, 1.5), (0.03638241914270717, -0.01100337385213795)),
        ((0.99, 1.9), (0.11701608027325655, 3.7921351195152053)),
        ((1.626, 0.0), (0.021475925153623846, 0.0)),
    ];
}
