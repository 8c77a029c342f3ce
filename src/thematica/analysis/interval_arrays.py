"""Interval arithmetic of :mod:`thematica.analysis.spans` over numpy arrays, many groups at once.

A *group* is one list of spans (say one coder's spans of one code in one transcript), named by a
non-negative integer. Every function takes flat arrays (``group``, ``start``, ``end``; code
points, end exclusive) and gives what the list functions of :mod:`~thematica.analysis.spans`
give for each group, in integers, with no Python object per span. The results equal theirs
exactly (``tests/analysis/test_interval_arrays.py`` checks them against the list functions).

The trick throughout: within a group sorted by start, "the furthest end so far" is a running
maximum, and adding ``group * stride`` (``stride`` above every offset) to each end lets one
``np.maximum.accumulate`` over all groups restart at every group, since group numbers ascend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def as_ints(values: object) -> Ints:
    return np.asarray(values, dtype=np.int64)


def _stride(*arrays: Ints) -> int:
    """A number above every offset in ``arrays`` (at least 1)."""
    return max([int(a.max()) + 1 for a in arrays if a.size] + [1])


def _check_room(groups: Ints, stride: int) -> None:
    if groups.size and (int(groups.max()) + 1) * stride >= 2**62:
        raise OverflowError("too many groups or too long a text for int64 interval keys")


@dataclass(frozen=True)
class Runs:
    """Merged spans: sorted by (group, start), disjoint and not touching within a group."""

    group: Ints
    start: Ints
    end: Ints


def merge(group: Ints, start: Ints, end: Ints) -> Runs:
    """Per group, :func:`thematica.analysis.spans.merge`: the union as sorted, disjoint
    intervals, touching intervals joined and empty ones (start >= end) dropped."""
    keep = start < end
    group, start, end = group[keep], start[keep], end[keep]
    if not group.size:
        return Runs(group, start, end)
    order = np.lexsort((start, group))
    group, start, end = group[order], start[order], end[order]
    stride = _stride(end)
    _check_room(group, stride)
    base = group * stride
    furthest = np.maximum.accumulate(base + end) - base  # furthest end so far, in the group
    new = np.empty(group.size, dtype=bool)
    new[0] = True
    new[1:] = (group[1:] != group[:-1]) | (start[1:] > furthest[:-1])
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, group.size - 1)
    return Runs(group[first], start[first], furthest[last])


def lengths(runs: Runs, groups: int) -> Ints:
    """Per group ``0 .. groups - 1``, the length of its merged spans (0 where it has none)."""
    sizes = np.bincount(runs.group, weights=runs.end - runs.start, minlength=groups)
    return np.rint(sizes).astype(np.int64)  # whole numbers below 2**53: exact in float64


def touched(
    runs: Runs, unit_starts: Ints, unit_ends: Ints, first_unit: Ints, run_owner: Ints
) -> tuple[Ints, Ints]:
    """Per run, the units (turns) it overlaps, as :func:`thematica.analysis.spans.touched` finds
    them: pairs ``(run index, unit index)``. The units of every owner (transcript) lie in
    ``unit_starts``/``unit_ends`` sorted by owner, then start; owner ``k``'s are
    ``first_unit[k] .. first_unit[k + 1] - 1``; ``run_owner`` is each run's owner."""
    if not runs.group.size:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    owners = np.repeat(np.arange(first_unit.size - 1, dtype=np.int64), np.diff(first_unit))
    stride = _stride(unit_starts, runs.end)
    _check_room(np.append(owners, run_owner), stride)
    keys = owners * stride + unit_starts
    base = run_owner * stride
    lo = np.maximum(np.searchsorted(keys, base + runs.start, "right") - 1, first_unit[run_owner])
    hi = np.searchsorted(keys, base + runs.end, "left")
    count = np.maximum(hi - lo, 0)
    run = np.repeat(np.arange(runs.group.size, dtype=np.int64), count)
    unit = np.arange(run.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count - lo, count)
    hit = unit_ends[unit] > runs.start[run]
    return run[hit], unit[hit]


@dataclass(frozen=True)
class Differences:
    """Where two sides' merged spans differ (:func:`thematica.analysis.spans.differences`).

    One row per differing group of overlapping spans: its ``pair``, ``kind`` (0 only A, 1 only
    B, 2 boundaries), ``start`` and ``end``; its spans are ``item_*[first[i]:first[i] +
    size[i]]``, in (start, end, side) order, ``item_side`` 0 for A and 1 for B."""

    pair: Ints
    kind: Ints
    start: Ints
    end: Ints
    first: Ints
    size: Ints
    item_start: Ints
    item_end: Ints
    item_side: Ints


KINDS = ("only_a", "only_b", "boundaries")


def differences(runs: Runs) -> Differences:
    """Per pair, the differences of its two sides: ``runs.group`` is ``pair * 2 + side``."""
    pair, side = runs.group // 2, runs.group % 2
    order = np.lexsort((side, runs.end, runs.start, pair))
    pair, side, start, end = pair[order], side[order], runs.start[order], runs.end[order]
    n = pair.size
    if not n:
        empty = np.empty(0, np.int64)
        return Differences(*([empty] * 9))
    stride = _stride(end)
    _check_room(pair, stride)
    base = pair * stride
    furthest = np.maximum.accumulate(base + end) - base
    new = np.empty(n, dtype=bool)
    new[0] = True
    new[1:] = (pair[1:] != pair[:-1]) | (start[1:] >= furthest[:-1])
    first = np.flatnonzero(new)
    size = np.diff(np.append(first, n))
    ident = np.cumsum(new) - 1
    groups = first.size
    on_b = np.bincount(ident, weights=side, minlength=groups).astype(np.int64)
    on_a = size - on_b
    same = np.zeros(n, dtype=np.int64)  # an A span followed by the identical B span
    same[:-1] = (
        (start[1:] == start[:-1]) & (end[1:] == end[:-1]) & (side[:-1] == 0) & (side[1:] == 1)
    )
    matched = np.bincount(ident, weights=same, minlength=groups).astype(np.int64)
    differ = ~((on_a == on_b) & (matched == on_a))
    kind = np.where(on_b == 0, 0, np.where(on_a == 0, 1, 2))
    last = first + size - 1
    rows = np.flatnonzero(differ)
    return Differences(
        pair[first][rows],
        kind[rows],
        start[first][rows],
        furthest[last][rows],
        first[rows],
        size[rows],
        start,
        end,
        side,
    )
