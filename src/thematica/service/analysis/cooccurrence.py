"""Co-occurrence: codes whose codings touch the same speaker turn, with the Jaccard index, and
codings whose spans overlap."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis.reports import CooccurrencePair, CooccurrenceReport
from thematica.domain import Level
from thematica.service.analysis.common import coder_ids
from thematica.service.codebook import CodeIndex
from thematica.storage.models import CodeRow, CodingRow, TurnRow


def cooccurrence(session: Session, level: Level, coders: Sequence[str] = ()) -> CooccurrenceReport:
    ids = coder_ids(session, coders)
    index = CodeIndex.load(session)
    query = (
        select(
            CodingRow.transcript_id, CodingRow.code_id, CodingRow.start_offset, CodingRow.end_offset
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level))
        .order_by(CodingRow.transcript_id, CodingRow.start_offset)
    )
    if ids:
        query = query.where(CodingRow.coder_id.in_(ids))
    rows = session.execute(query).all()
    tids = sorted({r[0] for r in rows})
    bounds: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for tid, start, end in session.execute(
        select(TurnRow.transcript_id, TurnRow.start_offset, TurnRow.end_offset)
        .where(TurnRow.transcript_id.in_(tids))
        .order_by(TurnRow.transcript_id, TurnRow.start_offset)
    ):
        bounds[tid][0].append(start)
        bounds[tid][1].append(end)
    turns_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    codes_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    overlapping: Counter[tuple[int, int]] = Counter()
    by_transcript: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for tid, code_id, start, end in rows:
        starts, ends = bounds[tid]
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
                    overlapping[tuple(sorted((code_id, other)))] += 1  # type: ignore[index]
            active.append((end, code_id))
    together: Counter[tuple[int, int]] = Counter()
    for present in codes_at.values():
        for pair in combinations(sorted(present), 2):
            together[pair] += 1
    pairs = []
    for (a, b), both in together.items():
        either = len(turns_of[a]) + len(turns_of[b]) - both
        pairs.append(
            CooccurrencePair(
                index.paths[a],
                index.paths[b],
                both,
                either,
                both / either,
                overlapping.get((a, b), 0),
            )
        )
    pairs.sort(key=lambda p: (-p.turns_both, -p.jaccard, p.a, p.b))
    total_turns = session.scalar(select(func.count()).select_from(TurnRow)) or 0
    method = (
        f"Level-{int(level)} codes. Two codes co-occur in a speaker turn when codings of both touch it. "
        "Jaccard = turns with both / turns with either. Overlapping codings: pairs of codings of the two codes "
        "whose spans overlap.",
    )
    return CooccurrenceReport(level, total_turns, tuple(pairs), method)
