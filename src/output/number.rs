//! The one family of number formatters behind every text rmspec prints: tables, titles, figure
//! labels, axis ticks and the report. All are deterministic (no locale, no system state).
//!
//! | function | for | examples |
//! |---|---|---|
//! | [`num`] | table cells: 6 significant digits, scientific outside [1e−3, 1e6) | `1.00000`, `123456`, `1.50000e-5`, `inf`, `-` (NaN) |
//! | [`short`] | parameters in titles and headings: at most 6 significant digits, trailing zeros trimmed | `0.5`, `1024`, `0.00138107`, `1.5e-7` |
//! | [`sig`] | the report and computed values in figure text: a chosen number of significant digits, scientific outside [1e−4, 1e6), the typographic minus `−` | `0.6667`, `1.5e-6`, `−0.6990` |
//! | [`sig_or_zero`] | as [`sig`], with rounding residue of an exact zero (below 1e−9) shown as `0` | |
//! | [`pm`] | mean ± standard error in tables ([`num`] for both) | `1.00000 ± 0.500000` |
//! | [`pm_sig`] | mean ± standard error in the report (4 and 2 significant digits) | `0.9995 ± 0.0010` |
//! | [`pm_sig_or_zero`] | as [`pm_sig`], `0` for a mean below 1e−9 | |
//! | [`pm_sig_or_exact`] | as [`pm_sig`], `(exact to rounding)` for a spread below 1e−12 of the mean | `1.265 (exact to rounding)` |
//! | [`tick`], [`log_tick`] | axis ticks: enough decimals to tell ticks apart, trailing zeros trimmed | `0.5`, `1.25e-5`, `3.2` |
//! | [`Column`] | a column of a CLI table: one notation for every cell, chosen from the column's largest value | `2.03010`, `0.00151`; or `1.18477e-4`, `4.02473e-3` |
//! | [`percent_change`] | a relative difference in CLI tables, in percent, signed, 2 decimals, never `-0.00%` | `+3.40%`, `-0.74%`, `0.00%` |
//! | [`signed_percent`] | a signed relative difference in the report: chosen decimals, `+` or `−` | `+3.4%`, `−13.6%` |
//! | [`figure`] | a number in figure text (titles, legends, labels): [`short`]'s digits with the typographic minus `−` of the tick labels | `1`, `0.25`, `−0.7` |
//! | [`figure_pm`] | an estimate ± standard error in figure text: the standard error to 1 significant digit (2 when it starts with 1), the estimate to the same decimals, `−` | `−0.70 ± 0.04` |
//! | [`minus`] | the typographic minus for a formatted number (never `−0`) | `−0.5` |
//!
//! The report and figures print negative numbers with the typographic minus `−` (U+2212), as the
//! tick labels do; CLI tables ([`num`], [`percent_change`]) keep the ASCII hyphen-minus, which
//! terminals and scripts expect.
//!
//! The helpers [`trim_fraction`] and [`trimmed_scientific`] are the trimming rule all of them
//! share.

/// Removes trailing zeros after a decimal point, and the point itself when nothing follows it
/// (`"2.500"` → `"2.5"`, `"3.000"` → `"3"`); text without a point is returned unchanged.
pub fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Scientific notation with `decimals` digits after the point and the mantissa trimmed by
/// [`trim_fraction`] (`1.50000e-7` → `1.5e-7`).
pub fn trimmed_scientific(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$e}");
    let (mantissa, exponent) = s.split_once('e').expect("scientific format has an exponent");
    format!("{}e{exponent}", trim_fraction(mantissa))
}

/// Fixed notation with `digits` significant digits for |v| ≥ 10^(digits − 1)… i.e. with
/// max(0, digits − 1 − ⌊log₁₀|v|⌋) decimals.
fn fixed(v: f64, digits: i32) -> String {
    let decimals = (digits - 1 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A number for table cells: 6 significant digits, scientific outside [1e−3, 1e6), `inf`,
/// `-inf`, `-` for NaN, `0` for zero.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        return "-".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    if (1e-3..1e6).contains(&v.abs()) {
        fixed(v, 6)
    } else {
        format!("{v:.5e}")
    }
}

