//! Memory budgeting: estimate before allocating, refuse with the estimate.
//!
//! The limit is `RMSPEC_MAX_MEMORY` when set (bytes, or with a K/M/G/T suffix, powers of 1024;
//! a value that is not such a size, such as `abc`, `-1G` or `1e400`, is an error naming the
//! variable, never silently ignored), otherwise 80% of the memory the kernel reports as available
//! (`MemAvailable` in /proc/meminfo), otherwise 8 GiB. Under an address-space limit (RLIMIT_AS:
//! `ulimit -v`, `prlimit --as`, a batch system's virtual-memory cap) the limit is at most 80% of
//! the room that limit leaves ([`address_space_room`]), whichever way it was set: an allocation
//! beyond RLIMIT_AS aborts the process, so a request is refused by its estimate first.

use crate::error::{Error, Result};

const FALLBACK_LIMIT: u64 = 8 << 30;

/// The environment variable that sets the limit.
pub const LIMIT_VARIABLE: &str = "RMSPEC_MAX_MEMORY";

/// The memory limit in force, in bytes.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `RMSPEC_MAX_MEMORY` when it is set to something that is not
/// a size below 2⁶⁴ bytes (or is not Unicode).
pub fn limit_bytes() -> Result<u64> {
    let configured = match std::env::var_os(LIMIT_VARIABLE) {
        Some(value) => {
            let text = value.to_string_lossy();
            parse_size(&text).ok_or_else(|| {
                Error::invalid(
                    LIMIT_VARIABLE,
                    format!("'{text}'"),
                    "must be a size in bytes, optionally with a K, M, G or T suffix (powers of 1024), below 2^64",
                )
            })?
        }
        None => available_bytes().map(|b| b / 5 * 4).unwrap_or(FALLBACK_LIMIT),
    };
    Ok(address_space_room().map_or(configured, |room| configured.min(room / 5 * 4)))
}

/// The address space this process may still map under its soft RLIMIT_AS: the limit (the
/// "Max address space" line of /proc/self/limits) less the current virtual size (`VmSize` in
/// /proc/self/status). `None` when there is no such limit or it cannot be read.
///
/// Only 80% of it is granted to an estimate ([`limit_bytes`]): the estimates count the arrays a
/// phase allocates, while the address space also holds what is mapped later without being counted
/// (thread stacks and malloc arenas of the worker threads, OpenBLAS's buffers), which RSS does not
/// see but RLIMIT_AS does.
pub fn address_space_room() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max address space"))?;
    let soft: u64 = line["Max address space".len()..].split_whitespace().next()?.parse().ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    let used_kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(soft.saturating_sub(used_kib.saturating_mul(1024)))
}

fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Parses "123", "512M", "4G", "1.5T" (powers of 1024); `None` for anything else, for negative
/// or non-finite numbers and for sizes of 2⁶⁴ bytes or more.
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
    let bytes = value * multiplier as f64;
    // 2⁶⁴ as f64 is exact; `as u64` would saturate silently above it.
    (value.is_finite() && value >= 0.0 && bytes < 18_446_744_073_709_551_616.0).then_some(bytes as u64)
}

/// Sums a list of (count × bytes-per-item) terms without overflow.
pub fn estimate(terms: &[(u128, u128)]) -> u128 {
    terms.iter().map(|(count, size)| count.saturating_mul(*size)).fold(0u128, u128::saturating_add)
}

/// Refuses when `required` exceeds the limit in force.
///
/// # Errors
/// [`Error::TooLarge`] naming `what` and the estimate; an invalid `RMSPEC_MAX_MEMORY`.
pub fn ensure_fits(what: impl FnOnce() -> String, required: u128) -> Result<()> {
    let limit = limit_bytes()?;
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
        assert_eq!(parse_size("1e400"), None);
        assert_eq!(parse_size("16777216T"), None, "2^64 bytes");
        assert_eq!(parse_size("NaN"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn huge_requests_are_refused_with_the_estimate() {
        let required = estimate(&[(1_000_000u128 * 1_000_000, 8)]);
        let err = ensure_fits(|| "one 10⁶×10⁶ matrix".into(), required).unwrap_err();
        assert!(err.to_string().starts_with("one 10⁶×10⁶ matrix would need about 7.3 TiB"), "{err}");
    }
}
