"""``bench/run.py web-coding`` on a small slice: three codings (after the warm-ups) on a short
transcript, in real headless Chromium. The figures are not checked (benchmarks measure, tests do
not assert timings); the shape of the report is, and that the page never reloaded and the study
holds every coding applied. Skipped without Chromium, like the other browser tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.web.conftest import need_chromium

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def web_coding() -> Iterator[ModuleType]:
    need_chromium()
    sys.path.insert(0, str(BENCH))
    try:
        import web_coding

        yield web_coding
    finally:
        sys.path.remove(str(BENCH))


def test_a_few_codings_are_timed_stored_and_never_reload_the_page(
    web_coding: ModuleType, tmp_path: Path
) -> None:
    report = web_coding.run(3, 1500, 40, folder=tmp_path, pause=0.2)
    assert report["benchmark"] == "web-coding"
    assert 1500 <= report["transcript_words"] < 1800
    assert report["codings"] == 3 and report["warmups"] == web_coding.WARMUPS
    assert report["reloaded"] is False and report["main_frame_navigations"] == 0
    assert report["stored_codings"] == 3 + web_coding.WARMUPS
    figures = report["apply_to_highlight_ms"]
    assert set(figures) == {"p50", "p95", "max"}
    assert 0 < figures["p50"] <= figures["p95"] <= figures["max"]
    assert len(report["samples_ms"]) == 3 and max(report["samples_ms"]) == figures["max"]
    for part in ("store_request", "turn_request", "swapped_to_painted"):
        assert 0 <= report["parts_ms"][part]["p50"] <= figures["max"]
    assert report["target_p95_ms"] == 150
    assert report["meets_target"] is (figures["p95"] < 150)


def test_turns_are_spread_from_the_first_to_the_last(web_coding: ModuleType) -> None:
    assert web_coding.spread([1, 3, 5, 7, 9, 11], 3) == [1, 5, 11]
    assert web_coding.spread([4, 8], 1) == [4]
    with pytest.raises(SystemExit, match="uncoded participant turns"):
        web_coding.spread([1, 2], 3)
