//! Singular values of a stored weight tensor, in f64, read chunk by chunk.
//!
//! **Why not the Gram route.** The rest of rmspec takes spectra from the eigenvalues of the
//! smaller Gram matrix (`dsyrk` + `dsyev`), whose absolute error ε·λ_max gives σ_min a relative
//! error of about ε·κ²/2. Trained layers are often badly conditioned (κ = 10⁴…10⁸, or
//! rank-deficient), where that route returns noise for σ_min, κ and the numerical rank. Here
//! singular values come from an orthogonal factorisation instead, accurate to ε·‖W‖ in absolute
//! terms (relative ε·κ for σ_min), as LAPACK's `dgesdd` on the whole matrix would give:
//!
//! * Let T be the tall orientation of the stored 2-D array A (N × k, N = max, k = min of its
//!   sides; σ(T) = σ(A) = σ(W)).
//! * **Direct** (N < k + b, b = max(k, 256)): the tensor is decoded into one f64 buffer and
//!   `dgesdd` (JOBZ = 'N') runs on it. Memory 8·N·k bytes.
//! * **Streamed QR** (N ≥ k + b): T is read b rows at a time and folded into a k×k upper
//!   triangular R by LAPACK's `dtpqrt` (the TSQR step: R ← R-factor of [R; next rows]), then
//!   `dgesdd` runs on R, whose singular values are T's (Householder QR is backward stable, so
//!   the error is that of a QR of T itself[^dghl]). Memory 8·k·(k + b) bytes, independent of N:
//!   for the tall embedding tables of language models the f64 copy of the tensor is never made.
//!   Cost ≈ 2·N·k² flops against N·k² for the Gram matrix.
//!
//! NaN and infinite entries are counted over the whole tensor (the factorisation stops at the
//! first one).
//!
//! [^dghl]: J. Demmel, L. Grigori, M. Hoemmen and J. Langou, "Communication-optimal parallel and
//!     sequential QR and LU factorizations", *SIAM J. Sci. Comput.* 34 (2012).

use super::layout::MatrixView;
use super::source::{NonFinite, TensorBytes};
use crate::error::{Error, Result};
use crate::linalg;
use serde::Serialize;

/// Which route computed the singular values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SvdRoute {
    /// `dgesdd` on the decoded tensor.
    Direct,
    /// Streamed `dtpqrt` (TSQR) to a k×k R, then `dgesdd` on R.
    StreamedQr,
}

/// The outcome of reading a tensor's singular values.
#[derive(Debug, Clone, PartialEq)]
pub struct Singular {
    /// The min(m, n) singular values of W, ascending (empty when the tensor is not finite).
    pub values: Vec<f64>,
    /// NaN and infinite entries found.
    pub non_finite: NonFinite,
    /// The route taken.
    pub route: SvdRoute,
}

/// Rows per chunk of the streamed route for k columns.
pub fn chunk_rows(k: usize) -> usize {
    k.max(256)
}

/// Bytes of working memory [`singular_values`] needs for a stored rows×cols array.
pub fn working_bytes(rows: usize, cols: usize) -> u128 {
    let (tall, k) = (rows.max(cols) as u128, rows.min(cols) as u128);
    let b = chunk_rows(k as usize) as u128;
    if tall < k + b {
        8 * tall * k
    } else {
        8 * (k * k + b * k + 64 * k)
    }
}

/// Singular values of the tensor read as `view` (see the [module docs](self)).
///
/// # Errors
/// Working memory beyond the limit ([`Error::TooLarge`]), or a LAPACK failure.
pub fn singular_values(bytes: &TensorBytes, view: &MatrixView) -> Result<Singular> {
    let (rows, cols) = (view.rows, view.cols);
    if bytes.len() != rows * cols {
        return Err(Error::Mismatch(format!("tensor has {} elements, its view {rows}×{cols}", bytes.len())));
    }
    crate::memory::ensure_fits(|| format!("the singular values of a {rows}×{cols} tensor"), working_bytes(rows, cols))?;
    let k = rows.min(cols);
    let tall = rows.max(cols);
    if tall < k + chunk_rows(k) {
        direct(bytes, rows, cols)
    } else {
        streamed(bytes, rows, cols)
    }
}

fn direct(bytes: &TensorBytes, rows: usize, cols: usize) -> Result<Singular> {
    let mut a = vec![0.0; rows * cols];
    let non_finite = bytes.decode(0, &mut a);
    if !non_finite.is_clean() {
        return Ok(Singular { values: Vec::new(), non_finite, route: SvdRoute::Direct });
    }
    // The row-major rows×cols array is the column-major cols×rows matrix Aᵀ: same singular values.
    let values = linalg::singular_values(&mut a, cols, rows)?;
    Ok(Singular { values, non_finite, route: SvdRoute::Direct })
}

fn streamed(bytes: &TensorBytes, rows: usize, cols: usize) -> Result<Singular> {
    let (tall, k) = (rows.max(cols), rows.min(cols));
    let b = chunk_rows(k);
    let nb = k.clamp(1, 32);
    let (mut r, mut block) = (vec![0.0; k * k], vec![0.0; b * k]);
    let (mut t, mut work) = (vec![0.0; nb * k], vec![0.0; nb * k]);
    let mut row_buffer = vec![0.0; if rows >= cols { b * k } else { b }];
    let mut non_finite = NonFinite::default();
    let mut start = 0;
    while start < tall {
        let count = b.min(tall - start);
        let chunk = &mut block[..count * k];
        if rows >= cols {
            // T = A: rows start..start+count of A are contiguous; scatter into column-major.
            let source = &mut row_buffer[..count * k];
            non_finite.add(bytes.decode(start * cols, source));
            for i in 0..count {
                for j in 0..k {
                    chunk[j * count + i] = source[i * k + j];
                }
            }
        } else {
            // T = Aᵀ: column j of the chunk is row j of A, entries start..start+count.
            for j in 0..k {
                let source = &mut row_buffer[..count];
                non_finite.add(bytes.decode(j * cols + start, source));
                chunk[j * count..(j + 1) * count].copy_from_slice(source);
            }
        }
        if non_finite.is_clean() {
            linalg::triangular_pentagonal_qr(&mut r, k, chunk, count, &mut t, &mut work)?;
        }
        start += count;
    }
    if !non_finite.is_clean() {
        return Ok(Singular { values: Vec::new(), non_finite, route: SvdRoute::StreamedQr });
    }
    for j in 0..k {
        r[j * k + j + 1..(j + 1) * k].iter_mut().for_each(|x| *x = 0.0);
    }
    let values = linalg::singular_values(&mut r, k, k)?;
    Ok(Singular { values, non_finite, route: SvdRoute::StreamedQr })
}
