"""Filling an empty table with its secondary indexes built afterwards (``storage/bulk.py``), on
SQLite and PostgreSQL, and the study a REFI-QDA import creates that way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from thematica.demo import build_demo
from thematica.exchange.refi import read_qdpx, write_qdpx
from thematica.service import StudyService
from thematica.storage import search_index
from thematica.storage.bulk import indexes_built_after, secondary_indexes
from thematica.storage.database import make_engine


def _table_with_every_kind_of_index(location: str) -> None:
    engine = make_engine(location)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE kinds (a INTEGER PRIMARY KEY, b INTEGER, c INTEGER, d INTEGER, UNIQUE (b))"
            )
        )
        conn.execute(text("CREATE UNIQUE INDEX kinds_unique_c ON kinds (c)"))
        conn.execute(text("CREATE INDEX kinds_d ON kinds (d, c)"))
        conn.execute(text("CREATE INDEX kinds_b_d ON kinds (b, d DESC)"))
    engine.dispose()


def test_only_plain_indexes_are_secondary(study: StudyService) -> None:
    _table_with_every_kind_of_index(study.location)
    engine = make_engine(study.location)
    with engine.connect() as conn:
        found = secondary_indexes(conn, "kinds")
        codings = [name for name, _ in secondary_indexes(conn, "codings")]
    engine.dispose()
    assert [name for name, _ in found] == ["kinds_b_d", "kinds_d"]  # unique ones are kept
    assert codings == ["ix_codings_code_transcript", "ix_codings_transcript_code"]


def test_the_indexes_are_gone_inside_and_back_as_they_were_after(study: StudyService) -> None:
    _table_with_every_kind_of_index(study.location)
    engine = make_engine(study.location)
    with engine.begin() as conn:
        before = secondary_indexes(conn, "kinds")
        with indexes_built_after(conn, "kinds"):
            assert secondary_indexes(conn, "kinds") == []
            conn.execute(text("INSERT INTO kinds (a, b, c, d) VALUES (1, 1, 1, 1), (2, 2, 2, 2)"))
            # the unique ones still check every row
            with pytest.raises(IntegrityError, match="(?i)unique"), conn.begin_nested():
                conn.execute(text("INSERT INTO kinds (a, b, c, d) VALUES (3, 9, 1, 3)"))
        assert secondary_indexes(conn, "kinds") == before
    engine.dispose()


def test_a_failure_inside_rolls_the_drop_back(study: StudyService) -> None:
    engine = make_engine(study.location)
    with engine.connect() as conn:
        before = secondary_indexes(conn, "codings")
    with (
        pytest.raises(RuntimeError, match="midway"),
        engine.begin() as conn,
        indexes_built_after(conn, "codings"),
    ):
        raise RuntimeError("midway")
    with engine.connect() as conn:
        assert secondary_indexes(conn, "codings") == before
    engine.dispose()


def _schema(location: Path) -> list[tuple[str, str, str | None]]:
    engine = make_engine(str(location))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        )
        found = [(str(kind), str(name), sql) for kind, name, sql in rows]
    engine.dispose()
    return found


def test_a_study_made_from_a_qdpx_has_the_schema_and_index_settings_of_a_new_one(
    tmp_path: Path,
) -> None:
    demo = tmp_path / "demo.thematica"
    build_demo(demo)
    with StudyService.open(str(demo)) as study:
        buffer = io.BytesIO()
        write_qdpx(study.export_project(), buffer)
        codings = sum(code.codings for code in study.codes())
    imported = tmp_path / "imported.thematica"
    with StudyService.create_from_project(
        str(imported), read_qdpx(buffer.getvalue(), "demo.qdpx")
    ) as back:
        assert sum(code.codings for code in back.codes()) == codings > 0
        assert back.search("pain").hits  # the index was built, and merged
    fresh = tmp_path / "fresh.thematica"
    StudyService.create(str(fresh), title="Fresh").close()
    assert _schema(imported) == _schema(fresh)
    engine = make_engine(str(imported))
    with engine.connect() as conn:
        settings = dict(conn.execute(text("SELECT k, v FROM search_turns_config")).all())
    engine.dispose()
    assert settings["automerge"] == search_index.AUTOMERGE == 4  # FTS5's default, restored
