//! Kolmogorov–Smirnov distances between a sample and a spectral law (exact, or bracketed on a
//! quantile grid in bounded memory), the two-sample statistic, and asymptotic p-values.

use crate::error::{Error, Result};
use crate::law::SpectralLaw;
use serde::{Deserialize, Serialize};

/// Kolmogorov–Smirnov distance sup_x |F_N(x) − F(x)| between a sample and a law that may have an
/// atom at zero.
///
/// The sample is `zeros` exact zeros plus the values in `sorted` (ascending, finite). Both
/// one-sided limits are compared at every distinct sample value v: F_N(v⁻) with F(v⁻) and F_N(v)
/// with F(v), where F(v⁻) = F(v) except at the atom (F(0⁻) = F(0) − atom). Between sample values
/// F_N is constant and F monotone, so these points attain the supremum.
///
/// # Errors
/// An empty sample, an unsorted or non-finite one.
pub fn ks_distance<L: SpectralLaw + ?Sized>(sorted: &[f64], zeros: usize, law: &L) -> Result<f64> {
    let total = ks_sample_size(sorted, zeros)?;
    // Distinct values with their multiplicities, ascending; the structural zeros join the group
    // at 0 (computed eigenvalues may also sit slightly below 0 through rounding).
    let mut groups: Vec<(f64, usize)> = sorted.chunk_by(|a, b| a == b).map(|g| (g[0], g.len())).collect();
    if zeros > 0 {
        let at = groups.partition_point(|g| g.0 < 0.0);
        match groups.get_mut(at) {
            Some(group) if group.0 == 0.0 => group.1 += zeros,
            _ => groups.insert(at, (0.0, zeros)),
        }
    }
    let nf = total as f64;
    let atom = law.atom_at_zero();
    let mut distance: f64 = 0.0;
    let mut below = 0usize;
    for (v, count) in groups {
        let cdf = law.cdf(v);
        let left_limit = if v == 0.0 { cdf - atom } else { cdf };
        distance = distance.max((below as f64 / nf - left_limit).abs());
        below += count;
        distance = distance.max((below as f64 / nf - cdf).abs());
    }
    Ok(distance)
}

/// The size of a KS sample (values and zeros), checked: not empty, sorted, finite.
fn ks_sample_size(sorted: &[f64], zeros: usize) -> Result<usize> {
    let total = sorted.len() + zeros;
    if total == 0 {
        return Err(Error::InvalidInput("KS distance of an empty sample".into()));
    }
    if sorted.iter().any(|x| !x.is_finite()) || sorted.windows(2).any(|w| w[0] > w[1]) {
        return Err(Error::InvalidInput("KS distance needs a sorted, finite sample".into()));
    }
    Ok(total)
}

/// The KS distance of [`ks_distance`] over x ≥ `floor` only: sup_{x ≥ floor} |F_N(x) − F(x)|,
/// where the sample's values at or below the floor, and the `zeros`, all count at the floor. For
/// a sample that cannot resolve values below a floor (they are 0 or rounding noise), this
/// compares what was measured: F_N(floor) with F(floor), then every value above. With floor = 0
/// and a nonnegative sample it equals [`ks_distance`].
///
/// # Errors
/// As [`ks_distance`], and a floor that is negative or not finite.
pub fn ks_distance_above<L: SpectralLaw + ?Sized>(sorted: &[f64], zeros: usize, floor: f64, law: &L) -> Result<f64> {
    if !(floor >= 0.0 && floor.is_finite()) {
        return Err(Error::invalid("KS floor", floor, "must be finite and ≥ 0"));
    }
    let total = ks_sample_size(sorted, zeros)?;
    let nf = total as f64;
    let at_floor = sorted.partition_point(|&v| v <= floor);
    let mut below = zeros + at_floor;
    let mut distance = (below as f64 / nf - law.cdf(floor)).abs();
    for group in sorted[at_floor..].chunk_by(|a, b| a == b) {
        let cdf = law.cdf(group[0]);
        distance = distance.max((below as f64 / nf - cdf).abs());
        below += group.len();
        distance = distance.max((below as f64 / nf - cdf).abs());
    }
    Ok(distance)
}

