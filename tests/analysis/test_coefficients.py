"""Agreement coefficients against the published figures and worked examples of NVivo's help,
Krippendorff (2011), Gwet's irrCAC, the ATLAS.ti manual and QualCoder's formula (to 4 decimal
places: ``approx(x, abs=5e-5)`` against the 4-dp value); docs/methods.md lists them."""

from __future__ import annotations

import math
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.coefficients import (
    COEFFICIENT_NAMES,
    AggregateAgreement,
    CharacterAgreement,
    aggregate,
    character_agreement,
    krippendorff_alpha,
    nominal_alpha,
    pooled_alpha,
    two_coders,
)


def dp4(x: float) -> object:
    """Equal to ``x`` to 4 decimal places."""
    return pytest.approx(x, abs=5e-5)


def bits(text: str) -> list[bool]:
    return [c == "1" for c in text]


def from_table(table: list[list[int]]) -> tuple[list[int], list[int]]:
    """Expand a contingency table (rows = coder A's category, columns = B's) into two vectors."""
    a: list[int] = []
    b: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


BINARY = (False, True)

# --------------------------------------------------------------------------------------------
# Two coders, all coefficients (docs/methods.md#presence-agreement-by-participant-and-by-turn)
# --------------------------------------------------------------------------------------------


def test_gwet_3x3_table() -> None:
    """Gwet cont3x3abstractors [[13,0,0],[0,20,7],[0,4,56]] (irrCAC; Gwet's Handbook)."""
    c = two_coders(*from_table([[13, 0, 0], [0, 20, 7], [0, 4, 56]]))
    assert c.n == 100
    assert c.percent_agreement == pytest.approx(89.0)  # p_o 0.89
    assert c.cohen_kappa == dp4(0.7964)
    assert c.scott_pi == dp4(0.7962)
    assert c.brennan_prediger == dp4(0.8350)
    assert c.gwet_ac1 == dp4(0.8493)
    assert c.krippendorff_alpha == dp4(0.7973)
    assert c.undefined == {}


def test_gwet_3x3_table_five_decimals() -> None:
    """The same table to 5 decimals (0.79641, 0.79624, 0.84933, 0.79726; AC1 as irrCAC prints)."""
    c = two_coders(*from_table([[13, 0, 0], [0, 20, 7], [0, 4, 56]]))
    assert c.cohen_kappa == pytest.approx(0.79641, abs=5e-6)
    assert c.scott_pi == pytest.approx(0.79624, abs=5e-6)
    assert c.gwet_ac1 == pytest.approx(0.84933, abs=5e-6)
    assert c.krippendorff_alpha == pytest.approx(0.79726, abs=5e-6)


def test_presence_of_one_code_in_ten_participants() -> None:
    """A=1111111000, B=1111110100: presence of one code in ten participants."""
    c = two_coders(bits("1111111000"), bits("1111110100"), categories=BINARY)
    assert c.percent_agreement == pytest.approx(80.0)
    assert c.cohen_kappa == dp4(0.5238)
    assert c.scott_pi == dp4(0.5238)
    assert c.brennan_prediger == dp4(0.6000)
    assert c.gwet_ac1 == dp4(0.6552)
    assert c.krippendorff_alpha == dp4(0.5476)


def test_prevalence_paradox() -> None:
    """A=1111111110, B=1111111101: kappa negative at 80 % agreement (Feinstein & Cicchetti 1990)."""
    c = two_coders(bits("1111111110"), bits("1111111101"), categories=BINARY)
    assert c.percent_agreement == pytest.approx(80.0)
    assert c.cohen_kappa == dp4(-0.1111)
    assert c.scott_pi == dp4(-0.1111)
    assert c.brennan_prediger == dp4(0.6000)
    assert c.gwet_ac1 == dp4(0.7561)
    assert c.krippendorff_alpha == dp4(-0.0556)


def test_atlas_ti_ten_segments() -> None:
    """ATLAS.ti 9 manual, "Methods for testing ICA": 1100000000 / 0110010100."""
    c = two_coders(bits("1100000000"), bits("0110010100"), categories=BINARY)
    assert c.percent_agreement == pytest.approx(60.0)
    assert c.cohen_kappa == dp4(0.0909)
    assert c.scott_pi == dp4(0.0476)
    assert c.brennan_prediger == dp4(0.2000)
    assert c.gwet_ac1 == dp4(0.3103)
    assert c.krippendorff_alpha == dp4(0.0952)


