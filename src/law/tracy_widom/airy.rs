//! The Airy function Ai and its derivative Ai′ on the whole real line, to about 1e-15 relative
//! accuracy (absolute, relative to the envelope |x|^{∓1/4}/√π, on the oscillating negative axis).
//!
//! No maintained pure-Rust crate provides Ai (puruspe, statrs and special lack it; GSL would be a
//! system library), so it is written here. Three regimes:
//!
//! * x ∈ [−16.25, 10.25]: Taylor series about the nearest anchor x₀ ∈ {−16, −15.5, …, 10}
//!   (|x − x₀| ≤ ¼). The coefficients follow from the Airy equation y″ = x y:
//!   (n + 2)(n + 1) a_{n+2} = x₀ aₙ + a_{n−1}, started from tabulated (Ai(x₀), Ai′(x₀)) that
//!   mpmath computed at 40 digits (`scripts/reference/airy.py anchors`). With |x − x₀| ≤ ¼ the
//!   terms fall like (√|x₀|/4)ⁿ/n!, so 24 terms reach 1e-20 and the sum loses at most a factor
//!   e^{√|x₀|/4} ≤ 3 to cancellation.
//! * x > 10.25: the asymptotic expansion Ai(x) ~ e^{−ζ}/(2√π x^{1/4}) Σ (−1)ᵏ uₖ ζ^{−k},
//!   ζ = ⅔ x^{3/2} (DLMF 9.7.5–9.7.6), summed to its smallest term, which is below 1e-18 there.
//! * x < −16.25: the oscillatory expansions DLMF 9.7.9–9.7.10 (ζ > 43, error below 1e-30).
//!   There, as for any method, the phase ζ carries an absolute error of about ζ·ε from the
//!   rounding of x itself.
//!
//! References: DLMF §9.7 (F. W. J. Olver et al., NIST Digital Library of Mathematical Functions).

use std::f64::consts::{FRAC_PI_4, PI};

/// First anchor and anchor spacing of the Taylor table.
const ANCHOR_START: f64 = -16.0;
const ANCHOR_STEP: f64 = 0.5;
/// Number of Taylor coefficients kept: (√16/4)^24/24! ≈ 1.6e-24.
const TAYLOR_TERMS: usize = 24;

/// (Ai(x), Ai′(x)).
///
/// NaN maps to (NaN, NaN); Ai underflows to 0 beyond x ≈ 104; for x → −∞ both stay finite.
pub fn airy(x: f64) -> (f64, f64) {
    if x.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    let lower = ANCHOR_START - 0.5 * ANCHOR_STEP;
    let upper = ANCHOR_START + (ANCHORS.len() - 1) as f64 * ANCHOR_STEP + 0.5 * ANCHOR_STEP;
    if x > upper {
        airy_positive_asymptotic(x)
    } else if x < lower {
        airy_negative_asymptotic(-x)
    } else {
        let k = ((x - ANCHOR_START) / ANCHOR_STEP).round() as usize;
        let k = k.min(ANCHORS.len() - 1);
        let x0 = ANCHOR_START + k as f64 * ANCHOR_STEP;
        let (ai0, aip0) = ANCHORS[k];
        airy_taylor(x0, ai0, aip0, x - x0)
    }
}

/// Ai(x) alone.
pub fn airy_ai(x: f64) -> f64 {
    airy(x).0
}

/// 1/((n + 2)(n + 1)) for the Taylor recurrence (multiplying is cheaper than dividing).
const RECIPROCALS: [f64; TAYLOR_TERMS] = {
    let mut r = [0.0; TAYLOR_TERMS];
    let mut n = 0;
    while n < TAYLOR_TERMS {
        r[n] = 1.0 / (((n + 2) * (n + 1)) as f64);
        n += 1;
    }
    r
};

/// Sums the Taylor series of the Airy solution through (x₀, y₀, y₀′) at x₀ + t.
fn airy_taylor(x0: f64, y0: f64, yp0: f64, t: f64) -> (f64, f64) {
    let mut a = [0.0; TAYLOR_TERMS];
    a[0] = y0;
    a[1] = yp0;
    a[2] = 0.5 * x0 * y0;
    for n in 1..TAYLOR_TERMS - 2 {
        a[n + 2] = (x0 * a[n] + a[n - 1]) * RECIPROCALS[n];
    }
    let mut y = 0.0;
    let mut yp = 0.0;
    for n in (1..TAYLOR_TERMS).rev() {
        y = y * t + a[n];
        yp = yp * t + n as f64 * a[n];
    }
    (y * t + a[0], yp)
}

