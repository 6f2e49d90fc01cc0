//! Pooling the eigenvalues of many trials in memory independent of their number: each trial's
//! nonzero eigenvalues are counted into a histogram whose range is fixed beforehand and onto a
//! quantile grid of the Marchenko–Pastur law ([`QuantileGridCounts`]), then dropped.

use super::config::{Method, SpectrumConfig};
use crate::error::{Error, Result};
use crate::law::{EdgeScaling, MarchenkoPastur, Support};
use crate::prediction::EdgePrediction;
use crate::stats::{Histogram, QuantileGridCounts, KS_GRID_CELLS};
use serde::{Deserialize, Serialize};

/// The pooled nonzero eigenvalues of one strategy, accumulated as trials finish, in memory
/// independent of the number of trials: the histogram (its range fixed from the prediction before
/// any trial runs) and, for iid strategies, the quantile-grid counts behind the KS distance
/// to Marchenko–Pastur. Counts add, so neither the order trials finish in nor a split into shards
/// changes them. Structural zeros are added once, by the reduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledSpectrum {
    /// Histogram of the nonzero eigenvalues of S.
    pub histogram: Histogram,
    /// Counts on the Marchenko–Pastur quantile grid (absent for orthogonal strategies, whose
    /// spectrum is a point mass, and for histogram-only runs).
    pub ks_grid: Option<QuantileGridCounts>,
}

impl PooledSpectrum {
    pub(super) fn new(config: &SpectrumConfig, predicted: &EdgePrediction) -> Result<Self> {
        let (lower, upper) = histogram_range(predicted, config.bins);
        let with_grid = predicted.marchenko_pastur().is_some() && config.method != Method::TridiagonalHistogram;
        Ok(PooledSpectrum {
            histogram: Histogram::new(lower, upper, config.bins)?,
            ks_grid: if with_grid { Some(QuantileGridCounts::new(KS_GRID_CELLS)?) } else { None },
        })
    }

    /// Adds one trial's nonzero eigenvalues.
    pub(super) fn add(&mut self, law: Option<&MarchenkoPastur>, eigenvalues: &[f64]) {
        for &x in eigenvalues {
            self.histogram.add(x);
        }
        if let (Some(grid), Some(law)) = (self.ks_grid.as_mut(), law) {
            grid.add_all(law, eigenvalues);
        }
    }

    /// Adds the counts of another part of the same run (a shard).
    ///
    /// # Errors
    /// [`Error::Mismatch`] when the two were not made for the same run.
    pub fn merge(&mut self, other: &PooledSpectrum) -> Result<()> {
        self.histogram.merge(&other.histogram)?;
        match (self.ks_grid.as_mut(), &other.ks_grid) {
            (Some(a), Some(b)) => a.merge(b),
            (None, None) => Ok(()),
            _ => Err(Error::Mismatch("one partial has KS grid counts and the other has none".into())),
        }
    }
}

/// The histogram's range, fixed from the prediction before any trial runs, so that trials are
/// binned as they finish in memory independent of their number. iid strategies: the
/// Marchenko–Pastur support padded by 3% of its width, and widened where needed to cover the
/// finite-size edge fluctuations out to 8 Tracy–Widom scale units at each soft edge (TW₁ exceeds 8
/// with probability ≈ 3e−7 per matrix; see [`EdgeScaling::lambda_max_at`] and
/// [`EdgeScaling::lambda_min_at`]); never below 0. Values outside are counted in the histogram's
/// `below` and `above`. A point mass (orthogonal) gets ±5% of its value, shifted by half a bin so
/// that the point sits in the middle of a bin.
fn histogram_range(predicted: &EdgePrediction, bins: usize) -> (f64, f64) {
    const TAIL: f64 = 8.0;
    let Support { lower, upper } = predicted.mp_support;
    let width = upper - lower;
    if width <= 1e-9 * upper.abs().max(f64::MIN_POSITIVE) {
        let centre = 0.5 * (lower + upper);
        let half_bin = 0.05 * centre / bins as f64;
        return (centre * 0.95 - half_bin, centre * 1.05 - half_bin);
    }
    let scaling = EdgeScaling::for_shape(predicted.shape);
    let s2 = predicted.variance;
    let upper_tail = scaling.lambda_max_at(TAIL, s2);
    let lower_tail = scaling.lambda_min_at(TAIL, s2);
    (((lower - 0.03 * width).min(lower_tail)).max(0.0), (upper + 0.03 * width).max(upper_tail))
}
