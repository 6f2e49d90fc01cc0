#!/usr/bin/env python3
"""Airy-function values for rmspec's `law::tracy_widom::airy`, from mpmath at 40 digits.

`anchors` prints the table of (Ai, Ai') at x = −16, −15.5, ..., 10 that the Rust code expands
in Taylor series about (|x − anchor| ≤ 1/4). `test` prints an independent table at points that
are not anchors (and beyond the table, where the Rust code uses asymptotic expansions), to be
pasted into the unit tests.

Usage: python3 airy.py [anchors|test]
"""
import sys
import mpmath as mp

mp.mp.dps = 40


def r(x):
    return mp.nstr(x, 20, strip_zeros=False) if x != 0 else "0.0"


def anchors():
    xs = [mp.mpf(-16) + mp.mpf(k) / 2 for k in range(53)]
    print("// source: scripts/reference/airy.py anchors (mpmath {}, 40 digits): (Ai(x), Ai'(x)) at x = −16 + k/2".format(mp.__version__))
    print(f"const ANCHORS: [(f64, f64); {len(xs)}] = [")
    for x in xs:
        print(f"    ({r(mp.airyai(x))}, {r(mp.airyai(x, derivative=1))}), // x = {mp.nstr(x, 4)}")
    print("];")


TEST_POINTS = ["-40", "-25.5", "-17.3", "-16.2", "-16.3", "-12.34", "-9.876", "-7.5", "-5.0625", "-4.0879494441309706",
               "-2.338107410459767", "-1.5", "-0.7", "-0.1234", "0", "0.001", "0.3", "1", "1.77", "2.5",
               "3.3", "4.9", "6.2", "8.123", "9.9", "10.2", "10.3", "11", "13.7", "20", "27.5", "40", "60", "100"]


def test():
    print("// source: scripts/reference/airy.py test (mpmath {}, 40 digits): (x, Ai(x), Ai'(x))".format(mp.__version__))
    print(f"const AIRY_TABLE: [(f64, f64, f64); {len(TEST_POINTS)}] = [")
    for t in TEST_POINTS:
        x = mp.mpf(float(t))  # the f64 the Rust test will pass
        print(f"    ({t}, {r(mp.airyai(x))}, {r(mp.airyai(x, derivative=1))}),")
    print("];")


if __name__ == "__main__":
    {"anchors": anchors, "test": test}[sys.argv[1] if len(sys.argv) > 1 else "test"]()
