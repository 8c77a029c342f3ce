"""Co-occurrence: codes whose codings touch the same speaker turn, with the Jaccard index, and
codings whose spans overlap (computed over arrays: :mod:`thematica.analysis.cooccurrence_arrays`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis import cooccurrence_arrays
from thematica.analysis.reports import CooccurrencePair, CooccurrenceReport
from thematica.domain import Level
from thematica.service.analysis.common import coder_ids
from thematica.service.analysis.kernel_arrays import fetch, turn_columns
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
    )
    if ids:
        query = query.where(CodingRow.coder_id.in_(ids))
    rows = np.array(fetch(session, query), dtype=np.int64).reshape(-1, 4)
    tids, transcript = np.unique(rows[:, 0], return_inverse=True)
    code_ids, code = np.unique(rows[:, 1], return_inverse=True)
    turns = turn_columns(session, tids.tolist())
    first_turn = np.searchsorted(turns[:, 0], np.append(tids, np.iinfo(np.int64).max))
    found = cooccurrence_arrays.code_pairs(
        transcript.astype(np.int64),
        code.astype(np.int64),
        rows[:, 2],
        rows[:, 3],
        turns[:, 1],
        turns[:, 2],
        first_turn,
        int(code_ids.size),
    )
    paths = [index.paths[int(c)] for c in code_ids.tolist()]
    pairs = [
        CooccurrencePair(paths[a], paths[b], both, either, both / either, overlapping)
        for a, b, both, either, overlapping in zip(
            found.a.tolist(),
            found.b.tolist(),
            found.both.tolist(),
            found.either.tolist(),
            found.overlapping.tolist(),
            strict=True,
        )
    ]
    pairs.sort(key=lambda p: (-p.turns_both, -p.jaccard, p.a, p.b))
    total_turns = session.scalar(select(func.count()).select_from(TurnRow)) or 0
    method = (
        f"Level-{int(level)} codes. Two codes co-occur in a speaker turn when codings of both touch it. "
        "Jaccard = turns with both / turns with either. Overlapping codings: pairs of codings of the two codes "
        "whose spans overlap.",
    )
    return CooccurrenceReport(level, total_turns, tuple(pairs), method)
