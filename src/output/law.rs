//! `rmspec law mp` and `rmspec law tw`: a law evaluated at the points asked, as its JSON document
//! ([`MarchenkoPasturDocument`], [`TracyWidomDocument`]: each carries only its own law's fields)
//! and as tables.

use super::number::{short, Column};
use super::prose::{wrap, LINE_WIDTH};
use super::table::Table;
use crate::error::{Error, Result};
use crate::law::{MarchenkoPastur, SpectralLaw, Support, TracyWidom};
use crate::provenance::Format;
use serde::Serialize;
use std::str::FromStr;

/// The format of `rmspec law mp --json`.
pub const MARCHENKO_PASTUR_FORMAT: Format = Format::new("rmspec-law-marchenko-pastur", 1);
/// The format of `rmspec law tw --json`.
pub const TRACY_WIDOM_FORMAT: Format = Format::new("rmspec-law-tracy-widom", 1);

/// The most points a `--grid` may have (each Tracy–Widom point costs about a millisecond).
pub const MAX_GRID_POINTS: usize = 100_000;

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

/// CDF and density at one grid point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridPoint {
    /// The abscissa.
    pub x: f64,
    /// CDF (atom included).
    pub cdf: f64,
    /// Density of the continuous part.
    pub density: f64,
}

/// `count` evenly spaced abscissae from `lower` to `upper`, both included (`lo:hi:count` on the
/// command line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    lower: f64,
    upper: f64,
    count: usize,
}

impl Grid {
    /// The grid's abscissae: lower + i·(upper − lower)/(count − 1), i = 0, …, count − 1.
    pub fn points(&self) -> impl Iterator<Item = f64> + '_ {
        let step = (self.upper - self.lower) / (self.count - 1) as f64;
        (0..self.count).map(move |i| if i + 1 == self.count { self.upper } else { self.lower + i as f64 * step })
    }
}

impl FromStr for Grid {
    type Err = Error;

    /// `lo:hi:count` with finite lo < hi and 2 ≤ count ≤ [`MAX_GRID_POINTS`].
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &'static str| Error::invalid("grid", format!("'{s}'"), why);
        let parts: Vec<&str> = s.split(':').collect();
        let [lower, upper, count] = parts[..] else {
            return Err(bad("must be lo:hi:count, e.g. 0:4:101"));
        };
        let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (Some(lower), Some(upper)) = (number(lower), number(upper)) else {
            return Err(bad("lo and hi must be finite numbers, e.g. 0:4:101"));
        };
        if lower >= upper {
            return Err(bad("lo must be below hi"));
        }
        match count.trim().parse::<usize>() {
            Ok(count) if (2..=MAX_GRID_POINTS).contains(&count) => Ok(Grid { lower, upper, count }),
            _ => Err(bad("count must be a whole number from 2 to 100000")),
        }
    }
}

/// Where to evaluate a law: CDF and density abscissae, quantile probabilities, a grid.
#[derive(Debug, Clone, Copy, Default)]
pub struct LawQuery<'a> {
    /// Abscissae for the CDF.
    pub cdf: &'a [f64],
    /// Abscissae for the density.
    pub density: &'a [f64],
    /// Probabilities for the quantile.
    pub quantile: &'a [f64],
    /// A grid for CDF and density together.
    pub grid: Option<Grid>,
}

/// The evaluations asked for, in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluations {
    /// CDF values (atom included).
    pub cdf: Vec<Evaluation>,
    /// Density values of the continuous part.
    pub density: Vec<Evaluation>,
    /// Quantiles.
    pub quantile: Vec<QuantileValue>,
    /// CDF and density on the grid (empty without `--grid`).
    pub grid: Vec<GridPoint>,
}

