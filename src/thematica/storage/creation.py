"""Creating a study so that it appears complete or not at all, even under ``kill -9``.

* SQLite: the study is built in a hidden file beside the target,
  ``.NAME.partial-<pid>-<random>``, made private (0600) before SQLite first opens it so that its
  ``-wal`` and ``-shm`` files are private too. :meth:`Creation.publish`, after the last commit,
  folds the write-ahead log into the file, closes it, flushes it to disk and links it into place
  (a hard link never replaces an existing file), then flushes the folder. A creation killed before
  that leaves only hidden ``.partial-`` files, which the next creation of the same target removes
  once the process that made them is gone.
* PostgreSQL: a marker table, ``thematica_creation``, is committed first and dropped by
  :meth:`Creation.publish`. A database holding the marker is a half-made study: opening it is
  refused, and the next creation at that URL drops it and starts again.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from thematica import private_files
from thematica.errors import StudyError
from thematica.storage import faults
from thematica.storage.database import (
    APPLICATION_ID,
    CREATION_MARKER,
    make_engine,
    sqlite_path,
    upgrade,
)

PARTIAL = ".partial-"
MARKER = CREATION_MARKER
_SIDE_FILES = ("-wal", "-shm", "-journal")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_partials(target: Path) -> list[Path]:
    """Hidden files left by creations of ``target`` whose process is gone."""
    prefix = f".{target.name}{PARTIAL}"
    stale = []
    for candidate in target.parent.iterdir():
        if not candidate.name.startswith(prefix):
            continue
        pid = candidate.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            stale.append(candidate)
    return stale


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_family(built: Path) -> None:
    """Every file of one creation: its hidden study, the study's log, its companions and
    anything made beside them (a key's lock file), all named after the hidden study."""
    for leftover in built.parent.iterdir():
        if leftover.name.startswith(built.name):
            leftover.unlink(missing_ok=True)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        for leftover in (path, *(Path(f"{path}{s}") for s in _SIDE_FILES)):
            leftover.unlink(missing_ok=True)


def _place(built: Path, final: Path) -> None:
    """Give ``built`` the name ``final`` without ever replacing a file already there."""
    faults.point("creation: link into place")
    try:
        os.link(built, final)
    except FileExistsError:
        raise StudyError(
            f"{final}: a file of that name appeared meanwhile; nothing was replaced"
        ) from None
    except OSError:  # a file system without hard links: check, then rename
        if final.exists():
            raise StudyError(
                f"{final}: a file of that name appeared meanwhile; nothing was replaced"
            ) from None
        built.rename(final)
        return
    faults.point("creation: remove the temporary name")
    built.unlink()


class Creation:
    """A new study being built at :attr:`engine`; it becomes the study at ``target`` only when
    :meth:`publish` returns. Call :meth:`abandon` if anything fails before then."""

    def __init__(self, target: str, engine: Engine, built: Path | None) -> None:
        self.target = target
        self.engine = engine
        self._built = built
        self._companions: list[tuple[Path, Path]] = []

    def companion(self, final: Path) -> Path:
        """Where to build another file that must appear with the study (its key file): it is
        put in place at ``final`` just before the study itself."""
        if final.exists():
            raise StudyError(f"{final}: a file of that name already exists; choose another name")
        if self._built is None:
            return final
        built = self._built.with_name(f"{self._built.name}-{final.name}")
        self._companions.append((built, final))
        return built

    def publish(self) -> Engine:
        """Make the study appear at its target; return an engine on it."""
        if self._built is None:
            with self.engine.begin() as conn:
                conn.execute(text(f"DROP TABLE {MARKER}"))
            return self.engine
        with self.engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        self.engine.dispose()
        if busy is not None and busy[0] != 0:
            raise StudyError(f"{self.target}: the new study is still in use; it was not created")
        log = Path(f"{self._built}-wal")
        if log.exists() and log.stat().st_size:
            raise StudyError(f"{self.target}: the new study's log was not folded in")
        for built in (*(b for b, _ in self._companions), self._built):
            _fsync(built)
        final = sqlite_path(self.target)
        assert final is not None
        placed: list[Path] = []
        try:
            for built, companion in self._companions:
                _place(built, companion)
                placed.append(companion)
            _place(self._built, final)
        except BaseException:
            _remove(placed)
            raise
        _fsync(final.parent)
        _remove_family(self._built)
        return make_engine(self.target)

    def abandon(self) -> None:
        """Remove what was built (best effort: the next creation cleans anything left)."""
        self.engine.dispose()
        if self._built is not None:
            _remove_family(self._built)
            return
        with contextlib.suppress(SQLAlchemyError):  # the next creation drops it instead
            _drop_everything(self.engine)
        self.engine.dispose()


def _drop_everything(engine: Engine) -> None:
    """Drop a half-made study: every table in a database that was empty when creation began."""
    with engine.begin() as conn:
        for table in inspect(conn).get_table_names():
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))


def begin(location: str) -> Creation:
    """Start creating a study at ``location``; refuse to overwrite anything."""
    final = sqlite_path(location)
    if final is None:
        return _begin_server(location)
    if final.exists():
        raise StudyError(f"{final}: a file of that name already exists; choose another name")
    if not final.parent.is_dir():
        raise StudyError(f"{final}: the folder {final.parent} does not exist")
    _remove(stale_partials(final))
    built = final.with_name(f".{final.name}{PARTIAL}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        private_files.create_empty(built)
    except OSError as exc:
        raise StudyError(f"{final}: cannot create the study ({exc.strerror or exc})") from None
    engine = make_engine(str(built))
    creation = Creation(location, engine, built)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        upgrade(engine)
    except OperationalError as exc:
        creation.abandon()
        raise StudyError(f"{location}: cannot create the study ({exc.orig})") from None
    except BaseException:
        creation.abandon()
        raise
    return creation


def _begin_server(location: str) -> Creation:
    engine = make_engine(location)
    creation = Creation(location, engine, None)
    try:
        tables = inspect(engine).get_table_names()
        if MARKER in tables:
            _drop_everything(engine)  # an earlier creation was interrupted
        elif tables:
            raise StudyError(f"{location}: this database already holds tables; use an empty one")
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE {MARKER} (started_by integer NOT NULL)"))
            conn.execute(text(f"INSERT INTO {MARKER} VALUES (:pid)"), {"pid": os.getpid()})
        upgrade(engine)
    except OperationalError as exc:
        creation.abandon()
        raise StudyError(f"{location}: cannot create the study ({exc.orig})") from None
    except StudyError:
        engine.dispose()
        raise
    except BaseException:
        creation.abandon()
        raise
    return creation
