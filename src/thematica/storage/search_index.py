"""The full-text index of turns, which migration 0007 creates. Both backends index the same
words: the turns' text is split and folded in Python by :mod:`thematica.words` (as queries are,
and as matches are located), so a search finds the same turns on SQLite and PostgreSQL.

On SQLite it is a contentless FTS5 table holding each turn's folded words joined by spaces (the
``ascii`` tokenizer only splits them again at the spaces; no text is stored twice), on
PostgreSQL a table of ``tsvector`` documents made from the same words with
``array_to_tsvector`` (no parser, no dictionary) and a GIN index.

It is derived data: :func:`add` indexes newly imported transcripts, :func:`rebuild` starts
again from the text (after anonymisation, so the index keeps none of the original words).
Queries come in as :class:`Term` lists of folded words, quoted, so no user input ever reaches
FTS5 or ``tsquery`` syntax. SQLite matches phrases by position; PostgreSQL (no positions) only
asks for every word, and :mod:`thematica.service.search` confirms phrases in the text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    column,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from thematica.words import Words

INDEX_OBJECTS = frozenset(
    {"search_turns"}
    | {f"search_turns_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")}
)
BATCH = 50  # transcripts read and indexed at a time
# FTS5's own default: after new turns are indexed, merge once 4 segments of a size are there.
# :func:`rebuild` turns it off while it indexes everything, and merges once at the end: merging
# as it goes rewrote the growing index again and again (4 times the work for 3 times the turns).
AUTOMERGE = 4
_AUTOMERGE = "INSERT INTO search_turns(search_turns, rank) VALUES ('automerge', :segments)"


def is_index_object(name: str | None) -> bool:
    """For schema comparison: the index is not part of the SQLAlchemy models."""
    return name in INDEX_OBJECTS


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of words in order (folded, see :mod:`thematica.words`);
    ``prefix``: the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


_TRANSCRIPTS = "SELECT id, text FROM transcripts WHERE id > :after{where} ORDER BY id LIMIT {batch}"
_TURNS = (
    "SELECT id, transcript_id, start_offset, end_offset FROM turns "
    "WHERE transcript_id IN ({ids}) ORDER BY id"
)
_INSERT = {  # executemany through the driver: no SQLAlchemy work per turn
    "sqlite": "INSERT INTO search_turns(rowid, words) VALUES (?, ?)",
    "postgresql": "INSERT INTO search_turns (turn_id, document) "
    "VALUES (%s, array_to_tsvector(CAST(%s AS text[])))",
}


def _index(conn: Connection, where: str = "") -> None:
    """Index the turns of the transcripts (matching ``where``), :data:`BATCH` transcripts at a
    time; each turn's text is sliced from its transcript in Python (code points)."""
    split = Words()
    sqlite = conn.dialect.name == "sqlite"
    transcripts = text(_TRANSCRIPTS.format(where=where, batch=BATCH))
    after = 0
    while batch := conn.execute(transcripts, {"after": after}).all():
        texts: dict[int, str] = {int(tid): str(body) for tid, body in batch}
        ids = ", ".join(str(int(t)) for t in texts)
        rows: list[tuple[int, object]] = []
        for turn, tid, start, end in conn.execute(text(_TURNS.format(ids=ids))):
            joined = split.joined(texts[tid][start:end])
            if joined and not joined.isspace():
                rows.append((turn, joined if sqlite else sorted(set(joined.split()))))
        if rows:
            conn.exec_driver_sql(_INSERT[conn.dialect.name], rows)
        after = batch[-1][0]


def add(session: Session, transcript_ids: Collection[int]) -> None:
    """Index the turns of transcripts that are not in the index yet (just imported)."""
    if not transcript_ids:
        return
    session.flush()
    ids = ", ".join(str(int(i)) for i in transcript_ids)
    _index(session.connection(), f" AND id IN ({ids})")


def forget(session: Session, old_turns: Sequence[tuple[int, str]]) -> None:
    """Take turns out of the index before they change (a correction): ``old_turns`` are each
    turn's id and its text as it was indexed, since a contentless FTS5 table forgets a row only
    when told the words it was given. :func:`add` then indexes the transcript's new turns."""
    if not old_turns:
        return
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        split = Words()
        joined = [(turn, split.joined(body)) for turn, body in old_turns]
        rows = [(turn, words) for turn, words in joined if words and not words.isspace()]
        if rows:
            conn.exec_driver_sql(
                "INSERT INTO search_turns(search_turns, rowid, words) VALUES ('delete', ?, ?)",
                rows,
            )
    else:
        ids = ", ".join(str(int(turn)) for turn, _ in old_turns)
        conn.execute(text(f"DELETE FROM search_turns WHERE turn_id IN ({ids})"))


def rebuild(session: Session | Connection) -> None:
    """Build the whole index again from the current text; the old index is gone (on SQLite its
    pages are freed, for :meth:`StudyService.scrub` to overwrite). Migration 0007 builds the
    index of an existing study with this too."""
    conn = session.connection() if isinstance(session, Session) else session
    if isinstance(session, Session):
        session.flush()
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('delete-all')"))
        conn.execute(text(_AUTOMERGE), {"segments": 0})  # merged once, by 'optimize'
        _index(conn)
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('optimize')"))
        conn.execute(text(_AUTOMERGE), {"segments": AUTOMERGE})
    else:
        conn.execute(text("DELETE FROM search_turns"))
        _index(conn)


def _fts5(term: Term) -> str:
    phrase = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
    return phrase + " *" if term.prefix else phrase


def _tsquery(term: Term) -> str:
    """Every word of the term (a phrase is confirmed in the text: the index has no positions)."""
    parts = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words]
    if term.prefix:
        parts[-1] += ":*"
    return " & ".join(parts)


def matching(session: Session, terms: Sequence[Term]) -> ColumnElement[bool]:
    """A condition on ``turns.id``: the turn holds every word of every term (on SQLite every
    phrase as a phrase too). The words are folded words, and are quoted besides."""
    assert terms and all(t.words for t in terms)
    index = table("search_turns")
    if _sqlite(session):
        query = " AND ".join(_fts5(t) for t in terms)
        ids: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(index)
            .where(text("search_turns MATCH :fts").bindparams(fts=query))
        )
    else:
        tsq = " & ".join(_tsquery(t) for t in terms)  # a tsquery of lexemes, not normalised
        ids = (
            select(column("turn_id"))
            .select_from(index)
            .where(text("document @@ CAST(:tsq AS tsquery)").bindparams(tsq=tsq))
        )
    return literal_column("turns.id").in_(ids.scalar_subquery())


__all__ = ["INDEX_OBJECTS", "Term", "add", "is_index_object", "matching", "rebuild"]
