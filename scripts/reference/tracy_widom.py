#!/usr/bin/env python3
"""Independent high-precision reference values for rmspec's Tracy–Widom laws.

Method (Bornemann 2010, "On the numerical evaluation of distributions in random matrix theory",
Markov Process. Related Fields 16): Fredholm determinants discretised by Gauss–Legendre, in
mpmath at `DPS` digits, with mpmath's own Airy function and LU determinant.

    F2(s) = det(I − K_Ai) on L²(s, ∞),  K_Ai(x, y) = (Ai(x)Ai'(y) − Ai'(x)Ai(y)) / (x − y)
    F1(s) = det(I − K1)   on L²(0, ∞),  K1(x, y)  = ½ Ai((x + y)/2 + s)

The half-lines are truncated where the kernel is below ~1e-22 (relative to its value at the left
end when s > 0) and the node count grows with the interval length; `--check` compares against a
rule with 30 % more nodes and a longer interval to show that the digits printed are converged.
Densities are 4-point central differences (h = 1e-4, error ~h⁴ ≈ 1e-18) of the discretised CDF
at DPS digits; quantiles solve F(s) = p by the secant method; mean and variance integrate
(1 − F) and F (integration by parts) with Gauss–Legendre panels, so they do not use the density.

Usage: python3 tracy_widom.py [cdf|quantile|moments|check]   (default: all but check)
Runtime: a few minutes on one core (mpmath's pure-Python backend).
It prints Rust table literals to paste into src/law/tracy_widom/mod.rs.
"""
import sys
import mpmath as mp

DPS = 24
mp.mp.dps = DPS

_GL_CACHE = {}


def gauss_legendre(m):
    """m-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on mpmath's legendre)."""
    if m in _GL_CACHE:
        return _GL_CACHE[m]
    nodes, weights = [], []
    for i in range(1, m + 1):
        x = mp.cos(mp.pi * (i - mp.mpf(1) / 4) / (m + mp.mpf(1) / 2))
        for _ in range(100):
            p = mp.legendre(m, x)
            dp = m * (x * p - mp.legendre(m - 1, x)) / (x * x - 1)
            dx = p / dp
            x -= dx
            if abs(dx) < mp.mpf(10) ** (-DPS - 3):
                break
        p1 = mp.legendre(m - 1, x)
        dp = m * (x * mp.legendre(m, x) - p1) / (x * x - 1)
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    _GL_CACHE[m] = (nodes, weights)
    return nodes, weights


def rule(m, a, b):
    nodes, weights = gauss_legendre(m)
    half, mid = (b - a) / 2, (a + b) / 2
    return [mid + half * x for x in nodes], [half * w for w in weights]


def f2_params(s, scale=1.0):
    s = mp.mpf(s)
    upper = (45 * scale + max(s, 0) ** 1.5) ** (mp.mpf(2) / 3)
    m = int(20 + 3.2 * float(upper - s) * scale)
    return upper, m


def f1_params(s, scale=1.0):
    s = mp.mpf(s)
    # Kernel ½Ai(u + v + s) in u = x/2 on (0, ∞): the same operator (Ferrari–Spohn form).
    upper = (70 * scale + max(s, 0) ** 1.5) ** (mp.mpf(2) / 3)
    m = int(20 + 3.0 * float(upper - s) * scale)
    return upper - s, m


def F2(s, params=None):
    s = mp.mpf(s)
    upper, m = params or f2_params(s)
    x, w = rule(m, s, upper)
    ai = [mp.airyai(t) for t in x]
    aip = [mp.airyai(t, derivative=1) for t in x]
    A = mp.matrix(m, m)
    sw = [mp.sqrt(t) for t in w]
    for i in range(m):
        for j in range(i, m):
            if i == j:
                k = aip[i] ** 2 - x[i] * ai[i] ** 2
            else:
                k = (ai[i] * aip[j] - aip[i] * ai[j]) / (x[i] - x[j])
            v = sw[i] * k * sw[j]
            A[i, j] = -v
            A[j, i] = -v
        A[i, i] += 1
    return mp.det(A)


def F1(s, params=None):
    s = mp.mpf(s)
    length, m = params or f1_params(s)
    u, w = rule(m, mp.mpf(0), length)
    sw = [mp.sqrt(t) for t in w]
    A = mp.matrix(m, m)
    for i in range(m):
        for j in range(i, m):
            v = sw[i] * mp.airyai(u[i] + u[j] + s) * sw[j]
            A[i, j] = -v
            A[j, i] = -v
        A[i, i] += 1
    return mp.det(A)


LAWS = {1: F1, 2: F2}
PARAMS = {1: f1_params, 2: f2_params}


def density(beta, s):
    F = LAWS[beta]
    params = PARAMS[beta](s)  # one discretisation for all four points
    h = mp.mpf("1e-4")
    d1 = F(s + h, params) - F(s - h, params)
    d2 = F(s + 2 * h, params) - F(s - 2 * h, params)
    return (8 * d1 - d2) / (12 * h)


