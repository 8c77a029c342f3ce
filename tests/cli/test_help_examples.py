"""Every example in a command's ``--help`` runs as written. Each command's example block runs,
line by line in order, against a fresh copy of the demo study named as the examples name it."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from thematica.cli.main import cli
from thematica.cli.recruitment import recruitment
from thematica.cli.themes import themes
from thematica.demo import DATA

STUDY_NAME = "msk.thematica"  # the study every example names
EXAMPLE_FILES = ("candidates.csv",)  # in src/thematica/demo/data
COVERED = {
    "themes": themes,
    "recruitment": recruitment,
}  # groups whose examples are run (more join as they are checked)


def examples(command: click.Command, path: tuple[str, ...]) -> list[list[str]]:
    """The example command lines in a command's help text, as argument lists."""
    text = CliRunner().invoke(cli, [*path, "--help"]).output
    block = text.split("Example", 1)[1] if "Example" in text else ""
    return [
        shlex.split(line.strip())[1:]
        for line in block.splitlines()
        if line.strip().startswith("thematica ")
    ]


CASES = [
    (name, sub)
    for name, group in COVERED.items()
    if isinstance(group, click.Group)
    for sub in group.commands
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "demo.thematica"


@pytest.mark.parametrize(("group", "command"), CASES, ids=lambda v: str(v))
def test_help_examples_run_as_written(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: str, command: str
) -> None:
    lines = examples(COVERED[group], (group, command))
    assert lines, f"thematica {group} {command} --help has no example"
    shutil.copyfile(demo, tmp_path / STUDY_NAME)
    for name in EXAMPLE_FILES:  # files an example names, as the demo's data ships them
        shutil.copyfile(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for args in lines:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{shlex.join(['thematica', *args])}: {result.output}"
        assert result.output.strip(), shlex.join(args)
