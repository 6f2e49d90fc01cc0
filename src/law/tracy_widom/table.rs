//! TW₁ with a tabulated CDF: the same law as [`TracyWidom`] for β = 1, with F₁ read from
//! piecewise Chebyshev interpolants committed to the source, for callers that evaluate it once
//! per trial (the λ_max fit of a spectrum run, [`crate::calibration::EdgeFit`]).
//!
//! # Representation
//!
//! The interval [−10, 16] is cut into pieces of width 1. On each piece the function
//!
//! * g(s) = ln F₁(s) for s ≤ 0 (the lower tail, where F₁ ≈ e^{−|s|³/24} is tiny), and
//! * g(s) = ln(1 − F₁(s)) for s > 0 (the upper tail, where 1 − F₁ ≈ e^{−(2/3)s^{3/2}} is tiny)
//!
//! is the degree-[`DEGREE`] polynomial interpolating g at the Chebyshev points of the first kind,
//! stored as its Chebyshev coefficients and summed by Clenshaw's recurrence. The CDF is e^{g} on
//! the left and −expm1(g) on the right, so F₁ keeps its relative accuracy in the lower tail and
//! 1 − F₁ in the upper one. Outside [−10, 16] (F₁(−10) ≈ 1e−18, 1 − F₁(16) ≈ 1e−19) the exact
//! evaluation (Bornemann's Fredholm determinant, [`TracyWidom`]) is used.
//!
//! The coefficients (`tw1_chebyshev.rs`) are generated from the exact evaluation by
//! `cargo run --release --example tracy_widom_table` ([`chebyshev_coefficients`]); a unit test
//! regenerates them and compares.
//!
//! # Accuracy
//!
//! Against the exact evaluation on a dense grid independent of the interpolation points (every
//! 0.0137 over [−10, 16], offset by the golden ratio's fraction, 1898 points), the tabulated CDF
//! and survival function differ by at most [`CDF_ERROR_BOUND`] = 1e−14 absolute (measured
//! 2.8e−15; the unit test asserts the bound), and 1 − F₁ for s > 0 by at most 1e−12 relative
//! (measured 3.5e−13); the exact evaluation is itself within 1e−15 of mpmath
//! ([`TracyWidom`]). A KS distance computed with this CDF therefore differs from the exact one by
//! at most the same 1e−14 (the distance is a supremum of |F_N − F| over the sample points, and
//! each term moves by at most the CDF's error), and its asymptotic p-value Q(D·(√N + 0.12 +
//! 0.11/√N)) by at most max|Q′|·(√N + 0.12 + 0.11/√N)·1e−14 ≤ 1.8·(√N + 0.24)·1e−14 (Q the Kolmogorov
//! survival function, max|Q′| ≈ 1.72; below 1e−12 for N ≤ 2000 trials). The one exception is
//! the point t = 0.3 below which `ks_p_value` returns 1 instead of Q(t) ≥ 1 − 9.3e−6: a distance
//! within 1e−14 of that switch can move a p-value near 1 by up to 9.3e−6.
//!
//! The density is F₁·g′ (left) or −(1 − F₁)·g′ (right) with g′ the derivative of the piece's
//! interpolant: within [`DENSITY_ERROR_BOUND`] = 1e−12 of the exact density on the same grid
//! (measured 2.2e−13 absolute, f₁ ≤ 0.35; relative 2e−10 at worst where f₁ > 1e−6, in the far
//! tails), for figures that draw the TW₁ curve at hundreds of points.
//!
//! One evaluation costs about 80 ns against 0.35–0.7 ms for the exact one
//! (`cargo run --release --example tracy_widom_timing`, on the loaded 2-core machine).

use super::{Beta, TracyWidom};
use crate::law::{SpectralLaw, Support};
use crate::Result;

// The generated literals carry every digit of the shortest round-trip form.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
mod coefficients {
    include!("tw1_chebyshev.rs");
}
use coefficients::{TW1_LN_CDF, TW1_LN_SF};

