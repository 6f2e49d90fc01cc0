//! The support edges of the law of an [`STransform`]: critical points of x(z) = (1 + z)/(z·S(z))
//! on the real axis (see the [module docs](super)).

use super::STransform;
use crate::error::{Error, Result};
use rayon::prelude::*;

/// log|x(z)|, its derivative in z and the sign of x, at a real z.
#[derive(Debug, Clone, Copy)]
struct RealValue {
    log_x: f64,
    slope: f64,
    sign: f64,
}

/// A soft edge: the critical point z_e of log x(z), the edge t_e = log x(z_e) and the curvature
/// d² log x/dz² there (positive at the upper edge, negative at the lower).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SoftEdge {
    /// The offset w = z + b at the edge (the solver's unknown).
    pub w: f64,
    /// log x at the edge (normalised units: the law has mean 1).
    pub log_x: f64,
    /// d² log x/dz² at z.
    pub curvature: f64,
    /// Whether some law factor's real subordination point at the edge sits at the top of its
    /// rule (within [`TRUNCATION_WALL`] of [`DiscreteLaw::sup`](super::discrete::DiscreteLaw::sup)):
    /// then no real solution exists above it for the continuous law, only for the rule's last
    /// node (an atom of mass ~1e-19 at z = ±9), and the edge is where that atom puts it. The
    /// continuous law goes on above with an exponentially thin tail whose end moves with the
    /// truncation (measured, orthogonal gelu and swish chains of width 100: the upper edge moved
    /// by 2.1e-3 and 1.2e-2 relative when the rule's range went from ±9 to ±10, quantiles up to
    /// 0.99 by 3e-9 at most). Happens when a factor's φ'² is largest beyond the range (gelu's and
    /// swish's φ' peak at h ≈ 1.4 and 2.4, beyond √q·9 once q is small).
    pub set_by_truncation: bool,
}

/// Relative distance |1 − s/sup| below which a subordination point is at the top of its rule
/// (measured: 1.5e-7 to 9e-10 where the edge was set by the truncation, above 0.19 elsewhere, in
/// orthogonal, He, geometric and LeCun chains of tanh, gelu and swish at depths 3 to 100).
const TRUNCATION_WALL: f64 = 1e-4;

/// The upper end of the continuous part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UpperEdge {
    /// A square-root edge at a critical point.
    Soft(SoftEdge),
    /// No critical point: the continuous part extends to x(∞) = exp(`log_x`) (a hard edge; only
    /// for products of projections and point masses).
    Limit {
        /// log x(∞).
        log_x: f64,
    },
}

impl UpperEdge {
    /// log of the edge.
    pub fn log_x(&self) -> f64 {
        match self {
            UpperEdge::Soft(e) => e.log_x,
            UpperEdge::Limit { log_x } => *log_x,
        }
    }
}

/// The lower end of the continuous part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LowerEdge {
    /// A square-root edge at a critical point.
    Soft(SoftEdge),
    /// The continuous part reaches 0 (S has a pole of order p at z₀ = −b; the density of the
    /// continuous part behaves like x^{β−1} with β = 1/(p + 1) without an atom at 0 and β = 1/p
    /// with one).
    Hard {
        /// β for the rational part (a discrete-law factor at the bottleneck may change it).
        exponent: f64,
    },
}

const SCAN_POWERS: std::ops::RangeInclusive<i32> = -60..=60;

impl STransform {
    /// At a real point given as z (upper side) or as the offset w (lower side, where z ≈ −b):
    /// the side decides which of the two is exact.
    fn real_value(&self, at: Side, s: &mut [f64]) -> Option<RealValue> {
        let (z, w) = match at {
            Side::Upper(z) => (z, z + self.nonzero),
            Side::Lower(w) => (w - self.nonzero, w),
        };
        let one_plus_z = w + (1.0 - self.nonzero);
        let mut log_x = one_plus_z.abs().ln() - z.abs().ln();
        let mut slope = 1.0 / one_plus_z - 1.0 / z;
        let mut sign = one_plus_z.signum() * z.signum();
        for (t, gap) in self.terms.iter().zip(&self.term_gaps) {
            let e = t.exponent as f64;
            let factor = w + gap;
            log_x -= e * (factor.abs().ln() - t.a.ln());
            slope -= e / factor;
            if t.exponent % 2 != 0 {
                sign *= factor.signum();
            }
        }
        // The factors' terms, in parallel when there are many (see `STransform::residual`), then
        // summed in factor order.
        let term = |(k, sk): (usize, &mut f64)| self.real_law_term(k, z, w, sk);
        let terms: Option<Vec<RealValue>> = if self.factors_in_parallel() {
            s.par_iter_mut().enumerate().with_min_len(super::PARALLEL_CHUNK).map(term).collect()
        } else {
            s.iter_mut().enumerate().map(term).collect()
        };
        for term in terms? {
            log_x -= term.log_x;
            slope -= term.slope;
            sign *= term.sign;
        }
        (log_x.is_finite() && slope.is_finite()).then_some(RealValue { log_x, slope, sign })
    }