impl Evaluations {
    /// Evaluates `law` at the points of `query`.
    ///
    /// # Errors
    /// A NaN abscissa or a probability outside [0, 1].
    pub fn of<L: SpectralLaw>(law: &L, query: LawQuery<'_>) -> Result<Self> {
        if let Some(&x) = query.cdf.iter().chain(query.density).find(|x| x.is_nan()) {
            return Err(Error::invalid("x", x, "must be a number"));
        }
        Ok(Evaluations {
            cdf: query.cdf.iter().map(|&x| Evaluation { x, value: law.cdf(x) }).collect(),
            density: query.density.iter().map(|&x| Evaluation { x, value: law.density(x) }).collect(),
            quantile: query
                .quantile
                .iter()
                .map(|&p| Ok(QuantileValue { p, value: law.quantile(p)? }))
                .collect::<Result<_>>()?,
            grid: query
                .grid
                .iter()
                .flat_map(Grid::points)
                .map(|x| GridPoint { x, cdf: law.cdf(x), density: law.density(x) })
                .collect(),
        })
    }

    /// One table per kind of evaluation asked, each preceded by a blank line.
    fn text(&self) -> String {
        let mut out = String::new();
        let mut section = |head: &str, name: &str, rows: Vec<(f64, f64)>| {
            if !rows.is_empty() {
                let (xs, vs): (Vec<f64>, Vec<f64>) = rows.into_iter().unzip();
                out.push('\n');
                out.push_str(&columns_table(&[head, name], &[&xs, &vs]));
            }
        };
        section("x", "cdf", self.cdf.iter().map(|e| (e.x, e.value)).collect());
        section("x", "density", self.density.iter().map(|e| (e.x, e.value)).collect());
        section("p", "quantile", self.quantile.iter().map(|q| (q.p, q.value)).collect());
        if !self.grid.is_empty() {
            let column = |f: fn(&GridPoint) -> f64| self.grid.iter().map(f).collect::<Vec<f64>>();
            out.push('\n');
            out.push_str(&columns_table(
                &["x", "cdf", "density"],
                &[&column(|g| g.x), &column(|g| g.cdf), &column(|g| g.density)],
            ));
        }
        out
    }
}

/// A table whose first column holds the abscissae or probabilities asked for (as [`short`]
/// writes parameters) and whose other columns are values, each in one notation ([`Column`]).
fn columns_table(header: &[&str], columns: &[&[f64]]) -> String {
    let formatted: Vec<Vec<String>> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.iter().map(|&x| short(x)).collect() } else { Column::format_all(c) })
        .collect();
    let mut t = Table::new(header.iter().copied());
    for i in 0..columns.first().map_or(0, |c| c.len()) {
        t.row(formatted.iter().map(|c| c[i].clone()));
    }
    t.render()
}

/// Moments of the Marchenko–Pastur law.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarchenkoPasturMoments {
    /// E λ = s2.
    pub mean: f64,
    /// Var λ = γ·s2².
    pub variance: f64,
    /// Raw moments E λᵏ for k = 1, …, 4.
    pub raw: Vec<f64>,
}

/// `rmspec law mp --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarchenkoPasturDocument {
    /// Always `marchenko-pastur`.
    pub law: &'static str,
    /// Aspect ratio γ = m/n.
    pub gamma: f64,
    /// Entry variance s2.
    pub variance: f64,
    /// The convention the law is the limit for ([`crate::NORMALIZATION`]).
    pub normalization: &'static str,
    /// Support of the continuous part, s2(1 ± √γ)².
    pub support: Support,
    /// Point mass at zero, max(0, 1 − 1/γ).
    pub atom_at_zero: f64,
    /// Moments.
    pub moments: MarchenkoPasturMoments,
    /// The evaluations.
    #[serde(flatten)]
    pub at: Evaluations,
}

impl MarchenkoPasturDocument {
    /// The document for `law` evaluated at `query`.
    ///
    /// # Errors
    /// As [`Evaluations::of`].
    pub fn new(law: &MarchenkoPastur, query: LawQuery<'_>) -> Result<Self> {
        Ok(MarchenkoPasturDocument {
            law: "marchenko-pastur",
            gamma: law.gamma(),
            variance: law.sigma2(),
            normalization: crate::NORMALIZATION,
            support: law.support(),
            atom_at_zero: law.atom_at_zero(),
            moments: MarchenkoPasturMoments {
                mean: law.mean(),
                variance: law.variance(),
                raw: (1..=4).map(|k| law.moment(k)).collect(),
            },
            at: Evaluations::of(law, query)?,
        })
    }

