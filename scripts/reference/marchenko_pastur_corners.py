#!/usr/bin/env python3
"""Reference values of the Marchenko–Pastur law at extreme parameters (issue 10): entry
variances s2 from 1e-300 to 1e300 and ratios γ from 1e-12 (the smallest rmspec accepts) to 1e20,
where evaluating the textbook formulas in doubles underflows, overflows or cancels.

Conventions as scripts/reference/marchenko_pastur.py: W ∈ ℝ^{m×n}, γ = m/n, S = W Wᵀ/n,
λ± = s2 (1 ± √γ)², f(x) = √((λ+ − x)(x − λ−)) / (2π s2 γ x), atom max(0, 1 − 1/γ).

Method (not the Rust closed form): the density from the formula; CDF and SF by tanh–sinh
quadrature of the density (mpmath.quad) from the nearer edge, at 60 significant digits (mpmath
numbers have an unbounded exponent, so nothing over- or underflows). Abscissae are IEEE doubles
x = double(λ− + f·(λ+ − λ−)) and the reference is computed at exactly that double. Printed as
Rust rows (gamma, s2, x, density, cdf, sf), each value the double nearest the reference.

Run: python3 scripts/reference/marchenko_pastur_corners.py
"""
import mpmath as mp

mp.mp.dps = 60

CASES = [  # (gamma, s2)
    (0.5, 1e-300),
    (0.5, 1e-170),
    (2.0, 1e-300),
    (1.0, 1e-250),
    (0.5, 1e160),
    (0.5, 1e300),
    (2.0, 1e300),
    (1e-12, 1.0),
    (1e-12, 1e-290),
    (1e-12, 1e250),
    (1e20, 1e-300),
    (1e20, 1.0),
]
FRACTIONS = [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999999]


def law(gamma, s2):
    g, v = mp.mpf(gamma), mp.mpf(s2)
    return g, v, v * (1 - mp.sqrt(g)) ** 2, v * (1 + mp.sqrt(g)) ** 2, max(mp.mpf(0), 1 - 1 / g)


def density(g, v, lo, hi, x):
    if x <= lo or x >= hi:
        return mp.mpf(0)
    return mp.sqrt((hi - x) * (x - lo)) / (2 * mp.pi * v * g * x)


def quad(g, v, lo, hi, a, b):
    return mp.quad(lambda t: density(g, v, lo, hi, t), [a, b])


def row(gamma, s2, x):
    g, v, lo, hi, atom = law(gamma, s2)
    xm = mp.mpf(x)
    f = density(g, v, lo, hi, xm)
    below, above = quad(g, v, lo, hi, lo, xm), quad(g, v, lo, hi, xm, hi)
    return (f, atom + below, above)


def fmt(v):
    """The double nearest the 60-digit value, in its shortest round-trip form."""
    return repr(float(v))


def main():
    print("// source: scripts/reference/marchenko_pastur_corners.py (mpmath, 60 digits, tanh–sinh")
    print("// quadrature of the density); (gamma, s2, x, density, cdf, sf).")
    for gamma, s2 in CASES:
        g, v, lo, hi, _ = law(gamma, s2)
        xs = sorted({float(lo + f * (hi - lo)) for f in FRACTIONS})
        xs = [x for x in xs if lo < x < hi]
        for x in xs:
            f, c, s = row(gamma, s2, x)
            print(f"    ({gamma!r}, {s2!r}, {x!r}, {fmt(f)}, {fmt(c)}, {fmt(s)}),")


main()
