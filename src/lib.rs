//! # rmspec — random-matrix spectral analysis of weight initialisation
//!
//! rmspec samples weight matrices at the variance each initialisation strategy prescribes,
//! computes their spectra through LAPACK, and sets them beside random-matrix theory
//! (Marchenko–Pastur, Bai–Yin), so that researchers can choose initialisations and test suites
//! can check condition numbers against predictions with known error rates.
//!
//! ## Conventions
//!
//! Every module, figure and JSON document uses this one table (JSON carries it as
//! [`NORMALIZATION`]).
//!
//! | symbol | meaning |
//! |---|---|
//! | W ∈ ℝ^{m×n} | weight matrix; m = fan-in (rows), n = fan-out (columns); a layer computes y = Wᵀx, as in the source analysis. PyTorch's `nn.Linear.weight` stores the same layer as an n×m (out×in) tensor: pass its transpose, or swap m and n. |
//! | s2 | variance of each entry of W |
//! | γ = m/n | aspect ratio |
//! | S = W Wᵀ / n | the m×m Gram matrix; its spectrum tends to Marchenko–Pastur(γ, s2), support s2(1 ± √γ)² |
//! | atom at 0 | when m > n, S has m − n exact zero eigenvalues (mass 1 − 1/γ); rmspec counts them and never asks an eigensolver for them |
//! | ‖W‖ = σ_max(W) = √(n·λ_max(S)) | spectral norm |
//! | κ(W) = σ_max/σ_min | condition number over the min(m, n) nonzero singular values; κ(S) = κ(W)² |
//! | forward / backward gain | m·s2 and n·s2: the factors by which a layer scales the second moment of activations (forward) and gradients (backward) |
//!
//! ## Module map
//!
//! Layers, from the bottom; a module uses only modules of its own layer or below (no import
//! cycles; see `docs/architecture.md` for where each concept lives and how a run flows).
//!
//! | layer | module | concept |
//! |---|---|---|
//! | foundations | [`error`] | the one [`Error`] type, naming the bad parameter and value |
//! | | [`shape`] | the validated m×n [`Shape`]: γ, min, max, structural zeros, orthogonal c² |
//! | | [`initializer`] | framework initialisers (PyTorch, Keras, Flax/JAX): entry laws, variances, fan rules |
//! | | [`strategy`] | initialisation strategies and their variance s2(m, n), the framework initialisers among them |
//! | | [`memory`] | memory estimates and the limit in force |
//! | | [`provenance`] | what every JSON document says about itself: format name and version, producing rmspec |
//! | numerics | [`linalg`] | BLAS/LAPACK wrappers: with the memory maps of [`weights::source`], the only `unsafe` code |
//! | | [`sample`] | seeded matrix sampling, one random stream per (seed, trial) |
//! | | [`spectrum`] | Gram eigenvalues, singular values, norms, condition numbers |
//! | | [`tridiagonal`] | the Dumitriu–Edelman tridiagonal model and Sturm counts |
//! | | [`free`] | free multiplicative convolution through the S-transform: the solver behind the Jacobian law |
//! | | [`law`] | Marchenko–Pastur, Bai–Yin, Tracy–Widom, the edge scaling, a deep network's Jacobian law, the [`law::SpectralLaw`] trait |
//! | | [`stats`] | means with standard errors, KS distances, histograms, quantile-grid counts, slopes |
//! | | [`activation`] | activations φ, φ' and their mean-field gains (Gauss–Hermite) |
//! | theory | [`prediction`] | what theory predicts for a strategy at a shape |
//! | | [`intervals`] | finite-size prediction intervals for ‖W‖, λ_max, σ_min, κ at a chosen level |
//! | running | [`trials`] | trial running: threading layout, progress and cancellation, the BLAS lock |
//! | | [`calibration`] | goodness of fit: λ_max vs Tracy–Widom, the bulk null (simulated through the tridiagonal model, cached per process and on disk) vs Marchenko–Pastur |
//! | | [`check`] | test-facing checks of a weight matrix against its initialiser, with [`assert_spectrum!`] |
//! | | [`experiment`] | Monte Carlo experiments: spectra (shards, merge), variance propagation, deep chains, Jacobians of sampled networks |
//! | | [`weights`] | checkpoints (safetensors, npy, npz) read layer by layer and compared with their initialiser's law |
//! | output | [`plot`] | how to draw: a [`plot::Figure`] model rendered to SVG/PNG |
//! | | [`figures`] | what to draw: figure models built from results, grouped by subject |
//! | | [`output`] | number formatting, tables, JSON and text documents |
//! | | [`claims`] | the report that checks every claim of the source analysis (`rmspec report`) |
//!
//! The command-line program (`src/main.rs`, `src/cli/`) parses arguments, calls the library and
//! prints what [`output`] renders.
//!
//! **Features.** `cli` (the default; implies `figures`) builds the program; `figures` the figure
//! renderer (`plot`, `figures`) and the report (`claims`). With `default-features = false` the
//! crate is the numerics, experiments, calibration, [`check`] and JSON documents only, without
//! clap, indicatif, ctrlc, anyhow, resvg or ttf-parser.
//!
//! ## A short tour
//!
//! ```
//! use rmspec::law::{MarchenkoPastur, SpectralLaw};
//! use rmspec::{sample, spectrum, Strategy};
//!
//! // Xavier/Glorot for a 256 → 1024 layer: s2 = 2/(m + n).
//! let (m, n) = (256, 1024);
//! let s2 = Strategy::Arithmetic.variance(m, n)?;
//! assert_eq!(s2, 2.0 / 1280.0);
//!
//! // Theory: the spectrum of S = W Wᵀ/n fills [s2(1 − √γ)², s2(1 + √γ)²] with γ = 1/4.
//! let mp = MarchenkoPastur::new(m as f64 / n as f64, s2)?;
//! assert!((mp.upper_edge() - s2 * 2.25).abs() < 1e-15);
//!
//! // One seeded sample, its spectrum through LAPACK, and the Bai–Yin comparison.
//! let w = sample::sample(Strategy::Arithmetic, m, n, &mut sample::trial_rng(42, 0))?;
//! let s = spectrum::gram_spectrum(&w)?;
//! assert!((s.lambda_max() / mp.upper_edge() - 1.0).abs() < 0.05);
//! // κ(W) → (√n + √m)/(√n − √m) = 3, whatever s2 is.
//! assert!((s.condition_number() / 3.0 - 1.0).abs() < 0.1);
//! # Ok::<(), rmspec::Error>(())
//! ```
//!
//! ## References
//!
//! V. A. Marchenko and L. A. Pastur, "Distribution of eigenvalues for some sets of random
//! matrices", *Mat. Sb.* 72 (1967). Z. D. Bai and Y. Q. Yin, "Limit of the smallest eigenvalue of
//! a large dimensional sample covariance matrix", *Ann. Probab.* 21 (1993). Z. Bai and J. W.
//! Silverstein, *Spectral Analysis of Large Dimensional Random Matrices*, Springer, 2010.

#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate openblas_src;

pub mod activation;
pub mod calibration;
pub mod check;
#[cfg(feature = "figures")]
pub mod claims;
pub mod error;
pub mod experiment;
#[cfg(feature = "figures")]
pub mod figures;
pub mod free;
pub mod initializer;
pub mod intervals;
pub mod law;
pub mod linalg;
pub mod memory;
pub mod output;
#[cfg(feature = "figures")]
pub mod plot;
pub mod prediction;
pub mod provenance;
pub mod sample;
pub mod shape;
pub mod spectrum;
pub mod stats;
pub mod strategy;
pub mod trials;
pub mod tridiagonal;
#[cfg(feature = "weights")]
pub mod weights;

pub use error::{Error, Result};
pub use shape::Shape;
pub use strategy::Strategy;

/// The normalisation convention, as written into every JSON result and figure.
pub const NORMALIZATION: &str =
    "S = W W^T / n; W is m x n with m = fan-in (rows), n = fan-out (columns), y = W^T x; gamma = m/n";