/// Two-sample Kolmogorov–Smirnov statistic sup_x |F_a(x) − F_b(x)| of two finite samples (any
/// order; NaN-free). Its α-level critical value for large samples is
/// c(α)·√((N_a + N_b)/(N_a·N_b)) with c(0.05) = 1.358, c(0.01) = 1.628, c(0.001) = 1.949.
///
/// # Errors
/// An empty or non-finite sample.
pub fn two_sample_ks(a: &[f64], b: &[f64]) -> Result<f64> {
    if a.is_empty() || b.is_empty() || a.iter().chain(b).any(|x| !x.is_finite()) {
        return Err(Error::InvalidInput("two-sample KS needs two non-empty finite samples".into()));
    }
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j, mut distance) = (0usize, 0usize, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        distance = distance.max((i as f64 / na - j as f64 / nb).abs());
    }
    Ok(distance)
}

/// The fewest draws [`ks_p_value`] gives a p-value for. Simulated under the null (100 000
/// samples per N, `scripts/reference/ks_small_sample.py`), tests that reject at p < 0.05 and
/// p < 0.10 reject 0.0% and 1.1% of the time for N = 1 (one matrix can never be rejected at
/// 5%), 5.0% and 11.8% for N = 2, and 4.9% and 9.6% for N = 3, within a few standard errors of
/// their sizes from N = 3 on.
pub const KS_P_VALUE_MIN_COUNT: usize = 3;

/// Asymptotic p-value of the one-sample KS statistic D for N iid draws from a continuous law:
/// P(√N·D > t) with Stephens' small-sample correction t = D(√N + 0.12 + 0.11/√N), through the
/// Kolmogorov series Q(t) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²t²}.
///
/// Valid only for independent draws: not for eigenvalues pooled from one matrix. NaN (no
/// p-value) for fewer than [`KS_P_VALUE_MIN_COUNT`] draws.
///
/// Reference: M. A. Stephens, "Use of the Kolmogorov–Smirnov, Cramér–Von Mises and related
/// statistics without extensive tables", *J. R. Stat. Soc. B* 32 (1970); W. H. Press et al.,
/// *Numerical Recipes*, 3rd ed., §14.3.3.
pub fn ks_p_value(distance: f64, count: usize) -> f64 {
    if count < KS_P_VALUE_MIN_COUNT {
        return f64::NAN;
    }
    let sqrt_n = (count as f64).sqrt();
    let t = distance * (sqrt_n + 0.12 + 0.11 / sqrt_n);
    kolmogorov_sf(t)
}

/// The Kolmogorov distribution's survival function Q(t) = P(K > t).
pub fn kolmogorov_sf(t: f64) -> f64 {
    if t <= 0.0 {
        return 1.0;
    }
    if t < 0.3 {
        // Below t = 0.3 the alternating series converges slowly; Q is within 1e−5 of 1 there
        // (1 − Q(0.3) = K(0.3) = √(2π)/0.3 · Σ_k e^{−(2k−1)²π²/(8·0.09)} ≈ 9.3e−6), and 1 is
        // returned: p-values this close to 1 do not need more digits.
        return 1.0;
    }
    let mut sum = 0.0;
    let mut sign = 1.0;
    for k in 1..=100 {
        let term = (-2.0 * (k * k) as f64 * t * t).exp();
        sum += sign * term;
        if term < 1e-17 * sum.abs() {
            break;
        }
        sign = -sign;
    }
    (2.0 * sum).clamp(0.0, 1.0)
}

/// Cells G of the quantile grid behind the pooled KS distance of a spectrum run
/// ([`QuantileGridCounts`]): the reported distance is within (1 − p₀)/G ≤ 9.6e−7 of the exact
/// statistic, for 8 MiB of counts however many trials run.
pub const KS_GRID_CELLS: usize = 1 << 20;

