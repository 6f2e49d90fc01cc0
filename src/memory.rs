//! Memory budgeting: estimate before allocating, refuse with the estimate.
//!
//! The limit is `RMSPEC_MAX_MEMORY` when set (bytes, or with a K/M/G/T suffix, powers of 1024),
//! otherwise 80% of the memory the kernel reports as available (`MemAvailable` in
//! /proc/meminfo), otherwise 8 GiB.

use crate::error::{Error, Result};

const FALLBACK_LIMIT: u64 = 8 << 30;

/// The memory limit in force, in bytes.
pub fn limit_bytes() -> u64 {
    if let Ok(text) = std::env::var("RMSPEC_MAX_MEMORY") {
        if let Some(bytes) = parse_size(&text) {
            return bytes;
        }
    }
    available_bytes().map(|b| b / 5 * 4).unwrap_or(FALLBACK_LIMIT)
}

fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Parses "123", "512M", "4G", "1.5T" (powers of 1024).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, multiplier) = match text.chars().last()? {
        'k' | 'K' => (&text[..text.len() - 1], 1u64 << 10),
        'm' | 'M' => (&text[..text.len() - 1], 1 << 20),
        'g' | 'G' => (&text[..text.len() - 1], 1 << 30),
        't' | 'T' => (&text[..text.len() - 1], 1 << 40),
        _ => (text, 1),
    };
    let value: f64 = number.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some((value * multiplier as f64) as u64)
}

/// Sums a list of (count × bytes-per-item) terms without overflow.
pub fn estimate(terms: &[(u128, u128)]) -> u128 {
    terms.iter().map(|(count, size)| count.saturating_mul(*size)).fold(0u128, u128::saturating_add)
}

/// Refuses when `required` exceeds the limit in force.
///
/// # Errors
/// [`Error::TooLarge`] naming `what` and the estimate.
pub fn ensure_fits(what: impl FnOnce() -> String, required: u128) -> Result<()> {
    let limit = limit_bytes();
    if required > limit as u128 {
        return Err(Error::TooLarge {
            what: what(),
            required_bytes: required.min(u64::MAX as u128) as u64,
            limit_bytes: limit,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("-1G"), None);
    }

    #[test]
    fn huge_requests_are_refused_with_the_estimate() {
        let required = estimate(&[(1_000_000u128 * 1_000_000, 8)]);
        let err = ensure_fits(|| "one 10⁶×10⁶ matrix".into(), required).unwrap_err();
        assert!(err.to_string().starts_with("one 10⁶×10⁶ matrix would need about 7.3 TiB"), "{err}");
    }
}
