"""Initialisers written in NumPy, checked as a PyTorch (out × in) or Keras (in × out) user would.

Each test draws with a fixed seed, so its verdict is deterministic. A correct draw fails a check
at α = 0.01 with probability at most 1% (Bonferroni over the checks), so a fixed seed that passes
is not luck-tuned beyond that; the buggy initialisers below are off by a factor of 2 in variance
or swap fan-in and fan-out, which moves ‖W‖ by many interval widths at these sizes (the
intervals are a few percent wide at 128×256), so they fail for any seed.
"""

import numpy as np
import pytest

import rmspec
from rmspec.testing import assert_spectrum

FAN_IN, FAN_OUT = 128, 256


def he_normal_torch(fan_in, fan_out, rng, dtype=np.float32):
    """A correct He (Kaiming) normal initialiser: PyTorch's Linear weight is out × in."""
    return (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)).astype(dtype)


def he_normal_buggy(fan_in, fan_out, rng, dtype=np.float32):
    """The classic bug: the variance divided by fan-out instead of fan-in."""
    return (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_out)).astype(dtype)


def glorot_uniform_keras(fan_in, fan_out, rng):
    """Keras's glorot_uniform: kernel in × out, U(±√(6/(fan_in + fan_out)))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def test_correct_he_passes_and_the_buggy_one_fails_in_torch_layout():
    rng = np.random.default_rng(20261130)
    report = rmspec.check(he_normal_torch(FAN_IN, FAN_OUT, rng), "he")
    assert report.passed, str(report)
    assert report.shape == (FAN_IN, FAN_OUT) and report.strategy == "he"
    assert report.variance == 2.0 / FAN_IN
    assert [i.quantity for i in report.items] == [
        "spectral_norm",
        "smallest_singular_value",
        "condition_number",
        "variance_ratio",
        "ks_distance",
    ]
    # The library's default number of null replicates at false_alarm = 0.01 (Bonferroni over five
    # checks), read from the library rather than restated.
    assert report.bulk_replicates == rmspec.check(he_normal_torch(FAN_IN, FAN_OUT, rng), "he").bulk_replicates
    assert not report.exact
    bad = rmspec.check(he_normal_buggy(FAN_IN, FAN_OUT, rng), "he")
    assert not bad.passed and not bad
    text = str(bad)
    assert text.startswith(f"rmspec check of a {FAN_IN}×{FAN_OUT} weight matrix (rows = fan-in) against he")
    assert "FAILED" in text and "FAIL spectral norm ‖W‖" in text
    assert {i.quantity for i in bad.failures} >= {"spectral_norm", "smallest_singular_value", "variance_ratio"}
    # κ does not depend on the variance: it passes even for the buggy initialiser.
    assert bad.items[2].passed


def test_layouts_orders_and_dtypes_give_one_verdict():
    rng = np.random.default_rng(7)
    torch_w = he_normal_torch(FAN_IN, FAN_OUT, rng, dtype=np.float64)
    reference = rmspec.check(torch_w, "he", bulk_replicates=0)
    same = [
        rmspec.check(np.asfortranarray(torch_w), "he", bulk_replicates=0),
        rmspec.check(np.ascontiguousarray(torch_w.T), "he", layout="keras", bulk_replicates=0),
        rmspec.check(torch_w.T, "he", layout="keras", bulk_replicates=0),  # a Fortran-ordered view
        rmspec.check(torch_w[:, :], "he", bulk_replicates=0),
    ]
    for report in same:
        assert report.shape == reference.shape
        for a, b in zip(report.items, reference.items):
            assert (a.quantity, a.passed, a.lower, a.upper) == (b.quantity, b.passed, b.lower, b.upper)
            assert a.observed == pytest.approx(b.observed, rel=1e-12)
    # A non-contiguous view (every other row) is copied by NumPy and checked as a 128-row tensor.
    assert rmspec.check(torch_w[::2], "he", bulk_replicates=0).shape == (FAN_IN, FAN_OUT // 2)
    # float32 storage of the same draw: the same verdict.
    assert rmspec.check(torch_w.astype(np.float32), "he", bulk_replicates=0).passed == reference.passed


def test_keras_layout_and_a_swapped_layout():
    rng = np.random.default_rng(3)
    kernel = glorot_uniform_keras(FAN_IN, FAN_OUT, rng)
    report = rmspec.check(kernel, "glorot-uniform", layout="keras")
    assert report.passed, str(report)
    assert report.shape == (FAN_IN, FAN_OUT)
    # He drawn for a torch weight but passed as keras: rows are read as fan-out, so m and n swap
    # and the variance 2/m is wrong by the factor fan_out/fan_in = 2.
    torch_w = he_normal_torch(FAN_IN, FAN_OUT, rng)
    assert not rmspec.check(torch_w, "he", layout="keras", bulk_replicates=0).passed


def test_orthogonal_is_checked_exactly():
    rng = np.random.default_rng(5)
    q, _ = np.linalg.qr(rng.standard_normal((FAN_OUT, FAN_IN)))  # FAN_OUT × FAN_IN, orthonormal columns
    report = rmspec.check(q, "orthogonal:" + repr(1.0 / FAN_OUT))
    assert report.exact and report.passed, str(report)


def test_assert_spectrum_helper():
    rng = np.random.default_rng(11)
    report = assert_spectrum(he_normal_torch(64, 256, rng), "he")
    assert report.passed
    with pytest.raises(AssertionError, match="weight matrix does not match its initialiser:\nrmspec check of a 64×256"):
        assert_spectrum(he_normal_buggy(64, 256, rng), "he", false_alarm=0.05)
