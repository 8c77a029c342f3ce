"""The manuscript audit's read of the study (``thematica/manuscript/``): single counts per
theme node and code, overall and per group; the register; the transcripts the asking member
may read, each with the replacements anonymisation made in it (never an original). One read,
no change: the audit never writes to the study."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.analysis.quantifiers import QuantifierRule
from thematica.domain import Level
from thematica.manuscript.audit import audit
from thematica.manuscript.claims import Vocabulary
from thematica.manuscript.draft import Draft
from thematica.manuscript.facts import NodeFacts, StudyFacts, TranscriptText, label_prefixes
from thematica.manuscript.results import AuditReport
from thematica.service import analysis as an
from thematica.service import readable
from thematica.service.codebook import CodeIndex, NodeIndex
from thematica.storage.models import AnonymisationLogRow, ParticipantRow, TranscriptRow


def facts(
    session: Session,
    level: Level,
    rules: Sequence[QuantifierRule],
    visible_to: str | None,
    draft: Draft | None = None,
) -> StudyFacts:
    """What the audit needs; counts per group only when ``draft`` names a group (the split
    is the costly part of counting a large study)."""
    register = tuple(
        (label, group)
        for label, group in session.execute(
            select(ParticipantRow.label, ParticipantRow.group_name).order_by(
                ParticipantRow.position
            )
        )
    )
    groups = sorted({group for _label, group in register if group})
    vocabulary = Vocabulary.build(groups, label_prefixes(register))
    split = draft is None or vocabulary.names_a_group(" ".join(b.text for b in draft.blocks))
    counts = an.counts(session, level, (), "group" if split else None, rules)
    interviewed = set(counts.participants)
    sizes = Counter(group for label, group in register if label in interviewed and group)
    node_ids = {path: i for i, path in NodeIndex.load(session).paths.items()}
    codes = CodeIndex.load(session)
    code_ids = {path: i for i, path in codes.paths.items() if codes.rows[i].level == int(level)}
    nodes = tuple(
        NodeFacts(
            row.kind,
            tuple(row.path),
            (node_ids if row.kind == "theme" else code_ids).get(tuple(row.path)),
            row.rolled_up,
            row.total,
            tuple((g.value, g.n, g.total) for g in row.by_group),
        )
        for row in (*counts.themes, *counts.codes)
    )
    allowed = readable.readable(session, visible_to) if visible_to is not None else None
    replacements: dict[int, set[str]] = {}
    for tid, replacement in session.execute(
        select(AnonymisationLogRow.transcript_id, AnonymisationLogRow.replacement).where(
            AnonymisationLogRow.field == "text"
        )
    ):
        if tid is not None and replacement:
            replacements.setdefault(tid, set()).add(replacement)
    transcripts: list[TranscriptText] = []
    unreadable: set[str] = set()
    for tid, label, text in session.execute(
        select(TranscriptRow.id, ParticipantRow.label, TranscriptRow.text)
        .outerjoin(ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id)
        .order_by(TranscriptRow.id)
    ):
        if allowed is not None and tid not in allowed:
            if label is not None:
                unreadable.add(label)
            continue
        transcripts.append(
            TranscriptText(tid, label, text, tuple(sorted(replacements.get(tid, ()))))
        )
    return StudyFacts(
        int(level),
        counts.total,
        register,
        nodes,
        tuple(transcripts),
        tuple(sorted(sizes.items())),
        frozenset(unreadable),
        tuple(rules),
    )


def audit_draft(
    session: Session,
    draft: Draft,
    level: Level,
    rules: Sequence[QuantifierRule],
    visible_to: str | None,
) -> AuditReport:
    return audit(draft, facts(session, level, rules, visible_to, draft))
