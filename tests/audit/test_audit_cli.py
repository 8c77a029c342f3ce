"""``thematica audit-log``: changes made from the CLI are logged as the CLI's, and the log
exports as text, CSV and JSON, filtered."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.cli.main import cli

LEAD, CODER = "Rachel Ames", "Tom Okafor"


@pytest.fixture(scope="module")
def built(demo_template: Path) -> Path:
    return demo_template


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.thematica"
    shutil.copy(built, copy)
    return copy


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_changes_are_from_cli_and_the_log_exports(demo: Path) -> None:
    run("codebook", "rename", str(demo), "Goals and activity", "Goals", "--by", CODER)
    entries = json.loads(run("audit-log", str(demo), "--format", "json"))
    assert entries[0]["action"] == "code.rename" and entries[0]["client"] == "cli"
    assert entries[0]["actor"] == CODER
    assert {e["action"] for e in entries[1:]} >= {"import.transcripts", "import.codings"}
    assert all(e["actor"] == "administrator" for e in entries[1:])
    only = json.loads(run("audit-log", str(demo), "--action", "code", "--format", "json"))
    assert [e["action"] for e in only] == ["code.rename"]
    rows = list(csv.DictReader(io.StringIO(run("audit-log", str(demo), "--format", "csv"))))
    assert len(rows) == len(entries) and rows[0]["action"] == "code.rename"
    assert json.loads(rows[0]["details"])["code_id"] == entries[0]["details"]["code_id"]
    text = run("audit-log", str(demo), "--actor", CODER.lower(), "--limit", "1")
    assert "code.rename" in text and "import" not in text
    none = json.loads(run("audit-log", str(demo), "--since", "2999-01-01", "--format", "json"))
    assert none == []


def test_exports_are_logged(demo: Path, tmp_path: Path) -> None:
    run("qdc", "export", str(demo), str(tmp_path / "c.qdc"), "--allow-identifiers")
    entry = json.loads(run("audit-log", str(demo), "--limit", "1", "--format", "json"))[0]
    assert entry["action"] == "export.qdc" and entry["client"] == "cli"
    assert entry["details"]["codes"] > 0 and str(tmp_path) not in json.dumps(entry)
