//! Result documents and their writers: JSON (serde), plain-text tables, and atomic file output.
//!
//! Every file rmspec writes goes through [`write_atomic`]: the bytes go to a temporary file in
//! the target directory, which is flushed and then renamed over the target, so a reader (or an
//! interrupted run) never sees a half-written file.

use crate::error::{Error, Result};
use crate::law::{SpectralLaw, Support};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
/// Creates missing parent directories.
///
/// # Errors
/// [`Error::InvalidInput`] naming the path and the OS error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_error = |what: &str, e: std::io::Error| Error::InvalidInput(format!("{what} {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| io_error("cannot create the directory of", e))?;
    let file_name =
        path.file_name().ok_or_else(|| Error::InvalidInput(format!("{} is not a file path", path.display())))?;
    let temporary = dir.join(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(io_error("cannot write", e));
    }
    Ok(())
}

/// Checks, before any work is done, that files can be created in `dir` (creating it if needed).
///
/// # Errors
/// [`Error::InvalidInput`] naming the directory and the OS error.
pub fn ensure_writable_dir(dir: &Path) -> Result<()> {
    let fail = |e: std::io::Error| Error::InvalidInput(format!("cannot write to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(format!(".rmspec-write-probe.{}", std::process::id()));
    std::fs::File::create(&probe).map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Pretty JSON with a trailing newline.
///
/// # Errors
/// Serialisation failure (not expected for rmspec's own types).
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::InvalidInput(format!("JSON serialisation failed: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// A point evaluation `{x, value}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    /// Where the function was evaluated.
    pub x: f64,
    /// Its value.
    pub value: f64,
}

/// A quantile `{p, value}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuantileValue {
    /// Probability.
    pub p: f64,
    /// The quantile.
    pub value: f64,
}

/// Moments of a law.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moments {
    /// E X.
    pub mean: f64,
    /// Var X.
    pub variance: f64,
    /// Raw moments E Xᵏ for k = 1, 2, …, where the law has them in closed form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub raw: Vec<f64>,
}

/// The document printed by `rmspec law …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LawReport {
    /// The law's name (`marchenko-pastur`, `tracy-widom`).
    pub law: String,
    /// The law's parameters (e.g. `gamma`, `variance`; or `beta`), in that order.
    #[serde(flatten)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// The convention the law refers to.
    pub normalization: String,
    /// Support of the continuous part.
    pub support: Support,
    /// Point mass at zero.
    pub atom_at_zero: f64,
    /// Moments.
    pub moments: Moments,
    /// CDF values (atom included), in the order asked.
    pub cdf: Vec<Evaluation>,
    /// Density values of the continuous part, in the order asked.
    pub density: Vec<Evaluation>,
    /// Quantiles, in the order asked.
    pub quantile: Vec<QuantileValue>,
}

/// Where to evaluate a law: CDF and density abscissae, quantile probabilities.
#[derive(Debug, Clone, Copy, Default)]
pub struct LawQuery<'a> {
    /// Abscissae for the CDF.
    pub cdf: &'a [f64],
    /// Abscissae for the density.
    pub density: &'a [f64],
    /// Probabilities for the quantile.
    pub quantile: &'a [f64],
}

impl LawReport {
    /// Evaluates `law` at the requested points. `parameters` are the law's own (in order) and
    /// `raw_moments` its closed-form raw moments, if any.
    ///
    /// # Errors
    /// A probability outside [0, 1] or a NaN abscissa.
    pub fn evaluate<L: SpectralLaw>(
        law: &L,
        name: &str,
        parameters: serde_json::Map<String, serde_json::Value>,
        raw_moments: Vec<f64>,
        query: LawQuery<'_>,
    ) -> Result<Self> {
        for &x in query.cdf.iter().chain(query.density) {
            if x.is_nan() {
                return Err(Error::invalid("x", x, "must be a number"));
            }
        }
        Ok(LawReport {
            law: name.to_string(),
            parameters,
            normalization: crate::NORMALIZATION.to_string(),
            support: law.support(),
            atom_at_zero: law.atom_at_zero(),
            moments: Moments { mean: law.mean(), variance: law.variance(), raw: raw_moments },
            cdf: query.cdf.iter().map(|&x| Evaluation { x, value: law.cdf(x) }).collect(),
            density: query.density.iter().map(|&x| Evaluation { x, value: law.density(x) }).collect(),
            quantile: query
                .quantile
                .iter()
                .map(|&p| Ok(QuantileValue { p, value: law.quantile(p)? }))
                .collect::<Result<_>>()?,
        })
    }
}

/// A plain-text table with right-aligned numeric columns.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table with these column headings.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(header: I) -> Self {
        TextTable { header: header.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    /// Appends a row.
    pub fn row<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, cells: I) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Renders with columns padded to their widest cell; the first column left-aligned.
    pub fn render(&self) -> String {
        let columns = self.header.len();
        let width = |c: usize| {
            std::iter::once(&self.header)
                .chain(&self.rows)
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..columns).map(width).collect();
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (c, w) in widths.iter().enumerate() {
                let cell = cells.get(c).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                if c == 0 {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                } else {
                    out.push_str("  ");
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.header);
        out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

/// Formats a number for tables: 6 significant digits, scientific outside [1e-3, 1e6), `inf`.
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
    let a = v.abs();
    if (1e-3..1e6).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.5e}")
    }
}

/// Formats a parameter compactly for titles and headings: at most 6 significant digits,
/// trailing zeros trimmed (0.5, 0.00138107, 1.5e-7, 1024).
pub fn short(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return num(v);
    }
    let a = v.abs();
    if (1e-4..1e7).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            return s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        return s;
    }
    let s = format!("{v:.5e}");
    let (mantissa, exponent) = s.split_once('e').expect("scientific format has an exponent");
    let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
    format!("{mantissa}e{exponent}")
}

/// Formats `mean ± stderr`.
pub fn pm(mean: f64, stderr: f64) -> String {
    if stderr.is_finite() {
        format!("{} ± {}", num(mean), num(stderr))
    } else {
        num(mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("x.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn unwritable_directory_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        // A path below a regular file cannot be a directory.
        let err = ensure_writable_dir(&file.join("plots")).unwrap_err();
        assert!(err.to_string().starts_with("invalid input: cannot write to"), "{err}");
        assert!(write_atomic(&file.join("a.svg"), b"x").is_err());
    }

    #[test]
    fn tables_align_and_numbers_format() {
        let mut t = TextTable::new(["name", "value"]);
        t.row(["a", "1"]);
        t.row(["long name", "12.5"]);
        assert_eq!(t.render(), "name       value\n---------  -----\na              1\nlong name   12.5\n");
        assert_eq!(num(1.0), "1.00000");
        assert_eq!(num(123456.0), "123456");
        assert_eq!(num(1.5e-5), "1.50000e-5");
        assert_eq!(num(f64::INFINITY), "inf");
        assert_eq!(pm(1.0, 0.5), "1.00000 ± 0.500000");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(1024.0), "1024");
        assert_eq!(short(0.00138107419), "0.00138107");
        assert_eq!(short(1.5e-7), "1.5e-7");
    }
}
