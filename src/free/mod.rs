//! Free multiplicative convolution through the S-transform: the machinery behind the singular
//! values of a deep network's Jacobian ([`crate::law::jacobian`]).
//!
//! # Transforms
//!
//! For a probability law μ on [0, ∞) with mean m₁ > 0 (notation of Voiculescu, Dykema and
//! Nica[^1] and of Pennington, Schoenholz and Ganguli[^2]):
//!
//! ```text
//! G(x) = ∫ dμ(λ)/(x − λ)                        Cauchy (Stieltjes) transform, x ∉ supp μ
//! ψ(u) = ∫ uλ/(1 − uλ) dμ(λ) = Σ_{k≥1} m_k u^k   moment generating function;  ψ(1/x) = x·G(x) − 1
//! χ = ψ^{⟨−1⟩}                                   its inverse near 0
//! S(z) = χ(z)·(1 + z)/z                          the S-transform;  S(0) = 1/m₁
//! ```
//!
//! **Products.** If a and b are free positive elements, the law of a^{1/2} b a^{1/2} (the
//! nonzero spectrum of ab) has S = S_a·S_b. Scaling: S_{cX}(z) = S_X(z)/c.
//!
//! **Changing dimension.** If ν on an n-dimensional space has the nonzero eigenvalues of μ on an
//! m-dimensional one (ν = cμ + (1 − c)δ₀ with c = m/n when m ≤ n; the converse removes zeros),
//! then every moment scales by c, so ψ_ν = c·ψ_μ, χ_ν(z) = χ_μ(z/c) and
//!
//! ```text
//! S_ν(z) = S_μ(z/c)·(1 + z)/(c + z).
//! ```
//!
//! **Elementary factors.** Marchenko–Pastur with ratio λ and scale σ²: S(z) = 1/(σ²(1 + λz)).
//! A projection of trace α (the law (1 − α)δ₀ + αδ₁): ψ = αu/(1 − u), S(z) = (1 + z)/(α + z).
//! A point mass at c: S = 1/c.
//!
//! # The product this module solves
//!
//! An [`STransform`] is a normalised product (S(0) = 1, so the law has mean 1)
//!
//! ```text
//! S(z) = Π_i (1 + z/a_i)^{e_i} · Π_k S_{D_k}(z/r_k)^{n_k}
//! ```
//!
//! of rational [`Term`]s (a_i > 0, integer e_i) and discrete laws D_k of mean 1 ([`LawFactor`],
//! S_D from [`discrete::DiscreteLaw`]) evaluated at rescaled arguments. Every factor of a deep
//! network's Jacobian takes one of these forms (derived in [`crate::law::jacobian`]).
//!
//! **Atoms at zero.** A law with an atom of mass a₀ at 0 has ψ(u) → −(1 − a₀) as u → ∞, so the
//! equation below lives on z ∈ (−(1 − a₀), ∞) ∪ ℂ; the point z₀ = −(1 − a₀) = −b is where x → 0.
//! b, the nonzero fraction, is the smallest a_i with a negative net exponent (a pole of S): the
//! rank bottleneck of the product (Belinschi: (μ ⊠ ν)({0}) = max(μ({0}), ν({0}))[^3]). All
//! computations use the offset w = z − z₀ = z + b as the unknown, and the terms as
//! (a_i − b) + w, exact at the bottleneck, so that the spectrum near 0 keeps full relative
//! accuracy (there z → z₀ and 1 + z/a_i → 0).
//!
//! # Recovering the law
//!
//! x and z = ψ(1/x) satisfy χ(z) = 1/x, that is
//!
//! ```text
//! x·z·S(z) = 1 + z,        G(x) = (1 + z)/x,        ρ(x) = −Im G(x + i0)/π = −Im z/(π x).
//! ```
//!
//! The solver works in t = log x: in logarithms the equation is a sum,
//!
//! ```text
//! F(w) = t + log z + Σ_i e_i log(1 + z/a_i) + Σ_k n_k log S_{D_k}(z/r_k) − log(1 + z) ≡ 0  (mod 2πi),
//! ```
//!
//! which neither overflows nor underflows at depth 100 and beyond (S itself does: a square
//! linear chain of depth L has S = (1 + z)^{−L}, and z → −1 near the lower end). The density of
//! log λ is g(t) = ρ(x)·x = −Im z/π, and that is what the solver returns.
//!
//! **Branch.** For x in the upper half-plane, z = ψ(1/x) = ∫ λ/(x − λ) dμ has Im z < 0, and
//! z → 0 as x → ∞. The root wanted is the one reached from x = ∞ along paths in the upper
//! half-plane; the equation has others (its degree grows with the depth). [`solve`] follows it
//! from a point far out on the imaginary axis (x = i·e^{t_far}, where z ≈ 1/x + m₂/x²) down the
//! imaginary axis and then rotates x = e^{t + iθ} from θ = π/2 to θ = 0, each step a damped
//! Newton iteration started from the last solution (the "Newton lilypads" continuation of
//! Chhaibi, Daouda and Kahn[^4]); along the real axis neighbouring points continue from each
//! other. The inner equations s_k·G_{D_k}(s_k) = 1 + z/r_k (the subordination points of the
//! discrete factors, s_k = 1/χ_{D_k}) are solved by Newton inside each outer step, on the branch
//! Im s_k > 0, to a relative Newton step of 1e-14, each from the previous outer iterate's s_k
//! (or the neighbouring solution's) moved to first order along ds_k/dw; being independent of
//! each other given w, they are solved in parallel on rayon's pool and their terms summed in
//! factor order (the same bits for any thread count). Newton's quadratic convergence spares the
//! evaluations that would only confirm a converged step: an inner step below 1e-10 relative is
//! taken without a transform after it (its error is ~1e-20), and the outer iteration returns
//! w·e^{−δ} unconfirmed when its step δ is below 1e-7 and the step after it, estimated as
//! K|δ|² with K = |δ|/|δ_prev|², below 1e-15 ([`solve`]; measured, He gelu at depth 100: 2.22
//! million transforms down to 1.15 million, the outputs changed at rounding level). Results are checked, not trusted:
//! the law built from them must integrate to its exact mass and mean ([`crate::law::jacobian`]).
//!
//! **Edges.** On the real axis outside the support, z(x) is real and monotone, and
//! x(z) = (1 + z)/(z·S(z)) is its inverse. Each edge of the support is a critical point of x(z):
//! the upper edge is the first minimum of log x(z) for z ∈ (0, ∞), the lower edge the first
//! maximum for z < z₀ (moving away from z₀); [`edges`] finds them by scanning the sign of
//! d log x/dz on a geometric grid and bisecting. Near a soft edge x_e = x(z_e), z − z_e ≈
//! ±i·√(2(t_e − t)/T''(z_e)) inside the support, which starts the continuation.
//!
//! [^1]: D. V. Voiculescu, K. J. Dykema and A. Nica, *Free Random Variables*, CRM Monograph
//!     Series 1, AMS (1992), §3.6; J. A. Mingo and R. Speicher, *Free Probability and Random
//!     Matrices*, Fields Institute Monographs 35, Springer (2017), ch. 4.
//! [^2]: J. Pennington, S. S. Schoenholz and S. Ganguli, "Resurrecting the sigmoid in deep
//!     learning through dynamical isometry: theory and practice", *NeurIPS* 2017; "The emergence
//!     of spectral universality in deep networks", *AISTATS* 2018.
//! [^3]: S. T. Belinschi, "The atoms of the free multiplicative convolution of two probability
//!     distributions", *Integral Equations and Operator Theory* 46, 377–386 (2003).
//! [^4]: R. Chhaibi, T. Daouda and E. Kahn, "Free probability for predicting the performance of
//!     feed-forward fully connected neural networks", *NeurIPS* 2022 (arXiv:2111.00841).

