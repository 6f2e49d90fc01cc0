//! Safe wrappers over the BLAS and LAPACK routines rmspec uses; with the memory maps of
//! `weights::source`, the only `unsafe` code.
//!
//! All matrices are column-major `f64` slices with leading dimension equal to the row count,
//! as in nalgebra's `DMatrix`. Routines come from the system OpenBLAS through the Fortran
//! interface (`blas` and `lapack` crates; Debian's OpenBLAS ships no LAPACKE symbols).
//!
//! | wrapper | routine | what it computes |
//! |---|---|---|
//! | [`gram_lower`] | `dsyrk` | the lower triangle of α·A·Aᵀ or α·Aᵀ·A |
//! | [`SymmetricEigenvalues`] | `dsyev` (or `dsyevd`, `dsyevr`), JOBZ = 'N' | eigenvalues only, ascending |
//! | [`tridiagonal_eigenvalues`] | `dsterf` | eigenvalues of a symmetric tridiagonal, ascending |
//! | [`bidiagonal_singular_values`] | `dbdsqr` (dqds) | singular values of a bidiagonal, ascending |
//! | [`singular_values`] | `dgesdd`, JOBZ = 'N' | singular values only |
//! | [`orthonormal_columns`] | `dgeqrf` + `dorgqr` | the thin Q of a QR factorisation, and diag(R) |
//! | [`gemm`] | `dgemm` | C = α·op(A)·op(B) |
//!
//! Each wrapper checks LAPACK's `info`: negative is an illegal argument (a bug here), positive
//! is non-convergence; both come back as [`Error::Lapack`].

#![allow(unsafe_code)]

use crate::error::{Error, Result};

fn lapack_int(value: usize, what: &'static str) -> Result<i32> {
    i32::try_from(value).map_err(|_| Error::invalid(what, value, "exceeds LAPACK's 32-bit integer range"))
}

fn check_info(routine: &'static str, info: i32) -> Result<()> {
    if info == 0 {
        Ok(())
    } else {
        Err(Error::Lapack { routine, info })
    }
}

extern "C" {
    fn openblas_set_num_threads(num_threads: std::os::raw::c_int);
    fn openblas_get_num_threads() -> std::os::raw::c_int;
    fn openblas_get_corename() -> *const std::os::raw::c_char;
}

/// The name of the kernel set OpenBLAS selected when the library loaded (`Haswell`, `SkylakeX`,
/// `Zen`, `Prescott`, …), from `openblas_get_corename`.
///
/// A DYNAMIC_ARCH build such as Debian's picks it from the CPU's family and model, or from the
/// environment variable `OPENBLAS_CORETYPE` read once at load time. The kernel decides the last
/// bits of BLAS and LAPACK results (and so of eigenvalues and JSON digits); the committed outputs
/// in `docs/` and `plots/` were produced with `Haswell`. On a CPU model it does not know (virtual
/// machines that hide it), Debian's OpenBLAS 0.3.21 falls back to `Prescott`, its SSE3 kernels,
/// at about half the speed (docs/performance.md); the `rmspec` command then selects `SkylakeX`
/// (AVX-512) or `Haswell` (AVX2 and FMA) itself, a library user sets `OPENBLAS_CORETYPE`.
pub fn openblas_kernel() -> String {
    // SAFETY: openblas_get_corename returns a pointer to a static NUL-terminated string (or null
    // in builds without a core name); it is only read.
    let name = unsafe { openblas_get_corename() };
    if name.is_null() {
        return "unknown".to_string();
    }
    // SAFETY: non-null, NUL-terminated, static for the life of the process (see above).
    unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().trim().to_string()
}

/// Sets the number of threads OpenBLAS uses inside each BLAS/LAPACK call.
///
/// rmspec runs independent trials in parallel with rayon and keeps OpenBLAS at one thread while
/// it does, so that the two never nest and results do not depend on the thread count.
pub fn set_blas_threads(threads: usize) {
    let threads = threads.clamp(1, i32::MAX as usize) as i32;
    // SAFETY: openblas_set_num_threads only stores the count in OpenBLAS's global state.
    unsafe { openblas_set_num_threads(threads) }
}

