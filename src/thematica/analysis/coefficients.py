"""Inter-coder agreement coefficients (docs/methods.md#inter-coder-agreement).

Three families, each computed exactly with :class:`fractions.Fraction` from integer counts and
converted to ``float`` only in the result, so that "is the denominator zero?" is an exact question:

* :func:`two_coders`: two coders, one nominal category per unit (typically the presence of one
  code in each participant, ``categories=(False, True)``). Percentage agreement, Cohen's κ,
  Scott's π, Brennan-Prediger κ_n, Gwet's AC1 and Krippendorff's alpha, all of the form
  ``(p_o - p_e) / (1 - p_e)``.
* :func:`character_agreement` and :func:`aggregate`: the NVivo Coding Comparison figures, a 2x2
  table of characters per code and source, and its three labelled aggregations over sources.
* :func:`krippendorff_alpha` and :func:`pooled_alpha`: Krippendorff's alpha for any number of coders
  with missing values (via the ``krippendorff`` package) and pooled over many binary units.

A coefficient that is mathematically undefined (0/0: no units, or no variation at all) is
``None`` with a reason, never a made-up number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

COEFFICIENT_NAMES: tuple[str, ...] = (
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
)

NO_UNITS = "no units: there is nothing to compare"
NO_VARIATION = (
    "no variation: both coders gave every unit the same category, so agreement expected by "
    "chance is 1 and the coefficient is 0/0"
)
ONE_CATEGORY = (
    "only one category (q = 1): agreement expected by chance is 1 and the coefficient is 0/0"
)
NO_PAIRABLE_VALUES = "fewer than two pairable values: no unit was coded by two or more coders"
NO_VARIATION_ALPHA = (
    "no variation: every pairable value is the same, so the expected disagreement is 0 and "
    "alpha is 0/0"
)


# --------------------------------------------------------------------------------------------
# Two coders, nominal categories (Cohen 1960; Scott 1955; Brennan & Prediger 1981; Gwet 2008)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coefficients:
    """Agreement between two coders on n units (nominal categories)."""

    n: int
    percent_agreement: float | None  # 0..100
    cohen_kappa: float | None
    scott_pi: float | None
    brennan_prediger: float | None
    gwet_ac1: float | None
    krippendorff_alpha: float | None
    undefined: dict[str, str]  # coefficient name -> why it is undefined (empty if all defined)


def chance_corrected(p_o: Fraction, p_e: Fraction) -> Fraction | None:
    """The common form of every chance-corrected coefficient: ``(p_o - p_e) / (1 - p_e)``.

    Returns ``None`` when ``1 - p_e == 0`` (agreement by chance is certain, so the ratio is 0/0
    or undefined). Sources: Gwet (2008); Krippendorff (2011). See
    docs/methods.md#presence-agreement-by-participant-and-by-turn.
    """
    if p_e == 1:
        return None
    return (p_o - p_e) / (1 - p_e)


def observed_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> Fraction:
    """``p_o``: the share of units on which both coders chose the same category (n ≥ 1)."""
    return Fraction(sum(x == y for x, y in zip(a, b, strict=True)), len(a))


def cohen_chance(p_a: dict[Hashable, Fraction], p_b: dict[Hashable, Fraction]) -> Fraction:
    """Cohen (1960): ``p_e = Σ_k p_A,k · p_B,k`` (each coder's own marginal proportions)."""
    return sum((p_a[k] * p_b[k] for k in p_a), Fraction(0))


def scott_chance(pi: dict[Hashable, Fraction]) -> Fraction:
    """Scott (1955): ``p_e = Σ_k π_k²`` with ``π_k = (p_A,k + p_B,k) / 2``."""
    return sum((p * p for p in pi.values()), Fraction(0))


def brennan_prediger_chance(q: int) -> Fraction:
    """Brennan & Prediger (1981) κ_n (= Bennett's S, = PABAK when q = 2): ``p_e = 1/q``."""
    return Fraction(1, q)


def gwet_ac1_chance(pi: dict[Hashable, Fraction]) -> Fraction:
    """Gwet (2008) AC1: ``p_e = Σ_k π_k (1 - π_k) / (q - 1)``; needs q ≥ 2 categories."""
    q = len(pi)
    return sum((p * (1 - p) for p in pi.values()), Fraction(0)) / (q - 1)


def nominal_alpha(units: Iterable[Sequence[Hashable]]) -> tuple[Fraction | None, str | None]:
    """Krippendorff's alpha for nominal data by the general coincidence formula (Krippendorff 2011).

    ``units`` holds, for each unit, the values the coders gave it (missing values left out).
    Coincidences ``o_ck = Σ_u (number of c-k pairs of values in u) / (m_u - 1)`` over units
    with ``m_u ≥ 2`` values; ``n_c = Σ_k o_ck``; ``n = Σ_c n_c``. Then

        alpha = 1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k.

    For two coders and no missing data this equals ``1 - ((2n-1)/(2n)) · (1 - Scott's π)``.
    Returns ``(None, reason)`` when there is no pairable value or no variation.
    """
    o: dict[tuple[Hashable, Hashable], Fraction] = {}
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_uc in counts.items():
            for k, n_uk in counts.items():
                pairs = n_uc * (n_uc - 1) if c == k else n_uc * n_uk
                if pairs:
                    o[(c, k)] = o.get((c, k), Fraction(0)) + Fraction(pairs, m - 1)
    marginals: dict[Hashable, Fraction] = {}
    observed_disagreement = Fraction(0)
    for (c, k), value in o.items():
        marginals[c] = marginals.get(c, Fraction(0)) + value
        if c != k:
            observed_disagreement += value
    n = sum(marginals.values(), Fraction(0))
    if n == 0:
        return None, NO_PAIRABLE_VALUES
    expected_disagreement = n * n - sum((n_c * n_c for n_c in marginals.values()), Fraction(0))
    if expected_disagreement == 0:
        return None, NO_VARIATION_ALPHA
    return 1 - (n - 1) * observed_disagreement / expected_disagreement, None


def _category_set(
    a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable] | None
) -> tuple[Hashable, ...]:
    """The categories in play: the caller's full set, or those observed in ``a`` or ``b``."""
    observed = list(dict.fromkeys([*a, *b]))
    if categories is None:
        return tuple(observed)
    cats = tuple(categories)
    if len(set(cats)) != len(cats):
        repeated = [c for c, count in Counter(cats).items() if count > 1]
        raise ValueError(f"categories repeat {repeated[0]!r}: each category must be listed once")
    unknown = [c for c in observed if c not in set(cats)]
    if unknown:
        raise ValueError(
            f"a coder used {unknown[0]!r}, which is not one of the categories {list(cats)!r}"
        )
    return cats


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _no_units() -> Coefficients:
    return Coefficients(
        n=0,
        percent_agreement=None,
        cohen_kappa=None,
        scott_pi=None,
        brennan_prediger=None,
        gwet_ac1=None,
        krippendorff_alpha=None,
        undefined=dict.fromkeys(COEFFICIENT_NAMES, NO_UNITS),
    )


