"""NVivo's character tables (:func:`~thematica.analysis.coefficients.character_agreement`) and
their summaries (:func:`~thematica.analysis.coefficients.aggregate`) for many code x transcript
pairs at once, from integer arrays, giving exactly the same figures.

Kappa is the ratio of two whole numbers, ``agreement * total - expected * total`` over ``total²
- expected * total`` (see ``_character_kappa``). Python divides two ints with one correct
rounding; so does IEEE-754 division of two floats that hold those ints exactly, which they do
while ``total²`` stays below 2**53 (a transcript under 94 million characters). Beyond that the
exact function is used, row by row. ``tests/analysis/test_character_arrays.py`` checks both
routes against the exact functions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from thematica.analysis.coefficients import (
    NO_UNITS,
    AggregateAgreement,
    CharacterAgreement,
    Convention,
    character_agreement,
)

Ints = npt.NDArray[np.int64]
EXACT = 2**53


def tables(
    total: Ints, both: Ints, a_only: Ints, b_only: Ints, convention: Convention = "applied"
) -> list[CharacterAgreement]:
    """``character_agreement(total[i], both[i], a_only[i], b_only[i], convention)`` for each i."""
    n = int(total.size)
    if n == 0:
        return []
    if int(total.max()) ** 2 >= EXACT or int(np.min(total - both - a_only - b_only)) < 0:
        return [  # the exact route (and its errors, for a table that does not add up)
            character_agreement(t, x, y, z, convention)
            for t, x, y, z in zip(
                total.tolist(), both.tolist(), a_only.tolist(), b_only.tolist(), strict=True
            )
        ]
    neither = total - both - a_only - b_only
    coded_a, coded_b = both + a_only, both + b_only
    expected = coded_a * coded_b + (total - coded_a) * (total - coded_b)
    numerator = (both + neither) * total - expected
    denominator = total * total - expected
    defined = denominator != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = numerator.astype(np.float64) / denominator.astype(np.float64)
        percent = (100 * (both + neither)).astype(np.float64) / total.astype(np.float64)
    out: list[CharacterAgreement] = []
    for t, x, y, z, w, k, p, d, ca in zip(
        total.tolist(),
        both.tolist(),
        a_only.tolist(),
        b_only.tolist(),
        neither.tolist(),
        kappa.tolist(),
        percent.tolist(),
        defined.tolist(),
        coded_a.tolist(),
        strict=True,
    ):
        if t == 0:
            k, p, reason = None, None, NO_UNITS
        elif d:
            reason = None
        elif convention == "nvivo":
            k, reason = 1.0, None
        else:
            why = (
                f"neither coder coded any of the {t} units"
                if ca == 0
                else f"both coders coded all {t} units"
            )
            k, reason = None, f"{why}, so kappa is 0/0 (percentage agreement is 100 %)"
        out.append(CharacterAgreement(t, x, y, z, w, p, k, reason))
    return out


def _means(values: npt.NDArray[np.float64], sizes: Ints) -> tuple[float | None, float | None]:
    """The mean and the size-weighted mean of the defined (not NaN) ``values``, as
    ``coefficients._mean`` and ``_weighted_mean`` compute them: ``math.fsum`` (exactly rounded)
    of the values, and of each value times its size (one rounding, as Python's float * int)."""
    defined = ~np.isnan(values)
    found, weights = values[defined], sizes[defined]
    if not found.size:
        return None, None
    mean = math.fsum(found.tolist()) / found.size
    weight = int(weights.sum())
    if weight == 0:
        return mean, None
    return mean, math.fsum((found * weights.astype(np.float64)).tolist()) / weight


def aggregate(
    results: Sequence[CharacterAgreement], convention: Convention = "applied"
) -> AggregateAgreement:
    """:func:`thematica.analysis.coefficients.aggregate` (same sums, in the same order)."""
    return aggregates(results, [0, len(results)], convention)[0]


def aggregates(
    results: Sequence[CharacterAgreement],
    bounds: Sequence[int],
    convention: Convention = "applied",
) -> list[AggregateAgreement]:
    """:func:`aggregate` of ``results[bounds[i]:bounds[i + 1]]`` for each i (one code's
    transcripts each), reading every result once."""
    nan = math.nan
    kappa = np.array([nan if r.kappa is None else r.kappa for r in results], dtype=np.float64)
    percent = np.array(
        [nan if r.percent_agreement is None else r.percent_agreement for r in results],
        dtype=np.float64,
    )
    total = np.array([r.total for r in results], dtype=np.int64)
    both = np.array([r.both for r in results], dtype=np.int64)
    a_only = np.array([r.a_only for r in results], dtype=np.int64)
    b_only = np.array([r.b_only for r in results], dtype=np.int64)
    out = []
    for lo, hi in itertools.pairwise(bounds):
        mean_kappa, weighted_kappa = _means(kappa[lo:hi], total[lo:hi])
        mean_percent, weighted_percent = _means(percent[lo:hi], total[lo:hi])
        pooled = character_agreement(
            int(total[lo:hi].sum()),
            int(both[lo:hi].sum()),
            int(a_only[lo:hi].sum()),
            int(b_only[lo:hi].sum()),
            convention,
        )
        out.append(
            AggregateAgreement(
                sources=hi - lo,
                sources_with_kappa=int(np.count_nonzero(~np.isnan(kappa[lo:hi]))),
                unweighted_mean_kappa=mean_kappa,
                size_weighted_mean_kappa=weighted_kappa,
                pooled_kappa=pooled.kappa,
                unweighted_mean_percent=mean_percent,
                size_weighted_mean_percent=weighted_percent,
                pooled_percent=pooled.percent_agreement,
            )
        )
    return out
