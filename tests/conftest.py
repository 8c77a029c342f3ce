"""Shared fixtures. Study-level tests run on SQLite and, when THEMATICA_TEST_POSTGRES_URL is
set, on PostgreSQL too (``make test`` starts a throwaway server and sets it). With
THEMATICA_REQUIRE_POSTGRES=1 a missing server fails the run instead of skipping those tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from thematica.service import StudyService
from thematica.storage.database import make_engine
from thematica.storage.models import Base

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT.parent / "shared" / "testdata"
POSTGRES_URL = os.environ.get("THEMATICA_TEST_POSTGRES_URL", "")


REQUIRE_SHARED = os.environ.get("THEMATICA_REQUIRE_SHARED") == "1"
SHARED_MISSING = "third-party interop files not present; see tests/README.md"


def shared(relative: str) -> Path:
    """A third-party file from ../shared/testdata (never copied into the project). Without that
    folder the test skips with one line; with THEMATICA_REQUIRE_SHARED=1 (CI) it fails."""
    path = TESTDATA / relative
    if not path.exists():
        if REQUIRE_SHARED or TESTDATA.is_dir():
            pytest.fail(f"missing shared test data: {path}")
        pytest.skip(SHARED_MISSING)
    return path


def shared_glob(pattern: str) -> list[Path]:
    """Every third-party file matching ``pattern``; none when ../shared is absent (and CI fails
    then, through THEMATICA_REQUIRE_SHARED=1, rather than running no case)."""
    if REQUIRE_SHARED and not TESTDATA.is_dir():
        raise RuntimeError(f"THEMATICA_REQUIRE_SHARED=1 but {TESTDATA} is missing")
    return sorted(TESTDATA.glob(pattern))


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _fresh_postgres() -> str:
    if not POSTGRES_URL:
        if os.environ.get("THEMATICA_REQUIRE_POSTGRES") == "1":
            pytest.fail("THEMATICA_REQUIRE_POSTGRES=1 but THEMATICA_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (set THEMATICA_TEST_POSTGRES_URL)")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh study can be created: a new file, or an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "study.thematica")
    return _fresh_postgres()


@pytest.fixture
def postgres_location() -> str:
    """An emptied PostgreSQL database, for what only a team server does."""
    return _fresh_postgres()


@pytest.fixture
def study(location: str) -> Iterator[StudyService]:
    service = StudyService.create(location, title="Pain and low mood", research_question="How?")
    yield service
    service.close()


def snapshot(location: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that a failed action changed nothing."""
    engine = make_engine(location)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(r)
                    for r in conn.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study (and its key file), built once per test run. Never change it: tests that
    change a study take :func:`demo_copy`."""
    from thematica.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo-template") / "demo.thematica")


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo study with its key file beside it, for this test alone."""
    import shutil

    copy = tmp_path / demo_template.name
    shutil.copyfile(demo_template, copy)
    key = demo_template.with_name(demo_template.name + "-key")
    if key.exists():
        shutil.copyfile(key, copy.with_name(copy.name + "-key"))
    return copy
