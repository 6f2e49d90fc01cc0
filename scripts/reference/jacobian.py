#!/usr/bin/env python3
"""Independent reference values for rmspec::law::jacobian (the law of a deep network's Jacobian).

Sections (each prints a Rust table pasted into the tests, with a `// source:` comment):
  erfc       complex erfc, for the complex Φ behind gelu's φ' (mpmath.erfc, 30 digits).
  chi2       s·G(s) = E s/(s − z²), z ~ N(0, 1), near and on the support (mpmath.quad with the
             integrand's near-singular points as breakpoints; on the support, the limit from
             above in closed form through Dawson's function).
  fc2        the Fuss–Catalan density of order 2 in the closed form of Penson and Życzkowski
             (2011), checked here to integrate to 1 and to have moments 1, 3, 12, 55.
  meanfield  tanh: the pre-activation variances q_l of the mean-field recursion (σ_w² = 1,
             σ_b² = 0, E x0² = 1) and E tanh'(h)²; the fixed point for σ_w² = 1.5, σ_b² = 0.1;
             hard-tanh's M(q) and D(q) (mpmath.quad, 30 digits).
  tanh1      the density of J Jᵀ for one square Gaussian tanh layer (σ_w² = 1, q = 1): with
             t = χ_D(z), x·t = E 1/(1 − t d), d = tanh'(h)², z = x t − 1, ρ = −Im z/(πx);
             solved by mpmath.findroot along x + iy, y from 10 down to 0 in 16 steps (continuation keeps
             the branch), E by mpmath.quad.
  zeros      gelu and swish: the zero u0 of φ' (mpmath.findroot) and the Taylor coefficients
             c_k = φ^(k+1)(u0)/k!, k = 1..6 (mpmath.diff), 30 digits.
  cf_terms   how many partial fractions the Laplace continued fraction of erfc (evaluated
             backwards in double precision) needs for a relative error below 2e-16 against
             mpmath's e^{−w²}/(√π erfc w), over |Im w| ≤ Re w/2 at each |w| (61 arguments per
             radius), beside the rule 8 + 260/|w|² of analytic::fraction_terms.
  shifted    s·G(s) for the law of (z − a)²/(1 + a²), z ~ N(0, 1), a = 0.7, at |s| from 1e-8 to
             1e-16 (a law whose support reaches 0 at an interior zero of f, as gelu's and swish's
             φ'² do): in closed form, with σ = s(1 + a²) and r = √σ, σ/(σ − w²) =
             (r/2)(1/(r − w) + 1/(r + w)), so s·G(s) = (r/2)(G(a + r) − G(a − r)) with
             G(ζ) = E 1/(ζ − z) = −i√(π/2)·w(ζ/√2) for Im ζ > 0 (w(x) = e^{−x²} erfc(−ix), the
             Faddeeva function) and G(ζ̄) = conj G(ζ).
  gelu_sheets  s·G(s) for the law of d = φ'(z)²/E φ'(z)², φ = gelu, z ~ N(0, 1) (q = 1), at s
             near the negative real axis, where f(z) = s has near-conjugate roots z ≈ zr ± iπ·f/f'
             on two sheets of the logarithm, both near the real axis (mpmath.quad, 30 digits, with
             the points where f = |s| and the zero of φ' as breakpoints).
  gelu_pairs   s·G(s) for the law of d = φ'(√q z)²/E φ'(√q z)², gelu, √q = 1/2, at |s| from 1e-14
             to 1e-8, where the two poles next to the zero z_c of φ' are within 1e-6 of z_c
             (mpmath.quad at 40 digits, with the poles' real parts ± multiples of their distance
             from the axis as breakpoints).
  tanh2      two square orthogonal tanh layers (q1 = 1, q2 = E tanh(h)²): x·t1·t2·(1 + z) = z with
             E_k 1/(1 − t_k d) = 1 + z, solved the same way. Not used by the tests yet: it did
             not finish within 40 minutes on the shared two-core machine it was written on.

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


def fc2_table():
    # Penson & Życzkowski, Phys. Rev. E 83, 061118 (2011), the Fuss–Catalan density for s = 2
    # on [0, 27/4]: ρ(x) = √3/(6π)·(2^{1/3} a² − 6 x^{1/3})/(2^{2/3} x^{2/3} a),
    # a = (27 + 3√(81 − 12x))^{1/3}.
    def rho(x):
        x = mp.mpf(x)
        a = mp.cbrt(27 + 3 * mp.sqrt(81 - 12 * x))
        return mp.sqrt(3) / (6 * mp.pi) * (mp.cbrt(2) * a ** 2 - 6 * mp.cbrt(x)) / (mp.cbrt(4) * mp.power(x, mp.mpf(2) / 3) * a)
    # x = u³ removes the x^{−2/3} singularity at 0.
    top = mp.cbrt(mp.mpf(27) / 4)
    integral = lambda k: mp.quad(lambda u: 3 * u ** 2 * u ** (3 * k) * rho(u ** 3), [0, 1, top])
    assert abs(integral(0) - 1) < 1e-20, integral(0)
    for k, want in zip((1, 2, 3), (1, 3, 12)):
        assert abs(integral(k) - want) < 1e-18, (k, integral(k))
    xs = [0.05, 0.3, 1.0, 2.5, 4.0, 6.0, 6.7]
    print("    const FUSS_CATALAN_2: [(f64, f64); %d] = [" % len(xs))
    for x in xs:
        print("        (%s, %s)," % (f64(x), f64(rho(x))))
    print("    ];")


def tanh_d(h):
    return mp.sech(h) ** 4


def gauss_mean(f, q):
    s = mp.sqrt(q)
    return mp.quad(lambda z: f(s * z) * mp.npdf(z), [-mp.inf, -3, 0, 3, mp.inf])


def meanfield_table():
    q = mp.mpf(1)
    rows = []
    for layer in range(5):
        if layer > 0:
            q = gauss_mean(lambda h: mp.tanh(h) ** 2, q)
        rows.append((q, gauss_mean(tanh_d, q)))
    print("    const TANH_TRAJECTORY: [(f64, f64); 5] = [")
    for q, d in rows:
        print("        (%s, %s)," % (f64(q), f64(d)))
    print("    ];")
    qs = mp.findroot(lambda q: 1.5 * gauss_mean(lambda h: mp.tanh(h) ** 2, q) + mp.mpf("0.1") - q, 0.5)
    print("    const TANH_FIXED_POINT: (f64, f64) = (%s, %s);" % (f64(qs), f64(1.5 * gauss_mean(tanh_d, qs))))
    print("    const HARD_TANH: [(f64, f64, f64); 3] = [")
    for q in (0.25, 1.0, 4.0):
        # The kinks at h = ±1 (z = ±1/√q) are breakpoints of the quadrature.
        m = mp.quad(lambda z: min((mp.sqrt(q) * z) ** 2, 1) * mp.npdf(z), [-mp.inf, -1 / mp.sqrt(q), 1 / mp.sqrt(q), mp.inf])
        d = mp.quad(lambda z: mp.npdf(z), [-1 / mp.sqrt(q), 1 / mp.sqrt(q)])
        print("        (%s, %s, %s)," % (f64(q), f64(m), f64(d)))
    print("    ];")


def solve_path(equations, start, xs):
    """Follow the root of equations(unknowns, zeta) from zeta = x + 10i down to x (16 steps,
    cubically spaced in y so that they crowd near the real axis)."""
    out = []
    for x in xs:
        guess = start(mp.mpc(x, 10))
        for k in range(17):
            zeta = mp.mpc(x, 10 * (1 - k / mp.mpf(16)) ** 3)
            guess = mp.findroot(lambda *u: equations(u, zeta), guess)
            guess = guess if isinstance(guess, (list, tuple)) else ([guess] if not hasattr(guess, "rows") else list(guess))
        out.append(guess)
    return out


def tanh1_table():
    q = mp.mpf(1)
    mean = gauss_mean(tanh_d, q)
    E = lambda t: gauss_mean(lambda h: 1 / (1 - t * tanh_d(h)), q)
    xs = [0.05, 0.2, 0.5, 1.0, 1.6, 2.2]
    sols = solve_path(lambda u, zeta: [zeta * u[0] - E(u[0])], lambda zeta: [1 / zeta], xs)
    print("    // mean χ = E tanh'(h)² = %s" % f64(mean))
    print("    const TANH_ONE_LAYER: [(f64, f64); %d] = [" % len(xs))
    for x, (t,) in zip(xs, sols):
        z = x * t - 1
        print("        (%s, %s)," % (f64(x), f64(-z.imag / (mp.pi * x))))
    print("    ];")


def tanh2_table():
    q1 = mp.mpf(1)
    q2 = gauss_mean(lambda h: mp.tanh(h) ** 2, q1)
    E1 = lambda t: gauss_mean(lambda h: 1 / (1 - t * tanh_d(h)), q1)
    E2 = lambda t: gauss_mean(lambda h: 1 / (1 - t * tanh_d(h)), q2)
    m1, m2 = gauss_mean(tanh_d, q1), gauss_mean(tanh_d, q2)

    def eqs(u, zeta):
        t1, t2 = u
        z = E1(t1) - 1
        return [E2(t2) - 1 - z, zeta * t1 * t2 * (1 + z) - z]

    def start(zeta):
        z = m1 * m2 / zeta
        return [z / m1, z / m2]

    xs = [0.05, 0.2, 0.4, 0.6, 0.8]
    sols = solve_path(eqs, start, xs)
    print("    // mean = %s" % f64(m1 * m2))
    print("    const TANH_TWO_ORTHOGONAL: [(f64, f64); %d] = [" % len(xs))
    for x, (t1, t2) in zip(xs, sols):
        z = E1(t1) - 1
        print("        (%s, %s)," % (f64(x), f64(-z.imag / (mp.pi * x))))
    print("    ];")


SECTIONS = {
    "erfc": erfc_table,
    "chi2": chi2_table,
    "fc2": fc2_table,
    "meanfield": meanfield_table,
    "tanh1": tanh1_table,
    "tanh2": tanh2_table,
}

def zeros_table():
    swish = lambda u: u / (1 + mp.exp(-u))
    gelu_fn = lambda u: u * mp.ncdf(u)
    print("    // (u0, [c_1, …, c_6]) for gelu, then swish.")
    for name, phi, start in [("gelu", gelu_fn, -0.75), ("swish", swish, -1.28)]:
        u0 = mp.findroot(lambda u: mp.diff(phi, u), start)
        coefficients = [mp.diff(phi, u0, k + 1) / mp.factorial(k) for k in range(1, 7)]
        print("    const %s_ZERO: (f64, [f64; 6]) = (%s, [%s]);" % (
            name.upper(), f64(u0), ", ".join(f64(c) for c in coefficients)))


def shifted_table():
    a = mp.mpf("0.7")
    mean = 1 + a * a

    def cauchy(zeta):
        if zeta.imag < 0:
            return mp.conj(cauchy(mp.conj(zeta)))
        x = zeta / mp.sqrt(2)
        faddeeva = mp.exp(-x * x) * mp.erfc(-1j * x)
        return -1j * mp.sqrt(mp.pi / 2) * faddeeva

    points = [(1e-8, 2.0), (1e-12, 0.3), (1e-12, 1.5), (1e-12, 2.8), (1e-16, 1.0), (3e-20, 0.05)]
    print("    // (|s|, arg s, s·G(s)).")
    print("    const SHIFTED: [(f64, f64, (f64, f64)); %d] = [" % len(points))
    for modulus, argument in points:
        s = mp.mpf(modulus) * mp.exp(1j * mp.mpf(argument))
        r = mp.sqrt(s * mean)
        v = r / 2 * (cauchy(a + r) - cauchy(a - r))
        print("        (%s, %s, (%s, %s))," % (f64(modulus), f64(argument), f64(v.real), f64(v.imag)))
    print("    ];")


def cf_terms_table():
    def fraction(w, n):
        tail = w
        for k in range(n, 0, -1):
            tail = w + (k / 2) / tail
        return tail

    def needed(w):
        exact = complex(mp.exp(-w * w) / (mp.sqrt(mp.pi) * mp.erfc(w)))
        w = complex(w)
        return next(n for n in range(1, 301) if abs(fraction(w, n) - exact) <= 2e-16 * abs(exact))

    print("    // |w|, the most terms needed over |Im w| ≤ Re w/2, the rule's count.")
    for radius in [2.2, 2.35, 2.5, 2.75, 3, 3.5, 4, 5, 6, 8, 10, 15, 20, 30, 50]:
        half_angle = mp.atan(mp.mpf(1) / 2)
        most = max(needed(radius * mp.exp(1j * half_angle * (k - 30) / 30)) for k in range(61))
        print("    // %5s  %3d  %3d" % (radius, most, int(mp.ceil(8 + 260 / mp.mpf(radius) ** 2))))


def gelu_sheets_table():
    d1 = lambda u: mp.ncdf(u) + u * mp.npdf(u)
    phi = lambda z: mp.npdf(z)
    f = lambda z: d1(z) ** 2
    mean = mp.quad(lambda z: f(z) * phi(z), [-mp.inf, -3, -0.75, 0, 3, mp.inf])
    u0 = mp.findroot(d1, -0.75)
    points = [(-2e-4, 1.3e-5), (-1e-6, 1e-8), (-3e-3, 2e-4), (-2e-4, -1.3e-5), (-5e-5, 0.0)]
    print("    // (s, s·G(s)) for d = φ'(z)²/E φ'(z)², gelu, E φ'(z)² = %s." % f64(mean))
    print("    const GELU_SHEETS: [((f64, f64), (f64, f64)); %d] = [" % len(points))
    for re, im in points:
        s = mp.mpc(re, im)
        # Where f/mean = |s| on the left tail (a breakpoint: the integrand turns there).
        lo, hi = mp.mpf(-9), -mp.sqrt(2)  # f increases on (−∞, −√2)
        for _ in range(100):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) / mean < abs(s) else (lo, mid)
        tail = (lo + hi) / 2
        v = mp.quad(lambda z: s / (s - f(z) / mean) * phi(z), [-mp.inf, tail - 1, tail, tail + 1, u0, 0, mp.inf])
        print("        ((%s, %s), (%s, %s))," % (f64(re), f64(im), f64(v.real), f64(v.imag)))
    print("    ];")


def gelu_pairs_table():
    mp.mp.dps = 40
    sq = mp.mpf(1) / 2
    ncdf = lambda u: mp.erfc(-u / mp.sqrt(2)) / 2  # complex arguments too (findroot)
    npdf = lambda u: mp.exp(-u * u / 2) / mp.sqrt(2 * mp.pi)
    d1 = lambda u: ncdf(u) + u * npdf(u)
    f = lambda z: d1(sq * z) ** 2
    zc = mp.findroot(d1, -0.75) / sq
    mean = mp.quad(lambda z: f(z) * npdf(z), [-mp.inf, -3, zc, 0, 3, mp.inf])
    curvature = mp.diff(f, zc, 2) / mean
    points = [(1e-13, 0.5), (1e-14, 0.5), (1e-13, 3.0), (1e-13, 3.13), (1e-8, 0.5), (1e-11, 1.5)]
    print("    const GELU_PAIRS: [((f64, f64), (f64, f64)); %d] = [" % len(points))
    for modulus, argument in points:
        s = mp.mpf(modulus) * mp.expj(argument)
        roots = [mp.findroot(lambda z: f(z) / mean - s, zc + sign * mp.sqrt(2 * s / curvature)) for sign in (1, -1)]
        breaks = [-8, -6, -4, -3, zc - 0.1, zc - 0.01, zc - 1e-3, zc - 1e-4, zc - 1e-5]
        for r in roots:
            breaks += [r.real + k * abs(r.imag) for k in (-10, -1, 0, 1, 10)]
        breaks += [zc + 1e-5, zc + 1e-4, zc + 1e-3, zc + 0.01, zc + 0.1, 0, 3]
        v = mp.quad(lambda z: s / (s - f(z) / mean) * npdf(z), [-mp.inf] + sorted(set(breaks)) + [mp.inf], maxdegree=12)
        print("        ((%s, %s), (%s, %s))," % (f64(s.real), f64(s.imag), f64(v.real), f64(v.imag)))
    print("    ];")
    mp.mp.dps = 30


SECTIONS["gelu_sheets"] = gelu_sheets_table
SECTIONS["gelu_pairs"] = gelu_pairs_table
SECTIONS["zeros"] = zeros_table
SECTIONS["cf_terms"] = cf_terms_table
SECTIONS["shifted"] = shifted_table

if __name__ == "__main__":
    for name in sys.argv[1:] or SECTIONS:
        print("// section %s" % name)
        SECTIONS[name]()