/// Counts of a sample on an equal-probability grid of a law: the Kolmogorov–Smirnov distance of
/// a pooled sample in memory independent of its size, exactly mergeable (counts add), and
/// bracketed to within one grid cell's probability.
///
/// **Cells.** For a law F with an atom p₀ at zero and continuous part on [a, b], the support is cut
/// into G cells of equal probability (1 − p₀)/G: x ∈ [a, b] goes to cell
/// ⌊G·(F(x) − p₀)/(1 − p₀)⌋ (the last cell closed), so no quantile function is needed. Four more
/// counters hold x < 0, x = 0 (the atom: structural zeros), 0 < x < a and x > b.
///
/// **Bracket.** Let C_i be the count below the i-th grid point x_i (F(x_i) = p₀ + (1 − p₀)·i/G;
/// x_0 = a, x_G = b) and N the total. Every term |C_i/N − F(x_i)|, and the terms at 0 and on the
/// flat stretches where F is constant, is a value or a one-sided limit of |F_N − F|, so their
/// maximum D_lo is a lower bound on D = sup|F_N − F|. Inside a cell F_N and F are both
/// non-decreasing and F rises by (1 − p₀)/G, so D ≤ D_lo + (1 − p₀)/G. Both bounds are exact up to
/// the rounding of F (≈ 1e−16), which can move a value lying within that of a grid point into the
/// neighbouring cell.
///
/// Every call must pass the same law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantileGridCounts {
    /// Values x < 0 (eigenvalues that rounding pushed below zero).
    pub negative: u64,
    /// Values x = 0 (the atom: structural zeros).
    pub zero: u64,
    /// Values 0 < x < a, between the atom and the continuous support.
    pub gap: u64,
    /// Values in each of the G equal-probability cells of [a, b].
    #[serde(with = "sparse_counts")]
    pub cells: Vec<u64>,
    /// Values x > b.
    pub above: u64,
}

impl QuantileGridCounts {
    /// Empty counts on a grid of `cells` cells.
    ///
    /// # Errors
    /// Zero cells.
    pub fn new(cells: usize) -> Result<Self> {
        if cells == 0 {
            return Err(Error::invalid("grid cells", cells, "must be at least 1"));
        }
        Ok(QuantileGridCounts { negative: 0, zero: 0, gap: 0, cells: vec![0; cells], above: 0 })
    }

    /// Counts one value (NaN counts as above the support, so that it cannot go unnoticed).
    pub fn add<L: SpectralLaw + ?Sized>(&mut self, law: &L, x: f64) {
        self.add_all(law, &[x]);
    }

    /// Counts every value of `values` (as [`add`](Self::add); the law's support and atom are
    /// looked up once).
    pub fn add_all<L: SpectralLaw + ?Sized>(&mut self, law: &L, values: &[f64]) {
        let (support, atom, g) = (law.support(), law.atom_at_zero(), self.cells.len());
        for &x in values {
            if x < 0.0 {
                self.negative += 1;
            } else if x == 0.0 {
                self.zero += 1;
            } else if x < support.lower {
                self.gap += 1;
            } else if x <= support.upper {
                let q = ((law.cdf(x) - atom) / (1.0 - atom)).clamp(0.0, 1.0);
                self.cells[((q * g as f64) as usize).min(g - 1)] += 1;
            } else {
                self.above += 1;
            }
        }
    }

    /// Counts `count` values at exactly zero (structural zeros).
    pub fn add_zeros(&mut self, count: u64) {
        self.zero += count;
    }

    /// Adds another grid's counts (same law and cell count).
    ///
    /// # Errors
    /// Different cell counts.
    pub fn merge(&mut self, other: &QuantileGridCounts) -> Result<()> {
        if other.cells.len() != self.cells.len() {
            return Err(Error::Mismatch(format!(
                "quantile grids of {} and {} cells cannot be merged",
                self.cells.len(),
                other.cells.len()
            )));
        }
        self.negative += other.negative;
        self.zero += other.zero;
        self.gap += other.gap;
        self.above += other.above;
        self.cells.iter_mut().zip(&other.cells).for_each(|(a, b)| *a += b);
        Ok(())
    }

    /// All values counted (saturating at u64::MAX, as [`Histogram::total`](super::Histogram::total)).
    pub fn total(&self) -> u64 {
        [self.negative, self.zero, self.gap, self.above]
            .into_iter()
            .chain(self.cells.iter().copied())
            .fold(0, u64::saturating_add)
    }