def fmt(x, digits=17):
    return mp.nstr(x, digits, min_fixed=-30, max_fixed=30, strip_zeros=False)


CDF_POINTS = [mp.mpf(k) for k in range(-8, 7)] + [mp.mpf(v) for v in ("-3.5", "-1.25", "0.5", "2.75", "8")]
DENSITY_POINTS = [mp.mpf(v) for v in ("-6", "-4", "-3", "-2", "-1.5", "-1", "0", "1", "2.5", "4")]
QUANTILE_PS = [mp.mpf(v) for v in ("0.001", "0.01", "0.05", "0.5", "0.95", "0.99", "0.999")]
# Starting points for the secant iteration, 7 digits (taken from a first run; they only save
# iterations: the root is the mpmath one, to the tolerance of findroot).
Q_START = {
    1: ["-4.6541982", "-3.8954327", "-3.1803800", "-1.2685746", "0.9793161", "2.0234493", "3.2721961"],
    2: ["-4.2922364", "-3.7244459", "-3.1941667", "-1.8049124", "-0.2324745", "0.4776360", "1.3144195"],
}


def part_cdf():
    for beta in (1, 2):
        print(f"// source: scripts/reference/tracy_widom.py (mpmath {mp.__version__}, dps = {DPS}), (s, F{beta}(s), 1 − F{beta}(s))")
        print(f"const CDF_TABLE_BETA{beta}: [(f64, f64, f64); {len(CDF_POINTS)}] = [")
        for s in CDF_POINTS:
            v = LAWS[beta](s)
            print(f"    ({fmt(s, 6)}, {fmt(v)}, {fmt(1 - v)}),", flush=True)
        print("];")
        print(f"// source: scripts/reference/tracy_widom.py, (s, f{beta}(s)) by 4-point differences of F{beta}")
        print(f"const DENSITY_TABLE_BETA{beta}: [(f64, f64); {len(DENSITY_POINTS)}] = [")
        for s in DENSITY_POINTS:
            print(f"    ({fmt(s, 6)}, {fmt(density(beta, s))}),", flush=True)
        print("];")


def part_quantile():
    for beta in (1, 2):
        F = LAWS[beta]
        print(f"// source: scripts/reference/tracy_widom.py, (p, s) with F{beta}(s) = p (secant method)")
        print(f"const QUANTILE_TABLE_BETA{beta}: [(f64, f64); {len(QUANTILE_PS)}] = [")
        for p, start in zip(QUANTILE_PS, Q_START[beta]):
            x0 = mp.mpf(start)
            root = mp.findroot(lambda s: F(s) - p, (x0, x0 + mp.mpf("1e-7")), solver="secant",
                               tol=mp.mpf(10) ** (-18))
            print(f"    ({fmt(p, 6)}, {fmt(root)}),", flush=True)
        print("];")


def part_moments(n=40):
    # E X = ∫_0^B (1 − F) − ∫_A^0 F;  E X² = 2∫_0^B s(1 − F) − 2∫_A^0 s F.
    bounds = {1: (-10, 16), 2: (-9, 11)}
    for beta in (1, 2):
        F = LAWS[beta]
        a, b = bounds[beta]
        m1 = m2 = mp.mpf(0)
        for lo, hi, sign in ((a, 0, -1), (0, b, 1)):
            xs, ws = rule(n, mp.mpf(lo), mp.mpf(hi))
            for x, w in zip(xs, ws):
                v = F(x)
                g = v if sign < 0 else 1 - v
                m1 += sign * w * g
                m2 += sign * 2 * w * x * g
        var = m2 - m1 ** 2
        print(f"// source: scripts/reference/tracy_widom.py, integration by parts of F{beta} with {n}-point Gauss–Legendre on [{a}, 0] and [0, {b}]")
        print(f"const MEAN_BETA{beta}: f64 = {fmt(m1)};")
        print(f"const VARIANCE_BETA{beta}: f64 = {fmt(var)};", flush=True)


def part_check():
    """Convergence of the discretisation: default vs 30 % more nodes and a longer interval."""
    for beta in (1, 2):
        for s in (mp.mpf(-8), mp.mpf(-3), mp.mpf(0), mp.mpf(6)):
            a = LAWS[beta](s)
            b = LAWS[beta](s, PARAMS[beta](s, scale=1.3))
            print(f"beta={beta} s={s}: {fmt(a, 22)}  diff {mp.nstr(abs(a - b), 3)}  rel(1-F) {mp.nstr(abs(a - b) / (1 - a), 3)}", flush=True)


if __name__ == "__main__":
    parts = sys.argv[1:] or ["cdf", "quantile", "moments"]
    for part in parts:
        {"cdf": part_cdf, "quantile": part_quantile, "moments": part_moments, "check": part_check}[part]()
