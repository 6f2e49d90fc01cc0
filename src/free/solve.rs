//! Solving x·z·S(z) = 1 + z for z = ψ(1/x) on the branch of the Cauchy transform: damped
//! Newton, and the continuation ("lilypads") that reaches the branch from x = i·∞. The method
//! and the branch are described in the [module docs](super).

use super::{STransform, C64};
use std::f64::consts::FRAC_PI_2;

/// A solution of the equation at one point: the offset w = z + b and the subordination points
/// s_k of the discrete-law factors.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// w = z + b, with z = ψ(1/x).
    pub w: C64,
    /// s_k = 1/χ_{D_k}(z/r_k), one per law factor, solved at the offset `solved_at` (at most a
    /// Newton step below 1e-7 from w, see [`STransform::newton`]).
    pub s: Vec<C64>,
    /// ds_k/dw where the s_k were solved (0 when unknown), for first-order warm starts.
    pub(crate) slopes: Vec<C64>,
    /// The offset at which the s_k were solved (w itself, except for a start moved to a new w
    /// or a solution accepted one unconfirmed Newton step beyond it).
    pub(crate) solved_at: C64,
}

impl Point {
    /// A start at `w` with the guesses `s` and no slopes.
    pub(crate) fn start(w: C64, s: Vec<C64>) -> Self {
        let slopes = vec![C64::new(0.0, 0.0); s.len()];
        Point { w, s, slopes, solved_at: w }
    }

    /// This solution's subordination points and slopes as the warm start of a solve at `w`.
    pub(crate) fn moved_to(&self, w: C64) -> Self {
        Point { w, ..self.clone() }
    }
}

/// Newton iterations allowed for one step of a continuation: a step that needs more is taken as
/// too long (its start was not in the root's basin) and is halved.
const PATH_ITERATIONS: usize = 12;
/// Newton step (in log w) above which a step is always confirmed by a residual (see
/// [`STransform::newton_budgeted`]).
const QUADRATIC_STEP: f64 = 1e-7;
/// Newton iterations allowed for a free-standing solve.
const MAX_ITERATIONS: usize = 60;
/// Relative step below which Newton has converged.
const STEP_TOLERANCE: f64 = 1e-14;
/// Newton step (in log w) below which a step that does not decrease the residual ends Newton's
/// method (converged to rounding if the residual is below its floor, else a failure).
const STALLED_STEP: f64 = 1e-12;
/// Line-search halvings allowed to [`STransform::newton_quick`].
const QUICK_HALVINGS: usize = 16;
/// Largest step of a continuation path, in units of log x.
const MAX_PATH_STEP: f64 = 0.5;

impl STransform {
    /// z = w − b at a solution.
    pub fn z(&self, point: &Point) -> C64 {
        point.w - self.nonzero
    }

    /// The density of log x at a solution on the real axis: g = −Im z/π.
    pub fn log_density(&self, point: &Point) -> f64 {
        (-point.w.im / std::f64::consts::PI).max(0.0)
    }

    /// Newton's method at log x = `tau` from `start`, at most `iterations` steps. Rejects a
    /// result off the branch (Im z > 0 while Im τ ≥ 0).
    ///
    /// The iteration runs on ω = log w (w·e^{−λ·F/(w F')}): near the lower end of the spectrum
    /// w → 0 and the roots of a depth-L chain lie on a circle |w| ∝ x^{1/(L+1)}, which log w
    /// turns into a straight line in log x.
    fn newton_limited(&self, tau: C64, start: &Point, iterations: usize) -> Option<Point> {
        self.newton_budgeted(tau, start, iterations, usize::MAX)
    }

