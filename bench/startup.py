"""``python bench/run.py cli``: how long the command line takes to start.

Each command runs ``runs`` times as a fresh process (the way a user runs it); the minimum and
the median wall time are reported, with the load average, since a busy machine slows every
figure. Targets (issue 13): ``--help``, ``--version`` and every ``COMMAND --help`` under 0.3 s;
a command that opens a study under 0.6 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_COMMANDS = (
    ("--help",),
    ("--version",),
    ("counts", "--help"),
    ("transcripts", "import", "--help"),
    ("codebook", "merge", "--help"),
    ("anonymise", "scan", "--help"),
    ("report", "--help"),
    ("serve", "--help"),
)
STUDY_COMMANDS = (
    ("info", "{study}"),
    ("transcripts", "list", "{study}"),
    ("themes", "show", "{study}"),
    ("counts", "{study}"),
)


def _thematica() -> list[str]:
    found = shutil.which("thematica", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "thematica"]


def _time(argv: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def bench_cli(runs: int) -> None:
    exe = _thematica()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([*exe, "demo", scratch], check=True, capture_output=True)
        study = str(Path(scratch) / "demo.thematica")
        print(f"load average {os.getloadavg()[0]:.2f}; {runs} runs each; min / median")
        for label, commands, target in (
            ("help", HELP_COMMANDS, 0.3),
            ("opens a study", STUDY_COMMANDS, 0.6),
        ):
            for args in commands:
                argv = [*exe, *(a.format(study=study) for a in args)]
                low, mid = _time(argv, runs)
                verdict = "ok" if low < target else "over"
                shown = "thematica " + " ".join(args).replace("{study}", "demo.thematica")
                print(
                    f"  {shown:<44} {low:6.3f} s / {mid:6.3f} s  ({label}, target {target} s: {verdict})"
                )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