pub mod discrete;
pub mod edges;
pub mod series;
pub mod solve;

pub use discrete::{DiscreteLaw, C64};
pub use series::Series;

use crate::error::{Error, Result};
use rayon::prelude::*;

/// A rational factor (1 + z/a)^e of a normalised S-transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    /// a > 0.
    pub a: f64,
    /// The exponent e (negative: a pole of S at z = −a).
    pub exponent: i32,
}

/// A factor S_D(z/r)^n with D a discrete law of mean 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LawFactor {
    /// The law D (mean 1).
    pub law: DiscreteLaw,
    /// The argument scale r > 0 (its dimension relative to the output's).
    pub r: f64,
    /// The multiplicity n ≥ 1.
    pub count: u32,
}

/// A normalised S-transform S(z) = Π (1 + z/a_i)^{e_i} · Π S_{D_k}(z/r_k)^{n_k} (see the
/// [module docs](self)), ready to be evaluated on the offset w = z + b.
#[derive(Debug, Clone, PartialEq)]
pub struct STransform {
    terms: Vec<Term>,
    laws: Vec<LawFactor>,
    /// The nonzero fraction b = 1 − a₀.
    nonzero: f64,
    /// a_i − b per term (exactly 0 at the bottleneck).
    term_gaps: Vec<f64>,
    /// r_k − b per law.
    law_gaps: Vec<f64>,
    /// Coefficients of log S_{D_k}(v) per law, used for |v| < [`SERIES_RADIUS`].
    law_series: Vec<Series>,
    /// Σ_i e_i (the net degree of the rational part).
    degree: i32,
}