    /// As [`newton_limited`](Self::newton_limited), failing once the line searches have halved
    /// steps more than `halvings` times in all (each halving costs a residual, that is an inner
    /// solve per law factor).
    fn newton_budgeted(&self, tau: C64, start: &Point, iterations: usize, mut halvings: usize) -> Option<Point> {
        let mut w = start.w;
        let mut s = start.s.clone();
        let mut scratch = s.clone();
        // ds_k/dw where the s_k were solved.
        let mut slopes = start.slopes.clone();
        let mut scratch_slopes = slopes.clone();
        let mut r = self.residual(tau, w, &mut s, &mut slopes, start.solved_at)?;
        // Rounding floor of the residual, a sum of logarithms: |τ|, and one term per factor (a
        // law factor of multiplicity n carries n times the rounding of its inner solve). Below
        // `exact` the residual is rounding (converged: near a soft edge F' → 0 and the step alone
        // would not settle); above `floor` a step must decrease it.
        let terms = 1.0 + tau.norm() + self.rounding_weight();
        let exact = 8.0 * f64::EPSILON * terms;
        let floor = 1e-13 * terms;
        // The last Newton step's squared modulus (none yet).
        let mut last2 = f64::INFINITY;
        for _ in 0..iterations {
            let step = r.value / (r.derivative * w);
            if !step.re.is_finite() || !step.im.is_finite() {
                return None;
            }
            if step.norm() <= STEP_TOLERANCE || r.value.norm() <= exact {
                return self.on_branch(tau, w).then_some(Point { w, s, slopes, solved_at: w });
            }
            // In the quadratic regime the step after this one would be about K·|step|², K
            // estimated from this step and the last (|step|/|last|²). When that is below a tenth
            // of the tolerance, w·e^{−step} is converged and is returned without the residual
            // that would confirm it, with the s_k and slopes solved at w (`solved_at`, from
            // which the next solve moves them to first order; the law uses w alone).
            let step2 = step.norm_sqr();
            if step2 <= QUADRATIC_STEP * QUADRATIC_STEP
                && step2 * step2 <= 0.01 * STEP_TOLERANCE * STEP_TOLERANCE * last2
            {
                let next = w * (-step).exp();
                return self.on_branch(tau, next).then_some(Point { w: next, s, slopes, solved_at: w });
            }
            last2 = step2;
            let mut lambda = 1.0;
            let accepted = loop {
                let candidate = w * (-step * lambda).exp();
                scratch.copy_from_slice(&s);
                scratch_slopes.copy_from_slice(&slopes);
                if let Some(rc) = self.residual(tau, candidate, &mut scratch, &mut scratch_slopes, w) {
                    if rc.value.norm() < r.value.norm() || rc.value.norm() <= floor {
                        break Some((candidate, rc, lambda));
                    }
                }
                // A full step this short that does not decrease the residual is rounding: halving
                // it (each try a residual, that is an inner solve per law factor) would end in
                // the same return below (as for the inner solves, see `DiscreteLaw::solve`).
                if lambda == 1.0 && step.norm() <= STALLED_STEP {
                    break None;
                }
                lambda *= 0.5;
                if lambda < 1e-6 {
                    break None;
                }
                if halvings == 0 {
                    return None;
                }
                halvings -= 1;
            };
            let Some((candidate, rc, lambda)) = accepted else {
                // No decrease along the Newton direction: converged to rounding, or a failure.
                return (r.value.norm() <= floor && self.on_branch(tau, w)).then_some(Point {
                    w,
                    s,
                    slopes,
                    solved_at: w,
                });
            };
            w = candidate;
            r = rc;
            s.copy_from_slice(&scratch);
            slopes.copy_from_slice(&scratch_slopes);
            if (step * lambda).norm() <= STEP_TOLERANCE {
                return self.on_branch(tau, w).then_some(Point { w, s, slopes, solved_at: w });
            }
        }
        None
    }

    /// Σ|e_i| + 4·Σ n_k: how many logarithms (of size ~1) the residual sums, the inner solves of
    /// the law factors counting four.
    fn rounding_weight(&self) -> f64 {
        self.terms.iter().map(|t| t.exponent.abs() as f64).sum::<f64>()
            + 4.0 * self.laws.iter().map(|l| l.count as f64).sum::<f64>()
    }

    /// Newton's method at log x = `tau` from `start` (up to 60 iterations).
    pub fn newton(&self, tau: C64, start: &Point) -> Option<Point> {
        self.newton_limited(tau, start, MAX_ITERATIONS)
    }

    /// Newton's method from a start expected to lie in the root's basin (a neighbouring
    /// solution), giving up once its line searches have halved steps `QUICK_HALVINGS` (16) times:
    /// the cheap attempt of a caller that has a robust fallback. (Measured, orthogonal tanh at
    /// depth 100: the 16 neighbour starts that failed deep in the lower tail cost 26 000
    /// residuals, 73% of building the law; the starts that succeeded needed 5 halvings in all.)
    pub fn newton_quick(&self, tau: C64, start: &Point) -> Option<Point> {
        self.newton_budgeted(tau, start, MAX_ITERATIONS, QUICK_HALVINGS)
    }

