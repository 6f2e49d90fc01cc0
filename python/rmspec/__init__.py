"""rmspec: random-matrix spectral analysis of weight initialisation, from Python.

Every number comes from the rmspec Rust library (the same functions as the ``rmspec`` command
line). Conventions, as everywhere in rmspec: W is m×n with m = fan-in rows and n = fan-out
columns (a layer computes y = Wᵀx), S = W Wᵀ/n, γ = m/n; see ``NORMALIZATION``. PyTorch stores a
``Linear`` weight as out × in (Wᵀ: ``layout="torch"``), Keras and Flax a ``Dense`` kernel as
in × out (W: ``layout="keras"``).

- ``rmspec.mp``, ``rmspec.tw``: the Marchenko–Pastur and Tracy–Widom laws (``pdf``, ``cdf``,
  ``ppf`` over NumPy arrays, ``law``).
- ``edges``: predicted edges, norms, condition numbers and finite-size intervals (no sampling).
- ``spectrum``: a seeded Monte Carlo study, as ``rmspec spectrum --json``.
- ``check``: one weight matrix against its initialiser at a false-alarm rate (``CheckReport``);
  ``rmspec.testing.assert_spectrum`` for pytest.
- ``weights``: every layer of a checkpoint (safetensors, npy, npz) against its initialiser.

Errors are ``RmspecError`` subclasses carrying the library's one-line message
(``InvalidInputError`` is a ``ValueError``, ``FileError`` an ``OSError``, ``TooLargeError`` a
``MemoryError``, ``LapackError`` an ``ArithmeticError``). Long computations release the GIL and
stop on Ctrl-C (``KeyboardInterrupt``).
"""

import json as _json
import os as _os
from typing import Any, Dict, Optional, Sequence, Union

from . import mp, testing, tw
from ._errors import FileError, InvalidInputError, LapackError, RmspecError, TooLargeError
from ._rmspec import NORMALIZATION, OPENBLAS_KERNEL, VERSION_LINE, CheckItem, CheckReport, check
from ._rmspec import edges_json as _edges_json
from ._rmspec import spectrum_json as _spectrum_json
from ._rmspec import weights_json as _weights_json

__version__ = "0.1.0"

__all__ = [
    "NORMALIZATION",
    "OPENBLAS_KERNEL",
    "VERSION_LINE",
    "CheckItem",
    "CheckReport",
    "FileError",
    "InvalidInputError",
    "LapackError",
    "RmspecError",
    "TooLargeError",
    "check",
    "edges",
    "mp",
    "spectrum",
    "tw",
    "weights",
]

Strategies = Union[str, Sequence[str]]
PathLike = Union[str, "_os.PathLike[str]"]


def _names(strategy: Strategies) -> list:
    return [strategy] if isinstance(strategy, str) else [str(s) for s in strategy]


def edges(m: int, n: int, strategy: Strategies = "all", coverage: float = 0.95) -> Dict[str, Any]:
    """Predicted spectrum edges, spectral norm, smallest singular value and condition number of
    an m×n W (m = fan-in rows, n = fan-out columns) per strategy, with finite-size central
    intervals at ``coverage``: the document ``rmspec edges --json`` prints, as a dict (±∞ are the
    strings ``"Infinity"``/``"-Infinity"`` and undefined values ``None``, as in the JSON;
    ``float()`` reads the strings)."""
    return _json.loads(_edges_json(m, n, _names(strategy), coverage))


def spectrum(
    m: int,
    n: int,
    strategy: Strategies = "all",
    *,
    trials: int = 20,
    seed: int = 1,
    method: str = "dense",
    exact_singular_values: bool = False,
    coverage: float = 0.95,
    bulk_level: float = 0.95,
    bulk_replicates: int = 19,
    fits: bool = True,
    bins: int = 60,
) -> Dict[str, Any]:
    """Samples ``trials`` m×n matrices per strategy (trial t from its own seeded stream),
    computes the spectra of S = W Wᵀ/n through LAPACK and compares them with theory: the
    document ``rmspec spectrum --json`` prints for the same options (``method`` is ``dense``,
    ``tridiagonal`` or ``tridiagonal-histogram``; ``fits=False`` is ``--no-fits``), as a dict
    with the same keys and values (±∞ as ``"Infinity"`` strings, NaN as ``None``). No figures.
    Releases the GIL; Ctrl-C stops it (``KeyboardInterrupt``)."""
    return _json.loads(
        _spectrum_json(
            m,
            n,
            _names(strategy),
            trials,
            seed,
            method,
            exact_singular_values,
            coverage,
            bulk_level,
            bulk_replicates,
            fits,
            bins,
        )
    )


def weights(
    path: Union[PathLike, Sequence[PathLike]],
    *,
    layout: str = "auto",
    init: Optional[str] = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    false_alarm: float = 0.05,
    replicates: int = 79,
    seed: int = 1,
) -> Dict[str, Any]:
    """Reads a checkpoint (``.safetensors`` file or shard directory, ``.npy``, ``.npz``; one
    path or several) through rmspec's weights reader and compares every layer with its
    initialiser's law: the document ``rmspec weights --json`` prints, as a dict. ``layout`` is
    ``auto``, ``torch``, ``keras`` or ``flax``; ``init`` an initialiser name (``torch-default``,
    ``glorot-uniform``, ``he``, ``variance:0.0004``, …). Tensors refused for NaN or infinite
    values are listed under ``skipped`` with ``non_finite`` (the CLI also exits with status 1).
    A file that cannot be opened raises ``FileError`` (an ``OSError``)."""
    paths = [path] if isinstance(path, (str, bytes, _os.PathLike)) else list(path)
    return _json.loads(
        _weights_json(
            [_os.fspath(p) for p in paths],
            layout,
            init,
            list(include),
            list(exclude),
            false_alarm,
            replicates,
            seed,
        )
    )
