"""``thematica participants withdraw``: the plan first, then nothing unless confirmed (--yes,
or yes at the prompt); bad input is one line and exit 2, and changes nothing."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.withdrawal.world import CODER, LEAD, WHO, file_bytes
from thematica.cli.main import cli
from thematica.service import StudyService


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "demo.thematica"


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    for name in ("demo.thematica", "demo.thematica-key"):
        shutil.copy(built.with_name(name), tmp_path / name)
    return tmp_path / "demo.thematica"


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def labels(study: Path) -> list[str]:
    with StudyService.open(str(study)) as service:
        return [p.label for p in service.participants()]


def unchanged(study: Path) -> bytes:
    key = study.with_name(study.name + "-key")
    return file_bytes(study) + key.read_bytes()


def test_without_yes_it_shows_the_plan_and_changes_nothing(demo: Path) -> None:
    before = unchanged(demo)
    code, out = run("participants", "withdraw", str(demo), WHO, "--by", LEAD)
    assert code == 2
    assert "Withdrawing Physio 4 (Physiotherapist) removes for good:" in out
    assert "Tom Okafor, level one: 15" in out
    assert "Let us be physios: 1/10 -> 0/9" in out
    assert "from the key file: 1 identity" in out
    assert "Error: nothing was removed: to withdraw Physio 4, add --yes" in out
    assert unchanged(demo) == before  # byte for byte: the file, its log and the key
    code, out = run("participants", "withdraw", str(demo), WHO, "--by", LEAD, "--format", "json")
    assert code == 2 and unchanged(demo) == before
    plan = json.loads(out[: out.rindex("}") + 1])
    assert plan["withdrawn"] is False and plan["plan"]["label"] == WHO


def test_no_at_the_prompt_changes_nothing_and_yes_withdraws(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("thematica.cli.participants.interactive", lambda: True)
    before = unchanged(demo)
    code, out = run("participants", "withdraw", str(demo), WHO, "--by", LEAD, input="n\n")
    assert code == 2 and "nothing was removed" in out and unchanged(demo) == before
    code, out = run("participants", "withdraw", str(demo), WHO, "--by", LEAD, input="y\n")
    assert code == 0, out
    assert "Withdrew Physio 4 (not-stated), recorded by Rachel Ames" in out
    assert WHO not in labels(demo)


def test_yes_withdraws_and_json_reports_it(demo: Path) -> None:
    code, out = run(
        "participants", "withdraw", str(demo), "physio 4", "--by", LEAD,
        "--reason", "no-time", "--yes", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    done = json.loads(out)
    assert done["withdrawn"] is True and done["scrubbed"] is True
    assert (done["withdrawal"]["label"], done["withdrawal"]["reason"]) == (WHO, "no-time")
    assert done["plan"]["codings"][0] == {"coder": LEAD, "level": 1, "codings": 15}
    assert WHO not in labels(demo)
    code, out = run("audit-log", str(demo), "--action", "participant", "--format", "json")
    assert code == 0 and '"participant.withdraw"' in out and '"no-time"' in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Physio 99", "--by", LEAD), "Error: no participant 'Physio 99' in the register"),
        ((WHO, "--by", CODER), "only a lead can withdraw a participant; Tom Okafor is a coder"),
        ((WHO, "--by", "Nobody"), "no team member 'Nobody'"),
        ((WHO, "--by", LEAD, "--reason", "bored"), "Invalid value for '--reason'"),
        ((WHO,), "Missing option '--by'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    demo: Path, args: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THEMATICA_MEMBER", raising=False)
    before = unchanged(demo)
    code, out = run("participants", "withdraw", str(demo), *args, "--yes")
    assert code == 2 and message in out, out
    assert unchanged(demo) == before


def test_an_already_withdrawn_participant_is_refused(demo: Path) -> None:
    assert run("participants", "withdraw", str(demo), WHO, "--by", LEAD, "--yes")[0] == 0
    before = unchanged(demo)
    code, out = run("participants", "withdraw", str(demo), WHO, "--by", LEAD, "--yes")
    assert code == 2 and "Physio 4 already withdrew on" in out
    assert unchanged(demo) == before


def test_the_help_example_runs_as_written(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CliRunner().invoke(cli, ["participants", "withdraw", "--help"]).output
    block = text.split("Example", 1)[1].replace("\\\n", " ")
    lines = [shlex.split(x.strip())[1:] for x in block.splitlines() if "thematica " in x]
    assert lines
    shutil.copy(demo, tmp_path / "msk.thematica")
    monkeypatch.chdir(tmp_path)
    for args in lines:
        code, out = run(*args)
        assert code == 0, out
        assert "Withdrew Physio 4 (ill-health)" in out
