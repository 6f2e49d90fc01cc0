//! The exact transform of [`DiscreteLaw`](super::DiscreteLaw)'s Gaussian nodes near the poles:
//! the trapezoid sum with the poles' residues corrected (single poles and the pairs that meet at a
//! critical point of f), and the complex helpers it needs.

use super::*;

/// A pole within this distance (in z) of a zero of f is computed about it ([`Exact::anchor`]).
const ANCHOR_RADIUS: f64 = 1e-2;
/// The step ε of the complex-step derivative f''(z) = Im f'(z + iε)/ε at a critical point.
const COMPLEX_STEP: f64 = 1e-20;
/// A real root of f = |s| within this many steps τ of a critical point is near it: the point's
/// own starts are then taken (see [`Exact::poles`]).
const NEAR_ROOT: f64 = 4.0;
/// Sheets of the logarithm tried on each side of the principal one, at most, when starting the
/// pole search from a real root (see [`Exact::poles`]).
const MAX_SHEETS: f64 = 8.0;

impl Exact {
    /// Half-width of the band of poles that are corrected: beyond it the term is below e^{−40}.
    fn band(&self) -> f64 {
        40.0 * self.step / (2.0 * PI)
    }

    fn f(&self, z: C64) -> (C64, C64) {
        let (f, fp) = self.map.eval(z);
        (f * self.scale, fp * self.scale)
    }

    /// (f, f') at `pole` (relative to its centre, see [`AnalyticMap::eval_near`]).
    fn f_at(&self, pole: Pole) -> (C64, C64) {
        let (f, fp) =
            if pole.centre == 0.0 { self.map.eval(pole.offset) } else { self.map.eval_near(pole.centre, pole.offset) };
        (f * self.scale, fp * self.scale)
    }

    /// The pole found at `z`, re-expressed about a zero z_c of f within [`ANCHOR_RADIUS`] and
    /// polished there by Newton on ln(f(z_c + δ)/s) in δ. Near a zero the poles are
    /// z_c ± √(2s/f''), and the residue −φs/(N f') ∝ 1/δ: as a double, z carries δ only to
    /// ε|z_c| absolute, which was measured to leave the transform 4e-11 relative noise at
    /// |s| ≈ 2e-12 (He gelu at depth 10), enough to stall the inner solves.
    fn anchor(&self, s: C64, z: C64) -> Pole {
        let Some(&centre) = self.zeros.iter().find(|&&c| (z - c).norm_sqr() < ANCHOR_RADIUS * ANCHOR_RADIUS) else {
            return Pole { centre: 0.0, offset: z };
        };
        let mut pole = Pole { centre, offset: z - centre };
        for _ in 0..8 {
            let (f, fp) = self.f_at(pole);
            let step = log(f / s) * f / fp;
            if !step.re.is_finite() || !step.im.is_finite() {
                break;
            }
            pole.offset -= step;
            if step.norm_sqr() <= 1e-30 * pole.offset.norm_sqr() {
                break;
            }
        }
        pole
    }

