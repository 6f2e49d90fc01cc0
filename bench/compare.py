"""Driver of bench/compare: runs each workload in rmspec and in numpy/scipy, alternating, and
prints wall times, ratios, rmspec's LAPACK floor and peak memory (from /usr/bin/time -v or, when it
is missing, getrusage of the child). Also a module: `python compare.py --numpy-worker W1` runs the
numpy pipeline of one workload once and prints its timing as JSON."""

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time

# name: (m, n, trials, method, histogram_only)
WORKLOADS = {
    "W1": (512, 1024, 200, "dense", False),
    "W2": (64, 256, 2000, "dense", False),
    "W3": (2048, 4096, 5, "dense", False),
    "W4": (4000, 8000, 1, "dense", False),
    "W5": (100_000, 200_000, 1, "tridiagonal", False),
    "W5h": (1_000_000, 2_000_000, 1, "tridiagonal", True),
}
BINS = 100
SEED = 1


# ---------------------------------------------------------------- numpy pipeline (worker side)
def mp_cdf_factory(np, gamma, s2):
    """Marchenko–Pastur CDF (with its atom) by cumulative trapezoid on a fine grid in the
    variable u with x = a + (b − a)·sin²(u), which removes the square-root edge singularities."""
    a, b = s2 * (1 - gamma**0.5) ** 2, s2 * (1 + gamma**0.5) ** 2
    u = np.linspace(0.0, np.pi / 2, 20001)
    x = a + (b - a) * np.sin(u) ** 2
    dxdu = 2 * (b - a) * np.sin(u) * np.cos(u)
    with np.errstate(invalid="ignore", divide="ignore"):
        dens = np.sqrt(np.maximum((b - x) * (x - a), 0.0)) / (2 * np.pi * s2 * gamma * x)
    f = dens * dxdu
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(u))])
    atom = max(0.0, 1 - 1 / gamma)
    cont = cum / cum[-1] * (1 - atom)

    def cdf(v):
        return atom * (v >= 0) + np.interp(v, x, cont, left=0.0, right=1 - atom)

    return cdf, a, b


def numpy_worker(name):
    import numpy as np
    from threadpoolctl import threadpool_info

    m, n, trials, method, hist_only = WORKLOADS[name]
    s2 = 2.0 / m  # He: 2/fan-in
    gamma = m / n
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    k = min(m, n)
    if method == "dense":
        pooled = np.empty(trials * k)
        scalars = np.empty((trials, 5))
        for t in range(trials):
            w = rng.standard_normal((m, n)) * np.sqrt(s2)
            g = (w @ w.T) / n
            lam = np.linalg.eigvalsh(g)
            pooled[t * k:(t + 1) * k] = lam
            smax, smin = np.sqrt(n * lam[-1]), np.sqrt(n * max(lam[0], 0.0))
            scalars[t] = (lam[0], lam[-1], smax, smin, smax / smin)
    else:
        import scipy.linalg

        scale = s2 / n
        a2 = rng.chisquare(np.arange(n, n - k, -1, dtype=float))
        b2 = rng.chisquare(np.arange(k - 1, 0, -1, dtype=float))
        d = scale * (a2 + np.concatenate([[0.0], b2]))
        e = scale * np.sqrt(b2 * a2[:-1])
        if not hist_only:
            pooled = scipy.linalg.eigvalsh_tridiagonal(d, e, check_finite=False)
            scalars = np.array([[pooled[0], pooled[-1], np.sqrt(n * pooled[-1]), np.sqrt(n * pooled[0]), 1.0]])
        else:
            # Sturm counts at the 101 bin edges, vectorised over the edges.
            lo, hi = s2 * (1 - gamma**0.5) ** 2, s2 * (1 + gamma**0.5) ** 2
            width = hi - lo
            edges = np.linspace(lo - 0.03 * width, hi + 0.03 * width, BINS + 1)
            e2 = e * e
            q = d[0] - edges
            count = (q < 0).astype(np.int64)
            for i in range(1, k):
                q = d[i] - edges - e2[i - 1] / q
                count += q < 0
            hist = np.diff(count)
            elapsed = time.perf_counter() - start
            return {"seconds": elapsed, "check": int(hist.sum()), "blas": threadpool_info()}
    summary = [(c.mean(), c.std(ddof=1) / np.sqrt(len(c)) if len(c) > 1 else np.nan, np.median(c), c.min(), c.max())
               for c in scalars.T]
    pooled.sort()
    cdf, a, b = mp_cdf_factory(np, gamma, s2)
    total = len(pooled)
    f = cdf(pooled)
    ks = max(np.max(np.arange(1, total + 1) / total - f), np.max(f - np.arange(0, total) / total))
    width = max(b, pooled[-1]) - min(a, pooled[0])
    hist, _ = np.histogram(pooled, bins=BINS, range=(max(min(a, pooled[0]) - 0.03 * width, 0), max(b, pooled[-1]) + 0.03 * width))
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "check": float(ks), "summary": float(summary[1][0]), "blas": threadpool_info()}


