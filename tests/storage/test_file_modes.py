"""Private by default: study files and their -wal/-shm files, key files, backups, imports and
exports are created 0600 and folders 0700, whatever the umask; ``info`` warns about a study file
that others can read or write."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.faults.killing import fault_points, killed_at, spread
from tests.storage.test_database import _old_study
from thematica.cli.main import cli
from thematica.demo import build_demo
from thematica.service import StudyService


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


@pytest.fixture(params=[0o022, 0o002], ids=["umask022", "umask002"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.thematica")


def test_init_makes_the_study_and_its_log_files_private(umask: int, tmp_path: Path) -> None:
    study = tmp_path / "s.thematica"
    run("init", str(study), "--title", "Pain and low mood")
    assert mode(study) == 0o600
    conn = sqlite3.connect(study)  # a WAL study: reading it opens its -wal and -shm files
    try:
        conn.execute("SELECT count(*) FROM study").fetchone()
        logs = [Path(f"{study}-wal"), Path(f"{study}-shm")]
        assert all(p.exists() for p in logs)
        assert [mode(p) for p in logs] == [0o600, 0o600]
    finally:
        conn.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_demo_makes_its_folder_study_and_key_private(umask: int, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "demo"
    run("demo", str(folder))
    assert (mode(tmp_path / "new"), mode(folder)) == (0o700, 0o700)
    assert mode(folder / "demo.thematica") == 0o600
    assert mode(folder / "demo.thematica-key") == 0o600


def test_a_key_file_is_private_from_its_creation(umask: int, tmp_path: Path) -> None:
    study = tmp_path / "s.thematica"
    StudyService.create(str(study), title="T").close()
    identities = tmp_path / "identities.csv"
    identities.write_text("label,real_name\nPhysio 1,Gareth Evans\n", encoding="utf-8")
    run("anonymise", "identities", str(study), str(identities))
    assert mode(tmp_path / "s.thematica-key") == 0o600


def test_a_key_file_is_never_readable_by_others_even_half_written(tmp_path: Path) -> None:
    """Killed anywhere while the key file is being made, what is left of it is private too."""
    study = tmp_path / "s.thematica"
    StudyService.create(str(study), title="T").close()
    identities = tmp_path / "identities.csv"
    identities.write_text("label,real_name\nPhysio 1,Gareth Evans\n", encoding="utf-8")
    command = ["anonymise", "identities", str(study), str(identities)]
    old = os.umask(0o022)
    try:
        total = fault_points(command, tmp_path)
        key = tmp_path / "s.thematica-key"
        left = []
        for point in spread(total, 6):
            key.unlink(missing_ok=True)
            killed_at(point, command, tmp_path)
            if key.exists():
                left.append(mode(key))
    finally:
        os.umask(old)
    assert left and set(left) == {0o600}


def test_the_backup_before_a_migration_is_private(umask: int, tmp_path: Path) -> None:
    study = tmp_path / "old.thematica"
    _old_study(str(study))
    with StudyService.open(str(study)) as service:
        assert service.migration is not None and service.migration.backup is not None
        backup = service.migration.backup
    assert mode(backup) == 0o600


def test_qdpx_and_qdc_exports_and_imports_are_private(
    umask: int, tmp_path: Path, demo: Path
) -> None:
    qdpx, qdc = tmp_path / "demo.qdpx", tmp_path / "codes.qdc"
    run("qdpx", "export", str(demo), str(qdpx), "--allow-identifiers")
    run("qdc", "export", str(demo), str(qdc), "--allow-identifiers")
    imported = tmp_path / "imported.thematica"
    run("qdpx", "import", str(qdpx), str(imported))
    assert [mode(p) for p in (qdpx, qdc, imported)] == [0o600, 0o600, 0o600]


def test_a_report_folder_and_every_file_in_it_are_private(
    umask: int, tmp_path: Path, demo: Path
) -> None:
    out = tmp_path / "reports" / "msk"
    out.parent.mkdir()
    run("report", str(demo), "--out", str(out), "--allow-identifiers")
    written = sorted(out.iterdir())
    assert {p.suffix for p in written} >= {".docx", ".md", ".html", ".csv", ".xlsx", ".svg", ".png"}
    assert mode(out) == 0o700
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}


def test_a_report_written_over_a_readable_file_makes_it_private(
    umask: int, tmp_path: Path, demo: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "counts.csv"
    old.write_text("old", encoding="utf-8")
    old.chmod(0o644)
    run("report", str(demo), "--out", str(out), "--format", "csv", "--allow-identifiers")
    assert mode(old) == 0o600 and old.read_text(encoding="utf-8") != "old"


@pytest.mark.parametrize("wide", [0o644, 0o660, 0o606])
def test_info_warns_when_others_can_read_or_write_the_study(tmp_path: Path, wide: int) -> None:
    study = tmp_path / "s.thematica"
    StudyService.create(str(study), title="T").close()
    study.chmod(wide)
    text = run("info", str(study))
    assert text.stderr.count("\n") == 1 and text.stderr.startswith("Warning: ")
    assert f"mode {wide:04o}" in text.stderr
    warning = json.loads(run("info", str(study), "--format", "json").stdout)["permissions_warning"]
    assert warning and f"mode {wide:04o}" in warning


def test_info_is_quiet_about_a_private_study(tmp_path: Path) -> None:
    study = tmp_path / "s.thematica"
    StudyService.create(str(study), title="T").close()
    assert run("info", str(study)).stderr == ""
    assert (
        json.loads(run("info", str(study), "--format", "json").stdout)["permissions_warning"]
        is None
    )
