"""edges, spectrum and weights return the CLI's JSON document, key for key and value for value."""

import numpy as np

import rmspec
from conftest import without_header


def test_edges_equals_the_cli(cli):
    got = rmspec.edges(300, 1200, "all", coverage=0.9)
    assert got["format"]["name"] == "rmspec-edges"
    assert got["normalization"] == rmspec.NORMALIZATION
    assert without_header(got) == without_header(
        cli.json("edges", "--m", "300", "--n", "1200", "--strategy", "all", "--coverage", "0.9")
    )
    # A square Gaussian matrix's κ limit is +∞: the JSON's string.
    assert rmspec.edges(50, 50, ["he"])["strategies"][0]["condition_number"] == "Infinity"


def test_spectrum_equals_the_cli(cli):
    # About 0.1 s: two strategies × 6 trials of 40×100, 19 bulk replicates.
    got = rmspec.spectrum(40, 100, ["he", "torch-default"], trials=6, seed=3, bins=20)
    assert without_header(got) == without_header(
        cli.json("spectrum", "-m", "40", "-n", "100", "-s", "he,torch-default", "-t", "6", "--seed", "3", "--bins", "20")
    )
    assert [s["strategy"] for s in got["strategies"]] == ["he", "torch-default"]
    assert got["strategies"][0]["figures"] == []


def test_weights_equals_the_cli(cli, tmp_path):
    rng = np.random.default_rng(2)
    path = tmp_path / "layer.npy"
    np.save(path, (rng.standard_normal((96, 48)) * np.sqrt(2.0 / 48)).astype(np.float32))  # torch out × in
    got = rmspec.weights(path, layout="torch", init="he")
    expected = cli.json("weights", str(path), "--layout", "torch", "--init", "he")
    assert without_header(got) == without_header(expected)
    layer = got["layers"][0]
    assert (layer["fan_in"], layer["fan_out"], layer["m"], layer["n"]) == (48, 96, 48, 96)
    assert layer["verdict"] == "random-like"


def test_openblas_kernel_is_named_and_the_cli_runs_it_when_told(cli):
    assert isinstance(rmspec.OPENBLAS_KERNEL, str) and rmspec.OPENBLAS_KERNEL not in ("", "unknown")
    version = cli.run("--version").stdout  # cli.run passes OPENBLAS_CORETYPE = this process's kernel
    assert f"OpenBLAS kernel: {rmspec.OPENBLAS_KERNEL} (from OPENBLAS_CORETYPE)" in version, version