# ---------------------------------------------------------------- driver side
def timed(cmd, env=None):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, stdout, CPU seconds user+sys)."""
    time_bin = shutil.which("time") and os.path.exists("/usr/bin/time")
    full = ["/usr/bin/time", "-v"] + cmd if time_bin else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(full, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    peak, cpu = None, 0.0
    if time_bin:
        for line in proc.stderr.splitlines():
            if "Maximum resident set size" in line:
                peak = int(line.split()[-1]) / 1024
            if "User time (seconds)" in line or "System time (seconds)" in line:
                cpu += float(line.split()[-1])
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = after / 1024 if after > before else None
    return wall, peak, proc.stdout, cpu


def rmspec_args(name, layout):
    m, n, trials, method, hist_only = WORKLOADS[name]
    args = ["spectrum", "--m", str(m), "--n", str(n), "--trials", str(trials), "--strategy", "he",
            "--bins", str(BINS), "--seed", str(SEED), "--no-fits", "--json", "--method", method]
    if method == "dense":
        args += ["--threads-layout", layout]
    if hist_only:
        args += ["--histogram-only"]
    return args


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return f"{cpu}; {os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rmspec", help="path to the release rmspec binary")
    p.add_argument("--reps", type=int, default=2, help="alternating repetitions per workload (best is kept)")
    p.add_argument("--layout", default="auto", help="rmspec --threads-layout for dense workloads (default auto)")
    p.add_argument("--skip-numpy", action="append", default=[], help="workloads to run in rmspec only")
    p.add_argument("--numpy-worker", help=argparse.SUPPRESS)
    p.add_argument("workloads", nargs="*", default=list(WORKLOADS))
    args = p.parse_args()
    if args.numpy_worker:
        print(json.dumps(numpy_worker(args.numpy_worker)))
        return
    numpy_env = dict(os.environ)
    numpy_env.pop("OPENBLAS_CORETYPE", None)
    numpy_env.pop("OPENBLAS_L2_SIZE", None)
    print(f"machine: {machine()}")
    print(f"rmspec: {args.rmspec} (--threads-layout {args.layout}); numpy: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset")
    version = subprocess.run([args.rmspec, "--version"], capture_output=True, text=True).stdout.strip()
    print("rmspec --version: " + version.replace("\n", "; "))
    rows, cpus = [], []
    blas_reported = False
    for name in args.workloads:
        m, n, trials, method, hist_only = WORKLOADS[name]
        r_times, n_times, r_peak, n_peak = [], [], 0.0, 0.0
        r_cpu, n_cpu = [], []
        floor = None
        for _ in range(args.reps):
            wall, peak, _, cpu = timed([args.rmspec] + rmspec_args(name, args.layout))
            r_times.append(wall)
            r_cpu.append(cpu)
            r_peak = max(r_peak, peak or 0)
            if name not in args.skip_numpy:
                wall, peak, out, cpu = timed([sys.executable, os.path.abspath(__file__), "--numpy-worker", name], env=numpy_env)
                n_cpu.append(cpu)
                result = json.loads(out)
                n_times.append(result["seconds"])
                n_peak = max(n_peak, peak or 0)
                if not blas_reported:
                    for lib in result["blas"]:
                        print(f"numpy BLAS: {lib.get('internal_api')} {lib.get('version')} "
                              f"kernel={lib.get('architecture')} threads={lib.get('num_threads')} ({lib.get('filepath')})")
                    blas_reported = True
            if not hist_only:
                floor_args = ["bench-kernels", "--m", str(m), "--n", str(n), "--trials", str(trials), "--method", method]
                if method == "dense":
                    floor_args += ["--threads-layout", args.layout]
                _, _, out, _ = timed([args.rmspec] + floor_args)
                f = json.loads(out)["floor_seconds"]
                floor = f if floor is None else min(floor, f)
        r, nt = min(r_times), (min(n_times) if n_times else None)
        rows.append((name, f"{trials}×{m}×{n}" + (" hist" if hist_only else ""), r, nt, floor, r_peak, n_peak))
        cpus.append((name, min(r_cpu), min(n_cpu) if n_cpu else None))
        print(f"  {name}: rmspec {r:.3f} s (all: {', '.join(f'{x:.3f}' for x in r_times)}), numpy "
              f"{'–' if nt is None else f'{nt:.3f}'} s (all: {', '.join(f'{x:.3f}' for x in n_times)}), floor {floor}, "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    print()
    print("| workload | shape | rmspec s | numpy s | numpy/rmspec | LAPACK floor s | rmspec/floor | rmspec peak MiB | numpy peak MiB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, shape, r, nt, floor, rp, npk in rows:
        ratio = f"{nt / r:.2f}×" if nt else "–"
        fr = f"{r / floor:.2f}" if floor else "–"
        print(f"| {name} | {shape} | {r:.3f} | {nt:.3f} | {ratio} | {floor:.3f} | {fr} | {rp:.0f} | {npk:.0f} |"
              .replace("| None", "| –") if nt and floor else
              f"| {name} | {shape} | {r:.3f} | {'–' if nt is None else f'{nt:.3f}'} | {ratio} | "
              f"{'–' if floor is None else f'{floor:.3f}'} | {fr} | {rp:.0f} | {npk:.0f} |")

    print()
    print("CPU time (user + sys, best run; numpy includes its import; OpenBLAS threads that spin count too):")
    print("| workload | rmspec CPU s | numpy CPU s | numpy/rmspec |")
    print("|---|---:|---:|---:|")
    for name, rc, nc in cpus:
        print(f"| {name} | {rc:.2f} | {'–' if nc is None else f'{nc:.2f}'} | {'–' if not nc else f'{nc / rc:.2f}×'} |")


if __name__ == "__main__":
    main()