//! φ', φ'' and φ''' of the smooth activations at complex arguments, for the exact Cauchy
//! transform of the law of φ'(h)² ([`crate::free::discrete`] needs f(z) = φ'(√q z)², f'(z) off
//! the real axis to locate and weigh the poles of 1/(s − f(z)), and f''(z) for the derivative of
//! their corrections; f' = 2√q·φ'φ'', f'' = 2q(φ''² + φ'φ''')).
//!
//! | φ | φ'(u) | φ''(u) | φ'''(u) |
//! |---|---|---|---|
//! | tanh | sech²u = 1/cosh²u | −2 tanh u · sech²u | sech²u (4 tanh²u − 2 sech²u) |
//! | swish | σ(1 + u(1 − σ)), σ = 1/(1 + e^{−u}) | σ(1 − σ)(2 + u(1 − 2σ)) | σ(1 − σ)(3(1 − 2σ) + u(1 − 6σ(1 − σ))) |
//! | gelu | Φ(u) + u·φ_N(u) | φ_N(u)(2 − u²) | φ_N(u)(u³ − 4u) |
//!
//! with φ_N(u) = e^{−u²/2}/√(2π) and Φ(u) = erfc(−u/√2)/2. The complex erfc is, for Re w ≥ 0,
//! the Taylor series of erf when |w| < 2.2 or Re w < 1, and the Laplace continued fraction of
//! erfc otherwise, evaluated backwards: 8 + 260/|w|² terms near the real axis (|Im w| ≤ Re w/2,
//! where the truncation is below 2e-16, see [`fraction_terms`]), 100 elsewhere,
//! with erfc(−w) = 2 − erfc(w) for Re w < 0: about 1e-14 relative where the arguments of this
//! module fall (tested against mpmath).

use crate::activation::Activation;
use crate::free::discrete::{AnalyticMap, C64};

/// f(z) = φ'(√q z)² with its derivative, for φ = tanh, swish or gelu.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DerivativeSquared {
    activation: Activation,
    sqrt_q: f64,
    /// The expansion of φ' about its zero (gelu, swish).
    zero: Option<ZeroExpansion>,
}

impl DerivativeSquared {
    /// The map for φ = tanh, swish or gelu at pre-activation variance q = `sqrt_q`².
    pub(crate) fn new(activation: Activation, sqrt_q: f64) -> Self {
        DerivativeSquared { activation, sqrt_q, zero: ZeroExpansion::of(activation) }
    }
}

impl DerivativeSquared {
    /// (f, f', f'') from (φ'(u), φ''(u), φ'''(u)): f = φ'², f' = 2φ'φ''·√q,
    /// f'' = 2(φ''² + φ'φ''')·q.
    fn squared(&self, [d1, d2, d3]: [C64; 3]) -> [C64; 3] {
        let q = self.sqrt_q * self.sqrt_q;
        [d1 * d1, d1 * d2 * (2.0 * self.sqrt_q), (d2 * d2 + d1 * d3) * (2.0 * q)]
    }

    /// (f, f', f'') from the series about the zero, at d = u − u₀, when |d| is within its radius.
    fn near_zero(&self, zero: &ZeroExpansion, d: C64) -> Option<[C64; 3]> {
        (d.norm_sqr() < ZERO_RADIUS * ZERO_RADIUS).then(|| self.squared(zero.eval(d)))
    }

    /// (f, f', f'') at z.
    fn eval3(&self, z: C64) -> [C64; 3] {
        if let Some(zero) = &self.zero {
            // u − u₀ with one rounding (z and √q are exact doubles): relative accuracy down to 0.
            let d = C64::new(self.sqrt_q.mul_add(z.re, -zero.u0), self.sqrt_q * z.im);
            if let Some(near) = self.near_zero(zero, d) {
                return near;
            }
        }
        self.squared(derivatives(self.activation, z * self.sqrt_q))
    }

