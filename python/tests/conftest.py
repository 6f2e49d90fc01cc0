"""Shared fixtures: the rmspec command line built from the same checkout, whose JSON output is
the reference for the bindings' values (same library, same functions)."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary() -> str:
    explicit = os.environ.get("RMSPEC_BIN")
    if explicit:
        return explicit
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / "rmspec"
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("no rmspec binary: set RMSPEC_BIN or run `cargo build --release` (make python-test does)")


class Cli:
    """Runs the rmspec binary."""

    def __init__(self, path: str) -> None:
        self.path = path

    def run(self, *args: str) -> subprocess.CompletedProcess:
        # The same OpenBLAS kernel as this process's library, so that values agree to the last bit
        # (the command would otherwise replace OpenBLAS's SSE3 fallback with an AVX kernel).
        import rmspec

        env = dict(os.environ, OPENBLAS_CORETYPE=rmspec.OPENBLAS_KERNEL)
        return subprocess.run([self.path, "--quiet", *args], capture_output=True, text=True, timeout=600, env=env)

    def json(self, *args: str) -> dict:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def error(self, *args: str) -> str:
        """The one-line error of a failing command, without its `error: ` prefix."""
        done = self.run(*args)
        assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
        line = done.stderr.strip()
        assert line.startswith("error: ") and "\n" not in line, line
        return line[len("error: "):]


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(_binary())


def without_header(document: dict) -> dict:
    """A document without its `rmspec` provenance (version and commit of the producing build)."""
    return {k: v for k, v in document.items() if k != "rmspec"}
