"""Agreement between two coders over one transcript, and who there is to compare.

The study report (:func:`thematica.service.analysis.agreement`) gives per-code character
agreement per transcript; the analysis pages and the reconciliation screen need the same figures
for one transcript without computing the whole study. Both come from the agreement kernel
(:mod:`thematica.service.analysis.kernel`): the same load, the same comparison, so the per-code
character figures equal the study report's for that transcript.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.analysis import coefficients
from thematica.analysis.reports import TranscriptAgreement, TranscriptCodeAgreement
from thematica.domain import Level, MemberRole
from thematica.errors import ThematicaError
from thematica.service import transcripts as tx
from thematica.service.analysis import kernel
from thematica.service.codebook import member_id
from thematica.storage.models import CodeRow, CodingRow, TeamMemberRow


@dataclass(frozen=True)
class Compared:
    """Two coders in one transcript: the kernel's load, its comparison per code, and the
    figures built from them (what reconciliation shows beside the disagreements)."""

    data: kernel.CodingsInScope
    codes: dict[int, kernel.CodeComparison]  # level-one code -> the comparison
    report: TranscriptAgreement


def compare_in_transcript(
    session: Session, tid: int, a_id: int, b_id: int, level: Level = Level.ONE
) -> Compared:
    """One load and one comparison per code, for transcript ``tid`` and coders ``a_id``, ``b_id``."""
    if a_id == b_id:
        raise ThematicaError("name two different coders")
    data = kernel.load(session, [a_id, b_id], level, transcript=tid)
    turn_units = data.turn_count()
    compared = {code_id: kernel.compare(data, code_id, a_id, b_id) for code_id in data.codes()}
    results = []
    for code_id, found in compared.items():
        ((_tid, characters),) = found.characters
        results.append(
            TranscriptCodeAgreement(
                data.index.paths[code_id],
                characters,
                kernel.presence(found.turns_a, found.turns_b, turn_units),
                len(found.differences),
            )
        )
    names = data.names
    method = (
        f"Level-{int(level)} codings by {names[0]} (A) and {names[1]} (B) in this transcript; "
        "codes neither coder applied here are not listed.",
        "Characters (NVivo's method): over every character of the transcript (code points); "
        "the pooled row sums the code x character tables.",
        "Turns: is the code present in the speaker turn? The pooled row treats every "
        "(turn, code) pair as a unit.",
    )
    coded = data.coded.get(tid, frozenset())
    report = TranscriptAgreement(
        names[0],
        names[1],
        level,
        tid,
        data.labels.get(tid),
        data.lengths.get(tid, 0),
        turn_units,
        a_id in coded,
        b_id in coded,
        tuple(results),
        coefficients.aggregate([r.characters for r in results]),
        kernel.pooled_presence([r.turns for r in results]),
        sum(r.disagreements for r in results),
        method,
    )
    return Compared(data, compared, report)


def transcript_agreement(
    session: Session, ref: str, coder_a: str, coder_b: str, level: Level
) -> TranscriptAgreement:
    tid = tx.resolve(session, ref)
    a_id, b_id = member_id(session, coder_a), member_id(session, coder_b)
    return compare_in_transcript(session, tid, a_id, b_id, level).report


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
