"""The full-text index of turns, which migration 0007 creates: on SQLite an FTS5 table over a
view of the turns' text (external content, so the text is not stored twice), on PostgreSQL a
table of ``tsvector`` documents (the ``simple`` configuration: no stemming) with a GIN index.

It is derived data: :func:`add` indexes newly imported transcripts, :func:`rebuild` starts
again from the text (after anonymisation, so the index keeps none of the original words).
Queries come in as :class:`Term` lists built from the user's words only, so no user input ever
reaches FTS5 or ``tsquery`` syntax.
"""

from __future__ import annotations

import unicodedata
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

INDEX_OBJECTS = frozenset(
    {"search_turns", "search_turn_text"}
    | {f"search_turns_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")}
)


def is_index_object(name: str | None) -> bool:
    """For schema comparison: the index is not part of the SQLAlchemy models."""
    return name in INDEX_OBJECTS


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of words in order; ``prefix``: the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def fold(text: str) -> str:
    """Case and diacritics folded (``Café`` -> ``cafe``), as SQLite's ``unicode61`` tokenizer
    with ``remove_diacritics 2`` folds; PostgreSQL gets the text folded so before indexing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_TURN_TEXT = (
    "SELECT turns.id, substr(transcripts.text, turns.start_offset + 1, "
    "turns.end_offset - turns.start_offset) FROM turns JOIN transcripts ON "
    "transcripts.id = turns.transcript_id"
)


def _index_postgres(conn: Connection, where: str = "") -> None:
    rows = conn.execute(text(_TURN_TEXT + where)).all()
    if rows:
        conn.execute(
            text(
                "INSERT INTO search_turns (turn_id, document) "
                "VALUES (:turn, to_tsvector('simple', :body))"
            ),
            [{"turn": turn, "body": fold(body)} for turn, body in rows],
        )


def add(session: Session, transcript_ids: Collection[int]) -> None:
    """Index the turns of transcripts that are not in the index yet (just imported)."""
    if not transcript_ids:
        return
    session.flush()
    ids = ", ".join(str(int(i)) for i in transcript_ids)
    if _sqlite(session):
        session.execute(
            text(
                "INSERT INTO search_turns(rowid, body) SELECT v.id, v.body FROM search_turn_text v"
                f" JOIN turns ON turns.id = v.id WHERE turns.transcript_id IN ({ids})"
            )
        )
    else:
        _index_postgres(session.connection(), f" WHERE transcripts.id IN ({ids})")


def rebuild(session: Session | Connection) -> None:
    """Build the whole index again from the current text; the old index is gone (on SQLite its
    pages are freed, for :meth:`StudyService.scrub` to overwrite). Migration 0007 builds the
    index of an existing study with this too."""
    conn = session.connection() if isinstance(session, Session) else session
    if isinstance(session, Session):
        session.flush()
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('rebuild')"))
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('optimize')"))
    else:
        conn.execute(text("DELETE FROM search_turns"))
        _index_postgres(conn)


def _fts5(term: Term) -> str:
    phrase = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
    return phrase + " *" if term.prefix else phrase


def _tsquery(term: Term) -> str:
    parts = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words]
    if term.prefix:
        parts[-1] += ":*"
    joined = " <-> ".join(parts)
    return f"({joined})" if len(parts) > 1 else joined


def matching(session: Session, terms: Sequence[Term]) -> ColumnElement[bool]:
    """A condition on ``turns.id``: the turn holds every term. Words are runs of letters and
    digits (see :func:`thematica.service.search.parse`), and are quoted besides."""
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
        tsq = " & ".join(_tsquery(t) for t in terms)
        ids = (
            select(column("turn_id"))
            .select_from(index)
            .where(text("document @@ to_tsquery('simple', :tsq)").bindparams(tsq=tsq))
        )
    return literal_column("turns.id").in_(ids.scalar_subquery())


__all__ = ["INDEX_OBJECTS", "Term", "add", "fold", "is_index_object", "matching", "rebuild"]
