//! # rmspec — random-matrix spectral analysis of weight initialisation
//!
//! (crate documentation is completed with the conventions table below as modules land)
//!
//! ## Conventions
//!
//! | symbol | meaning |
//! |---|---|
//! | W ∈ ℝ^{m×n} | weight matrix; m = fan-in (rows), n = fan-out (columns); a layer computes y = Wᵀx. PyTorch stores the same layer as an n×m (out×in) tensor. |
//! | s2 | variance of each entry of W |
//! | γ = m/n | aspect ratio |
//! | S = W Wᵀ / n | the m×m Gram matrix whose spectrum follows Marchenko–Pastur(γ, s2) |
//! | ‖W‖ = σ_max(W) = √(n·λ_max(S)) | spectral norm |
//! | κ(W) = σ_max/σ_min | condition number over the min(m, n) nonzero singular values; κ(S) = κ(W)² |

#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate openblas_src;

pub mod activation;
pub mod claims;
pub mod error;
pub mod experiment;
pub mod figures;
pub mod law;
pub mod linalg;
pub mod memory;
pub mod plot;
pub mod prediction;
pub mod report;
pub mod sample;
pub mod spectrum;
pub mod stats;
pub mod strategy;

pub use error::{Error, Result};

/// The normalisation convention, as written into every JSON result and figure.
pub const NORMALIZATION: &str =
    "S = W W^T / n; W is m x n with m = fan-in (rows), n = fan-out (columns), y = W^T x; gamma = m/n";
pub use strategy::Strategy;