/// Left end of the tabulated range.
pub const TABLE_LOWER: f64 = -10.0;
/// Right end of the tabulated range.
pub const TABLE_UPPER: f64 = 16.0;
/// Width of one interpolation piece.
pub const PIECE_WIDTH: f64 = 1.0;
/// Degree of the Chebyshev interpolant on each piece.
pub const DEGREE: usize = 20;
/// Pieces of the lower part [−10, 0] (ln F₁).
pub const LOWER_PIECES: usize = 10;
/// Pieces of the upper part [0, 16] (ln(1 − F₁)).
pub const UPPER_PIECES: usize = 16;
/// Stated bound on |F_table − F₁| (and on the error of 1 − F) anywhere on the real line; the
/// unit test `matches_the_exact_cdf_on_a_dense_independent_grid` asserts it.
pub const CDF_ERROR_BOUND: f64 = 1e-14;
/// Stated bound on |f_table − f₁| for the density (f₁ ≤ 0.35), from the derivative of the
/// interpolants; asserted on the same independent grid as the CDF.
pub const DENSITY_ERROR_BOUND: f64 = 1e-12;

/// TW₁ whose CDF, survival function and density come from the committed Chebyshev table (see
/// the [module documentation](self)); moments and quantiles are those of [`TracyWidom`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TabulatedTw1;

impl TabulatedTw1 {
    fn exact() -> TracyWidom {
        TracyWidom::with_beta(Beta::Real)
    }

    /// The density from the table: f = F·g′ on the left (g = ln F), f = −(1 − F)·g′ on the right
    /// (g = ln(1 − F)), with g′ the derivative of the piece's interpolant; `None` outside the
    /// table (and for NaN).
    fn tabulated_density(s: f64) -> Option<f64> {
        let (is_upper, coefficients, left) = Self::piece(s)?;
        let f = clenshaw(coefficients, left, s).exp() * clenshaw_derivative(coefficients, left, s);
        Some(if is_upper { -f } else { f })
    }

    /// (is_upper, g(s)) on the table, `None` outside it (and for NaN).
    fn log_tail(s: f64) -> Option<(bool, f64)> {
        let (is_upper, coefficients, left) = Self::piece(s)?;
        Some((is_upper, clenshaw(coefficients, left, s)))
    }

    /// The piece holding s: (is_upper, its coefficients, its left end); `None` outside the table
    /// (and for NaN). Lower pieces interpolate ln F on [−10, 0], upper ones ln(1 − F) on (0, 16].
    fn piece(s: f64) -> Option<(bool, &'static [f64; DEGREE + 1], f64)> {
        if !(TABLE_LOWER..=TABLE_UPPER).contains(&s) {
            return None;
        }
        if s <= 0.0 {
            let piece = (((s - TABLE_LOWER) / PIECE_WIDTH) as usize).min(LOWER_PIECES - 1);
            Some((false, &TW1_LN_CDF[piece], TABLE_LOWER + piece as f64 * PIECE_WIDTH))
        } else {
            let piece = ((s / PIECE_WIDTH) as usize).min(UPPER_PIECES - 1);
            Some((true, &TW1_LN_SF[piece], piece as f64 * PIECE_WIDTH))
        }
    }
}

/// d/ds Σ a_j T_j(t), t = 2(s − left)/width − 1: the series of the derivative, whose Chebyshev
/// coefficients c_{j−1} = c_{j+1} + 2j·a_j (c_N = c_{N+1} = 0, c₀ counted half), summed by
/// Clenshaw's recurrence and times dt/ds = 2/width.
fn clenshaw_derivative(a: &[f64; DEGREE + 1], left: f64, s: f64) -> f64 {
    let mut c = [0.0; DEGREE + 1];
    for j in (1..=DEGREE).rev() {
        let above = if j < DEGREE { c[j + 1] } else { 0.0 };
        c[j - 1] = above + 2.0 * j as f64 * a[j];
    }
    c[0] *= 0.5;
    // c_N stays 0: the derivative has degree N − 1.
    clenshaw(&c, left, s) * 2.0 / PIECE_WIDTH
}