/// The number of threads OpenBLAS currently uses.
pub fn blas_threads() -> usize {
    // SAFETY: openblas_get_num_threads reads OpenBLAS's global state and has no preconditions.
    unsafe { openblas_get_num_threads() }.max(1) as usize
}

/// Which product [`gram_lower`] forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GramSide {
    /// α·A·Aᵀ (rows × rows).
    Rows,
    /// α·Aᵀ·A (columns × columns).
    Columns,
}

/// Writes the lower triangle of α·A·Aᵀ (`GramSide::Rows`) or α·Aᵀ·A (`GramSide::Columns`) into
/// `out` (k×k column-major, k = rows or columns of A). The upper triangle is left unspecified.
///
/// # Errors
/// [`Error::Mismatch`] if the buffers have the wrong lengths.
pub fn gram_lower(a: &[f64], rows: usize, cols: usize, side: GramSide, alpha: f64, out: &mut [f64]) -> Result<()> {
    if a.len() != rows * cols {
        return Err(Error::Mismatch(format!("matrix buffer has {} entries, expected {rows}×{cols}", a.len())));
    }
    let (k, inner, trans) = match side {
        GramSide::Rows => (rows, cols, b'N'),
        GramSide::Columns => (cols, rows, b'T'),
    };
    if out.len() != k * k {
        return Err(Error::Mismatch(format!("Gram buffer has {} entries, expected {k}×{k}", out.len())));
    }
    let (k_i, inner_i, lda) =
        (lapack_int(k, "k")?, lapack_int(inner, "inner dimension")?, lapack_int(rows.max(1), "rows")?);
    // SAFETY: a holds rows×cols column-major entries with lda = rows; out holds k×k with ldc = k;
    // both lengths were checked above, and dsyrk reads/writes only within them.
    unsafe { blas::dsyrk(b'L', trans, k_i, inner_i, alpha, a, lda, 0.0, out, k_i.max(1)) };
    Ok(())
}

/// C (m×n) = α·op(A)·op(B), op = identity or transpose.
///
/// # Errors
/// [`Error::Mismatch`] if the shapes disagree.
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    transpose_a: bool,
    transpose_b: bool,
    a: &[f64],
    a_rows: usize,
    a_cols: usize,
    b: &[f64],
    b_rows: usize,
    b_cols: usize,
    alpha: f64,
    c: &mut [f64],
) -> Result<()> {
    let (m, k) = if transpose_a { (a_cols, a_rows) } else { (a_rows, a_cols) };
    let (k2, n) = if transpose_b { (b_cols, b_rows) } else { (b_rows, b_cols) };
    if k != k2 || a.len() != a_rows * a_cols || b.len() != b_rows * b_cols || c.len() != m * n {
        return Err(Error::Mismatch(format!(
            "gemm shapes disagree: op(A) is {m}×{k}, op(B) is {k2}×{n}, C has {} entries",
            c.len()
        )));
    }
    let ta = if transpose_a { b'T' } else { b'N' };
    let tb = if transpose_b { b'T' } else { b'N' };
    // SAFETY: all three buffers were checked against their shapes; leading dimensions are the
    // stored row counts (at least 1, as BLAS requires).
    unsafe {
        blas::dgemm(
            ta,
            tb,
            lapack_int(m, "rows")?,
            lapack_int(n, "columns")?,
            lapack_int(k, "inner dimension")?,
            alpha,
            a,
            lapack_int(a_rows.max(1), "rows")?,
            b,
            lapack_int(b_rows.max(1), "rows")?,
            0.0,
            c,
            lapack_int(m.max(1), "rows")?,
        )
    };
    Ok(())
}

