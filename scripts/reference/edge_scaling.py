"""Reference values for src/law/edge_scaling.rs: the finite-size centring and scaling of the
largest and smallest eigenvalues of a real white Wishart matrix W_p(N, I) (Ma 2012 constants),
and Edelman's hard-edge quantile, at 30 significant digits.

Run: python3 scripts/reference/edge_scaling.py
"""
from mpmath import mp, mpf, sqrt, cbrt, log, e

mp.dps = 30


def upper(m, n):
    big, small = mpf(max(m, n)) - mpf(1) / 2, mpf(min(m, n)) - mpf(1) / 2
    a, b = sqrt(big), sqrt(small)
    return (a + b) ** 2, (a + b) * cbrt(1 / a + 1 / b)


def lower(m, n):
    big, small = mpf(max(m, n)) - mpf(1) / 2, mpf(min(m, n)) - mpf(1) / 2
    a, b = sqrt(big), sqrt(small)
    mu = (a - b) ** 2
    sigma = (a - b) * cbrt(1 / b - 1 / a)
    return log(mu), sigma / mu


for m, n in [(100, 400), (5, 5), (1000, 1000), (300, 1200), (7, 3)]:
    mu, sigma = upper(m, n)
    print(f"({m}, {n}, {mp.nstr(mu, 17)}, {mp.nstr(sigma, 17)}),")
for m, n in [(100, 400), (300, 1200), (7, 3)]:
    tau, nu = lower(m, n)
    print(f"lower ({m}, {n}, {mp.nstr(tau, 17)}, {mp.nstr(nu, 17)}),")
