"""Running the ``thematica`` CLI as a subprocess that ``kill -9``s itself at its Nth fault point
(see ``storage/faults.py``), and checking what it left behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.service import StudyService

THEMATICA = Path(sys.executable).with_name("thematica")
KILLED = -signal.SIGKILL


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEMATICA_FAULT_")}
    env.update(extra)
    return env


def fault_points(args: list[str], cwd: Path) -> int:
    """How many fault points the command passes when it runs to the end."""
    count = cwd / "fault-count.txt"
    done = subprocess.run(
        [str(THEMATICA), *args],
        cwd=cwd,
        env=cli_env(THEMATICA_FAULT_COUNT=str(count)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    points = int(count.read_text())
    count.unlink()
    return points


def killed_at(point: int, args: list[str], cwd: Path) -> None:
    """Run the command armed to die at ``point``; it must die there, not finish or fail."""
    done = subprocess.run(
        [str(THEMATICA), *args],
        cwd=cwd,
        env=cli_env(THEMATICA_FAULT_KILL_AT=str(point)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == KILLED, (point, done.returncode, done.stderr[-2000:])


def spread(total: int, count: int, last: int = 0) -> list[int]:
    """``count`` kill points spread evenly over 1..total, plus the ``last`` final ones (where a
    creation publishes its result)."""
    even = {1 + round(i * (total - 1) / (count - 1)) for i in range(count)} if count > 1 else {1}
    return sorted(even | set(range(max(1, total - last + 1), total + 1)))


def invoke(args: list[str]) -> None:
    """Run the command again in this process (not armed), as a user re-running it would."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)


def sound(path: Path) -> None:
    """The study file passes SQLite's integrity check and opens as a study."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    StudyService.open(str(path)).close()


def row_counts(location: str) -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot(location).items()}


def visible_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}
