"""The key file's side of a crash-safe ``anonymise apply``: a lock, and a copy from before the run.

``apply`` changes two databases (the study and the key file) that cannot commit together. So
before it touches the key it saves a complete copy of it beside it (``KEY.before-TOKEN``, 0600,
written under a temporary name, synced, then renamed). If the run dies before the study has
committed, the next opening puts that copy back, and key and study are both as they were;
once the study has committed, the copy is removed. The study records which of the two happened
(``anonymisation_runs``), so the two files always end up both before or both after.

Every anonymisation step holds the key's lock (an advisory lock on ``KEY.lock``) so that this
recovery can never mistake a run still going on in another process for one that died. The
operating system releases the lock of a killed process.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from thematica.storage import faults

PARTIAL = ".partial"


def copy_path(key: Path, token: str) -> Path:
    return key.with_name(f"{key.name}.before-{token}")


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened for fsync there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(key: Path) -> Iterator[None]:
    """Hold the key's lock (waiting for another process's step to finish)."""
    if sys.platform == "win32" or not key.parent.is_dir():  # pragma: no cover
        yield  # no advisory locks there; a missing folder is reported when the key is opened
        return
    import fcntl

    fd = os.open(key.with_name(key.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def save(key: Path, token: str) -> None:
    """A complete, synced copy of the key file as it is now, created 0600."""
    target = copy_path(key, token)
    partial = target.with_name(target.name + PARTIAL)
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(key)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    faults.point("key copy written")
    partial.replace(target)
    _sync_folder(key.parent)
    faults.point("key copy in place")


def restore(key: Path, token: str) -> bool:
    """Put the copy back over the key file; False when there is no (complete) copy, which means
    the run never got as far as changing the key."""
    source = copy_path(key, token)
    if not source.exists():
        return False
    # a journal left by the interrupted commit belongs to the changed file, not to the copy
    for suffix in ("-journal", "-wal", "-shm"):
        key.with_name(key.name + suffix).unlink(missing_ok=True)
        faults.point("key journal removed")
    source.replace(key)
    _sync_folder(key.parent)
    faults.point("key copy restored")
    return True


def discard(key: Path, token: str) -> None:
    """Remove the copy (and a copy never completed): the run is over, one way or the other."""
    target = copy_path(key, token)
    for path in (target.with_name(target.name + PARTIAL), target):
        if path.exists():
            path.unlink()
            faults.point("key copy removed")
