"""Assertions for test suites (pytest or any other runner)."""

from typing import Any, Optional

from ._rmspec import CheckReport, check

__all__ = ["assert_spectrum"]


def assert_spectrum(
    weights: Any,
    strategy: str,
    *,
    layout: str = "torch",
    false_alarm: float = 0.01,
    bulk_replicates: Optional[int] = None,
    seed: Optional[int] = None,
) -> CheckReport:
    """Asserts that ``weights`` has the spectrum ``strategy`` promises (``rmspec.check``): raises
    ``AssertionError`` with the report's text when any check fails, and returns the report.

    ``layout="torch"``: ``weights`` is out × in (``nn.Linear.weight``); ``"keras"``: in × out. A
    correctly drawn matrix fails with probability at most ``false_alarm``.
    """
    report = check(weights, strategy, layout, false_alarm, bulk_replicates, seed)
    if not report.passed:
        raise AssertionError(f"weight matrix does not match its initialiser:\n{report}")
    return report
