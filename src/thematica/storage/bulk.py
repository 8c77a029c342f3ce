"""Filling an empty table fast: its secondary indexes built once, after the rows are in.

Inserting 750,000 codings into a table with two secondary indexes updates both for every row,
and one of them (by code) is touched in random order, so once it outgrows SQLite's page cache
each insert reads and rewrites pages all over it: on the large studies of ``bench/run.py
scale`` the inserts grew 3.6 times from 250,000 to 750,000 codings. Dropping the indexes, then
creating them again from the rows (one sort each) makes the same work linear and about half as
long. Only for a table that starts empty (a study being created): rebuilding the indexes of a
full table would cost more than it saves.

The indexes come back exactly as the database had them (SQLite keeps each ``CREATE INDEX``
statement; PostgreSQL gives it back with ``pg_get_indexdef``), in the same transaction, so a
failure inside the block rolls back the drop too. Unique indexes and those behind primary keys
or constraints are never touched: they keep checking every row as it comes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

_SQLITE = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
    "AND sql IS NOT NULL AND upper(substr(ltrim(sql), 1, 13)) = 'CREATE INDEX ' ORDER BY name"
)
_POSTGRESQL = (
    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "WHERE t.relname = :table AND t.relnamespace = current_schema()::regnamespace "
    "AND NOT x.indisunique AND NOT x.indisprimary "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) "
    "ORDER BY i.relname"
)


def secondary_indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """The non-unique indexes of ``table``, each as its name and the statement that makes it."""
    query = _SQLITE if conn.dialect.name == "sqlite" else _POSTGRESQL
    return [(str(name), str(sql)) for name, sql in conn.execute(text(query), {"table": table})]


def _quoted(conn: Connection, name: str) -> str:
    return str(conn.dialect.identifier_preparer.quote_identifier(name))


@contextmanager
def indexes_built_after(conn: Connection, table: str) -> Iterator[None]:
    """Inside the block ``table`` has none of its secondary indexes; they are made again, as
    they were, when it ends. Call it inside a transaction on an empty table; if the block
    raises, the indexes are not remade here (rolling the transaction back restores them)."""
    indexes = secondary_indexes(conn, table)
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # Python's sqlite3 opens a transaction only before a change of rows, so a DROP INDEX
        # first in one would be committed on its own: open it here
        conn.exec_driver_sql("BEGIN")
    for name, _ in indexes:
        conn.execute(text(f"DROP INDEX {_quoted(conn, name)}"))
    yield
    for _, statement in indexes:
        conn.exec_driver_sql(statement)


__all__ = ["indexes_built_after", "secondary_indexes"]
