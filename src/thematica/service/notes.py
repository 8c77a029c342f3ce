"""Memos on codes, theme nodes, transcripts and codings, and each researcher's reflexive journal.

A memo's target is written ``kind:id``: ``code:12``, ``theme:3``, ``transcript:5`` or
``coding:40``. A coding has one memo, its ``codings.memo``, shown here the same way as the others
(its reference is ``coding:40``, its author the coder, its version the coding's), and changed
through the coding, so the blind-coding and authorship rules of codings apply to it unchanged.

Versions: every memo and journal entry carries ``modified_at``; an edit or removal that names the
version it last saw is refused with :class:`~thematica.errors.ConflictError` if it changed since,
compared and set in one statement (:mod:`thematica.service.versions`).
Authorship: a memo is changed by its author or a lead; a journal entry only by its author (a
journal is personal, and only its author lists it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from thematica.domain import JOURNAL_KINDS, MemberRole, format_path
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import coding_edits as edits
from thematica.service import transcripts as tx
from thematica.service import versions
from thematica.service.codebook import MEMO_LIMIT, member_id, utc
from thematica.service.coding_lookup import code_path
from thematica.storage.models import (
    CodeRow,
    CodingRow,
    JournalCodeRow,
    JournalEntryRow,
    JournalTranscriptRow,
    MemoRow,
    ParticipantRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
)

KINDS = JOURNAL_KINDS
TARGETS = ("code", "theme", "transcript", "coding")


@dataclass(frozen=True)
class Memo:
    """``ref`` names the memo for editing: its number, or ``coding:N`` for a coding's memo."""

    ref: str
    target: str
    author: str
    text: str
    created_at: dt.datetime
    modified_at: dt.datetime


@dataclass(frozen=True)
class Linked:
    id: int
    label: str


@dataclass(frozen=True)
class JournalEntry:
    id: int
    author: str
    kind: str
    text: str
    transcripts: tuple[Linked, ...]
    codes: tuple[Linked, ...]
    created_at: dt.datetime
    modified_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clean_text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ThematicaError(f"a {what} needs some text")
    if len(text) > MEMO_LIMIT:
        raise ThematicaError(f"a {what} holds at most {MEMO_LIMIT:,} characters")
    return text


def _member(session: Session, name: str) -> TeamMemberRow:
    row = session.get(TeamMemberRow, member_id(session, name))
    assert row is not None
    return row


# -- memo targets ------------------------------------------------------------------------------


def parse_target(session: Session, target: str) -> tuple[str, int]:
    """``"code:12"`` -> ``("code", 12)``, checking that the target exists (a transcript may also
    be named by its participant label or file name: ``transcript:Physio 1``)."""
    kind, sep, ident = target.partition(":")
    kind, ident = kind.strip().lower(), ident.strip()
    if not sep or kind not in TARGETS or not ident:
        raise ThematicaError(
            f"memo target {target!r}: write code:ID, theme:ID, transcript:ID or coding:ID"
        )
    if kind == "transcript":
        return kind, tx.resolve(session, ident)
    if not (ident.isascii() and ident.isdigit() and len(ident) < 15):
        raise ThematicaError(f"memo target {target!r}: {ident!r} is not a number")
    number = int(ident)
    table = {"code": CodeRow, "theme": ThemeNodeRow, "coding": CodingRow}[kind]
    if session.get(table, number) is None:
        raise NotFoundError(f"no {kind} {number}")
    return kind, number


_TARGET_COLUMNS = {"code": "code_id", "theme": "node_id", "transcript": "transcript_id"}


def _memos_of(kind: str | None) -> Select[MemoRow, str]:
    """Every memo with its author's name, oldest first: of one kind of target (the parameter
    ``number`` names which), or (``None``) of every target."""
    query = select(MemoRow, TeamMemberRow.name).join(
        TeamMemberRow, TeamMemberRow.id == MemoRow.author_id
    )
    if kind is not None:
        query = query.where(getattr(MemoRow, _TARGET_COLUMNS[kind]) == bindparam("number"))
    return query.order_by(MemoRow.created_at, MemoRow.id)


_MEMOS = {kind: _memos_of(kind) for kind in (None, *_TARGET_COLUMNS)}  # built once


def _memo(row: MemoRow, author: str) -> Memo:
    if row.code_id is not None:
        target = f"code:{row.code_id}"
    elif row.node_id is not None:
        target = f"theme:{row.node_id}"
    else:
        target = f"transcript:{row.transcript_id}"
    return Memo(str(row.id), target, author, row.text, utc(row.created_at), utc(row.modified_at))


def _coding_memo(session: Session, coding_id: int, viewer: int | None) -> Memo | None:
    row = session.get(CodingRow, coding_id)
    if row is None or (viewer is not None and edits.hidden_from(session, coding_id, viewer)):
        raise NotFoundError(f"no coding {coding_id}")
    if not row.memo:
        return None
    coder = session.get(TeamMemberRow, row.coder_id)
    assert coder is not None
    return Memo(
        f"coding:{coding_id}",
        f"coding:{coding_id}",
        coder.name,
        row.memo,
        utc(row.created_at),
        utc(row.modified_at),
    )


