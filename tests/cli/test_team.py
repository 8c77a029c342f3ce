"""``thematica team``: members, passwords, invitation links, roles, deactivation and removal from
the command line (which acts as the study's administrator). Bad input is one line and exit 2,
with the study unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.service import StudyService

PASSWORD = "a long pass phrase"


def run(*args: str, ok: bool = True, input: str | None = None) -> click.testing.Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def study(tmp_path: Path) -> str:
    path = str(tmp_path / "s.thematica")
    run("init", path, "--title", "Team study")
    run("team", "add", path, "Rachel Ames", "--role", "lead")
    run("team", "add", path, "Tom Okafor")
    return path


def members(study: str) -> dict[str, dict[str, object]]:
    listed = json.loads(run("team", "list", study, "--format", "json").output)
    return {m["name"]: m for m in listed}


def test_add_with_an_invitation_prints_a_link_that_sets_the_password(study: str) -> None:
    result = run(
        "team", "add", study, "Priya Shah", "--role", "coder", "--email", "priya@example.org",
        "--anonymised-only", "--invite",
    )  # fmt: skip
    lines = result.output.splitlines()
    assert lines[0] == "Added Priya Shah (coder)"
    link = lines[-1]
    assert link.startswith("http://127.0.0.1:8765/invite/") and "7 days" in lines[1]
    token = link.rsplit("/", 1)[1]
    priya = members(study)["Priya Shah"]
    assert priya == {
        "name": "Priya Shah",
        "role": "coder",
        "anonymised_only": True,
        "has_password": False,
        "email": "priya@example.org",
        "active": True,
    }
    with StudyService.open(study) as s:
        s.redeem_invitation(token, PASSWORD)
    assert members(study)["Priya Shah"]["has_password"] is True
    other = run(
        "team", "invite", study, "Priya Shah", "--base-url", "https://thematica.lab.example/"
    )
    assert other.output.splitlines()[-1].startswith("https://thematica.lab.example/invite/")
    assert members(study)["Priya Shah"]["has_password"] is False  # a reset


def test_passwd_prompts_twice_or_reads_stdin_and_never_echoes(study: str) -> None:
    result = run("team", "passwd", study, "Tom Okafor", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert "Password set for Tom Okafor" in result.output
    assert PASSWORD not in result.output
    assert members(study)["Tom Okafor"]["has_password"] is True
    mismatch = run("team", "passwd", study, "Rachel Ames", input=f"{PASSWORD}\nother one!!!!!\n"
                   f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert "do not match" in mismatch.output
    result = run("team", "passwd", study, "Rachel Ames", "--password-stdin", input=PASSWORD + "\n")
    assert result.output.strip() == "Password set for Rachel Ames"
    with StudyService.open(study) as s:
        assert s.sign_in("Rachel Ames", PASSWORD).member.name == "Rachel Ames"


def test_role_deactivate_remove_and_the_table(study: str) -> None:
    assert run("team", "role", study, "Tom Okafor", "reader").output.strip() == (
        "Tom Okafor is now a reader"
    )
    run("team", "add", study, "Sam Lee")
    assert run("team", "deactivate", study, "Sam Lee").output.strip() == "Deactivated Sam Lee"
    table = run("team", "list", study).output
    assert "Sam Lee" in table and "deactivated" in table and "anonymised" in table
    assert run("team", "remove", study, "Sam Lee").output.strip() == "Removed Sam Lee"
    assert set(members(study)) == {"Rachel Ames", "Tom Okafor"}


def test_remove_refuses_a_member_with_work(study: str) -> None:
    with StudyService.open(study) as s:
        s.add_journal_entry("A first thought.", by="Tom Okafor")
    before = snapshot(study)
    result = run("team", "remove", study, "Tom Okafor", ok=False)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "deactivate them instead" in line
    assert snapshot(study) == before


@pytest.mark.parametrize(
    ("args", "message", "stdin"),
    [
        (("team", "invite", "{s}", "Nobody"), "no team member 'Nobody'", None),
        (("team", "passwd", "{s}", "Nobody", "--password-stdin"), "no team member", PASSWORD),
        (("team", "passwd", "{s}", "Tom Okafor", "--password-stdin"), "at least 12", "short"),
        (("team", "passwd", "{s}", "Tom Okafor", "--password-stdin"), "no password given", ""),
        (("team", "role", "{s}", "Nobody", "lead"), "no team member", None),
        (("team", "role", "{s}", "Tom Okafor", "boss"), "'boss' is not one of", None),
        (("team", "role", "{s}", "Rachel Ames", "coder"), "only active lead", None),
        (("team", "deactivate", "{s}", "Nobody"), "no team member", None),
        (("team", "deactivate", "{s}", "Rachel Ames"), "only active lead", None),
        (("team", "remove", "{s}", "Nobody"), "no team member", None),
        (("team", "add", "{s}", "tom okafor"), "already has a member", None),
        (("team", "add", "{s}", "Sam", "--email", "not an address"), "not an e-mail", None),
        (("team", "add", "{s}", "Sam", "--role", "boss"), "'boss' is not one of", None),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    study: str, args: tuple[str, ...], message: str, stdin: str | None
) -> None:
    before = snapshot(study)
    result = run(*(a.format(s=study) for a in args), ok=False, input=stdin)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert message in result.stderr
    assert len([line for line in lines if line.startswith("Error")]) == 1
    assert snapshot(study) == before


def test_team_list_on_an_empty_team_and_json(tmp_path: Path) -> None:
    path = str(tmp_path / "e.thematica")
    run("init", path, "--title", "Empty")
    assert "No team members yet" in run("team", "list", path).output
    assert json.loads(run("team", "list", path, "--format", "json").output) == []
