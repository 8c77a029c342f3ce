"""The study file: refusing other files, migrating older studies, models matching migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from thematica.errors import StudyError
from thematica.service import StudyService
from thematica.storage.database import (
    APPLICATION_ID,
    head_revision,
    is_url,
    make_engine,
    upgrade,
)
from thematica.storage.models import Base
from thematica.storage.search_index import is_index_object


def _old_study(location: str) -> None:
    """A study as Thematica wrote it at schema 0001 (before codes and codings existed)."""
    engine = make_engine(location)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO study (id, title, research_question, approach, created_at) "
                "VALUES (1, 'Old study', 'Q?', 'reflexive', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text("INSERT INTO team_members (id, name, role) VALUES (1, 'Rachel Ames', 'lead')")
        )
    engine.dispose()


def test_models_match_migrations(location: str) -> None:
    with StudyService.create(location, title="T"):
        pass
    engine = make_engine(location)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, *_: not is_index_object(name),
                },
            ),
            Base.metadata,
        )
    engine.dispose()
    assert diff == []


def test_new_study_file_is_marked_and_configured(tmp_path: Path) -> None:
    path = tmp_path / "s.thematica"
    StudyService.create(str(path), title="T").close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    engine = make_engine(str(path))
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_other_files_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StudyError, match="an SQLite database of another program"):
        StudyService.open(str(other))
    text_file = tmp_path / "notes.thematica"
    text_file.write_text("hello " * 100)
    with pytest.raises(StudyError, match="it is not an SQLite database"):
        StudyService.open(str(text_file))
    with pytest.raises(StudyError, match="no such study file"):
        StudyService.open(str(tmp_path / "missing.thematica"))
    with pytest.raises(StudyError, match="is a folder"):
        StudyService.open(str(tmp_path))


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "s.thematica"
    path.write_bytes(b"precious")
    with pytest.raises(StudyError, match="already exists"):
        StudyService.create(str(path), title="T")
    assert path.read_bytes() == b"precious"
    with pytest.raises(StudyError, match="does not exist"):
        StudyService.create(str(tmp_path / "no" / "s.thematica"), title="T")


def test_older_study_file_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.thematica"
    _old_study(str(path))
    with StudyService.open(str(path)) as study:
        assert study.migration is not None
        assert (study.migration.from_revision, study.migration.to_revision) == (
            "0001",
            head_revision(),
        )
        backup = study.migration.backup
        assert study.info().title == "Old study"
        assert study.info().schema_revision == head_revision()
        assert [m.name for m in study.team()] == ["Rachel Ames"]
    assert backup is not None and backup.parent == tmp_path
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert conn.execute("SELECT title FROM study").fetchone()[0] == "Old study"
    conn.close()
    with StudyService.open(str(path)) as again:
        assert again.migration is None


def test_study_from_a_newer_thematica_is_refused(location: str) -> None:
    StudyService.create(location, title="T").close()
    engine = make_engine(location)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StudyError, match="written by a newer version of Thematica"):
        StudyService.open(location)


def test_postgres_server_is_only_migrated_on_request(postgres_location: str) -> None:
    location = postgres_location
    _old_study(location)
    with pytest.raises(StudyError, match="run 'thematica upgrade"):
        StudyService.open(location)
    with StudyService.open(location, migrate_server=True) as study:
        assert study.migration is not None and study.migration.backup is None
        assert study.info().title == "Old study"


def test_empty_database_is_not_a_study(location: str, tmp_path: Path) -> None:
    if is_url(location):
        with pytest.raises(StudyError, match="no Thematica study here"):
            StudyService.open(location)
    else:
        path = tmp_path / "blank.thematica"
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE x (y)")
        conn.commit()
        conn.close()
        with pytest.raises(StudyError, match="no Thematica study here"):
            StudyService.open(str(path))


def test_an_older_study_with_codings_migrates_and_keeps_them(tmp_path: Path) -> None:
    """Schema 0003 -> head with rows that reference the team table (a real, analysed study)."""
    path = tmp_path / "analysed.thematica"
    engine = make_engine(str(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO study VALUES (1, 'Analysed', '', 'reflexive', '2026-01-01 10:00:00')")
        )
        conn.execute(
            text("INSERT INTO team_members (id, name, role) VALUES (1, 'Rachel Ames', 'lead')")
        )
        conn.execute(
            text(
                "INSERT INTO transcripts (id, source_name, source_sha256, source_format, text, word_count, imported_at) "
                "VALUES (1, 't.txt', 'x', 'text', 'hello world', 2, '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO codes (id, name, description, level, owner_id, created_at) VALUES (1, 'C', '', 1, 1, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO codings (transcript_id, code_id, coder_id, start_offset, end_offset, created_at, modified_at) "
                "VALUES (1, 1, 1, 0, 5, '2026-01-01', '2026-01-01')"
            )
        )
    engine.dispose()
    with StudyService.open(str(path)) as study:
        assert study.migration is not None and study.migration.from_revision == "0003"
        assert [(m.name, m.anonymised_only) for m in study.team()] == [("Rachel Ames", False)]
        assert [c.text for c in study.codings()] == ["hello"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_revisions_read_from_file_names_agree_with_alembic() -> None:
    """Opening a study reads the revisions from the migrations' file names, without Alembic."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from thematica.storage import database

    cfg = Config()
    cfg.set_main_option("script_location", str(database._MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    assert database.known_revisions() == {s.revision for s in script.walk_revisions()}
    assert database.head_revision() == script.get_current_head()
    assert len(script.get_heads()) == 1  # one line of migrations


def test_opening_a_study_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    study = tmp_path / "s.thematica"
    StudyService.create(str(study), title="T").close()
    probe = (
        "import sys; from thematica.service import StudyService; "
        f"StudyService.open({str(study)!r}).close(); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
