"""Two coders' agreement over the whole study (all codes, participants and turns, every
disagreement with its text), timed in child processes, optionally interleaved with another
source tree (the code before a change) on the same study.

    python bench/run.py agreement [--study PATH] [--runs 5] [--against OTHER/src]

Each run starts a fresh child (``PYTHONPATH`` = this tree's ``src``, or ``--against``), opens
the study and times ``StudyService.agreement("Coder A", "Coder B")``: ``first``, the first call
(it also loads the analysis modules), then warm calls under each convention (``applied``, the
default, and ``nvivo``: every code x transcript pair). Issue 15's target (< 1.5 s) is for the
warm ``applied`` call, as ``bench/run.py analysis`` has always measured it. Then, warm (the
second call), single counts at level two, the same by group, and the matrix by ``setting``. With
``--against``, the two trees alternate run by run, so a busy machine slows both alike. Reports
the median and minimum per tree and convention, and the load average before and after (the
machine is shared: say so beside any figure).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

CHILD = """
import json, sys, time
from thematica.service import StudyService
figures = {}
with StudyService.open(sys.argv[1]) as study:
    for convention in ("first", "applied", "nvivo"):
        started = time.perf_counter()
        report = study.agreement(
            "Coder A", "Coder B", convention="applied" if convention == "first" else convention
        )
        figures[convention] = time.perf_counter() - started
        figures[convention + "_disagreements"] = len(report.disagreements)
        del report
    from thematica.domain import Level
    for name, action in (
        ("counts", lambda: study.counts(level=Level.TWO)),
        ("counts_by_group", lambda: study.counts(level=Level.TWO, by="group")),
        ("matrix", lambda: study.matrix("setting", level=Level.TWO)),
    ):
        action()
        started = time.perf_counter()
        action()
        figures[name] = time.perf_counter() - started
print(json.dumps(figures))
"""
KINDS = ("first", "applied", "nvivo", "counts", "counts_by_group", "matrix")


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _child(src: Path, study: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(study)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def bench_agreement(study: Path, runs: int, against: Path | None) -> None:
    trees = {"this": SRC, **({"against": against} if against else {})}
    load_before = _loadavg()
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(runs):
        for name, src in trees.items():
            samples[name].append(_child(src, study))
    summary = {}
    for name, found in samples.items():
        summary[name] = {
            "src": str(trees[name]),
            **{f"{c}_median_s": round(statistics.median(f[c] for f in found), 3) for c in KINDS},
            **{f"{c}_min_s": round(min(f[c] for f in found), 3) for c in KINDS},
            "disagreements": found[0]["applied_disagreements"],
            "applied_runs": [round(f["applied"], 3) for f in found],
        }
    print(
        json.dumps(
            {
                "benchmark": "agreement",
                "study": str(study),
                "loadavg_before": load_before,
                "loadavg_after": _loadavg(),
                "trees": summary,
            },
            indent=2,
        )
    )
