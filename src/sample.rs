//! Seeded sampling of weight matrices.
//!
//! **Reproducibility.** Every trial draws from its own random stream, derived from the pair
//! (seed, trial index) by [`trial_rng`] in two steps:
//!
//! 1. *Key derivation*: ChaCha8 keyed by the seed (expanded by `SeedableRng::seed_from_u64`),
//!    read on stream number = trial index. ChaCha streams are disjoint by construction, and
//!    `rand_chacha` documents its output as value-stable across releases.
//! 2. *Drawing*: the first 256 bits of that stream seed a Xoshiro256++ generator (Blackman and
//!    Vigna 2021; also Julia's default generator), which produces the trial's draws. Drawing a
//!    matrix costs 1.7–2.8 ns per entry this way against 5.1 ns with ChaCha8 itself (see
//!    docs/performance.md), and sampling is the largest cost of a run outside
//!    LAPACK. Xoshiro256++ has period 2²⁵⁶ − 1, and its states are taken independently from the
//!    key stream, so the chance that the draws of any two of T trials, L draws each, overlap is
//!    at most T²·L/2²⁵⁶: nil for any feasible run.
//!
//! A trial's matrix therefore depends only on (seed, trial), not on the thread count or the order
//! trials run in; the test `value_stability_first_draws_are_pinned` pins the first draws. For a
//! given (seed, trial), every Gaussian strategy scales the *same* standard normal draws Z
//! (W = √s2 · Z): common random numbers, so differences between strategies are exactly the
//! variance scaling and not sampling noise.
//!
//! **Layout.** Matrices are m×n, column-major (nalgebra's `DMatrix`), filled column by column;
//! m = fan-in (rows), n = fan-out (columns), see the [crate conventions](crate#conventions).
//!
//! Standard normals come from `rand_distr::StandardNormal` (ziggurat).
//!
//! References: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
//! *ACM Trans. Math. Softw.* 47 (2021); D. J. Bernstein, "ChaCha, a variant of Salsa20" (2008).

use crate::error::{require_positive, Error, Result};
use crate::initializer::EntryLaw;
use crate::linalg;
use crate::shape::Shape;
use crate::strategy::{Ensemble, Strategy};
use nalgebra::DMatrix;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator behind every trial: Xoshiro256++, seeded per trial from a ChaCha8 key stream
/// (see the [module docs](self)).
pub type TrialRng = Xoshiro256PlusPlus;

/// The random stream of trial `trial` under `seed`.
///
/// # Example
/// ```
/// use rand::RngExt;
/// let a: f64 = rmspec::sample::trial_rng(7, 3).random();
/// let b: f64 = rmspec::sample::trial_rng(7, 3).random();
/// assert_eq!(a, b);
/// ```
pub fn trial_rng(seed: u64, trial: u64) -> TrialRng {
    let mut key_stream = ChaCha8Rng::seed_from_u64(seed);
    key_stream.set_stream(trial);
    Xoshiro256PlusPlus::from_rng(&mut key_stream)
}

/// Fills `buffer` with iid standard normal draws, in order.
pub fn fill_standard_normal<R: Rng + ?Sized>(buffer: &mut [f64], rng: &mut R) {
    for x in buffer.iter_mut() {
        *x = rng.sample(StandardNormal);
    }
}

/// Fills `buffer` with iid draws of `law` at unit variance, in order: standard normals
/// ([`fill_standard_normal`], the same stream), U(−√3, √3) from one 53-bit uniform each, or
/// truncated normals by rejection (standard normals outside ±2 are redrawn; acceptance
/// 2Φ(2) − 1 = 95.4%), divided by c = [`TRUNCATED_NORMAL_SD`](crate::initializer::TRUNCATED_NORMAL_SD).
pub fn fill_unit_variance<R: Rng + ?Sized>(law: EntryLaw, buffer: &mut [f64], rng: &mut R) {
    match law {
        EntryLaw::Normal => fill_standard_normal(buffer, rng),
        EntryLaw::Uniform => {
            let half_width = 3f64.sqrt();
            for x in buffer.iter_mut() {
                *x = half_width * (2.0 * rng.random::<f64>() - 1.0);
            }
        }
        EntryLaw::TruncatedNormal => {
            let scale = 1.0 / crate::initializer::TRUNCATED_NORMAL_SD;
            for x in buffer.iter_mut() {
                *x = loop {
                    let z: f64 = rng.sample(StandardNormal);
                    if z.abs() <= 2.0 {
                        break z * scale;
                    }
                };
            }
        }
    }
}

