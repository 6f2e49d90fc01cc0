"""The Marchenko–Pastur law MP(γ, s2): the limit law of the eigenvalues of S = W Wᵀ/n for W
m×n (m = fan-in rows, n = fan-out columns), γ = m/n, entries of variance s2. Support
s2(1 ± √γ)², and an atom at 0 of mass 1 − 1/γ when γ > 1 (in the CDF, not in the density).

``pdf``, ``cdf`` and ``ppf`` take a number (and return a float) or an array (and return an
array of its shape; a C-contiguous float64 array is read in place). ``law`` returns the support,
atom and moments as a dict (the keys of ``rmspec law mp --json``).
"""

import json as _json
from typing import Any, Dict

from ._rmspec import mp_cdf as cdf
from ._rmspec import mp_law_json as _law_json
from ._rmspec import mp_pdf as pdf
from ._rmspec import mp_ppf as ppf

__all__ = ["pdf", "cdf", "ppf", "law"]


def law(gamma: float, variance: float = 1.0) -> Dict[str, Any]:
    """The law's document: ``law``, ``gamma``, ``variance``, ``normalization``, ``support``
    {``lower``, ``upper``}, ``atom_at_zero``, ``moments`` {``mean``, ``variance``, ``raw``}."""
    return _json.loads(_law_json(gamma, variance))
