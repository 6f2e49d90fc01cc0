#!/usr/bin/env python3
"""Independent reference values for rmspec::law::jacobian (the law of a deep network's Jacobian).

Sections (each prints a Rust table pasted into the tests, with a `// source:` comment):
  erfc       complex erfc, for the complex Φ behind gelu's φ' (mpmath.erfc, 30 digits).
  chi2       s·G(s) = E s/(s − z²), z ~ N(0, 1), near and on the support (mpmath.quad with the
             integrand's near-singular points as breakpoints; on the support, the limit from
             above in closed form through Dawson's function).

Run: python3 scripts/reference/jacobian.py [section ...]
"""
import sys

import mpmath as mp

mp.mp.dps = 30


def f64(x):
    """Nearest double, printed with 17 significant digits."""
    return repr(float(x))


def erfc_table():
    points = [(0.3, 0.2), (-1.2, 0.5), (2.5, -0.7), (3.5, 0.4), (-4.0, 1.1), (0.0, 2.5), (6.0, -0.3), (-2.9, -0.9),
              (1.0, 0.0), (1.3, -0.8), (2.0, 1.5), (0.99, 1.9), (1.626, 0.0)]
    print("    const ERFC: [((f64, f64), (f64, f64)); %d] = [" % len(points))
    for re, im in points:
        v = mp.erfc(mp.mpc(re, im))
        print("        ((%s, %s), (%s, %s))," % (f64(re), f64(im), f64(v.real), f64(v.imag)))
    print("    ];")


def chi2_table():
    phi = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
    points = [(1.0, 0.01), (0.3, 1e-4), (2.5, 0.5), (4.0, 1e-6), (0.05, 0.02), (-0.5, 0.1), (1.7, -0.2)]
    rows = []
    for re, im in points:
        s = mp.mpc(re, im)
        r = mp.sqrt(abs(re)) if re > 0 else mp.mpf(0)
        cuts = [-mp.inf, -r - 1, -r, 0, r, r + 1, mp.inf] if re > 0 else [-mp.inf, -1, 0, 1, mp.inf]
        v = mp.quad(lambda z: s / (s - z * z) * phi(z), cuts, maxdegree=12)
        rows.append(((re, im), v))
    # On the support (Im s = 0+), in closed form: with Dawson's F(x) = (√π/2) e^{−x²} erfi(x),
    # PV E 1/(s − z²) = √2 F(√(s/2))/√s and the density of z² is φ(√s)/√s, so
    # s·G(s + i0) = √(2s) F(√(s/2)) − iπ √s φ(√s).
    for re in [0.7, 2.0]:
        s = mp.mpf(re)
        x = mp.sqrt(s / 2)
        dawson = mp.sqrt(mp.pi) / 2 * mp.exp(-x * x) * mp.erfi(x)
        rows.append(((re, 0.0), mp.sqrt(2 * s) * dawson - 1j * mp.pi * mp.sqrt(s) * phi(mp.sqrt(s))))
    print("    const CHI2: [((f64, f64), (f64, f64)); %d] = [" % len(rows))
    for (re, im), v in rows:
        v = mp.mpc(v)
        print("        ((%s, %s), (%s, %s))," % (f64(re), f64(im), f64(v.real), f64(v.imag)))
    print("    ];")


SECTIONS = {"erfc": erfc_table, "chi2": chi2_table}

if __name__ == "__main__":
    for name in sys.argv[1:] or SECTIONS:
        print("// section %s" % name)
        SECTIONS[name]()