    /// Law factor k's share of [`real_value`](Self::real_value) at z (offset w): n·log S_D(z/r),
    /// its derivative in w and the sign it contributes, with the real subordination point s_k.
    fn real_law_term(&self, k: usize, z: f64, w: f64, sk: &mut f64) -> Option<RealValue> {
        let (law, series) = (&self.laws[k], &self.law_series[k]);
        let n = law.count as f64;
        let v = z / law.r;
        if v.abs() < super::SERIES_RADIUS {
            let (log_sd, slope_sd) = super::evaluate_series(series.coefficients(), v);
            *sk = (1.0 + v) / (v * log_sd.exp());
            return Some(RealValue { log_x: n * log_sd, slope: n * slope_sd / law.r, sign: 1.0 });
        }
        let shifted = w + self.law_gaps[k];
        let (root, transform) = law.law.solve_real(shifted / law.r, v)?;
        *sk = root;
        let ds_dw = 1.0 / (law.r * transform.derivative);
        let sign = if law.count % 2 != 0 { shifted.signum() * root.signum() * z.signum() } else { 1.0 };
        Some(RealValue {
            log_x: n * (shifted.abs().ln() - root.abs().ln() - z.abs().ln()),
            slope: n * (1.0 / shifted - ds_dw / root - 1.0 / z),
            sign,
        })
    }

    fn value_at(&self, at: Side) -> Option<RealValue> {
        let mut s = vec![0.0; self.laws.len()];
        self.real_value(at, &mut s)
    }

    /// The critical point between coordinates `negative` (slope < 0) and `positive` (slope ≥ 0),
    /// in either order, by bisection on the sign of the slope, with the curvature from a central
    /// difference; `side` maps the coordinate (z or w) to a point.
    fn critical_point(&self, mut negative: f64, mut positive: f64, side: fn(f64) -> Side) -> Result<SoftEdge> {
        let value = |c: f64| self.value_at(side(c)).ok_or_else(|| edge_failure(c));
        for _ in 0..200 {
            let mid = 0.5 * (negative + positive);
            if mid == negative || mid == positive {
                break;
            }
            if value(mid)?.slope < 0.0 {
                negative = mid;
            } else {
                positive = mid;
            }
        }
        let c = 0.5 * (negative + positive);
        let mut s = vec![0.0; self.laws.len()];
        let v = self.real_value(side(c), &mut s).ok_or_else(|| edge_failure(c))?;
        // A subordination point at the top of its factor's rule: see `SoftEdge::set_by_truncation`.
        let set_by_truncation = matches!(side(c), Side::Upper(_))
            && s.iter().zip(&self.laws).any(|(sk, l)| (1.0 - sk / l.law.sup()).abs() < TRUNCATION_WALL);
        let h = 1e-6 * c.abs();
        let curvature = (value(c + h)?.slope - value(c - h)?.slope) / (2.0 * h);
        let w = match side(c) {
            Side::Upper(z) => z + self.nonzero,
            Side::Lower(w) => w,
        };
        Ok(SoftEdge { w, log_x: v.log_x, curvature, set_by_truncation })
    }

    /// The upper edge of the continuous part.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when no edge is found (a bug or a degenerate product).
    pub fn upper_edge(&self) -> Result<UpperEdge> {
        let mut previous: Option<f64> = None;
        for k in SCAN_POWERS {
            let z = 2f64.powi(k);
            let v = self.value_at(Side::Upper(z)).ok_or_else(|| edge_failure(z))?;
            if v.slope >= 0.0 {
                let Some(a) = previous else {
                    return Err(Error::InvalidInput(format!("the upper edge lies below z = {z:e}")));
                };
                let edge = self.critical_point(a, z, Side::Upper)?;
                if self.genuine(&edge) {
                    return Ok(UpperEdge::Soft(edge));
                }
                break;
            }
            previous = Some(z);
        }
        if self.laws.is_empty() && self.degree == 0 {
            // x(∞) = Π a_i^{e_i} when the exponents sum to 0.
            let log_x = self.terms.iter().map(|t| t.exponent as f64 * t.a.ln()).sum();
            return Ok(UpperEdge::Limit { log_x });
        }
        Err(Error::InvalidInput("no upper edge found for the S-transform product".into()))
    }

    /// A genuine edge has a curvature z²·T'' of order one; towards x(∞) the slope decays like
    /// 1/z² and its sign at large |z| can be rounding (seen: z²·T'' = 3e-10 at z = 9e7 for a
    /// product of two projections, and 0 at z = −2⁶⁰).
    fn genuine(&self, edge: &SoftEdge) -> bool {
        let z = edge.w - self.nonzero;
        edge.curvature.abs() * z * z > 1e-6
    }

