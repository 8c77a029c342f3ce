"""The corrections commands: their --help examples run as written against the demo study
(each command's block in order on a fresh copy, as tests/cli/test_help_examples.py runs the
covered groups), JSON output, turn numbers as transcripts show prints them, and a refusal is one
line, exit 2, nothing changed."""

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

COMMANDS = [
    ("transcripts", "correct"),
    ("transcripts", "split"),
    ("transcripts", "merge"),
    ("transcripts", "corrections"),
    ("codings", "flagged"),
    ("codings", "unflag"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "demo.thematica"


@pytest.fixture
def here(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(demo, tmp_path / STUDY_NAME)
    monkeypatch.chdir(tmp_path)
    return tmp_path / STUDY_NAME


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_examples_run_as_written(here: Path, path: tuple[str, str]) -> None:
    from thematica.cli.main import cli as root

    lines = examples(root, path)
    assert lines, f"thematica {' '.join(path)} --help has no example"
    for args in lines:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{shlex.join(['thematica', *args])}: {result.output}"
        assert result.output.strip(), shlex.join(args)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_turns_are_numbered_as_show_prints_them(here: Path) -> None:
    code, shown = run("transcripts", "show", STUDY_NAME, "Physio 4")
    assert code == 0 and "\n#2 [0:00:11] Stuart Hollis" in shown
    code, out = run(
        "transcripts", "correct", STUDY_NAME, "Physio 4", "--turn", "2",
        "--replace", "Pleasure.", "--with", "My pleasure.", "--by", "Rachel Ames",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    report = json.loads(out)
    assert (report["turn"], report["kind"], report["checking"]) == (2, "text", "checking")
    turn = json.loads(run("transcripts", "show", STUDY_NAME, "6", "--format", "json")[1])
    assert turn["turns"][1]["text"].startswith("My pleasure. Though")
    log = json.loads(run("transcripts", "corrections", STUDY_NAME, "--by", "Tom Okafor",
                         "--format", "json")[1])  # fmt: skip
    assert [(e["turn"], e["kind"], e["in_key"]) for e in log] == [(2, "text", False)]


@pytest.mark.parametrize(
    "args",
    [
        ("merge", STUDY_NAME, "Physio 4", "--turn", "999", "--by", "Rachel Ames"),
        ("split", STUDY_NAME, "Physio 4", "--turn", "2", "--before", "zebra", "--by", "Tom Okafor"),
        ("correct", STUDY_NAME, "Physio 4", "--turn", "2", "--text", " ", "--by", "Tom Okafor"),
        ("correct", STUDY_NAME, "Physio 4", "--turn", "2", "--text", "Hi.", "--by", "Helen Marsh"),
        (
            "correct",
            STUDY_NAME,
            "Physio 4",
            "--turn",
            "2",
            "--speaker",
            "Zed",
            "--by",
            "Tom Okafor",
        ),
    ],
    ids=["last turn", "no such words", "empty", "reader", "unknown speaker"],
)
def test_a_refusal_is_one_line_exit_2_and_nothing_changes(
    here: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(str(here))
    code, out = run("transcripts", *args)
    assert code == 2, out
    assert len(out.strip().splitlines()) == 1 and out.startswith("Error: ")
    assert snapshot(str(here)) == before