/// uₖ of DLMF 9.7.2 by uₖ = u_{k−1}(6k−5)(6k−3)(6k−1)/((2k−1)·216·k), and vₖ = −(6k+1)/(6k−1)·uₖ.
fn u_v(k: usize, u_prev: f64) -> (f64, f64) {
    let kf = k as f64;
    let u = u_prev * (6.0 * kf - 5.0) * (6.0 * kf - 3.0) * (6.0 * kf - 1.0) / ((2.0 * kf - 1.0) * 216.0 * kf);
    let v = -(6.0 * kf + 1.0) / (6.0 * kf - 1.0) * u;
    (u, v)
}

/// DLMF 9.7.5–9.7.6 for x > 10, summed until the terms stop decreasing or fall below 1e-18.
fn airy_positive_asymptotic(x: f64) -> (f64, f64) {
    let zeta = 2.0 / 3.0 * x * x.sqrt();
    let mut sum_u = 1.0;
    let mut sum_v = 1.0;
    let mut u = 1.0;
    let mut power = 1.0;
    let mut last = f64::INFINITY;
    for k in 1..60 {
        let (uk, vk) = u_v(k, u);
        u = uk;
        power *= -1.0 / zeta;
        let term_u = uk * power;
        if term_u.abs() >= last || term_u.abs() < 1e-18 {
            break;
        }
        last = term_u.abs();
        sum_u += term_u;
        sum_v += vk * power;
    }
    let quarter = x.sqrt().sqrt();
    let e = (-zeta).exp() / (2.0 * PI.sqrt());
    (e / quarter * sum_u, -e * quarter * sum_v)
}

/// DLMF 9.7.9–9.7.10: Ai(−z), Ai′(−z) for z > 16.
fn airy_negative_asymptotic(z: f64) -> (f64, f64) {
    let zeta = 2.0 / 3.0 * z * z.sqrt();
    // Even and odd parts of Σ (−1)ᵏ uₖ ζ^{−k} with the sign pattern of 9.7.9.
    let (mut pu, mut qu, mut pv, mut qv) = (1.0, 0.0, 1.0, 0.0);
    let mut u = 1.0;
    let mut power = 1.0;
    for k in 1..40 {
        let (uk, vk) = u_v(k, u);
        u = uk;
        power /= zeta;
        let term = uk * power;
        // k = 2j contributes (−1)ʲ u_{2j} ζ^{−2j}; k = 2j + 1 contributes (−1)ʲ u_{2j+1} ζ^{−2j−1}.
        let sign = if (k / 2) % 2 == 0 { 1.0 } else { -1.0 };
        if k % 2 == 0 {
            pu += sign * term;
            pv += sign * vk * power;
        } else {
            qu += sign * term;
            qv += sign * vk * power;
        }
        if term.abs() < 1e-20 {
            break;
        }
    }
    let phase = zeta - FRAC_PI_4;
    let (sin, cos) = phase.sin_cos();
    let quarter = z.sqrt().sqrt();
    let c = 1.0 / PI.sqrt();
    (c / quarter * (cos * pu + sin * qu), c * quarter * (sin * pv - cos * qv))
}

include!("airy_anchors.rs");

