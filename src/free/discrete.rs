//! The law of d = f(z), z ~ N(0, 1), for an analytic f ≥ 0 on the real line (the laws of
//! φ'(h)², h ~ N(0, q), with f(z) = φ'(√q z)²), with the transform the free-probability solver
//! needs: s ↦ s·G(s), G(s) = E 1/(s − d) its Cauchy transform, and the inversion of that map
//! (complex and real).
//!
//! **Trapezoidal rule.** E g(z) is discretised by the trapezoidal rule in z on [−Z, Z]
//! ([`GAUSSIAN_RANGE`]) with step τ: Σ p_j g(jτ), p_j ∝ e^{−(jτ)²/2}. For an integrand analytic
//! in the strip |Im z| < δ its error decays like e^{−2πδ/τ} (Trefethen and Weideman 2014[^1]),
//! against e^{−2δ√(2k)} for the k-point Gauss–Hermite rule of [`crate::activation`]; this is why
//! this module does not use that rule. The moments E dᵏ have no singularity closer than the
//! poles of f (tanh: |Im z| = π/(2√q)), and the step is chosen from those ([`gaussian_step`]).
//!
//! **Poles near the axis.** The Cauchy transform is another matter: 1/(s − f(z)) has poles where
//! f(z_p) = s, at distance ≈ |Im s|/|f'| from the real axis, so for s near the support the rule
//! alone converges only algebraically (measured: a free product of such discretised laws lost
//! 1.4e-2, 1.9e-3 and 2.9e-4 of its mass for τ = 1/8, 1/16, 1/32). The exact integral is
//! recovered from the rule by adding, for every simple pole z_p of the integrand g within a band
//! |Im z| < 40τ/(2π) of the axis (beyond it the term is below e^{−40}), the closed-form
//! difference between the trapezoidal sum and the integral of a simple pole on the infinite
//! lattice (the identity Σ_j 1/(j − w) = −π cot(πw)):
//!
//! ```text
//! ∫ g = τ Σ_j g(jτ) + Σ_p Res_{z_p} g · (π cot(π z_p/τ) + iπ sgn Im z_p).
//! ```
//!
//! The poles are found by Newton's method on log f(z) = log s, started on each monotone piece of f
//! from the real root zr of f = |s| (located among the nodes) shifted by i(arg s + 2πk)·f/f'(zr),
//! one start per sheet k of the logarithm that lands within the band (for s near the negative axis
//! the sheets k = 0 and ∓1 give near-conjugate roots, equally close to the axis: before the other
//! sheets were searched the second was missed, an error of e^{−2π|Im z_p|/τ} relative, 4e-11 at s =
//! −1e-6 for gelu), and from z_c ± √(2(s − f(z_c))/f''(z_c)) at each critical point z_c of f (a
//! piece whose root lies next to a zero of f leaves both roots there to the zero's starts). f'
//! comes from the [`AnalyticMap`], and so does the f'' of the corrections' derivatives (in closed
//! form for the activations, [`AnalyticMap::eval_near_with_curvature`]). Newton stops at a step
//! below 1e-14, or one step earlier when the contraction of the last two steps (K = |δ|/|δ_prev|²)
//! puts the next below a tenth of that. On the real axis inside the support (Im s = 0⁺) a real
//! pole's side is that of f'(z_p).
//!
//! The relation to the transforms of [`super`]: with t = 1/s, ψ(t) = E t d/(1 − t d) =
//! s·G(s) − 1. Solving s·G(s) = y is inverting ψ at v = y − 1 (the χ of the S-transform is 1/s).
//!
//! [^1]: L. N. Trefethen and J. A. C. Weideman, "The exponentially convergent trapezoidal rule",
//!     *SIAM Review* 56(3), 385–458 (2014), §§5 and 11.

use crate::error::{Error, Result};
use nalgebra::Complex;
use std::f64::consts::PI;
use std::sync::Arc;

/// Complex numbers in double precision.
pub type C64 = Complex<f64>;

/// Half-width Z of the trapezoidal rule in z ~ N(0, 1): the mass beyond ±Z is 2Φ(−Z) ≈ 2.3e-19.
pub const GAUSSIAN_RANGE: f64 = 9.0;