/// A parameter for titles and headings: at most 6 significant digits, trailing zeros trimmed
/// (0.5, 0.00138107, 1.5e-7, 1024); non-finite values and zero as [`num`].
pub fn short(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return num(v);
    }
    if (1e-4..1e7).contains(&v.abs()) {
        return trim_fraction(&fixed(v, 6)).to_string();
    }
    trimmed_scientific(v, 5)
}

/// A number with `digits` significant digits (plain notation in [1e−4, 1e6)) and the
/// typographic minus of [`minus`] (`−0.6990`); non-finite values and zero as [`num`] (`inf`,
/// `0`). The report's and the figures' computed values.
pub fn sig(v: f64, digits: i32) -> String {
    if !v.is_finite() || v == 0.0 {
        return minus(num(v));
    }
    if !(1e-4..1e6).contains(&v.abs()) {
        return minus(format!("{:.*e}", (digits - 1).max(0) as usize, v));
    }
    minus(fixed(v, digits))
}

/// [`sig`], with values below 1e−9 in magnitude (rounding residue of exact zeros) shown as `0`.
pub fn sig_or_zero(v: f64, digits: i32) -> String {
    if v.abs() < 1e-9 {
        "0".into()
    } else {
        sig(v, digits)
    }
}

/// `mean ± stderr` with [`num`] for both; the mean alone when the standard error is not finite.
pub fn pm(mean: f64, stderr: f64) -> String {
    if stderr.is_finite() {
        format!("{} ± {}", num(mean), num(stderr))
    } else {
        num(mean)
    }
}

/// `mean ± stderr` with 4 significant digits for the mean and 2 for the standard error; the
/// mean alone when the standard error is not finite.
pub fn pm_sig(mean: f64, stderr: f64) -> String {
    if stderr.is_finite() {
        format!("{} ± {}", sig(mean, 4), sig(stderr, 2))
    } else {
        sig(mean, 4)
    }
}

/// [`pm_sig`], with a mean below 1e−9 in magnitude (rounding residue of an exact zero) shown as
/// `0`.
pub fn pm_sig_or_zero(mean: f64, stderr: f64) -> String {
    if mean.abs() < 1e-9 {
        "0".into()
    } else {
        pm_sig(mean, stderr)
    }
}

/// [`pm_sig`], or `value (exact to rounding)` when the standard error is below 10⁻¹² of the
/// mean: a spread that is floating-point rounding (orthogonal spectra) and whose digits depend
/// on the BLAS kernel, so they are not printed.
pub fn pm_sig_or_exact(mean: f64, stderr: f64) -> String {
    if stderr.is_finite() && stderr <= 1e-12 * mean.abs() {
        format!("{} (exact to rounding)", sig(mean, 4))
    } else {
        pm_sig(mean, stderr)
    }
}

/// An axis tick on a linear axis whose ticks are `step` apart: enough decimals to tell ticks
/// apart, trailing zeros trimmed, scientific outside [1e−3, 1e5), `0` for zero and for values
/// below 1e−9 of a step (rounding residue).
pub fn tick(v: f64, step: f64) -> String {
    if v == 0.0 || v.abs() < 1e-9 * step.abs() {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        let digits = if step > 0.0 { ((a / step).log10().ceil() as i32).clamp(1, 8) as usize } else { 1 };
        return trimmed_scientific(v, digits);
    }
    let decimals = if step > 0.0 { (-(step.log10().floor()) as i32 + 1).clamp(0, 12) as usize } else { 4 };
    let s = format!("{v:.decimals$}");
    match trim_fraction(&s) {
        "-0" => "0".into(),
        trimmed => trimmed.to_string(),
    }
}

/// One notation for every number of a table column, so that a column never mixes `1.18477e-4`
/// with `0.00402473`: when the column's largest finite magnitude M lies in [1e−3, 1e6), fixed
/// notation with the decimals that give M six significant digits (smaller values get as many
/// digits as those decimals allow; a value that rounds to zero prints as `0.000…`, never
/// `-0.000…`); otherwise scientific notation with 5 decimals for every cell. Non-finite values as
/// [`num`] (`inf`, `-inf`, `-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Decimals of fixed notation, or `None` for scientific.
    decimals: Option<usize>,
}

