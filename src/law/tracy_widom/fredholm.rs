//! Bornemann's discretisation of the Fredholm determinants behind F₁ and F₂.
//!
//! An operator determinant det(I − K) on L²(a, b) is approximated by the m×m determinant
//! det(δᵢⱼ − wᵢ^{½} K(xᵢ, xⱼ) wⱼ^{½}) on the m-point Gauss–Legendre rule (xᵢ, wᵢ) of (a, b); for
//! kernels analytic in a strip the error falls exponentially in m (Bornemann 2010, Thm. 6.2).
//! Both kernels here are symmetric and I − K is positive definite, so the matrix is factored as
//! L D Lᵀ without pivoting. The factorisation works on E = A − I and forms each pivot as
//! 1 + Eₖₖ, so log det = Σ ln(1 + Eₖₖ) keeps full relative accuracy when K is small: this is
//! what makes 1 − F = −expm1(log det) accurate deep in the upper tail.
//!
//! The density comes from the same factorisation, with no differencing:
//! d/ds log det(I − K_s) = −tr((I − K_s)⁻¹ dK_s/ds), where for F₂ (after the shift x = s + ξ)
//! dK_s/ds = −Ai(s + ξ)Ai(s + η) is of rank one, and for F₁, dK_s/ds = Ai′(u + v + s).

use super::airy::airy;
use crate::law::quadrature::GaussLegendre;
use std::sync::OnceLock;

/// Node counts are rounded up to a multiple of this, so that few rules need caching.
const NODE_STEP: usize = 8;
/// Largest node count used (reached at s ≈ −16, below which F₁, F₂ < 1e-70 are returned as 0).
pub(crate) const MAX_NODES: usize = 128;

/// Gauss–Legendre rules on [−1, 1] for m = 8, 16, …, 128, built on first use.
static RULES: [OnceLock<GaussLegendre>; MAX_NODES / NODE_STEP] = [const { OnceLock::new() }; MAX_NODES / NODE_STEP];

/// The cached m-point rule on [−1, 1]; m must be a multiple of [`NODE_STEP`] in 8..=128.
fn reference_rule(m: usize) -> &'static GaussLegendre {
    RULES[m / NODE_STEP - 1].get_or_init(|| GaussLegendre::new(m))
}

/// Node count for an interval of the given length: `base + per_unit·length`, rounded up to a
/// multiple of 8 and capped at [`MAX_NODES`].
fn node_count(length: f64, base: f64, per_unit: f64) -> usize {
    let m = (base + per_unit * length).ceil() as usize;
    (m.div_ceil(NODE_STEP) * NODE_STEP).clamp(NODE_STEP, MAX_NODES)
}

/// Scaled nodes and square-rooted weights of the m-point rule on [a, b].
fn scaled_rule(m: usize, a: f64, b: f64) -> (Vec<f64>, Vec<f64>) {
    let rule = reference_rule(m);
    let half = 0.5 * (b - a);
    let mid = 0.5 * (a + b);
    let x = rule.nodes.iter().map(|t| mid + half * t).collect();
    let sqrt_w = rule.weights.iter().map(|w| (half * w).sqrt()).collect();
    (x, sqrt_w)
}

/// ln det(I − K) and, on request, d/ds ln det(I − K_s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LogDet {
    /// ln F(s); −∞ when a pivot was not positive (F below the rounding level).
    pub log_value: f64,
    /// d/ds ln F(s) (the density over F), when asked for.
    pub log_derivative: Option<f64>,
}

/// Factors A = I + E = L D Lᵀ in place (lower triangle of the row-major `e`; afterwards
/// `e[i·m + k]` holds L_ik for i > k) and returns (Σ ln dₖ, d).
///
/// Returns `None` if a pivot is not positive, which for the positive definite matrices here only
/// happens when det A is below the rounding level.
fn ldl_shifted(e: &mut [f64], m: usize) -> Option<(f64, Vec<f64>)> {
    let mut log_det = 0.0;
    let mut d = Vec::with_capacity(m);
    for k in 0..m {
        let ekk = e[k * m + k];
        let pivot = 1.0 + ekk;
        if pivot.is_nan() || pivot <= 0.0 {
            return None;
        }
        log_det += ekk.ln_1p();
        d.push(pivot);
        for i in k + 1..m {
            let factor = e[i * m + k] / pivot;
            if factor != 0.0 {
                for j in k + 1..=i {
                    e[i * m + j] -= factor * e[j * m + k];
                }
            }
        }
        for i in k + 1..m {
            e[i * m + k] /= pivot;
        }
    }
    Some((log_det, d))
}