/// The trapezoidal step for an integrand whose nearest singularity off the real z-axis is at
/// distance `pole_distance`: the largest power of two ≤ min(1/8, 2π·distance/36), so that the
/// rule's error bound e^{−2π·distance/τ} is at most e^{−36} ≈ 2e-16. A power of two makes the
/// nodes jτ and the ratios z/τ of the pole corrections exact.
pub fn gaussian_step(pole_distance: f64) -> f64 {
    let raw = (2.0 * PI * pole_distance / 36.0).min(0.125);
    2f64.powi(raw.log2().floor() as i32)
}

/// The trapezoidal rule for z ~ N(0, 1) with step `step` on [−Z, Z] ([`GAUSSIAN_RANGE`]):
/// nodes jτ and weights ∝ e^{−z²/2}, normalised to sum 1. With `even` only the nodes z ≥ 0 are
/// returned, those z > 0 carrying the weight of ±z (for even integrands).
///
/// # Errors
/// [`Error::InvalidParameter`] unless the step is finite and > 0.
pub fn gaussian_trapezoid(step: f64, even: bool) -> Result<Vec<(f64, f64)>> {
    shifted_trapezoid(step, 0.0, even)
}

/// As [`gaussian_trapezoid`] on the lattice (j + `offset`)τ, offset ∈ {0, 1/2} (both are
/// symmetric about 0).
fn shifted_trapezoid(step: f64, offset: f64, even: bool) -> Result<Vec<(f64, f64)>> {
    if !(step > 0.0 && step.is_finite()) {
        return Err(Error::invalid("trapezoidal step", step, "must be finite and > 0"));
    }
    let half = (GAUSSIAN_RANGE / step).ceil() as i64;
    // With `even`, a node z > 0 stands for itself and its mirror −z ((j + 1/2)τ for j ≥ 0 when
    // shifted).
    let start = if even { 0 } else { -half };
    let mut rule: Vec<(f64, f64)> = (start..=half)
        .map(|j| {
            let z = (j as f64 + offset) * step;
            let weight = (-0.5 * z * z).exp();
            (z, if even && z > 0.0 { 2.0 * weight } else { weight })
        })
        .collect();
    let total: f64 = rule.iter().map(|r| r.1).sum();
    rule.iter_mut().for_each(|r| r.1 /= total);
    Ok(rule)
}

/// An analytic function f, real and ≥ 0 on the real line, evaluated with its derivative.
pub trait AnalyticMap: std::fmt::Debug + Send + Sync {
    /// (f(z), f'(z)).
    fn eval(&self, z: C64) -> (C64, C64);

    /// (f, f') at z = `centre` + `offset`, where a map that can should keep f's relative
    /// accuracy as the offset from a zero of f at `centre` goes to 0 (the double z cannot: its
    /// rounding is ε|centre| absolute). By default f at the rounded sum.
    fn eval_near(&self, centre: f64, offset: C64) -> (C64, C64) {
        self.eval(C64::new(centre, 0.0) + offset)
    }

    /// (f, f', f'') at `centre` + `offset` (as [`eval_near`](Self::eval_near)); f'' is used only
    /// for derivatives of the pole corrections. By default a central difference of f' with step
    /// 1e-5 (about 1e-10 relative).
    fn eval_near_with_curvature(&self, centre: f64, offset: C64) -> [C64; 3] {
        let h = 1e-5;
        let (f, fp) = self.eval_near(centre, offset);
        let fpp = (self.eval_near(centre, offset + h).1 - self.eval_near(centre, offset - h).1) / (2.0 * h);
        [f, fp, fpp]
    }
}

/// The s·G(s) map and its derivative at one point.
#[derive(Debug, Clone, Copy)]
pub struct Transform<T> {
    /// s·G(s) = E s/(s − d).
    pub value: T,
    /// Its derivative −E d/(s − d)².
    pub derivative: T,
}

/// A critical point of f: position, value, curvature and third derivative (in units of the
/// mean).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Critical {
    z: f64,
    value: f64,
    curvature: f64,
    third: f64,
}

