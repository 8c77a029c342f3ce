"""Interval arithmetic and single counting: exact, and checked against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import counting, spans

intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=12,
)


def chars(merged: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in merged for i in range(s, e)}


@given(intervals, intervals)
def test_lengths_match_character_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    ma, mb = spans.merge(a), spans.merge(b)
    assert spans.length(ma) == len(chars(ma)) == len({i for s, e in a for i in range(s, e)})
    assert spans.intersection_length(ma, mb) == len(chars(ma) & chars(mb))
    assert all(x[1] < y[0] for x, y in itertools.pairwise(ma))  # disjoint, not touching


@given(intervals, intervals)
def test_differences_cover_exactly_the_disagreeing_characters(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    ma, mb = spans.merge(a), spans.merge(b)
    diffs = spans.differences(ma, mb)
    disagreeing = chars(ma) ^ chars(mb)
    covered = {i for d in diffs for i in range(d.start, d.end)}
    assert disagreeing <= covered
    for d in diffs:
        assert (d.kind == "only_a") == (not d.b) and (d.kind == "only_b") == (not d.a)
    if ma == mb:
        assert diffs == []


def test_differences_kinds() -> None:
    a = [(0, 10), (20, 30), (50, 60)]
    b = [(0, 10), (22, 30), (70, 80)]
    assert [(d.kind, d.start, d.end) for d in spans.differences(a, b)] == [
        ("boundaries", 20, 30),
        ("only_a", 50, 60),
        ("only_b", 70, 80),
    ]


def test_touched_turns() -> None:
    starts, ends = [0, 12, 30], [10, 28, 40]
    assert spans.touched([(5, 13)], starts, ends) == {0, 1}
    assert spans.touched([(10, 12)], starts, ends) == set()  # only the separator between turns
    assert spans.touched([(35, 36)], starts, ends) == {2}


def test_union_not_sum_methods_vector() -> None:
    # docs/methods.md: sub-theme A {P1,P2,P3}, sub-theme B {P3,P4} -> the theme has 4, not 5
    nodes = counting.Tree({1: None, 2: 1, 3: 1})
    direct, rolled = counting.node_participants(
        nodes, [(2, 10), (3, 11)], {10: frozenset({1, 2, 3}), 11: frozenset({3, 4})}
    )
    assert len(rolled[1]) == 4 and direct[1] == frozenset()


trees = st.integers(1, 15).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(0, 10_000), min_size=n, max_size=n),
        st.lists(st.frozensets(st.integers(1, 10), max_size=10), min_size=n, max_size=n),
    )
)


@given(trees)
def test_rolled_up_is_the_union_of_children_and_never_exceeds_n(
    data: tuple[int, list[int], list[frozenset[int]]],
) -> None:
    n, parents_raw, sets = data
    parent = {
        i: (None if i == 0 else parents_raw[i] % i) for i in range(n)
    }  # parent id < own id: a tree
    tree = counting.Tree(parent)
    direct = dict(enumerate(sets))
    rolled = counting.roll_up(tree, direct)
    kids = tree.children()
    for node in range(n):
        expected = set(direct[node]).union(*(rolled[c] for c in kids.get(node, [])))
        assert rolled[node] == expected
        assert len(rolled[node]) <= 10  # N = 10 participants
        assert rolled[node] >= direct[node]


@settings(max_examples=500)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_presence_table_equals_two_coders_on_expanded_vectors(
    both: int, a_only: int, b_only: int, neither: int
) -> None:
    from thematica.analysis.coefficients import from_table, two_coders

    a = [True] * both + [True] * a_only + [False] * b_only + [False] * neither
    b = [True] * both + [False] * a_only + [True] * b_only + [False] * neither
    fast, slow = (
        from_table(both, a_only, b_only, neither),
        two_coders(a, b, categories=(False, True)),
    )
    assert fast.n == slow.n
    for name in (
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "brennan_prediger",
        "gwet_ac1",
        "krippendorff_alpha",
    ):
        # both routes are exact arithmetic rounded once: the floats are equal, not close
        assert getattr(fast, name) == getattr(slow, name), name
    assert fast.undefined == slow.undefined
