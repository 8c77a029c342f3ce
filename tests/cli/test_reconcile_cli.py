"""``thematica reconcile`` on the demo study: status, show, decide, undo, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.service import StudyService


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    folder = tmp_path_factory.mktemp("demo")
    run("demo", str(folder))
    copy = tmp_path / "demo.thematica"
    shutil.copy(folder / "demo.thematica", copy)
    return str(copy)


def test_status_show_decide_and_undo(demo: str) -> None:
    status = json.loads(run("reconcile", "status", demo, "--format", "json").output)
    assert status[0]["participant"] == "Physio 3" and status[0]["disagreements"] == 13
    shown = run("reconcile", "show", demo, "Physio 3").output
    assert "A = Rachel Ames, B = Tom Okafor; 13 to decide" in shown
    items = json.loads(run("reconcile", "show", demo, "Physio 3", "--format", "json").output)
    second = items["items"][1]
    refused = run(
        "reconcile", "decide", demo, "Physio 3", "2", "drop", "--by", "Tom Okafor", ok=False
    )
    assert refused.exit_code == 2 and "only a lead can reconcile" in refused.output
    made = json.loads(
        run(
            "reconcile",
            "decide",
            demo,
            "Physio 3",
            "2",
            "edit",
            "--span",
            f"{second['start']}-{second['end'] - 1}",
            "--code",
            "Agreed > By CLI",
            "--by",
            "Rachel Ames",
            "--format",
            "json",
        ).output
    )
    with StudyService.open(demo) as s:
        agreed = {(c.code, c.start, c.end) for c in s.codings(transcript="1", level=Level.TWO)}
    assert (("Agreed", "By CLI"), second["start"], second["end"] - 1) in agreed
    out = run("reconcile", "undo", demo, str(made["id"]), "--by", "Rachel Ames").output
    assert "1 coding removed" in out
    with StudyService.open(demo) as s:
        assert s.reconciliation("1").items[1].decision is None


def test_bad_input_is_one_line_and_changes_nothing(demo: str) -> None:
    before = snapshot(demo)
    cases = [
        (["reconcile", "decide", demo, "Physio 3", "99", "drop"], "there are 13 disagreements"),
        (["reconcile", "decide", demo, "Physio 3", "1", "edit", "--span", "x"], "START-END"),
        (["reconcile", "decide", demo, "Physio 3", "1", "edit"], "needs the agreed span"),
        (["reconcile", "show", demo, "Physio 3", "--coders", "Rachel Ames"], "two names"),
        (["reconcile", "show", demo, "Nobody 9"], "Nobody 9"),
        (["reconcile", "undo", demo, "42"], "no reconciliation decision 42"),
    ]
    for args, message in cases:
        result = run(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output + result.stderr
    assert snapshot(demo) == before
