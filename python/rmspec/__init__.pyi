# Type stubs of the rmspec package. Conventions: W is m×n with m = fan-in rows and n = fan-out
# columns (y = Wᵀx), S = W Wᵀ/n, γ = m/n. layout="torch": an out × in array (nn.Linear.weight,
# Wᵀ); layout="keras": an in × out array (Keras/Flax Dense kernel, W).
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import mp as mp
from . import testing as testing
from . import tw as tw

__version__: str
NORMALIZATION: str
"""The convention every document carries: 'S = W W^T / n; W is m x n with m = fan-in (rows), ...'."""
OPENBLAS_KERNEL: str
"""The OpenBLAS kernel set this process runs ('Haswell', 'SkylakeX', 'Prescott', ...), chosen when
OpenBLAS loaded (from OPENBLAS_CORETYPE if set); the last bits of eigenvalues depend on it."""
VERSION_LINE: str
"""The rmspec library's version line (version and, from a checkout, the commit)."""

Strategies = Union[str, Sequence[str]]
PathLike = Union[str, os.PathLike[str]]

class RmspecError(Exception):
    """Base class of every error rmspec raises (the library's one-line message)."""

class InvalidInputError(RmspecError, ValueError):
    """A value out of range, an unknown name, input of the wrong shape or type, a corrupt file."""

class FileError(RmspecError, OSError):
    """A file the operating system would not open, read, list or map."""

class TooLargeError(RmspecError, MemoryError):
    """More memory than the limit (RMSPEC_MAX_MEMORY, else 80% of the available memory)."""

class LapackError(RmspecError, ArithmeticError):
    """A LAPACK routine did not converge."""

class CheckItem:
    """One check of a CheckReport."""
    @property
    def quantity(self) -> str:
        """'spectral_norm', 'smallest_singular_value', 'condition_number', 'variance_ratio' or
        'ks_distance'."""
    @property
    def label(self) -> str:
        """The quantity as the report names it ('spectral norm ‖W‖', ...)."""
    @property
    def observed(self) -> float:
        """The value seen in the matrix."""
    @property
    def limit(self) -> float:
        """The m, n → ∞ limit (Bai–Yin; 0 for the KS distance), for orientation only."""
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def level(self) -> float:
        """Coverage of [lower, upper] for this check (1 − α/k, Bonferroni over k checks)."""
    @property
    def method(self) -> str:
        """How the interval was obtained ('Tracy–Widom TW₁ at the upper edge', ...)."""
    @property
    def passed(self) -> bool: ...

class CheckReport:
    """The outcome of check(): passed, the items, and str(report), the library's readable text."""
    @property
    def passed(self) -> bool:
        """True when every check passed."""
    @property
    def items(self) -> List[CheckItem]:
        """‖W‖, σ_min, κ, and the KS distance to Marchenko–Pastur when the bulk check ran."""
    @property
    def failures(self) -> List[CheckItem]: ...
    @property
    def shape(self) -> Tuple[int, int]:
        """(m, n): m = fan-in rows, n = fan-out columns of W as checked."""
    @property
    def strategy(self) -> str: ...
    @property
    def variance(self) -> float:
        """The strategy's entry variance s2 at (m, n)."""
    @property
    def false_alarm(self) -> float: ...
    @property
    def bulk_replicates(self) -> int:
        """Matrices simulated for the KS critical value (0: no bulk check)."""
    @property
    def exact(self) -> bool:
        """True for orthogonal strategies (every singular value checked exactly)."""
    def __bool__(self) -> bool: ...

def check(
    weights: npt.ArrayLike,
    strategy: str,
    layout: str = "torch",
    false_alarm: float = 0.01,
    bulk_replicates: Optional[int] = None,
    seed: Optional[int] = None,
) -> CheckReport:
    """Checks a 2-D float32/float64 weight array against what `strategy` ('he', 'xavier',
    'torch-default', 'glorot-uniform', 'orthogonal', 'variance:V', ...) promises at its size:
    ‖W‖, σ_min and κ against finite-size Tracy–Widom/Edelman intervals and the KS distance to
    Marchenko–Pastur against a simulated critical value, at an overall false-alarm rate
    `false_alarm` (a correct draw fails with probability at most that).

    layout='torch': `weights` is out × in (W transposed, as nn.Linear.weight); 'keras' (or
    'flax'): in × out (W). C- and Fortran-contiguous float32/float64 arrays are read in place
    (exact checks of float32 weights allow its storage rounding); other arrays are first made contiguous by NumPy. Do not modify the array from
    another thread during the call (the GIL is released). Raises InvalidInputError for a bad
    dtype, rank, layout, rate, strategy or a non-finite entry (named by its (row, column) in W).
    """

def edges(m: int, n: int, strategy: Strategies = "all", coverage: float = 0.95) -> Dict[str, Any]:
    """The document of `rmspec edges --json` (predicted edges and finite-size intervals)."""

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
    """The document of `rmspec spectrum --json` for the same options (no figures)."""

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
    """The document of `rmspec weights --json`: every layer of a checkpoint against its
    initialiser's law. Raises FileError (an OSError) for a file that cannot be opened."""
