#!/usr/bin/env python3
"""Reference constants of the entry laws in rmspec::initializer, by direct quadrature.

Truncated normal (Keras/JAX variance_scaling "truncated_normal"): Z ~ N(0, 1) conditioned on
|Z| <= 2, divided by its standard deviation c so that the variance is 1.
  c   = sqrt(E[Z^2 | |Z| <= 2])
  m4  = E[Z^4 | |Z| <= 2] / c^4      (fourth moment at unit variance)
Uniform U(-sqrt 3, sqrt 3): m4 = 9/5 exactly.

Method: mpmath.quad of z^k phi(z) over [-2, 2] at 40 digits (not the closed forms the Rust
tests use).

Run: python3 scripts/reference/entry_laws.py
"""
import mpmath as mp

mp.mp.dps = 40


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


mass = mp.quad(phi, [-2, 0, 2])
m2 = mp.quad(lambda z: z**2 * phi(z), [-2, 0, 2]) / mass
m4 = mp.quad(lambda z: z**4 * phi(z), [-2, 0, 2]) / mass
c = mp.sqrt(m2)
print("truncated-normal sd c      =", mp.nstr(c, 30))
print("truncated-normal m4 (unit) =", mp.nstr(m4 / m2**2, 30))
print("uniform m4 (unit)          =", mp.nstr(mp.mpf(9) / 5, 30))