/// Draws an m×n weight matrix for `strategy` into `buffer` (column-major, length m·n).
///
/// Gaussian strategies: iid N(0, s2) entries with s2 = `strategy.variance(m, n)`; framework
/// initialisers with another entry law draw from it ([`fill_unit_variance`]). Orthogonal:
/// a Haar-distributed matrix with orthonormal columns (m ≥ n) or rows (m < n), obtained as the
/// Q factor of a QR factorisation of an iid Gaussian matrix with the signs of R's diagonal moved
/// into Q (Mezzadri 2007), then scaled by c = √(max(m, n)·s2) so that the mean square entry is s2
/// and all min(m, n) singular values equal c.
///
/// # Errors
/// Invalid sizes, a buffer of the wrong length, or a LAPACK failure in the QR.
///
/// References: F. Mezzadri, "How to generate random matrices from the classical compact groups",
/// *Notices of the AMS* 54 (2007).
pub fn sample_into<R: Rng + ?Sized>(
    strategy: Strategy,
    m: usize,
    n: usize,
    rng: &mut R,
    buffer: &mut [f64],
) -> Result<()> {
    let shape = Shape::new(m, n)?;
    let s2 = strategy.variance_for(shape);
    if buffer.len() != shape.len() {
        return Err(Error::Mismatch(format!("sample buffer has {} entries, expected {shape}", buffer.len())));
    }
    match strategy.ensemble() {
        Ensemble::Iid(law) => {
            fill_unit_variance(law, buffer, rng);
            let sigma = s2.sqrt();
            buffer.iter_mut().for_each(|x| *x *= sigma);
        }
        Ensemble::Orthogonal => sample_orthogonal_into(shape, s2, rng, buffer)?,
    }
    Ok(())
}

/// Draws an m×n weight matrix for `strategy` (see [`sample_into`]).
///
/// # Errors
/// As [`sample_into`].
///
/// # Example
/// ```
/// use rmspec::{sample, Strategy};
/// let mut rng = sample::trial_rng(1, 0);
/// let w = sample::sample(Strategy::Arithmetic, 64, 256, &mut rng).unwrap();
/// assert_eq!((w.nrows(), w.ncols()), (64, 256));
/// ```
pub fn sample<R: Rng + ?Sized>(strategy: Strategy, m: usize, n: usize, rng: &mut R) -> Result<DMatrix<f64>> {
    let mut data = vec![0.0; Shape::new(m, n)?.len()];
    sample_into(strategy, m, n, rng, &mut data)?;
    Ok(DMatrix::from_vec(m, n, data))
}

