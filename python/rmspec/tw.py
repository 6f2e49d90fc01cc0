"""The Tracy–Widom laws TW_β of the largest eigenvalue at a soft edge, in Tracy and Widom's
normalisation: β = 1 for real matrices (GOE, real Wishart: real Gaussian weights), β = 2 for
complex ones (GUE).

``pdf``, ``cdf`` and ``ppf`` take a number (and return a float) or an array (and return an
array of its shape). Each point costs about a millisecond (a Fredholm determinant); a long
evaluation releases the GIL and stops on Ctrl-C.
"""

import json as _json
from typing import Any, Dict

from ._rmspec import tw_cdf as cdf
from ._rmspec import tw_law_json as _law_json
from ._rmspec import tw_pdf as pdf
from ._rmspec import tw_ppf as ppf

__all__ = ["pdf", "cdf", "ppf", "law"]


def law(beta: int = 1) -> Dict[str, Any]:
    """The law's document: ``law``, ``beta``, ``description``, ``support``, ``moments``
    {``mean``, ``variance``} (the keys of ``rmspec law tw --json``)."""
    return _json.loads(_law_json(beta))