/// Below this |δ| the two poles z_c ± δ next to a critical point z_c are treated as a pair in
/// closed form (see [`Exact::correct_pair`], accurate to O(δ²) relative): they cannot be told
/// apart, nor f evaluated between them to relative accuracy, in double precision.
const PAIR_RADIUS: f64 = 1e-6;

/// A simple pole z = centre + offset: centre 0 for most, the zero z_c of f for a pole next to
/// it (see [`Exact::anchor`]).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pole {
    centre: f64,
    offset: C64,
}

impl Pole {
    fn z(&self) -> C64 {
        self.offset + self.centre
    }
}

/// Poles near the real axis: simple ones, and pairs z_c ± δ about a critical point.
#[derive(Debug, Clone, Default)]
struct Poles {
    simple: Vec<Pole>,
    /// The critical point and δ.
    pairs: Vec<(Critical, C64)>,
}

impl Poles {
    /// Positions, for choosing the lattice (a pair counts at its centre).
    fn positions(&self) -> impl Iterator<Item = C64> + '_ {
        self.simple.iter().map(Pole::z).chain(self.pairs.iter().map(|p| C64::new(p.0.z, 0.0)))
    }
}

/// What the pole corrections need.
#[derive(Debug)]
struct Exact {
    map: Box<dyn AnalyticMap>,
    /// 1/E f: values are f·scale.
    scale: f64,
    step: f64,
    /// τ·Σ φ(z_j) over the full lattice (the rule's normalisation).
    norm: f64,
    even: bool,
    nodes: Vec<f64>,
    /// f·scale at the nodes.
    values: Vec<f64>,
    /// Index ranges [a, b] of the monotone runs of the values.
    pieces: Vec<(usize, usize)>,
    critical: Vec<Critical>,
    /// The critical points where f = 0 (the zeros of φ' for gelu and swish).
    zeros: Vec<f64>,
}

/// Relative residual at which an inner solve that cannot decrease its residual any further is
/// accepted as converged to rounding: the transform near the zero of φ' (gelu, swish) for
/// |s| ~ 1e-11 was measured to carry 4e-12 of rounding relative to its value (the pair and node
/// terms cancel), which still gives s to ~1e-11.
const ROUNDED: f64 = 1e-11;

/// Relative Newton step of an inner solve below which s has converged: its error is about the
/// step, 1e-14 relative (a law factor of multiplicity n adds n times that to the outer
/// residual's rounding floor, 1e-13 per logarithm in [`crate::free::solve`]).
const INNER_STEP: f64 = 1e-14;

/// Relative Newton step of an inner solve below which the step is taken without a transform to
/// confirm it (see [`DiscreteLaw::solve`]).
const UNCONFIRMED_STEP: f64 = 1e-10;

/// Relative Newton step of an inner solve below which a step that does not decrease the residual
/// ends the solve (the result is then what halving the step down to 1e-8 used to return).
const STALLED: f64 = 1e-13;

/// One trapezoidal lattice: values f·scale at the nodes and their weights.
#[derive(Debug, Clone, PartialEq)]
struct Lattice {
    offset: f64,
    values: Vec<f64>,
    weights: Vec<f64>,
}

