"""A new study appears complete or not at all (``storage/creation.py``), on both backends."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from thematica.domain import MemberRole
from thematica.errors import StudyError
from thematica.service import StudyService
from thematica.storage.database import CREATION_MARKER, make_engine


def tables(location: str) -> list[str]:
    engine = make_engine(location)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_failure_while_building_leaves_nothing(location: str, tmp_path: Path) -> None:
    with (
        pytest.raises(RuntimeError, match="power cut"),
        StudyService.creating(location, title="T") as service,
    ):
        service.add_team_member("Rachel Ames", MemberRole.LEAD)
        raise RuntimeError("power cut")
    if "://" in location:
        assert tables(location) == []
    else:
        assert list(tmp_path.iterdir()) == []
    StudyService.create(location, title="T").close()  # and the same name works again


def test_the_study_appears_only_when_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "s.thematica"
    with StudyService.creating(str(target), title="T") as service:
        assert not target.exists()
        hidden = [p.name for p in tmp_path.iterdir()]
        assert hidden and all(name.startswith(".s.thematica.partial-") for name in hidden)
        service.add_team_member("Rachel Ames", MemberRole.LEAD)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.thematica"]
    with service:
        assert [m.name for m in service.team()] == ["Rachel Ames"]


def test_a_file_that_appears_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "s.thematica"
    with (
        pytest.raises(StudyError, match="appeared meanwhile"),
        StudyService.creating(str(target), title="T"),
    ):
        target.write_bytes(b"the user's own file")
    assert target.read_bytes() == b"the user's own file"
    assert [p.name for p in tmp_path.iterdir()] == ["s.thematica"]


def test_a_half_made_server_study_is_refused_then_replaced(postgres_location: str) -> None:
    StudyService.create(postgres_location, title="Old").close()
    engine = make_engine(postgres_location)
    with engine.begin() as conn:  # as a creation killed before its end leaves it
        conn.execute(text(f"CREATE TABLE {CREATION_MARKER} (started_by integer NOT NULL)"))
    engine.dispose()
    with pytest.raises(StudyError, match="interrupted"):
        StudyService.open(postgres_location)
    with StudyService.create(postgres_location, title="New") as service:
        assert service.info().title == "New"
    assert CREATION_MARKER not in tables(postgres_location)


def test_a_server_study_is_never_replaced(postgres_location: str) -> None:
    StudyService.create(postgres_location, title="Kept").close()
    with pytest.raises(StudyError, match="already holds tables"):
        StudyService.create(postgres_location, title="New")
    with StudyService.open(postgres_location) as service:
        assert service.info().title == "Kept"


def test_leftovers_of_a_dead_creation_are_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    leftover = tmp_path / f".s.thematica.partial-{gone.pid}-0a0b0c0d"
    live = tmp_path / f".s.thematica.partial-{os.getppid()}-0a0b0c0d"
    for path in (leftover, Path(f"{leftover}-wal"), live):
        path.write_bytes(b"")
    StudyService.create(str(tmp_path / "s.thematica"), title="T").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["s.thematica", live.name])