    /// The width of the bracket, (1 − p₀)/G.
    pub fn resolution<L: SpectralLaw + ?Sized>(&self, law: &L) -> f64 {
        (1.0 - law.atom_at_zero()) / self.cells.len() as f64
    }

    /// (D_lo, D_hi) with D_lo ≤ sup|F_N − F| ≤ D_hi = D_lo + (1 − p₀)/G (see the type's docs).
    ///
    /// # Errors
    /// An empty sample.
    pub fn ks_distance_bounds<L: SpectralLaw + ?Sized>(&self, law: &L) -> Result<(f64, f64)> {
        let total = self.total();
        if total == 0 {
            return Err(Error::InvalidInput("KS distance of an empty sample".into()));
        }
        let nf = total as f64;
        let atom = law.atom_at_zero();
        // x < 0: F = 0, sup F_N = F_N(0⁻). At 0: F_N(0) against F(0) = p₀.
        let mut below = self.negative;
        let mut distance = below as f64 / nf;
        below += self.zero;
        distance = distance.max((below as f64 / nf - atom).abs());
        // (0, a): F = p₀ flat; its supremum is at an end, and the right end is grid point 0.
        below += self.gap;
        let g = self.cells.len();
        for (i, &count) in self.cells.iter().enumerate() {
            let cdf = atom + (1.0 - atom) * i as f64 / g as f64;
            distance = distance.max((below as f64 / nf - cdf).abs());
            below += count;
        }
        // x_G = b: F_N(b) against 1; above b, F = 1 and 1 − F_N only falls.
        distance = distance.max((below as f64 / nf - 1.0).abs());
        Ok((distance, distance + self.resolution(law)))
    }
}

/// Serialises a long, mostly-zero count vector as its length and its nonzero (index, count)
/// pairs. Reading refuses a length above [`KS_GRID_CELLS`] (the only grid rmspec writes) before
/// allocating it: a file declaring a grid of 10¹⁵ cells is an error, not a 8 PB allocation.
mod sparse_counts {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Sparse {
        len: usize,
        nonzero: Vec<(usize, u64)>,
    }

