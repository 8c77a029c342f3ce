"""Interval arithmetic on coded spans (code points, end exclusive).

Character-level agreement needs |A|, |B| and |A ∩ B| for two coders' spans of one code in one
transcript. Computed on merged, sorted intervals in O(n log n), never with per-character arrays.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Interval = tuple[int, int]


def merge(spans: Iterable[Interval]) -> list[Interval]:
    """The union of ``spans`` as sorted, disjoint intervals (touching intervals join)."""
    out: list[Interval] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def length(merged: Sequence[Interval]) -> int:
    return sum(end - start for start, end in merged)


def intersection_length(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """|A ∩ B| for two merged interval lists (two pointers)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class Difference:
    """A stretch of text where two coders' spans of one code differ.

    ``kind``: ``"only_a"`` (A coded it, B did not), ``"only_b"``, or ``"boundaries"`` (both
    coded it, with different start or end). ``start``/``end`` cover both coders' spans.
    """

    kind: str
    start: int
    end: int
    a: tuple[Interval, ...]
    b: tuple[Interval, ...]


def differences(a: Sequence[Interval], b: Sequence[Interval]) -> list[Difference]:
    """Group overlapping spans of the two merged lists and report every group that differs."""
    tagged = sorted([(s, e, 0) for s, e in a] + [(s, e, 1) for s, e in b])
    out: list[Difference] = []
    group: list[tuple[int, int, int]] = []
    group_end = -1
    for item in [*tagged, (10**18, 10**18, -1)]:
        if group and item[0] >= group_end:
            a_side = tuple((s, e) for s, e, who in group if who == 0)
            b_side = tuple((s, e) for s, e, who in group if who == 1)
            if a_side != b_side:
                kind = "only_a" if not b_side else "only_b" if not a_side else "boundaries"
                out.append(Difference(kind, group[0][0], group_end, a_side, b_side))
            group = []
        if item[2] == -1:
            break
        group.append(item)
        group_end = max(group_end, item[1]) if len(group) > 1 else item[1]
    return out


def touched(merged: Sequence[Interval], starts: Sequence[int], ends: Sequence[int]) -> set[int]:
    """Indexes of the units (turns) that any interval overlaps. ``starts``/``ends`` are the
    units' sorted, non-overlapping boundaries."""
    hit: set[int] = set()
    for s, e in merged:
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        while i < len(starts) and starts[i] < e:
            if ends[i] > s:
                hit.add(i)
            i += 1
    return hit
