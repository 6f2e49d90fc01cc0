//! Monte Carlo experiments: seeded, parallel over trials ([`crate::trials`]), reduced in trial
//! order so that the result does not depend on the thread count.
//!
//! | experiment | module |
//! |---|---|
//! | sampled spectra vs Marchenko–Pastur and Bai–Yin (`rmspec spectrum`, `rmspec merge`) | [`spectrum`] |
//! | forward/backward second moments through layer chains (`rmspec propagate`) | [`propagation`] |
//! | end-to-end singular-value spread of deep linear chains | [`depth`] |
//! | the Jacobian law of deep networks, and sampled networks beside it (`rmspec jacobian`) | [`jacobian`] |
//! | the LAPACK floor of a spectrum run (for `bench/compare`) | [`kernel_floor`] |
//! | the full spectrum of the unnormalised W Wᵀ of one matrix | [`unnormalised`] |
//!
//! Experiments take a validated configuration and return a typed result (numbers, [`Strategy`](crate::Strategy),
//! [`Shape`](crate::Shape)); they never format text, draw or write files (see [`crate::output`] and
//! [`crate::figures`]). The goodness-of-fit tests a spectrum run adds live below them, in
//! [`crate::calibration`].

pub mod depth;
pub mod jacobian;
pub mod kernel_floor;
pub mod propagation;
pub mod spectrum;
pub mod unnormalised;
