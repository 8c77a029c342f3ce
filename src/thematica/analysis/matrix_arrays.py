"""The attribute matrix's cells over arrays: per row (a theme node or code, standing for a set
of codes) and group of participants, how many distinct participants have a coding of one of
the row's codes, and how many codings that is.

The report (``service/analysis/matrix.py``) once walked every (participant, code) pair of every
row in Python; at 3,000 transcripts that grew faster than the study (issue 15). Here the pairs
of all rows are gathered in one array operation, each participant is marked once per row in a
row-by-participant table of booleans, and the cells are its sums per group, so the work is the
number of pairs the rows cover plus the size of that table. ``tests/analysis/
test_matrix_arrays.py`` checks the cells against the walk it replaces, kept there as the
reference.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def cells(
    people: Ints,
    codes: Ints,
    counts: Ints,
    group_of: Ints,
    groups: int,
    rows: Sequence[Collection[int]],
) -> tuple[Ints, Ints]:
    """(participants, codings), each ``len(rows)`` by ``groups``.

    ``people``, ``codes``, ``counts``: one element per (participant, code) pair, each pair at
    most once, ``people`` as indices 0..n-1 into ``group_of``, which holds each participant's
    group index (0..``groups``-1). ``rows``: the code ids each row counts."""
    shape = (len(rows), groups)
    if not len(people) or not rows or not groups:
        return np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    people, codes, counts = people[order], codes[order], counts[order]
    present, first, size = np.unique(codes, return_index=True, return_counts=True)
    where = {int(c): (int(f), int(n)) for c, f, n in zip(present, first, size, strict=True)}
    row_of: list[int] = []
    starts: list[int] = []
    lengths: list[int] = []
    for r, code_set in enumerate(rows):  # the rows' codes: the codebook's size, not the data's
        for code in code_set:
            found = where.get(code)
            if found is not None:
                row_of.append(r)
                starts.append(found[0])
                lengths.append(found[1])
    if not row_of:
        return np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    length = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(length)
    # every pair each row covers: the runs of its codes, laid end to end
    at = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(
        np.asarray(starts, dtype=np.int64) - (ends - length), length
    )
    row = np.repeat(np.asarray(row_of, dtype=np.int64), length)
    person, group = people[at], group_of[people[at]]
    codings = np.bincount(row * groups + group, weights=counts[at], minlength=len(rows) * groups)
    seen = np.zeros((len(rows), len(group_of)), dtype=bool)
    seen[row, person] = True  # a participant once per row, however many of its codes they have
    by_group = np.zeros((len(group_of), groups), dtype=np.float64)
    by_group[np.arange(len(group_of)), group_of] = 1.0
    participants = seen.astype(np.float64) @ by_group  # sums of 0s and 1s: exact in floats
    return np.rint(participants).astype(np.int64), codings.astype(np.int64).reshape(shape)


__all__ = ["cells"]
