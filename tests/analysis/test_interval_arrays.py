"""The array interval arithmetic equals the list functions of ``spans`` exactly (the reference),
group by group: merge, lengths, turns touched and differences (issue 15)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from thematica.analysis import interval_arrays as ia
from thematica.analysis import spans

Span = tuple[int, int]
# spans that may be empty (start == end), touch, nest or repeat
span = st.tuples(st.integers(0, 120), st.integers(0, 30)).map(lambda t: (t[0], t[0] + t[1]))
side = st.lists(span, max_size=8)
pairs = st.lists(st.tuples(side, side), min_size=1, max_size=5)


def flatten(groups: list[list[Span]]) -> tuple[ia.Ints, ia.Ints, ia.Ints]:
    g = [i for i, spans_ in enumerate(groups) for _ in spans_]
    s = [x for spans_ in groups for x, _ in spans_]
    e = [y for spans_ in groups for _, y in spans_]
    return ia.as_ints(g), ia.as_ints(s), ia.as_ints(e)


def runs_of(runs: ia.Runs, group: int) -> list[Span]:
    keep = runs.group == group
    return list(zip(runs.start[keep].tolist(), runs.end[keep].tolist(), strict=True))


def check_pairs(found: list[tuple[list[Span], list[Span]]]) -> None:
    groups = [spans_ for pair in found for spans_ in pair]  # pair p: groups 2p (A), 2p + 1 (B)
    runs = ia.merge(*flatten(groups))
    sizes = ia.lengths(runs, len(groups))
    for g, spans_ in enumerate(groups):
        assert runs_of(runs, g) == spans.merge(spans_)
        assert sizes[g] == spans.length(spans.merge(spans_))
    d = ia.differences(runs)
    got = [
        (
            int(d.pair[i]),
            ia.KINDS[int(d.kind[i])],
            int(d.start[i]),
            int(d.end[i]),
            tuple(
                (int(d.item_start[j]), int(d.item_end[j]))
                for j in range(int(d.first[i]), int(d.first[i] + d.size[i]))
                if d.item_side[j] == 0
            ),
            tuple(
                (int(d.item_start[j]), int(d.item_end[j]))
                for j in range(int(d.first[i]), int(d.first[i] + d.size[i]))
                if d.item_side[j] == 1
            ),
        )
        for i in range(d.pair.size)
    ]
    want = [
        (p, x.kind, x.start, x.end, x.a, x.b)
        for p, (a, b) in enumerate(found)
        for x in spans.differences(spans.merge(a), spans.merge(b))
    ]
    assert sorted(got, key=lambda row: (row[0], row[2])) == want
    union = ia.lengths(ia.merge(runs.group // 2, runs.start, runs.end), len(found))
    for p, (a, b) in enumerate(found):
        ma, mb = spans.merge(a), spans.merge(b)
        both = sizes[2 * p] + sizes[2 * p + 1] - union[p]
        assert both == spans.intersection_length(ma, mb)


@given(pairs)
def test_merge_lengths_and_differences_equal_the_list_functions(
    found: list[tuple[list[Span], list[Span]]],
) -> None:
    check_pairs(found)


def test_fixed_seed_many_groups() -> None:
    rng = random.Random(20261203)
    found = []
    for _ in range(400):
        sides = []
        for _ in range(2):
            sides.append(
                [
                    (s, s + rng.choice([0, 1, 5, 40, 300]))
                    for s in (rng.randrange(0, 2000) for _ in range(rng.randint(0, 12)))
                ]
            )
        if rng.random() < 0.3:  # identical sides, and identical but for one boundary
            sides[1] = list(sides[0])
            if sides[1] and rng.random() < 0.5:
                s, e = sides[1][0]
                sides[1][0] = (s, e + 1)
        found.append((sides[0], sides[1]))
    check_pairs(found)


turns_strategy = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 15)), max_size=10)


@given(st.lists(st.tuples(turns_strategy, st.lists(span, max_size=6)), min_size=1, max_size=4))
def test_touched_equals_the_list_function(
    owners: list[tuple[list[tuple[int, int]], list[Span]]],
) -> None:
    unit_starts: list[int] = []
    unit_ends: list[int] = []
    first = [0]
    merged: list[list[Span]] = []
    for gaps, coded in owners:
        position = 0
        starts, ends = [], []
        for gap, width in gaps:  # sorted, non-overlapping turns, some empty, some with gaps
            starts.append(position + gap)
            ends.append(position + gap + width)
            position += gap + width
        unit_starts += starts
        unit_ends += ends
        first.append(len(unit_starts))
        merged.append(spans.merge(coded))
    runs = ia.merge(*flatten(merged))
    run, unit = ia.touched(
        runs, ia.as_ints(unit_starts), ia.as_ints(unit_ends), ia.as_ints(first), runs.group
    )
    got = {
        (int(runs.group[r]), int(u) - first[int(runs.group[r])])
        for r, u in zip(run, unit, strict=True)
    }
    want = set()
    for k, spans_ in enumerate(merged):
        starts, ends = unit_starts[first[k] : first[k + 1]], unit_ends[first[k] : first[k + 1]]
        want |= {(k, i) for i in spans.touched(spans_, starts, ends)}
    assert got == want


def test_nothing_at_all() -> None:
    empty = ia.as_ints([])
    runs = ia.merge(empty, empty, empty)
    assert runs.group.size == 0
    assert ia.lengths(runs, 3).tolist() == [0, 0, 0]
    assert ia.differences(runs).pair.size == 0
    run, unit = ia.touched(runs, empty, empty, ia.as_ints([0]), empty)
    assert run.size == unit.size == 0
    assert np.array_equal(
        ia.lengths(ia.merge(ia.as_ints([0]), ia.as_ints([5]), ia.as_ints([5])), 1), [0]
    )
