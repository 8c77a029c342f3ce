"""Workload L against workload XL (issue 15): does every figure grow no faster than the study?

    python bench/run.py scale            # L (1,000 x 8,000 words, 2 x 100,000 codings), then XL
    python bench/run.py scale --sizes L  # one size only (its figures, no ratios)

XL is 3,000 transcripts of 8,000 words with two coders' 300,000 codings each: three times L
in transcripts and in codings. For each size this runs, each in a child process of its own,
``run.py import`` (the transcripts' import, with the floor), ``run.py analysis --only`` for each
of counts, counts by group, matrix, saturation, agreement with its disagreements and
co-occurrence (best of ``--repeat``; one command per process, so its peak memory is that
command's), ``run.py exchange`` (REFI-QDA export and re-import, best of ``--repeat``, each run in
a child that reports its own peak; the largest is kept) and ``run.py web`` (a transcript page and adding codings over HTTP), and reads each
child's peak memory from the kernel (``os.wait4``: that child, not the largest child so far).
The study of each size is built once under ``bench/out`` and reused.

It prints every figure of both sizes, their ratio XL / L against the size ratio (3: a ratio at
or below it grows no faster than linearly), and each child's peak memory against issue 15's
1 GB. Building XL the first time takes about 3 minutes here; the two sizes' runs about 10.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEAK_LIMIT_MB = 1024


@dataclass(frozen=True)
class Size:
    name: str
    transcripts: int
    codings: int  # per coder


SIZES = {"L": Size("L", 1000, 100_000), "XL": Size("XL", 3000, 300_000)}


def _run(args: list[str]) -> tuple[dict[str, object], float]:
    """``run.py ARGS`` in a child process: its JSON answer (the last JSON object it prints)
    and its own peak resident memory in MB."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "run.py"), *args], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"run.py {' '.join(args)} failed with exit code {child.returncode}")
    answer = json.loads(out[out.index("{") :])  # after any progress lines
    return answer, usage.ru_maxrss / 1024  # kilobytes on Linux


def _figures(
    size: Size, words: int, repeat: int, analyses: tuple[str, ...]
) -> dict[str, tuple[float, float]]:
    """Every timed figure of one size, with the peak memory of the child that measured it."""
    common = ["--transcripts", str(size.transcripts), "--words", str(words)]
    found: dict[str, tuple[float, float]] = {}
    imported, peak = _run(["import", *common])
    found["import (s)"] = (float(imported["seconds"]), peak)  # type: ignore[arg-type]
    found["import / floor"] = (float(imported["import_over_floor"]), peak)  # type: ignore[arg-type]
    for only in analyses:  # each alone: a command's peak memory is its own
        options = ["--codings", str(size.codings), "--repeat", str(repeat), "--only", only]
        analysed, peak = _run(["analysis", *common, *options])
        for name, value in analysed["best_of"].items():  # type: ignore[union-attr]
            if name.endswith("_s"):
                found[f"{name[:-2]} (s)"] = (float(value), peak)
    exchanged, _ = _run(
        ["exchange", *common, "--codings", str(size.codings), "--repeat", str(repeat)]
    )
    for step in ("export", "import"):  # each ran in a child of its own, which reports its peak
        found[f"REFI {step} (s)"] = (
            float(exchanged[f"{step}_s"]),  # type: ignore[arg-type]
            float(exchanged[f"{step}_peak_mb"]),  # type: ignore[arg-type]
        )
    for half in ("read", "store"):  # the fastest import's two halves, to see which one grows
        found[f"REFI import: {half} (s)"] = (
            float(exchanged[f"import_{half}_s"]),  # type: ignore[arg-type]
            float(exchanged["import_peak_mb"]),  # type: ignore[arg-type]
        )
    web, peak = _run(["web", *common, "--codings", str(size.codings), "--opens", "30"])
    for name in ("open_transcript_page", "add_coding"):
        found[f"{name} p95 (ms)"] = (float(web[name]["p95_ms"]), peak)  # type: ignore[index]
    return found


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_scale(sizes: list[str], words: int, repeat: int, analyses: tuple[str, ...]) -> None:
    """``analyses``: the names ``run.py analysis --only`` takes."""
    started, load_before = time.perf_counter(), _loadavg()
    results = {name: _figures(SIZES[name], words, repeat, analyses) for name in sizes}
    table: list[dict[str, object]] = []
    for figure in results[sizes[0]]:
        row: dict[str, object] = {"figure": figure}
        for name in sizes:
            value, peak = results[name][figure]
            row[name] = value
            row[f"{name} peak MB"] = round(peak)
        if len(sizes) == 2:
            small, large = (results[name][figure][0] for name in sizes)
            row["ratio"] = round(large / small, 2) if small else None
        table.append(row)
    growth = SIZES[sizes[1]].transcripts / SIZES[sizes[0]].transcripts if len(sizes) == 2 else None
    peaks = [round(results[n][f][1]) for n in sizes for f in results[n]]
    print(
        json.dumps(
            {
                "benchmark": "scale",
                "sizes": {n: vars(SIZES[n]) for n in sizes},
                "size_ratio": growth,
                "figures": table,
                "largest_peak_mb": max(peaks),
                "every_peak_under_1_gb": max(peaks) < PEAK_LIMIT_MB,
                "minutes": round((time.perf_counter() - started) / 60, 1),
                "loadavg_before": load_before,
                "loadavg_after": _loadavg(),
            },
            indent=2,
        )
    )
