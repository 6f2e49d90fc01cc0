//! Axis ticks at 1-2-5 values and their labels, in one number format per axis.
//!
//! A linear axis gets ticks at multiples of a step 1, 2 or 5 × 10ᵏ; every label has the same
//! number of decimals, and when the ticks are all below 0.01 or reach 10⁵ a common power of ten
//! is taken out and named in the axis label ("in units of 10⁻³"). A log axis gets ticks at
//! decades, or at 1, 2 and 5 per decade when the range spans few decades; labels are plain
//! decimals (0.5, 1, 20) when every tick lies in [10⁻³, 10⁵) and powers of ten (10⁻⁶, 2×10⁻⁶)
//! otherwise. Candidate tick sets are offered densest first; the layout takes the first whose
//! labels do not collide.

use super::text::{power_of_ten, superscript};
use super::Scale;
use crate::output::number::minus;

/// Ticks of an axis: positions in data units, their labels, and the power of ten taken out of
/// the labels (to be named in the axis label), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// (value, label) in increasing value.
    pub ticks: Vec<(f64, String)>,
    /// The labels are the values divided by 10 to this power.
    pub factor: Option<i64>,
}

impl Ticks {
    /// The axis label with the factor named, if any.
    pub fn axis_label(&self, label: &str) -> String {
        match self.factor {
            Some(k) => format!("{label}, in units of {}", power_of_ten(k)),
            None => label.to_string(),
        }
    }
}

/// Linear ticks with step `mantissa`·10^`exponent` over [lo, hi].
fn linear(lo: f64, hi: f64, mantissa: f64, exponent: i32) -> Ticks {
    let step = mantissa * 10f64.powi(exponent);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let largest = values.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let factor = (largest > 0.0 && !(1e-2..1e5).contains(&largest)).then(|| largest.log10().floor() as i64);
    let scale = factor.map_or(1.0, |k| 10f64.powi(k as i32));
    let decimals = (-(exponent as i64) + factor.unwrap_or(0)).max(0) as usize;
    let ticks = values.iter().map(|&v| (v, minus(format!("{:.*}", decimals, v / scale)))).collect();
    Ticks { ticks, factor }
}

/// A positive tick value as a plain decimal with as many decimals as it needs.
fn plain(v: f64) -> String {
    let decimals = (-(v.log10().floor()) as i64).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `2×10⁻³`, or `10⁻³` for a decade.
fn power(v: f64) -> String {
    let k = v.log10().floor() as i64;
    let mantissa = (v / 10f64.powi(k as i32)).round() as i64;
    if mantissa == 1 {
        power_of_ten(k)
    } else {
        format!("{mantissa}×10{}", superscript(k))
    }
}

/// Log ticks at `mantissas` × 10ᵏ for every k, keeping every `every`-th decade.
fn logarithmic(lo: f64, hi: f64, mantissas: &[f64], every: i64) -> Ticks {
    let (k0, k1) = (lo.log10().floor() as i64 - 1, hi.log10().ceil() as i64 + 1);
    let mut values = Vec::new();
    for k in (k0..=k1).filter(|k| k.rem_euclid(every) == 0) {
        for &m in mantissas {
            let v = m * 10f64.powi(k as i32);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                values.push(v);
            }
        }
    }
    let all_plain = values.iter().all(|v| (1e-3..1e5).contains(v));
    let ticks = values.iter().map(|&v| (v, if all_plain { plain(v) } else { power(v) })).collect();
    Ticks { ticks, factor: None }
}

/// Candidate tick sets for [lo, hi] (data units) in order of preference: on a linear axis the
/// sets closest to six ticks first; on a log axis 1-2-5 per decade (when that gives three ticks
/// or more), then denser sets for narrow ranges, then decades, every second decade, and so on.
pub fn candidates(lo: f64, hi: f64, scale: Scale) -> Vec<Ticks> {
    let mut out = Vec::new();
    match scale {
        Scale::Linear => {
            let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
            let top = span.log10().floor() as i32;
            for exponent in top - 2..=top {
                for mantissa in [1.0, 2.0, 5.0] {
                    let t = linear(lo, hi, mantissa, exponent);
                    if (2..=12).contains(&t.ticks.len()) {
                        out.push(t);
                    }
                }
            }
            out.sort_by_key(|t| ((t.ticks.len() as i64 - 6).abs(), t.ticks.len()));
            if out.is_empty() {
                out.push(linear(lo, hi, 1.0, top - 1));
            }
        }
        Scale::Log10 => {
            let decades = (hi / lo).log10();
            let one_two_five = logarithmic(lo, hi, &[1.0, 2.0, 5.0], 1);
            if decades < 4.0 && one_two_five.ticks.len() >= 3 {
                out.push(one_two_five);
            } else if decades < 1.5 {
                out.push(logarithmic(lo, hi, &[1.0, 2.0, 3.0, 5.0], 1));
                out.push(logarithmic(lo, hi, &[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1));
            }
            for every in [1, 2, 3, 5, 10, 20, 50] {
                out.push(logarithmic(lo, hi, &[1.0], every));
            }
            out.retain(|t| t.ticks.len() >= 2 && t.ticks.len() <= 14);
            if out.is_empty() {
                out.push(logarithmic(lo, hi, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &Ticks) -> Vec<&str> {
        t.ticks.iter().map(|(_, l)| l.as_str()).collect()
    }

    fn is_one_two_five(v: f64) -> bool {
        let m = v.abs() / 10f64.powi(v.abs().log10().floor() as i32);
        [1.0, 2.0, 5.0].iter().any(|x| (m - x).abs() < 1e-9)
    }

    #[test]
    fn linear_ticks_share_one_format() {
        let t = linear(0.0, 2.6, 1.0, 0);
        assert_eq!(labels(&t), ["0", "1", "2"]);
        let t = linear(0.0, 2.6, 5.0, -1);
        assert_eq!(labels(&t), ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]);
        // Small eigenvalues: the power of ten goes to the axis label, not into each tick (no
        // "5e-4" beside "0.001").
        let t = linear(0.0, 0.0043, 1.0, -3);
        assert_eq!(labels(&t), ["0", "1", "2", "3", "4"]);
        assert_eq!(t.factor, Some(-3));
        assert_eq!(t.axis_label("λ"), "λ, in units of 10⁻³");
        let t = linear(-0.02, 0.02, 1.0, -2);
        assert_eq!(labels(&t), ["−0.02", "−0.01", "0.00", "0.01", "0.02"]);
    }

    #[test]
    fn log_ticks_are_at_one_two_five() {
        let preferred = &candidates(0.3, 20.0, Scale::Log10)[0];
        assert!(preferred.ticks.iter().all(|(v, _)| is_one_two_five(*v)));
        let t = logarithmic(0.3, 20.0, &[1.0, 2.0, 5.0], 1);
        assert_eq!(labels(&t), ["0.5", "1", "2", "5", "10", "20"]);
        let t = logarithmic(1e-7, 1e-2, &[1.0], 1);
        assert_eq!(labels(&t), ["10⁻⁷", "10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²"]);
        // No tick at 40, 63, 158 (the old log axis): only 1-2-5 multiples.
        let t = logarithmic(32.0, 512.0, &[1.0, 2.0, 5.0], 1);
        assert_eq!(labels(&t), ["50", "100", "200", "500"]);
    }

    #[test]
    fn linear_candidates_are_one_two_five_steps() {
        let all = candidates(0.0, 0.0115, Scale::Linear);
        assert!(!all.is_empty());
        for t in &all {
            let step = t.ticks[1].0 - t.ticks[0].0;
            assert!(is_one_two_five(step), "{step}");
        }
    }
}
