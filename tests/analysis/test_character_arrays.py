"""Character tables and their summaries from arrays equal the exact functions of
``coefficients`` (the reference), value for value, rounding included (issue 15)."""

from __future__ import annotations

import random
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.analysis import character_arrays as ca
from thematica.analysis.coefficients import (
    CharacterAgreement,
    Convention,
    aggregate,
    character_agreement,
)
from thematica.analysis.interval_arrays import as_ints
from thematica.analysis.reports import Disagreement, SourceAgreement

Table = tuple[int, int, int, int]


@st.composite
def table(draw: st.DrawFn, most: int = 60) -> Table:
    total = draw(st.integers(0, most))
    both = draw(st.integers(0, total))
    a_only = draw(st.integers(0, total - both))
    b_only = draw(st.integers(0, total - both - a_only))
    return total, both, a_only, b_only


def columns(tables: list[Table]) -> tuple[ca.Ints, ca.Ints, ca.Ints, ca.Ints]:
    return (
        as_ints([t[0] for t in tables]),
        as_ints([t[1] for t in tables]),
        as_ints([t[2] for t in tables]),
        as_ints([t[3] for t in tables]),
    )


def exact(tables: list[Table], convention: Convention) -> list[CharacterAgreement]:
    return [character_agreement(*t, convention=convention) for t in tables]


def same(got: list[CharacterAgreement], want: list[CharacterAgreement]) -> None:
    assert got == want
    assert [repr(g) for g in got] == [repr(w) for w in want]  # -0.0 and 0.0 alike, same digits


@pytest.mark.parametrize("convention", ["applied", "nvivo"])
@given(st.lists(table(), max_size=30))
def test_tables_equal_character_agreement(convention: Convention, tables: list[Table]) -> None:
    got = ca.tables(*columns(tables), convention)
    same(got, exact(tables, convention))
    assert ca.aggregate(got, convention) == aggregate(want := exact(tables, convention), convention)
    assert repr(ca.aggregate(got, convention)) == repr(aggregate(want, convention))


@pytest.mark.parametrize("convention", ["applied", "nvivo"])
def test_fixed_seed_transcript_sized_tables(convention: Convention) -> None:
    rng = random.Random(15)
    tables: list[Table] = [(0, 0, 0, 0), (40_000, 0, 0, 0), (40_000, 40_000, 0, 0)]
    for _ in range(20_000):
        total = rng.choice([1, 7, 5_000, 40_000, 9_000_000])
        both = rng.randint(0, total // rng.choice([1, 3, 50]))
        a_only = rng.randint(0, (total - both) // rng.choice([1, 4, 100]))
        b_only = rng.randint(0, (total - both - a_only) // rng.choice([1, 4, 100]))
        tables.append((total, both, a_only, b_only))
    got = ca.tables(*columns(tables), convention)
    same(got, exact(tables, convention))
    for lo in range(0, len(tables), 1000):  # per "code", and pooled
        part = got[lo : lo + 1000]
        assert repr(ca.aggregate(part, convention)) == repr(aggregate(part, convention))
    assert repr(ca.aggregate(got, convention)) == repr(aggregate(got, convention))


def test_totals_beyond_exact_floats_take_the_exact_route() -> None:
    big = [(100_000_000, 3, 5, 7), (10, 1, 2, 3)]
    same(ca.tables(*columns(big)), exact(big, "applied"))


def test_a_table_that_does_not_add_up_fails_as_the_exact_function_does() -> None:
    with pytest.raises(ValueError, match="more than the total"):
        ca.tables(*columns([(5, 3, 3, 0)]))


def test_the_reports_many_results_hold_no_dict_each() -> None:
    """A large study's agreement report holds 100,000s of these: slotted, they take a third of
    the memory (issue 15: the report of workload XL peaked at 993 MB, near the 1 GB limit)."""
    table = CharacterAgreement(10, 1, 2, 3, 4, 50.0, 0.1, None)
    results = (
        table,
        SourceAgreement(1, None, table),
        Disagreement(1, None, ("A", "B"), "only_a", 1, 4, "abc", ((1, 4),), ()),
    )
    for made in results:
        assert not hasattr(made, "__dict__"), type(made).__name__
        # still frozen (Python 3.11's slotted frozen dataclasses refuse with a TypeError)
        with pytest.raises((FrozenInstanceError, TypeError)):
            made.start = 2  # type: ignore[misc,union-attr]