def two_coders(
    a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable] | None = None
) -> Coefficients:
    """Agreement between two coders who each put every unit in one nominal category.

    ``a[i]`` and ``b[i]`` are the coders' categories for unit ``i``. ``categories`` is the full
    category set (q = its size); by default the categories observed in ``a`` or ``b``. For the
    presence of one code per participant pass ``categories=(False, True)`` so that q = 2 even if
    only one value occurs.

    With ``p_o`` the observed agreement, ``p_A,k``/``p_B,k`` each coder's share of category k
    and ``π_k = (p_A,k + p_B,k)/2``, every coefficient is ``(p_o - p_e)/(1 - p_e)`` with
    (docs/methods.md#presence-agreement-by-participant-and-by-turn): Cohen (1960)
    ``p_e = Σ p_A,k p_B,k``; Scott (1955) ``p_e = Σ π_k²``; Brennan & Prediger (1981)
    ``p_e = 1/q``; Gwet (2008) AC1 ``p_e = Σ π_k(1 - π_k)/(q - 1)``; Krippendorff (2011) alpha
    (nominal) by the coincidence formula, see :func:`nominal_alpha`.
    """
    if len(a) != len(b):
        raise ValueError(f"the two coders rated different numbers of units: {len(a)} and {len(b)}")
    cats = _category_set(a, b, categories)
    n = len(a)
    if n == 0:
        return _no_units()
    count_a, count_b = Counter(a), Counter(b)
    p_o = observed_agreement(a, b)
    cohen, scott, bp, ac1, undefined = _family(n, p_o, count_a, count_b, cats)
    alpha, alpha_reason = nominal_alpha(zip(a, b, strict=True))
    if alpha_reason is not None:
        undefined["krippendorff_alpha"] = (
            NO_VARIATION if alpha_reason == NO_VARIATION_ALPHA else alpha_reason
        )
    return _result(n, p_o, cohen, scott, bp, ac1, alpha, undefined)


