#!/usr/bin/env python3
"""Independent reference values for the Marchenko–Pastur law (rmspec::law::MarchenkoPastur).

Conventions: W ∈ ℝ^{m×n} with iid entries of variance s2, γ = m/n, S = W Wᵀ / n.
Edges λ± = s2 (1 ± √γ)², density f(x) = √((λ+ − x)(x − λ−)) / (2π s2 γ x) on [λ−, λ+],
atom at 0 of mass max(0, 1 − 1/γ).

Method (deliberately NOT the closed form used in Rust):
  * density straight from the formula;
  * CDF = atom + mpmath.quad of the density from λ− to x (tanh–sinh, which copes with the
    square-root singularities at the edges and the 1/√x singularity at 0 when γ = 1), split at
    the midpoint of the support;
  * SF = mpmath.quad of the density from x to λ+ (not 1 − CDF);
  * quantiles by mpmath.findroot (Anderson–Björk on a bracket) on the quadrature CDF.
All at 50 significant digits. Parameters and abscissae are IEEE doubles, and the reference is
computed at exactly those doubles (mpf(float) is exact), so the tables test the Rust code and
not the rounding of the inputs.

Run: python3 scripts/reference/marchenko_pastur.py > /tmp/mp_tables.rs
"""
import mpmath as mp

mp.mp.dps = 50

CASES = [  # (gamma, s2)
    (0.1, 1.0),
    (0.25, 0.5),
    (0.5, 1.0),
    (0.5, 2.5),
    (1.0, 1.0),
    (1.0, 2.5),
    (2.0, 1.0),
    (4.0, 0.5),
]
FRACTIONS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]
EDGE_OFFSETS = [1e-6, 1e-9]  # relative to the support width
PROBS = [1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6]


def law(gamma, s2):
    g = mp.mpf(gamma)
    v = mp.mpf(s2)
    lo = v * (1 - mp.sqrt(g)) ** 2
    hi = v * (1 + mp.sqrt(g)) ** 2
    atom = max(mp.mpf(0), 1 - 1 / g)
    return g, v, lo, hi, atom


def density(g, v, lo, hi, x):
    if x <= lo or x >= hi:
        return mp.mpf(0)
    return mp.sqrt((hi - x) * (x - lo)) / (2 * mp.pi * v * g * x)


def integral(g, v, lo, hi, a, b):
    if b <= a:
        return mp.mpf(0)
    mid = (lo + hi) / 2
    pts = [a] + ([mid] if a < mid < b else []) + [b]
    return mp.quad(lambda t: density(g, v, lo, hi, t), pts)


def cdf(g, v, lo, hi, atom, x):
    if x < 0:
        return mp.mpf(0)
    if x <= lo:
        return atom
    if x >= hi:
        return mp.mpf(1)
    return atom + integral(g, v, lo, hi, lo, x)


def sf(g, v, lo, hi, atom, x):
    if x < 0:
        return mp.mpf(1)
    if x <= lo:
        return 1 - atom
    if x >= hi:
        return mp.mpf(0)
    return integral(g, v, lo, hi, x, hi)


def quantile(g, v, lo, hi, atom, p):
    p = mp.mpf(p)
    if p <= atom:
        return mp.mpf(0)
    if p < mp.mpf("0.5"):
        f = lambda x: cdf(g, v, lo, hi, atom, x) - p
    else:
        f = lambda x: (1 - p) - sf(g, v, lo, hi, atom, x)
    return mp.findroot(f, (lo, hi), solver="anderson", tol=mp.mpf(10) ** -45, maxsteps=200)


def lit(x):
    return repr(float(x))


def main():
    print("// source: scripts/reference/marchenko_pastur.py (mpmath 1.3, 50 digits)")
    print("// (gamma, s2, x, density, cdf, sf)")
    print("const REFERENCE_POINTS: &[(f64, f64, f64, f64, f64, f64)] = &[")
    for gamma, s2 in CASES:
        g, v, lo, hi, atom = law(gamma, s2)
        w = hi - lo
        xs = [float(lo + fr * w) for fr in FRACTIONS]
        for off in EDGE_OFFSETS:
            xs.append(float(lo + off * w))
            xs.append(float(hi - off * w))
        xs.sort()
        for x in xs:
            xm = mp.mpf(x)
            d = density(g, v, lo, hi, xm)
            c = cdf(g, v, lo, hi, atom, xm)
            s = sf(g, v, lo, hi, atom, xm)
            # CDF and SF come from separate quadratures: their sum checks both (the 1/√x
            # singularity at γ = 1 costs tanh–sinh some digits, still far beyond f64).
            assert abs(c + s - 1) < mp.mpf(10) ** -25, (gamma, s2, x)
            print(f"    ({lit(gamma)}, {lit(s2)}, {lit(x)}, {lit(d)}, {lit(c)}, {lit(s)}),")
    print("];")
    print()
    print("// source: scripts/reference/marchenko_pastur.py (mpmath 1.3, 50 digits)")
    print("// (gamma, s2, p, quantile); p is shifted past the atom when gamma > 1")
    print("const REFERENCE_QUANTILES: &[(f64, f64, f64, f64)] = &[")
    for gamma, s2 in CASES:
        g, v, lo, hi, atom = law(gamma, s2)
        ps = [float(atom + (1 - atom) * mp.mpf(u)) for u in PROBS]
        if atom > 0:
            ps = [float(atom / 2), float(atom)] + ps
        for p in ps:
            q = quantile(g, v, lo, hi, atom, p)
            print(f"    ({lit(gamma)}, {lit(s2)}, {lit(p)}, {lit(q)}),")
    print("];")
    print()
    print("// source: scripts/reference/marchenko_pastur.py (mpmath 1.3, 50 digits)")
    print("// (gamma, s2, lower edge, upper edge, atom)")
    print("const REFERENCE_EDGES: &[(f64, f64, f64, f64, f64)] = &[")
    for gamma, s2 in CASES:
        g, v, lo, hi, atom = law(gamma, s2)
        print(f"    ({lit(gamma)}, {lit(s2)}, {lit(lo)}, {lit(hi)}, {lit(atom)}),")
    print("];")


if __name__ == "__main__":
    main()