/// LAPACK's eigenvalues-only drivers for a dense symmetric matrix (JOBZ = 'N').
///
/// All three reduce to tridiagonal form with `dsytrd` and then take the tridiagonal eigenvalues
/// with a root-free QR (`dsterf`), so without eigenvectors their costs are close;
/// `benches/kernels.rs` measures them (figures in docs/performance.md). [`EigenDriver::Syev`] is
/// the default: measured interleaved on one core (OpenBLAS 0.3.21, Zen4, a loaded machine) it
/// was the fastest or within 5% of it at k = 256, 512, 2048 and 1.3× behind `dsyevr` only at
/// 1024 (0.096 s vs 0.076 s), while `dsyevd` was never faster than `dsyev`. The differences are
/// 5–25%, near the noise of that machine; re-measure with `cargo bench --bench kernels -- eigen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EigenDriver {
    /// `dsyevd` (divide and conquer; with JOBZ = 'N' it calls `dsterf`).
    Syevd,
    /// `dsyev` (implicit QL/QR; with JOBZ = 'N' it calls `dsterf`).
    #[default]
    Syev,
    /// `dsyevr` (MRRR; with JOBZ = 'N' and RANGE = 'A' it calls `dsterf`).
    Syevr,
    /// `dsyev_2stage` (two-stage reduction: dense to band by BLAS-3 `dsytrd_sy2sb`, band to
    /// tridiagonal by bulge chasing, then `dsterf`; LAPACK ≥ 3.7 supports JOBZ = 'N' only).
    Syev2Stage,
}

/// Reusable workspace for eigenvalues of k×k symmetric matrices (JOBZ = 'N'), by default with
/// `dsyev` (see [`EigenDriver`]).
///
/// The workspace size is queried from LAPACK once, at construction; [`compute`](Self::compute)
/// then allocates nothing. One solver per worker thread.
#[derive(Debug, Clone)]
pub struct SymmetricEigenvalues {
    k: usize,
    driver: EigenDriver,
    work: Vec<f64>,
    iwork: Vec<i32>,
    /// dsyevr only: support of the (unused) eigenvectors, 2k entries.
    isuppz: Vec<i32>,
}

impl SymmetricEigenvalues {
    /// Workspace for k×k matrices with the default driver.
    ///
    /// # Errors
    /// [`Error::Lapack`] if the workspace query fails; [`Error::InvalidParameter`] if k exceeds
    /// LAPACK's integer range.
    pub fn new(k: usize) -> Result<Self> {
        Self::with_driver(k, EigenDriver::default())
    }

