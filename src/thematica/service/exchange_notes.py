"""Memos and journal entries as REFI-QDA notes, both ways (``service/exchange.py`` does the rest).

Export: every memo on a code, theme node or transcript is a ``Note`` (named "Memo") that its
target refers to with a ``NoteRef`` (a theme node is a non-codable code, a transcript a
TextSource); a coding's memo already travels on its coding. With ``journal``, each journal entry
and field note is a ``Note`` too (named "Journal entry" or "Field note", marked with its kind in
the Description) referred to by the transcripts and codes it is linked to.

Import: a note on a code becomes a memo on that code (on the theme node when the code is a
theme); on a source, a memo on its transcript; on a coding (other than a coding's own memo) or
a selection, a memo on that transcript. A note with several targets becomes one memo on each.
Journal entries (Thematica's kinds), and other tools' notes attached to nothing Thematica holds
(free notes, project memos), are journal entries of their author, imported only with
``journal``; otherwise they are counted as skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.exchange.model import XNote, XProject
from thematica.service.codebook import MEMO_LIMIT
from thematica.storage.models import (
    JournalCodeRow,
    JournalEntryRow,
    JournalTranscriptRow,
    MemoRow,
    TeamMemberRow,
)

JOURNAL_NAMES = {"journal": "Journal entry", "field-note": "Field note"}


def notes_to_project(
    session: Session, guid: Callable[[str, object], str], journal: bool
) -> tuple[XNote, ...]:
    out: list[XNote] = []
    for memo in session.scalars(select(MemoRow).order_by(MemoRow.id)):
        if memo.code_id is not None:
            target = guid("code", memo.code_id)
        elif memo.node_id is not None:
            target = guid("node", memo.node_id)
        else:
            target = guid("source", memo.transcript_id)
        out.append(
            XNote(
                guid("memo", memo.id),
                "Memo",
                memo.text,
                (target,),
                guid("user", memo.author_id),
                "memo",
                memo.created_at,
            )
        )
    if not journal:
        return tuple(out)
    linked: dict[int, list[str]] = defaultdict(list)
    for entry_id, transcript_id in session.execute(
        select(JournalTranscriptRow.entry_id, JournalTranscriptRow.transcript_id)
    ).all():
        linked[entry_id].append(guid("source", transcript_id))
    for entry_id, code_id in session.execute(
        select(JournalCodeRow.entry_id, JournalCodeRow.code_id)
    ).all():
        linked[entry_id].append(guid("code", code_id))
    for entry in session.scalars(select(JournalEntryRow).order_by(JournalEntryRow.id)):
        out.append(
            XNote(
                guid("journal", entry.id),
                JOURNAL_NAMES.get(entry.kind, "Journal entry"),
                entry.text,
                tuple(linked[entry.id]),
                guid("user", entry.author_id),
                entry.kind,
                entry.created_at,
            )
        )
    return tuple(out)


@dataclass
class ImportIds:
    """What the import made of each guid in the project."""

    members: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, int] = field(default_factory=dict)
    transcripts: dict[str, int] = field(default_factory=dict)  # source guid -> transcript id


def _author(session: Session, ids: ImportIds, user: str | None) -> int:
    if user and user in ids.members:
        return ids.members[user]
    lead = session.scalar(
        select(TeamMemberRow.id)
        .where(TeamMemberRow.role == MemberRole.LEAD.value)
        .order_by(TeamMemberRow.id)
    )
    if lead is not None:
        return lead
    row = TeamMemberRow(name="Imported notes", role=MemberRole.LEAD.value)
    session.add(row)
    session.flush()
    return row.id


def notes_from_project(
    session: Session, project: XProject, ids: ImportIds, journal: bool
) -> dict[str, int]:
    coding_source = {c.guid: s.guid for s in project.sources for c in s.codings}
    memos = journal_entries = skipped = 0
    now = dt.datetime.now(dt.UTC)
    for note in project.notes:
        text = note.text.replace("\x00", "").strip()[:MEMO_LIMIT]  # PostgreSQL text holds no NUL
        if not text:
            skipped += 1
            continue
        created = note.created or now
        targets: list[tuple[str, int]] = []
        for target in note.targets:
            if target in ids.nodes:
                targets.append(("node_id", ids.nodes[target]))
            elif target in ids.codes:
                targets.append(("code_id", ids.codes[target]))
            elif target in ids.transcripts:
                targets.append(("transcript_id", ids.transcripts[target]))
            elif coding_source.get(target) in ids.transcripts:
                targets.append(("transcript_id", ids.transcripts[coding_source[target]]))
        targets = list(dict.fromkeys(targets))
        if note.kind == "memo" and targets:
            author = _author(session, ids, note.user)
            for column, ident in targets:
                row = MemoRow(author_id=author, text=text, created_at=created, modified_at=created)
                setattr(row, column, ident)
                session.add(row)
                memos += 1
            continue
        if not journal:
            skipped += 1
            continue
        entry = JournalEntryRow(
            author_id=_author(session, ids, note.user),
            kind=note.kind if note.kind in JOURNAL_NAMES else "journal",
            text=text,
            created_at=created,
            modified_at=created,
        )
        session.add(entry)
        session.flush()
        for column, ident in targets:
            if column == "transcript_id":
                session.add(JournalTranscriptRow(entry_id=entry.id, transcript_id=ident))
            elif column == "code_id":
                session.add(JournalCodeRow(entry_id=entry.id, code_id=ident))
        journal_entries += 1
    session.flush()
    return {"memos": memos, "journal_entries": journal_entries, "notes_skipped": skipped}
