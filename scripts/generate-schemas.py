#!/usr/bin/env python3
"""Writes the JSON Schemas of rmspec's documents into docs/schema/ (one per format).

Edit this script, not the generated files, then run it from the repository root:
    python3 scripts/generate-schemas.py
tests/schemas.rs validates real output of every command against the files, and checks that every
property has a description. Schemas are JSON Schema draft 2020-12; `additionalProperties: false`
everywhere, so a key that is not documented here fails the test.
"""
import json
import sys
import pathlib

DRAFT = "https://json-schema.org/draft/2020-12/schema"
NORMALIZATION = (
    "S = W W^T / n; W is m x n with m = fan-in (rows), n = fan-out (columns), y = W^T x; gamma = m/n"
)
OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schema"


def obj(description, properties, optional=()):
    """An object with exactly these properties; all required but `optional`."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def arr(description, items):
    return {"type": "array", "description": description, "items": items}


def real(description):
    return {
        "description": description + " (+∞ and −∞ are written as the strings \"Infinity\" and \"-Infinity\")",
        "oneOf": [{"type": "number"}, {"enum": ["Infinity", "-Infinity"]}],
    }


def real_or_null(description):
    return {
        "description": description
        + " (+∞ and −∞ as \"Infinity\" and \"-Infinity\"; null when undefined, i.e. NaN)",
        "oneOf": [{"type": "number"}, {"enum": ["Infinity", "-Infinity"]}, {"type": "null"}],
    }


def number(description):
    return {"type": "number", "description": description}


def count(description):
    return {"type": "integer", "minimum": 0, "description": description}


def string(description):
    return {"type": "string", "description": description}


def enum(description, values):
    return {"enum": values, "description": description}


def header(name, description, version=1):
    return {
        "format": obj(
            "The document's format (see docs/schema/README.md)",
            {
                "name": {"const": name, "description": "The format's name"},
                "version": {"const": version, "description": "The format's version"},
            },
        ),
        "rmspec": obj(
            "The rmspec that produced the document",
            {
                "version": string("rmspec's package version"),
                "commit": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{7,40}$",
                    "description": "The git commit rmspec was built from (absent when not built from a checkout)",
                },
            },
            optional=("commit",),
        ),
    }


def document(name, title, description, properties, optional=(), version=1):
    schema = obj(description, {**header(name, description, version), **properties}, optional)
    return {"$schema": DRAFT, "$id": f"{name}.schema.json", "title": title, **schema}


NORMALIZATION_PROPERTY = {"const": NORMALIZATION, "description": "The normalisation convention of every quantity"}
STRATEGY = string(
    "An initialisation strategy by its canonical name: geometric, arithmetic, quadratic, he, lecun, "
    "orthogonal, orthogonal:V, mix:A, variance:V, or a framework initialiser (torch-default, "
    "xavier-uniform:G, kaiming-normal:MODE:NONLIN, glorot-uniform, lecun-normal, uniform:V, ...)"
)
ENTRY_LAW = enum(
    "The law of each entry at unit variance: normal, uniform, or Keras/JAX's truncated normal (at ±2τ)",
    ["normal", "uniform", "truncated-normal"],
)
SUPPORT = obj(
    "Support of the law's continuous part",
    {"lower": real("Lower end"), "upper": real("Upper end")},
)
EVALUATION = obj("A point evaluation", {"x": real("The abscissa"), "value": real("The function's value there")})
QUANTILE = obj("A quantile", {"p": number("The probability, in [0, 1]"), "value": real("The quantile")})
GRID_POINT = obj(
    "CDF and density at one grid point",
    {"x": real("The abscissa"), "cdf": real("CDF (atom included)"), "density": real("Density of the continuous part")},
)
EVALUATIONS = {
    "cdf": arr("CDF values (atom included) at each --cdf X, in the order asked", EVALUATION),
    "density": arr("Density of the continuous part at each --density X, in the order asked", EVALUATION),
    "quantile": arr("Quantiles at each --quantile P, in the order asked", QUANTILE),
    "grid": arr("CDF and density at the points of --grid LO:HI:COUNT (empty without it)", GRID_POINT),
}

INTERVAL_METHODS = [
    "tracy-widom-upper-edge",
    "tracy-widom-lower-edge",
    "edelman-hard-edge",
    "independent-edges",
    "exact",
    "monte-carlo",
    "exact-chi-square",
]


def interval(what):
    return obj(
        f"Central prediction interval for {what} of one matrix: the (1 − level)/2 and (1 + level)/2 "
        "quantiles of its finite-size law",
        {
            "lower": real("Lower end"),
            "upper": real("Upper end"),
            "level": number("Coverage probability (the --coverage asked)"),
            "method": enum(
                "How the interval was obtained: Tracy–Widom TW₁ at the upper edge (Johnstone's centring, Ma's "
                "scaling), reflected TW₁ at the soft lower edge, Edelman's hard-edge law (m = n), both edges taken "
                "independent (κ), exact (orthogonal), a Monte Carlo critical value, or exact χ² (min(m, n) = 1)",
                INTERVAL_METHODS,
            ),
        },
    )


PREDICTION = obj(
    "What theory predicts for one strategy at this shape",
    {
        "strategy": STRATEGY,
        "variance": number("Entry variance s2"),
        "source": enum(
            "marchenko-pastur-bai-yin: the m, n → ∞ limits (Marchenko–Pastur bulk, Bai–Yin edges); "
            "exact-orthogonal: exact at every size (all singular values equal √(max(m, n)·s2))",
            ["marchenko-pastur-bai-yin", "exact-orthogonal"],
        ),
        "mp_support": obj(
            "Support of the nonzero spectrum of S: s2(1 ± √γ)² (orthogonal: a point)",
            {"lower": real("λmin⁺(S), the lower edge"), "upper": real("λmax(S), the upper edge")},
        ),
        "atom_at_zero": number("Mass of S's eigenvalues at exactly zero: max(0, 1 − 1/γ)"),
        "spectral_norm": real("‖W‖ = σmax(W): √s2 (√n + √m) in the limit"),
        "smallest_singular_value": real("σmin(W) over the min(m, n) singular values: √s2 |√n − √m| in the limit"),
        "condition_number": real("κ(W) = σmax/σmin: (√n + √m)/|√n − √m| in the limit (\"Infinity\" for m = n)"),
        "gram_condition_number": real("κ(S) = κ(W)²"),
        "entry_law": {
            **ENTRY_LAW,
            "description": "iid strategies: the entry law (normal for the source analysis's strategies; uniform or "
            "truncated-normal for some framework initialisers). The bulk and the Bai–Yin edges depend on it only "
            "through the variance; the intervals' coverage for the non-Gaussian laws is measured in docs/weights.md. "
            "Absent for orthogonal strategies",
        },
        "intervals": obj(
            "Finite-size central prediction intervals at this shape (docs/edge-fluctuations.md measures their "
            "coverage)",
            {
                "spectral_norm": interval("‖W‖"),
                "lambda_max": interval("λmax(S)"),
                "lambda_min": interval("λmin⁺(S), the smallest nonzero eigenvalue (σmin²/n)"),
                "smallest_singular_value": interval("σmin(W)"),
                "condition_number": interval("κ(W)"),
            },
        ),
        "medians": obj(
            "iid strategies (Gaussian, or a framework initialiser's uniform or truncated-normal entries): the median "
            "of each quantity for one matrix of this size, from the same "
            "finite-size laws as the intervals. A table marks a limit as not meant for the size when it differs "
            "from this median by more than 10% or lies outside its interval",
            {
                "spectral_norm": real("Median of ‖W‖"),
                "lambda_max": real("Median of λmax(S)"),
                "lambda_min": real("Median of λmin⁺(S)"),
                "smallest_singular_value": real("Median of σmin(W)"),
                "condition_number": real("Median of κ(W)"),
            },
        ),
    },
    optional=("intervals", "medians", "entry_law"),
)
SHAPE = {
    "m": count("Rows of W (fan-in)"),
    "n": count("Columns of W (fan-out)"),
    "gamma": number("Aspect ratio γ = m/n"),
}


def summary(what, heavy_tailed=False):
    properties = {
        "mean": real("Mean over trials"),
        "stderr": real_or_null("Standard error of the mean (null for one trial)"),
        "median": real("Median over trials"),
        "lower_quartile": real(
            "Lower quartile Q(¼) over trials: Hyndman–Fan type 7 (linear interpolation between order statistics, "
            "h = (N − 1)p; R's and numpy's default)"
        ),
        "upper_quartile": real("Upper quartile Q(¾) over trials (type 7, as lower_quartile)"),
        "min": real("Smallest value seen"),
        "max": real("Largest value seen"),
    }
    if not heavy_tailed:
        return obj(f"{what} over the trials", properties)
    properties["mean"] = real_or_null(
        "Mean over trials; null for a Gaussian W with m = n, where E κ(W) is infinite (Edelman 1988, SIAM J. "
        "Matrix Anal. Appl. 9(4)): the sample mean does not converge, use the median, quartiles and min/max"
    )
    properties["stderr"] = real_or_null(
        "Standard error of the mean; null for one trial and for a Gaussian W with |m − n| ≤ 1, where Var κ(W) is "
        "infinite (the density of σmin near 0 is of order σmin^|m−n|)"
    )
    properties["omitted"] = string("Present only when mean or stderr is omitted: the reason")
    return obj(f"{what} over the trials", properties, optional=("omitted",))


HISTOGRAM = obj(
    "Histogram of the pooled nonzero eigenvalues of S (the structural zeros are counted in excluded_atom "
    "or zero_eigenvalues, not in a bin)",
    {
        "lower": number("Left edge of the first bin"),
        "upper": number("Right edge of the last bin"),
        "counts": arr("Eigenvalues per bin (--bins equal bins)", count("Count")),
        "below": count("Eigenvalues below lower (counted, not drawn)"),
        "above": count("Eigenvalues above upper (counted, not drawn)"),
        "excluded_atom": count("Exact zeros kept out of the bins"),
    },
)
FIGURES = arr("Paths of the figures written (empty without --plots)", string("A figure's path"))
SPECTRUM_STRATEGY = obj(
    "One strategy's result",
    {
        "strategy": STRATEGY,
        "variance": number("Entry variance s2"),
        "predicted": PREDICTION,
        "empirical": obj(
            "Observed per-matrix quantities, summarised over trials",
            {
                "lambda_min": summary("λmin⁺(S), the smallest nonzero eigenvalue"),
                "lambda_max": summary("λmax(S)"),
                "spectral_norm": summary("‖W‖"),
                "smallest_singular_value": summary("σmin(W)"),
                "condition_number": summary("κ(W)", heavy_tailed=True),
            },
        ),
        "ks_distance": {
            "type": ["number", "null"],
            "description": "KS distance sup|F_N − F_MP| of the pooled eigenvalues of S (zeros included) on the "
            "quantile grid: a lower bound, the exact distance being at most ks_distance_resolution more. A "
            "distance, not a test (eigenvalues of one matrix are dependent). null for orthogonal and "
            "histogram-only runs",
        },
        "ks_distance_resolution": {
            "type": ["number", "null"],
            "description": "Width of the KS bracket (null with ks_distance)",
        },
        "edge_fit": {
            "description": "The largest eigenvalue of each matrix, scaled by Johnstone's centring and Ma's "
            "scaling, against Tracy–Widom TW₁ (null for orthogonal or with --no-fits)",
            "oneOf": [
                {"type": "null"},
                obj(
                    "The KS test of the scaled λmax against TW₁",
                    {
                        "statistic": number("KS distance"),
                        "p_value": {
                            "type": ["number", "null"],
                            "description": "Asymptotic KS p-value (valid: one λmax per independent matrix); "
                            "null for fewer than 3 matrices",
                        },
                        "trials": count("Matrices (one λmax each)"),
                        "centring": number("Centring of λmax(S): s2·μ/n"),
                        "scaling": number("Scale of λmax(S): s2·σ/n"),
                        "figure": string("Path of its figure (with --plots)"),
                    },
                    optional=("figure",),
                ),
            ],
        },
        "bulk_fit": {
            "description": "The pooled KS distance against a critical value simulated under the null (null for "
            "orthogonal, histogram-only runs, --bulk-replicates 0 or --no-fits)",
            "oneOf": [
                {"type": "null"},
                obj(
                    "The calibrated bulk test against Marchenko–Pastur",
                    {
                        "statistic": number("KS distance of the pooled eigenvalues to MP"),
                        "critical_value": number("The simulated critical value: reject when statistic exceeds it"),
                        "level": number("The level attained, 1 − k/(R + 1)"),
                        "method": obj(
                            "How the critical value was obtained",
                            {
                                "name": {"const": "monte-carlo", "description": "A Monte Carlo test"},
                                "order": count("k: the critical value is the k-th largest replicate"),
                                "replicates": count("R, the replicate runs"),
                                "trials": count("Matrices per replicate"),
                                "m": count("Rows"),
                                "n": count("Columns"),
                                "seed": count("The run's seed (calibration streams use it xor a salt)"),
                                "description": string("The same in words"),
                            },
                        ),
                        "passed": {"type": "boolean", "description": "statistic ≤ critical_value"},
                    },
                ),
            ],
        },
        "ks_distance_at_bin_edges": number(
            "Histogram-only runs: sup over the bin edges of |F_N − F_MP|, a lower bound on the KS distance"
        ),
        "histogram": HISTOGRAM,
        "zero_eigenvalues": count("Structural zero eigenvalues pooled over trials: trials·(m − n) when m > n"),
        "svd_fallback_trials": count(
            "Dense runs: trials whose singular values came from dgesdd (all with --exact-singular-values; else "
            "those whose Gram estimate of κ exceeded 1e5)"
        ),
        "figures": FIGURES,
    },
    optional=("ks_distance_at_bin_edges", "svd_fallback_trials"),
)
METHOD = obj(
    "How the spectra were computed",
    {
        "name": enum(
            "dense: sample W, Gram by dsyrk, eigenvalues by dsyev; tridiagonal: the Dumitriu–Edelman model; "
            "tridiagonal-histogram: the model with Sturm counts, no eigenvalues stored",
            ["dense", "tridiagonal", "tridiagonal-histogram"],
        ),
        "singular_values": enum(
            "gram: σ = √(n·λ); svd: LAPACK's dgesdd; auto: √(n·λ), dgesdd when the Gram estimate of κ exceeds 1e5",
            ["gram", "svd", "auto"],
        ),
        "description": string("The route in words"),
    },
)
SPECTRUM = document(
    "rmspec-spectrum",
    "rmspec spectrum --json, rmspec merge --json",
    "Sampled spectra of S = W Wᵀ/n per strategy beside the theory",
    {
        **SHAPE,
        "trials": count("Matrices per strategy"),
        "seed": count("Seed of the trial streams"),
        "normalization": NORMALIZATION_PROPERTY,
        "method": METHOD,
        "strategies": arr("One result per strategy, in the order asked", SPECTRUM_STRATEGY),
        "figures": arr(
            "Paths of the figures spanning all strategies (the overlay, drawn when several ran)", string("A path")
        ),
    },
)

TRIAL_RECORD = obj(
    "One trial's scalars",
    {
        "trial": count("Trial index t (its random stream)"),
        "lambda_min": real("λmin⁺(S)"),
        "lambda_max": real("λmax(S)"),
        "spectral_norm": real("‖W‖"),
        "smallest_singular_value": real("σmin(W)"),
        "condition_number": real("κ(W)"),
        "exact_singular_values": {"type": "boolean", "description": "Whether σ came from dgesdd"},
    },
)
PARTIAL = document(
    "rmspec-partial-spectrum",
    "rmspec spectrum --shard K/N",
    "A shard's trial records and pooled counts, for rmspec merge",
    {
        "run": obj(
            "The run's identity: partials merge only when these agree",
            {
                "version": string("rmspec's version"),
                "m": count("Rows"),
                "n": count("Columns"),
                "strategies": arr("Strategies, in output order", STRATEGY),
                "trials": count("Trials of the whole run"),
                "seed": count("Seed"),
                "bins": count("Histogram bins"),
                "method": enum("The method", ["dense", "tridiagonal", "tridiagonal-histogram"]),
                "singular_values": enum("How singular values are computed", ["gram", "svd", "auto"]),
                "fit": obj(
                    "Goodness-of-fit options",
                    {
                        "level": number("Level of the bulk test"),
                        "bulk_replicates": count("Replicates of the bulk calibration"),
                        "edge": {"type": "boolean", "description": "Whether λmax is tested against TW₁"},
                    },
                ),
            },
        ),
        "shard": obj(
            "Which shard: trials t with t mod count = index − 1",
            {"index": count("K, from 1"), "count": count("N")},
        ),
        "records": arr("Per strategy, this shard's trial records in trial order", arr("Records", TRIAL_RECORD)),
        "pooled": arr(
            "Per strategy, this shard's pooled eigenvalue counts",
            obj(
                "Pooled counts",
                {
                    "histogram": HISTOGRAM,
                    "ks_grid": {
                        "description": "Counts on the MP quantile grid (null for orthogonal and histogram-only "
                        "runs)",
                        "oneOf": [
                            {"type": "null"},
                            obj(
                                "Sparse quantile-grid counts",
                                {
                                    "negative": count("Values below 0"),
                                    "zero": count("Values at exactly 0"),
                                    "gap": count("Values in (0, lower edge)"),
                                    "cells": obj(
                                        "Cell counts, sparse",
                                        {
                                            "len": count("Cells"),
                                            "nonzero": arr(
                                                "(cell, count) pairs", arr("A pair", count("Index or count"))
                                            ),
                                        },
                                    ),
                                    "above": count("Values above the upper edge"),
                                },
                            ),
                        ],
                    },
                },
            ),
        ),
        "calibration": arr(
            "This shard's share of the bulk tests' simulated nulls: of each entry law's null, the replicates r "
            "with r mod N = K − 1 (empty without a bulk test), so that rmspec merge simulates nothing",
            obj(
                "One replicate",
                {
                    "entry_law": enum(
                        "The entry law of the null it belongs to (one null per entry law among the run's iid "
                        "strategies)",
                        ["normal", "uniform", "truncated-normal"],
                    ),
                    "replicate": count("Replicate index r"),
                    "statistic": number("Its pooled KS distance"),
                },
            ),
        ),
    },
    version=2,
)

LAW_MP = document(
    "rmspec-law-marchenko-pastur",
    "rmspec law mp --json",
    "The Marchenko–Pastur law MP(γ, s2) of the eigenvalues of S = W Wᵀ/n, evaluated",
    {
        "law": {"const": "marchenko-pastur", "description": "The law"},
        "gamma": number("Aspect ratio γ = m/n"),
        "variance": number("Entry variance s2"),
        "normalization": NORMALIZATION_PROPERTY,
        "support": SUPPORT,
        "atom_at_zero": number("Point mass at zero, max(0, 1 − 1/γ)"),
        "moments": obj(
            "Moments",
            {
                "mean": number("E λ = s2"),
                "variance": number("Var λ = γ·s2²"),
                "raw": arr("E λᵏ for k = 1, …, 4", number("A raw moment")),
            },
        ),
        **EVALUATIONS,
    },
)
LAW_TW = document(
    "rmspec-law-tracy-widom",
    "rmspec law tw --json",
    "A Tracy–Widom law TW_β in Tracy and Widom's normalisation, evaluated",
    {
        "law": {"const": "tracy-widom", "description": "The law"},
        "beta": enum("Dyson index: 1 real (GOE, real Wishart), 2 complex (GUE)", [1, 2]),
        "description": string("The β convention in words"),
        "support": SUPPORT,
        "moments": obj("Moments", {"mean": number("E TW_β"), "variance": number("Var TW_β")}),
        **EVALUATIONS,
    },
)
EDGES = document(
    "rmspec-edges",
    "rmspec edges --json",
    "Predicted spectrum edges, norms and condition numbers per strategy, with finite-size intervals",
    {
        **SHAPE,
        "coverage": number("Coverage of the prediction intervals (--coverage)"),
        "normalization": NORMALIZATION_PROPERTY,
        "strategies": arr("One prediction per strategy, in the order asked", PREDICTION),
    },
)


def moment(what):
    return obj(
        what,
        {
            "theory": number("Closed form (exact) or mean-field value: see the document's forward/backward theory"),
            "mean": number("Monte Carlo mean over trials of the per-trial average"),
            "stderr": real_or_null("Its standard error (null for one trial)"),
        },
    )


def direction(description):
    return obj(
        description,
        {
            "theory": enum(
                "exact: exact at every width; mean-field: the infinite-width approximation",
                ["exact", "mean-field"],
            ),
            "description": string("What is measured, in words"),
        },
    )


PROPAGATE = document(
    "rmspec-propagate",
    "rmspec propagate --json",
    "Forward and backward second moments through a chain of layers, theory beside Monte Carlo",
    {
        "widths": arr("Widths w0, …, wL: layer l is w(l−1)×w(l)", count("A width")),
        "activation": enum("φ after every layer but the last", ["linear", "relu", "tanh", "gelu", "swish", "hard-tanh"]),
        "trials": count("Independent networks per strategy"),
        "batch": count("Inputs per trial"),
        "seed": count("Seed"),
        "normalization": NORMALIZATION_PROPERTY,
        "forward": direction("forward: E[h²] of each layer's pre-activation output, for inputs x ~ N(0, I)"),
        "backward": direction("backward: E[(∂loss/∂x)²] at each layer's input, for output gradients ~ N(0, I)"),
        "theory_description": string("The theory in words"),
        "strategies": arr(
            "One chain per strategy, in the order asked",
            obj(
                "A strategy's chain",
                {
                    "strategy": STRATEGY,
                    "layers": arr(
                        "Layers in order",
                        obj(
                            "One layer",
                            {
                                "fan_in": count("m = w(l−1), rows of W"),
                                "fan_out": count("n = w(l), columns of W"),
                                "variance": number("Entry variance s2"),
                                "forward_gain": number("m·s2: the factor by which this layer alone scales E[h²]"),
                                "backward_gain": number("n·s2: the factor by which it scales E[(∂loss/∂x)²]"),
                                "forward": moment("Forward second moment"),
                                "backward": moment("Backward second moment"),
                            },
                        ),
                    ),
                },
            ),
        ),
    },
)
JACOBIAN_NORMALIZATION = (
    "eigenvalues of J Jᵀ (w_L × w_L; the squared singular values of J plus w_L − rank(J) zeros, the atom at 0), "
    "J = D_L W_Lᵀ ⋯ D_1 W_1ᵀ = ∂x_L/∂x_0; W_l is w(l−1)×w(l) (m = fan-in rows, n = fan-out columns, "
    "h_l = W_lᵀ x_(l−1) + b_l), entry variance s2_l of the strategy at (w(l−1), w(l)); D_l = diag φ'(h_l), φ after "
    "every layer including the last; no further normalisation"
)


def mean_stderr(what):
    return obj(
        what,
        {
            "mean": number("Mean over trials"),
            "stderr": real_or_null("Its standard error (null for one trial)"),
        },
    )


JACOBIAN_LAW = obj(
    "The free-probability law of the eigenvalues of J Jᵀ (see normalization)",
    {
        "layers": arr(
            "Mean-field quantities per layer, in order",
            obj(
                "One layer",
                {
                    "fan_in": count("m = w(l−1), rows of W_l"),
                    "fan_out": count("n = w(l), columns of W_l"),
                    "variance": number("Entry variance s2_l"),
                    "sigma_w2": number("σ_w² = m·s2_l, the mean-field weight variance"),
                    "q": number("The pre-activation variance q_l the layer's D² law uses (trajectory or fixed point)"),
                    "derivative_gain": number("E φ'(h)², h ~ N(0, q_l)"),
                    "chi": number("χ_l = σ_w²·E φ'(h)²"),
                },
            ),
        ),
        "mean": real("The mean eigenvalue Π χ_l"),
        "log_mean": number("Its natural logarithm"),
        "moments": arr("Raw moments E λ^k, k = 1…4, exact from the series of the S-transform", real("A moment")),
        "chi_star": number("χ at the fixed point of the last layer's mean-field map"),
        "phase": enum("ordered (χ* < 1), critical (χ* = 1 to 1e-9) or chaotic (χ* > 1)", ["ordered", "critical", "chaotic"]),
        "atom_at_zero": number("Mass at 0 (rank deficiency of J, and structural zeros when w_L > w_0)"),
        "top_atom": {
            "description": "The atom away from 0 (chains of projections and point masses only), or null",
            "oneOf": [
                {"type": "null"},
                obj("An atom", {"position": real("Where"), "mass": number("Its mass")}),
            ],
        },
        "support": SUPPORT,
        "largest_squared_singular_value": real("The largest squared singular value of J in the limit (upper edge or top atom)"),
        "upper_edge_set_by_truncation": {
            "type": "boolean",
            "description": "Whether the upper edge (and so the largest squared singular value and the condition number) is set by the truncation of a D² law's rule at z = ±9 rather than by the law itself: the law's top is then an exponentially thin tail whose end moves with the truncation, while the quantiles, CDF and density do not (docs/jacobian.md, Accuracy)",
        },
        "condition_number": real("κ(J) over the nonzero spectrum in the limit (Infinity when the support reaches 0)"),
        "quantile_spread": real("√(Q(0.99)/Q(0.01)) over the nonzero part of the law"),
        "quantiles": arr("Quantiles of the whole law (atom included) at p = 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99", QUANTILE),
        "grid": arr(
            "Density and CDF at --points cell midpoints of the continuous part's support (empty for atoms only)",
            obj(
                "One grid point",
                {
                    "x": real("The abscissa"),
                    "density": real("Density of the continuous part"),
                    "cdf": real("CDF (atoms included)"),
                },
            ),
        ),
    },
)
JACOBIAN_SIMULATION = obj(
    "Sampled networks (--simulate TRIALS): eigenvalues of J Jᵀ pooled over trials",
    {
        "trials": count("Independent networks"),
        "seed": count("Seed of the trial streams"),
        "eigenvalues_per_trial": count("w_L"),
        "ks_distance": number(
            "KS distance between the pooled eigenvalues and the law over x ≥ resolution_floor, everything at or "
            "below the floor counting there (a finite-size distance, not a test: the eigenvalues of one matrix "
            "are dependent)"
        ),
        "resolution_floor": number(
            "Largest per-trial floor (max(w_L, w_0)·ε·σ_max)² in eigenvalue units: eigenvalues at or below it "
            "cannot be resolved in double precision and are reported as 0"
        ),
        "mean": mean_stderr("Per-trial tr(J Jᵀ)/w_L"),
        "largest": mean_stderr("Per-trial largest eigenvalue of J Jᵀ"),
        "zero_fraction": number("Fraction of pooled eigenvalues at 0 (structural, or at LAPACK's rank tolerance)"),
    },
)
JACOBIAN = document(
    "rmspec-jacobian",
    "rmspec jacobian --json",
    "The free-probability law of the squared singular values of a deep network's input–output Jacobian, per "
    "strategy, optionally beside sampled networks",
    {
        "widths": arr("Widths w0, …, wL: layer l is w(l−1)×w(l)", count("A width")),
        "activation": enum("φ after every layer, the last included", ["linear", "relu", "tanh", "gelu", "swish", "hard-tanh"]),
        "bias_variance": number("σ_b²"),
        "mean_field": enum(
            "trajectory: q_l from the recursion from E x0² = 1; fixed-point: every layer at its map's fixed point",
            ["trajectory", "fixed-point"],
        ),
        "normalization": {"const": JACOBIAN_NORMALIZATION, "description": "What the law's eigenvalues are"},
        "strategies": arr(
            "One law per strategy, in the order asked",
            obj(
                "A strategy's law",
                {
                    "strategy": STRATEGY,
                    "law": JACOBIAN_LAW,
                    "simulation": {
                        "description": "The Monte Carlo of sampled networks, or null without --simulate",
                        "oneOf": [{"type": "null"}, JACOBIAN_SIMULATION],
                    },
                },
            ),
        ),
        "figures": FIGURES,
    },
)
REPORT = document(
    "rmspec-report",
    "rmspec report --json",
    "The report's claims and verdicts, and the files written or checked",
    {
        "size": enum("full: the published sizes; quick: rmspec's own tests", ["full", "quick"]),
        "seed": count("The seed of every experiment"),
        "normalization": NORMALIZATION_PROPERTY,
        "sections": arr(
            "Every section, in order",
            obj(
                "One section and its claims",
                {
                    "number": count("Section number, from 1"),
                    "id": string("Anchor in report.md"),
                    "title": string("Heading"),
                    "claims": arr(
                        "The claims the section checks, each with its own verdict",
                        obj(
                            "One row of the summary table",
                            {
                                "number": string("Its number in the summary: 3 for a section's only claim, 3a, 3b, ... for several"),
                                "claim": string("The claim in one line"),
                                "verdict": enum(
                                    "The verdict by the report's one rule", ["holds", "does-not-hold", "open-question"]
                                ),
                                "truth": string("What is true, in one line"),
                            },
                        ),
                    ),
                    "figures": arr("The section's figures (file names)", string("A file name")),
                },
            ),
        ),
        "files": arr(
            "report.md, then the figures",
            obj(
                "One file",
                {
                    "path": string("Its path"),
                    "state": enum(
                        "written; or with --check: up-to-date, stale (differs), missing",
                        ["written", "up-to-date", "stale", "missing"],
                    ),
                },
            ),
        ),
    },
)
WEIGHTS_OUTLIER = obj(
    "An eigenvalue above the Tracy–Widom edge",
    {
        "lambda": number("The eigenvalue of S"),
        "singular_value": number("The singular value σ = √(n·λ)"),
        "tw_statistic": number("s = (n·λ/ŝ2 − μ₊)/σ₊ (Johnstone's centring, Ma's scaling)"),
        "p_value": number("1 − F₁(s), TW₁"),
        "signal": real_or_null(
            "BBP inversion: the signal singular value θ̂·√(N·ŝ2) that would put the outlier here (null when below the "
            "threshold)"
        ),
    },
)
WEIGHTS_INIT = obj(
    "The comparison with the --init initialiser: for iid laws ratio and z; for torch-orthogonal the exact check "
    "(singular_value, max_deviation, tolerance)",
    {
        "init": string("The initialiser's canonical name"),
        "variance": number("Its s2 at this layer's fans"),
        "ratio": number("ŝ2/s2"),
        "z": real_or_null("(ŝ2 − s2)/SE"),
        "singular_value": number("torch-orthogonal:G: G, the value every singular value should have"),
        "max_deviation": number("torch-orthogonal: max_i |σ_i − G|"),
        "tolerance": number("torch-orthogonal: the allowed deviation 4·u·√(mn)·σ_max (u: the storage format's unit roundoff)"),
        "consistent": {"type": "boolean", "description": "|z| ≤ z₁₋α_k/2, or max_deviation ≤ tolerance"},
    },
    optional=("ratio", "z", "singular_value", "max_deviation", "tolerance"),
)
WEIGHTS_LAYER = obj(
    "One analysed layer (docs/weights.md defines every quantity)",
    {
        "name": string("The tensor's name"),
        "shape": arr("The stored shape", count("A dimension")),
        "dtype": string("The stored dtype: F64, F32, F16 or BF16"),
        "kind": {
            "description": "dense, embedding, or a convolution {conv: {receptive_field}}",
            "oneOf": [
                enum("A dense layer or an embedding table", ["dense", "embedding"]),
                obj(
                    "A convolution",
                    {
                        "conv": obj(
                            "Its kernel",
                            {"receptive_field": count("r = k₁·k₂·…: m = in·r, fan_out = out·r")},
                        )
                    },
                ),
            ],
        },
        "fan_in": count("The framework's fan-in (= m)"),
        "fan_out": count("The framework's fan-out (n·r for a convolution)"),
        "svd": enum(
            "direct: dgesdd on the decoded tensor; streamed-qr: dtpqrt TSQR to a p×p R, then dgesdd on R",
            ["direct", "streamed-qr"],
        ),
        **SHAPE,
        "spectral_norm": number("σ_max"),
        "smallest_singular_value": number("σ_min over the min(m, n) singular values"),
        "condition_number": real("κ = σ_max/σ_min"),
        "stable_rank": number("‖W‖²_F/‖W‖²"),
        "rank": count("#{σ > u·‖W‖_F}, u the storage format's unit roundoff"),
        "fit": obj(
            "The bulk fitted to Marchenko–Pastur and its calibrated KS test",
            {
                "variance": number("ŝ2: median matching, bias-corrected by the null simulation"),
                "variance_stderr": number("Standard error of ŝ2 (from the null simulation)"),
                "ks_distance": number("sup |F_emp − F_MP(γ, ŝ2)| over the m eigenvalues of S"),
                "critical_value": number("The k-th largest of the simulated null distances"),
                "size": number("The KS test's size k/(R + 1)"),
                "p_value": number("Monte Carlo p-value (1 + #{null ≥ D})/(R + 1)"),
                "passed": {"type": "boolean", "description": "ks_distance ≤ critical_value"},
                "replicates": count("R, the simulated null matrices"),
                "null_law": string("The entry law the null matrices were drawn with"),
            },
        ),
        "tw_edge": number("λ_TW = ŝ2(μ₊ + σ₊·q)/n, q the TW₁ quantile at edge_level"),
        "edge_level": number("The level of the edge test"),
        "outlier_count": count("Eigenvalues above the edge by the step-down rule"),
        "outliers": arr("The first 20 outliers, largest first", WEIGHTS_OUTLIER),
        "first_inlier_p_value": real_or_null("The p-value of the first eigenvalue not called an outlier"),
        "bbp_threshold": number("c^{1/4}·√(N·ŝ2), c = p/N: the smallest detectable signal singular value"),
        "power_law": {
            "description": "Clauset–Shalizi–Newman power-law fit of the tail of the eigenvalues of S (null when "
            "fewer than 10 values could be fitted)",
            "oneOf": [
                {"type": "null"},
                obj(
                    "The fit",
                    {
                        "alpha": number("α̂ = 1 + n_tail/Σ ln(λ_i/x_min)"),
                        "alpha_stderr": number("(α̂ − 1)/√n_tail"),
                        "x_min": number("Start of the tail (minimises the tail's KS distance)"),
                        "x_max": number("Largest eigenvalue"),
                        "n_tail": count("Eigenvalues in the tail"),
                        "ks_distance": number("KS distance of the tail to the fitted power law"),
                    },
                ),
            ],
        },
        "init": {"description": "With --init: the comparison; else null", "oneOf": [{"type": "null"}, WEIGHTS_INIT]},
        "verdict": enum(
            "The first rule that applies (docs/weights.md)",
            ["rank-deficient", "heavy-tailed", "spikes", "bulk-deviates", "wrong-variance", "not-orthogonal", "random-like"],
        ),
    },
)
WEIGHTS = document(
    "rmspec-weights",
    "rmspec weights --json",
    "A checkpoint's layers against the random matrix of their initialiser",
    {
        "normalization": NORMALIZATION_PROPERTY,
        "files": arr("The files read, as given", string("A path")),
        "layout": enum("The storage convention used", ["torch", "keras", "flax"]),
        "layout_reason": string("Why: given, or what auto saw in the names"),
        "init": {**string("The --init initialiser's canonical name, or null"), "type": ["string", "null"]},
        "false_alarm": number("The per-layer false-alarm rate α (--false-alarm)"),
        "tests_per_layer": count("k: the tests α is split over (Bonferroni), each at α/k"),
        "replicates": count("Null matrices simulated per distinct layer shape (--replicates)"),
        "seed": count("Seed of the null simulations"),
        "layers": arr("The analysed layers, in file order", WEIGHTS_LAYER),
        "skipped": arr(
            "Tensors not analysed, with the reason",
            obj(
                "A skipped tensor",
                {
                    "name": string("The tensor's name"),
                    "shape": arr("The stored shape", count("A dimension")),
                    "dtype": string("The stored dtype"),
                    "reason": string("Why it was skipped"),
                    "non_finite": obj(
                        "Refused for NaN or infinite values: their counts (the run exits with status 1)",
                        {"nan": count("NaN values"), "infinite": count("±∞ values")},
                    ),
                },
                optional=("non_finite",),
            ),
        ),
        "verdicts": {
            "type": "object",
            "description": "Layers per verdict (only verdicts that occur)",
            "propertyNames": {"enum": ["rank-deficient", "heavy-tailed", "spikes", "bulk-deviates", "wrong-variance", "not-orthogonal", "random-like"]},
            "additionalProperties": count("Layers with this verdict"),
        },
    },
)
KERNEL_FLOOR = document(
    "rmspec-kernel-floor",
    "rmspec bench-kernels (hidden, for bench/compare)",
    "The LAPACK floor of a rmspec spectrum workload",
    {
        "floor_seconds": number("Seconds spent in the LAPACK kernels alone"),
        "layout": enum("The threads layout the workload resolved to", ["auto", "trials", "blas"]),
    },
)


def main():
    """Writes every schema; with --check, writes nothing and exits 1 listing the committed files
    that differ from what this script generates (CI runs it)."""
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit("usage: scripts/generate-schemas.py [--check]")
    stale = []
    OUT.mkdir(parents=True, exist_ok=True)
    for schema in [LAW_MP, LAW_TW, EDGES, SPECTRUM, PARTIAL, PROPAGATE, JACOBIAN, REPORT, WEIGHTS, KERNEL_FLOOR]:
        path = OUT / schema["$id"]
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        name = path.relative_to(OUT.parent.parent)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(name))
            continue
        path.write_text(text)
        print(name)
    if stale:
        sys.exit("stale (run python3 scripts/generate-schemas.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