/// The logarithm of the equation's left side and its derivative in w.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Residual {
    pub value: C64,
    pub derivative: C64,
}

impl STransform {
    /// Builds the product from its terms (merged by equal a, zero exponents dropped) and laws.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a non-positive or non-finite a or r, or a zero count.
    pub fn new(terms: &[Term], laws: Vec<LawFactor>) -> Result<Self> {
        let mut merged: Vec<Term> = Vec::new();
        for t in terms {
            if !(t.a > 0.0 && t.a.is_finite()) {
                return Err(Error::invalid("S-transform term a", t.a, "must be finite and > 0"));
            }
            match merged.iter_mut().find(|m| m.a == t.a) {
                Some(m) => m.exponent += t.exponent,
                None => merged.push(*t),
            }
        }
        merged.retain(|t| t.exponent != 0);
        merged.sort_by(|x, y| x.a.total_cmp(&y.a));
        for law in &laws {
            if !(law.r > 0.0 && law.r.is_finite()) || law.count == 0 {
                return Err(Error::invalid("S-transform law scale r", law.r, "must be finite and > 0, count ≥ 1"));
            }
        }
        let nonzero = merged.iter().filter(|t| t.exponent < 0).map(|t| t.a).fold(1.0, f64::min);
        let term_gaps = merged.iter().map(|t| t.a - nonzero).collect();
        let law_gaps = laws.iter().map(|l| l.r - nonzero).collect();
        let degree = merged.iter().map(|t| t.exponent).sum();
        let law_series = laws.iter().map(|l| law_log_series(&l.law, SERIES_ORDER)).collect::<Result<_>>()?;
        Ok(STransform { terms: merged, laws, nonzero, term_gaps, law_gaps, law_series, degree })
    }

    /// The rational terms, merged and sorted by a.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The discrete-law factors.
    pub fn laws(&self) -> &[LawFactor] {
        &self.laws
    }

    /// The nonzero fraction b = 1 − a₀ (a₀ the atom at zero).
    pub fn nonzero_fraction(&self) -> f64 {
        self.nonzero
    }

    /// The atom at zero, 1 − b.
    pub fn atom_at_zero(&self) -> f64 {
        1.0 - self.nonzero
    }

    /// The order p of the pole of S at z₀ = −b (the sum of the negative exponents there).
    pub fn pole_order_at_bottleneck(&self) -> i32 {
        self.terms.iter().zip(&self.term_gaps).filter(|(_, g)| **g == 0.0).map(|(t, _)| -t.exponent).sum()
    }

    /// Net degree Σ e_i of the rational part.
    pub fn degree(&self) -> i32 {
        self.degree
    }

    /// True when S is a constant (the law is a point mass).
    pub fn is_constant(&self) -> bool {
        self.terms.is_empty() && self.laws.is_empty()
    }

    /// log of x·z·S(z)/(1 + z) at log x = `tau`, as a function of the offset w, with the inner
    /// subordination points `s` updated in place. Their current values, solved at the offset
    /// `from` with derivatives ds_k/dw = `slopes` (0 when unknown), give the Newton guesses
    /// s_k + (w − from)·ds_k/dw, first-order accurate, and the slopes are updated with them
    /// (measured: 1.6 transforms per inner solve of a depth-100 density with the prediction,
    /// against 3–4.4 from s_k alone). The imaginary part is reduced to (−π, π]. `None` when an
    /// inner solve fails.
    pub(crate) fn residual(&self, tau: C64, w: C64, s: &mut [C64], slopes: &mut [C64], from: C64) -> Option<Residual> {
        let z = w - self.nonzero;
        let one_plus_z = w + (1.0 - self.nonzero);
        let z_inv = z.inv();
        let log_z = z.ln();
        let mut value = tau + log_z - one_plus_z.ln();
        let mut derivative = z_inv - one_plus_z.inv();
        for (t, gap) in self.terms.iter().zip(&self.term_gaps) {
            let e = t.exponent as f64;
            let factor = w + gap;
            value += e * (factor.ln() - t.a.ln());
            derivative += e * factor.inv();
        }
        let at = LawPoint { w, z, z_inv, log_z, moved: w - from };
        let term = |(k, (sk, slope_k)): (usize, (&mut C64, &mut C64))| {
            law_term(&self.laws[k], self.law_gaps[k], &self.law_series[k], &at, sk, slope_k)
        };
        // Each factor's inner solve depends on w and its own s_k alone, so the factors are
        // solved in parallel and their terms summed afterwards in factor order: the same bits
        // whatever the thread count. (A failed factor ends the residual; which others were
        // updated then depends on the schedule, but the caller discards s and the slopes of a
        // failed residual.)
        let terms: Option<Vec<Residual>> = if self.factors_in_parallel() {
            s.par_iter_mut().zip(slopes.par_iter_mut()).enumerate().with_min_len(PARALLEL_CHUNK).map(term).collect()
        } else {
            s.iter_mut().zip(slopes.iter_mut()).enumerate().map(term).collect()
        };
        for term in terms? {
            value += term.value;
            derivative += term.derivative;
        }
        Some(Residual { value: reduce_phase(value), derivative })
    }
}

