"""Times scipy's tridiagonal eigenvalue drivers on the matrix written by
`cargo run --release --example tridiagonal_floor -- K P T --dump FILE` (k, d, e as little-endian
f64), with numpy/scipy's bundled OpenBLAS on one thread: `eigvalsh_tridiagonal` with its default
driver (scipy ≥ 1.14: 'stevd', which for eigenvalues only is dsterf), 'sterf' and 'stemr'.

    bench/.venv/bin/python bench/tridiagonal_floor.py FILE [REPEATS]
"""
import sys
import time

import numpy as np
import scipy
import scipy.linalg
from threadpoolctl import threadpool_info, threadpool_limits

raw = np.fromfile(sys.argv[1], dtype="<f8")
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
k = int(raw[0])
d, e = raw[1:1 + k], raw[1 + k:2 * k]
with threadpool_limits(1):
    for driver in ["auto", "sterf", "stemr"]:
        best, total = float("inf"), 0.0
        for _ in range(repeats):
            start = time.perf_counter()
            w = scipy.linalg.eigvalsh_tridiagonal(d, e, check_finite=False, lapack_driver=driver)
            elapsed = time.perf_counter() - start
            best, total = min(best, elapsed), total + elapsed
        print(f"scipy {scipy.__version__} eigvalsh_tridiagonal k = {k}, driver {driver}: "
              f"{total / repeats * 1e3:.3f} ms mean, {best * 1e3:.3f} ms best of {repeats} (λ_max {w[-1]:.6f})")
info = [(i.get("internal_api"), i.get("version"), i.get("architecture")) for i in threadpool_info()]
print("BLAS:", info)