def memos(session: Session, target: str | None, visible_to: str | None) -> tuple[Memo, ...]:
    """The memos of one target, oldest first; without a target, every memo on a code, theme or
    transcript (coding memos are listed with their codings)."""
    viewer = member_id(session, visible_to) if visible_to else None
    if target is None:
        return tuple(_memo(row, name) for row, name in session.execute(_MEMOS[None]).all())
    kind, number = parse_target(session, target)
    if kind == "coding":
        found = _coding_memo(session, number, viewer)
        return (found,) if found else ()
    rows = session.execute(_MEMOS[kind], {"number": number}).all()
    return tuple(_memo(row, name) for row, name in rows)


def add_memo(session: Session, target: str, text: str, by: str) -> Memo:
    member = _member(session, by)
    if member.role == MemberRole.READER.value:
        raise AccessDenied(f"{member.name} is a reader and cannot write memos")
    text = clean_text(text, "memo")
    kind, number = parse_target(session, target)
    if kind == "coding":
        row = edits.editable(session, number, member.name)
        if row.memo:
            raise ConflictError(f"coding {number} already has a memo; edit that one instead")
        edits.change(session, row, edits.CodingChange(memo=text), None)
        found = _coding_memo(session, number, None)
        assert found is not None
        return found
    now = _now()
    memo = MemoRow(author_id=member.id, text=text, created_at=now, modified_at=now)
    setattr(memo, _TARGET_COLUMNS[kind], number)
    session.add(memo)
    session.flush()
    return _memo(memo, member.name)


def _editable_memo(session: Session, ref: str, by: str) -> MemoRow | CodingRow:
    member = _member(session, by)
    ref = ref.strip()
    if ref.lower().startswith("coding:"):
        _, number = parse_target(session, ref)
        coding = edits.editable(session, number, member.name)
        if not coding.memo:
            raise NotFoundError(f"coding {number} has no memo")
        return coding
    if not (ref.isascii() and ref.isdigit() and len(ref) < 15):
        raise ThematicaError(f"memo {ref!r}: give its number (or coding:N for a coding's memo)")
    row = session.get(MemoRow, int(ref))
    if row is None:
        raise NotFoundError(f"no memo {ref}")
    if row.author_id != member.id and member.role != MemberRole.LEAD.value:
        raise AccessDenied(
            f"memo {ref} is not {member.name}'s; only its author or a lead can change it"
        )
    return row


def edit_memo(session: Session, ref: str, text: str, by: str, expected: dt.datetime | None) -> Memo:
    row = _editable_memo(session, ref, by)
    text = clean_text(text, "memo")
    if isinstance(row, CodingRow):
        edits.change(session, row, edits.CodingChange(memo=text), expected)
        found = _coding_memo(session, row.id, None)
        assert found is not None
        return found
    versions.set_if_current(
        session,
        row,
        {"modified_at": edits.seen(row.modified_at, expected, f"memo {row.id}")},
        {"text": text, "modified_at": edits.later_than(utc(row.modified_at))},
        f"memo {row.id}",
    )
    author = session.get(TeamMemberRow, row.author_id)
    assert author is not None
    return _memo(row, author.name)


def remove_memo(session: Session, ref: str, by: str, expected: dt.datetime | None) -> Memo:
    row = _editable_memo(session, ref, by)
    if isinstance(row, CodingRow):
        before = _coding_memo(session, row.id, None)
        assert before is not None
        edits.change(session, row, edits.CodingChange(memo=""), expected)
        return before
    author = session.get(TeamMemberRow, row.author_id)
    assert author is not None
    before_memo = _memo(row, author.name)
    what = f"memo {row.id}"
    versions.delete_if_current(
        session, row, {"modified_at": edits.seen(row.modified_at, expected, what)}, what
    )
    return before_memo


# -- the journal -------------------------------------------------------------------------------


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ThematicaError(f"an entry is a 'journal' entry or a 'field-note', not {kind!r}")
    return kind


def _link(
    session: Session, entry: JournalEntryRow, transcripts: Sequence[str], codes: Sequence[int]
) -> None:
    tids = {tx.resolve(session, ref) for ref in transcripts}
    for code in set(codes):
        if session.get(CodeRow, code) is None:
            raise NotFoundError(f"no code {code}")
    session.query(JournalTranscriptRow).filter_by(entry_id=entry.id).delete()
    session.query(JournalCodeRow).filter_by(entry_id=entry.id).delete()
    session.add_all(JournalTranscriptRow(entry_id=entry.id, transcript_id=t) for t in sorted(tids))
    session.add_all(JournalCodeRow(entry_id=entry.id, code_id=c) for c in sorted(set(codes)))
    session.flush()