impl STransform {
    /// Whether the law factors' terms are worth computing in parallel: from [`PARALLEL_LAWS`]
    /// factors, with more than one rayon thread.
    fn factors_in_parallel(&self) -> bool {
        self.laws.len() >= PARALLEL_LAWS && rayon::current_num_threads() > 1
    }
}

/// Runs `op` on a worker thread of rayon's pool (directly when already on one). The law factors
/// of [`STransform::residual`] are then shared out by work stealing among the workers; called
/// from outside the pool, every residual would be injected into it while the caller waits (the
/// two timed alike within the noise of a shared two-core machine, docs/performance.md).
pub(crate) fn on_worker<R: Send>(op: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_some() {
        op()
    } else {
        rayon::scope(|_| op())
    }
}

/// Where [`STransform::residual`] evaluates its law factors: the offset w, z = w − b, 1/z, log z,
/// and how far w moved from the offset at which the warm starts s_k were solved.
struct LawPoint {
    w: C64,
    z: C64,
    z_inv: C64,
    log_z: C64,
    moved: C64,
}

/// Law factors from which [`STransform::residual`] solves them in parallel (a network of depth
/// L along the mean-field trajectory has L of them; at the fixed point, one).
const PARALLEL_LAWS: usize = 8;
/// Law factors per parallel task (tasks of 1 to 50 factors timed alike on two cores at depth 100:
/// the differences were within the machine's run-to-run noise).
const PARALLEL_CHUNK: usize = 4;

/// One law factor's term of the residual, n·log S_D(z/r) and its derivative in w, with its
/// subordination point s_k and slope ds_k/dw updated (see [`STransform::residual`]).
fn law_term(
    law: &LawFactor,
    gap: f64,
    series: &Series,
    at: &LawPoint,
    sk: &mut C64,
    slope_k: &mut C64,
) -> Option<Residual> {
    let n = law.count as f64;
    let v = at.z / law.r;
    if v.norm_sqr() < SERIES_RADIUS * SERIES_RADIUS {
        // log S_D(v) from its series; s = (1 + v)/(v S_D(v)) keeps the warm start.
        let (log_sd, slope) = evaluate_series(series.coefficients(), v);
        *sk = (1.0 + v) / (v * log_sd.exp());
        *slope_k = C64::new(0.0, 0.0);
        return Some(Residual { value: n * log_sd, derivative: n * slope / law.r });
    }
    let shifted = at.w + gap;
    // The predicted guess, unless the prediction moves s by more than half its size
    // (then the linearisation is not to be trusted and s_k itself is the guess).
    let change = *slope_k * at.moved;
    let guess = if change.norm_sqr() <= 0.25 * sk.norm_sqr() { *sk + change } else { *sk };
    let (root, transform) = law.law.solve(shifted / law.r, v, guess)?;
    *sk = root;
    let ds_dw = (law.r * transform.derivative).inv();
    *slope_k = if ds_dw.re.is_finite() && ds_dw.im.is_finite() { ds_dw } else { C64::new(0.0, 0.0) };
    Some(Residual {
        value: n * (shifted.ln() - root.ln() - at.log_z),
        derivative: n * (shifted.inv() - ds_dw / root - at.z_inv),
    })
}

