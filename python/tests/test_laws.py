"""The laws from Python equal the library's to the last bit: compared with the rmspec CLI's
`law … --json` output (the same library function, printed with round-trip precision)."""

import math

import numpy as np
import pytest

import rmspec

# Abscissae across the support, its edges, outside it and at the atom.
XS = [-1.0, 0.0, 1e-300, 0.01, 0.08578643762690485, 0.3, 0.5, 1.0, 1.7, 2.5, 2.914213562373095, 3.0, 10.0]
PS = [0.0, 1e-12, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0]


def cli_values(cli, law_args, flag, points):
    args = list(law_args)
    for x in points:
        args += [flag, repr(float(x))]
    document = cli.json("law", *args)
    key = {"--cdf": "cdf", "--density": "density", "--quantile": "quantile"}[flag]
    # ±∞ are the strings "Infinity"/"-Infinity" in rmspec's JSON; float() reads them.
    return [float(entry["value"]) for entry in document[key]]


@pytest.mark.parametrize("gamma,variance", [(0.5, 1.0), (2.0, 0.5), (1.0, 3.0), (0.1, 2e-3)])
def test_marchenko_pastur_is_bit_identical_to_the_cli(cli, gamma, variance):
    law = ["mp", "--gamma", repr(gamma), "--variance", repr(variance)]
    xs = np.array(XS) * variance
    for function, flag, points in [
        (rmspec.mp.cdf, "--cdf", xs),
        (rmspec.mp.pdf, "--density", xs),
        (rmspec.mp.ppf, "--quantile", np.array(PS)),
    ]:
        got = function(points, gamma, variance)
        expected = cli_values(cli, law, flag, points)
        assert got.dtype == np.float64 and got.shape == points.shape
        assert got.tolist() == expected, (flag, got.tolist(), expected)
        # Scalars go through the same function.
        assert [function(float(x), gamma, variance) for x in points] == expected


def test_tracy_widom_is_bit_identical_to_the_cli(cli):
    xs = np.array([-4.0, -1.2, 0.0, 0.5, 2.0])
    for beta in (1, 2):
        law = ["tw", "--beta", str(beta)]
        assert rmspec.tw.cdf(xs, beta).tolist() == cli_values(cli, law, "--cdf", xs)
        assert rmspec.tw.pdf(xs, beta).tolist() == cli_values(cli, law, "--density", xs)
        ps = np.array([0.05, 0.5, 0.95])
        assert rmspec.tw.ppf(ps, beta).tolist() == cli_values(cli, law, "--quantile", ps)


def test_golden_values():
    # source: Bornemann (2010), F1(0) and F2(0) to 14 digits.
    assert abs(rmspec.tw.cdf(0.0, 1) - 0.83190806620295) < 1e-13
    assert abs(rmspec.tw.cdf(0.0, 2) - 0.96937282835526) < 1e-13
    # MP(γ = 2, s2): the atom at 0 has mass 1 − 1/γ; the CDF is 1 at the upper edge s2(1 + √γ)².
    assert rmspec.mp.cdf(0.0, 2.0, 0.5) == pytest.approx(0.5, abs=1e-15)
    assert rmspec.mp.cdf(0.5 * (1 + math.sqrt(2)) ** 2, 2.0, 0.5) == pytest.approx(1.0, abs=1e-15)


def test_law_documents_match_the_cli(cli):
    from conftest import without_header

    assert without_header(rmspec.mp.law(2.0, 0.5)) == without_header(cli.json("law", "mp", "--gamma", "2", "--variance", "0.5"))
    assert without_header(rmspec.tw.law(1)) == without_header(cli.json("law", "tw", "--beta", "1"))


def test_array_forms_give_the_same_values():
    base = np.linspace(0.0, 3.0, 24)
    expected = rmspec.mp.cdf(base, 0.5)
    grid = base.reshape(4, 6)
    assert rmspec.mp.cdf(grid, 0.5).shape == (4, 6)
    assert rmspec.mp.cdf(grid, 0.5).ravel().tolist() == expected.tolist()
    # Fortran order, a strided view, a list, float32 and int input are converted by NumPy.
    assert rmspec.mp.cdf(np.asfortranarray(grid), 0.5).tolist() == rmspec.mp.cdf(grid, 0.5).tolist()
    assert rmspec.mp.cdf(base[::2], 0.5).tolist() == expected[::2].tolist()
    assert rmspec.mp.cdf(list(base), 0.5).tolist() == expected.tolist()
    assert rmspec.mp.cdf(np.array([1, 2]), 0.5).tolist() == rmspec.mp.cdf(np.array([1.0, 2.0]), 0.5).tolist()
    assert rmspec.mp.cdf(np.float32(0.5), 0.5) == rmspec.mp.cdf(float(np.float32(0.5)), 0.5)
    zero_d = rmspec.mp.cdf(np.array(1.0), 0.5)
    assert zero_d.shape == () and float(zero_d) == rmspec.mp.cdf(1.0, 0.5)
    assert isinstance(rmspec.mp.cdf(1.0, 0.5), float)
    assert rmspec.mp.cdf(np.array([]), 0.5).shape == (0,)