#[cfg(test)]
// The mpmath table is printed with 20 significant digits, more than f64 round-trips.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    /// Relative tolerance for Ai and Ai′ (absolute relative to the envelope on the negative axis,
    /// where Ai has zeros): a few ulp, allowing for the phase error ζ·ε at x = −40 (≈ 2e-14).
    const AIRY_TOL: f64 = 2e-15;

    // source: scripts/reference/airy.py test (mpmath 1.3.0, 40 digits): (x, Ai(x), Ai'(x))
    const AIRY_TABLE: [(f64, f64, f64); 34] = [
        (-40.0, -0.045933923437957249632, -1.3890908752607183810),
        (-25.5, -0.24407246181912132932, -0.29955061147614896254),
        (-17.3, -0.27613432961775748135, -0.073180112630453527594),
        (-16.2, 0.075189172447848157446, -1.0895404511988664827),
        (-16.3, 0.17519558692789270926, -0.88321817699002406179),
        (-12.34, -0.29700737992954756950, 0.16582473895086592068),
        (-9.876, 0.15761393530275632144, 0.87293085758911433257),
        (-7.5, 0.32177571638064787527, 0.31880950669855459621),
        (-5.0625, 0.32694433006584957833, 0.43391319098999219808),
        (-4.0879494441309706, -2.7203483786428710252e-16, -0.80311136965486396363),
        (-2.338107410459767, 2.7433193406662829996e-17, 0.70121082272069136249),
        (-1.5, 0.46425657774886940647, 0.30918696720241042042),
        (-0.7, 0.51100039757501014297, -0.14464128564332104329),
        (-0.1234, 0.38685018654130680792, -0.25595453539962363321),
        (0.0, 0.35502805388781723926, -0.25881940379280679841),
        (0.001, 0.35476923454317420649, -0.25881922636505297726),
        (0.3, 0.27880648195500492466, -0.24514636421905480437),
        (1.0, 0.13529241631288141552, -0.15914744129679321279),
        (1.77, 0.049130403487894979133, -0.071099139675626548585),
        (2.5, 0.015725923380470489995, -0.026250881035903230365),
        (3.3, 0.0037872884268267545819, -0.0071424877858847401285),
        (4.9, 0.00013599211701506742767, -0.00030761599633764950659),
        (6.2, 6.0224607196881955118e-6, -0.000015229651696941560041),
        (8.123, 3.2968130753780437065e-8, -9.4950944797297690900e-8),
        (9.9, 1.5181958141049101607e-10, -4.8144951964682430672e-10),
        (10.2, 5.8225673931459846772e-11, -1.8735878902127600187e-10),
        (10.3, 4.2172819226260079286e-11, -1.3635289499566993186e-10),
        (11.0, 4.2262758649603595913e-12, -1.4111441246628517335e-11),
        (13.7, 3.0459177811955344851e-16, -1.1328927909353189661e-15),
        (20.0, 1.6916728686705403136e-27, -7.5863916257483549605e-27),
        (27.5, 2.1718312135593613627e-43, -1.1408838195222464849e-42),
        (40.0, 6.3657426585529149096e-75, -4.0300179776006780423e-74),
        (60.0, 2.7831487094969355371e-136, -2.1569758112094737872e-135),
        (100.0, 2.6344821520881844896e-291, -2.6351403616044099336e-290),
    ];

    #[test]
    fn matches_mpmath_over_the_line() {
        for &(x, ai, aip) in AIRY_TABLE.iter() {
            let (got, gotp) = airy(x);
            // Scale: the value itself for x ≥ 0, the envelope (1 + |x|)^{±1/4}/√π for x < 0,
            // plus the phase conditioning |x|^{3/2}·ε·envelope.
            // Conditioning: rounding x to f64 alone moves Ai by |x|^{3/2}·ε relative (phase
            // or exponent), which no method can avoid.
            let phase = x.abs().powf(1.5) * f64::EPSILON;
            let (scale, scalep) = if x >= 0.0 {
                (ai.abs(), aip.abs())
            } else {
                let q = (1.0 - x).sqrt().sqrt();
                (1.0 / q / PI.sqrt(), q / PI.sqrt())
            };
            let err = (got - ai).abs() / scale;
            let errp = (gotp - aip).abs() / scalep;
            assert!(err <= AIRY_TOL + 2.0 * phase, "Ai({x}) = {got}, mpmath {ai}, err {err:e}");
            assert!(errp <= AIRY_TOL + 2.0 * phase, "Ai'({x}) = {gotp}, mpmath {aip}, err {errp:e}");
        }
    }

    #[test]
    fn branches_agree_at_the_switch_points() {
        // Taylor from the last anchors versus the asymptotic expansions, at the same x.
        let last = ANCHORS.len() - 1;
        let (ai, aip) = ANCHORS[last];
        let taylor = airy_taylor(10.0, ai, aip, 0.25);
        let asym = airy_positive_asymptotic(10.25);
        assert!((taylor.0 / asym.0 - 1.0).abs() < 4e-15, "{taylor:?} {asym:?}");
        assert!((taylor.1 / asym.1 - 1.0).abs() < 4e-15, "{taylor:?} {asym:?}");
        let (ai, aip) = ANCHORS[0];
        let taylor = airy_taylor(-16.0, ai, aip, -0.25);
        let asym = airy_negative_asymptotic(16.25);
        assert!((taylor.0 - asym.0).abs() < 1e-14, "{taylor:?} {asym:?}");
        assert!((taylor.1 - asym.1).abs() < 1e-14, "{taylor:?} {asym:?}");
    }

    #[test]
    fn closed_form_values_at_zero() {
        // source: DLMF 9.2.3–9.2.4, Ai(0) = 3^{−2/3}/Γ(2/3), Ai′(0) = −3^{−1/3}/Γ(1/3).
        let (ai, aip) = airy(0.0);
        assert!((ai - 0.355_028_053_887_817_2).abs() < 1e-16);
        assert!((aip + 0.258_819_403_792_806_8).abs() < 1e-16);
        assert!(airy(f64::NAN).0.is_nan());
        assert_eq!(airy(1e4), (0.0, -0.0));
    }
}
