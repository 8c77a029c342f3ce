"""A correction carried out in the study's transaction (and the key file's, when the
transcript's anonymisation has started): the new text and turns, every offset-bearing row moved
with the offset map (codings, reconciliation decisions; in the key, findings and applied
replacements), codings whose words changed flagged, the log, the search index, the word count
and the checking state. The text work is :mod:`thematica.service.corrections`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from thematica.anonymise.edits import OffsetMap, apply_edits
from thematica.anonymise.keyfile import FindingRow, KeyCorrectionRow, ReplacementRow
from thematica.domain import CheckingState, SpeakerRole, word_count
from thematica.service import audit, checking
from thematica.service import corrections as fix
from thematica.speakers import find_speaker
from thematica.storage import search_index
from thematica.storage.models import (
    CodingFlagRow,
    CodingRow,
    CorrectionRow,
    ReconciliationRow,
    TeamMemberRow,
    TranscriptRow,
    TurnRow,
)
from thematica.text import assemble

EDITED = "a correction changed its words"
REMOVED = "a correction removed all its words; it now covers the nearest word"


def key_needed(row: TranscriptRow) -> bool:
    """Whether the transcript's anonymisation has started (scanned or anything replaced): its
    corrections' before/after go to the key file, and the key's offsets must move too."""
    return row.anonymisation != "none" or row.anonymisation_scanned_at is not None


def lock(session: Session, tid: int) -> None:
    """Take the transcript for this transaction before reading its turns, so two corrections
    at once are made one after the other, each on the other's result: a write as the first
    statement (PostgreSQL locks the row; SQLite takes its write lock, waiting for the other)."""
    session.execute(
        update(TranscriptRow)
        .where(TranscriptRow.id == tid)
        .values(word_count=TranscriptRow.word_count)
    )


def turns(session: Session, tid: int) -> tuple[fix.TurnText, ...]:
    text = session.scalar(select(TranscriptRow.text).where(TranscriptRow.id == tid)) or ""
    return tuple(
        fix.TurnText(t.speaker, t.role, text[t.start_offset : t.end_offset], t.start_ms, t.end_ms)
        for t in session.scalars(
            select(TurnRow).where(TurnRow.transcript_id == tid).order_by(TurnRow.position)
        )
    )


def speaker_and_role(
    current: tuple[fix.TurnText, ...],
    position: int,
    speaker: str,
    role: str | None,
    new: bool,
    where: str,
) -> tuple[str, str]:
    """The speaker's name as the transcript spells it and their role. A speaker not in the
    transcript needs ``new`` (a typo must not make a new person); they take ``role``, else
    the turn's present role."""
    names = tuple(dict.fromkeys(t.speaker for t in current))
    found = find_speaker(speaker, names)
    wanted = " ".join(speaker.split())
    if role is not None and role not in {r.value for r in SpeakerRole}:
        allowed = ", ".join(r.value for r in SpeakerRole)
        raise fix.CorrectionError(f"{where}: unknown role {role!r} (use {allowed})")
    if found is None:
        if not new:
            raise fix.CorrectionError(
                f"{where}: no speaker {speaker!r} in this transcript (its speakers are "
                + ", ".join(repr(n) for n in names)
                + "); give --new-speaker to add one"
            )
        if not wanted or len(wanted) > 200:
            raise fix.CorrectionError(f"{where}: a speaker's name is 1 to 200 characters")
        if fix.FORBIDDEN.search(wanted):
            raise fix.CorrectionError(f"{where}: the speaker's name holds control characters")
        return wanted, role or current[position].role
    their_role = next(t.role for t in current if t.speaker == found)
    if role is not None and role != their_role:
        raise fix.CorrectionError(
            f"{where}: {found!r} is the {their_role} in this transcript; change a speaker's "
            "role with thematica transcripts speakers"
        )
    return found, their_role


