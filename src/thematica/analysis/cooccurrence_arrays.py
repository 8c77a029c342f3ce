"""Co-occurrence over arrays: which codes share speaker turns, and whose codings overlap.

The report (``service/analysis/cooccurrence.py``) once walked every coding in Python, turn by
turn and coding by coding: about 2 s for 200,000 codings. Here every step is an array operation
(issue 15), with the same definitions:

* a coding *touches* a turn when their spans overlap (:func:`interval_arrays.touched`);
* two codes *co-occur in a turn* when codings of both touch it; each code's turns are counted
  once, however many of its codings touch them;
* two codings *overlap* when their spans share a code point in the same transcript; every such
  pair of codings of two different codes is counted once.

``tests/analysis/test_cooccurrence_arrays.py`` checks the figures against the per-coding walk
it replaces, kept there as the reference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from thematica.analysis import interval_arrays
from thematica.analysis.interval_arrays import Runs

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CodePairs:
    """Every pair of codes (indices ``a < b``) that co-occur in at least one turn."""

    a: Ints
    b: Ints
    both: Ints  # turns touched by codings of both
    either: Ints  # turns touched by codings of either
    overlapping: Ints  # pairs of their codings whose spans overlap


def _later_partners(group_end: Ints) -> tuple[Ints, Ints]:
    """For items ``0 .. n - 1`` where item ``p``'s partners are ``p + 1 .. group_end[p] - 1``,
    every pair ``(p, q)`` as two arrays."""
    count = np.maximum(group_end - np.arange(group_end.size) - 1, 0)
    left = np.repeat(np.arange(group_end.size, dtype=np.int64), count)
    offset = np.arange(left.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return left, left + 1 + offset


def _pair_counts(first: Ints, second: Ints, codes: int) -> tuple[Ints, Ints]:
    """The distinct unordered code pairs (as ``low * codes + high``) and how often each occurs;
    pairs of a code with itself are left out."""
    keep = first != second
    low = np.minimum(first[keep], second[keep])
    high = np.maximum(first[keep], second[keep])
    keys, counts = np.unique(low * codes + high, return_counts=True)
    return keys, counts.astype(np.int64)


def code_pairs(
    transcript: Ints,
    code: Ints,
    start: Ints,
    end: Ints,
    turn_starts: Ints,
    turn_ends: Ints,
    first_turn: Ints,
    codes: int,
) -> CodePairs:
    """The pairs of codes over codings given as columns: ``transcript`` (an index ``k`` whose
    turns are ``first_turn[k] .. first_turn[k + 1] - 1`` of ``turn_starts``/``turn_ends``,
    sorted by start), ``code`` (an index below ``codes``), ``start`` and ``end``."""
    turns = max(int(turn_starts.size), 1)
    run, turn = interval_arrays.touched(
        Runs(code, start, end), turn_starts, turn_ends, first_turn, transcript
    )
    present = np.unique(code[run] * turns + turn)  # each code's turns, once
    present_code, present_turn = present // turns, present % turns
    per_code = np.bincount(present_code, minlength=codes).astype(np.int64)
    order = np.lexsort((present_code, present_turn))  # by turn, then code
    by_turn, code_there = present_turn[order], present_code[order]
    left, right = _later_partners(np.searchsorted(by_turn, by_turn, "right"))
    together, both = _pair_counts(code_there[left], code_there[right], codes)
    # overlapping codings: sorted by transcript and start, coding p overlaps every later coding
    # that starts before p ends (their ends are later than p's start: spans are not empty)
    stride = max(int(end.max()) + 1 if end.size else 1, 1)
    key_start, key_end = transcript * stride + start, transcript * stride + end
    order = np.argsort(key_start, kind="stable")
    sorted_start = key_start[order]
    left, right = _later_partners(np.searchsorted(sorted_start, key_end[order], "left"))
    overlap_keys, overlap_counts = _pair_counts(code[order][left], code[order][right], codes)
    overlapping = np.zeros(together.size, dtype=np.int64)
    if overlap_keys.size:
        at = np.minimum(np.searchsorted(overlap_keys, together), overlap_keys.size - 1)
        found = overlap_keys[at] == together
        overlapping[found] = overlap_counts[at[found]]
    a, b = together // codes, together % codes
    return CodePairs(a, b, both, per_code[a] + per_code[b] - both, overlapping)