    pub fn serialize<S: Serializer>(counts: &[u64], serializer: S) -> Result<S::Ok, S::Error> {
        let nonzero = counts.iter().enumerate().filter(|(_, &c)| c != 0).map(|(i, &c)| (i, c)).collect();
        Sparse { len: counts.len(), nonzero }.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u64>, D::Error> {
        let sparse = Sparse::deserialize(deserializer)?;
        if sparse.len > super::KS_GRID_CELLS {
            return Err(serde::de::Error::custom(format!(
                "a grid of {} cells, more than the {} rmspec writes",
                sparse.len,
                super::KS_GRID_CELLS
            )));
        }
        let mut counts = vec![0; sparse.len];
        for (i, c) in sparse.nonzero {
            let slot = counts
                .get_mut(i)
                .ok_or_else(|| serde::de::Error::custom(format!("cell {i} outside a grid of {}", sparse.len)))?;
            *slot = c;
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::Support;

    /// Uniform(0, 1) with an optional atom at 0, for testing KS against closed forms.
    struct UniformWithAtom {
        atom: f64,
    }

    impl SpectralLaw for UniformWithAtom {
        fn support(&self) -> Support {
            Support { lower: 0.0, upper: 1.0 }
        }
        fn atom_at_zero(&self) -> f64 {
            self.atom
        }
        fn density(&self, x: f64) -> f64 {
            if (0.0..=1.0).contains(&x) {
                1.0 - self.atom
            } else {
                0.0
            }
        }
        fn cdf(&self, x: f64) -> f64 {
            if x < 0.0 {
                0.0
            } else {
                self.atom + (1.0 - self.atom) * x.min(1.0)
            }
        }
        fn mean(&self) -> f64 {
            (1.0 - self.atom) / 2.0
        }
        fn variance(&self) -> f64 {
            let m2 = (1.0 - self.atom) / 3.0;
            m2 - self.mean().powi(2)
        }
    }

    #[test]
    fn ks_distance_matches_hand_computation() {
        let law = UniformWithAtom { atom: 0.0 };
        // Sample {0.1, 0.5, 0.9}: gaps at 0.1 (0.1 vs 0; 1/3 − 0.1), 0.5 (0.5 − 1/3; 2/3 − 0.5),
        // 0.9 (0.9 − 2/3 = 0.2333; 1 − 0.9). Maximum 0.2333…
        let d = ks_distance(&[0.1, 0.5, 0.9], 0, &law).unwrap();
        assert!((d - (0.9 - 2.0 / 3.0)).abs() < 1e-15);
        // A sample sitting exactly on the quantiles i/(N) − 1/(2N) has D = 1/(2N).
        let n = 100;
        let sample: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        assert!((ks_distance(&sample, 0, &law).unwrap() - 0.5 / n as f64).abs() < 1e-14);
    }

    #[test]
    fn ks_distance_above_a_floor_compares_only_what_is_resolved() {
        let law = UniformWithAtom { atom: 0.0 };
        let n = 100;
        let exact: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        // Floor 0: the plain distance.
        assert_eq!(ks_distance_above(&exact, 0, 0.0, &law).unwrap(), ks_distance(&exact, 0, &law).unwrap());
        // The 30 values below 0.3 unresolved (reported as 0): unrestricted, F_N(0) = 0.3 against
        // F(0) = 0; above the floor 0.3, F_N(0.3) = 0.3 = F(0.3) and the rest as before: 1/(2n).
        let censored: Vec<f64> = exact.iter().map(|&v| if v <= 0.3 { 0.0 } else { v }).collect();
        assert!((ks_distance(&censored, 0, &law).unwrap() - 0.3).abs() < 1e-14);
        assert!((ks_distance_above(&censored, 0, 0.3, &law).unwrap() - 0.5 / n as f64).abs() < 1e-14);
        // A real shortage above the floor still counts: 10 values moved from (0.5, 0.6) to 0.
        let short: Vec<f64> = censored.iter().map(|&v| if v > 0.5 && v < 0.6 { 0.0 } else { v }).collect();
        let mut short = short;
        short.sort_by(f64::total_cmp);
        assert!(ks_distance_above(&short, 0, 0.3, &law).unwrap() >= 0.1 - 1e-12);
        assert!(ks_distance_above(&exact, 0, -1.0, &law).is_err());
        assert!(ks_distance_above(&exact, 0, f64::NAN, &law).is_err());
    }

    #[test]
    fn ks_distance_handles_the_atom_exactly() {
        let law = UniformWithAtom { atom: 0.5 };
        // Half the sample at 0 (as the law says) and the rest on the continuous quantiles.
        let n = 50;
        let continuous: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        let d = ks_distance(&continuous, n, &law).unwrap();
        assert!((d - 0.5 * 0.5 / n as f64).abs() < 1e-14, "{d}");
        // Too few zeros: the jump at 0 is missed by 0.5 − 10/60.
        let d = ks_distance(&continuous, 10, &law).unwrap();
        assert!(d >= 0.5 - 10.0 / 60.0 - 1e-12, "{d}");
        // A rounding-negative value sorts before the structural zeros: F_N(−10⁻¹⁸) = 1/(2n)
        // while F = 0 there, and F_N(0) = 1/2 + 1/(2n) against F(0) = 1/2.
        let mut with_negative = vec![-1e-18];
        with_negative.extend(&continuous[1..]);
        let d = ks_distance(&with_negative, n, &law).unwrap();
        assert!((d - 0.5 / n as f64).abs() < 1e-14, "{d}");
        assert!(ks_distance(&[], 0, &law).is_err());
        assert!(ks_distance(&[0.5, 0.1], 0, &law).is_err());
    }

    #[test]
    fn two_sample_ks_matches_hand_computation() {
        // source: hand computation. a = {1, 2, 3}, b = {2.5, 4}: at 2, F_a = 2/3 and F_b = 0;
        // at 2.5, 2/3 vs 1/2; at 3, 1 vs 1/2.
        assert!((two_sample_ks(&[3.0, 1.0, 2.0], &[2.5, 4.0]).unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(two_sample_ks(&[1.0, 2.0], &[1.0, 2.0]).unwrap(), 0.0);
        assert_eq!(two_sample_ks(&[1.0], &[5.0]).unwrap(), 1.0);
        assert!(two_sample_ks(&[], &[1.0]).is_err());
    }

    #[test]
    fn ks_p_values_need_at_least_three_draws() {
        assert!(ks_p_value(0.9, 1).is_nan() && ks_p_value(0.9, 2).is_nan());
        assert!(ks_p_value(0.9, 3) < 0.01);
    }

    #[test]
    fn kolmogorov_sf_matches_published_values() {
        // source: the Kolmogorov distribution's critical values (e.g. scipy.special.kolmogorov):
        // Q(1.3581) = 0.05, Q(1.6276) = 0.01, Q(1.9495) = 0.001.
        for (t, q) in [(1.358099, 0.05), (1.627624, 0.01), (1.949586, 0.001)] {
            assert!((kolmogorov_sf(t) - q).abs() < 2e-6, "Q({t}) = {}", kolmogorov_sf(t));
        }
        assert_eq!(kolmogorov_sf(0.0), 1.0);
    }

    #[test]
    fn quantile_grid_bracket_matches_hand_computation() {
        // source: hand computation. Uniform(0, 1), G = 4, sample {0.1, 0.5, 0.9}: counts below the
        // grid points 0, ¼, ½, ¾, 1 are 0, 1, 1, 2, 3, so D_lo = |1/3 − ½| = 1/6 and
        // D_hi = 1/6 + ¼; the exact D = 0.9 − 2/3 lies between.
        let law = UniformWithAtom { atom: 0.0 };
        let mut grid = QuantileGridCounts::new(4).unwrap();
        [0.1, 0.5, 0.9].iter().for_each(|&x| grid.add(&law, x));
        let (lo, hi) = grid.ks_distance_bounds(&law).unwrap();
        assert!((lo - 1.0 / 6.0).abs() < 1e-15 && (hi - lo - 0.25).abs() < 1e-15, "{lo} {hi}");
        assert!(QuantileGridCounts::new(0).is_err());
        assert!(QuantileGridCounts::new(3).unwrap().ks_distance_bounds(&law).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 400,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20261129),
            ..Default::default()
        })]

        /// The bracket holds the exact statistic for any sample, atom, and grid size, and the
        /// counts of a split sample merge to those of the whole.
        #[test]
        fn quantile_grid_brackets_the_exact_ks_distance(
            values in proptest::collection::vec(-0.05f64..1.05, 1..300),
            zeros in 0usize..200,
            atom in proptest::sample::select(vec![0.0, 0.25, 0.6]),
            cells in 1usize..2000,
            split in 0usize..300,
        ) {
            let law = UniformWithAtom { atom };
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let exact = ks_distance(&sorted, zeros, &law).unwrap();
            let mut whole = QuantileGridCounts::new(cells).unwrap();
            let (mut first, mut second) = (whole.clone(), whole.clone());
            for (i, &x) in values.iter().enumerate() {
                whole.add(&law, x);
                if i < split { first.add(&law, x) } else { second.add(&law, x) }
            }
            whole.add_zeros(zeros as u64);
            first.add_zeros(zeros as u64);
            let (lo, hi) = whole.ks_distance_bounds(&law).unwrap();
            proptest::prop_assert!(lo <= exact + 1e-12 && exact <= hi + 1e-12, "{lo} ≤ {exact} ≤ {hi}");
            proptest::prop_assert!((hi - lo - (1.0 - atom) / cells as f64).abs() < 1e-15);
            first.merge(&second).unwrap();
            proptest::prop_assert_eq!(&first, &whole);
            let json = serde_json::to_string(&whole).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<QuantileGridCounts>(&json).unwrap(), whole);
        }
    }

    #[test]
    fn quantile_grid_refuses_mismatched_and_malformed_counts() {
        let mut a = QuantileGridCounts::new(4).unwrap();
        assert!(a.merge(&QuantileGridCounts::new(5).unwrap()).is_err());
        let bad = r#"{"negative":0,"zero":0,"gap":0,"cells":{"len":2,"nonzero":[[5,1]]},"above":0}"#;
        assert!(serde_json::from_str::<QuantileGridCounts>(bad).is_err());
    }
}