Estimates = tuple[
    Fraction | None, Fraction | None, Fraction | None, Fraction | None, dict[str, str]
]


def _family(
    n: int,
    p_o: Fraction,
    count_a: Mapping[Hashable, int],
    count_b: Mapping[Hashable, int],
    cats: Sequence[Hashable],
) -> Estimates:
    """Cohen's κ, Scott's π, Brennan-Prediger and Gwet's AC1 from the observed agreement and each
    coder's count per category (n ≥ 1 units); the reasons for any that are undefined."""
    q = len(cats)
    p_a = {k: Fraction(count_a.get(k, 0), n) for k in cats}
    p_b = {k: Fraction(count_b.get(k, 0), n) for k in cats}
    pi = {k: (p_a[k] + p_b[k]) / 2 for k in cats}
    undefined: dict[str, str] = {}
    cohen = chance_corrected(p_o, cohen_chance(p_a, p_b))
    if cohen is None:
        undefined["cohen_kappa"] = NO_VARIATION
    scott = chance_corrected(p_o, scott_chance(pi))
    if scott is None:
        undefined["scott_pi"] = NO_VARIATION
    if q >= 2:
        bp = chance_corrected(p_o, brennan_prediger_chance(q))
        ac1 = chance_corrected(p_o, gwet_ac1_chance(pi))
    else:
        bp = ac1 = None
        undefined["brennan_prediger"] = ONE_CATEGORY
        undefined["gwet_ac1"] = ONE_CATEGORY
    return cohen, scott, bp, ac1, undefined


def _result(
    n: int,
    p_o: Fraction,
    cohen: Fraction | None,
    scott: Fraction | None,
    bp: Fraction | None,
    ac1: Fraction | None,
    alpha: Fraction | None,
    undefined: dict[str, str],
) -> Coefficients:
    return Coefficients(
        n=n,
        percent_agreement=float(100 * p_o),
        cohen_kappa=_as_float(cohen),
        scott_pi=_as_float(scott),
        brennan_prediger=_as_float(bp),
        gwet_ac1=_as_float(ac1),
        krippendorff_alpha=_as_float(alpha),
        undefined=undefined,
    )


