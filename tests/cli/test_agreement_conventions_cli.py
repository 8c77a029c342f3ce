"""The README's worked example of the two agreement conventions, on the demo, as printed there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.cli.main import cli

CODE = "Referral > Referrals bounced back"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    return str(Path(folder) / "demo.thematica")


@pytest.mark.parametrize(
    ("convention", "sources", "mean", "weighted", "pooled", "percent"),
    [
        ("applied", 4, 0.75, 0.7529, 0.8460, 99.4),
        ("nvivo", 10, 0.90, 0.9022, 0.8480, 99.7),
    ],
)
def test_readme_worked_example(
    demo: str,
    convention: str,
    sources: int,
    mean: float,
    weighted: float,
    pooled: float,
    percent: float,
) -> None:
    args = ["agreement", demo, "--coders", "Rachel Ames,Tom Okafor", "--code", CODE]
    result = CliRunner().invoke(cli, [*args, "--convention", convention, "--format", "json"])
    assert result.exit_code == 0, result.output
    overall = json.loads(result.output)["codes"][0]["characters_overall"]
    assert overall["sources"] == sources
    assert round(overall["unweighted_mean_kappa"], 4) == mean
    assert round(overall["size_weighted_mean_kappa"], 4) == weighted
    assert round(overall["pooled_kappa"], 4) == pooled
    assert round(overall["pooled_percent"], 1) == percent
    text = CliRunner().invoke(cli, [*args, "--convention", convention, "--no-disagreements"])
    assert ("NVivo convention" if convention == "nvivo" else "applied convention") in text.output
