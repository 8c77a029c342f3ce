"""The attribute matrix's cells over arrays against the walk it replaced (issue 15), kept here as
the reference: for any (participant, code) pairs, groups and rows (rows sharing codes, codes
no one used, groups no one in a row belongs to), the same distinct participants and codings
per row and group (Hypothesis)."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.matrix_arrays import cells

Cells = list[list[tuple[int, int]]]


def reference(
    pairs: dict[tuple[int, int], int], group_of: list[int], groups: int, rows: list[set[int]]
) -> Cells:
    """The loop of ``service/analysis/matrix.py`` before issue 15: per row, every code's pairs."""
    by_code: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (person, code), n in pairs.items():
        by_code[code].append((person, n))
    out = []
    for code_set in rows:
        seen: dict[int, set[int]] = defaultdict(set)
        codings: Counter[int] = Counter()
        for code in code_set:
            for person, n in by_code.get(code, ()):
                seen[group_of[person]].add(person)
                codings[group_of[person]] += n
        out.append([(len(seen[g]), codings[g]) for g in range(groups)])
    return out


def arrays(
    pairs: dict[tuple[int, int], int], group_of: list[int], groups: int, rows: list[set[int]]
) -> Cells:
    people = np.array([p for p, _c in pairs], dtype=np.int64)
    codes = np.array([c for _p, c in pairs], dtype=np.int64)
    counts = np.array(list(pairs.values()), dtype=np.int64)
    seen, codings = cells(people, codes, counts, np.array(group_of, dtype=np.int64), groups, rows)
    assert seen.shape == codings.shape == (len(rows), groups)
    return [
        [(int(seen[r, g]), int(codings[r, g])) for g in range(groups)] for r in range(len(rows))
    ]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[dict[tuple[int, int], int], list[int], int, list[set[int]]]:
    groups = draw(st.integers(1, 4))
    group_of = draw(st.lists(st.integers(0, groups - 1), min_size=1, max_size=12))
    people = len(group_of)
    pairs = draw(
        st.dictionaries(
            st.tuples(st.integers(0, people - 1), st.integers(1, 9)),
            st.integers(1, 5),
            max_size=40,
        )
    )
    rows = draw(st.lists(st.sets(st.integers(0, 11), max_size=6), max_size=8))
    return pairs, group_of, groups, rows


@settings(max_examples=300, derandomize=True, deadline=None)
@given(worlds())
def test_cells_match_the_walk(
    world: tuple[dict[tuple[int, int], int], list[int], int, list[set[int]]],
) -> None:
    assert arrays(*world) == reference(*world)


def test_a_participant_counts_once_per_row_however_many_codes() -> None:
    pairs = {(0, 1): 2, (0, 2): 3, (1, 2): 1}
    # row 0 holds both codes: participant 0 once, their 5 codings; participant 1 in group 1
    assert arrays(pairs, [0, 1], 2, [{1, 2}, {1}, set()]) == [
        [(1, 5), (1, 1)],
        [(1, 2), (0, 0)],
        [(0, 0), (0, 0)],
    ]


def test_nothing_coded() -> None:
    assert arrays({}, [0, 0], 1, [{1}]) == [[(0, 0)]]
