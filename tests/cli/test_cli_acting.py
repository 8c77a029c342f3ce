"""The command line acts through the bound service: with ``--by``/``$THEMATICA_MEMBER`` the
service checks that member's rules; without one, holding the study file is the administrator's
power (the study's only lead is the default actor, as before)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.service import StudyService


def run(*args: str, ok: bool = True, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    folder = tmp_path_factory.mktemp("demo")
    run("demo", str(folder))
    for name in ("demo.thematica", "demo.thematica-key"):
        shutil.copy(folder / name, tmp_path / name)
    return str(tmp_path / "demo.thematica")


def test_only_a_lead_applies_anonymisation_from_the_cli(demo: str) -> None:
    run("anonymise", "scan", demo)
    before = snapshot(demo)
    refused = run("anonymise", "apply", demo, "--pending", "skip", "--by", "Tom Okafor", ok=False)
    assert refused.exit_code == 2 and "only a lead can apply anonymisation" in refused.stderr
    assert snapshot(demo) == before


def test_a_reader_cannot_review_findings_from_the_cli(demo: str) -> None:
    refused = run("anonymise", "review", demo, env={"THEMATICA_MEMBER": "Helen Marsh"}, ok=False)
    assert refused.exit_code == 2 and "anonymised text only" in refused.stderr


def test_a_deactivated_member_cannot_act_from_the_cli(demo: str) -> None:
    with StudyService.open(demo) as study:
        study.deactivate("Tom Okafor", by="Rachel Ames")
    refused = run("memo", "add", demo, "code:1", "A memo.", "--by", "Tom Okafor", ok=False)
    assert refused.exit_code == 2 and "deactivated" in refused.stderr
    refused = run("journal", "list", demo, "--by", "Tom Okafor", ok=False)
    assert refused.exit_code == 2 and "deactivated" in refused.stderr
    run("memo", "add", demo, "code:1", "The lead's memo.")  # no --by: the only lead, as before