    /// Workspace for k×k matrices with the given driver.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_driver(k: usize, driver: EigenDriver) -> Result<Self> {
        let k_i = lapack_int(k, "k")?;
        let mut work = [0.0f64];
        let mut iwork = [0i32];
        let mut w = vec![0.0; k.max(1)];
        let mut a = vec![0.0; 1];
        let mut info = 0;
        let (lwork, liwork) = match driver {
            EigenDriver::Syevd => {
                // SAFETY: lwork = liwork = −1 is a workspace query: LAPACK writes the optimal
                // sizes to work[0] and iwork[0] and touches neither a nor w.
                unsafe {
                    lapack::dsyevd(
                        b'N',
                        b'L',
                        k_i,
                        &mut a,
                        k_i.max(1),
                        &mut w,
                        &mut work,
                        -1,
                        &mut iwork,
                        -1,
                        &mut info,
                    )
                };
                check_info("dsyevd", info)?;
                ((work[0] as usize).max(2 * k + 1), (iwork[0] as usize).max(1))
            }
            EigenDriver::Syev => {
                // SAFETY: lwork = −1 is a workspace query; only work[0] is written.
                unsafe { lapack::dsyev(b'N', b'L', k_i, &mut a, k_i.max(1), &mut w, &mut work, -1, &mut info) };
                check_info("dsyev", info)?;
                ((work[0] as usize).max(3 * k), 1)
            }
            EigenDriver::Syev2Stage => {
                // SAFETY: lwork = −1 is a workspace query; only work[0] is written.
                unsafe { lapack::dsyev_2stage(b'N', b'L', k_i, &mut a, k_i.max(1), &mut w, &mut work, -1, &mut info) };
                check_info("dsyev_2stage", info)?;
                ((work[0] as usize).max(3 * k), 1)
            }
            EigenDriver::Syevr => {
                let mut z = [0.0f64];
                let mut found = 0;
                let mut isuppz = vec![0i32; 2 * k.max(1)];
                // SAFETY: lwork = liwork = −1 is a workspace query; with JOBZ = 'N' z is not
                // referenced (ldz = 1 is allowed); only work[0] and iwork[0] are written.
                unsafe {
                    lapack::dsyevr(
                        b'N',
                        b'A',
                        b'L',
                        k_i,
                        &mut a,
                        k_i.max(1),
                        0.0,
                        0.0,
                        0,
                        0,
                        0.0,
                        &mut found,
                        &mut w,
                        &mut z,
                        1,
                        &mut isuppz,
                        &mut work,
                        -1,
                        &mut iwork,
                        -1,
                        &mut info,
                    )
                };
                check_info("dsyevr", info)?;
                ((work[0] as usize).max(26 * k), (iwork[0] as usize).max(10 * k))
            }
        };
        let isuppz = if driver == EigenDriver::Syevr { vec![0; 2 * k.max(1)] } else { Vec::new() };
        Ok(SymmetricEigenvalues { k, driver, work: vec![0.0; lwork], iwork: vec![0; liwork], isuppz })
    }

    /// The matrix order this workspace serves.
    pub fn order(&self) -> usize {
        self.k
    }

    /// The LAPACK driver in use.
    pub fn driver(&self) -> EigenDriver {
        self.driver
    }

    /// Eigenvalues, ascending, of the symmetric matrix whose lower triangle is in `a` (k×k
    /// column-major; destroyed). Writes them into `eigenvalues` (length k).
    ///
    /// # Errors
    /// [`Error::Mismatch`] for wrong buffer lengths, [`Error::Lapack`] if the driver fails.
    pub fn compute(&mut self, a: &mut [f64], eigenvalues: &mut [f64]) -> Result<()> {
        let k = self.k;
        if a.len() != k * k || eigenvalues.len() != k {
            return Err(Error::Mismatch(format!(
                "eigenvalue buffers have {} and {} entries, expected {k}×{k} and {k}",
                a.len(),
                eigenvalues.len()
            )));
        }
        if k == 0 {
            return Ok(());
        }
        let k_i = lapack_int(k, "k")?;
        let (lwork, liwork) = (lapack_int(self.work.len(), "lwork")?, lapack_int(self.iwork.len(), "liwork")?);
        let mut info = 0;
        match self.driver {
            EigenDriver::Syevd => {
                // SAFETY: a is k×k with lda = k, eigenvalues has k entries, work and iwork have
                // the sizes LAPACK asked for in the workspace query; all lengths checked above.
                unsafe {
                    lapack::dsyevd(
                        b'N',
                        b'L',
                        k_i,
                        a,
                        k_i,
                        eigenvalues,
                        &mut self.work,
                        lwork,
                        &mut self.iwork,
                        liwork,
                        &mut info,
                    )
                };
                check_info("dsyevd", info)
            }
            EigenDriver::Syev => {
                // SAFETY: as for dsyevd; dsyev uses no integer workspace.
                unsafe { lapack::dsyev(b'N', b'L', k_i, a, k_i, eigenvalues, &mut self.work, lwork, &mut info) };
                check_info("dsyev", info)
            }
            EigenDriver::Syev2Stage => {
                // SAFETY: as for dsyev (the queried lwork; no integer workspace).
                unsafe { lapack::dsyev_2stage(b'N', b'L', k_i, a, k_i, eigenvalues, &mut self.work, lwork, &mut info) };
                check_info("dsyev_2stage", info)
            }
            EigenDriver::Syevr => {
                let mut z = [0.0f64];
                let mut found = 0;
                // SAFETY: a is k×k (lda = k), eigenvalues has k entries (RANGE = 'A' finds all
                // k), isuppz has 2k, work/iwork the queried sizes; z unreferenced for JOBZ = 'N'.
                unsafe {
                    lapack::dsyevr(
                        b'N',
                        b'A',
                        b'L',
                        k_i,
                        a,
                        k_i,
                        0.0,
                        0.0,
                        0,
                        0,
                        0.0,
                        &mut found,
                        eigenvalues,
                        &mut z,
                        1,
                        &mut self.isuppz,
                        &mut self.work,
                        lwork,
                        &mut self.iwork,
                        liwork,
                        &mut info,
                    )
                };
                check_info("dsyevr", info)
            }
        }
    }
}

