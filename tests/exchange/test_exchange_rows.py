"""Imported turns and codings go in through the driver: stored exactly as a Core insert (and
so the ORM) stores them, date-times with or without a time zone included."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, insert

from thematica.exchange.model import XTurn
from thematica.service.exchange_rows import CODING_COLUMNS, TURN_COLUMNS, RowWriter
from thematica.storage.models import Base, CodingRow, TurnRow

TIMES = [
    dt.datetime(2024, 3, 1, 10, 15),
    dt.datetime(2024, 3, 1, 10, 15, 0, 120000, tzinfo=dt.UTC),
    dt.datetime(2024, 3, 1, 10, 15, 7, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
]
TURNS = [XTurn("Ann", "interviewer", 0, 4, 0, 1500), XTurn("Ben", "participant", 5, 9)]


def stored(through_writer: bool) -> list[tuple[object, ...]]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    codings = [(1, 2, 3, i, i + 4, "memo" if i else None, when) for i, when in enumerate(TIMES)]
    with engine.begin() as conn:
        if through_writer:
            rows = RowWriter(conn)
            for position, turn in enumerate(TURNS):
                rows.turn(1, position, turn)
            for coding in codings:
                rows.coding(*coding)
            rows.flush()
        else:
            conn.execute(
                insert(TurnRow.__table__),  # type: ignore[arg-type]
                [
                    dict(
                        zip(
                            TURN_COLUMNS,
                            (1, p, t.speaker, t.role, t.start, t.end, t.start_ms, t.end_ms),
                            strict=True,
                        )
                    )
                    for p, t in enumerate(TURNS)
                ],
            )
            conn.execute(
                insert(CodingRow.__table__),  # type: ignore[arg-type]
                [dict(zip(CODING_COLUMNS, (*c, c[-1]), strict=True)) for c in codings],
            )
        return [
            *conn.exec_driver_sql("SELECT * FROM turns ORDER BY id").all(),
            *conn.exec_driver_sql("SELECT * FROM codings ORDER BY id").all(),
        ]


def test_rows_are_stored_as_a_core_insert_stores_them() -> None:
    assert stored(through_writer=True) == stored(through_writer=False)
