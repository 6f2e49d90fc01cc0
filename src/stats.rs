//! Sample statistics: means with standard errors, quantiles, density-normalised histograms, and
//! Kolmogorov–Smirnov distances (exact, or bracketed on a quantile grid in bounded memory; in
//! the private submodule `ks`, re-exported here). Pure functions; no I/O, no sampling.

use crate::error::{Error, Result};
use crate::law::SpectralLaw;
use serde::{Deserialize, Serialize};

mod ks;
pub use ks::{
    kolmogorov_sf, ks_distance, ks_distance_above, ks_p_value, two_sample_ks, QuantileGridCounts, KS_GRID_CELLS,
    KS_P_VALUE_MIN_COUNT,
};

/// Mean and standard error of the mean of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanStderr {
    /// Sample mean.
    pub mean: f64,
    /// Standard error s/√N (s the sample standard deviation with N − 1); NaN when N < 2.
    pub stderr: f64,
}

/// Running mean and variance (Welford's update), for values that arrive one at a time in a
/// fixed order (results are then independent of thread count).
///
/// Reference: B. P. Welford, "Note on a method for calculating corrected sums of squares and
/// products", *Technometrics* 4 (1962).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RunningMoments {
    count: u64,
    mean: f64,
    sum_sq_dev: f64,
}

impl RunningMoments {
    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.sum_sq_dev += delta * (x - self.mean);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Sample mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }

    /// Unbiased sample variance (NaN when fewer than two observations).
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            f64::NAN
        } else {
            self.sum_sq_dev / (self.count - 1) as f64
        }
    }

    /// Mean and standard error of the mean.
    pub fn mean_stderr(&self) -> MeanStderr {
        MeanStderr { mean: self.mean(), stderr: (self.variance() / self.count as f64).sqrt() }
    }
}

impl FromIterator<f64> for RunningMoments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut moments = RunningMoments::default();
        iter.into_iter().for_each(|x| moments.push(x));
        moments
    }
}

/// Mean and standard error of the values, in iteration order.
pub fn mean_stderr(values: impl IntoIterator<Item = f64>) -> MeanStderr {
    values.into_iter().collect::<RunningMoments>().mean_stderr()
}

/// The sample standard deviation s of `values` and its standard error, by the delta method on
/// Var(s²) = (μ₄ − σ⁴(N − 3)/(N − 1))/N with the sample's own fourth central moment:
/// SE(s) ≈ √Var(s²)/(2s). No normality is assumed (for normal data SE(s) ≈ s/√(2(N − 1))).
/// NaN for fewer than two values.
pub fn sd_with_stderr(values: &[f64]) -> (f64, f64) {
    let k = values.len() as f64;
    if values.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / k;
    let (m2, m4) = values.iter().fold((0.0, 0.0), |(a, b), v| {
        let d = (v - mean) * (v - mean);
        (a + d, b + d * d)
    });
    let var = m2 / (k - 1.0);
    let mu4 = m4 / k;
    let var_of_var = ((mu4 - var * var * (k - 3.0) / (k - 1.0)) / k).max(0.0);
    let sd = var.sqrt();
    (sd, var_of_var.sqrt() / (2.0 * sd))
}

/// Median of a non-empty slice (NaN for an empty one). NaNs sort last.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let k = sorted.len();
    if k % 2 == 1 {
        sorted[k / 2]
    } else {
        0.5 * (sorted[k / 2 - 1] + sorted[k / 2])
    }
}

/// The p-quantile Q(p) of an ascending sample x₀ ≤ … ≤ x_{N−1}, interpolating linearly between
/// order statistics: Hyndman and Fan's type 7[^1] (R's default, numpy's `linear`, Python's
/// `statistics.quantiles(method = "inclusive")`):
///
/// Q(p) = x_j + g·(x_{j+1} − x_j),  h = (N − 1)·p,  j = ⌊h⌋,  g = h − j  (0-based),
///
/// so Q(0) is the minimum, Q(1) the maximum and Q(½) the median (as [`median`] computes it, to
/// rounding). Where g = 0 or x_j = x_{j+1} the order statistic is returned as it is, so an
/// infinite value (κ of a singular matrix) does not turn into NaN. NaN for an empty sample or a
/// p outside [0, 1].
///
/// [^1]: R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", *The American
///     Statistician* 50(4), 361–365 (1996).
pub fn quantile_of_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let j = (h.floor() as usize).min(sorted.len() - 1);
    let g = h - j as f64;
    let low = sorted[j];
    match sorted.get(j + 1) {
        Some(&high) if g > 0.0 && high != low => low + g * (high - low),
        _ => low,
    }
}

