"""Saturation as interviews go on: new codes per interview in interview order, Guest, Namey &
Chen (2020) and Francis et al. (2010) (docs/methods.md#thematic-saturation)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.analysis import saturation, saturation_arrays
from thematica.analysis.reports import InterviewStep, SaturationReport
from thematica.domain import Level
from thematica.errors import ThematicaError
from thematica.service import transcripts as tx
from thematica.service.analysis.common import coder_ids, coder_names
from thematica.storage.models import CodeRow, CodingRow


def saturation_report(
    session: Session,
    level: Level,
    coders: Sequence[str] = (),
    order: Sequence[str] = (),
    base: int = 4,
    run: int = 2,
    threshold: float = 0.05,
    initial: int = 10,
    stop: int = 3,
) -> SaturationReport:
    if not 0 <= threshold < 1:  # also false for NaN
        raise ThematicaError(
            f"the new-information threshold must be at least 0 and below 1, not {threshold}"
        )
    if base < 1 or run < 1 or initial < 1 or stop < 1:
        raise ThematicaError(
            "base, run, initial and stop are whole numbers of interviews, at least 1"
        )
    ids = coder_ids(session, coders)
    query = (  # along ix_codings_code_transcript: only the level's codings are read
        select(CodingRow.code_id, CodingRow.transcript_id)
        .where(CodingRow.code_id.in_(select(CodeRow.id).where(CodeRow.level == int(level))))
        .distinct()
    )
    if ids:
        query = query.where(CodingRow.coder_id.in_(ids))
    flat = itertools.chain.from_iterable(session.connection().execute(query))  # Core rows
    pairs = np.fromiter(flat, dtype=np.int64).reshape(-1, 2)  # distinct (code, transcript)
    summaries = {s.id: s for s in tx.summaries(session)}
    size = max(summaries, default=0) + 1  # a coding's transcript is one of them
    codes_of = np.bincount(pairs[:, 1], minlength=size).tolist()  # transcript -> its codes
    if order:
        sequence = [tx.resolve(session, ref) for ref in order]
        if len(set(sequence)) != len(sequence):
            raise ThematicaError("--order names a transcript twice")
        how = "the order given"
    else:
        sequence = sorted(
            summaries,
            key=lambda t: (
                summaries[t].interview_date is None,
                summaries[t].interview_date or 0,
                t,
            ),
        )
        how = "interview date (then import order)"
    coded = [t for t in sequence if codes_of[t]]
    ordered = set(sequence)
    waiting = tuple(
        summaries[t].participant or summaries[t].source_name for t in sequence if not codes_of[t]
    ) + tuple(  # transcripts the --order left out are named, never silently dropped
        f"{summaries[t].participant or summaries[t].source_name} (not in the order given)"
        for t in summaries
        if t not in ordered
    )
    position = np.full(len(codes_of), -1, dtype=np.int64)
    position[np.asarray(coded, dtype=np.int64)] = np.arange(len(coded), dtype=np.int64)
    at = position[pairs[:, 1]]
    counted = at >= 0  # transcripts in the sequence
    new = saturation_arrays.new_per_interview(pairs[counted, 0], at[counted], len(coded))
    cumulative = saturation.cumulative(new)
    steps = tuple(
        InterviewStep(
            i + 1,
            t,
            summaries[t].participant,
            summaries[t].interview_date,
            codes_of[t],
            new[i],
            cumulative[i],
        )
        for i, t in enumerate(coded)
    )
    names = coder_names(session, ids)
    method = (
        f"Unique level-{int(level)} codes applied by {', '.join(names) if names else 'any coder'}, "
        f"interviews in {how}; interviews not yet coded are left out.",
        "Guest, Namey & Chen (2020): base size, run length and new-information threshold; the denominator is "
        "fixed at the codes in the base; runs overlap, shifting by one interview; reported as n+r.",
        "Francis et al. (2010): after the initial analysis sample, saturation when as many consecutive "
        "interviews as the stopping criterion add no new code.",
    )
    return SaturationReport(
        level,
        names,
        how,
        steps,
        waiting,
        saturation.guest(new, base, run, threshold),
        saturation.francis(new, initial, stop),
        method,
    )
