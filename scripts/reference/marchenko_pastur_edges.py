#!/usr/bin/env python3
"""Reference values of the Marchenko–Pastur law's small tails next to its edges, across γ: the
continuous mass above x near the upper edge λ+ (the survival function) and, where there is no
atom (γ ≤ 1), the mass below x near the lower edge λ−. Used to measure and test the *relative*
accuracy of the tails (src/law/marchenko_pastur.rs, "Numerical method and accuracy").

Conventions as scripts/reference/marchenko_pastur_corners.py: W ∈ ℝ^{m×n}, γ = m/n, S = W Wᵀ/n,
s2 = 1, λ± = (1 ± √γ)², f(x) = √((λ+ − x)(x − λ−)) / (2π γ x), atom max(0, 1 − 1/γ).

Method (not the Rust closed form): tanh–sinh quadrature of the density (mpmath.quad) from the
edge to x at 60 significant digits. Abscissae are IEEE doubles x = double(λ+ − δ·(λ+ − λ−)) and
x = double(λ− + δ·(λ+ − λ−)), δ the relative distance from the edge, and the reference is
computed at exactly that double (its own δ is recomputed and printed). Printed as Rust rows
(gamma, x, delta, tail, upper): tail = the mass above x when upper, else the mass below x.

Run: python3 scripts/reference/marchenko_pastur_edges.py
"""
import mpmath as mp

mp.mp.dps = 60

GAMMAS = [1e-12, 1e-8, 1e-4, 1e-2, 0.5, 1.0, 2.0, 1e2, 1e4, 1e8, 1e12, 1e16, 1e20]
DELTAS = [1e-3, 1e-6, 1e-9]


def main():
    print("// source: scripts/reference/marchenko_pastur_edges.py (mpmath, 60 digits, tanh–sinh")
    print("// quadrature of the density from the edge); (gamma, x, delta, tail, upper), s2 = 1.")
    for gamma in GAMMAS:
        g = mp.mpf(gamma)
        lo, hi = (1 - mp.sqrt(g)) ** 2, (1 + mp.sqrt(g)) ** 2

        def density(t):
            if t <= lo or t >= hi:
                return mp.mpf(0)
            return mp.sqrt((hi - t) * (t - lo)) / (2 * mp.pi * g * t)

        for upper in (True, False):
            if not upper and gamma > 1:
                continue  # cdf near λ− is atom + tiny: only absolutely accurate (documented)
            for d in DELTAS:
                x = float(hi - d * (hi - lo)) if upper else float(lo + d * (hi - lo))
                xm = mp.mpf(x)
                if not lo < xm < hi:
                    continue
                tail = mp.quad(density, [xm, hi]) if upper else mp.quad(density, [lo, xm])
                delta = (hi - xm) / (hi - lo) if upper else (xm - lo) / (hi - lo)
                print(
                    f"    ({gamma!r}, {x!r}, {float(delta):.3e}, {float(tail)!r}, {'true' if upper else 'false'}),"
                )


main()