/// Solves L z = b in place (unit lower triangular L stored below the diagonal of `l`), using
/// only the first `n` components.
fn forward_substitute(l: &[f64], m: usize, b: &mut [f64], n: usize) {
    for i in 0..n {
        let row = &l[i * m..i * m + i];
        let s: f64 = row.iter().zip(&b[..i]).map(|(lik, zk)| lik * zk).sum();
        b[i] -= s;
    }
}

/// F₂(s) = det(I − K_Ai) on L²(s, ∞), truncated to [s, b] with Ai(b)² below e^{−48} relative
/// to its size at s.
pub(crate) fn log_f2(s: f64, with_derivative: bool) -> LogDet {
    let upper = (36.0 + s.max(0.0).powf(1.5)).powf(2.0 / 3.0);
    let m = node_count(upper - s, 24.0, 2.0);
    let (x, sw) = scaled_rule(m, s, upper);
    let (ai, aip): (Vec<f64>, Vec<f64>) = x.iter().map(|&t| airy(t)).unzip();
    let mut e = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..i {
            let k = (ai[i] * aip[j] - aip[i] * ai[j]) / (x[i] - x[j]);
            e[i * m + j] = -sw[i] * k * sw[j];
        }
        let k = aip[i] * aip[i] - x[i] * ai[i] * ai[i];
        e[i * m + i] = -sw[i] * k * sw[i];
    }
    // Upper triangle mirrors the lower one for the column reads in the factorisation.
    mirror_lower(&mut e, m);
    let Some((log_value, d)) = ldl_shifted(&mut e, m) else {
        return LogDet { log_value: f64::NEG_INFINITY, log_derivative: with_derivative.then_some(0.0) };
    };
    let log_derivative = with_derivative.then(|| {
        // d/ds ln F₂ = aᵀ(I − K)⁻¹a with a = w^{½}·Ai(x) = Σ zᵢ²/dᵢ where L z = a.
        let mut z: Vec<f64> = ai.iter().zip(&sw).map(|(a, w)| a * w).collect();
        forward_substitute(&e, m, &mut z, m);
        z.iter().zip(&d).map(|(zi, di)| zi * zi / di).sum()
    });
    LogDet { log_value, log_derivative }
}

/// F₁(s) = det(I − K₁) on L²(0, ∞) with K₁(x, y) = ½Ai((x + y)/2 + s), written after x = 2u as
/// the same operator with kernel Ai(u + v + s) (Ferrari–Spohn), truncated to u ∈ [0, b − s]
/// with Ai(b) below e^{−38} relative to its size at s.
pub(crate) fn log_f1(s: f64, with_derivative: bool) -> LogDet {
    let upper = (57.0 + s.max(0.0).powf(1.5)).powf(2.0 / 3.0);
    let length = upper - s;
    let m = node_count(length, 24.0, 2.5);
    let (u, sw) = scaled_rule(m, 0.0, length);
    let mut e = vec![0.0; m * m];
    let mut de = if with_derivative { vec![0.0; m * m] } else { Vec::new() };
    for i in 0..m {
        for j in 0..=i {
            let (ai, aip) = airy(u[i] + u[j] + s);
            let w = sw[i] * sw[j];
            e[i * m + j] = -w * ai;
            if with_derivative {
                de[i * m + j] = w * aip;
                de[j * m + i] = w * aip;
            }
        }
    }
    mirror_lower(&mut e, m);
    let Some((log_value, d)) = ldl_shifted(&mut e, m) else {
        return LogDet { log_value: f64::NEG_INFINITY, log_derivative: with_derivative.then_some(0.0) };
    };
    let log_derivative = with_derivative.then(|| {
        // −tr(A⁻¹B′) with A = L D Lᵀ: tr(D⁻¹ L⁻¹ B′ L⁻ᵀ). X = L⁻¹B′ column by column (kept
        // transposed, so row c of `xt` is column c of X), then diag(L⁻¹Xᵀ)ᵢ = (L⁻¹ X[i, :]ᵀ)ᵢ.
        let mut xt = de;
        for c in 0..m {
            forward_substitute(&e, m, &mut xt[c * m..(c + 1) * m], m);
        }
        let mut row = vec![0.0; m];
        let mut trace = 0.0;
        for i in 0..m {
            for (c, r) in row.iter_mut().enumerate().take(i + 1) {
                *r = xt[c * m + i];
            }
            forward_substitute(&e, m, &mut row, i + 1);
            trace += row[i] / d[i];
        }
        -trace
    });
    LogDet { log_value, log_derivative }
}

/// Copies the strict lower triangle onto the upper one.
fn mirror_lower(e: &mut [f64], m: usize) {
    for i in 0..m {
        for j in 0..i {
            e[j * m + i] = e[i * m + j];
        }
    }
}