/// Haar semi-orthogonal m×n matrix scaled to entry variance s2, into `buffer`.
fn sample_orthogonal_into<R: Rng + ?Sized>(shape: Shape, s2: f64, rng: &mut R, buffer: &mut [f64]) -> Result<()> {
    require_positive("variance", s2)?;
    let (m, n, tall, short) = (shape.m(), shape.n(), shape.max(), shape.min());
    let scale = shape.orthogonal_singular_value_squared(s2).sqrt();
    // Q of a tall×short Gaussian matrix; for m < n the result is its transpose.
    let mut transposed = Vec::new();
    let q: &mut [f64] = if m >= n {
        buffer
    } else {
        transposed.resize(tall * short, 0.0);
        &mut transposed
    };
    fill_standard_normal(q, rng);
    let diag_r = linalg::orthonormal_columns(q, tall, short)?;
    for (j, r) in diag_r.iter().enumerate() {
        let signed_scale = if *r < 0.0 { -scale } else { scale };
        q[j * tall..(j + 1) * tall].iter_mut().for_each(|x| *x *= signed_scale);
    }
    if m < n {
        // buffer (m×n, column-major) = qᵀ where q is n×m column-major.
        for j in 0..n {
            for i in 0..m {
                buffer[j * m + i] = transposed[i * n + j];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_trial_give_same_matrix_different_trials_differ() {
        let a = sample(Strategy::Geometric, 5, 7, &mut trial_rng(42, 0)).unwrap();
        let b = sample(Strategy::Geometric, 5, 7, &mut trial_rng(42, 0)).unwrap();
        let c = sample(Strategy::Geometric, 5, 7, &mut trial_rng(42, 1)).unwrap();
        let d = sample(Strategy::Geometric, 5, 7, &mut trial_rng(43, 0)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn gaussian_strategies_share_the_standard_draws() {
        let z = sample(Strategy::Variance { variance: 1.0 }, 4, 6, &mut trial_rng(9, 2)).unwrap();
        let w = sample(Strategy::He, 4, 6, &mut trial_rng(9, 2)).unwrap();
        let sigma = Strategy::He.variance(4, 6).unwrap().sqrt();
        assert!((w - z * sigma).amax() < 1e-15);
    }

    #[test]
    fn value_stability_first_draws_are_pinned() {
        // Pins the stream: Xoshiro256++ seeded from ChaCha8 keyed by seed_from_u64(2026), stream 0,
        // through StandardNormal.
        // If this changes, every seeded figure and report changes: bump the report's version.
        let mut rng = trial_rng(2026, 0);
        let mut first = [0.0; 4];
        fill_standard_normal(&mut first, &mut rng);
        let pinned = PINNED_FIRST_DRAWS;
        for (got, want) in first.iter().zip(pinned) {
            assert_eq!(got.to_bits(), want.to_bits(), "got {first:?}");
        }
    }

    #[test]
    fn value_stability_of_uniform_and_truncated_normal_draws() {
        // Pins the non-Gaussian entry laws' streams (same generator as above, seed 2026, trial 0).
        for (law, pinned) in [(EntryLaw::Uniform, PINNED_UNIFORM), (EntryLaw::TruncatedNormal, PINNED_TRUNCATED)] {
            let mut first = [0.0; 4];
            fill_unit_variance(law, &mut first, &mut trial_rng(2026, 0));
            for (got, want) in first.iter().zip(pinned) {
                assert_eq!(got.to_bits(), want.to_bits(), "{law:?}: got {first:?}");
            }
        }
    }

    #[test]
    fn entry_laws_have_unit_variance_their_fourth_moment_and_their_cdf() {
        use statrs::distribution::{ContinuousCDF, Normal};
        // N = 200 000 draws per law. Mean and variance within 5 standard errors: SE(mean) =
        // 1/√N, SE(mean of x²) = √((m4 − 1)/N); m4 within 5·√((m8 − m4²)/N), with m8 ≤ 9·m4²
        // (m8 = 9 for the uniform, 27.19 for the truncated normal by mpmath quadrature, against
        // 9·m4² = 29.2 and 50.4). KS against the exact CDF with the α = 0.001
        // critical value 1.95/√N (draws are iid).
        let n = 200_000;
        let phi = Normal::standard();
        let c = crate::initializer::TRUNCATED_NORMAL_SD;
        let mass = phi.cdf(2.0) - phi.cdf(-2.0);
        type Cdf = Box<dyn Fn(f64) -> f64>;
        let laws: [(EntryLaw, Cdf); 2] = [
            (EntryLaw::Uniform, Box::new(|x: f64| ((x / 3f64.sqrt() + 1.0) / 2.0).clamp(0.0, 1.0))),
            (
                EntryLaw::TruncatedNormal,
                Box::new(move |x: f64| ((phi.cdf(c * x) - phi.cdf(-2.0)) / mass).clamp(0.0, 1.0)),
            ),
        ];
        for (law, cdf) in laws {
            let mut x = vec![0.0; n];
            fill_unit_variance(law, &mut x, &mut trial_rng(77, 0));
            let nf = n as f64;
            let mean = x.iter().sum::<f64>() / nf;
            let m2 = x.iter().map(|v| v * v).sum::<f64>() / nf;
            let m4 = x.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
            let want4 = law.fourth_moment();
            assert!(mean.abs() < 5.0 / nf.sqrt(), "{law:?} mean {mean}");
            assert!((m2 - 1.0).abs() < 5.0 * ((want4 - 1.0) / nf).sqrt(), "{law:?} variance {m2}");
            assert!((m4 - want4).abs() < 5.0 * (8.0 * want4 * want4 / nf).sqrt(), "{law:?} m4 {m4} vs {want4}");
            x.sort_by(f64::total_cmp);
            let d = x
                .iter()
                .enumerate()
                .map(|(i, &v)| (cdf(v) - i as f64 / nf).abs().max(((i + 1) as f64 / nf - cdf(v)).abs()))
                .fold(0.0, f64::max);
            assert!(d < 1.95 / nf.sqrt(), "{law:?} KS {d}");
        }
    }

    const PINNED_UNIFORM: [f64; 4] = [0.9916915077378278, 1.3721935280143338, -1.6823768670113268, -0.5573192412584463];
    const PINNED_TRUNCATED: [f64; 4] =
        [0.3805303869026025, 0.8276071650577105, -1.5397680576421697, -0.3328749870459891];

    const PINNED_FIRST_DRAWS: [f64; 4] =
        [0.3347242931228167, 0.7279844996405618, -1.354419495542901, -0.29280538052209215];

    #[test]
    fn orthogonal_has_equal_singular_values_and_target_entry_variance() {
        for (m, n) in [(6, 3), (3, 6), (5, 5)] {
            let s2 = 0.3;
            let w = sample(Strategy::Orthogonal { variance: Some(s2) }, m, n, &mut trial_rng(1, 0)).unwrap();
            let mean_square = w.iter().map(|x| x * x).sum::<f64>() / (m * n) as f64;
            assert!((mean_square - s2).abs() < 1e-14, "({m},{n}) mean square {mean_square}");
            let c2 = m.max(n) as f64 * s2;
            // Orthonormal rows or columns: W Wᵀ = c² I (m ≤ n) or Wᵀ W = c² I (m ≥ n).
            let g = if m <= n { &w * w.transpose() } else { w.transpose() * &w };
            let expected = DMatrix::<f64>::identity(m.min(n), m.min(n)) * c2;
            assert!((g - expected).amax() < 1e-13);
        }
    }

    #[test]
    fn bad_sizes_are_errors_not_panics() {
        assert!(sample(Strategy::He, 0, 4, &mut trial_rng(0, 0)).is_err());
        assert!(sample(Strategy::He, 4, 0, &mut trial_rng(0, 0)).is_err());
        let mut short = vec![0.0; 3];
        assert!(sample_into(Strategy::He, 2, 2, &mut trial_rng(0, 0), &mut short).is_err());
    }
}
