"""rmspec's exceptions: each carries the library's one-line message (the CLI's ``error: …`` line
without ``error: ``).

A stopped computation (Ctrl-C) raises ``KeyboardInterrupt``, not one of these.
"""


class RmspecError(Exception):
    """Base class of every error rmspec raises."""


class InvalidInputError(RmspecError, ValueError):
    """A value out of range, an unknown name, input of the wrong shape or type, a corrupt file:
    ``invalid gamma = -1: must be finite and > 0``."""


class FileError(RmspecError, OSError):
    """A file or directory that the operating system would not open, read, list or map."""


class TooLargeError(RmspecError, MemoryError):
    """The computation would need more memory than the limit (``RMSPEC_MAX_MEMORY``, else 80% of
    the available memory); refused before allocating."""


class LapackError(RmspecError, ArithmeticError):
    """A LAPACK routine failed (no convergence)."""