def from_table(both: int, a_only: int, b_only: int, neither: int) -> Coefficients:
    """:func:`two_coders` for a present/absent judgement given as its 2x2 table: units coded
    present by both, by A only, by B only and by neither.

    Participant- and turn-level presence give one 2x2 table per code; expanding it into vectors
    of 130,000 turns would be wasteful. Same formulas, same exact arithmetic (q = 2); Krippendorff's
    alpha by its two-coder identity ``1 - ((2n - 1)/(2n))·(1 - π)`` (no missing values), which
    equals the coincidence formula of :func:`nominal_alpha` (a property test checks both routes).
    See docs/methods.md#presence-agreement-by-participant-and-by-turn.
    """
    for name, value in (
        ("both", both),
        ("a_only", a_only),
        ("b_only", b_only),
        ("neither", neither),
    ):
        _check_count(name, value)
    n = both + a_only + b_only + neither
    if n == 0:
        return _no_units()
    agree, coded_a, coded_b = both + neither, both + a_only, both + b_only
    # Each coefficient (p_o - p_e) / (1 - p_e), both sides multiplied by n² (by 4n² for
    # Scott's π, 2n² for AC1), so that one exact fraction of integers is built per coefficient
    # instead of a dozen Fraction operations: the same rational numbers as `_family`, so the
    # same floats (`tests/analysis/test_spans_counting.py` checks equality with `two_coders`).
    cohen_e = coded_a * coded_b + (n - coded_a) * (n - coded_b)
    pooled = coded_a + coded_b  # π_present = pooled / 2n, π_absent = (2n - pooled) / 2n
    scott_e = pooled * pooled + (2 * n - pooled) * (2 * n - pooled)
    gwet_e = pooled * (2 * n - pooled)
    undefined: dict[str, str] = {}
    cohen = _ratio(n * agree - cohen_e, n * n - cohen_e)
    if cohen is None:
        undefined["cohen_kappa"] = NO_VARIATION
    scott = _ratio(4 * n * agree - scott_e, 4 * n * n - scott_e)
    if scott is None:
        undefined["scott_pi"] = NO_VARIATION
    bp = Fraction(2 * agree - n, n)
    ac1 = _ratio(2 * n * agree - gwet_e, 2 * n * n - gwet_e)
    alpha = None if scott is None else 1 - Fraction(2 * n - 1, 2 * n) * (1 - scott)
    if alpha is None:
        undefined["krippendorff_alpha"] = NO_VARIATION
    return _result(n, Fraction(agree, n), cohen, scott, bp, ac1, alpha, undefined)


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    """``numerator / denominator`` exactly; ``None`` for a zero denominator (p_e = 1)."""
    return None if denominator == 0 else Fraction(numerator, denominator)


