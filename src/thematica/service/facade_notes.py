"""The study service's memo, journal and search methods (part of :class:`StudyService`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from thematica.domain import CodePath
from thematica.lazy import lazy_module
from thematica.service import audit
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import notes
    from thematica.service import search as find
else:  # loaded at first use
    notes = lazy_module("thematica.service.notes")
    find = lazy_module("thematica.service.search")


class NotesMethods(Sessions):
    # -- memos, the reflexive journal, full-text search (revision 0007) --------------------

    def memos(
        self, target: str | None = None, *, visible_to: str | None = None
    ) -> tuple[notes.Memo, ...]:
        """The memos on one target (``code:12``, ``theme:3``, ``transcript:5``, ``coding:40``),
        or on every code, theme and transcript."""
        with self._session() as session:
            return notes.memos(session, target, visible_to)

    def add_memo(self, target: str, text: str, *, by: str) -> notes.Memo:
        with self._transaction() as session:
            memo = notes.add_memo(session, target, text, by)
            _memo_entry(session, "memo.add", memo, by)
            return memo

    def edit_memo(
        self, ref: str, text: str, *, by: str, expected: dt.datetime | None = None
    ) -> notes.Memo:
        """Change a memo (its author or a lead); ``ref`` is its number or ``coding:N``."""
        with self._transaction() as session:
            memo = notes.edit_memo(session, ref, text, by, expected)
            _memo_entry(session, "memo.change", memo, by)
            return memo

    def remove_memo(self, ref: str, *, by: str, expected: dt.datetime | None = None) -> notes.Memo:
        with self._transaction() as session:
            memo = notes.remove_memo(session, ref, by, expected)
            _memo_entry(session, "memo.remove", memo, by)
            return memo

    def journal(
        self, author: str, wanted: notes.JournalFilter | None = None
    ) -> tuple[notes.JournalEntry, ...]:
        """One researcher's journal entries and field notes, newest first."""
        with self._session() as session:
            return notes.entries(session, author, wanted or notes.JournalFilter())

    def add_journal_entry(
        self,
        text: str,
        *,
        by: str,
        kind: str = "journal",
        transcripts: Sequence[str] = (),
        codes: Sequence[int] = (),
    ) -> notes.JournalEntry:
        with self._transaction() as session:
            entry = notes.add_entry(session, by, text, kind, transcripts, codes)
            _journal_entry(session, "journal.add", entry)
            return entry

    def edit_journal_entry(
        self,
        entry: int,
        change: notes.EntryChange,
        *,
        by: str,
        expected: dt.datetime | None = None,
    ) -> notes.JournalEntry:
        with self._transaction() as session:
            changed = notes.edit_entry(session, entry, change, by, expected)
            _journal_entry(session, "journal.change", changed)
            return changed

    def remove_journal_entry(
        self, entry: int, *, by: str, expected: dt.datetime | None = None
    ) -> notes.JournalEntry:
        with self._transaction() as session:
            removed = notes.remove_entry(session, entry, by, expected)
            _journal_entry(session, "journal.remove", removed)
            return removed

    def search(
        self,
        query: str,
        wanted: find.SearchFilter | None = None,
        *,
        visible_to: str | None = None,
    ) -> find.SearchResults:
        """Turns holding every word or phrase of ``query``, with the words located."""
        with self._session() as session:
            return find.search(session, query, wanted or find.SearchFilter(), visible_to)

    def code_search_results(
        self,
        query: str,
        code: CodePath,
        *,
        by: str,
        wanted: find.SearchFilter | None = None,
        scope: str = "match",
        create_code: bool = False,
        expected: int | None = None,
        dry_run: bool = False,
    ) -> find.CodeAllPlan:
        """Code every search result with a level-one code, all or nothing (``dry_run``: only
        say how many codings it would make, for the confirmation)."""
        with self._transaction() as session:
            return find.code_results(
                session,
                query,
                wanted or find.SearchFilter(),
                code,
                by,
                scope=scope,
                create_code=create_code,
                expected=expected,
                dry_run=dry_run,
            )


def _memo_entry(session: Session, action: str, memo: notes.Memo, by: str) -> None:
    """A memo's audit entry: which memo, on what, by whom; never its text."""
    kind, _, number = memo.target.partition(":")
    target = f"coding {number}" if memo.ref.startswith("coding:") else f"memo {memo.ref}"
    audit.record(
        session,
        actor=audit.member(session, by),
        action=action,
        target=target,
        details={"on": kind, f"{kind}_id": int(number)},
    )


def _journal_entry(session: Session, action: str, entry: notes.JournalEntry) -> None:
    """A journal entry's audit entry: its number, kind and links; never its text."""
    audit.record(
        session,
        actor=entry.author,
        action=action,
        target=f"journal {entry.id}",
        details={
            "kind": entry.kind,
            "transcript_ids": [t.id for t in entry.transcripts],
            "code_ids": [c.id for c in entry.codes],
        },
    )