impl Column {
    /// The notation for a column holding `values`.
    pub fn for_values<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let largest = values.into_iter().filter(|v| v.is_finite()).map(f64::abs).fold(0.0, f64::max);
        if largest == 0.0 {
            return Column { decimals: Some(0) };
        }
        if (1e-3..1e6).contains(&largest) {
            Column { decimals: Some((5 - largest.log10().floor() as i32).max(0) as usize) }
        } else {
            Column { decimals: None }
        }
    }

    /// One cell.
    pub fn format(&self, v: f64) -> String {
        if !v.is_finite() {
            return num(v);
        }
        match self.decimals {
            Some(decimals) => {
                let s = format!("{v:.decimals$}");
                match s.strip_prefix('-') {
                    Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
                    _ => s,
                }
            }
            None if v == 0.0 => "0".into(),
            None => format!("{v:.5e}"),
        }
    }

    /// Every value of `values`, in this column's notation.
    pub fn format_all(values: &[f64]) -> Vec<String> {
        let column = Column::for_values(values.iter().copied());
        values.iter().map(|&v| column.format(v)).collect()
    }
}

/// `fraction` in percent with an explicit sign and `decimals` decimals (`+3.40%`, `-0.74%`);
/// unsigned zero (`0.00%`) when it rounds to zero either way.
fn signed_percent_ascii(fraction: f64, decimals: usize) -> String {
    let s = format!("{:+.decimals$}%", 100.0 * fraction);
    if s[1..].trim_end_matches('%').chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// The relative difference of `value` from `reference` in percent, signed, with 2 decimals
/// (`+3.40%`, `-0.74%`), for CLI tables; `0.00%` when it rounds to zero either way; `-` when
/// `reference` is zero or not finite.
pub fn percent_change(value: f64, reference: f64) -> String {
    if !reference.is_finite() || reference == 0.0 || !value.is_finite() {
        return "-".into();
    }
    signed_percent_ascii(value / reference - 1.0, 2)
}

/// A signed relative difference in the report's text and tables: `fraction` in percent with
/// `decimals` decimals, an explicit `+` and the typographic minus (`+3.4%`, `−13.6%`), never
/// `−0.0%`.
pub fn signed_percent(fraction: f64, decimals: usize) -> String {
    minus(signed_percent_ascii(fraction, decimals))
}

/// A tick on a log₁₀ axis at the exponent `v`: decades as `1`, `10`, … `10000`, `0.1`, `0.01`
/// and `1e-3`, `1e5`, …; between decades two significant digits (0.32, 3.2, 32).
pub fn log_tick(v: f64) -> String {
    let p = 10f64.powf(v);
    let rounded = v.round();
    if (v - rounded).abs() < 1e-9 {
        if (0.0..=4.0).contains(&rounded) {
            return format!("{}", p.round() as i64);
        }
        if (-2.0..0.0).contains(&rounded) {
            return tick(p, p);
        }
        return format!("1e{}", rounded as i64);
    }
    let digits = (1 - p.log10().floor() as i32).max(0) as usize;
    if (1e-3..1e5).contains(&p) {
        format!("{p:.digits$}")
    } else {
        tick(p, p * 0.1)
    }
}

/// The typographic minus (U+2212) in place of a leading hyphen-minus of a number (`-0.5`,
/// `-inf`); a value that rounds to zero loses its sign (`-0.00` → `0.00`); other text (`-` for
/// NaN) is returned unchanged. The report, figure text and tick labels use it.
pub fn minus(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
            let mantissa = rest.split('e').next().unwrap_or(rest);
            if mantissa.chars().any(|c| c.is_ascii_digit() && c != '0') {
                format!("−{rest}")
            } else {
                rest.to_string()
            }
        }
        Some(rest) if rest.starts_with("inf") => format!("−{rest}"),
        _ => s,
    }
}

