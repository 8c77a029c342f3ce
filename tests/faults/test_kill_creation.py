"""``kill -9`` during ``init``, ``qdpx import`` and ``demo``: after any kill there is either no
study at the target name or a complete one, and running the command again just works."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import _fresh_postgres
from tests.faults.killing import (
    fault_points,
    invoke,
    killed_at,
    row_counts,
    sound,
    spread,
    visible_files,
)
from thematica.cli.main import cli
from thematica.demo import build_demo
from thematica.errors import StudyError
from thematica.service import StudyService


@pytest.fixture(scope="module")
def qdpx_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study as a REFI-QDA project: ten sources, 73 codes, 460 codings."""
    folder = tmp_path_factory.mktemp("qdpx")
    study = build_demo(folder / "demo.thematica")
    out = folder / "demo.qdpx"
    result = CliRunner().invoke(
        cli, ["qdpx", "export", str(study), str(out), "--allow-identifiers"]
    )
    assert result.exit_code == 0, result.output
    return out


def check_sqlite_creation(
    tmp_path: Path, command: list[str], target: str, kills: int, last: int
) -> Counter[str]:
    """Kill ``command`` (``{folder}`` in it is replaced by a fresh folder) at spread-out points;
    return how many kills left nothing and how many a complete study."""
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    total = fault_points([a.format(folder=reference_dir) for a in command], reference_dir)
    reference = row_counts(str(reference_dir / target))
    outcomes: Counter[str] = Counter()
    for point in spread(total, kills, last):
        folder = tmp_path / f"kill-{point}"
        folder.mkdir()
        args = [a.format(folder=folder) for a in command]
        killed_at(point, args, folder)
        study = folder / target
        if study.exists():
            sound(study)
            assert row_counts(str(study)) == reference, point
            outcomes["complete"] += 1
            continue
        assert not {f"{target}-wal", f"{target}-shm"} & visible_files(folder), point
        outcomes["nothing"] += 1
        invoke(args)
        sound(study)
        assert row_counts(str(study)) == reference, point
        assert not [p for p in folder.iterdir() if ".partial-" in p.name], point
    print(
        f"{command[0]}: {total} fault points, killed at {sum(outcomes.values())}: {dict(outcomes)}"
    )
    return outcomes


def test_init_killed_anywhere_leaves_no_study_or_a_complete_one(tmp_path: Path) -> None:
    command = ["init", "{folder}/s.thematica", "--title", "Pain and low mood"]
    outcomes = check_sqlite_creation(tmp_path, command, "s.thematica", kills=26, last=10)
    assert outcomes["nothing"] >= 19 and outcomes["complete"] >= 5


def test_qdpx_import_killed_anywhere_leaves_no_study_or_a_complete_one(
    tmp_path: Path, qdpx_file: Path
) -> None:
    command = ["qdpx", "import", str(qdpx_file), "{folder}/imported.thematica"]
    outcomes = check_sqlite_creation(tmp_path, command, "imported.thematica", kills=30, last=10)
    assert outcomes["nothing"] >= 19 and outcomes["complete"] >= 5


def test_demo_killed_anywhere_leaves_no_study_or_a_complete_one(tmp_path: Path) -> None:
    command = ["demo", "{folder}"]
    outcomes = check_sqlite_creation(tmp_path, command, "demo.thematica", kills=10, last=6)
    assert outcomes["nothing"] >= 8 and outcomes["complete"] >= 1


def check_postgres_creation(
    tmp_path: Path, command: list[str], url: str, kills: int
) -> Counter[str]:
    total = fault_points(command, tmp_path)
    reference = row_counts(url)
    outcomes: Counter[str] = Counter()
    for point in spread(total, kills, last=1):
        _fresh_postgres()
        killed_at(point, command, tmp_path)
        try:
            StudyService.open(url).close()
        except StudyError as exc:
            assert "interrupted" in str(exc) or "no Thematica study here" in str(exc), exc
            outcomes["nothing"] += 1
        else:
            assert row_counts(url) == reference, point
            outcomes["complete"] += 1
            continue
        invoke(command)
        assert row_counts(url) == reference, point
    print(
        f"{command[0]}: {total} fault points, killed at {sum(outcomes.values())}: {dict(outcomes)}"
    )
    return outcomes


def test_init_on_postgres_killed_then_run_again(tmp_path: Path, postgres_location: str) -> None:
    command = ["init", postgres_location, "--title", "Pain and low mood"]
    outcomes = check_postgres_creation(tmp_path, command, postgres_location, kills=6)
    assert outcomes["nothing"] >= 4 and outcomes["complete"] >= 1


def test_qdpx_import_on_postgres_killed_then_run_again(
    tmp_path: Path, postgres_location: str, qdpx_file: Path
) -> None:
    command = ["qdpx", "import", str(qdpx_file), postgres_location]
    outcomes = check_postgres_creation(tmp_path, command, postgres_location, kills=6)
    assert outcomes["nothing"] >= 4 and outcomes["complete"] >= 1
