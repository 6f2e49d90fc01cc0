//! The figures rmspec draws, built from finished results as [`Figure`](crate::plot::Figure)
//! models (series, labels, legend, ranges) and drawn by [`crate::plot`]. Builders are grouped by
//! what they draw; none samples, calls LAPACK or writes a file.
//!
//! | module | figures |
//! |---|---|
//! | [`spectrum`] | a strategy's eigenvalue histogram vs Marchenko–Pastur, all strategies overlaid, scaled λ_max vs Tracy–Widom (`rmspec spectrum`; the report's MP histograms) |
//! | [`propagation`] | second moments per layer through a chain; gains vs aspect ratio |
//! | [`sweeps`] | quantities against size or shape: ‖W‖ vs Bai–Yin, κ vs γ, edge fluctuations vs n |
//! | [`depth`] | end-to-end singular-value spread vs depth |
//! | [`weights`] | a checkpoint layer's eigenvalue histogram vs the fitted Marchenko–Pastur law and its Tracy–Widom edge; λ_max over the edge for every layer (`rmspec weights`) |
//!
//! Every figure carries its parameters in its subtitle (m, n, γ, strategy, s2, trials, seed) and
//! names the normalisation on its axis, so it can be read without the text around it.

pub mod depth;
pub mod propagation;
pub mod spectrum;
pub mod sweeps;
pub mod weights;

pub use spectrum::{all_strategies, density_curve, edge_fit, strategy_spectrum};