/// A band matrix of order k ≥ 1 has k − 1 off-diagonal entries.
fn check_off_diagonal(kind: &str, k: usize, off_diagonal: usize) -> Result<()> {
    if off_diagonal == k - 1 {
        Ok(())
    } else {
        Err(Error::Mismatch(format!("{kind} of order {k} needs {} off-diagonal entries, got {off_diagonal}", k - 1)))
    }
}

/// Eigenvalues of the symmetric tridiagonal matrix with diagonal `diagonal` (length k) and
/// off-diagonal `off_diagonal` (length k − 1), by LAPACK's root-free QR `dsterf`. On return
/// `diagonal` holds the eigenvalues in ascending order; `off_diagonal` is destroyed. O(k²) time,
/// O(1) extra memory.
///
/// # Errors
/// [`Error::Mismatch`] if the lengths disagree, [`Error::Lapack`] if `dsterf` fails to converge.
pub fn tridiagonal_eigenvalues(diagonal: &mut [f64], off_diagonal: &mut [f64]) -> Result<()> {
    let k = diagonal.len();
    if k == 0 {
        return Ok(());
    }
    check_off_diagonal("tridiagonal", k, off_diagonal.len())?;
    let k_i = lapack_int(k, "k")?;
    let mut info = 0;
    // For k = 1 a one-element scratch stands in for the empty off-diagonal.
    let mut scratch = [0.0f64];
    let e: &mut [f64] = if k == 1 { &mut scratch } else { off_diagonal };
    // SAFETY: d has k entries and e has k − 1 (at least one readable element is passed for k = 1,
    // where dsterf returns at once); lengths checked above.
    unsafe { lapack::dsterf(k_i, diagonal, e, &mut info) };
    check_info("dsterf", info)
}

/// Singular values of the k×k bidiagonal matrix with diagonal `diagonal` and off-diagonal
/// `off_diagonal` (k − 1 entries; below the diagonal for `lower`, else above), by LAPACK's
/// `dbdsqr` with no singular vectors, which runs the dqds algorithm (`dlasq1`): every singular
/// value to high *relative* accuracy, O(k²) time. On return `diagonal` holds the singular values
/// in **ascending** order; `off_diagonal` is destroyed. `work` is resized to 4k.
///
/// # Errors
/// [`Error::Mismatch`] if the lengths disagree, [`Error::Lapack`] if `dbdsqr` fails.
pub fn bidiagonal_singular_values(
    diagonal: &mut [f64],
    off_diagonal: &mut [f64],
    lower: bool,
    work: &mut Vec<f64>,
) -> Result<()> {
    let k = diagonal.len();
    if k == 0 {
        return Ok(());
    }
    check_off_diagonal("bidiagonal", k, off_diagonal.len())?;
    let k_i = lapack_int(k, "k")?;
    work.resize(4 * k, 0.0);
    let mut scratch = [0.0f64];
    let e: &mut [f64] = if k == 1 { &mut scratch } else { off_diagonal };
    let (mut vt, mut u, mut c) = ([0.0f64], [0.0f64], [0.0f64]);
    let mut info = 0;
    // SAFETY: d has k entries, e has k − 1 (a one-element scratch for k = 1), work has 4k as
    // dbdsqr requires; with ncvt = nru = ncc = 0 the vt, u, c arrays are not referenced and
    // leading dimensions of 1 are allowed.
    unsafe {
        lapack::dbdsqr(
            if lower { b'L' } else { b'U' },
            k_i,
            &[0],
            &[0],
            &[0],
            diagonal,
            e,
            &mut vt,
            1,
            &mut u,
            1,
            &mut c,
            1,
            work,
            &mut info,
        )
    };
    check_info("dbdsqr", info)?;
    diagonal.reverse();
    Ok(())
}

