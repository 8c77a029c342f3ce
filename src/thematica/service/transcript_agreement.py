"""Agreement between two coders over one transcript, and who there is to compare.

The study report (:func:`thematica.service.analysis.agreement`) gives per-code character
agreement per transcript; a reconciliation screen needs the same figures for one transcript
without computing the whole study. Same arithmetic, same spans, same coefficients: the
per-code character figures equal the study report's for that transcript.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis import coefficients, spans
from thematica.analysis.presence import from_table
from thematica.analysis.reports import (
    PresenceAgreement,
    TranscriptAgreement,
    TranscriptCodeAgreement,
)
from thematica.domain import Level, MemberRole
from thematica.errors import ThematicaError
from thematica.service import transcripts as tx
from thematica.service.analysis import coders_codings
from thematica.service.codebook import member_id
from thematica.storage.models import CodeRow, CodingRow, TeamMemberRow, TranscriptRow, TurnRow


def _presence(a: set[int], b: set[int], units: int) -> PresenceAgreement:
    both = len(a & b)
    result = from_table(both, len(a) - both, len(b) - both, units - len(a | b))
    return PresenceAgreement(units, len(a), len(b), both, result)


def transcript_agreement(
    session: Session, ref: str, coder_a: str, coder_b: str, level: Level
) -> TranscriptAgreement:
    tid = tx.resolve(session, ref)
    a_id, b_id = member_id(session, coder_a), member_id(session, coder_b)
    if a_id == b_id:
        raise ThematicaError("name two different coders")
    team = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    names = (team[a_id], team[b_id])
    index, level_codes, rows = coders_codings(session, [a_id, b_id], level, None, tid)
    per_code: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = defaultdict(
        lambda: ([], [])
    )
    coded: set[int] = set()
    for t, code_id, coder, start, end in rows:
        if t == tid:
            coded.add(coder)
            if code_id in level_codes:
                per_code[code_id][0 if coder == a_id else 1].append((start, end))
    length = session.scalar(select(func.length(TranscriptRow.text)).where(TranscriptRow.id == tid))
    bounds = session.execute(
        select(TurnRow.start_offset, TurnRow.end_offset)
        .where(TurnRow.transcript_id == tid)
        .order_by(TurnRow.start_offset)
    ).all()
    starts, ends = [s for s, _ in bounds], [e for _, e in bounds]
    results: list[TranscriptCodeAgreement] = []
    pooled = [0, 0, 0, 0]
    for code_id in sorted(per_code, key=lambda c: index.paths[c]):
        ma, mb = (spans.merge(side) for side in per_code[code_id])
        both = spans.intersection_length(ma, mb)
        characters = coefficients.character_agreement(
            length or 0, both, spans.length(ma) - both, spans.length(mb) - both
        )
        turns = _presence(
            spans.touched(ma, starts, ends), spans.touched(mb, starts, ends), len(starts)
        )
        t_both = turns.coded_by_both
        pooled[0] += t_both
        pooled[1] += turns.coded_by_a - t_both
        pooled[2] += turns.coded_by_b - t_both
        pooled[3] += turns.units - turns.coded_by_a - turns.coded_by_b + t_both
        results.append(
            TranscriptCodeAgreement(
                index.paths[code_id], characters, turns, len(spans.differences(ma, mb))
            )
        )
    pooled_turns = PresenceAgreement(
        sum(pooled), pooled[0] + pooled[1], pooled[0] + pooled[2], pooled[0], from_table(*pooled)
    )
    method = (
        f"Level-{int(level)} codings by {names[0]} (A) and {names[1]} (B) in this transcript; "
        "codes neither coder applied here are not listed.",
        "Characters (NVivo's method): over every character of the transcript (code points); "
        "the pooled row sums the code x character tables.",
        "Turns: is the code present in the speaker turn? The pooled row treats every "
        "(turn, code) pair as a unit.",
    )
    return TranscriptAgreement(
        names[0],
        names[1],
        level,
        tid,
        tx.participant_labels(session).get(tid),
        length or 0,
        len(starts),
        a_id in coded,
        b_id in coded,
        tuple(results),
        coefficients.aggregate([r.characters for r in results]),
        pooled_turns,
        sum(r.disagreements for r in results),
        method,
    )


def coders_with_codings(session: Session, level: Level) -> tuple[str, ...]:
    """Leads and coders who have codings at ``level``, in team order."""
    rows = session.execute(
        select(TeamMemberRow.name)
        .where(
            TeamMemberRow.role.in_([MemberRole.LEAD.value, MemberRole.CODER.value]),
            TeamMemberRow.id.in_(
                select(CodingRow.coder_id)
                .join(CodeRow, CodeRow.id == CodingRow.code_id)
                .where(CodeRow.level == int(level))
            ),
        )
        .order_by(TeamMemberRow.id)
    ).scalars()
    return tuple(rows)
