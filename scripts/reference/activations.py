#!/usr/bin/env python3
"""Independent reference values for the mean-field gains of rmspec::activation::Activation.

For z ~ N(0, 1) and a pre-activation variance q > 0:
  second moment  M(q) = E[φ(√q z)²]
  derivative gain D(q) = E[φ'(√q z)²]
for φ in {tanh, gelu (exact, x·Φ(x)), swish (x·sigmoid(x))}.

Method (deliberately NOT Gauss–Hermite, which the Rust code uses): mpmath.quad (tanh–sinh) of
φ(√q z)² · exp(−z²/2)/√(2π) over (−∞, 0] and [0, ∞), at 50 significant digits. q are IEEE
doubles, so the reference is computed at exactly the values the Rust tests use.

Run: python3 scripts/reference/activations.py
"""
import mpmath as mp

mp.mp.dps = 50

QS = [0.25, 1.0, 2.0, 4.0]


def Phi(x):
    return (1 + mp.erf(x / mp.sqrt(2))) / 2


def pdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


ACTIVATIONS = {
    "tanh": (mp.tanh, lambda x: 1 / mp.cosh(x) ** 2),
    "gelu": (lambda x: x * Phi(x), lambda x: Phi(x) + x * pdf(x)),
    "swish": (lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
}


def gaussian_expectation(f, q):
    s = mp.sqrt(mp.mpf(q))
    g = lambda z: f(s * z) ** 2 * pdf(z)
    return mp.quad(g, [-mp.inf, -4, 0, 4, mp.inf])


for name, (phi, dphi) in ACTIVATIONS.items():
    print(f"// {name}: (q, E[φ(√q z)²], E[φ'(√q z)²])")
    for q in QS:
        m = gaussian_expectation(phi, q)
        d = gaussian_expectation(dphi, q)
        print(f"    ({q!r}, {float(m)!r}, {float(d)!r}),")  # nearest doubles
