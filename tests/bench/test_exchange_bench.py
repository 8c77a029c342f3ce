"""``bench/run.py exchange --repeat N`` (issue 15): export and import alternate N times, each
in a child of its own; the answer keeps the fastest time and the largest peak of any run, and
lists every run's time. A two-run slice over the demo study (no time is asserted)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def exchange_bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import exchange_bench

        yield exchange_bench
    finally:
        sys.path.remove(str(BENCH))


def test_the_best_run_keeps_its_time_and_the_largest_peak(exchange_bench: ModuleType) -> None:
    runs = [
        {"export_s": 3.0, "export_peak_mb": 100.0, "sources": 5.0},
        {"export_s": 2.0, "export_peak_mb": 90.0, "sources": 5.0},
        {"export_s": 2.5, "export_peak_mb": 120.0, "sources": 5.0},
    ]
    best = exchange_bench._best(runs, "export_s", "export_peak_mb")
    assert best == {"export_s": 2.0, "export_peak_mb": 120.0, "sources": 5.0}
    assert runs[1]["export_peak_mb"] == 90.0  # the runs themselves are left as they were


def test_two_runs_over_the_demo(
    exchange_bench: ModuleType,
    demo_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exchange_bench.bench_exchange(demo_copy, tmp_path, 2)
    answer = json.loads(capsys.readouterr().out)
    assert answer["repeat"] == 2
    assert len(answer["export_runs_s"]) == len(answer["import_runs_s"]) == 2
    assert answer["export_s"] == min(answer["export_runs_s"])
    assert answer["import_s"] == min(answer["import_runs_s"])
    halves = answer["import_read_s"] + answer["import_store_s"]  # of that fastest run
    assert abs(halves - answer["import_s"]) <= 0.011 and answer["import_store_s"] > 0
    assert answer["export_peak_mb"] > 0 and answer["import_peak_mb"] > 0
    assert answer["codings_after_import"] == answer["codings"] > 0
    assert (tmp_path / "exchange.qdpx").exists()