/// Σ a_j T_j(t) at t = 2(s − left)/width − 1, by Clenshaw's recurrence.
fn clenshaw(a: &[f64; DEGREE + 1], left: f64, s: f64) -> f64 {
    let t = 2.0 * (s - left) / PIECE_WIDTH - 1.0;
    let (mut b1, mut b2) = (0.0, 0.0);
    for &aj in a[1..].iter().rev() {
        let b0 = aj + 2.0 * t * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    a[0] + t * b1 - b2
}

/// The Chebyshev coefficients a₀, …, a_N of the degree-N polynomial interpolating `g` at the
/// N + 1 Chebyshev points of the first kind of [left, left + width]:
/// a_j = (2 − δ_{j0})/(N + 1) · Σ_k g(x_k) cos(jθ_k), θ_k = π(k + ½)/(N + 1),
/// x_k = left + width·(1 + cos θ_k)/2. Used by the table's generator and its test.
pub fn chebyshev_coefficients(g: impl Fn(f64) -> f64, left: f64, width: f64, degree: usize) -> Vec<f64> {
    let points = degree + 1;
    let theta: Vec<f64> = (0..points).map(|k| std::f64::consts::PI * (k as f64 + 0.5) / points as f64).collect();
    let values: Vec<f64> = theta.iter().map(|th| g(left + 0.5 * width * (1.0 + th.cos()))).collect();
    (0..points)
        .map(|j| {
            let sum: f64 = values.iter().zip(&theta).map(|(v, th)| v * (j as f64 * th).cos()).sum();
            sum * if j == 0 { 1.0 } else { 2.0 } / points as f64
        })
        .collect()
}

/// ln F₁ (for s ≤ 0) or ln(1 − F₁) (for s > 0) from the exact evaluation: what the table holds.
pub fn exact_log_tail(s: f64) -> f64 {
    let law = TabulatedTw1::exact();
    if s <= 0.0 {
        law.cdf(s).ln()
    } else {
        law.sf(s).ln()
    }
}

impl std::fmt::Display for TabulatedTw1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TW₁")
    }
}

impl SpectralLaw for TabulatedTw1 {
    fn support(&self) -> Support {
        Self::exact().support()
    }

    fn density(&self, x: f64) -> f64 {
        Self::tabulated_density(x).unwrap_or_else(|| Self::exact().density(x))
    }

    fn cdf(&self, x: f64) -> f64 {
        match Self::log_tail(x) {
            Some((false, g)) => g.exp(),
            Some((true, g)) => -g.exp_m1(),
            None => Self::exact().cdf(x),
        }
    }

    fn sf(&self, x: f64) -> f64 {
        match Self::log_tail(x) {
            Some((false, g)) => -g.exp_m1(),
            Some((true, g)) => g.exp(),
            None => Self::exact().sf(x),
        }
    }

    fn mean(&self) -> f64 {
        Self::exact().mean()
    }

    fn variance(&self) -> f64 {
        Self::exact().variance()
    }

