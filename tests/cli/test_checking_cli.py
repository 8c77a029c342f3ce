"""``thematica transcripts check`` and the checking state in ``transcripts list`` (text and
JSON), and the lead's ``blind --require-checked`` rule (issue 16, item 4). The help examples
of the new commands run as written on the demo study."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.test_help_examples import STUDY_NAME, examples
from tests.conftest import snapshot
from thematica.cli.main import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "demo.thematica"


@pytest.fixture
def study(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(demo, tmp_path / STUDY_NAME)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / STUDY_NAME


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", [("transcripts", "check"), ("blind",)])
def test_help_examples_run_on_the_demo(study: Path, command: tuple[str, ...]) -> None:
    lines = examples(cli, command)
    assert lines
    for args in lines:
        code, output = run(*args)
        assert code == 0, f"{shlex.join(['thematica', *args])}: {output}"


def test_list_shows_each_transcripts_state(study: Path) -> None:
    code, output = run("transcripts", "list", str(study))
    assert code == 0 and "Checked" in output and output.count("automatic") == 10
    code, output = run(
        "transcripts", "check", str(study), "Physio 4", "--state", "checked", "--by", "Tom Okafor"
    )
    assert code == 0 and "checked (Tom Okafor, " in output
    code, output = run("transcripts", "list", str(study))
    assert "checked (Tom Okafor, " in output and output.count("automatic") == 9
    code, output = run("transcripts", "list", str(study), "--format", "json")
    rows = {row["participant"]: row for row in json.loads(output)}
    assert rows["Physio 4"]["checking"] == "checked"
    assert rows["Physio 4"]["checked_by"] == "Tom Okafor" and rows["Physio 4"]["checked_at"]
    assert rows["OT 1"]["checking"] == "automatic" and rows["OT 1"]["checked_by"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Physio 99", "--state", "checked", "--by", "Tom Okafor"), "Physio 99"),
        (("Physio 4", "--state", "done", "--by", "Tom Okafor"), "'done' is not one of"),
        (("Physio 4", "--state", "checked", "--by", "Helen Marsh"), "Helen Marsh"),
        (("Physio 4", "--state", "checked", "--by", "Nobody"), "Nobody"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(
    study: Path, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(str(study))
    code, output = run("transcripts", "check", str(study), *args)
    assert code == 2 and message in output
    assert snapshot(str(study)) == before


def test_a_lead_requires_checked_before_a_reveal(study: Path) -> None:
    code, _ = run("blind", str(study), "on", "--require-checked", "on", "--by", "Rachel Ames")
    assert code == 0
    code, output = run("blind", str(study), "status")
    assert "Reveal requires a checked transcript: on" in output
    code, output = run("transcripts", "reveal", str(study), "Physio 4", "--by", "Rachel Ames")
    assert code == 2 and "(Physio 4) is not checked against the recording" in output
    assert len(output.strip().splitlines()) == 1
    run("transcripts", "check", str(study), "Physio 4", "--state", "checked", "--by", "Tom Okafor")
    code, output = run("transcripts", "reveal", str(study), "Physio 4", "--by", "Rachel Ames")
    assert code == 0 and output.startswith("Revealed Physio 4")
    code, output = run("blind", str(study), "--require-checked", "on", "--by", "Tom Okafor")
    assert code == 2 and "only a lead" in output
    code, output = run("blind", str(study))
    assert code == 2