    /// (f, f', f'') about the zero z_c of f (√q·z_c ≈ u₀): d = (√q·z_c − u₀) + √q·offset, the
    /// first term by one fused multiply–add (tiny), so d keeps its relative accuracy as the
    /// offset → 0.
    fn eval3_near(&self, centre: f64, offset: C64) -> [C64; 3] {
        if let Some(zero) = &self.zero {
            let d = C64::new(self.sqrt_q.mul_add(centre, -zero.u0), 0.0) + offset * self.sqrt_q;
            if let Some(near) = self.near_zero(zero, d) {
                return near;
            }
        }
        self.eval3(offset + centre)
    }
}

impl AnalyticMap for DerivativeSquared {
    fn eval(&self, z: C64) -> (C64, C64) {
        let [f, fp, _] = self.eval3(z);
        (f, fp)
    }

    fn eval_near(&self, centre: f64, offset: C64) -> (C64, C64) {
        let [f, fp, _] = self.eval3_near(centre, offset);
        (f, fp)
    }

    /// In closed form (φ''' of each activation, or the series about the zero).
    fn eval_near_with_curvature(&self, centre: f64, offset: C64) -> [C64; 3] {
        if centre == 0.0 {
            self.eval3(offset)
        } else {
            self.eval3_near(centre, offset)
        }
    }
}

/// Within this distance of the zero u₀ of φ' (in u), φ' is evaluated from its Taylor series.
const ZERO_RADIUS: f64 = 0.25;
/// Terms of that series: the next is below (ρ/R)^{21} ≈ 1e-23 relative (R = |u₀ − iπ| ≈ 3.4 for
/// swish, the nearest pole of σ; gelu's φ' is entire).
const ZERO_TERMS: usize = 20;

/// φ'(u) = Σ_{k=1}^{K} c_k (u − u₀)^k near its simple zero u₀ (gelu: u₀ ≈ −0.7518; swish:
/// u₀ ≈ −1.2785), with c_k = φ^{(k+1)}(u₀)/k!.
///
/// **Why.** The closed forms Φ(u) + u·φ_N(u) and σ(1 + u(1 − σ)) sum terms of size ~1 to a
/// result ~|u − u₀|: their rounding, ~1e-16 absolute, is relative noise ε/|u − u₀| in φ' and
/// twice that in f = φ'². The law of φ'² has density ~y^{−1/2} at 0, and the deep lower tail of
/// a free product needs its Cauchy transform at |s| ~ 1e-12 and below, where the poles of
/// 1/(s − f) sit at |u − u₀| ~ √|s|: the noise (3e-11 relative there) stalled the inner solves
/// of [`crate::free`] (docs/jacobian.md, Robustness). The series in d = u − u₀, with d formed by
/// one fused multiply–add from z, keeps f's relative accuracy to 0; at ρ it meets the closed
/// form to ~ε/(|c₁|ρ) ≈ 1e-15 relative.
///
/// **Derivatives.** gelu: φ^{(k+1)} = φ_N·P_k, P₁ = 2 − u², P_{k+1} = P_k' − u·P_k. swish:
/// φ = u·σ, so φ^{(k)} = u·σ^{(k)} + k·σ^{(k−1)}, with σ^{(n)} = S_n(σ), S₀(σ) = σ,
/// S_{n+1} = S_n'(σ)·σ(1 − σ).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ZeroExpansion {
    u0: f64,
    /// c_1, …, c_K.
    coefficients: [f64; ZERO_TERMS],
}

impl ZeroExpansion {
    /// The expansion for gelu and swish; `None` for other activations (tanh's φ' has no zero).
    fn of(activation: Activation) -> Option<Self> {
        let (start, derivatives_at): (f64, fn(f64) -> Vec<f64>) = match activation {
            Activation::Gelu => (-0.75, gelu_derivatives),
            Activation::Swish => (-1.28, swish_derivatives),
            _ => return None,
        };
        // Newton on the closed form φ' (its rounding moves u₀ by ~1e-16: immaterial, u₀ is
        // then the exact zero of the map).
        let mut u0 = start;
        for _ in 0..50 {
            let [d1, d2, _] = derivatives(activation, C64::new(u0, 0.0));
            let step = d1.re / d2.re;
            u0 -= step;
            if step.abs() <= 1e-17 {
                break;
            }
        }
        let values = derivatives_at(u0);
        let mut coefficients = [0.0; ZERO_TERMS];
        let mut factorial = 1.0;
        for k in 1..=ZERO_TERMS {
            factorial *= k as f64;
            coefficients[k - 1] = values[k - 1] / factorial;
        }
        Some(ZeroExpansion { u0, coefficients })
    }

