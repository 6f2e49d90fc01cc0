"""Bad input raises the documented exceptions with the library's one-line message (the CLI's
`error: …` line, compared where the CLI takes the same input)."""

import numpy as np
import pytest

import rmspec


def test_law_parameters(cli):
    with pytest.raises(rmspec.InvalidInputError) as e:
        rmspec.mp.cdf(1.0, -1.0)
    assert isinstance(e.value, ValueError) and isinstance(e.value, rmspec.RmspecError)
    assert str(e.value) == cli.error("law", "mp", "--gamma", "-1", "--cdf", "1")
    with pytest.raises(ValueError) as e:
        rmspec.mp.pdf(np.array([0.5, np.nan]), 0.5)
    assert str(e.value) == cli.error("law", "mp", "--gamma", "0.5", "--density", "NaN")
    with pytest.raises(ValueError) as e:
        rmspec.mp.ppf(1.5, 0.5)
    assert str(e.value) == cli.error("law", "mp", "--gamma", "0.5", "--quantile", "1.5")
    with pytest.raises(ValueError) as e:
        rmspec.tw.cdf(0.0, 3)
    assert str(e.value) == cli.error("law", "tw", "--beta", "3", "--cdf", "0")


def test_edges_and_spectrum_arguments(cli):
    with pytest.raises(ValueError) as e:
        rmspec.edges(0, 10)
    assert str(e.value) == cli.error("edges", "--m", "0", "--n", "10")
    with pytest.raises(ValueError) as e:
        rmspec.edges(10, 10, "hee")
    assert str(e.value) == cli.error("edges", "--m", "10", "--n", "10", "--strategy", "hee")
    with pytest.raises(ValueError) as e:
        rmspec.spectrum(10, 20, "he", trials=-3)
    assert str(e.value) == cli.error("spectrum", "--m", "10", "--n", "20", "--strategy", "he", "--trials", "-3")
    with pytest.raises(ValueError) as e:
        rmspec.spectrum(10, 20, "orthogonal", method="tridiagonal")
    assert str(e.value) == cli.error("spectrum", "-m", "10", "-n", "20", "-s", "orthogonal", "--method", "tridiagonal")


def test_too_large_is_refused_before_allocating(monkeypatch):
    with pytest.raises(rmspec.TooLargeError) as e:
        rmspec.spectrum(100_000, 200_000, "he", trials=1)
    assert isinstance(e.value, MemoryError) and "more than the limit" in str(e.value)


def test_check_input():
    w = np.ones((3, 4))
    w[1, 2] = np.nan
    with pytest.raises(rmspec.InvalidInputError, match=r"^invalid input: entry \(2, 1\) of the weight matrix is NaN$"):
        rmspec.check(w, "he")  # torch layout: array (out=3, in=4), so W[i=2 (in), j=1 (out)]
    with pytest.raises(ValueError, match=r"^invalid weights dtype = int64: must be float32 or float64$"):
        rmspec.check(np.ones((3, 4), dtype=np.int64), "he")
    with pytest.raises(ValueError, match=r"^invalid weights shape = \(12,\): must be 2-D"):
        rmspec.check(np.ones(12), "he")
    with pytest.raises(ValueError, match=r"^invalid layout = 'tf': must be 'torch'"):
        rmspec.check(np.ones((3, 4)), "he", layout="tf")
    with pytest.raises(ValueError, match=r"^invalid false alarm rate = 1.5: must lie strictly between 0 and 1$"):
        rmspec.check(np.ones((3, 4)), "he", false_alarm=1.5)
    with pytest.raises(ValueError, match=r"^unknown strategy 'kaiming_normal'"):
        rmspec.check(np.ones((3, 4)), "kaiming_normal")


def test_missing_checkpoint_is_an_os_error(cli, tmp_path):
    missing = str(tmp_path / "missing.safetensors")
    with pytest.raises(rmspec.FileError) as e:
        rmspec.weights(missing)
    assert isinstance(e.value, OSError)
    assert str(e.value) == cli.error("weights", missing)
    corrupt = tmp_path / "corrupt.npy"
    corrupt.write_bytes(b"not an npy file")
    with pytest.raises(rmspec.InvalidInputError) as e:
        rmspec.weights(str(corrupt))
    assert str(e.value) == cli.error("weights", str(corrupt))
