"""Small things a new user noticed in the first hour (issue 13 item 10), each pinned."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.cli.commands import all_commands
from thematica.cli.analysis import num
from thematica.cli.main import cli
from thematica.cli.output import plural


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_figure_that_rounds_to_zero_has_no_minus_sign() -> None:
    assert num(-0.00001) == "0.0000"
    assert num(-1e-9, 1) == "0.0"
    assert num(-0.5) == "-0.5000"
    assert num(None) == "undefined"


def test_plurals() -> None:
    assert plural(1, "transcript") == "1 transcript"
    assert plural(0, "transcript") == "0 transcripts"
    assert plural(1200, "word") == "1,200 words"
    assert plural(2, "category", "categories") == "2 categories"


def test_an_empty_study_says_so_instead_of_an_empty_table(tmp_path: Path) -> None:
    study = str(tmp_path / "s.thematica")
    run("init", study, "--title", "Empty")
    assert "No transcripts yet" in run("transcripts", "list", study)
    assert "No participants yet" in run("participants", "list", study)
    assert "No themes yet" in run("themes", "show", study)
    assert run("transcripts", "list", study, "--format", "json").strip() == "[]"


def test_no_help_text_shows_markup_backticks() -> None:
    for path in [(), *all_commands(cli)]:
        assert "`" not in run(*path, "--help"), path