/// Singular values of the rows×cols matrix in `a` (column-major; destroyed), ascending, by
/// `dgesdd` with JOBZ = 'N' (no singular vectors are formed).
///
/// # Errors
/// [`Error::Mismatch`] for a wrong buffer length, [`Error::Lapack`] if `dgesdd` fails.
pub fn singular_values(a: &mut [f64], rows: usize, cols: usize) -> Result<Vec<f64>> {
    if a.len() != rows * cols {
        return Err(Error::Mismatch(format!("matrix buffer has {} entries, expected {rows}×{cols}", a.len())));
    }
    let k = rows.min(cols);
    if k == 0 {
        return Ok(Vec::new());
    }
    let (m_i, n_i) = (lapack_int(rows, "rows")?, lapack_int(cols, "columns")?);
    let mut s = vec![0.0; k];
    let mut iwork = vec![0i32; 8 * k];
    let mut u = [0.0f64];
    let mut vt = [0.0f64];
    let mut query = [0.0f64];
    let mut info = 0;
    // SAFETY: lwork = −1 is a workspace query; with JOBZ = 'N', u and vt are not referenced and
    // ldu = ldvt = 1 is allowed. a has rows×cols entries (checked), s has min(rows, cols).
    unsafe {
        lapack::dgesdd(b'N', m_i, n_i, a, m_i, &mut s, &mut u, 1, &mut vt, 1, &mut query, -1, &mut iwork, &mut info)
    };
    check_info("dgesdd", info)?;
    let mut work = vec![0.0; (query[0] as usize).max(1)];
    let lwork = lapack_int(work.len(), "lwork")?;
    // SAFETY: as above, with work of the size the query returned.
    unsafe {
        lapack::dgesdd(b'N', m_i, n_i, a, m_i, &mut s, &mut u, 1, &mut vt, 1, &mut work, lwork, &mut iwork, &mut info)
    };
    check_info("dgesdd", info)?;
    s.reverse();
    Ok(s)
}

/// One step of a streamed (tall-skinny) QR factorisation: given the k×k upper-triangular R of
/// the rows seen so far (`r`, column-major, ld = k) and the next `rows`×k block B (`block`,
/// column-major, ld = rows; destroyed), replaces R by the R factor of [R; B], by LAPACK's
/// `dtpqrt` (the triangular-pentagonal QR that TSQR uses: ≈ 2·rows·k² flops). Singular values
/// of the final R are those of the whole matrix, to the backward stability of Householder QR.
/// `t` and `work` are scratch of at least nb·k entries each (nb = min(k, 32)).
///
/// # Errors
/// [`Error::Mismatch`] for wrong buffer lengths, [`Error::Lapack`] if `dtpqrt` fails.
pub fn triangular_pentagonal_qr(
    r: &mut [f64],
    k: usize,
    block: &mut [f64],
    rows: usize,
    t: &mut [f64],
    work: &mut [f64],
) -> Result<()> {
    let nb = k.clamp(1, 32);
    if r.len() != k * k || block.len() != rows * k || t.len() < nb * k || work.len() < nb * k {
        return Err(Error::Mismatch(format!(
            "dtpqrt buffers: R {} (want {k}×{k}), block {} (want {rows}×{k}), t {}, work {} (want ≥ {nb}·{k})",
            r.len(),
            block.len(),
            t.len(),
            work.len()
        )));
    }
    if k == 0 || rows == 0 {
        return Ok(());
    }
    let (k_i, rows_i, nb_i) = (lapack_int(k, "k")?, lapack_int(rows, "block rows")?, lapack_int(nb, "nb")?);
    let mut info = 0;
    // SAFETY: r is k×k (lda = k), block is rows×k (ldb = rows), t is at least nb×k (ldt = nb),
    // work at least nb×k: the sizes dtpqrt documents for M = rows, N = k, L = 0, NB = nb.
    unsafe { lapack::dtpqrt(rows_i, k_i, 0, nb_i, r, k_i, block, rows_i, t, nb_i, work, &mut info) };
    check_info("dtpqrt", info)
}