/// The least-squares slope of y on x over `points` (at least two distinct x; NaN otherwise).
pub fn least_squares_slope(points: &[(f64, f64)]) -> f64 {
    let k = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / k, sy / k);
    let (num, den) = points.iter().fold((0.0, 0.0), |a, p| {
        let dx = p.0 - mx;
        (a.0 + dx * (p.1 - my), a.1 + dx * dx)
    });
    num / den
}

/// A histogram with equal-width bins on [lower, upper].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub lower: f64,
    /// Right edge of the last bin.
    pub upper: f64,
    /// Counts per bin; bin i covers [lower + i·w, lower + (i+1)·w), the last bin is closed.
    pub counts: Vec<u64>,
    /// Values below `lower` (including structural zeros, when they fall there).
    pub below: u64,
    /// Values above `upper`.
    pub above: u64,
    /// Values at an atom at zero (the structural zero eigenvalues of S when m > n): counted in
    /// the total, so that densities are fractions of all values, but not binned.
    pub excluded_atom: u64,
}

impl Histogram {
    /// An empty histogram with `bins` bins on [lower, upper].
    ///
    /// # Errors
    /// Zero bins, or a range that is not finite with lower < upper.
    pub fn new(lower: f64, upper: f64, bins: usize) -> Result<Self> {
        if bins == 0 {
            return Err(Error::invalid("bins", bins, "must be at least 1"));
        }
        if !(lower.is_finite() && upper.is_finite() && lower < upper) {
            return Err(Error::invalid(
                "histogram range",
                format!("[{lower}, {upper}]"),
                "must be finite with lower < upper",
            ));
        }
        Ok(Histogram { lower, upper, counts: vec![0; bins], below: 0, above: 0, excluded_atom: 0 })
    }