impl Lattice {
    /// s·G(s) = s·Σ p_j r_j and its derivative −Σ p_j d_j r_j², r_j = 1/(s − d_j), in real
    /// arithmetic: with a_j = Re s − d_j, b = Im s and n_j = a_j² + b²,
    ///
    /// ```text
    /// Σ p r = Σ p a/n − i·b Σ p/n,        Σ p d r² = Σ p d (a² − b²)/n² − 2i·b Σ p d a/n²,
    /// ```
    ///
    /// one division per node and independent accumulators per lane (the loop vectorises; the
    /// complex form was a chain of dependent complex divisions, 60% of a deep tanh law's time).
    fn transform(&self, s: C64) -> Transform<C64> {
        const LANES: usize = 4;
        let (x, b) = (s.re, s.im);
        let b2 = b * b;
        // Per lane: Σ p/n, Σ p a/n, Σ p d (a² − b²)/n², Σ p d a/n².
        let mut acc = [[0.0f64; LANES]; 4];
        let mut add = |lane: usize, d: f64, p: f64| {
            let a = x - d;
            let inv = 1.0 / (a * a + b2);
            let p_inv = p * inv;
            let pd_inv2 = p_inv * inv * d;
            acc[0][lane] += p_inv;
            acc[1][lane] += p_inv * a;
            acc[2][lane] += pd_inv2 * (a * a - b2);
            acc[3][lane] += pd_inv2 * a;
        };
        let values = self.values.chunks_exact(LANES);
        let weights = self.weights.chunks_exact(LANES);
        let (value_rest, weight_rest) = (values.remainder(), weights.remainder());
        for (d, p) in values.zip(weights) {
            for lane in 0..LANES {
                add(lane, d[lane], p[lane]);
            }
        }
        for (lane, (&d, &p)) in value_rest.iter().zip(weight_rest).enumerate() {
            add(lane, d, p);
        }
        let total = |k: usize| acc[k].iter().sum::<f64>();
        let sum_r = C64::new(total(1), -b * total(0));
        let sum_dr2 = C64::new(total(2), -2.0 * b * total(3));
        Transform { value: s * sum_r, derivative: -sum_dr2 }
    }
}

/// The law of f(z)/E f(z), z ~ N(0, 1), on its trapezoidal nodes, with the exact transform.
///
/// Two interleaved lattices are kept (nodes jτ and (j + 1/2)τ): the transform at s uses the one
/// whose nodes are farther from the poles, so that a node term and its pole correction never
/// cancel to a few digits (measured: s within 1e-6 of a node value lost 5 digits).
#[derive(Debug, Clone)]
pub struct DiscreteLaw {
    /// Nodes jτ (used for the moments) and (j + 1/2)τ.
    lattices: [Lattice; 2],
    /// Supremum of the values of f·scale on the real line (the critical values included).
    sup: f64,
    /// Infimum (0 when f reaches or tends to 0).
    inf: f64,
    exact: Arc<Exact>,
}

impl PartialEq for DiscreteLaw {
    fn eq(&self, other: &Self) -> bool {
        self.lattices == other.lattices
    }
}

impl DiscreteLaw {
    /// The law of f(z)/E f(z), z ~ N(0, 1), with f given as an analytic map (f even when
    /// `even`), on the trapezoidal rule of step `step`; returns the law and E f(z). `reaches_zero`
    /// states that the infimum of f on the real line is 0 (then the support reaches 0).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a bad step, a negative or non-finite value, or a mean
    /// that is not positive.
    pub fn pushforward(map: Box<dyn AnalyticMap>, step: f64, even: bool, reaches_zero: bool) -> Result<(Self, f64)> {
        let rule = gaussian_trapezoid(step, even)?;
        let nodes: Vec<f64> = rule.iter().map(|r| r.0).collect();
        let mut values = Vec::with_capacity(rule.len());
        for &z in &nodes {
            let value = map.eval(C64::new(z, 0.0)).0.re;
            if !(value >= 0.0 && value.is_finite()) {
                return Err(Error::invalid("φ'(h)²", value, "must be finite and ≥ 0"));
            }
            values.push(value);
        }
        let weights: Vec<f64> = rule.iter().map(|r| r.1).collect();
        let mean: f64 = values.iter().zip(&weights).map(|(v, w)| v * w).sum();
        if mean.is_nan() || mean <= 0.0 {
            return Err(Error::invalid("E φ'(h)²", mean, "must be > 0"));
        }
        let scale = 1.0 / mean;
        values.iter_mut().for_each(|v| *v *= scale);
        let half = (GAUSSIAN_RANGE / step).ceil() as i64;
        let norm =
            step * (-half..=half).map(|j| (-0.5 * (j as f64 * step).powi(2)).exp()).sum::<f64>() / (2.0 * PI).sqrt();
        let mut exact = Exact {
            map,
            scale,
            step,
            norm,
            even,
            nodes,
            values: values.clone(),
            pieces: Vec::new(),
            critical: Vec::new(),
            zeros: Vec::new(),
        };
        exact.locate_critical_points();
        let sup = exact.critical.iter().map(|c| c.value).chain(values.iter().copied()).fold(0.0, f64::max);
        let inf = if reaches_zero { 0.0 } else { values.iter().copied().fold(f64::INFINITY, f64::min) };
        // The lattice shifted by τ/2 (its normalisation differs from the main one's by
        // e^{−2π²/τ²}: nothing).
        let shifted_rule = shifted_trapezoid(step, 0.5, even)?;
        let shifted = Lattice {
            offset: 0.5,
            values: shifted_rule.iter().map(|r| exact.map.eval(C64::new(r.0, 0.0)).0.re * scale).collect(),
            weights: shifted_rule.iter().map(|r| r.1).collect(),
        };
        let main = Lattice { offset: 0.0, values, weights };
        Ok((DiscreteLaw { lattices: [main, shifted], sup, inf, exact: Arc::new(exact) }, mean))
    }

