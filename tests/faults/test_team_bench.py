"""A short, fixed-seed slice of ``bench/run.py team`` (issue 10, item 7): three members coding
at once against ``thematica serve`` for a few seconds, blind, two of their pages polling the
live feed. No acknowledged coding may be lost and no request may fail, on SQLite and
PostgreSQL. Timings are the benchmark's to report, not this test's to assert."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POSTGRES_URL, _fresh_postgres

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run_slice(backend: str, url: str | None) -> dict[str, Any]:
    sys.path.insert(0, str(BENCH))
    try:
        from team import run_team
    finally:
        sys.path.remove(str(BENCH))
    return run_team(backend, url, clients=3, seconds=3, pollers=2, pause=0.05, seed=10, alone=5)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_no_coding_is_lost_while_a_team_codes_and_polls(backend: str) -> None:
    url = _fresh_postgres() if backend == "postgres" else None
    assert backend == "sqlite" or url == POSTGRES_URL
    result = run_slice(backend, url)
    assert result["added"] > 0 and result["acknowledged"] > 0
    assert (result["missing"], result["unexpected"], result["different"]) == (0, 0, 0)
    assert result["acknowledged"] == result["stored"]
    assert result["errors"] == 0, result["error_samples"]
    assert result["latency"]["poll"]["n"] > 0  # the pages did poll
    assert result["polls_changed_200"] + result["polls_unchanged_304"] > 0
