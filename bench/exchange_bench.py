"""``run.py exchange``: REFI-QDA export and re-import of an analysed study, each in a forked
child that reports its own peak memory (issue 15: under 15 s each and 400 MB on workload L);
``--repeat N`` runs each N times and reports the best time and the largest peak."""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path


def _exchange_export(study_path: Path, qdpx: Path) -> dict[str, float]:
    """In a child: export the study to REFI-QDA in memory (as the CLI does), timed; then save
    the file for the import."""
    import io

    from thematica.exchange.refi import write_qdpx
    from thematica.service import StudyService

    started = time.perf_counter()
    with StudyService.open(str(study_path)) as study:
        project = study.export_project()
    buffer = io.BytesIO()
    write_qdpx(project, buffer)
    export_s = time.perf_counter() - started
    qdpx.write_bytes(buffer.getbuffer())
    return {
        "sources": len(project.sources),
        "codings": sum(len(s.codings) for s in project.sources),
        "qdpx_mb": round(qdpx.stat().st_size / 2**20, 1),
        "export_s": round(export_s, 2),
    }


def _exchange_import(qdpx: Path, target: Path) -> dict[str, float]:
    """In a child: import the .qdpx (already read into memory) into a new study, timed."""
    from thematica.exchange.refi import read_qdpx
    from thematica.service import StudyService

    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    data = qdpx.read_bytes()
    started = time.perf_counter()
    imported = read_qdpx(data, "large.qdpx")
    read = time.perf_counter()
    with StudyService.create_from_project(str(target), imported) as study:
        stored = time.perf_counter()
        codings = sum(code.codings for code in study.codes())  # checked outside the timing
    return {
        "codings_after_import": codings,
        "import_s": round(stored - started, 2),
        # its two halves: reading the .qdpx (unzip, parse, check) and writing the new study
        "import_read_s": round(read - started, 2),
        "import_store_s": round(stored - read, 2),
    }


def _measured(work: Callable[[], dict[str, float]], peak_key: str) -> dict[str, float]:
    """``work()`` in a forked child, with the child's peak memory (maximum resident set size)
    under ``peak_key``."""
    import multiprocessing

    def run(send: Connection) -> None:
        result = work()
        result[peak_key] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        send.send(result)

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=run, args=(send,))
    child.start()
    send.close()
    try:
        result: dict[str, float] = receive.recv()
    except EOFError:
        child.join()
        raise SystemExit(f"the benchmark's child failed (exit code {child.exitcode})") from None
    child.join()
    return result


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _best(runs: list[dict[str, float]], seconds: str, peak: str) -> dict[str, float]:
    """The fastest of ``runs`` (by ``seconds``), with the largest ``peak`` of any of them: the
    time is the least the machine's noise allowed, the memory the most any run needed."""
    best = dict(min(runs, key=lambda run: run[seconds]))
    best[peak] = max(run[peak] for run in runs)
    return best


def bench_exchange(study_path: Path, out: Path, repeat: int = 1) -> None:
    """Export the analysed study to REFI-QDA and import it into a new study (both files under
    ``out``), each in a child process of its own, so each reports its own peak memory (MB);
    ``repeat`` times, alternating export and import: the best time, the largest peak."""
    qdpx = out / "exchange.qdpx"
    target = out / "exchange-reimport.thematica"
    load_before = _loadavg()
    exports: list[dict[str, float]] = []
    imports: list[dict[str, float]] = []
    for _ in range(max(1, repeat)):
        exports.append(_measured(partial(_exchange_export, study_path, qdpx), "export_peak_mb"))
        imports.append(_measured(partial(_exchange_import, qdpx, target), "import_peak_mb"))
    print(
        json.dumps(
            {
                "benchmark": "exchange",
                "repeat": len(exports),
                **_best(exports, "export_s", "export_peak_mb"),
                **_best(imports, "import_s", "import_peak_mb"),
                "export_runs_s": [run["export_s"] for run in exports],
                "import_runs_s": [run["import_s"] for run in imports],
                "loadavg_before": load_before,
                "loadavg_after": _loadavg(),
            },
            indent=2,
        )
    )