    /// (φ'(u₀ + d), φ''(u₀ + d), φ'''(u₀ + d)) by Horner's rule.
    fn eval(&self, d: C64) -> [C64; 3] {
        let mut value = C64::new(0.0, 0.0);
        let mut slope = C64::new(0.0, 0.0);
        let mut curvature = C64::new(0.0, 0.0);
        for (k, &c) in self.coefficients.iter().enumerate().rev() {
            // c = c_{k+1}: the term c_{k+1}·d^{k+1}, its derivatives (k+1)c·d^k and (k+1)k·c·d^{k−1}.
            value = (value + c) * d;
            slope = slope * d + c * (k + 1) as f64;
            if k >= 1 {
                curvature = curvature * d + c * ((k + 1) * k) as f64;
            }
        }
        [value, slope, curvature]
    }
}

/// φ^{(k+1)}(u) of gelu for k = 1..=[`ZERO_TERMS`].
fn gelu_derivatives(u: f64) -> Vec<f64> {
    let pdf = (-0.5 * u * u).exp() / (2.0 * std::f64::consts::PI).sqrt();
    // Coefficients of P_k in powers of u, lowest first.
    let mut p = vec![2.0, 0.0, -1.0];
    let mut out = Vec::with_capacity(ZERO_TERMS);
    for _ in 0..ZERO_TERMS {
        out.push(pdf * p.iter().rev().fold(0.0, |acc, &c| acc * u + c));
        // P' − u·P.
        let mut next = vec![0.0; p.len() + 1];
        for (j, &c) in p.iter().enumerate() {
            if j > 0 {
                next[j - 1] += j as f64 * c;
            }
            next[j + 1] -= c;
        }
        p = next;
    }
    out
}

/// φ^{(k+1)}(u) of swish for k = 1..=[`ZERO_TERMS`].
fn swish_derivatives(u: f64) -> Vec<f64> {
    let sigma = 1.0 / (1.0 + (-u).exp());
    // S_n as coefficients in powers of σ, lowest first; S₀ = σ.
    let mut s = vec![vec![0.0, 1.0]];
    for n in 0..=ZERO_TERMS {
        // S_{n+1} = S_n'(σ)·(σ − σ²).
        let prev = &s[n];
        let mut next = vec![0.0; prev.len() + 1];
        for (j, &c) in prev.iter().enumerate().skip(1) {
            let derivative = j as f64 * c; // coefficient of σ^{j−1}
            next[j] += derivative;
            next[j + 1] -= derivative;
        }
        s.push(next);
    }
    let at = |poly: &Vec<f64>| poly.iter().rev().fold(0.0, |acc, &c| acc * sigma + c);
    // φ^{(k+1)} = u·S_{k+1} + (k + 1)·S_k.
    (1..=ZERO_TERMS).map(|k| u * at(&s[k + 1]) + (k + 1) as f64 * at(&s[k])).collect()
}

