"""The turns and codings of an imported project, inserted in batches through the driver.

A large project has hundreds of thousands of them: each row is a plain tuple, its date-times
converted once by the column type's own bind processor (so they are stored exactly as the ORM
would store them), and each batch is one ``executemany`` with no SQLAlchemy work per row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Table

from thematica.exchange.model import XTurn
from thematica.storage.models import CodingRow, TurnRow

BATCH = 20_000
"""Rows gathered before they are inserted."""

_TURNS = cast(Table, TurnRow.__table__)
_CODINGS = cast(Table, CodingRow.__table__)
TURN_COLUMNS = (
    "transcript_id",
    "position",
    "speaker",
    "role",
    "start_offset",
    "end_offset",
    "start_ms",
    "end_ms",
)
CODING_COLUMNS = (
    "transcript_id",
    "code_id",
    "coder_id",
    "start_offset",
    "end_offset",
    "memo",
    "created_at",
    "modified_at",
)
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}  # SQLite, psycopg


def _insert_sql(conn: Connection, table: Table, columns: tuple[str, ...]) -> str:
    mark = _MARKS[conn.dialect.paramstyle]
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )


class RowWriter:
    """Gathers turns and codings (in :data:`TURN_COLUMNS` and :data:`CODING_COLUMNS` order) and
    inserts them a batch at a time, in the order they were added; call :meth:`flush` last."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._turns: list[tuple[Any, ...]] = []
        self._codings: list[tuple[Any, ...]] = []
        self._turn_sql = _insert_sql(conn, _TURNS, TURN_COLUMNS)
        self._coding_sql = _insert_sql(conn, _CODINGS, CODING_COLUMNS)
        stored = _CODINGS.c.created_at.type.dialect_impl(conn.dialect)  # SQLite: DATETIME
        process = stored.bind_processor(conn.dialect)
        self._time = cast(Any, process) if process is not None else (lambda value: value)

    def turn(self, transcript_id: int, position: int, t: XTurn) -> None:
        self._turns.append(
            (transcript_id, position, t.speaker, t.role, t.start, t.end, t.start_ms, t.end_ms)
        )
        if len(self._turns) >= BATCH:
            self.flush()

    def coding(
        self,
        transcript_id: int,
        code_id: int,
        coder_id: int,
        start: int,
        end: int,
        memo: str | None,
        created: dt.datetime,
    ) -> None:
        """A coding, created and last modified at ``created``."""
        stored = self._time(created)
        self._codings.append((transcript_id, code_id, coder_id, start, end, memo, stored, stored))
        if len(self._codings) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert what was gathered (turns first: nothing refers to them)."""
        if self._turns:
            self._conn.exec_driver_sql(self._turn_sql, self._turns)
            self._turns = []
        if self._codings:
            self._conn.exec_driver_sql(self._coding_sql, self._codings)
            self._codings = []


__all__ = ["BATCH", "CODING_COLUMNS", "TURN_COLUMNS", "RowWriter"]