    /// The upper edge of the continuous part when an atom sits at x(∞) above it (products of
    /// projections): below the atom z(x) = ψ(1/x) is real and comes from −∞ as x → x(∞)⁻
    /// (G(x) ≈ mass/(x − x(∞))), so the edge is the first critical point of x(z) met from
    /// z = −∞, scanned up to the first pole or zero of S (at −max a_i).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when there is none.
    pub fn upper_edge_below_atom(&self) -> Result<UpperEdge> {
        let limit = self.terms.iter().map(|t| t.a).fold(1.0, f64::max);
        let mut previous: Option<f64> = None;
        // From −2⁶⁰ towards −2·limit by powers of two, then geometrically towards −limit.
        let far = SCAN_POWERS.rev().map(|k| -(2f64.powi(k))).take_while(|z| -z > 2.0 * limit);
        let near = (0..=60).map(|j| -limit * (1.0 + 2f64.powi(-j)));
        for z in far.chain(near) {
            let v = self.value_at(Side::Upper(z)).ok_or_else(|| edge_failure(z))?;
            if v.slope >= 0.0 {
                if let Some(a) = previous {
                    let edge = self.critical_point(a, z, Side::Upper)?;
                    if self.genuine(&edge) {
                        return Ok(UpperEdge::Soft(edge));
                    }
                }
            }
            previous = Some(z);
        }
        Err(Error::InvalidInput("no upper edge found below the atom at the top".into()))
    }

    /// The lower edge of the continuous part.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the product is inconsistent (no edge where one must be).
    pub fn lower_edge(&self) -> Result<LowerEdge> {
        let p = self.pole_order_at_bottleneck();
        let atom = self.nonzero < 1.0;
        let exponent = if atom { 1.0 / p.max(1) as f64 } else { 1.0 / (p + 1) as f64 };
        let soft = if atom { p == 1 } else { p == 0 };
        // A law factor at the bottleneck whose support reaches 0 makes the continuous part reach
        // 0 as well (no real branch of its inverse exists below z₀).
        let law_at_bottleneck = self.laws.iter().zip(&self.law_gaps).any(|(l, g)| *g == 0.0 && l.law.reaches_zero());
        if !soft || law_at_bottleneck {
            return Ok(LowerEdge::Hard { exponent });
        }
        // w = z − z₀ ∈ (−δ_max, 0): the nearest singularity below z₀ bounds the scan.
        let delta_max =
            self.term_gaps.iter().chain(&self.law_gaps).copied().filter(|g| *g > 0.0).fold(f64::INFINITY, f64::min);
        let mut previous: Option<f64> = None;
        // δ = −w from b·2⁻⁶⁰ by powers of two up to δ_max/2, then geometrically towards δ_max.
        let near: Vec<f64> =
            SCAN_POWERS.map(|k| self.nonzero * 2f64.powi(k)).take_while(|d| *d < 0.5 * delta_max).collect();
        let far = (1..=60).map(|j| delta_max * (1.0 - 2f64.powi(-j))).take_while(|d| d.is_finite());
        for delta in near.into_iter().chain(far) {
            let w = -delta;
            let v = self.value_at(Side::Lower(w)).ok_or_else(|| edge_failure(w))?;
            if v.sign < 0.0 {
                return Ok(LowerEdge::Hard { exponent });
            }
            // Moving left, x grows while the slope d log x/dz is negative.
            if v.slope >= 0.0 {
                let Some(b) = previous else {
                    return Ok(LowerEdge::Hard { exponent });
                };
                return Ok(LowerEdge::Soft(self.critical_point(b, w, Side::Lower)?));
            }
            previous = Some(w);
        }
        Err(Error::InvalidInput("no lower edge found for the S-transform product".into()))
    }
}

/// A real point of the equation, by the coordinate that is exact there.
#[derive(Debug, Clone, Copy)]
enum Side {
    /// z > 0 (above the support).
    Upper(f64),
    /// The offset w = z + b < 0 (below the support).
    Lower(f64),
}

fn edge_failure(c: f64) -> Error {
    Error::InvalidInput(format!("the S-transform could not be evaluated at the real point {c:e}"))
}

#[cfg(test)]
mod tests {
    use super::super::Term;
    use super::*;

    #[test]
    fn marchenko_pastur_edges() {
        // source: closed form, MP(λ) has edges (1 ± √λ)²; with λ > 1 an atom 1 − 1/λ at 0.
        for lambda in [0.25f64, 0.5, 2.0, 4.0] {
            let s = STransform::new(&[Term { a: 1.0 / lambda, exponent: -1 }], vec![]).unwrap();
            let upper = s.upper_edge().unwrap().log_x().exp();
            assert!((upper - (1.0 + lambda.sqrt()).powi(2)).abs() < 1e-13, "{lambda}: {upper}");
            match s.lower_edge().unwrap() {
                LowerEdge::Soft(e) => {
                    let lower = e.log_x.exp();
                    assert!((lower - (1.0 - lambda.sqrt()).powi(2)).abs() < 1e-13, "{lambda}: {lower}");
                }
                other => panic!("{lambda}: {other:?}"),
            }
        }
        // λ = 1: hard edge at 0, density ~ x^{−1/2}.
        let s = STransform::new(&[Term { a: 1.0, exponent: -1 }], vec![]).unwrap();
        assert_eq!(s.lower_edge().unwrap(), LowerEdge::Hard { exponent: 0.5 });
    }
}
