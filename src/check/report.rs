//! What a check found: one [`CheckItem`] per quantity, gathered in a [`CheckReport`] whose
//! `Display` is the assertion message.

use super::precision::Precision;
use crate::initializer::EntryLaw;
use crate::intervals::Interval;
use crate::shape::Shape;
use crate::strategy::Strategy;
use std::fmt;

/// What a [`CheckItem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// ‖W‖ = σ_max(W).
    SpectralNorm,
    /// σ_min(W).
    SmallestSingularValue,
    /// κ(W) = σ_max/σ_min.
    ConditionNumber,
    /// ‖W‖_F²/(m·n·s2): the entries' mean square over the promised variance (1 when right).
    VarianceRatio,
    /// KS distance of the eigenvalues of S = W Wᵀ/n to Marchenko–Pastur.
    KsToMarchenkoPastur,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quantity::SpectralNorm => "spectral norm ‖W‖",
            Quantity::SmallestSingularValue => "smallest singular value σmin",
            Quantity::ConditionNumber => "condition number κ",
            Quantity::VarianceRatio => "variance ratio ‖W‖²_F/(m·n·s2)",
            Quantity::KsToMarchenkoPastur => "KS distance to Marchenko–Pastur",
        })
    }
}

/// One check: the value seen, the m, n → ∞ limit, and the interval it was held to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckItem {
    /// What was checked.
    pub quantity: Quantity,
    /// The value seen in the matrix.
    pub observed: f64,
    /// The large-size limit (Bai–Yin; 1 for the variance ratio; 0 for the KS distance), or for
    /// exact checks the exact value — for orientation, not the test.
    pub limit: f64,
    /// The interval at this check's level.
    pub interval: Interval,
    /// `observed` lies in `interval`.
    pub passed: bool,
}

/// The outcome of [`Check::run`](super::Check::run): every check, with a readable
/// [`Display`](fmt::Display) for assertion messages.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// The shape: rows m (fan-in), columns n (fan-out).
    pub shape: Shape,
    /// The strategy claimed.
    pub strategy: Strategy,
    /// Its entry variance s2 at (m, n).
    pub variance: f64,
    /// True for orthogonal strategies (exact intervals, widened by `exact_tolerance`).
    pub exact: bool,
    /// The storage precision assumed for exact checks.
    pub precision: Precision,
    /// The relative tolerance of exact checks (see the module `check::precision`); 0 for
    /// statistical ones.
    pub exact_tolerance: f64,
    /// The overall false-alarm rate α.
    pub false_alarm: f64,
    /// Matrices simulated for the bulk check (0: none).
    pub bulk_replicates: usize,
    /// The checks, in the order: ‖W‖, σ_min, κ, variance ratio, KS (if any).
    pub items: Vec<CheckItem>,
    /// For a failed report: whether the same matrix passes the edge and variance checks when
    /// its rows and columns are swapped (fan-in and fan-out exchanged).
    pub transpose_would_pass: bool,
}

impl CheckReport {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.items.iter().all(|i| i.passed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &CheckItem> {
        self.items.iter().filter(|i| !i.passed)
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.items.len();
        writeln!(
            f,
            "rmspec check of a {} weight matrix (rows = fan-in) against {} (s2 = {}): {}",
            self.shape,
            self.strategy,
            self.variance,
            if self.passed() { "passed" } else { "FAILED" }
        )?;
        if self.exact {
            writeln!(
                f,
                "  orthogonal: every singular value must equal √(max(m, n)·s2) to a relative {:.2e} \
                 ({:?} storage: u·√min(m, n) + 1e-9)",
                self.exact_tolerance, self.precision
            )?;
        } else {
            writeln!(
                f,
                "  false-alarm rate {} overall (Bonferroni: each of {k} checks at level {})",
                self.false_alarm,
                1.0 - self.false_alarm / k as f64
            )?;
        }
        for item in &self.items {
            write_item(f, item, self.exact)?;
        }
        if self.bulk_replicates > 0 {
            writeln!(
                f,
                "  KS critical value from {} simulated {} {} matrices",
                self.bulk_replicates,
                self.strategy.entry_law().unwrap_or(EntryLaw::Normal).unit_description(),
                self.shape
            )?;
        }
        if !self.passed() && self.transpose_would_pass {
            writeln!(
                f,
                "  hint: the transposed matrix ({}×{}) passes the edge and variance checks: fan-in and fan-out \
                 look swapped (rows must be fan-in; for PyTorch's out×in weight use Layout::ColumnMajor)",
                self.shape.n(),
                self.shape.m()
            )?;
        }
        Ok(())
    }
}

/// One line: statistical checks in fixed notation with their interval; exact ones as the
/// relative deviation from the exact value, in scientific notation (fixed notation would print
/// 1.000000 on both sides of a failure).
fn write_item(f: &mut fmt::Formatter<'_>, item: &CheckItem, exact: bool) -> fmt::Result {
    let mark = if item.passed { "ok  " } else { "FAIL" };
    let name = item.quantity.to_string();
    if exact {
        let deviation = item.observed / item.limit - 1.0;
        let allowed = (item.interval.upper / item.limit - 1.0).max(1.0 - item.interval.lower / item.limit);
        return writeln!(
            f,
            "  {mark} {name:<32} seen {:.10} = exact {:.10} × (1 {} {:.2e}); allowed ±{allowed:.2e}",
            item.observed,
            item.limit,
            if deviation < 0.0 { "−" } else { "+" },
            deviation.abs()
        );
    }
    let expected = match item.quantity {
        Quantity::KsToMarchenkoPastur => format!("expected ≤ {:.6}", item.interval.upper),
        _ => format!("expected in [{:.6}, {:.6}] (limit {:.6})", item.interval.lower, item.interval.upper, item.limit),
    };
    writeln!(
        f,
        "  {mark} {name:<32} seen {:<12.6} {expected}; level {}, {}",
        item.observed, item.interval.level, item.interval.method
    )
}