def test_atlas_ti_expected_agreement_is_56_percent() -> None:
    """ATLAS.ti's "expected chance agreement 56 % = (9.6 + 1.6)/20" is alpha's p_e."""
    a, b = bits("1100000000"), bits("0110010100")
    # 14 zeros and 6 ones over N = 20 pairable values: p_e = (14*13 + 6*5) / (20*19)
    p_e = Fraction(14 * 13 + 6 * 5, 20 * 19)
    assert float(p_e) == dp4(0.5579)
    c = two_coders(a, b, categories=BINARY)
    assert c.krippendorff_alpha == pytest.approx(float((Fraction(6, 10) - p_e) / (1 - p_e)))


def test_alpha_two_coders_equals_closed_form() -> None:
    """Krippendorff (2011), 2 coders, no missing: alpha = 1 - ((2n-1)/(2n)) * (1 - Scott's pi)."""
    c = two_coders(*from_table([[13, 0, 0], [0, 20, 7], [0, 4, 56]]))
    assert c.scott_pi is not None
    assert c.krippendorff_alpha == pytest.approx(1 - (199 / 200) * (1 - c.scott_pi), abs=1e-12)


def test_categories_default_to_observed_values() -> None:
    """Without categories, q is the number of values seen; with (False, True) q = 2 always."""
    observed = two_coders(bits("1111111111"), bits("1111111110"))
    declared = two_coders(bits("1111111111"), bits("1111111110"), categories=BINARY)
    assert observed.brennan_prediger == declared.brennan_prediger  # both values occur: q = 2
    only_true = two_coders([True, True], [True, True], categories=BINARY)
    assert only_true.brennan_prediger == 1.0
    assert only_true.gwet_ac1 == 1.0


# --------------------------------------------------------------------------------------------
# Undefined values
# --------------------------------------------------------------------------------------------


def test_no_units_leaves_everything_undefined() -> None:
    c = two_coders([], [])
    assert c.n == 0
    assert all(getattr(c, name) is None for name in COEFFICIENT_NAMES)
    assert set(c.undefined) == set(COEFFICIENT_NAMES)
    assert all("no units" in reason for reason in c.undefined.values())


def test_no_variation_leaves_chance_corrected_undefined() -> None:
    """Both coders say 'absent' for every participant: p_e = 1, kappa is 0/0, not 1."""
    c = two_coders([False] * 10, [False] * 10, categories=BINARY)
    assert c.percent_agreement == 100.0
    assert c.cohen_kappa is None
    assert c.scott_pi is None
    assert c.krippendorff_alpha is None
    assert c.brennan_prediger == 1.0  # p_e = 1/2: still defined
    assert c.gwet_ac1 == 1.0  # p_e = 0: still defined
    assert set(c.undefined) == {"cohen_kappa", "scott_pi", "krippendorff_alpha"}
    assert all("no variation" in reason for reason in c.undefined.values())


def test_one_category_leaves_bp_and_ac1_undefined() -> None:
    c = two_coders(["x"] * 5, ["x"] * 5)
    assert c.brennan_prediger is None
    assert c.gwet_ac1 is None
    assert "q = 1" in c.undefined["brennan_prediger"]
    assert "q = 1" in c.undefined["gwet_ac1"]


def test_one_coder_varies_cohen_defined() -> None:
    """Coder B uses one category, coder A two: p_e < 1, so kappa is defined (here 0)."""
    c = two_coders(bits("1100000000"), bits("0000000000"), categories=BINARY)
    assert c.cohen_kappa == 0.0
    assert c.undefined == {}


def test_different_lengths_rejected() -> None:
    with pytest.raises(ValueError, match="different numbers of units: 3 and 2"):
        two_coders([1, 2, 3], [1, 2])


def test_value_outside_categories_rejected() -> None:
    with pytest.raises(ValueError, match="not one of the categories"):
        two_coders(["yes", "maybe"], ["yes", "no"], categories=("yes", "no"))


def test_repeated_category_rejected() -> None:
    with pytest.raises(ValueError, match="repeat"):
        two_coders(["yes"], ["yes"], categories=("yes", "no", "yes"))


# --------------------------------------------------------------------------------------------
# NVivo character-level agreement (docs/methods.md#character-level-agreement-nvivos-method)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "both", "a_only", "b_only", "neither", "percent", "kappa"),
    [
        (1000, 50, 100, 50, 800, 85.0, 0.3182),  # NVivo documentation example (split chosen)
        (100, 40, 10, 20, 30, 70.0, 0.4000),  # NVivo v12 excerpt example
        (4000, 600, 100, 200, 3100, 92.5, 0.7541),  # source 2 (constructed)
        (500, 0, 0, 25, 475, 95.0, 0.0000),  # source 3: only B codes
    ],
)
def test_nvivo_character_vectors(
    total: int, both: int, a_only: int, b_only: int, neither: int, percent: float, kappa: float
) -> None:
    r = character_agreement(total, both, a_only, b_only)
    assert r.neither == neither
    assert r.percent_agreement == pytest.approx(percent)
    assert r.kappa == dp4(kappa)
    assert r.undefined is None


