"""Two coders over every code at once: :func:`thematica.service.analysis.kernel.compare` for
each code, from the arrays of :mod:`~thematica.service.analysis.kernel_arrays`.

Codes are numbered in path order (``c``) and transcripts in id order (``t``); a *pair* is
``c * T + t`` and a coder's spans of a pair form the group ``pair * 2 + side`` (A 0, B 1). The
character tables need |A|, |B| and |A ∩ B| = |A| + |B| - |A or B| per pair; presence needs the
participants and turns each side touched, per code; disagreements are the differing groups of
overlapping spans. Their text is sliced only by :func:`disagreements`, which the caller invokes
when it is to be shown.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from thematica.analysis import character_arrays, interval_arrays
from thematica.analysis.coefficients import CharacterAgreement, Convention
from thematica.analysis.coefficients import from_table as coefficients_from_table
from thematica.analysis.interval_arrays import Runs
from thematica.analysis.reports import Disagreement, PresenceAgreement
from thematica.analysis.source_units import intersection
from thematica.service.analysis.kernel_arrays import CodingArrays

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Compared:
    """Every code's figures (codes in path order)."""

    codes: list[int]
    characters: list[list[tuple[int, CharacterAgreement]]]  # per code: (transcript, its table)
    participants: list[PresenceAgreement]
    turns: list[PresenceAgreement]
    differences: interval_arrays.Differences  # pairs are c * T + t


def presence(a: int, b: int, both: int, units: int) -> PresenceAgreement:
    """:func:`thematica.service.analysis.kernel.presence` from the counts alone."""
    return PresenceAgreement(
        units, a, b, both, coefficients_from_table(both, a - both, b - both, units - (a + b - both))
    )


def _distinct(keys: Ints, space: int) -> Ints:
    """The distinct values of ``keys`` (each in ``0 .. space - 1``), sorted."""
    if space <= 8 * keys.size + 1_000_000:  # a flag per possible value: no sort, no hashing
        flags = np.zeros(space, dtype=bool)
        flags[keys] = True
        return np.flatnonzero(flags).astype(np.int64)
    return np.unique(keys)