def pooled_alpha(units: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Krippendorff's alpha (nominal) over many ``(coder A, coder B)`` pairs treated as units.

    Used to pool the presence of codes over every (participant, code) pair (the pooled rows of
    docs/methods.md#presence-agreement-by-participant-and-by-turn): two coders, no missing
    values, coincidence formula of :func:`nominal_alpha`. ``None`` when
    there are no units or no variation; ``two_coders`` on the same pairs gives the reason.
    """
    value, _reason = nominal_alpha(units)
    return _as_float(value)


# --------------------------------------------------------------------------------------------
# NVivo-style character agreement (NVivo's Coding Comparison query; Cohen 1960)
# --------------------------------------------------------------------------------------------


Convention = Literal["applied", "nvivo"]
CONVENTIONS: tuple[Convention, ...] = ("applied", "nvivo")
"""Which code x transcript pairs the character figures cover (docs/methods.md#two-conventions):

* ``applied`` (the default): the transcripts where at least one coder applied the code; a kappa
  that is 0/0 (both coded every character) is undefined, never a number.
* ``nvivo``: every transcript in scope for every code, as NVivo's Coding Comparison query does;
  where neither coder applied the code, or both coded every character, kappa is 1 and the
  agreement 100 %, so a user can reproduce NVivo's figures and their averages.
"""


def check_convention(convention: str) -> Convention:
    if convention not in CONVENTIONS:
        raise ValueError(
            f"the convention must be one of {', '.join(CONVENTIONS)}, not {convention!r}"
        )
    return "nvivo" if convention == "nvivo" else "applied"


@dataclass(frozen=True, slots=True)  # 100,000s in a large study's report: no __dict__ each
class CharacterAgreement:
    """NVivo-style character-level agreement for one code in one source (2x2 table)."""

    total: int
    both: int
    a_only: int
    b_only: int
    neither: int
    percent_agreement: float | None  # 0..100; None only when total == 0
    kappa: float | None  # None when undefined (e.g. neither coder coded anything: 0/0)
    undefined: str | None  # reason, or None


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number of units, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value})")


def _character_kappa(
    total: int, both: int, a_only: int, b_only: int
) -> tuple[float | None, str | None]:
    """NVivo's kappa on the 2x2 table of units (Cohen 1960; NVivo's Coding Comparison query).

    See docs/methods.md#character-level-agreement-nvivos-method.

    ``EF1 = A·B/TU``, ``EF2 = (TU - A)(TU - B)/TU``, ``ΣEF = EF1 + EF2`` and
    ``K = (TA - ΣEF)/(TU - ΣEF)``, where A and B are the units each coder coded, TA the units of
    agreement (both + neither) and TU the total. This is Cohen's κ on the 2x2 table. Multiplying
    through by TU leaves a ratio of whole numbers, so the 0/0 test is exact and Python's
    correctly rounded int/int division gives the value: it is 0/0 exactly when neither coder
    coded anything or both coded everything.
    """
    if total == 0:
        return None, NO_UNITS
    coded_a, coded_b = both + a_only, both + b_only
    neither = total - both - a_only - b_only
    agreement = both + neither
    expected_times_total = coded_a * coded_b + (total - coded_a) * (total - coded_b)
    denominator = total * total - expected_times_total
    if denominator == 0:
        if coded_a == 0:
            why = f"neither coder coded any of the {total} units"
        else:
            why = f"both coders coded all {total} units"
        return None, f"{why}, so kappa is 0/0 (percentage agreement is 100 %)"
    return (agreement * total - expected_times_total) / denominator, None


def character_agreement(
    total: int, both: int, a_only: int, b_only: int, convention: Convention = "applied"
) -> CharacterAgreement:
    """Percentage agreement and kappa for one code in one source, NVivo-style.

    See docs/methods.md#character-level-agreement-nvivos-method.

    Units are characters (or tenths of a second, or pixels). ``both`` units were coded by both
    coders, ``a_only``/``b_only`` by one of them, and ``neither = total - both - a_only - b_only``
    by none. Percentage agreement = ``100 · (both + neither)/total``. Kappa: see
    :func:`_character_kappa`. Unlike NVivo, which reports 1 when neither coder coded anything,
    the undefined 0/0 kappa is ``None`` with a reason; ``convention="nvivo"`` gives NVivo's 1
    instead (agreement is then complete: 100 %).
    """
    check_convention(convention)
    for name, value in (("total", total), ("both", both), ("a_only", a_only), ("b_only", b_only)):
        _check_count(name, value)
    neither = total - both - a_only - b_only
    if neither < 0:
        raise ValueError(
            f"both + a_only + b_only = {both + a_only + b_only} is more than the total of {total}"
        )
    kappa, reason = _character_kappa(total, both, a_only, b_only)
    if kappa is None and total > 0 and convention == "nvivo":
        kappa, reason = 1.0, None  # NVivo: complete agreement (nothing coded, or everything)
    percent = None if total == 0 else 100 * (both + neither) / total
    return CharacterAgreement(
        total=total,
        both=both,
        a_only=a_only,
        b_only=b_only,
        neither=neither,
        percent_agreement=percent,
        kappa=kappa,
        undefined=reason,
    )


@dataclass(frozen=True)
class AggregateAgreement:
    """Per code, over sources: each value labelled by how it was aggregated."""

    sources: int  # number of per-source results aggregated
    sources_with_kappa: int  # how many had a defined kappa
    unweighted_mean_kappa: float | None  # mean over sources with defined kappa
    size_weighted_mean_kappa: (
        float | None
    )  # Σ κ_i·size_i / Σ size_i over sources with defined kappa
    pooled_kappa: float | None  # kappa of the summed 2x2 table
    unweighted_mean_percent: float | None
    size_weighted_mean_percent: float | None
    pooled_percent: float | None


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _weighted_mean(pairs: Sequence[tuple[float, int]]) -> float | None:
    weight = sum(size for _, size in pairs)
    if weight == 0:
        return None
    return math.fsum(value * size for value, size in pairs) / weight


def aggregate(
    results: Sequence[CharacterAgreement], convention: Convention = "applied"
) -> AggregateAgreement:
    """Aggregate one code's per-source results three ways, each labelled.

    See docs/methods.md#character-level-agreement-nvivos-method.

    * unweighted mean: every source counts once, ``Σ κ_i / m``;
    * size-weighted mean: ``Σ κ_i · size_i / Σ size_i`` with size = the source's total units;
    * pooled: the statistic of the 2x2 table summed over sources (all characters concatenated).

    Kappa means use only the sources whose kappa is defined (``sources_with_kappa`` says how
    many); percentage means use every source with at least one unit. The size-weighted mean
    percentage always equals the pooled percentage. Sums use ``math.fsum`` (exactly rounded).
    Under ``convention="nvivo"`` the pooled kappa of a table with nothing coded (or everything)
    is 1, as each source's is; which sources are passed in is the caller's convention.
    """
    kappas = [(r.kappa, r.total) for r in results if r.kappa is not None]
    percents = [(r.percent_agreement, r.total) for r in results if r.percent_agreement is not None]
    pooled = character_agreement(
        sum(r.total for r in results),
        sum(r.both for r in results),
        sum(r.a_only for r in results),
        sum(r.b_only for r in results),
        convention,
    )
    return AggregateAgreement(
        sources=len(results),
        sources_with_kappa=len(kappas),
        unweighted_mean_kappa=_mean([k for k, _ in kappas]),
        size_weighted_mean_kappa=_weighted_mean(kappas),
        pooled_kappa=pooled.kappa,
        unweighted_mean_percent=_mean([p for p, _ in percents]),
        size_weighted_mean_percent=_weighted_mean(percents),
        pooled_percent=pooled.percent_agreement,
    )


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha, any number of coders, missing values (Krippendorff 2011)
# --------------------------------------------------------------------------------------------


def _reliability_matrix(data: Sequence[Sequence[float | None]]) -> list[list[float]]:
    """Rows of floats with ``nan`` for missing (``None`` or ``nan``); rows must be equally long."""
    widths = {len(row) for row in data}
    if len(widths) > 1:
        raise ValueError(
            "every coder's row must have one entry per unit; "
            f"the rows have lengths {sorted(widths)}"
        )
    matrix: list[list[float]] = []
    for i, row in enumerate(data, start=1):
        values: list[float] = []
        for j, value in enumerate(row, start=1):
            if value is None:
                values.append(math.nan)
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(
                    f"coder {i}, unit {j}: {value!r} is not a number (use None for missing)"
                )
            number = float(value)
            if math.isinf(number):
                raise ValueError(f"coder {i}, unit {j}: {value!r} is not a finite number")
            values.append(number)
        matrix.append(values)
    return matrix


def alpha_undefined_reason(matrix: Sequence[Sequence[float]]) -> str | None:
    """Why alpha is 0/0 for this coder x unit matrix (``nan`` = missing), or ``None`` if defined.

    Only values in units with at least two values are pairable. With no pairable value there is
    nothing to compare; with a single distinct pairable value the expected disagreement
    ``D_e`` is 0 for every level of measurement (ratio values are non-negative, so distinct
    values always differ).
    """
    pairable: set[float] = set()
    for unit in zip(*matrix, strict=True):
        present = [v for v in unit if not math.isnan(v)]
        if len(present) >= 2:
            pairable.update(present)
    if not pairable:
        return NO_PAIRABLE_VALUES
    if len(pairable) < 2:
        return NO_VARIATION_ALPHA
    return None


def krippendorff_alpha(
    data: Sequence[Sequence[float | None]],
    level: Literal["nominal", "ordinal", "interval", "ratio"] = "nominal",
) -> float | None:
    """Krippendorff's alpha for any number of coders with missing values (Krippendorff 2011).

    ``data`` has one row per coder and one column per unit; ``None`` (or ``nan``) is a missing
    value. ``alpha = 1 - D_o/D_e`` over the coincidence matrix, with the distance of the chosen
    level of measurement (nominal: 0/1; interval: (c - k)²; ordinal and ratio as in Krippendorff
    2011). Computed by the ``krippendorff`` package; ``None`` when undefined (see
    :func:`alpha_undefined_reason`), which is checked before the package is called.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    matrix = _reliability_matrix(data)
    if level == "ratio" and any(v < 0 for row in matrix for v in row if not math.isnan(v)):
        raise ValueError("ratio data cannot be negative: use level 'interval' instead")
    if not matrix or alpha_undefined_reason(matrix) is not None:
        return None
    import krippendorff  # with numpy, loaded only for three or more coders (fast start)
    import numpy as np

    value = krippendorff.alpha(
        reliability_data=np.array(matrix, dtype=float), level_of_measurement=level
    )
    return float(value)