def _move(mapping: OffsetMap, start: int, end: int) -> tuple[int, int]:
    return mapping.start(start), mapping.end(end)


def carry_out(
    study: Session, key: Session | None, tid: int, plan: fix.Plan, actor: str
) -> fix.CorrectionReport:
    """Make the correction ``plan`` to transcript ``tid`` in ``actor``'s name."""
    now = dt.datetime.now(dt.UTC)
    row = study.get(TranscriptRow, tid)
    assert row is not None
    old_text = row.text
    new_text, mapping, _ = apply_edits(old_text, plan.edits)
    assembled, spans = assemble([t.text for t in plan.turns])
    if assembled != new_text:  # the invariant: the text is its turns joined
        raise AssertionError(f"transcript {tid}: a correction broke the turns")
    in_key = key is not None
    log = CorrectionRow(
        transcript_id=tid,
        position=plan.position,
        kind=plan.kind,
        actor=actor,
        at=now,
        before=None if in_key else plan.before,
        after=None if in_key else plan.after,
        in_key=in_key,
    )
    study.add(log)
    study.flush()
    if key is not None:
        KeyCorrectionRow.__table__.create(key.connection(), checkfirst=True)  # type: ignore[attr-defined]
        key.add(
            KeyCorrectionRow(
                correction_id=log.id,
                transcript_id=tid,
                position=plan.position,
                kind=plan.kind,
                before=plan.before,
                after=plan.after,
                at=now,
                actor=actor,
            )
        )
    # the turns: out of the index with the words they were indexed with, then written again
    old_turns = study.scalars(select(TurnRow).where(TurnRow.transcript_id == tid)).all()
    search_index.forget(study, [(t.id, old_text[t.start_offset : t.end_offset]) for t in old_turns])
    study.execute(delete(TurnRow).where(TurnRow.transcript_id == tid))
    study.execute(
        insert(TurnRow),
        [
            {
                "transcript_id": tid,
                "position": i,
                "speaker": t.speaker,
                "role": t.role,
                "start_offset": span.start,
                "end_offset": span.end,
                "start_ms": t.start_ms,
                "end_ms": t.end_ms,
            }
            for i, (t, span) in enumerate(zip(plan.turns, spans, strict=True))
        ],
    )
    bounds = [(s.start, s.end) for s in spans]
    moved = flagged = 0
    for coding in study.scalars(select(CodingRow).where(CodingRow.transcript_id == tid)):
        start, end = _move(mapping, coding.start_offset, coding.end_offset)
        reason = None
        if plan.flags and any(
            fix.touches(e, coding.start_offset, coding.end_offset) for e in plan.edits
        ):
            reason = EDITED
        if start >= end:
            start, end = fix.collapsed_span(new_text, fix.turn_of(bounds, start), start)
            reason = REMOVED
        if (start, end) != (coding.start_offset, coding.end_offset):
            coding.start_offset, coding.end_offset = start, end
            coding.modified_at = now  # a page holding the old offsets must reload first
            moved += 1
        if reason is not None:
            flag = study.get(CodingFlagRow, coding.id)
            if flag is None:
                study.add(
                    CodingFlagRow(
                        coding_id=coding.id, correction_id=log.id, reason=reason, flagged_at=now
                    )
                )
            else:
                flag.correction_id, flag.reason, flag.flagged_at = log.id, reason, now
            flagged += 1
    decisions = list(
        study.scalars(select(ReconciliationRow).where(ReconciliationRow.transcript_id == tid))
    )
    placed: dict[tuple[int, int, int], int] = {}
    moves: list[tuple[ReconciliationRow, int, int]] = []
    for decision in decisions:
        start, end = _move(mapping, decision.start_offset, decision.end_offset)
        if start >= end:
            start, end = fix.collapsed_span(new_text, fix.turn_of(bounds, start), start)
        other = placed.setdefault((decision.code_id, start, end), decision.id)
        if other != decision.id:  # two decisions would now stand on the same words
            raise fix.CorrectionError(
                f"transcript {tid}: this correction removes the words that tell reconciliation "
                f"decisions {other} and {decision.id} apart; undo one of them first "
                f"(thematica reconcile undo STUDY {decision.id})"
            )
        moves.append((decision, start, end))
    for decision, start, end in moves:
        decision.start_offset, decision.end_offset = start, end
    if key is not None:
        _move_key(key, tid, plan, mapping, new_text)
    row.text = new_text
    row.word_count = word_count(new_text)
    row.source_units = None  # no longer the source's text: one unit per character
    row.interviewer = next(
        (t.speaker for t in plan.turns if t.role == SpeakerRole.INTERVIEWER.value), None
    )
    study.flush()
    search_index.add(study, [tid])
    if row.checking == CheckingState.AUTOMATIC.value:
        member = study.scalar(select(TeamMemberRow).where(TeamMemberRow.name == actor))
        if member is not None:
            checking.set_state(study, tid, CheckingState.CHECKING, member)
        else:  # the administrator, who is not in the team
            row.checking, row.checked_by, row.checked_at = CheckingState.CHECKING.value, actor, now
    audit.record(
        study,
        actor=actor,
        action=f"transcript.correct.{plan.kind}",
        target=f"transcript {tid}",
        details={
            "transcript_id": tid,
            "turn": plan.position + 1,
            "correction_id": log.id,
            "codings_moved": moved,
            "codings_flagged": flagged,
            "in_key": in_key,
        },
    )
    if key is not None:
        from thematica.service import anonymisation_state as states

        key.flush()
        states.record(study, key, [tid], may_open=False)  # new words may hold a name
    return fix.CorrectionReport(
        log.id, tid, plan.position + 1, plan.kind, moved, flagged, row.checking, in_key
    )