impl STransform {
    /// Raw moments m_1, …, m_K of the (normalised, mean-1) law, exact up to rounding: the series
    /// of log S is the sum of its factors' (log(1 + z/a) directly; for a law factor, χ_D is the
    /// reversion of its moment series ψ_D and S_D(v) = χ_D(v)(1 + v)/v, at v = z/r); then
    /// S = exp(log S), χ(z) = z·S(z)/(1 + z), and the moments are the coefficients of ψ = χ^{⟨−1⟩}.
    ///
    /// # Errors
    /// Only if a series operation meets a zero leading coefficient (not for valid factors).
    pub fn moments(&self, order: usize) -> Result<Vec<f64>> {
        let mut log_s = Series::zero(order);
        for t in &self.terms {
            log_s.add_scaled(&Series::log_one_plus_scaled(order, t.a), t.exponent as f64);
        }
        for law in &self.laws {
            let log_d = law_log_series(&law.law, order)?;
            let scaled: Vec<f64> =
                log_d.coefficients().iter().enumerate().map(|(j, c)| c / law.r.powi(j as i32)).collect();
            log_s.add_scaled(&Series::new(scaled), law.count as f64);
        }
        let s = log_s.exp();
        // χ(z) = z·S(z)/(1 + z): coefficient j+1 is Σ_{i≤j} S_i (−1)^{j−i}.
        let mut chi = vec![0.0; order + 1];
        let mut running = 0.0;
        for j in 0..order {
            running = s.coefficients()[j] - running;
            chi[j + 1] = running;
        }
        let psi = Series::new(chi).reversion()?;
        Ok(psi.coefficients()[1..].to_vec())
    }
}

/// Order of the series of log S_D kept for small arguments.
const SERIES_ORDER: usize = 24;
/// Below this |v| = |z/r| a law factor is evaluated from its series: there the direct route
/// subtracts two terms of size 1/|z| (s ≈ 1/v) and loses their digits.
pub(crate) const SERIES_RADIUS: f64 = 1e-3;

/// The series of log S_D(v) for a discrete law D of mean 1: ψ_D from its moments, χ_D its
/// reversion, S_D(v) = χ_D(v)(1 + v)/v.
fn law_log_series(law: &DiscreteLaw, order: usize) -> Result<Series> {
    let mut psi = vec![0.0; order + 2];
    psi[1..].copy_from_slice(&law.moments(order + 1));
    let chi = Series::new(psi).reversion()?;
    // χ_D(v)/v, then times (1 + v).
    let ratio = Series::new(chi.coefficients()[1..].to_vec());
    let mut one_plus = vec![0.0; order + 1];
    one_plus[0] = 1.0;
    if order >= 1 {
        one_plus[1] = 1.0;
    }
    let log_d = ratio.mul(&Series::new(one_plus)).log()?;
    // S_D(0) = 1/E d = 1 up to rounding: keep log S normalised exactly.
    Ok(Series::new([&[0.0], &log_d.coefficients()[1..]].concat()))
}

/// Σ c_j v^j and its derivative, by Horner's rule (complex or real v).
pub(crate) fn evaluate_series<T>(c: &[f64], v: T) -> (T, T)
where
    T: Copy + std::ops::Mul<Output = T> + std::ops::Add<f64, Output = T> + std::ops::Add<Output = T> + From<f64>,
{
    let mut value = T::from(0.0);
    let mut slope = T::from(0.0);
    for &cj in c.iter().rev() {
        slope = slope * v + value;
        value = value * v + cj;
    }
    (value, slope)
}

/// Reduces the imaginary part of a logarithm to (−π, π].
fn reduce_phase(v: C64) -> C64 {
    let two_pi = 2.0 * std::f64::consts::PI;
    let k = (v.im / two_pi).round();
    C64::new(v.re, v.im - k * two_pi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_merge_and_the_bottleneck_is_the_smallest_pole() {
        let s = STransform::new(
            &[
                Term { a: 1.0, exponent: 1 },
                Term { a: 0.5, exponent: -1 },
                Term { a: 1.0, exponent: -1 },
                Term { a: 2.0, exponent: -2 },
            ],
            vec![],
        )
        .unwrap();
        assert_eq!(s.terms(), &[Term { a: 0.5, exponent: -1 }, Term { a: 2.0, exponent: -2 }]);
        assert_eq!(s.nonzero_fraction(), 0.5);
        assert_eq!(s.pole_order_at_bottleneck(), 1);
        assert_eq!(s.degree(), -3);
        assert!(STransform::new(&[Term { a: 0.0, exponent: 1 }], vec![]).is_err());
        assert!(STransform::new(&[], vec![]).unwrap().is_constant());
    }
}