    /// Number of nodes of the rule.
    pub fn len(&self) -> usize {
        self.lattices[0].values.len()
    }

    /// True when the rule has no nodes (never, for a constructed law).
    pub fn is_empty(&self) -> bool {
        self.lattices[0].values.is_empty()
    }

    /// The supremum of the values f/E f on the rule's range (the critical values included).
    pub fn sup(&self) -> f64 {
        self.sup
    }

    /// Whether the support of the law reaches 0.
    pub fn reaches_zero(&self) -> bool {
        self.inf == 0.0
    }

    /// Raw moments E d^k for k = 1..=order (E d = 1 by normalisation), by the rule.
    pub fn moments(&self, order: usize) -> Vec<f64> {
        let l = &self.lattices[0];
        (1..=order).map(|k| l.values.iter().zip(&l.weights).map(|(v, w)| w * v.powi(k as i32)).sum()).collect()
    }

    /// s·G(s) and its derivative at a complex s (Im s = 0 means the limit from above).
    pub fn transform(&self, s: C64) -> Transform<C64> {
        let poles = self.exact.poles(s);
        // Distance of the poles from the nodes of each lattice, in units of τ.
        let distance = |lattice: &Lattice| {
            poles
                .positions()
                .map(|z| {
                    let w = z / self.exact.step - lattice.offset;
                    (w - w.re.round()).norm_sqr()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let lattice = if distance(&self.lattices[0]) >= distance(&self.lattices[1]) {
            &self.lattices[0]
        } else {
            &self.lattices[1]
        };
        let mut t = lattice.transform(s);
        self.exact.correct(s, &poles, lattice.offset, &mut t);
        t
    }

    /// s·G(s) and its derivative at a real s outside the support.
    pub fn transform_real(&self, s: f64) -> Transform<f64> {
        let t = self.transform(C64::new(s, 0.0));
        Transform { value: t.value.re, derivative: t.derivative.re }
    }

    /// Solves s·G(s) = y for complex y, given also v = y − 1 (which the caller knows to full
    /// relative accuracy when y ≈ 1, where s ≈ 1/v is large): the equation solved is
    /// s·G(s) − y = 0 when |v| > 1/2 and s·G(s) − 1 − v = 0 otherwise. Damped Newton from
    /// `guess`, keeping Im s of the sign opposite to Im y (the branch on which s = 1/χ(v) is the
    /// subordination point: s·G(s) maps the upper half-plane into the lower one). `None` when
    /// Newton does not converge.
    pub fn solve(&self, y: C64, v: C64, guess: C64) -> Option<(C64, Transform<C64>)> {
        let small = v.norm_sqr() <= 0.25;
        let (target, offset) = if small { (v, 1.0) } else { (y, 0.0) };
        // Residuals and tolerances are compared squared (no hypot in the loop).
        let residual_of = |t: &Transform<C64>| (t.value - offset - target).norm_sqr();
        let mut s = guess;
        let sign = if y.im <= 0.0 { 1.0 } else { -1.0 };
        if s.im * sign < 0.0 {
            s.im = -s.im;
        }
        let mut t = self.transform(s);
        let mut residual = residual_of(&t);
        let target2 = target.norm_sqr();
        let floor = 1e-30 * target2;
        let rounded = ROUNDED * ROUNDED * target2.max(1e-300);
        for _ in 0..80 {
            let step = (t.value - offset - target) / t.derivative;
            if !step.re.is_finite() || !step.im.is_finite() {
                return None;
            }
            // Newton's step estimates the error of s: converged once it is below INNER_STEP
            // relative (rounding alone leaves steps of ~1e-15, which a stricter test would
            // chase with a transform more per solve).
            if step.norm_sqr() <= INNER_STEP * INNER_STEP * s.norm_sqr() || residual <= floor {
                return Some((s, t));
            }
            // A step this small is in Newton's quadratic regime: the root s − step is accurate to
            // about K·|step|² (K = |T''/2T'|, of order 1/|s| or smaller away from the support's
            // ends), far below INNER_STEP, so it is taken without a transform to confirm it. The
            // value returned is Newton's linearisation at the root (the target) and the
            // derivative that at s (relative error ~|step|/|s|, used only as a derivative).
            let candidate = s - step;
            if step.norm_sqr() <= UNCONFIRMED_STEP * UNCONFIRMED_STEP * s.norm_sqr() && candidate.im * sign >= 0.0 {
                return Some((candidate, Transform { value: t.value - step * t.derivative, derivative: t.derivative }));
            }
            let mut lambda = 1.0;
            loop {
                let candidate = s - step * lambda;
                if candidate.im * sign >= 0.0 {
                    let tc = self.transform(candidate);
                    let rc = residual_of(&tc);

                    if rc < residual || rc <= floor {
                        s = candidate;
                        t = tc;
                        residual = rc;
                        break;
                    }
                }
                // A full step this short that does not decrease the residual is rounding: s is
                // already as accurate as the step (Newton's step estimates the error), and
                // halving it would only repeat the transform (measured: 19 transforms per inner
                // solve on average for a depth-100 Gaussian tanh density, against 3 with this).
                if lambda == 1.0 && step.norm_sqr() <= STALLED * STALLED * s.norm_sqr() {
                    return (residual <= rounded).then_some((s, t));
                }
                lambda *= 0.5;
                if lambda < 1e-8 {
                    // No decrease: converged to rounding, or a failure.
                    return (residual <= rounded).then_some((s, t));
                }
            }
        }
        (residual <= rounded).then_some((s, t))
    }

    /// Solves s·G(s) = y for real y ≠ 1 (given also v = y − 1, see [`solve`](Self::solve)) on
    /// the branch that continues the subordination point to the real axis: s ∈ (sup d, ∞) for
    /// y > 1, s ∈ (−∞, 0) for 0 < y < 1, s ∈ (0, inf d) for y < 0 (s·G(s) is decreasing on
    /// each). Bracketed Newton; `None` for v = 0, y = 0, or y < 0 when the support reaches 0.
    pub fn solve_real(&self, y: f64, v: f64) -> Option<(f64, Transform<f64>)> {
        if !y.is_finite() || v == 0.0 || y == 0.0 || (y < 0.0 && self.inf == 0.0) {
            return None;
        }
        let small = v.abs() <= 0.5;
        let (target, offset) = if small { (v, 1.0) } else { (y, 0.0) };
        let f = |s: f64| {
            let t = self.transform_real(s);
            (t.value - offset - target, t)
        };
        let (mut lo, mut hi) = if v > 0.0 {
            // s·G(s) ≈ 1 + 1/s for large s (mean 1): start from a bracket that contains it.
            let mut hi = self.sup + 2.0 / v + 1.0;
            while f(hi).0 > 0.0 {
                hi = self.sup + 2.0 * (hi - self.sup);
            }
            (self.sup, hi)
        } else if y > 0.0 {
            let mut lo = -2.0 / y - 1.0;
            while f(lo).0 < 0.0 {
                lo *= 2.0;
                if lo < -1e300 {
                    return None;
                }
            }
            (lo, 0.0)
        } else {
            (0.0, self.inf)
        };
        let mut s = 0.5 * (lo + hi);
        for _ in 0..400 {
            let (value, t) = f(s);
            if value > 0.0 {
                lo = s;
            } else {
                hi = s;
            }
            let newton = s - value / t.derivative;
            let next = if newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
            if (next - s).abs() <= 4.0 * f64::EPSILON * s.abs() || next == lo || next == hi {
                return Some((next, self.transform_real(next)));
            }
            s = next;
        }
        Some((s, self.transform_real(s)))
    }
}

mod exact;

#[cfg(test)]
mod tests {
    use super::exact::principal_sqrt;
    use super::*;

    /// f(z) = z²: d is χ²₁, whose support reaches 0 and whose transform near the support needs
    /// the pole corrections.
    #[derive(Debug)]
    struct Square;

    impl AnalyticMap for Square {
        fn eval(&self, z: C64) -> (C64, C64) {
            (z * z, 2.0 * z)
        }
    }

    /// f(z) = (z − a)²: a law whose support reaches 0 at an interior zero of f (as gelu's and
    /// swish's φ'² do), evaluated about that zero without rounding the offset.
    #[derive(Debug)]
    struct ShiftedSquare(f64);

    impl AnalyticMap for ShiftedSquare {
        fn eval(&self, z: C64) -> (C64, C64) {
            let d = z - self.0;
            (d * d, 2.0 * d)
        }

        fn eval_near(&self, centre: f64, offset: C64) -> (C64, C64) {
            let d = offset + (centre - self.0);
            (d * d, 2.0 * d)
        }
    }

    #[test]
    fn transform_next_to_an_interior_zero_matches_the_closed_form_and_inverts() {
        // Poles at a ± √(s(1 + a²)), 1e-10 to 1e-4 from the zero: before the poles were taken
        // about the zero (Exact::anchor) the transform at |s| = 1e-12 carried 4e-11 of noise and
        // could not be inverted to better than 1e-11.
        let (law, mean) = DiscreteLaw::pushforward(Box::new(ShiftedSquare(0.7)), 0.125, false, true).unwrap();
        assert!((mean - 1.49).abs() < 1e-14, "{mean}");
        for (modulus, argument, (re, im)) in SHIFTED {
            let s = C64::from_polar(modulus, argument);
            let want = C64::new(re, im);
            let got = law.transform(s).value;
            assert!((got - want).norm() <= 1e-12 * want.norm(), "|s| = {modulus}, arg {argument}: {got} vs {want}");
            let start = s * (1.0 + 1e-3);
            let (root, t) = law.solve(got, got - 1.0, start).unwrap_or_else(|| panic!("no inverse at {s}"));
            assert!((t.value - got).norm() <= 1e-11 * got.norm() && (root - s).norm() <= 1e-9 * modulus, "{s}: {root}");
        }
    }

    // (|s|, arg s, s·G(s)) for the law of (z − 0.7)²/1.49. source: scripts/reference/jacobian.py
    // shifted (closed form through the Faddeeva function, mpmath at 30 digits).
    const SHIFTED: [(f64, f64, (f64, f64)); 6] = [
        (1e-08, 2.0, (0.00010075683021966215, -6.468964228450945e-05)),
        (1e-12, 0.3, (1.789428579487016e-07, -1.1839860491099556e-06)),
        (1e-12, 1.5, (8.16216246644475e-07, -8.761469300296298e-07)),
        (1e-12, 2.8, (1.1800083987112264e-06, -2.0352383531293693e-07)),
        (1e-16, 1.0, (5.740795717143179e-09, -1.0508455914160006e-08)),
        (3e-20, 0.05, (5.184493363825096e-12, -2.0733652759969087e-10)),
    ];

    #[test]
    fn moments_of_the_pushforward_are_exact() {
        // source: closed form, E z^{2k} = (2k − 1)!!: the law of z² has moments 1, 3, 15.
        let (law, mean) = DiscreteLaw::pushforward(Box::new(Square), 0.125, true, true).unwrap();
        assert!((mean - 1.0).abs() < 1e-14, "{mean}");
        let m = law.moments(3);
        assert!((m[0] - 1.0).abs() < 1e-14 && (m[1] - 3.0).abs() < 1e-13 && (m[2] - 15.0).abs() < 1e-12, "{m:?}");
    }

    #[test]
    fn transform_near_the_support_matches_mpmath() {
        // source: scripts/reference/jacobian.py chi2 (mpmath.quad of s/(s − z²)·φ(z), 30
        // digits): s·G(s) for the χ²₁ law at points close to and on its support.
        let (law, _) = DiscreteLaw::pushforward(Box::new(Square), 0.125, true, true).unwrap();
        for ((re, im), (want_re, want_im)) in CHI2 {
            let got = law.transform(C64::new(re, im)).value;
            let want = C64::new(want_re, want_im);
            assert!((got - want).norm() < 1e-12 * want.norm().max(1.0), "s = {re}+{im}i: {got} vs {want}");
        }
    }

    #[test]
    fn complex_and_real_inversions_invert_the_transform() {
        let (law, _) = DiscreteLaw::pushforward(Box::new(Square), 0.125, true, true).unwrap();
        // Points of the upper half-plane, near and far from the support, mapped forward and back.
        for s0 in
            [C64::new(0.5, 0.3), C64::new(3.0, 0.01), C64::new(0.2, 1e-4), C64::new(50.0, 2.0), C64::new(-1.0, 0.5)]
        {
            let y = law.transform(s0).value;
            let (s, t) = law.solve(y, y - 1.0, C64::new(1.0, 1.0)).unwrap_or_else(|| panic!("{s0}"));
            assert!((t.value - y).norm() < 1e-12 * y.norm(), "{s0}: {s} gives {}", t.value);
            assert!((s - s0).norm() < 1e-9 * s0.norm(), "{s0}: {s}");
        }
        for y in [0.5, 0.01] {
            let (s, t) = law.solve_real(y, y - 1.0).unwrap();
            assert!((t.value - y).abs() < 1e-12 && s < 0.0, "{y}: s = {s}, got {}", t.value);
        }
        // χ²₁ reaches 0: there is no real branch for y < 0, and none above (its support is
        // unbounded here only through the rule's range, so the upper branch starts at sup).
        assert!(law.solve_real(-0.3, -1.3).is_none());
        assert!(law.solve_real(1.0, 0.0).is_none());
    }

    #[test]
    fn principal_sqrt_agrees_with_the_polar_form() {
        for z in [
            C64::new(2.0, 3.0),
            C64::new(-2.0, 3.0),
            C64::new(-2.0, -1e-9),
            C64::new(1e-12, -4.0),
            C64::new(0.0, 2.0),
            C64::new(-5.0, 0.0),
            C64::new(-5.0, -0.0),
            C64::new(3.0, -1e-300),
        ] {
            let (got, want) = (principal_sqrt(z), z.sqrt());
            assert!((got - want).norm() <= 4.0 * f64::EPSILON * want.norm(), "{z}: {got} vs {want}");
            assert_eq!(got.im.is_sign_negative(), want.im.is_sign_negative(), "{z}");
        }
    }

    // (s, s·G(s)) for the χ²₁ law. source: scripts/reference/jacobian.py chi2.
    const CHI2: [((f64, f64), (f64, f64)); 9] = [
        ((1.0, 0.01), (0.7247964517229308, -0.7551924916197874)),
        ((0.3, 0.0001), (0.2717942951739407, -0.590767159757794)),
        ((2.5, 0.5), (1.1007485535053783, -0.4942234465970801)),
        ((4.0, 1e-06), (1.2799760219176237, -0.3392352275071256)),
        ((0.05, 0.02), (0.10015898131013783, -0.25972407044704576)),
        ((-0.5, 0.1), (0.5486619815833319, -0.031491233479702264)),
        ((1.7, -0.2), (0.9732517619353008, 0.6415281631329458)),
        ((0.7, 0.0), (0.5574137827854154, -0.7389344083172144)),
        ((2.0, 0.0), (1.0761590138255368, -0.6520493321732922)),
    ];
}