def _presences(
    found_a: Ints, found_b: Ints, width: int, codes: int, units: int
) -> list[PresenceAgreement]:
    """Per code, presence over ``units``; ``found_a``/``found_b``: each side's distinct
    ``code * width + unit``, sorted."""
    at = np.minimum(np.searchsorted(found_a, found_b), max(found_a.size - 1, 0))
    in_both = found_b[found_a[at] == found_b] if found_a.size else found_a
    n_a = np.bincount(found_a // width, minlength=codes).tolist()
    n_b = np.bincount(found_b // width, minlength=codes).tolist()
    n_both = np.bincount(in_both // width, minlength=codes).tolist()
    return [presence(a, b, both, units) for a, b, both in zip(n_a, n_b, n_both, strict=True)]


def _spans_of(runs: Runs, group: int) -> list[tuple[int, int]]:
    lo, hi = np.searchsorted(runs.group, [group, group + 1])
    return list(zip(runs.start[lo:hi].tolist(), runs.end[lo:hi].tolist(), strict=True))


def compare(data: CodingArrays, a: int, b: int, convention: Convention = "applied") -> Compared:
    """Coders ``a`` and ``b`` on every code of ``data``, as ``kernel.compare`` gives each."""
    codes = data.codes()
    count_c, count_t = len(codes), len(data.transcripts)
    transcripts = np.array(data.transcripts, dtype=np.int64)
    rank = np.zeros(int(data.code.max()) + 1 if data.code.size else 1, dtype=np.int64)
    rank[np.array(codes, dtype=np.int64)] = np.arange(count_c)
    pair = rank[data.code] * count_t + np.searchsorted(transcripts, data.transcript)
    side = (data.coder == b).astype(np.int64)
    mine = (data.coder == a) | (data.coder == b)
    pair, side, start, end = pair[mine], side[mine], data.start[mine], data.end[mine]
    pairs = count_c * count_t
    sources = np.arange(pairs, dtype=np.int64) if convention == "nvivo" else _distinct(pair, pairs)
    runs = interval_arrays.merge(pair * 2 + side, start, end)
    sizes = interval_arrays.lengths(runs, pairs * 2)
    in_a, in_b = sizes[0::2][sources], sizes[1::2][sources]
    union = interval_arrays.lengths(
        interval_arrays.merge(runs.group // 2, runs.start, runs.end), pairs
    )
    both = in_a + in_b - union[sources]
    lengths = np.array([data.lengths[t] for t in data.transcripts], dtype=np.int64)
    total = lengths[sources % count_t] if count_t else np.zeros(0, np.int64)
    if convention == "nvivo" and data.source_units:
        weighed = [
            i
            for i, p in enumerate(sources.tolist())
            if data.transcripts[p % count_t] in data.source_units
        ]
        for i in weighed:
            p = int(sources[i])
            weights = data.source_units[data.transcripts[p % count_t]]
            ma, mb = _spans_of(runs, 2 * p), _spans_of(runs, 2 * p + 1)
            total[i], both[i] = weights.length, weights.total(intersection(ma, mb))
            in_a[i], in_b[i] = weights.total(ma), weights.total(mb)
    results = character_arrays.tables(total, both, in_a - both, in_b - both, convention)
    tids = [data.transcripts[p % count_t] for p in sources.tolist()]
    bounds = np.searchsorted(sources, np.arange(count_c + 1) * count_t).tolist()
    characters = [
        list(zip(tids[lo:hi], results[lo:hi], strict=True)) for lo, hi in itertools.pairwise(bounds)
    ]
    run_pair, run_side = runs.group // 2, runs.group % 2
    run_code, run_t = run_pair // max(count_t, 1), run_pair % max(count_t, 1)
    unit_ids: dict[int | str, int] = {}
    unit_of = np.array(
        [unit_ids.setdefault(data.unit_of[t], len(unit_ids)) for t in data.transcripts],
        dtype=np.int64,
    )
    width = max(len(unit_ids), 1)
    space = count_c * width
    unit_key = run_code * width + unit_of[run_t]
    participants = _presences(
        _distinct(unit_key[run_side == 0], space),
        _distinct(unit_key[run_side == 1], space),
        width,
        count_c,
        data.participants(),
    )
    run, turn = interval_arrays.touched(
        runs, data.turn_starts, data.turn_ends, data.first_turn, run_t
    )
    # runs are sorted by group, and a group's touched turns ascend: repeats are neighbours
    group = runs.group[run]
    new = np.ones(run.size, dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (turn[1:] != turn[:-1])
    turn_width = max(int(data.turn_starts.size), 1)
    turn_key = run_code[run[new]] * turn_width + turn[new]  # per side: distinct, ascending
    turn_side = run_side[run[new]]
    turns = _presences(
        turn_key[turn_side == 0],
        turn_key[turn_side == 1],
        turn_width,
        count_c,
        int(data.turn_starts.size),
    )
    return Compared(codes, characters, participants, turns, interval_arrays.differences(runs))


def disagreements(data: CodingArrays, found: Compared, texts: dict[int, str]) -> list[Disagreement]:
    """Every disagreement with its text, by transcript, start, then code (the report's order).
    ``texts``: the text of every transcript with a disagreement (:func:`transcripts_with`)."""
    d = found.differences
    count_t = max(len(data.transcripts), 1)
    code, t = d.pair // count_t, d.pair % count_t
    order = np.lexsort((code, d.start, t))
    # each group's spans, A's then B's, each in (start, end) order: a stable sort by side
    group = np.repeat(np.arange(d.first.size), d.size)
    at = (
        np.repeat(d.first, d.size)
        + np.arange(group.size)
        - np.repeat(np.cumsum(d.size) - d.size, d.size)
    )
    items = at[np.lexsort((d.item_side[at], group))]
    spans = list(zip(d.item_start[items].tolist(), d.item_end[items].tolist(), strict=True))
    on_a = np.bincount(group, weights=d.item_side[at] == 0, minlength=d.first.size).astype(np.int64)
    lo = (np.cumsum(d.size) - d.size)[order].tolist()
    mid = (np.cumsum(d.size) - d.size + on_a)[order].tolist()
    hi = np.cumsum(d.size)[order].tolist()
    paths = [data.index.paths[c] for c in found.codes]
    kinds, labels = interval_arrays.KINDS, data.labels
    tids = [data.transcripts[i] for i in t[order].tolist()]
    out: list[Disagreement] = []
    for tid, c, k, s, e, x, y, z in zip(
        tids,
        code[order].tolist(),
        d.kind[order].tolist(),
        d.start[order].tolist(),
        d.end[order].tolist(),
        lo,
        mid,
        hi,
        strict=True,
    ):
        out.append(
            Disagreement(
                tid,
                labels.get(tid),
                paths[c],
                kinds[k],
                s,
                e,
                texts[tid][s:e],
                tuple(spans[x:y]),
                tuple(spans[y:z]),
            )
        )
    return out


def transcripts_with(data: CodingArrays, found: Compared) -> list[int]:
    """The transcripts where the coders disagree somewhere (whose text the report quotes)."""
    t = np.unique(found.differences.pair % max(len(data.transcripts), 1))
    return [data.transcripts[i] for i in t.tolist()]