    /// Splits the nodes into monotone runs and refines the interior extrema (and z = 0 for an
    /// even f) into critical points with their curvature.
    pub(super) fn locate_critical_points(&mut self) {
        let values = &self.values;
        let n = values.len();
        let mut breaks = vec![0];
        for j in 1..n - 1 {
            if (values[j] - values[j - 1]) * (values[j + 1] - values[j]) < 0.0 {
                breaks.push(j);
            }
        }
        breaks.push(n - 1);
        self.pieces = breaks.windows(2).map(|w| (w[0], w[1])).collect();
        let mut zs: Vec<f64> = breaks[1..breaks.len() - 1]
            .iter()
            .map(|&j| {
                // f' changes sign between the neighbouring nodes: bisect on it.
                let (mut a, mut b) = (self.nodes[j - 1], self.nodes[j + 1]);
                let slope = |z: f64| self.f(C64::new(z, 0.0)).1.re;
                let sa = slope(a);
                for _ in 0..100 {
                    let m = 0.5 * (a + b);
                    if (slope(m) > 0.0) == (sa > 0.0) {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                0.5 * (a + b)
            })
            .collect();
        if self.even {
            zs.push(0.0);
        }
        self.critical = zs
            .into_iter()
            .map(|z| {
                let (value, slope) = self.f(C64::new(z, 0.0));
                // f'' by the complex step, Im f'(z + iε)/ε = f''(z) + O(ε²) with no cancellation
                // (f' is real on the real axis). The central difference it replaces (O(h²),
                // about 1e-8 relative) kept the pair's correction (δ ∝ 1/√f'', the pair most of
                // the transform at |s| ≈ 1e-13 next to a zero) from 1e-12: the test
                // gelu_transform_next_to_the_zero_of_its_derivative_matches_mpmath fails with it.
                let curvature = self.f(C64::new(z, COMPLEX_STEP)).1.im / COMPLEX_STEP;
                let h = 1e-4;
                let (up, down) = (self.f(C64::new(z + h, 0.0)).1.re, self.f(C64::new(z - h, 0.0)).1.re);
                let third = (up - 2.0 * slope.re + down) / (h * h);
                Critical { z, value: value.re, curvature, third }
            })
            .collect();
        // f ≥ 0: a minimum of value 0 (up to rounding of the mean-1 scale) is a zero of f.
        self.zeros = self.critical.iter().filter(|c| c.curvature > 0.0 && c.value <= 1e-20).map(|c| c.z).collect();
    }

    /// Newton's method on log f(z) = log s from `start`: the residual is ln(f(z)/s) (principal
    /// branch; 0 only where f = s) and the step ln(f/s)·f/f'. In logarithms the tails of f
    /// (tanh: f ∝ e^{−4√q|z|}) are straight lines, where Newton on f − s overshoots from any
    /// start off by more than 1/(4√q) in Im z and was measured to fail (He tanh at depth 1,
    /// s ≈ 1e-7·e^{1.16i}: the poles at Im z = ∓0.21 were missed from the start at ∓0.41 and
    /// the transform was 5e-5 off). Converged when the step is below 1e-14 (relative), or, once
    /// the residual stops decreasing, when it is below 1e-12 (f itself carries rounding of a few
    /// ulp).
    fn pole(&self, s: C64, start: C64) -> Option<C64> {
        let mut z = start;
        let mut residual = f64::INFINITY;
        // The last step's squared modulus (none yet).
        let mut last2 = f64::INFINITY;
        for _ in 0..40 {
            let (f, fp) = self.f(z);
            let log_ratio = log(f / s);
            // Squared residuals (no hypot in the loop).
            let r = log_ratio.norm_sqr();
            if r.is_nan() || r >= residual {
                return (residual <= 1e-24).then_some(z);
            }
            residual = r;
            let step = log_ratio * f / fp;
            if !step.re.is_finite() || !step.im.is_finite() {
                return None;
            }
            z -= step;
            // A root this far off the axis is beyond the band (its term below e^{−80}): not
            // worth the remaining iterations (measured on tanh at depth 100, law and 1000-point
            // density: 418 310 of the 427 027 pole solves of LeCun's ended here, 156 628 of
            // 301 256 of orthogonal's; both outputs bit-identical with and without the exit).
            if z.im.abs() > 2.0 * self.band() {
                return None;
            }
            // |z| ≤ |Re z| + |Im z|: the hypot is taken only when the step may be converged.
            let step2 = step.norm_sqr();
            let bound = 1e-14 * (1.0 + z.re.abs() + z.im.abs());
            if step2 <= bound * bound && step.norm() <= 1e-14 * (1.0 + z.norm()) {
                return Some(z);
            }
            // In Newton's quadratic regime the next step is about K·|step|², K estimated from this
            // step and the last (|step|/|last|²): when that is below a tenth of the tolerance, z
            // is converged without another evaluation of f to confirm it.
            if last2.is_finite() && step2 * step2 <= 0.01 * bound * bound * last2 {
                return Some(z);
            }
            last2 = step2;
        }
        None
    }

    /// The poles of 1/(s − f(z)) within the band, on the full lattice.
    pub(super) fn poles(&self, s: C64) -> Poles {
        let band = self.band();
        let mut starts = Vec::new();
        let values = &self.values;
        // Pieces whose range contains |s| give the poles continued from real roots; a critical
        // point is needed as a start only when s lies beyond its value (no real root near it),
        // or a real root lies near it (where the linear start is poor or rejected).
        let mut covered = Vec::new();
        let mut needs_critical = false;
        let mut pairs = Vec::new();
        // The start on a piece: the node interval bracketing |s|, the root zr of the interpolant
        // of log f there (linear where a value is 0), and zr + i·arg(s)·f/f'(zr), the root of
        // the linearisation of log f (exact for an exponential tail). Bracketing |s| rather than
        // Re s also finds the poles of an s off the positive axis (Re s ≤ 0 brackets nothing).
        let modulus = s.norm();
        // arg s, taken only when a piece brackets |s| (a tenth of the transforms or fewer: at depth
        // 100, pieces bracketed |s| 90 000–270 000 times in 1.6–2.2 million transforms).
        let mut argument = None;
        for &(a, b) in &self.pieces {
            let (va, vb) = (values[a], values[b]);
            if (va - modulus) * (vb - modulus) >= 0.0 {
                continue;
            }
            let (mut lo, mut hi) = (a, b);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if (values[mid] - modulus) * (va - modulus) > 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let (z0, z1) = (self.nodes[lo], self.nodes[hi]);
            let (v0, v1) = (values[lo], values[hi]);
            let fraction =
                if v0 > 0.0 && v1 > 0.0 { (modulus / v0).ln() / (v1 / v0).ln() } else { (modulus - v0) / (v1 - v0) };
            let zr = z0 + (z1 - z0) * fraction;
            let (f, slope) = self.f(C64::new(zr, 0.0));
            let argument = *argument.get_or_insert_with(|| s.im.atan2(s.re));
            let scale = f.re / slope.re;
            covered.push(zr);
            // Next to a zero z_c of f (a double zero: f ≈ f''(z − z_c)²/2), f = s has two roots
            // near zr, z_c ± √(2s/f''), on every sheet alike: the starts of the critical point z_c
            // (taken because this root is near it) find both, and the sheets' starts here would
            // only find them again (measured, He gelu at depth 100: 151 000 such solves in
            // building the law, 23 000 of them first to find a pole the critical starts then found
            // again; the law's outputs moved at rounding level, quantiles 8e-13 relative).
            if self.zeros.iter().any(|&c| (zr - c).abs() < NEAR_ROOT * self.step) {
                continue;
            }
            let principal = (argument * scale).abs();
            if principal >= 2.0 * band || principal.is_nan() {
                // f'/f ≈ 0 here: the root is next to a critical point, whose start is needed.
                needs_critical = true;
                continue;
            }
            // Every sheet of the logarithm: log f(z) = log|s| + i(arg s + 2πk) has a root near
            // zr + i(arg s + 2πk)·f/f' for each k, and those within the band are poles to correct
            // (for s near the negative axis the k = 0 and k = ∓1 roots are near-conjugate, equally
            // close to the axis).
            let sheets = (2.0 * band / (2.0 * PI * scale.abs())).ceil().min(MAX_SHEETS) as i32;
            for k in -sheets..=sheets {
                let start = C64::new(zr, (argument + 2.0 * PI * k as f64) * scale);
                if start.im.abs() < 2.0 * band {
                    starts.push(start);
                }
            }
        }
        for c in &self.critical {
            let offset = principal_sqrt(2.0 * (s - c.value) / c.curvature);
            let near_root = covered.iter().any(|zr| (zr - c.z).abs() < NEAR_ROOT * self.step);
            // Beyond an extremum's value: above a maximum, below a minimum.
            let beyond = (s.re - c.value) * c.curvature < 0.0 || (modulus - c.value) * c.curvature < 0.0;
            // Within a few steps of the critical point the nodes may all lie beyond Re s (the
            // roots fall between two nodes), so no piece brackets it.
            let close = offset.norm_sqr() < 16.0 * self.step * self.step;
            if !(beyond || near_root || needs_critical || close) {
                continue;
            }
            if offset.norm_sqr() < PAIR_RADIUS * PAIR_RADIUS {
                pairs.push((*c, offset));
                if self.even && c.z != 0.0 {
                    // The mirror image: the third derivative changes sign.
                    pairs.push((Critical { z: -c.z, third: -c.third, ..*c }, offset));
                }
                continue;
            }
            for start in [c.z + offset, c.z - offset] {
                if start.im.abs() < 2.0 * band {
                    starts.push(start);
                }
            }
        }
        let mut poles: Vec<Pole> = Vec::new();
        let keep = |pole: Pole, poles: &mut Vec<Pole>| {
            let z = pole.z();
            let new = poles.iter().all(|p| (p.z() - z).norm_sqr() > 1e-18)
                && pairs.iter().all(|p: &(Critical, C64)| {
                    (C64::new(p.0.z, 0.0) - z).norm_sqr() > 100.0 * PAIR_RADIUS * PAIR_RADIUS
                });
            if z.im.abs() < band && z.re.abs() < GAUSSIAN_RANGE + 1.0 && new {
                poles.push(pole);
            }
        };
        for start in starts {
            if let Some(z) = self.pole(s, start) {
                let pole = self.anchor(s, z);
                keep(pole, &mut poles);
                if self.even {
                    keep(Pole { centre: -pole.centre, offset: -pole.offset }, &mut poles);
                }
            }
        }
        Poles { simple: poles, pairs }
    }

    /// Adds the corrections for `poles` to the transform from the lattice (j + offset)τ (see
    /// the module docs).
    pub(super) fn correct(&self, s: C64, poles: &Poles, offset: f64, t: &mut Transform<C64>) {
        let tau = self.step;
        for &(c, delta) in &poles.pairs {
            self.correct_pair(s, c, delta, offset, t);
        }
        for &pole in &poles.simple {
            let z = pole.z();
            let [_, fp, fpp] = self.map.eval_near_with_curvature(pole.centre, pole.offset).map(|v| v * self.scale);
            let phi = (-0.5 * z * z).exp() / (2.0 * PI).sqrt();
            let residue = -phi * s / (self.norm * fp);
            let side = if z.im != 0.0 { z.im.signum() } else { fp.re.signum() * if s.im < 0.0 { -1.0 } else { 1.0 } };
            // cot(πw) has period 1 in w = z/τ: reduce first (exact, τ a power of two), so that
            // q = e^{±2πiw} and 1 − q keep their digits when z sits near a node.
            let w = z / tau - offset;
            let w = w - w.re.round();
            let exponent = side * 2.0 * PI * C64::new(0.0, 1.0) * w;
            let one_minus_q = -expm1(exponent);
            let q = 1.0 - one_minus_q;
            let k = -side * 2.0 * PI * C64::new(0.0, 1.0) * q / one_minus_q;
            let k_prime = 4.0 * PI * PI / tau * q / (one_minus_q * one_minus_q);
            let d_residue = phi / self.norm * (-1.0 / fp + s * fpp / (fp * fp * fp) + s * z / (fp * fp));
            t.value += residue * k;
            t.derivative += d_residue * k + residue * k_prime / fp;
        }
    }
}

impl Exact {
    /// The corrections of the pair z_c ± δ, δ = √(2(s − f_c)/f''). The poles themselves are at
    /// z_c + e± with f(z_c + e) = s, e± = ±δ − hδ² + O(δ³), h = f'''/(6f''). With R(z) the residue
    /// −φ(z)s/(N f'(z)), φ(z_c + e) = φ(z_c)(1 − z_c e + …) and f'(z_c + e) = f''e(1 + f'''e/(2f'')),
    /// R(z_c + e±) = ∓(C/δ)(1 ∓ gδ) + O(δ) with C = φ(z_c)s/(N f'') and
    /// g = z_c + f'''/(2f'') − h = z_c + f'''/(3f'') (the shift −hδ² of both poles enters R at
    /// first order; leaving it out, as this formula once did, is an error of order δ relative);
    /// with K(z) = π cot(πz/τ) + iπσ (σ the side of the pole, opposite for the two), in which the
    /// common shift enters only at O(δ²), R₊K₊ + R₋K₋ = ½(R₊ − R₋)(K₊ − K₋) +
    /// ½(R₊ + R₋)(K₊ + K₋) gives
    ///
    /// ```text
    /// C·[(2π²/τ) csc²(πz_c/τ) − 2iπσ₊/δ] + 2πC·g·cot(πz_c/τ),   relative error O(δ²).
    /// ```
    fn correct_pair(&self, s: C64, c: Critical, delta: C64, offset: f64, t: &mut Transform<C64>) {
        let tau = self.step;
        let phi = (-0.5 * c.z * c.z).exp() / (2.0 * PI).sqrt();
        let side = if delta.im != 0.0 {
            delta.im.signum()
        } else {
            (c.curvature * delta.re).signum() * if s.im < 0.0 { -1.0 } else { 1.0 }
        };
        let w = c.z / tau - offset;
        let w = w - w.round();
        let (sin, cos) = (PI * w).sin_cos();
        let a = 2.0 * PI * PI / tau / (sin * sin);
        let b = C64::new(0.0, 2.0 * PI * side);
        let g = c.z + c.third / (3.0 * c.curvature);
        let c_over_s = phi / (self.norm * c.curvature);
        let smooth = a + 2.0 * PI * g * cos / sin;
        t.value += c_over_s * s * (smooth - b / delta);
        // dδ/ds = 1/(f''δ).
        t.derivative += c_over_s * (smooth - b / delta) + c_over_s * s * b / (delta * delta) / (c.curvature * delta);
    }
}

/// The principal square root (Re ≥ 0, the sign of Im that of the argument's, as
/// `Complex::sqrt`), algebraically: one hypot and one real square root instead of the polar
/// form's hypot, atan2 and sin/cos. The larger of |Re|, |Im| of the root is √((|z| ± Re z)/2)
/// with the sign that does not cancel; the other is Im z/(2·that).
pub(super) fn principal_sqrt(z: C64) -> C64 {
    if z.im == 0.0 {
        return z.sqrt();
    }
    let modulus = z.norm();
    if z.re > 0.0 {
        let t = (0.5 * (modulus + z.re)).sqrt();
        C64::new(t, z.im / (2.0 * t))
    } else {
        let t = (0.5 * (modulus - z.re)).sqrt();
        C64::new(z.im.abs() / (2.0 * t), t.copysign(z.im))
    }
}

/// The principal logarithm, ln|x|² / 2 + i·arg x: no hypot (falls back to `Complex::ln` when
/// |x|² over- or underflows).
fn log(x: C64) -> C64 {
    let modulus2 = x.norm_sqr();
    if modulus2.is_normal() {
        C64::new(0.5 * modulus2.ln(), x.im.atan2(x.re))
    } else {
        x.ln()
    }
}

/// e^x − 1 at complex x, accurate for small |x|.
fn expm1(x: C64) -> C64 {
    let (a, b) = (x.re, x.im);
    let half_sin = (0.5 * b).sin();
    C64::new(a.exp_m1() * b.cos() - 2.0 * half_sin * half_sin, a.exp() * b.sin())
}
