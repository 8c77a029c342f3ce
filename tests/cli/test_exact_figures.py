"""Issue 12, item 3: a saturation threshold is printed exactly as given (never rounded to
"0%"), and a theme YAML that lists one code as both supporting and divergent is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def demo(demo_copy: Path) -> str:
    return str(demo_copy)


@pytest.mark.parametrize(
    ("threshold", "shown"),
    [(0.005, "0.5%"), (0.05, "5%"), (0.0, "0%"), (0.125, "12.5%"), (0.0001, "0.01%"), (0.07, "7%")],
)
def test_threshold_percent_is_exact(threshold: float, shown: str) -> None:
    from thematica.analysis.saturation import threshold_percent

    assert threshold_percent(threshold) == shown


def test_saturation_prints_a_small_threshold_exactly(demo: str) -> None:
    text = run("saturation", demo, "--threshold", "0.005").output
    assert "threshold 0.5%" in text and "threshold 0%" not in text
    assert "≤ 0.5%" in text and "≤ 0%" not in text
    data = json.loads(run("saturation", demo, "--threshold", "0.005", "--format", "json").output)
    assert data["guest"]["threshold"] == 0.005


def test_a_code_both_supporting_and_divergent_is_refused(demo: str, tmp_path: Path) -> None:
    book = tmp_path / "clash.yaml"
    book.write_text(
        "themes:\n"
        "  - name: Working together\n"
        "    codes: ['Pain and mood > A vicious cycle']\n"
        "    divergent: ['Pain and mood > A vicious cycle']\n"
    )
    before = snapshot(demo)
    result = run("codebook", "import", demo, str(book), ok=False)
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert str(book) in message and "'Pain and mood > A vicious cycle'" in message
    assert "both supporting and divergent" in message
    assert snapshot(demo) == before


def test_the_same_clash_across_two_entries_of_one_theme_is_refused(
    demo: str, tmp_path: Path
) -> None:
    book = tmp_path / "clash.yaml"
    book.write_text(
        "themes:\n"
        "  - name: Working together\n"
        "    codes: ['Pain and mood > A vicious cycle']\n"
        "  - name: Working together\n"
        "    divergent: ['Pain and mood > A vicious cycle']\n"
    )
    before = snapshot(demo)
    result = run("codebook", "import", demo, str(book), ok=False)
    assert result.exit_code == 2 and "both supporting and divergent" in result.stderr
    assert snapshot(demo) == before