/// A number in figure text (titles, legends, arrow labels): as [`short`] (at most 6 significant
/// digits, trailing zeros trimmed, so γ = 1 and γ = 0.25 read alike) with the typographic minus.
pub fn figure(v: f64) -> String {
    minus(short(v))
}

/// An estimate ± its standard error in figure text: the standard error rounded to one
/// significant digit (two when that digit would be 1), the estimate to the same decimals, with
/// the typographic minus (`−0.70 ± 0.04`); the estimate alone as [`figure`] when the standard
/// error is not finite and positive.
pub fn figure_pm(value: f64, stderr: f64) -> String {
    if !stderr.is_finite() || stderr <= 0.0 || !value.is_finite() {
        return figure(value);
    }
    let exponent = stderr.log10().floor() as i32;
    let leading = stderr / 10f64.powi(exponent);
    let digits = if leading < 1.95 { 2 } else { 1 };
    let decimals = (digits - 1 - exponent).max(0) as usize;
    format!("{} ± {stderr:.decimals$}", minus(format!("{value:.decimals$}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_numbers_use_one_minus_and_trimmed_digits() {
        assert_eq!(figure(1.0), "1");
        assert_eq!(figure(0.25), "0.25");
        assert_eq!(figure(-0.7), "−0.7");
        assert_eq!(figure_pm(-0.7012, 0.0412), "−0.70 ± 0.04");
        assert_eq!(figure_pm(-0.7312, 0.0152), "−0.731 ± 0.015");
        assert_eq!(figure_pm(12.34, 2.6), "12 ± 3");
        assert_eq!(figure_pm(-0.001, 0.04), "0.00 ± 0.04");
        assert_eq!(figure_pm(0.5, f64::NAN), "0.5");
        assert_eq!(minus("-0.000".into()), "0.000");
        assert_eq!(sig(-0.66123, 2), "−0.66");
    }

    #[test]
    fn table_numbers_keep_six_significant_digits() {
        // source: the strings rmspec printed before the formatters were gathered here (issue 9).
        let table: [(f64, &str); 12] = [
            (1.0, "1.00000"),
            (123456.0, "123456"),
            (999999.4, "999999"),
            (1e6, "1.00000e6"),
            (1.5e-5, "1.50000e-5"),
            (0.001, "0.00100000"),
            (-0.0625, "-0.0625000"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "-"),
            (9.53674e-7, "9.53674e-7"),
        ];
        for (v, want) in table {
            assert_eq!(num(v), want, "{v}");
        }
        assert_eq!(pm(1.0, 0.5), "1.00000 ± 0.500000");
        assert_eq!(pm(2.0, f64::NAN), "2.00000");
    }

    #[test]
    fn a_column_has_one_notation() {
        // The spectrum table's λ column of issue 15: 1.18477e-4 beside 0.00402473 before.
        assert_eq!(Column::format_all(&[1.18477e-4, 0.00402473]), ["0.00011848", "0.00402473"]);
        assert_eq!(Column::format_all(&[2.0301, 0.00151199, 4.1e-17]), ["2.03010", "0.00151", "0.00000"]);
        assert_eq!(Column::format_all(&[-1e-9, 1.0]), ["0.00000", "1.00000"]);
        assert_eq!(Column::format_all(&[1.5e-5, 2e-6]), ["1.50000e-5", "2.00000e-6"]);
        assert_eq!(Column::format_all(&[3e6, 0.0, f64::INFINITY, f64::NAN]), ["3.00000e6", "0", "inf", "-"]);
        assert_eq!(Column::format_all(&[0.0, 0.0]), ["0", "0"]);
        assert_eq!(Column::format_all(&[5.82843, 123.5]), ["5.828", "123.500"]);
    }

    #[test]
    fn report_numbers_use_the_typographic_minus() {
        // Issue 12: the report printed slopes as "-0.6990 ± 0.034" with a hyphen-minus.
        assert_eq!(sig(-0.69904, 4), "−0.6990");
        assert_eq!(pm_sig(-0.69904, 0.0341), "−0.6990 ± 0.034");
        assert_eq!(sig(-1.5e-6, 2), "−1.5e-6");
        assert_eq!(sig(f64::NEG_INFINITY, 2), "−inf");
        assert_eq!(sig(f64::NAN, 2), "-");
        assert_eq!(minus("-0.0e-5".into()), "0.0e-5");
        assert_eq!(sig(-0.00004, 1), "−4e-5");
        assert_eq!(signed_percent(-0.1364, 1), "−13.6%");
        assert_eq!(signed_percent(0.034, 2), "+3.40%");
        assert_eq!(signed_percent(-1e-5, 1), "0.0%");
        assert_eq!(signed_percent(2e-5, 1), "0.0%");
    }

    #[test]
    fn percent_changes_are_signed_and_never_negative_zero() {
        assert_eq!(percent_change(1.034, 1.0), "+3.40%");
        assert_eq!(percent_change(0.9926, 1.0), "-0.74%");
        assert_eq!(percent_change(1.0 - 1e-17, 1.0), "0.00%");
        assert_eq!(percent_change(1.0 - 1e-5, 1.0), "0.00%");
        assert_eq!(percent_change(1.0, 0.0), "-");
        assert_eq!(percent_change(1.0, f64::INFINITY), "-");
    }

    #[test]
    fn short_parameters_trim_zeros() {
        let table: [(f64, &str); 10] = [
            (0.5, "0.5"),
            (1024.0, "1024"),
            (0.00138107419, "0.00138107"),
            (1.5e-7, "1.5e-7"),
            (2e7, "2e7"),
            (0.6, "0.6"),
            (100.0 * 0.95, "95"),
            (1.0 / 3.0, "0.333333"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
        ];
        for (v, want) in table {
            assert_eq!(short(v), want, "{v}");
        }
    }

    #[test]
    fn significant_digits_for_the_report() {
        assert_eq!(sig(0.666666, 4), "0.6667");
        assert_eq!(sig(12.3456, 4), "12.35");
        assert_eq!(sig(1.5e-6, 2), "1.5e-6");
        assert_eq!(sig(4.0, 3), "4.00");
        assert_eq!(sig(288.4999, 4), "288.5");
        assert_eq!(sig(2e6, 3), "2.00e6");
        assert_eq!(sig(f64::NAN, 3), "-");
        assert_eq!(sig_or_zero(3e-10, 3), "0");
        assert_eq!(sig_or_zero(-0.5, 3), "−0.500");
        assert_eq!(pm_sig(0.99951, 0.00104), "0.9995 ± 0.0010");
        assert_eq!(pm_sig(1.0, f64::NAN), "1.000");
        assert_eq!(pm_sig_or_zero(1e-12, 0.1), "0");
        assert_eq!(pm_sig_or_zero(2.0, 0.1), "2.000 ± 0.10");
        assert_eq!(pm_sig_or_exact(1.2649, 4.4e-17), "1.265 (exact to rounding)");
        assert_eq!(pm_sig_or_exact(1.2649, 0.004), "1.265 ± 0.0040");
    }

    #[test]
    fn ticks_are_compact() {
        assert_eq!(tick(0.5, 0.1), "0.5");
        assert_eq!(tick(2.0, 1.0), "2");
        assert_eq!(tick(1.25e-5, 1e-6), "1.25e-5");
        // Ticks 1e-5 apart near 0.0013 need five decimals to differ.
        assert_eq!(tick(0.00131, 1e-5), "0.00131");
        assert_eq!(tick(0.00132, 1e-5), "0.00132");
        assert_eq!(tick(-1e-12, 0.1), "0");
        assert_eq!(tick(-0.00004, 0.5), "-4e-5");
        assert_eq!(tick(250000.0, 50000.0), "2.5e5");
        assert_eq!(log_tick(2.0), "100");
        assert_eq!(log_tick(-3.0), "1e-3");
        assert_eq!(log_tick(-1.0), "0.1");
        assert_eq!(log_tick(0.5), "3.2");
        assert_eq!(log_tick(-0.5), "0.32");
        assert_eq!(log_tick(1.5), "32");
        assert_eq!(log_tick(6.0), "1e6");
    }
}