    /// Im z ≤ 0 when x is in the closed upper half-plane, up to a relative 1e-10: where two
    /// roots are nearly real and nearly coincide (beyond an edge, or where the density is
    /// astronomically small) either gives a density below 1e-10·|w|/π, which
    /// [`log_density`](Self::log_density) clamps to 0.
    fn on_branch(&self, tau: C64, w: C64) -> bool {
        tau.im < 0.0 || w.im <= 1e-10 * w.norm()
    }

    /// Follows the solution from (`from`, `start`) to `to` along the straight segment in log x,
    /// with steps halved when Newton needs more than a few iterations and grown after success.
    pub fn follow(&self, from: C64, start: &Point, to: C64) -> Option<Point> {
        let length = (to - from).norm();
        if length == 0.0 {
            return Some(start.clone());
        }
        let mut sigma = 0.0;
        let mut h = (MAX_PATH_STEP / length).min(1.0);
        let mut current = start.clone();
        while sigma < 1.0 {
            let step = h.min(1.0 - sigma);
            let tau = from + (to - from) * (sigma + step);
            match self.newton_limited(tau, &current, PATH_ITERATIONS) {
                Some(p) => {
                    current = p;
                    sigma += step;
                    h = (1.5 * step).min(MAX_PATH_STEP / length);
                }
                None => {
                    h = 0.5 * step;
                    if h * length < 1e-12 {
                        return None;
                    }
                }
            }
        }
        Some(current)
    }

    /// The solution on the real axis at log x = `t`, continued from a known solution at log x =
    /// `from` along a detour at angle θ = 0.1 above the real axis (from → from + iθ → t + iθ →
    /// t), which passes no branch point of the real axis.
    pub fn follow_detour(&self, from: f64, start: &Point, t: f64) -> Option<Point> {
        const THETA: f64 = 0.1;
        let a = C64::new(from, 0.0);
        let b = C64::new(from, THETA);
        let c = C64::new(t, THETA);
        let p = self.follow(a, start, b)?;
        let p = self.follow(b, &p, c)?;
        self.follow(c, &p, C64::new(t, 0.0))
    }

    /// The solution at log x = `t_far` + iπ/2 (x far out on the imaginary axis), where
    /// z = ψ(1/x) ≈ 1/x for a law of mean 1. `t_far` must exceed log of the upper edge by a few
    /// units.
    pub fn far_point(&self, t_far: f64) -> Option<Point> {
        let tau = C64::new(t_far, FRAC_PI_2);
        let z = (-tau).exp();
        let s = self.laws.iter().map(|l| l.r / z).collect();
        self.newton(tau, &Point::start(z + self.nonzero, s))
    }

    /// The solution on the real axis at log x = `t`, reached from x = i·e^{t_far} down the
    /// imaginary axis and then by rotating x = e^{t + iθ} to θ = 0.
    pub fn solve_from_far(&self, t: f64, t_far: f64) -> Option<Point> {
        let far = self.far_point(t_far)?;
        let above = C64::new(t, FRAC_PI_2);
        let p = self.follow(C64::new(t_far, FRAC_PI_2), &far, above)?;
        self.follow(above, &p, C64::new(t, 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Term;
    use super::*;

    #[test]
    fn marchenko_pastur_is_recovered_from_far() {
        // MP with ratio λ = 1/2, scale 1: S = 1/(1 + z/2). source: closed form density
        // ρ(x) = √((x₊ − x)(x − x₋))/(2πλx), x± = (1 ± √λ)².
        let s = STransform::new(&[Term { a: 2.0, exponent: -1 }], vec![]).unwrap();
        let lambda: f64 = 0.5;
        let (lo, hi) = ((1.0 - lambda.sqrt()).powi(2), (1.0 + lambda.sqrt()).powi(2));
        for x in [0.2, 0.5, 1.0, 2.0, 2.8] {
            let p = s.solve_from_far(f64::ln(x), 3.0).unwrap();
            let rho = s.log_density(&p) / x;
            let exact = ((hi - x) * (x - lo)).sqrt() / (2.0 * std::f64::consts::PI * lambda * x);
            assert!((rho - exact).abs() < 1e-12 * exact.max(1.0), "x = {x}: {rho} vs {exact}");
        }
        // Outside the support the root is real: density 0.
        let p = s.solve_from_far(f64::ln(3.5), 3.0).unwrap();
        assert_eq!(s.log_density(&p), 0.0);
    }
}
