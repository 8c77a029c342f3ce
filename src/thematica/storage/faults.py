"""A fault-injection hook for the crash tests: die at the Nth fault point of a process.

A *fault point* is every SQL statement sent to a database (study or key file), every commit, and
every call of :func:`point` that a module makes around a step that is not SQL (a file rename, a
key file written). The hook is armed only when the process starts with
``THEMATICA_FAULT_KILL_AT=N`` in its environment: it then sends itself ``SIGKILL`` on reaching
point N, as a power cut or ``kill -9`` would, with no chance to clean up. With
``THEMATICA_FAULT_COUNT=FILE`` the process writes how many points it passed to FILE when it
exits normally, so a test can enumerate every kill point of an operation. Neither variable is
read by anything else, and without them the hook costs one ``if`` per statement.
"""

from __future__ import annotations

import atexit
import os
import signal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

_KILL_AT = int(os.environ.get("THEMATICA_FAULT_KILL_AT", "0") or 0)
_COUNT_FILE = os.environ.get("THEMATICA_FAULT_COUNT", "")
_ARMED = _KILL_AT > 0 or bool(_COUNT_FILE)
_passed = 0


def point(_label: str = "") -> None:
    """One fault point; kills the process here when it is the chosen one."""
    global _passed
    if not _ARMED:
        return
    _passed += 1
    if _passed == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def _on_statement(*_args: Any, **_kwargs: Any) -> None:
    point("statement")


def _on_commit(*_args: Any, **_kwargs: Any) -> None:
    point("commit")


def install(engine: Engine) -> None:
    """Count this engine's statements and commits as fault points (only when armed)."""
    if not _ARMED:
        return
    event.listen(engine, "before_cursor_execute", _on_statement)
    event.listen(engine, "commit", _on_commit)


def _write_count() -> None:
    Path(_COUNT_FILE).write_text(str(_passed), encoding="utf-8")


if _COUNT_FILE:
    atexit.register(_write_count)