/// (φ'(u), φ''(u)) at complex u.
///
/// # Panics
/// For an activation without a complex form here (linear, relu, hard-tanh: their D² laws are
/// point masses or Bernoulli and never reach this code).
fn derivatives(activation: Activation, u: C64) -> [C64; 3] {
    match activation {
        Activation::Tanh => {
            // sech² as 1/cosh², not 1 − tanh² (which cancels for |u| ≳ 2); both from one
            // exponential of −|Re u| (so that it cannot overflow). φ''' = sech²(4tanh² − 2sech²).
            let sign = if u.re < 0.0 { -1.0 } else { 1.0 };
            let e = (-2.0 * sign * u).exp(); // e^{−2|u|}
            let tanh = sign * (1.0 - e) / (1.0 + e);
            let sech2 = 4.0 * e / ((1.0 + e) * (1.0 + e));
            [sech2, -2.0 * tanh * sech2, sech2 * (4.0 * tanh * tanh - 2.0 * sech2)]
        }
        Activation::Swish => {
            // φ''' = σ(1 − σ)(3(1 − 2σ) + u(1 − 6σ(1 − σ))).
            let sigma = (1.0 + (-u).exp()).inv();
            let one_minus = 1.0 - sigma;
            let spread = sigma * one_minus;
            [
                sigma * (1.0 + u * one_minus),
                spread * (2.0 + u * (1.0 - 2.0 * sigma)),
                spread * (3.0 * (1.0 - 2.0 * sigma) + u * (1.0 - 6.0 * spread)),
            ]
        }
        Activation::Gelu => {
            // φ''' = φ_N(u)(u³ − 4u).
            let pdf = (-0.5 * u * u).exp() / (2.0 * std::f64::consts::PI).sqrt();
            [normal_cdf(u) + u * pdf, pdf * (2.0 - u * u), pdf * u * (u * u - 4.0)]
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
    if w.norm_sqr() < 2.2 * 2.2 || w.re < 1.0 {
        // erf(w) = (2/√π) Σ (−1)^n w^{2n+1}/(n!(2n+1)).
        let w2 = w * w;
        let mut term = w;
        let mut sum = w;
        for n in 1..120 {
            term *= -w2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.norm_sqr() < 1e-34 * sum.norm_sqr() {
                break;
            }
        }
        return 1.0 - sum * (2.0 / std::f64::consts::PI.sqrt());
    }
    (-w * w).exp() / (std::f64::consts::PI.sqrt() * continued_fraction(w, fraction_terms(w)))
}

/// The Laplace continued fraction w + (1/2)/(w + 1/(w + (3/2)/(w + …))) = e^{−w²}/(√π erfc w),
/// truncated after `terms` partial fractions and evaluated backwards.
fn continued_fraction(w: C64, terms: usize) -> C64 {
    let mut tail = w;
    for k in (1..=terms).rev() {
        tail = w + (k as f64 / 2.0) / tail;
    }
    tail
}

/// Partial fractions [`continued_fraction`] needs at w (Re w ≥ 1, |w| ≥ 2.2) for a relative
/// truncation error below 2e-16: 8 + 260/|w|² near the real axis (|Im w| ≤ Re w/2), where the
/// count measured against mpmath (scripts/reference/jacobian.py, section `cf_terms`) falls from
/// 54 at |w| = 2.2 to 17 at 5 and 9 at 10 (the rule keeps 2 to 8 terms in hand, and the test
/// `the_truncated_fraction_is_converged` checks it on a denser grid); elsewhere the full 100,
/// which near Re w = 1, |Im w| ≈ 2–3.5 still leaves up to 2.3e-13 (at w = 1 − 1.97i, mpmath).
fn fraction_terms(w: C64) -> usize {
    if w.im.abs() <= 0.5 * w.re {
        (8.0 + 260.0 / w.norm_sqr()).ceil() as usize
    } else {
        100
    }
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
    fn the_truncated_fraction_is_converged() {
        // Where fraction_terms applies (|w| ≥ 2.2, |Im w| ≤ Re w/2), on a grid denser than the
        // mpmath check of scripts/reference/jacobian.py (section cf_terms, which found at most
        // 54 terms needed): the rule's truncation against 300 terms, converged there. A rule
        // short by a third (8 + 170/|w|²) fails this at |w| = 2.2 (7e-15 relative, 44 terms).
        let mut checked = 0;
        for i in 0..=300 {
            let modulus = 2.2 * (60.0f64 / 2.2).powf(i as f64 / 300.0);
            for j in -20..=20 {
                let angle = (0.5f64).atan() * j as f64 / 20.0;
                let w = C64::from_polar(modulus, angle);
                if w.re < 1.0 {
                    continue;
                }
                let n = fraction_terms(w);
                assert!(n < 100, "{w}: {n}");
                let full = continued_fraction(w, 300);
                let short = continued_fraction(w, n);
                assert!((short - full).norm() <= 4e-16 * full.norm(), "{w}: {n} terms: {short} vs {full}");
                checked += 1;
            }
        }
        assert_eq!(checked, 301 * 41);
    }

    #[test]
    fn derivatives_match_the_real_ones_and_complex_differences() {
        for activation in [Activation::Tanh, Activation::Swish, Activation::Gelu] {
            // The real φ' of gelu goes through statrs' erfc, measured 1.7e-11 off mpmath at 0.9
            // and 5e-13 at −2.3 (where the complex route agrees with mpmath to 1e-16).
            for x in [-2.3, -0.4, 0.0, 0.9, 3.1] {
                let [d1, _, _] = derivatives(activation, C64::new(x, 0.0));
                assert!(
                    (d1.re - activation.derivative(x)).abs() < 5e-11 && d1.im.abs() < 1e-13,
                    "{activation} {x}: {d1} vs {}",
                    activation.derivative(x)
                );
            }
            let map = DerivativeSquared::new(activation, 0.8);
            let z = C64::new(0.7, 0.3);
            let h = 1e-5;
            let fd = (map.eval(z + h).0 - map.eval(z - h).0) / (2.0 * h);
            assert!((fd - map.eval(z).1).norm() < 1e-8, "{activation}: {fd} vs {}", map.eval(z).1);
            // f'' against a central difference of f', here and next to the zero of φ' (the
            // series), where the pole corrections use it.
            for (centre, offset) in [(0.0, z), (0.0, C64::new(-1.1, 0.4)), (-0.9397, C64::new(1e-3, 2e-3))] {
                let [_, _, fpp] = map.eval_near_with_curvature(centre, offset);
                let fd = (map.eval_near(centre, offset + h).1 - map.eval_near(centre, offset - h).1) / (2.0 * h);
                assert!((fd - fpp).norm() < 1e-8 * fpp.norm().max(1.0), "{activation} {offset}: {fd} vs {fpp}");
            }
        }
    }

    #[test]
    fn the_expansions_about_the_zeros_of_gelu_and_swish_match_mpmath_and_the_closed_forms() {
        for (activation, (u0, c)) in [(Activation::Gelu, GELU_ZERO), (Activation::Swish, SWISH_ZERO)] {
            let e = ZeroExpansion::of(activation).unwrap();
            assert!((e.u0 - u0).abs() <= 4e-16, "{activation}: u0 {} vs {u0}", e.u0);
            for (k, (&got, want)) in e.coefficients.iter().zip(c).enumerate() {
                assert!(
                    (got - want).abs() <= 1e-13 * want.abs().max(0.01),
                    "{activation} c_{}: {got} vs {want}",
                    k + 1
                );
            }
            // Where both are accurate (away from the zero) the series is the closed form; at the
            // switch radius they meet to ε/(|c₁|ρ).
            for d in [C64::new(0.249, 0.0), C64::new(-0.249, 0.0), C64::new(0.1, 0.2), C64::new(-0.05, -0.15)] {
                let [series, series_slope, series_curvature] = e.eval(d);
                let [closed, closed_slope, closed_curvature] = derivatives(activation, C64::new(e.u0, 0.0) + d);
                assert!(
                    (series_curvature - closed_curvature).norm() <= 1e-13 * closed_curvature.norm().max(1.0),
                    "{activation} {d}: φ''' {series_curvature} vs {closed_curvature}"
                );
                assert!(
                    (series - closed).norm() <= 1e-14 * closed.norm() / d.norm(),
                    "{activation} {d}: {series} vs {closed}"
                );
                assert!((series_slope - closed_slope).norm() <= 1e-13 * closed_slope.norm(), "{activation} {d}");
            }
        }
        assert!(ZeroExpansion::of(Activation::Tanh).is_none());
    }

    #[test]
    fn gelu_transform_near_the_negative_axis_counts_the_poles_of_both_sheets() {
        // Near the negative axis f(z) = s has two near-conjugate roots beside the left tail,
        // on the sheets arg s and arg s − 2π of the logarithm, equally close to the real axis;
        // with the first alone the transform was 1e-9 off (found as a jump in a depth-100 He
        // gelu density, where it cost the table 43 panel splits).
        use crate::free::discrete::{gaussian_step, DiscreteLaw};
        let map = DerivativeSquared::new(Activation::Gelu, 1.0);
        let (law, mean) = DiscreteLaw::pushforward(Box::new(map), gaussian_step(1.0), false, true).unwrap();
        assert!((mean - 0.4558508656492871).abs() < 1e-14, "{mean}");
        for ((re, im), (want_re, want_im)) in GELU_SHEETS {
            let got = law.transform(C64::new(re, im)).value;
            let want = C64::new(want_re, want_im);
            assert!((got - want).norm() <= 1e-13 * want.norm(), "s = {re}{im:+}i: {got} vs {want}");
        }
    }

    #[test]
    fn gelu_transform_next_to_the_zero_of_its_derivative_matches_mpmath() {
        // At |s| ≈ 1e-13 the poles z_c ± δ about the zero z_c of φ' are closer than PAIR_RADIUS
        // and corrected as a pair; its formula missed that both poles sit at −f'''δ²/(6f'')
        // from z_c ± δ, an error of order δ relative (3.5e-8 here) until that was counted.
        use crate::free::discrete::{gaussian_step, DiscreteLaw};
        let map = DerivativeSquared::new(Activation::Gelu, 0.5);
        let (law, _) = DiscreteLaw::pushforward(Box::new(map), gaussian_step(1.0), false, true).unwrap();
        for ((re, im), (want_re, want_im)) in GELU_PAIRS {
            let got = law.transform(C64::new(re, im)).value;
            let want = C64::new(want_re, want_im);
            assert!((got - want).norm() <= 1e-12 * want.norm(), "s = {re}{im:+}i: {got} vs {want}");
        }
    }

    // (s, s·G(s)) for d = φ'(√q z)²/E φ'(√q z)², gelu, √q = 1/2. source:
    // scripts/reference/jacobian.py gelu_pairs (mpmath.quad, 40 digits, the poles next to the
    // zero of φ' as breakpoints).
    const GELU_PAIRS: [((f64, f64), (f64, f64)); 6] = [
        ((8.775825618903727e-14, 4.79425538604203e-14), (8.752598194833834e-08, -3.4277904369130215e-07)),
        ((8.775825618903727e-15, 4.79425538604203e-15), (2.7678122517807927e-08, -1.0839626391021728e-07)),
        ((-9.899924966004455e-14, 1.4112000805986723e-14), (3.5289084035962124e-07, -2.502519032152998e-08)),
        ((-9.999328059438939e-14, 1.1592393936158276e-15), (3.5377111273262043e-07, -2.0505952355944487e-09)),
        ((8.775825618903727e-09, 4.79425538604203e-09), (2.76888505594164e-05, -0.00010839040171138865)),
        ((7.07372016677029e-13, 9.974949866040544e-12), (2.4114832355659527e-06, -2.5885360255403397e-06)),
    ];

    // (s, s·G(s)) for d = φ'(z)²/E φ'(z)², gelu, E φ'(z)² = 0.4558508656492871. source:
    // scripts/reference/jacobian.py gelu_sheets (mpmath.quad, 30 digits).
    const GELU_SHEETS: [((f64, f64), (f64, f64)); 5] = [
        ((-0.0002, 1.3e-05), (0.02316014359164845, -0.0007698596418704202)),
        ((-1e-06, 1e-08), (0.0015646860271344813, -7.90403205111086e-06)),
        ((-0.003, 0.0002), (0.09135212098433147, -0.0029852035231608533)),
        ((-0.0002, -1.3e-05), (0.02316014359164845, 0.0007698596418704202)),
        ((-5e-05, 0.0), (0.011394339103594359, 0.0)),
    ];

    // source: scripts/reference/jacobian.py zeros (mpmath.findroot and mpmath.diff, 30 digits).
    const GELU_ZERO: (f64, [f64; 6]) = (
        -0.7517915246935645,
        [
            0.4314939923140469,
            0.388284982990552,
            -0.018199676398671087,
            -0.1140082332972217,
            -0.014771522148244337,
            0.019421679838189067,
        ],
    );
    const SWISH_ZERO: (f64, [f64; 6]) = (
        -1.2784645427610737,
        [
            0.2178117057198001,
            0.1466487969969469,
            0.018874814223782312,
            -0.015222655223188032,
            -0.006606589138356696,
            0.000126627410081122,
        ],
    );

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
