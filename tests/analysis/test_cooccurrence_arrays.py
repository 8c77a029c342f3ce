"""Co-occurrence over arrays against the per-coding walk it replaced (issue 15), kept here as
the reference: the same pairs, turns with both, turns with either and overlapping codings, for
any codings over any turns (Hypothesis), touching, nested, repeated and across the blank lines
between turns."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.cooccurrence_arrays import code_pairs

Pairs = dict[tuple[int, int], tuple[int, int, int]]


def reference(
    codings: list[tuple[int, int, int, int]], turns: dict[int, list[tuple[int, int]]]
) -> Pairs:
    """The walk of ``service/analysis/cooccurrence.py`` before issue 15, over plain lists:
    ``codings`` as (transcript, code, start, end), ``turns`` per transcript sorted by start."""
    turns_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    codes_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    overlapping: Counter[tuple[int, int]] = Counter()
    by_transcript: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for tid, code_id, start, end in sorted(codings, key=lambda r: (r[0], r[2])):
        starts = [s for s, _ in turns[tid]]
        ends = [e for _, e in turns[tid]]
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i < len(starts) and starts[i] < end:
            if ends[i] > start:
                turns_of[code_id].add((tid, i))
                codes_at[(tid, i)].add(code_id)
            i += 1
        by_transcript[tid].append((start, end, code_id))
    for items in by_transcript.values():
        active: list[tuple[int, int]] = []
        for start, end, code_id in items:
            active = [(e, c) for e, c in active if e > start]
            for _e, other in active:
                if other != code_id:
                    low, high = sorted((code_id, other))
                    overlapping[(low, high)] += 1
            active.append((end, code_id))
    together: Counter[tuple[int, int]] = Counter()
    for present in codes_at.values():
        for pair in combinations(sorted(present), 2):
            together[pair] += 1
    return {
        (a, b): (both, len(turns_of[a]) + len(turns_of[b]) - both, overlapping.get((a, b), 0))
        for (a, b), both in together.items()
    }


def with_arrays(
    codings: list[tuple[int, int, int, int]], turns: dict[int, list[tuple[int, int]]]
) -> Pairs:
    tids = sorted(turns)
    rows = np.array(codings, dtype=np.int64).reshape(-1, 4)
    flat = [(t, s, e) for t in tids for s, e in turns[t]]
    turn_rows = np.array(flat, dtype=np.int64).reshape(-1, 3)
    first = np.searchsorted(turn_rows[:, 0], np.append(tids, np.iinfo(np.int64).max))
    found = code_pairs(
        np.searchsorted(tids, rows[:, 0]).astype(np.int64),
        rows[:, 1],
        rows[:, 2],
        rows[:, 3],
        turn_rows[:, 1],
        turn_rows[:, 2],
        first,
        int(rows[:, 1].max()) + 1 if len(codings) else 1,
    )
    return {
        (a, b): (both, either, over)
        for a, b, both, either, over in zip(
            found.a.tolist(),
            found.b.tolist(),
            found.both.tolist(),
            found.either.tolist(),
            found.overlapping.tolist(),
            strict=True,
        )
    }


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[tuple[int, int, int, int]], dict[int, list]]:
    """A few transcripts, each a run of turns separated by a two-character blank line, and
    codings of up to five codes anywhere in them (in turns, across turns, in the gaps)."""
    turns: dict[int, list[tuple[int, int]]] = {}
    for tid in draw(st.sets(st.integers(1, 40), min_size=1, max_size=4)):
        at, mine = 0, []
        for length in draw(st.lists(st.integers(0, 12), min_size=1, max_size=6)):
            mine.append((at, at + length))
            at += length + 2
        turns[tid] = mine
    codings = []
    for _ in range(draw(st.integers(0, 25))):
        tid = draw(st.sampled_from(sorted(turns)))
        length = turns[tid][-1][1] + 2
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, length))
        codings.append((tid, draw(st.integers(0, 4)), start, end))
    return codings, turns


@settings(max_examples=400, deadline=None)
@given(studies())
def test_the_arrays_give_the_walks_figures(study: tuple[list, dict]) -> None:
    codings, turns = study
    assert with_arrays(codings, turns) == reference(codings, turns)


def test_a_worked_example() -> None:
    """Turns [0, 10) and [12, 20). Code 0 over 2-5 and 14-16, code 1 over 4-8 (overlapping
    code 0's first coding), code 2 over 15-18 (overlapping code 0's second): codes 0 and 1
    share turn 0, codes 0 and 2 turn 1; code 0 is in two turns, 1 and 2 in one each."""
    turns = {1: [(0, 10), (12, 20)]}
    codings = [(1, 0, 2, 5), (1, 1, 4, 8), (1, 0, 14, 16), (1, 2, 15, 18)]
    assert with_arrays(codings, turns) == {(0, 1): (1, 2, 1), (0, 2): (1, 2, 1)}