def _move_key(key: Session, tid: int, plan: fix.Plan, mapping: OffsetMap, new_text: str) -> None:
    """The key's offsets into this transcript move with the text: every finding (one whose
    words were edited goes back to pending with the words there now, to be reviewed again) and
    every applied replacement (where its pseudonym now stands)."""
    for finding in key.scalars(select(FindingRow).where(FindingRow.transcript_id == tid)):
        touched = plan.flags and any(fix.touches(e, finding.start, finding.end) for e in plan.edits)
        start, end = _move(mapping, finding.start, finding.end)
        if start >= end:
            key.delete(finding)
            continue
        finding.start, finding.end = start, end
        if touched:
            finding.original = new_text[start:end]
            finding.status, finding.decided_by, finding.decided_at = "pending", None, None
    for replaced in key.scalars(
        select(ReplacementRow).where(
            ReplacementRow.transcript_id == tid, ReplacementRow.field == "text"
        )
    ):
        if replaced.start is not None and replaced.end is not None:
            replaced.start, replaced.end = _move(mapping, replaced.start, replaced.end)


def move_log_to_key(study: Session, key: Session) -> int:
    """Move the before/after of every correction still in the study into the key file (when
    anonymisation is applied: they were made on the original text)."""
    rows = study.scalars(select(CorrectionRow).where(CorrectionRow.in_key.is_(False))).all()
    if not rows:
        return 0
    KeyCorrectionRow.__table__.create(key.connection(), checkfirst=True)  # type: ignore[attr-defined]
    for row in rows:
        key.add(
            KeyCorrectionRow(
                correction_id=row.id,
                transcript_id=row.transcript_id,
                position=row.position,
                kind=row.kind,
                before=row.before or "",
                after=row.after or "",
                at=row.at,
                actor=row.actor,
            )
        )
        row.before, row.after, row.in_key = None, None, True
    key.flush()
    study.flush()
    return len(rows)


__all__ = [
    "EDITED",
    "REMOVED",
    "carry_out",
    "key_needed",
    "lock",
    "move_log_to_key",
    "speaker_and_role",
    "turns",
]
