"""The CLI side of item 6: each file that once printed a traceback now gives one line on stderr
naming the file, exit code 2, and a study exactly as it was (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from tests.importers.hostile_files import (
    UNKNOWN_ENCODING_QDC,
    bad_offset,
    damaged_sheet,
    minimal_qdpx,
    sheetless,
)
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.importers.codebook import read_codebook
from thematica.importers.register import read_register
from thematica.service import StudyService

DEEP = " > ".join(f"Level {i}" for i in range(5000))
ABSURD_VTT = b"WEBVTT\n\n99999999999999:00:00.000 --> 99999999999999:00:01.000\nA: hi\nB: ok\n"
CASES: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    # id: (command, file name, the file)
    "register-sheetless": ("participants import", "register.xlsx", sheetless),
    "register-damaged-xml": ("participants import", "register.xlsx", damaged_sheet),
    "codings-damaged-xml": ("codings import", "codings.xlsx", damaged_sheet),
    "vtt-absurd-time": ("transcripts import", "p1.vtt", lambda: ABSURD_VTT),
    "codebook-5000-levels": ("codebook import", "codes.csv", lambda: f"path\n{DEEP}\n".encode()),
    "qdc-unknown-encoding": ("qdc import", "atlas.qdc", lambda: UNKNOWN_ENCODING_QDC),
}


def _filled(location: str) -> None:
    with StudyService.create(location, title="Before") as study:
        study.import_register(read_register(b"label,group\nP1,Physio\n", "r.csv"), source="r.csv")
        study.import_codebook(read_codebook(b"path\nA > B\n", "c.csv", level=Level.ONE), source="c")


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_file_that_crashed_the_cli_is_one_line_exit_2_study_unchanged(
    case: str, location: str, tmp_path: Path
) -> None:
    command, name, make = CASES[case]
    _filled(location)
    before = snapshot(location)
    path = tmp_path / name
    path.write_bytes(make())
    result = CliRunner().invoke(cli, [*command.split(), location, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: "), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert snapshot(location) == before


def test_a_qdpx_with_a_bad_member_offset_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(bad_offset(minimal_qdpx()))
    target = tmp_path / "new.thematica"
    result = CliRunner().invoke(cli, ["qdpx", "import", str(path), str(target)])
    assert result.exit_code == 2, result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nvivo.qdpx"]
