"""The demo study and its report, built once per test session through the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from thematica.cli.report import report

# src/thematica/demo/data/analysis/README.md: the demo's answer key
EXPECTED = {
    "Winding each other up": 10,
    "Part of the job, but out of my depth": 9,
    "Lobbing referrals into a void": 7,
    "No slack in it": 6,
    "Being known and believed": 5,
    "Small wins, two gains": 4,
    "It's the company": 1,
    "Let us be physios": 1,
}
LINKS = (
    "turns back",
    "breaks into",
    "deters opening up",
    "leaves clinicians holding",
    "squeezes out",
    "makes possible",
)


def run_report(*args: str) -> Result:
    """The ``report`` command, invoked directly (main.py registers it separately)."""
    # The demo is not anonymised: these tests are about the report's content, so they override
    # the residual check explicitly (test_errors.py shows the check refusing without it).
    return CliRunner().invoke(report, [*args, "--allow-identifiers"])


@dataclass(frozen=True)
class Built:
    study: Path
    out: Path
    output: str


@pytest.fixture(scope="session")
def demo_study(demo_template: Path) -> Path:
    return demo_template


@pytest.fixture(scope="session")
def built(demo_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("report") / "out"
    result = run_report(str(demo_study), "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    return Built(demo_study, out, result.stdout)
