"""The pure parts of ``bench/run.py taguette`` (issue 15, first acceptance item): the shared
corpus is the same for a seed and holds the same speech in both renderings, the ratio table's
arithmetic, the interleaving, the CPU reading, and the launcher's guard that refuses any
network access Taguette might attempt. No Taguette is installed here: the benchmark does that."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench() -> Iterator[dict[str, ModuleType]]:
    sys.path.insert(0, str(BENCH))
    try:
        import corpus
        import side_by_side
        import taguette_bench

        yield {"corpus": corpus, "side": side_by_side, "run": taguette_bench}
    finally:
        sys.path.remove(str(BENCH))


def test_the_corpus_is_the_same_for_a_seed_and_differs_for_another(
    bench: dict[str, ModuleType],
) -> None:
    corpus = bench["corpus"]
    first, again = corpus.interviews(3, 600, seed=7), corpus.interviews(3, 600, seed=7)
    assert first == again
    assert [i.as_html() for i in first] == [i.as_html() for i in again]
    assert corpus.interviews(3, 600, seed=8) != first
    assert [i.name for i in first] == ["interview-0001", "interview-0002", "interview-0003"]
    for item in first:
        assert 600 <= item.words < 600 + 200  # "about N words": at most one more answer's worth


def test_both_renderings_hold_the_same_speech(bench: dict[str, ModuleType], tmp_path: Path) -> None:
    corpus = bench["corpus"]
    items = corpus.interviews(2, 400, seed=3)
    texts, pages = corpus.write(items, tmp_path)
    for item in items:
        text = (texts / f"{item.name}.txt").read_text(encoding="utf-8")
        page = (pages / f"{item.name}.html").read_text(encoding="utf-8")
        paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", page)]
        turns = [t for t in text.split("\n\n") if t]
        assert paragraphs == turns
        assert len(turns) == len(item.turns) > 2
        assert turns[0].startswith("Interviewer: ") and turns[1].startswith("Participant: ")


def test_percentile_median_ratio_and_verdict(bench: dict[str, ModuleType]) -> None:
    side = bench["side"]
    assert side.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert side.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0  # nearest rank: a measured value
    assert side.percentile([float(i) for i in range(1, 21)], 0.95) == 19.0
    assert side.summary([4.0, 1.0, 3.0, 2.0], "median") == 2.5
    with pytest.raises(ValueError):
        side.percentile([], 0.5)
    with pytest.raises(ValueError):
        side.summary([1.0], "mean")
    assert side.ratio(0.002, 0.010) == pytest.approx(0.2)
    with pytest.raises(ValueError):
        side.ratio(1.0, 0.0)
    assert side.verdict(0.2, 0.2) == "pass"
    assert side.verdict(0.2001, 0.2) == "fail"
    assert side.verdict(3.0, None) == "-"


def test_the_table_has_every_row_in_order_with_its_target(bench: dict[str, ModuleType]) -> None:
    side = bench["side"]
    samples = {
        "import": ([0.03, 0.01, 0.02], [0.04, 0.04, 0.04]),  # median 0.02 / 0.04 = 0.5: pass
        "add_coding": ([0.002, 0.001, 0.003], [0.010, 0.020, 0.030]),  # 0.002 / 0.02 = 0.1
        "open_page": ([0.05], [0.01]),
        "open_json": ([0.001], [0.005]),  # 0.2: pass
        "open_cpu": ([0.003], [0.01]),  # 0.3: fail
        "export_project": ([1.0, 2.0], [1.0, 1.0]),  # median 1.5: fail
        "export_codebook": ([0.1], [1.0]),
    }
    found = side.results(samples)
    assert [r.row.key for r in found] == [row.key for row in side.ROWS]
    assert [r.status for r in found] == ["pass", "pass", "fail", "pass", "fail", "fail", "pass"]
    assert [r.row.target for r in found] == [0.5, 0.2, 0.2, 0.2, 0.2, 0.5, 0.5]
    printed = side.table(found, 50).splitlines()
    assert printed[0].startswith("| operation (50 docs) | Thematica ms | Taguette ms | ratio |")
    assert printed[3] == "| add a coding over HTTP, p50 | 2.0 | 20.0 | 0.10 | ≤ 0.2 | pass |"
    assert printed[7] == "| whole-project export | 1,500.0 | 1,000.0 | 1.50 | ≤ 0.5 | fail |"
    assert len(printed) == 2 + len(side.ROWS)
    assert found[0].as_dict() == {
        "operation": "import, per document",
        "thematica_ms": 20.0,
        "taguette_ms": 40.0,
        "ratio": 0.5,
        "target": 0.5,
        "status": "pass",
    }


def test_interleaving_alternates_which_tool_goes_first(bench: dict[str, ModuleType]) -> None:
    calls: list[str] = []

    def ours(i: int) -> float:
        calls.append(f"T{i}")
        return float(i)

    def theirs(i: int) -> float:
        calls.append(f"G{i}")
        return 10.0 + i

    mine, other = bench["run"].interleave(4, ours, theirs)
    assert calls == ["T0", "G0", "G1", "T1", "T2", "G2", "G3", "T3"]
    assert (mine, other) == ([0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0])


def test_taguette_offsets_count_text_not_markup(bench: dict[str, ModuleType]) -> None:
    text_length = bench["run"].text_length
    assert text_length("<p>Interviewer: a &amp; b</p>\n<p>é</p>") == len("Interviewer: a & b\né")


def test_cpu_seconds_reads_a_process_cpu_time(bench: dict[str, ModuleType]) -> None:
    cpu_seconds = bench["run"].cpu_seconds
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.15
    while time.process_time() < deadline:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.1


GUARD = textwrap.dedent(
    """
    import importlib.util, socket, sys
    spec = importlib.util.spec_from_file_location("launch", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # installs the guard; main() (Taguette) is not run
    refused = []
    for attempt in (
        lambda: socket.create_connection(("192.0.2.1", 443), timeout=5),
        lambda: socket.socket().connect(("203.0.113.9", 443)),
        lambda: socket.getaddrinfo("msg.taguette.org", 443),
        lambda: socket.socket().connect_ex(("198.51.100.7", 80)),
    ):
        try:
            attempt()
        except OSError as error:
            refused.append("refused by the benchmark" in str(error))
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    local = socket.create_connection(server.getsockname(), timeout=5)
    local.close()
    server.close()
    print(refused)
    """
)


def test_the_launcher_refuses_any_address_not_on_this_machine() -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-c", GUARD, str(BENCH / "taguette_launch.py")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True, True, True, True]"  # all refused; the local one connected
    blocked = [line for line in done.stderr.splitlines() if line.startswith("BLOCKED")]
    assert blocked == [
        "BLOCKED lookup '192.0.2.1'",  # create_connection looks the address up first
        "BLOCKED connect ('203.0.113.9', 443)",
        "BLOCKED lookup 'msg.taguette.org'",
        "BLOCKED connect ('198.51.100.7', 80)",
    ]