    fn quantile(&self, p: f64) -> Result<f64> {
        Self::exact().quantile(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::tracy_widom::tests::{CDF_TABLE_BETA1, CDF_TOL, SF_REL_TOL};
    use crate::stats::{kolmogorov_sf, ks_distance, ks_p_value};

    #[test]
    fn matches_the_exact_cdf_on_a_dense_independent_grid() {
        // Points every 0.0137 from −10 + 0.618·0.0137: never a Chebyshev node or a piece end by
        // design (0.0137 is not a divisor of a piece, and the offset is irrational to 17 digits).
        let exact = TracyWidom::with_beta(Beta::Real);
        let step = 0.0137;
        let offset = 0.618_033_988_749_894_8 * step;
        let mut worst_cdf = 0.0f64;
        let mut worst_sf = 0.0f64;
        let mut worst_sf_rel = 0.0f64;
        let mut points = 0;
        let mut s = TABLE_LOWER + offset;
        while s < TABLE_UPPER {
            let (f, g) = (exact.cdf(s), exact.sf(s));
            let (ft, gt) = (TabulatedTw1.cdf(s), TabulatedTw1.sf(s));
            worst_cdf = worst_cdf.max((ft - f).abs());
            worst_sf = worst_sf.max((gt - g).abs());
            if s > 0.0 {
                worst_sf_rel = worst_sf_rel.max((gt - g).abs() / g);
            }
            points += 1;
            s += step;
        }
        eprintln!(
            "{points} points: max |ΔF| = {worst_cdf:e}, max |Δ(1 − F)| = {worst_sf:e}, \
             max relative Δ(1 − F) for s > 0 = {worst_sf_rel:e}"
        );
        assert!(points > 1800);
        assert!(worst_cdf <= CDF_ERROR_BOUND, "max |ΔF| = {worst_cdf:e}");
        assert!(worst_sf <= CDF_ERROR_BOUND, "max |Δ(1 − F)| = {worst_sf:e}");
        // The upper tail keeps its relative accuracy (what the p-values of an edge test need).
        assert!(worst_sf_rel <= 1e-12, "max relative Δ(1 − F) = {worst_sf_rel:e}");
    }

    #[test]
    fn density_matches_the_exact_density_on_a_dense_independent_grid() {
        // The grid of the CDF test: never an interpolation point or a piece end.
        let exact = TracyWidom::with_beta(Beta::Real);
        let step = 0.0137;
        let mut s = TABLE_LOWER + 0.618_033_988_749_894_8 * step;
        let (mut worst, mut worst_relative, mut points) = (0.0f64, 0.0f64, 0);
        while s < TABLE_UPPER {
            let (f, ft) = (exact.density(s), TabulatedTw1.density(s));
            worst = worst.max((ft - f).abs());
            if f > 1e-6 {
                worst_relative = worst_relative.max((ft - f).abs() / f);
            }
            points += 1;
            s += step;
        }
        eprintln!("{points} points: max |Δf| = {worst:e}, max relative Δf where f > 1e-6: {worst_relative:e}");
        assert!(points > 1800);
        assert!(worst <= DENSITY_ERROR_BOUND, "max |Δf| = {worst:e}");
    }

    #[test]
    fn matches_mpmath_and_published_values() {
        for &(s, f, g) in &CDF_TABLE_BETA1 {
            let (cdf, sf) = (TabulatedTw1.cdf(s), TabulatedTw1.sf(s));
            assert!((cdf - f).abs() <= CDF_TOL, "F({s}) = {cdf}, mpmath {f}");
            assert!((sf - g).abs() <= CDF_TOL, "1 − F({s}) = {sf}, mpmath {g}");
            if s >= 2.0 && g > 1e-22 / SF_REL_TOL {
                assert!((sf - g).abs() / g <= SF_REL_TOL, "1 − F({s}) = {sf}, mpmath {g}");
            }
        }
        // source: F. Bornemann, Markov Process. Related Fields 16 (2010): F₁(0) to 14 digits.
        assert!((TabulatedTw1.cdf(0.0) - 0.83190806620295).abs() < 1e-13);
    }

    #[test]
    fn the_table_is_what_the_generator_computes() {
        // Regenerates every piece from the exact evaluation (what `examples/tracy_widom_table.rs`
        // prints) and bounds what the difference does to the CDF: with Δg = Σ_j |Δa_j| ≥ the
        // largest change of g on the piece (|T_j| ≤ 1), F = e^g (or 1 − F = e^g) moves by at most
        // max e^g·(e^{Δg} − 1). The far-left coefficients carry the exact evaluation's relative
        // noise (about 1e−6 in ln F at s = −10, where F ≈ 1e−18), so coefficients are not compared
        // digit by digit.
        let exact = TracyWidom::with_beta(Beta::Real);
        let parts: [(&[[f64; DEGREE + 1]], f64, bool); 2] =
            [(&TW1_LN_CDF, TABLE_LOWER, false), (&TW1_LN_SF, 0.0, true)];
        for (table, start, upper) in parts {
            for (piece, stored) in table.iter().enumerate() {
                let left = start + piece as f64 * PIECE_WIDTH;
                let fresh = chebyshev_coefficients(exact_log_tail, left, PIECE_WIDTH, DEGREE);
                let change: f64 = stored.iter().zip(&fresh).map(|(a, b)| (a - b).abs()).sum();
                let largest = if upper { exact.sf(left) } else { exact.cdf(left + PIECE_WIDTH) };
                let moved = largest * change.exp_m1();
                assert!(moved <= 1e-15, "piece at {left}: the CDF would move by {moved:e}");
            }
        }
    }

    #[test]
    fn outside_the_table_and_at_its_joins() {
        let exact = TracyWidom::with_beta(Beta::Real);
        for s in [-16.5, -12.0, -10.000001, 16.000001, 20.0, 250.0, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(TabulatedTw1.cdf(s), exact.cdf(s), "{s}");
            assert_eq!(TabulatedTw1.sf(s), exact.sf(s), "{s}");
        }
        assert!(TabulatedTw1.cdf(f64::NAN).is_nan());
        // Continuity at the piece ends: the step across 2h = 2e−12 is the true rise f(s)·2h
        // (up to f′·h², below 1e−24) plus the two sides' errors, each at most the bound.
        let h = 1e-12;
        for k in 0..=26 {
            let s = TABLE_LOWER + k as f64;
            let (below, above) = (TabulatedTw1.cdf(s - h), TabulatedTw1.cdf(s + h));
            let jump = above - below - exact.density(s) * 2.0 * h;
            assert!(jump.abs() <= 2.0 * CDF_ERROR_BOUND, "jump {jump:e} at {s}");
        }
        let mut previous = 0.0;
        for k in 0..=26_000 {
            let c = TabulatedTw1.cdf(TABLE_LOWER + 0.001 * k as f64);
            assert!(c >= previous, "not monotone at {}", TABLE_LOWER + 0.001 * k as f64);
            previous = c;
        }
    }

    #[test]
    fn ks_distance_and_p_value_move_by_less_than_the_bound() {
        // 2000 values spread over the bulk of TW₁ (a deterministic low-discrepancy sequence
        // mapped through a rough inverse), plus a shifted copy that fails: the KS distance and
        // its p-value with the tabulated CDF against the exact one.
        let exact = TracyWidom::with_beta(Beta::Real);
        for shift in [0.0, 0.3] {
            let mut sample: Vec<f64> = (0..2000)
                .map(|i| -1.27 + shift + 1.3 * (((i as f64 * 0.618_033_988_749_895) % 1.0) - 0.5) * 5.0)
                .collect();
            sample.sort_by(f64::total_cmp);
            let d_exact = ks_distance(&sample, 0, &exact).unwrap();
            let d_table = ks_distance(&sample, 0, &TabulatedTw1).unwrap();
            assert!((d_exact - d_table).abs() <= CDF_ERROR_BOUND, "{d_exact} vs {d_table}");
            let n = sample.len() as f64;
            let p_bound = 1.8 * (n.sqrt() + 0.24) * CDF_ERROR_BOUND;
            let (p_exact, p_table) = (ks_p_value(d_exact, sample.len()), ks_p_value(d_table, sample.len()));
            assert!((p_exact - p_table).abs() <= p_bound, "{p_exact} vs {p_table}");
        }
    }

    #[test]
    fn the_kolmogorov_survival_function_is_1_8_lipschitz_where_it_is_summed() {
        // The p-value bound in the module docs uses max|Q′| ≤ 1.8 for the Kolmogorov survival
        // function Q(t) = 2Σ(−1)^{k−1}e^{−2k²t²} behind `ks_p_value`, summed for t ≥ 0.3
        // (below, Q is returned as 1, within 9.3e−6 of its value): difference quotients on a
        // fine grid (Q′ peaks near t = 0.74 at about −1.72).
        let h = 1e-7;
        let mut worst = 0.0f64;
        for i in 0..3400 {
            let t = 0.3 + i as f64 * 0.0005;
            worst = worst.max(((kolmogorov_sf(t + h) - kolmogorov_sf(t)) / h).abs());
        }
        assert!(worst <= 1.8 && worst > 1.6, "max |Q′| = {worst}");
    }
}