def _entry(session: Session, row: JournalEntryRow, author: str) -> JournalEntry:
    transcripts = session.execute(
        select(TranscriptRow.id, ParticipantRow.label)
        .join(JournalTranscriptRow, JournalTranscriptRow.transcript_id == TranscriptRow.id)
        .outerjoin(ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id)
        .where(JournalTranscriptRow.entry_id == row.id)
        .order_by(TranscriptRow.id)
    ).all()
    codes = session.scalars(
        select(JournalCodeRow.code_id)
        .where(JournalCodeRow.entry_id == row.id)
        .order_by(JournalCodeRow.code_id)
    ).all()
    return JournalEntry(
        id=row.id,
        author=author,
        kind=row.kind,
        text=row.text,
        transcripts=tuple(Linked(t, label or f"Transcript {t}") for t, label in transcripts),
        codes=tuple(Linked(c, format_path(code_path(session, c)[0])) for c in codes),
        created_at=utc(row.created_at),
        modified_at=utc(row.modified_at),
    )


def add_entry(
    session: Session,
    by: str,
    text: str,
    kind: str,
    transcripts: Sequence[str],
    codes: Sequence[int],
) -> JournalEntry:
    member = _member(session, by)
    now = _now()
    row = JournalEntryRow(
        author_id=member.id,
        kind=_check_kind(kind),
        text=clean_text(text, "journal entry"),
        created_at=now,
        modified_at=now,
    )
    session.add(row)
    session.flush()
    _link(session, row, transcripts, codes)
    return _entry(session, row, member.name)


def _own_entry(session: Session, entry_id: int, by: str) -> tuple[JournalEntryRow, TeamMemberRow]:
    member = _member(session, by)
    row = session.get(JournalEntryRow, entry_id)
    if row is None or row.author_id != member.id:  # others' entries are not given away
        raise NotFoundError(f"no journal entry {entry_id} of {member.name}'s")
    return row, member


@dataclass(frozen=True)
class EntryChange:
    """What to change; ``None`` leaves a field as it is."""

    text: str | None = None
    kind: str | None = None
    transcripts: Sequence[str] | None = None
    codes: Sequence[int] | None = None


def edit_entry(
    session: Session, entry_id: int, change: EntryChange, by: str, expected: dt.datetime | None
) -> JournalEntry:
    row, member = _own_entry(session, entry_id, by)
    values: dict[str, object] = {"modified_at": edits.later_than(utc(row.modified_at))}
    if change.text is not None:
        values["text"] = clean_text(change.text, "journal entry")
    if change.kind is not None:
        values["kind"] = _check_kind(change.kind)
    before = _entry(session, row, member.name)
    versions.set_if_current(
        session,
        row,
        {"modified_at": edits.seen(row.modified_at, expected, f"journal entry {entry_id}")},
        values,
        f"journal entry {entry_id}",
    )
    if change.transcripts is not None or change.codes is not None:
        _link(
            session,
            row,
            change.transcripts
            if change.transcripts is not None
            else [str(t.id) for t in before.transcripts],
            change.codes if change.codes is not None else [c.id for c in before.codes],
        )
    return _entry(session, row, member.name)


def remove_entry(
    session: Session, entry_id: int, by: str, expected: dt.datetime | None
) -> JournalEntry:
    row, member = _own_entry(session, entry_id, by)
    before = _entry(session, row, member.name)
    versions.delete_if_current(
        session,
        row,
        {"modified_at": edits.seen(row.modified_at, expected, f"journal entry {entry_id}")},
        f"journal entry {entry_id}",
    )
    return before


@dataclass(frozen=True)
class JournalFilter:
    """``words``: every word must occur in the text (case-insensitive)."""

    kind: str | None = None
    transcript: str | None = None
    code: int | None = None
    words: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def entries(session: Session, author: str, wanted: JournalFilter) -> tuple[JournalEntry, ...]:
    """One researcher's entries, newest first."""
    member = _member(session, author)
    query = select(JournalEntryRow).where(JournalEntryRow.author_id == member.id)
    if wanted.kind:
        query = query.where(JournalEntryRow.kind == _check_kind(wanted.kind))
    if wanted.transcript:
        tid = tx.resolve(session, wanted.transcript)
        query = query.where(
            JournalEntryRow.id.in_(
                select(JournalTranscriptRow.entry_id).where(
                    JournalTranscriptRow.transcript_id == tid
                )
            )
        )
    if wanted.code is not None:
        query = query.where(
            JournalEntryRow.id.in_(
                select(JournalCodeRow.entry_id).where(JournalCodeRow.code_id == wanted.code)
            )
        )
    rows = session.scalars(
        query.order_by(JournalEntryRow.created_at.desc(), JournalEntryRow.id.desc())
    ).all()
    words = wanted.words.casefold().split()
    out = []
    for row in rows:
        day = utc(row.created_at).date()
        if (wanted.since and day < wanted.since) or (wanted.until and day > wanted.until):
            continue
        if all(w in row.text.casefold() for w in words):
            out.append(_entry(session, row, member.name))
    return tuple(out)


__all__ = [
    "KINDS",
    "EntryChange",
    "JournalEntry",
    "JournalFilter",
    "Linked",
    "Memo",
    "add_entry",
    "add_memo",
    "edit_entry",
    "edit_memo",
    "entries",
    "memos",
    "parse_target",
    "remove_entry",
    "remove_memo",
]