def test_nvivo_sum_of_expected_frequencies() -> None:
    """NVivo's expected frequencies ΣEF: K = (TA - ΣEF)/(TU - ΣEF) reproduces each kappa."""
    for total, both, a_only, b_only, sum_ef in [
        (1000, 50, 100, 50, 780),
        (100, 40, 10, 20, 50),
        (4000, 600, 100, 200, 2780),
        (500, 0, 0, 25, 475),
    ]:
        a, b = both + a_only, both + b_only
        assert Fraction(a * b + (total - a) * (total - b), total) == sum_ef
        r = character_agreement(total, both, a_only, b_only)
        agree = total - a_only - b_only
        assert r.kappa == pytest.approx((agree - sum_ef) / (total - sum_ef))


def test_nvivo_aggregates_over_sources() -> None:
    """Three sources of 1000, 4000 and 500 characters (docs/methods.md's character example)."""
    results = [
        character_agreement(1000, 50, 100, 50),
        character_agreement(4000, 600, 100, 200),
        character_agreement(500, 0, 0, 25),
    ]
    agg = aggregate(results)
    assert agg.sources == 3
    assert agg.sources_with_kappa == 3
    assert agg.unweighted_mean_kappa == dp4(0.3574)
    assert agg.size_weighted_mean_kappa == dp4(0.6063)
    assert agg.pooled_kappa == dp4(0.6810)
    assert agg.unweighted_mean_percent == pytest.approx(90.83, abs=5e-3)
    assert agg.size_weighted_mean_percent == pytest.approx(91.36, abs=5e-3)
    assert agg.pooled_percent == pytest.approx(91.36, abs=5e-3)
    assert agg.size_weighted_mean_percent == pytest.approx(agg.pooled_percent, abs=1e-12)


def test_neither_coded_anything_kappa_undefined() -> None:
    """TU = ΣEF, so K = 0/0. NVivo reports 1; we report None with the reason."""
    r = character_agreement(1000, 0, 0, 0)
    assert r.percent_agreement == 100.0
    assert r.kappa is None
    assert r.undefined is not None
    assert "neither coder coded" in r.undefined
    assert "0/0" in r.undefined


def test_both_coded_everything_kappa_undefined() -> None:
    r = character_agreement(200, 200, 0, 0)
    assert r.percent_agreement == 100.0
    assert r.kappa is None
    assert r.undefined is not None
    assert "both coders coded all" in r.undefined


def test_empty_source() -> None:
    r = character_agreement(0, 0, 0, 0)
    assert r.percent_agreement is None
    assert r.kappa is None
    assert r.undefined is not None


def test_aggregate_skips_undefined_kappa_but_not_its_percent() -> None:
    results = [character_agreement(100, 40, 10, 20), character_agreement(1000, 0, 0, 0)]
    agg = aggregate(results)
    assert agg.sources == 2
    assert agg.sources_with_kappa == 1
    assert agg.unweighted_mean_kappa == dp4(0.4000)
    assert agg.size_weighted_mean_kappa == dp4(0.4000)
    assert agg.unweighted_mean_percent == pytest.approx((70 + 100) / 2)
    assert agg.size_weighted_mean_percent == pytest.approx((70 * 100 + 100 * 1000) / 1100)
    assert agg.pooled_kappa is not None  # the pooled table has coding in it


