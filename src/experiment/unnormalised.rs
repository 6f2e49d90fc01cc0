//! The unnormalised Gram matrix W Wᵀ of one sampled matrix (the report's check of the stated
//! edges s2(√n ± √m)² and of the m − n zero eigenvalues when m > n): its full m×m spectrum, not
//! the reduced one the spectrum experiment computes.

use crate::error::Result;
use crate::sample::{sample, trial_rng};
use crate::shape::Shape;
use crate::spectrum::symmetric_eigenvalues;
use crate::strategy::Strategy;

/// What the full spectrum of W Wᵀ shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnnormalisedGram {
    /// Eigenvalues of W Wᵀ that are zero to 1e−10 relative to the largest.
    pub zeros: usize,
    /// λ_max(W Wᵀ).
    pub lambda_max: f64,
}

/// The spectrum of W Wᵀ for the matrix drawn for `strategy` at `shape` from trial 0 of `seed`,
/// by a full m×m symmetric eigenvalue decomposition.
///
/// # Errors
/// A LAPACK failure, or a strategy with an invalid variance.
pub fn unnormalised_gram(strategy: Strategy, shape: Shape, seed: u64) -> Result<UnnormalisedGram> {
    let w = sample(strategy, shape.m(), shape.n(), &mut trial_rng(seed, 0))?;
    let full = &w * w.transpose();
    let eig = symmetric_eigenvalues(&full)?;
    let top = eig[eig.len() - 1];
    let zeros = eig.iter().filter(|&&l| l.abs() <= 1e-10 * top).count();
    Ok(UnnormalisedGram { zeros, lambda_max: top })
}
