//! Monte Carlo experiments: seeded, parallel over trials, reduced in trial order so that the
//! result does not depend on the thread count.
//!
//! | experiment | module |
//! |---|---|
//! | sampled spectra vs Marchenko–Pastur and Bai–Yin | [`spectrum`] |
//! | forward/backward second moments through layer chains | [`propagation`] |
//! | end-to-end singular-value spread of deep linear chains | [`depth`] |
//! | goodness of fit: λ_max vs Tracy–Widom, calibrated bulk vs Marchenko–Pastur | [`calibration`] |

pub mod calibration;
pub mod depth;
pub mod propagation;
pub mod spectrum;

use rayon::prelude::*;

/// Runs `trial(state, index)` for index in 0..count in parallel with one `init()` state per
/// worker (solvers, buffers), and returns the results **in index order**.
///
/// OpenBLAS is held at one thread meanwhile (trials are the parallel axis; the two never nest),
/// and restored afterwards.
pub(crate) fn run_trials<S, T, I, F>(count: usize, init: I, trial: F) -> crate::Result<Vec<T>>
where
    T: Send,
    I: Fn() -> crate::Result<S> + Sync + Send,
    F: Fn(&mut S, u64) -> crate::Result<T> + Sync + Send,
{
    let previous = crate::linalg::blas_threads();
    crate::linalg::set_blas_threads(1);
    let result = (0..count as u64)
        .into_par_iter()
        .map_init(&init, |state, index| match state {
            Ok(state) => trial(state, index),
            Err(e) => Err(e.clone()),
        })
        .collect::<crate::Result<Vec<T>>>();
    crate::linalg::set_blas_threads(previous);
    result
}