    /// The tables `rmspec law mp` prints.
    pub fn text(&self) -> String {
        let mut rows: Vec<(String, f64)> = vec![
            ("support lower".into(), self.support.lower),
            ("support upper".into(), self.support.upper),
            ("atom at zero".into(), self.atom_at_zero),
            ("mean".into(), self.moments.mean),
            ("variance".into(), self.moments.variance),
        ];
        rows.extend(self.moments.raw.iter().enumerate().map(|(k, &m)| (format!("E[x^{}]", k + 1), m)));
        format!(
            "Marchenko–Pastur law, γ = {}, s2 = {}\nconvention: {}\n\n{}{}",
            short(self.gamma),
            short(self.variance),
            self.normalization,
            quantity_table(&rows),
            self.at.text()
        )
    }
}

/// A two-column table of named values in one notation.
fn quantity_table(rows: &[(String, f64)]) -> String {
    let column = Column::for_values(rows.iter().map(|r| r.1));
    let mut t = Table::new(["quantity", "value"]);
    for (name, value) in rows {
        t.row([name.clone(), column.format(*value)]);
    }
    t.render()
}

/// The β convention of `rmspec law tw`.
pub const TW_CONVENTION: &str = "Tracy-Widom (1994, 1996) normalisation: beta = 1 is the limit of the centred and \
scaled largest eigenvalue of real symmetric (GOE) and real Wishart matrices, beta = 2 of complex Hermitian (GUE) ones";

/// Moments of a Tracy–Widom law.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TracyWidomMoments {
    /// E TW_β.
    pub mean: f64,
    /// Var TW_β.
    pub variance: f64,
}

/// `rmspec law tw --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracyWidomDocument {
    /// Always `tracy-widom`.
    pub law: &'static str,
    /// Dyson index β (1 or 2).
    pub beta: u8,
    /// [`TW_CONVENTION`].
    pub description: &'static str,
    /// The whole line: −∞ to +∞.
    pub support: Support,
    /// Moments.
    pub moments: TracyWidomMoments,
    /// The evaluations.
    #[serde(flatten)]
    pub at: Evaluations,
}

impl TracyWidomDocument {
    /// The document for `law` evaluated at `query`.
    ///
    /// # Errors
    /// As [`Evaluations::of`].
    pub fn new(law: &TracyWidom, query: LawQuery<'_>) -> Result<Self> {
        Ok(TracyWidomDocument {
            law: "tracy-widom",
            beta: law.beta().value(),
            description: TW_CONVENTION,
            support: law.support(),
            moments: TracyWidomMoments { mean: law.mean(), variance: law.variance() },
            at: Evaluations::of(law, query)?,
        })
    }

    /// The tables `rmspec law tw` prints.
    pub fn text(&self) -> String {
        let rows = [("mean".to_string(), self.moments.mean), ("variance".to_string(), self.moments.variance)];
        format!(
            "Tracy–Widom law TW{}, on the whole line\n{}\n{}{}",
            if self.beta == 1 { "₁" } else { "₂" },
            wrap(TW_CONVENTION, LINE_WIDTH, "  "),
            quantity_table(&rows),
            self.at.text()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_include_both_ends_and_reject_what_is_not_lo_hi_count() {
        let grid: Grid = "-1:1:5".parse().unwrap();
        assert_eq!(grid.points().collect::<Vec<_>>(), [-1.0, -0.5, 0.0, 0.5, 1.0]);
        let grid: Grid = "0:0.3:4".parse().unwrap();
        assert_eq!(grid.points().last(), Some(0.3));
        for bad in ["1:0:5", "0:1:1", "0:1", "a:1:3", "0:inf:3", "0:1:2.5", "0:1:100001", "0:1:3:4"] {
            let err = bad.parse::<Grid>().unwrap_err().to_string();
            assert!(err.starts_with(&format!("invalid grid = '{bad}'")), "{err}");
        }
    }

    #[test]
    fn a_tracy_widom_document_has_no_marchenko_pastur_fields() {
        let tw = TracyWidomDocument::new(&TracyWidom::new(1).unwrap(), LawQuery::default()).unwrap();
        let json = serde_json::to_value(&tw).unwrap();
        for key in ["normalization", "atom_at_zero", "gamma"] {
            assert!(json.get(key).is_none(), "{key}");
        }
        assert_eq!(json["beta"], 1);
    }
}