/// Replaces the rows×cols matrix `a` (rows ≥ cols, column-major) by the Q of its thin QR
/// factorisation A = QR (Q has orthonormal columns) and returns the diagonal of R.
///
/// # Errors
/// [`Error::InvalidParameter`] if rows < cols, [`Error::Mismatch`] for a wrong buffer length,
/// [`Error::Lapack`] if `dgeqrf` or `dorgqr` fails.
pub fn orthonormal_columns(a: &mut [f64], rows: usize, cols: usize) -> Result<Vec<f64>> {
    if rows < cols {
        return Err(Error::invalid("rows", rows, "must be at least the number of columns for a thin QR"));
    }
    if a.len() != rows * cols {
        return Err(Error::Mismatch(format!("matrix buffer has {} entries, expected {rows}×{cols}", a.len())));
    }
    if cols == 0 {
        return Ok(Vec::new());
    }
    let (m_i, n_i) = (lapack_int(rows, "rows")?, lapack_int(cols, "columns")?);
    let mut tau = vec![0.0; cols];
    let mut query = [0.0f64];
    let mut info = 0;
    // SAFETY: workspace query (lwork = −1); a is rows×cols with lda = rows, tau has cols entries.
    unsafe { lapack::dgeqrf(m_i, n_i, a, m_i, &mut tau, &mut query, -1, &mut info) };
    check_info("dgeqrf", info)?;
    let mut work = vec![0.0; (query[0] as usize).max(cols)];
    let lwork = lapack_int(work.len(), "lwork")?;
    // SAFETY: as above with the queried workspace.
    unsafe { lapack::dgeqrf(m_i, n_i, a, m_i, &mut tau, &mut work, lwork, &mut info) };
    check_info("dgeqrf", info)?;
    let diag_r: Vec<f64> = (0..cols).map(|j| a[j * rows + j]).collect();
    // SAFETY: workspace query for dorgqr on the same buffers.
    unsafe { lapack::dorgqr(m_i, n_i, n_i, a, m_i, &tau, &mut query, -1, &mut info) };
    check_info("dorgqr", info)?;
    if (query[0] as usize) > work.len() {
        work.resize(query[0] as usize, 0.0);
    }
    let lwork = lapack_int(work.len(), "lwork")?;
    // SAFETY: a holds the Householder vectors from dgeqrf, tau their scalars; work is large enough.
    unsafe { lapack::dorgqr(m_i, n_i, n_i, a, m_i, &tau, &mut work, lwork, &mut info) };
    check_info("dorgqr", info)?;
    Ok(diag_r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{fill_standard_normal, trial_rng};

    /// Every eigenvalue driver returns the spectrum of A = Q diag(1, …, k) Qᵀ (Q orthogonal from
    /// the QR of a Gaussian matrix), to rounding: the exact eigenvalues are 1, …, k by
    /// construction.
    #[test]
    fn every_eigen_driver_recovers_a_known_spectrum() {
        let k = 97;
        let mut q = vec![0.0; k * k];
        fill_standard_normal(&mut q, &mut trial_rng(11, 0));
        orthonormal_columns(&mut q, k, k).unwrap();
        // Q·D, then (Q·D)·Qᵀ.
        let mut qd = q.clone();
        for j in 0..k {
            qd[j * k..(j + 1) * k].iter_mut().for_each(|x| *x *= (j + 1) as f64);
        }
        let mut a = vec![0.0; k * k];
        gemm(false, true, &qd, k, k, &q, k, k, 1.0, &mut a).unwrap();
        for driver in [EigenDriver::Syev, EigenDriver::Syevd, EigenDriver::Syevr, EigenDriver::Syev2Stage] {
            let mut solver = SymmetricEigenvalues::with_driver(k, driver).unwrap();
            assert_eq!(solver.driver(), driver);
            let (mut scratch, mut eigenvalues) = (a.clone(), vec![0.0; k]);
            solver.compute(&mut scratch, &mut eigenvalues).unwrap();
            for (i, l) in eigenvalues.iter().enumerate() {
                // Backward-stable drivers: error ≲ c·k·ε·‖A‖ with ‖A‖ = k.
                assert!((l - (i + 1) as f64).abs() < 1e-11, "{driver:?}: λ_{i} = {l}");
            }
        }
    }
}