    /// Bin width.
    pub fn bin_width(&self) -> f64 {
        (self.upper - self.lower) / self.counts.len() as f64
    }

    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        if x < self.lower {
            self.below += 1;
        } else if x > self.upper {
            self.above += 1;
        } else {
            let bins = self.counts.len();
            let index = (((x - self.lower) / self.bin_width()) as usize).min(bins - 1);
            self.counts[index] += 1;
        }
    }

    /// Adds `count` copies of a value.
    pub fn add_many(&mut self, x: f64, count: u64) {
        if count == 0 {
            return;
        }
        if x < self.lower {
            self.below += count;
        } else if x > self.upper {
            self.above += count;
        } else {
            let bins = self.counts.len();
            let index = (((x - self.lower) / self.bin_width()) as usize).min(bins - 1);
            self.counts[index] += count;
        }
    }

    /// The bins + 1 edges: lower + i·w, the last exactly `upper`.
    pub fn edges(&self) -> Vec<f64> {
        let (bins, w) = (self.counts.len(), self.bin_width());
        (0..=bins).map(|i| if i == bins { self.upper } else { self.lower + i as f64 * w }).collect()
    }

    /// Adds a sample of `total` values given by its counts strictly below each of the
    /// [`edges`](Self::edges) (non-decreasing, at most `total`): bin i gets
    /// `below_edge[i + 1] − below_edge[i]`. (What Sturm counts at the edges give.)
    ///
    /// # Errors
    /// A wrong number of counts, or counts that decrease or exceed `total`.
    pub fn add_counts_below_edges(&mut self, below_edge: &[u64], total: u64) -> Result<()> {
        let bins = self.counts.len();
        if below_edge.len() != bins + 1 || below_edge.windows(2).any(|w| w[0] > w[1]) || below_edge[bins] > total {
            return Err(Error::Mismatch(format!(
                "{} counts below the edges of {bins} bins (non-decreasing, at most {total}) expected",
                below_edge.len()
            )));
        }
        self.below += below_edge[0];
        self.counts.iter_mut().zip(below_edge.windows(2)).for_each(|(c, w)| *c += w[1] - w[0]);
        self.above += total - below_edge[bins];
        Ok(())
    }

    /// Adds another histogram's counts (same range and bins).
    ///
    /// # Errors
    /// A different range or bin count.
    pub fn merge(&mut self, other: &Histogram) -> Result<()> {
        if (self.lower, self.upper, self.counts.len()) != (other.lower, other.upper, other.counts.len()) {
            return Err(Error::Mismatch(format!(
                "histograms on [{}, {}] with {} bins and [{}, {}] with {} bins cannot be merged",
                self.lower,
                self.upper,
                self.counts.len(),
                other.lower,
                other.upper,
                other.counts.len()
            )));
        }
        self.counts.iter_mut().zip(&other.counts).for_each(|(a, b)| *a += b);
        self.below += other.below;
        self.above += other.above;
        self.excluded_atom += other.excluded_atom;
        Ok(())
    }

    /// All values counted, in and out of range (saturating at u64::MAX, which no valid count
    /// reaches, so that counts read from a file cannot wrap into a plausible total).
    pub fn total(&self) -> u64 {
        [self.below, self.above, self.excluded_atom]
            .into_iter()
            .chain(self.counts.iter().copied())
            .fold(0, u64::saturating_add)
    }

    /// Bin centres.
    pub fn centres(&self) -> Vec<f64> {
        let w = self.bin_width();
        (0..self.counts.len()).map(|i| self.lower + (i as f64 + 0.5) * w).collect()
    }

    /// sup over the [`edges`](Self::edges) of |F_N − F|, where F_N counts every value below an
    /// edge (the atom at zero included): a lower bound on the KS distance of the binned values to
    /// `law` at the bins' resolution (what a histogram-only run can say about the bulk).
    pub fn ks_distance_at_edges<L: SpectralLaw + ?Sized>(&self, law: &L) -> f64 {
        let total = self.total() as f64;
        let mut below = self.below + self.excluded_atom;
        let mut distance: f64 = 0.0;
        for (edge, count) in self.edges().into_iter().zip(self.counts.iter().chain([&0])) {
            distance = distance.max((below as f64 / total - law.cdf(edge)).abs());
            below += count;
        }
        distance
    }

    /// Density-normalised heights: count / (total · width), so that the bars integrate to the
    /// fraction of all values that fell in range (for an MP spectrum with γ > 1 and the range
    /// excluding 0, that is the continuous mass 1/γ, matching the MP density's integral).
    pub fn densities(&self) -> Vec<f64> {
        let norm = self.total() as f64 * self.bin_width();
        self.counts.iter().map(|&c| c as f64 / norm).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn standard_deviation_of_normal_samples_has_the_textbook_standard_error() {
        // For N normal draws, SE(s) ≈ σ/√(2(N − 1)). The delta-method estimate uses the sample's
        // fourth moment: over N = 4000 normal draws its standard error is √((μ₈ − μ₄²)/N) =
        // √(96/4000) ≈ 0.155 (μ₄ = 3), i.e. 7.7% of μ₄ − σ⁴ = 2, hence about 3.9% on SE(s) (a
        // square root); 25% is more than 5 of those.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let normal = rand_distr::StandardNormal;
        let values: Vec<f64> = (0..4000).map(|_| rand::RngExt::sample(&mut rng, normal)).collect();
        let (sd, se) = sd_with_stderr(&values);
        // |s − 1| ≤ 5·SE(s) with SE(s) = 1/√(2·3999) ≈ 0.0112.
        assert!((sd - 1.0).abs() <= 5.0 * 0.0112, "{sd}");
        assert!((se / (1.0 / (2.0f64 * 3999.0).sqrt()) - 1.0).abs() < 0.25, "{se}");
        assert!(sd_with_stderr(&[1.0]).0.is_nan());
    }

    #[test]
    fn running_moments_match_two_pass_formulas() {
        let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let m: RunningMoments = values.into_iter().collect();
        // source: hand computation; mean 5, Σ(x − 5)² = 32, s² = 32/7.
        assert_eq!(m.mean(), 5.0);
        assert!((m.variance() - 32.0 / 7.0).abs() < 1e-14);
        let ms = m.mean_stderr();
        assert!((ms.stderr - (32.0f64 / 7.0 / 8.0).sqrt()).abs() < 1e-14);
        assert!(mean_stderr([1.0]).stderr.is_nan());
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn quartiles_by_hand() {
        // Sorted: 3.7 4.4 5.1 6.0 8.3 12.9 19.6 241.0 (N = 8). Q(¼): h = 7/4, between x₁ and x₂:
        // 4.4 + ¾·0.7 = 4.925; Q(¾): h = 21/4: 12.9 + ¼·6.7 = 14.575; Q(½) = (6.0 + 8.3)/2.
        let mut x = vec![3.7, 12.9, 5.1, 241.0, 8.3, 4.4, 19.6, 6.0];
        x.sort_by(f64::total_cmp);
        for (p, want) in [(0.25, 4.925), (0.5, 7.15), (0.75, 14.575), (0.0, 3.7), (1.0, 241.0)] {
            assert!((quantile_of_sorted(&x, p) - want).abs() <= 1e-14 * want, "Q({p})");
        }
        assert!((quantile_of_sorted(&x, 0.5) - median(&x)).abs() <= 1e-15 * median(&x));
        assert_eq!(quantile_of_sorted(&[7.0], 0.25), 7.0);
        assert!(quantile_of_sorted(&[], 0.5).is_nan() && quantile_of_sorted(&x, 1.5).is_nan());
        // An infinite order statistic (κ of a singular matrix) stays infinite, never NaN.
        assert_eq!(quantile_of_sorted(&[1.0, f64::INFINITY, f64::INFINITY], 0.75), f64::INFINITY);
        assert_eq!(quantile_of_sorted(&[1.0, 2.0, f64::INFINITY], 0.5), 2.0);
    }

    #[test]
    fn quantiles_match_an_independent_implementation() {
        // source: Python 3.11 `statistics.quantiles(data, n=10, method="inclusive")` (Hyndman–Fan
        // type 7, computed as (x_j·(n − δ) + x_{j+1}·δ)/n, a different rounding path), printed
        // with repr; p = k/10 for k = 1..9.
        let table: [(&[f64], [f64; 9]); 3] = [
            (
                &[3.7, 12.9, 5.1, 241.0, 8.3, 4.4, 19.6, 6.0],
                [4.19, 4.68, 5.1899999999999995, 5.82, 7.15, 9.22, 12.440000000000001, 16.92, 86.02000000000001],
            ),
            (&[17.25, 2.5, 1033.0, 9.75, 4.0, 61.5, 7.125], [3.4, 4.625, 6.5, 8.175, 9.75, 14.25, 26.1, 52.65, 450.1]),
            (&[2.0, 5.0], [2.3, 2.6, 2.9, 3.2, 3.5, 3.8, 4.1, 4.4, 4.7]),
        ];
        // The two rounding paths differ by a few ulps at most.
        const RELATIVE: f64 = 1e-14;
        for (sample, deciles) in table {
            let mut x = sample.to_vec();
            x.sort_by(f64::total_cmp);
            for (k, want) in deciles.into_iter().enumerate() {
                let p = (k + 1) as f64 / 10.0;
                let got = quantile_of_sorted(&x, p);
                assert!((got - want).abs() <= RELATIVE * want, "{sample:?}: Q({p}) = {got}, want {want}");
            }
        }
        // Quartiles of the second sample: statistics.quantiles(n=4, method="inclusive").
        let mut x = table[1].0.to_vec();
        x.sort_by(f64::total_cmp);
        assert_eq!([quantile_of_sorted(&x, 0.25), quantile_of_sorted(&x, 0.75)], [5.5625, 39.375]);
    }

    #[test]
    fn histogram_counts_and_normalises() {
        let mut h = Histogram::new(0.0, 1.0, 4).unwrap();
        for x in [0.1, 0.3, 0.3, 0.99, 1.0, -0.5, 2.0] {
            h.add(x);
        }
        h.add_many(-1.0, 3);
        assert_eq!(h.counts, vec![1, 2, 0, 2]);
        assert_eq!((h.below, h.above, h.total()), (4, 1, 10));
        let area: f64 = h.densities().iter().sum::<f64>() * h.bin_width();
        assert!((area - 0.5).abs() < 1e-15); // 5 of 10 values in range
        assert!(Histogram::new(1.0, 1.0, 3).is_err());
        assert!(Histogram::new(0.0, 1.0, 0).is_err());
    }

    #[test]
    fn histogram_from_edge_counts_equals_binning_and_merges() {
        // Counts below the edges 0, ¼, ½, ¾, 1 of the sample {−1, 0.1, 0.3, 0.3, 0.6, 2, 3}.
        let sample = [-1.0, 0.1, 0.3, 0.3, 0.6, 2.0, 3.0];
        let mut binned = Histogram::new(0.0, 1.0, 4).unwrap();
        sample.iter().for_each(|&x| binned.add(x));
        let mut counted = Histogram::new(0.0, 1.0, 4).unwrap();
        assert_eq!(counted.edges(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        counted.add_counts_below_edges(&[1, 2, 4, 5, 5], 7).unwrap();
        assert_eq!(counted, binned);
        assert!(counted.add_counts_below_edges(&[1, 2, 1, 5, 5], 7).is_err());
        assert!(counted.add_counts_below_edges(&[1, 2, 4, 5, 8], 7).is_err());
        assert!(counted.add_counts_below_edges(&[1, 2, 4, 5], 7).is_err());
        let mut twice = binned.clone();
        twice.merge(&binned).unwrap();
        assert_eq!((twice.counts, twice.below, twice.above), (vec![2, 4, 2, 0], 2, 4));
        assert!(binned.merge(&Histogram::new(0.0, 2.0, 4).unwrap()).is_err());
    }
}