def test_aggregate_of_nothing() -> None:
    assert aggregate([]) == AggregateAgreement(0, 0, None, None, None, None, None, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, 50, 40, 20), "more than the total"),
        ((100, -1, 0, 0), "cannot be negative"),
        ((-5, 0, 0, 0), "cannot be negative"),
    ],
)
def test_character_counts_validated(args: tuple[int, int, int, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        character_agreement(*args)


# --------------------------------------------------------------------------------------------
# QualCoder's "Kappa" is not Cohen's kappa
# --------------------------------------------------------------------------------------------


def qualcoder_kappa(total: int, coded0: int, coded1: int, dual: int) -> float:
    """QualCoder's formula as transcribed from its source (union only, Pe = Pyes * Pno)."""
    union = coded0 + coded1 - dual
    p_o = dual / union
    p_yes = (coded0 / union) * (coded1 / union)
    p_no = ((union - coded0) / union) * ((union - coded1) / union)
    p_e = p_yes * p_no
    return (p_o - p_e) / (1 - p_e)


def test_qualcoder_case_gives_cohen_kappa() -> None:
    """10,000 characters, each coder codes 1,000, overlap 800: Cohen 0.778, QualCoder 0.660."""
    r = character_agreement(10_000, 800, 200, 200)
    assert r.kappa is not None
    assert round(r.kappa, 3) == 0.778
    assert r.kappa == dp4(0.7778)
    assert r.percent_agreement == pytest.approx(96.0)  # QualCoder's "Agree %" is the same
    assert round(qualcoder_kappa(10_000, 1000, 1000, 800), 3) == 0.660
    assert round(800 / 1200, 3) == 0.667  # the Jaccard index QualCoder's figure sits under
    assert abs(r.kappa - qualcoder_kappa(10_000, 1000, 1000, 800)) > 0.1


# --------------------------------------------------------------------------------------------
# Krippendorff (2011): alpha, any number of coders
# --------------------------------------------------------------------------------------------

N = None
EXAMPLE_C: list[list[float | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

WIKIPEDIA: list[list[float | None]] = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.7434), ("ordinal", 0.8154), ("interval", 0.8491), ("ratio", 0.7974)],
)
def test_krippendorff_example_c(level: str, expected: float) -> None:
    """Krippendorff (2011) example C: 4 observers x 12 units with missing values."""
    assert krippendorff_alpha(EXAMPLE_C, level) == dp4(expected)  # type: ignore[arg-type]


def test_krippendorff_example_a_binary() -> None:
    """Krippendorff (2011) example A: 0100000010 / 1110010000 -> 0.0952 (hand: 1 - 19*4/(14*6))."""
    data: list[list[float | None]] = [
        [float(c) for c in "0100000010"],
        [float(c) for c in "1110010000"],
    ]
    assert krippendorff_alpha(data) == dp4(0.0952)
    assert krippendorff_alpha(data) == pytest.approx(1 - 19 * 4 / (14 * 6))


def test_krippendorff_example_b_nominal() -> None:
    """Krippendorff (2011) example B: aabbdcccedda / babbbccceddd, letters mapped to numbers."""
    code = {letter: float(i) for i, letter in enumerate("abcde", start=1)}
    data: list[list[float | None]] = [
        [code[c] for c in "aabbdcccedda"],
        [code[c] for c in "babbbccceddd"],
    ]
    assert krippendorff_alpha(data) == dp4(0.6920)


def test_krippendorff_wikipedia_example() -> None:
    """The 3 x 15 example of the krippendorff package docstring: 0.691358 / 0.810845."""
    assert krippendorff_alpha(WIKIPEDIA, "nominal") == pytest.approx(0.691358, abs=5e-7)
    assert krippendorff_alpha(WIKIPEDIA, "interval") == pytest.approx(0.810845, abs=5e-7)
    assert krippendorff_alpha(WIKIPEDIA, "nominal") == pytest.approx(1 - (6 / 26) / (486 / 650))


def test_alpha_nan_counts_as_missing() -> None:
    with_nan = [[math.nan if v is None else v for v in row] for row in EXAMPLE_C]
    assert krippendorff_alpha(with_nan) == krippendorff_alpha(EXAMPLE_C)


def test_coincidence_formula_matches_package_on_example_c() -> None:
    units = [[v for v in column if v is not None] for column in zip(*EXAMPLE_C, strict=True)]
    value, reason = nominal_alpha(units)
    assert reason is None
    assert value is not None
    assert float(value) == pytest.approx(krippendorff_alpha(EXAMPLE_C), abs=1e-12)
    assert value == Fraction(113, 152)  # = 0.74342..., exact


@pytest.mark.parametrize(
    "data",
    [
        [],
        [[]],
        [[1, 2, 3]],  # one coder: nothing pairable
        [[1, N, 3], [N, 2, N]],  # no unit coded twice
        [[2, 2, 2], [2, 2, N]],  # no variation
        [[2, N], [2, 7]],  # the only pairable value is 2; 7 has no partner
    ],
)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_degenerate_is_none_without_warnings(
    data: list[list[float | None]], level: str
) -> None:
    assert krippendorff_alpha(data, level) is None  # type: ignore[arg-type]


def test_alpha_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha(EXAMPLE_C, "binary")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one entry per unit"):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match="ratio data cannot be negative"):
        krippendorff_alpha([[-1, 1], [1, -1]], "ratio")
    with pytest.raises(TypeError, match="not a number"):
        krippendorff_alpha([["a", "b"], ["a", "b"]])  # type: ignore[list-item]


def test_pooled_alpha_over_participant_code_pairs() -> None:
    """Pooling presence over (participant, code) pairs is alpha over the pairs as units."""
    code_1 = list(zip(bits("1111111000"), bits("1111110100"), strict=True))
    code_2 = list(zip(bits("1111111110"), bits("1111111101"), strict=True))
    pooled = pooled_alpha(code_1 + code_2)
    a = [x for x, _ in code_1 + code_2]
    b = [y for _, y in code_1 + code_2]
    assert pooled == two_coders(a, b, categories=BINARY).krippendorff_alpha
    data = [[float(x) for x in a], [float(y) for y in b]]
    assert pooled == pytest.approx(krippendorff.alpha(data, level_of_measurement="nominal"))
    assert pooled_alpha(list(zip(bits("1100000000"), bits("0110010100"), strict=True))) == dp4(
        0.0952
    )
    assert pooled_alpha([]) is None
    assert pooled_alpha([(True, True), (True, True)]) is None


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

binary_pairs = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(binary_pairs)
def test_every_defined_coefficient_is_at_most_one(pair: tuple[list[bool], list[bool]]) -> None:
    a, b = pair
    c = two_coders(a, b, categories=BINARY)
    assert c.percent_agreement is not None
    assert 0 <= c.percent_agreement <= 100
    for name in COEFFICIENT_NAMES[1:]:
        value = getattr(c, name)
        assert (value is None) == (name in c.undefined)
        if value is not None:
            assert value <= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_perfect_agreement(a: list[bool]) -> None:
    c = two_coders(a, a, categories=BINARY)
    assert c.percent_agreement == 100.0
    for name in COEFFICIENT_NAMES[1:]:
        value = getattr(c, name)
        assert value == 1.0 or name in c.undefined


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=3), min_size=2, max_size=30).flatmap(
        lambda a: st.tuples(
            st.just(a), st.lists(st.integers(0, 3), min_size=len(a), max_size=len(a))
        )
    )
)
def test_two_coder_alpha_equals_package(pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    c = two_coders(a, b)
    package_data = np.array([a, b], dtype=float)
    if len(set(a) | set(b)) < 2:
        assert c.krippendorff_alpha is None
        return
    expected = krippendorff.alpha(reliability_data=package_data, level_of_measurement="nominal")
    assert c.krippendorff_alpha == pytest.approx(expected, abs=1e-9)
    assert krippendorff_alpha([[float(x) for x in a], [float(y) for y in b]]) == pytest.approx(
        c.krippendorff_alpha, abs=1e-9
    )


counts_2x2 = st.tuples(
    st.integers(0, 15), st.integers(0, 15), st.integers(0, 15), st.integers(0, 15)
)


@settings(max_examples=200, deadline=None)
@given(counts_2x2)
def test_character_kappa_is_cohen_kappa_per_character(counts: tuple[int, int, int, int]) -> None:
    both, a_only, b_only, neither = counts
    total = both + a_only + b_only + neither
    r = character_agreement(total, both, a_only, b_only)
    a = [True] * both + [True] * a_only + [False] * b_only + [False] * neither
    b = [True] * both + [False] * a_only + [True] * b_only + [False] * neither
    c = two_coders(a, b, categories=BINARY)
    assert r.percent_agreement == c.percent_agreement
    assert (r.kappa is None) == (c.cohen_kappa is None)
    if r.kappa is not None:
        assert r.kappa == pytest.approx(c.cohen_kappa, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(counts_2x2, min_size=1, max_size=5))
def test_pooled_kappa_is_kappa_of_concatenated_characters(
    tables: list[tuple[int, int, int, int]],
) -> None:
    results: list[CharacterAgreement] = []
    a: list[bool] = []
    b: list[bool] = []
    for both, a_only, b_only, neither in tables:
        results.append(character_agreement(both + a_only + b_only + neither, both, a_only, b_only))
        a += [True] * both + [True] * a_only + [False] * b_only + [False] * neither
        b += [True] * both + [False] * a_only + [True] * b_only + [False] * neither
    agg = aggregate(results)
    if not a:
        assert agg.pooled_kappa is None
        return
    c = two_coders(a, b, categories=BINARY)
    assert agg.pooled_percent == pytest.approx(c.percent_agreement)
    assert (agg.pooled_kappa is None) == (c.cohen_kappa is None)
    if agg.pooled_kappa is not None:
        assert agg.pooled_kappa == pytest.approx(c.cohen_kappa, abs=1e-12)
