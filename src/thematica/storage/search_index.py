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
BATCH = 2000  # turns read and indexed at a time


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


_TURN_TEXT = (
    "SELECT turns.id, substr(transcripts.text, turns.start_offset + 1, "
    "turns.end_offset - turns.start_offset) FROM turns JOIN transcripts ON "
    "transcripts.id = turns.transcript_id WHERE turns.id > :after{where} "
    "ORDER BY turns.id LIMIT {batch}"
)


def _index(conn: Connection, where: str = "") -> None:
    """Index the turns (matching ``where``), :data:`BATCH` at a time."""
    split = Words()
    sqlite = conn.dialect.name == "sqlite"
    insert = text(
        "INSERT INTO search_turns(rowid, words) VALUES (:turn, :words)"
        if sqlite
        else "INSERT INTO search_turns (turn_id, document) "
        "VALUES (:turn, array_to_tsvector(CAST(:words AS text[])))"
    )
    query = text(_TURN_TEXT.format(where=where, batch=BATCH))
    after = 0
    while rows := conn.execute(query, {"after": after}).all():
        params: list[dict[str, object]] = []
        for turn, body in rows:
            joined = split.joined(body)
            if joined and not joined.isspace():
                params.append(
                    {"turn": turn, "words": joined if sqlite else sorted(set(joined.split()))}
                )
        if params:
            conn.execute(insert, params)
        after = rows[-1][0]


def add(session: Session, transcript_ids: Collection[int]) -> None:
    """Index the turns of transcripts that are not in the index yet (just imported)."""
    if not transcript_ids:
        return
    session.flush()
    ids = ", ".join(str(int(i)) for i in transcript_ids)
    _index(session.connection(), f" AND turns.transcript_id IN ({ids})")


def rebuild(session: Session | Connection) -> None:
    """Build the whole index again from the current text; the old index is gone (on SQLite its
    pages are freed, for :meth:`StudyService.scrub` to overwrite). Migration 0007 builds the
    index of an existing study with this too."""
    conn = session.connection() if isinstance(session, Session) else session
    if isinstance(session, Session):
        session.flush()
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('delete-all')"))
        _index(conn)
        conn.execute(text("INSERT INTO search_turns(search_turns) VALUES ('optimize')"))
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
