"""Files only their owner may read: studies, key files, backups and exports hold participants' words.

Every file Thematica creates is made 0600 and every folder 0700, whatever the umask: the mode is
given when the file is created (so it is never briefly readable by others) and set again with
``fchmod``, since a umask only ever removes bits and an existing file keeps its old mode.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def create_empty(path: Path) -> None:
    """Create ``path`` as an empty private file; fail if anything is there already."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


@contextmanager
def open_private(path: Path, mode: Literal["wb", "w"] = "wb") -> Iterator[IO[bytes]]:
    """Open ``path`` for writing (truncating it), private from the moment it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "wb") as fh:
        yield fh


def write_bytes(path: Path, data: bytes) -> Path:
    with open_private(path) as fh:
        fh.write(data)
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def make_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as private folders; an existing folder is left as
    its owner set it, since it may be shared on purpose (the user's documents, a project folder)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        folder.chmod(PRIVATE_FOLDER)
    if not path.is_dir():
        raise NotADirectoryError(path)
    return path


def exposure(path: Path) -> str | None:
    """Who besides the owner can read or write ``path``, in words; None when nobody can."""
    mode = stat.S_IMODE(path.stat().st_mode)
    who = []
    if mode & (stat.S_IRGRP | stat.S_IWGRP):
        who.append("its group")
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        who.append("everyone")
    if not who:
        return None
    return f"{path}: readable or writable by {' and '.join(who)} (mode {mode:04o}); run: chmod 600 '{path}'"
