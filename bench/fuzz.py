"""``python bench/run.py fuzz``: the importer fuzzer at full budget, with a watchdog.

Runs ``--inputs`` mutated files (default 100,000), spread evenly over every importer, through
the fuzzer in ``tests/faults/fuzzing.py`` in worker processes. Each input is fixed by the seed
and its number, so any finding can be regenerated alone. Reported:

* inputs, imported and refused per importer, with the slowest input and the 99th percentile;
* tracebacks: any exception other than the project's InputError, or the last-resort guard's
  "could not be read (ExceptionType)" (must be 0);
* hangs: inputs still running after ``--timeout`` seconds (default 10; must be 0). The worker is
  killed and a new one carries on after the input;
* the service slice: every ``--service-every``-th input that parses is imported into a fresh
  copy of a small study (a new study for a .qdpx); a refused import must leave the study
  exactly as it was (a snapshot of every table before and after) and a refused project no
  file at all. Partial imports must be 0;
* scaling: the time of pathological but valid shapes (one speaker's many cues, deep code paths,
  long guide questions, large registers) at n, 2n, 4n and 8n, to show cost grows linearly.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.faults import fuzzing  # noqa: E402
from tests.faults.fuzzing import TARGETS, Seeds  # noqa: E402

SEED = 20261203


@dataclass
class Result:
    number: int
    kind: str
    seconds: float  # the importer alone
    detail: str = ""
    service: str = ""  # "", "imported", "refused", "partial", "crash"
    service_seconds: float = 0.0


def plan(number: int) -> tuple[fuzzing.Target, int]:
    """Input ``number`` of a run: importers in turn, each with its own index."""
    return TARGETS[number % len(TARGETS)], number // len(TARGETS)


def _service(
    target: fuzzing.Target, data: bytes, parsed: object, base: Path, scratch: Path
) -> tuple[str, str]:
    from tests.conftest import snapshot

    from thematica.errors import ThematicaError

    for leftover in scratch.glob("*"):
        leftover.unlink()
    if target.name == "qdpx":
        location = scratch / "new.thematica"
        try:
            fuzzing.import_into(str(location), target, data, parsed)
        except ThematicaError as exc:
            left = sorted(p.name for p in scratch.glob("new.thematica*"))
            return ("partial", f"left {left}: {exc}") if left else ("refused", "")
        except Exception as exc:
            return "crash", repr(exc)[:300]
        return "imported", ""
    location = scratch / "study.thematica"
    shutil.copy(base, location)
    before = snapshot(str(location))
    try:
        fuzzing.import_into(str(location), target, data, parsed)
    except ThematicaError as exc:
        if "\n" in str(exc):
            return "crash", f"a message of several lines: {str(exc)[:200]!r}"
        if snapshot(str(location)) != before:
            return "partial", str(exc)[:200]
        return "refused", ""
    except Exception as exc:
        return "crash", repr(exc)[:300]
    return "imported", ""


def _worker(
    conn: Connection,
    seeds: Seeds,
    seed: int,
    start: int,
    stop: int,
    service_every: int,
    folder: Path,
) -> None:
    """Run inputs ``start`` to ``stop``, sending one Result per input as soon as it is done."""
    shutil.rmtree(folder, ignore_errors=True)  # what a killed worker left
    folder.mkdir(parents=True)
    base = folder / "base.thematica"
    fuzzing.base_study(str(base))
    scratch = folder / "scratch"
    scratch.mkdir()
    parsed_count: dict[str, int] = {}
    for number in range(start, stop):
        target, index = plan(number)
        data = fuzzing.make_input(seeds, target, seed, index)
        began = time.perf_counter()
        outcome = fuzzing.classify(target, data)
        result = Result(number, outcome.kind, time.perf_counter() - began, outcome.detail)
        if outcome.kind == "imported" and target.name in fuzzing.SERVICE_TARGETS:
            seen = parsed_count[target.name] = parsed_count.get(target.name, 0) + 1
            if seen % service_every == 0:
                began = time.perf_counter()
                result.service, detail = _service(target, data, outcome.parsed, base, scratch)
                result.service_seconds = time.perf_counter() - began
                result.detail = result.detail or detail
        conn.send(result)


@dataclass
class Totals:
    per_target: dict[str, dict[str, Any]] = field(default_factory=dict)
    hangs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    service: dict[str, int] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=dict)
    slowest_service: float = 0.0

    def add(self, result: Result) -> None:
        target, index = plan(result.number)
        row = self.per_target.setdefault(
            target.name, {"inputs": 0, "imported": 0, "refused": 0, "unexpected": 0, "crash": 0}
        )
        row["inputs"] += 1
        row[result.kind] += 1
        self.times.setdefault(target.name, []).append(result.seconds)
        if result.service:
            self.service[result.service] = self.service.get(result.service, 0) + 1
            self.slowest_service = max(self.slowest_service, result.service_seconds)
        failed = result.kind in ("unexpected", "crash") or result.service in ("partial", "crash")
        if failed and len(self.failures) < 100:
            self.failures.append(f"{target.name}[{index}] (input {result.number}): {result.detail}")

    def hang(self, number: int, timeout: float) -> None:
        target, index = plan(number)
        row = self.per_target.setdefault(
            target.name, {"inputs": 0, "imported": 0, "refused": 0, "unexpected": 0, "crash": 0}
        )
        row["inputs"] += 1
        self.hangs.append(f"{target.name}[{index}] (input {number}): over {timeout:g} s")


def _ranges(total: int, workers: int) -> list[tuple[int, int]]:
    step = -(-total // workers)
    return [(s, min(total, s + step)) for s in range(0, total, step)]


def run_fuzz(
    inputs: int, seed: int, workers: int, timeout: float, service_every: int, large: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    seeds = Seeds.load(large=large)
    context = multiprocessing.get_context("fork")  # the workers inherit the loaded seeds
    totals = Totals()
    # Each lane is a range of inputs run by one worker at a time; a hung worker is killed and
    # a new one carries on after the input it was stuck on.
    scratch = Path(tempfile.mkdtemp(prefix="thematica-fuzz-"))
    lanes = [
        {"next": start, "stop": stop, "proc": None, "conn": None, "folder": scratch / str(n)}
        for n, (start, stop) in enumerate(_ranges(inputs, workers))
    ]

    def launch(lane: dict[str, Any]) -> None:
        parent, child = context.Pipe(duplex=False)
        proc = context.Process(
            target=_worker,
            args=(child, seeds, seed, lane["next"], lane["stop"], service_every, lane["folder"]),
            daemon=True,
        )
        proc.start()
        child.close()
        lane["proc"], lane["conn"] = proc, parent
        lane["deadline"] = time.monotonic() + timeout + 60  # the first input waits for set-up

    for lane in lanes:
        launch(lane)
    done = 0
    while any(lane["next"] < lane["stop"] for lane in lanes):
        for lane in lanes:
            if lane["next"] >= lane["stop"]:
                continue
            conn: Connection = lane["conn"]
            if conn.poll(0.05):
                try:
                    result: Result = conn.recv()
                except EOFError:  # the worker died: count the input it was on as a crash
                    totals.add(Result(lane["next"], "crash", 0.0, "the worker process died"))
                    lane["next"] += 1
                    lane["proc"].join()
                    if lane["next"] < lane["stop"]:
                        launch(lane)
                    continue
                totals.add(result)
                lane["next"] = result.number + 1
                lane["deadline"] = time.monotonic() + timeout
                done += 1
                if done % 5000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"fuzz: {done:,} inputs, {rate:,.0f}/s", file=sys.stderr, flush=True)
            elif time.monotonic() > lane["deadline"]:
                lane["proc"].kill()
                lane["proc"].join()
                totals.hang(lane["next"], timeout)
                lane["next"] += 1
                if lane["next"] < lane["stop"]:
                    launch(lane)
    for lane in lanes:
        if lane["proc"] is not None:
            lane["proc"].join(timeout=30)
    shutil.rmtree(scratch, ignore_errors=True)

    per_target = {}
    for target in TARGETS:
        row = totals.per_target.get(target.name, {"inputs": 0})
        times = sorted(totals.times.get(target.name, [0.0]))
        row["p99_ms"] = round(times[min(len(times) - 1, int(0.99 * len(times)))] * 1000, 1)
        row["max_ms"] = round(times[-1] * 1000, 1)
        per_target[target.name] = row
    tracebacks = sum(r.get("unexpected", 0) + r.get("crash", 0) for r in per_target.values())
    tracebacks += totals.service.get("crash", 0)
    return {
        "benchmark": "fuzz",
        "seed": seed,
        "inputs": sum(r["inputs"] for r in per_target.values()),
        "workers": workers,
        "shared_seeds": seeds.skipped or "used",
        "seeds_per_importer": {k: len(v) for k, v in seeds.by_target.items()},
        "tracebacks": tracebacks,
        "hangs_over_timeout": len(totals.hangs),
        "timeout_s": timeout,
        "partial_imports": totals.service.get("partial", 0),
        "service_slice": totals.service,
        "slowest_import_ms": max(r["max_ms"] for r in per_target.values()),
        "slowest_service_import_ms": round(totals.slowest_service * 1000, 1),
        "per_importer": per_target,
        "failures": totals.failures + totals.hangs,
        "seconds": round(time.perf_counter() - started, 1),
    }


# --------------------------------------------------------------------------- scaling


def _timed(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        try:
            action()
        except Exception as exc:  # a refusal is a result too; the time is what is measured
            from thematica.errors import InputError

            if not isinstance(exc, InputError):
                raise
        best = min(best, time.perf_counter() - began)
    return best


def _shapes() -> dict[str, Callable[[int], Callable[[], object]]]:
    from thematica.importers import read_transcript
    from thematica.importers.codebook import read_codebook
    from thematica.importers.guide import read_guide
    from thematica.importers.register import read_register

    def one_speaker(n: int) -> Callable[[], object]:
        cues = "".join(
            f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000 --> "
            f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.500\n<v Ann>word {i}</v>\n\n"
            for i in range(n)
        )
        data = f"WEBVTT\n\n{cues}".encode()
        return lambda: read_transcript(data, "one-speaker.vtt")

    def deep_rows(n: int) -> Callable[[], object]:
        rows = "".join(" > ".join(f"L{r}.{d}" for d in range(32)) + "\n" for r in range(n))
        data = f"path\n{rows}".encode()
        return lambda: read_codebook(data, "deep.csv")

    def too_deep(n: int) -> Callable[[], object]:
        data = ("path\n" + " > ".join(f"L{d}" for d in range(n)) + "\n").encode()
        return lambda: read_codebook(data, "too-deep.csv")

    def wrapped_question(n: int) -> Callable[[], object]:
        data = ("1. How\n" + "".join(f"more words {i}\n" for i in range(n))).encode()
        return lambda: read_guide(data, "guide.md")

    def register(n: int) -> Callable[[], object]:
        data = (
            "group,age,site\n" + "".join(f"G{i % 7},{i % 90},S{i}\n" for i in range(n))
        ).encode()
        return lambda: read_register(data, "register.csv")

    def unclosed_tags(n: int) -> Callable[[], object]:
        data = ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n" + "<v a" * (n * 2) + "\n").encode()
        return lambda: read_transcript(data, "tags.vtt")

    return {
        "vtt: one speaker, n cues": one_speaker,
        "vtt: one cue of 2n unclosed '<v a' tags": unclosed_tags,
        "codebook csv: n rows of 32 levels": deep_rows,
        "codebook csv: one path of n levels (refused)": too_deep,
        "guide: one question wrapped over n lines": wrapped_question,
        "register csv: n rows": register,
    }


def run_scaling(base: int = 2500) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, shape in _shapes().items():
        sizes = [base * k for k in (1, 2, 4, 8)]
        seconds = [_timed(shape(n)) for n in sizes]
        out[name] = {
            "n": sizes,
            "ms": [round(s * 1000, 1) for s in seconds],
            "ratio_8n_to_n": round(seconds[-1] / max(seconds[0], 1e-9), 1),
        }
    return out
