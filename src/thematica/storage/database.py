"""Create and open study databases: a single SQLite file by default, PostgreSQL for team servers.

* SQLite: WAL, foreign keys on, ``PRAGMA application_id`` = ``THMA`` so other files are refused;
  an older study file is backed up beside itself and then migrated when opened.
* New studies are made by ``storage/creation.py``, which makes them appear complete or not at all.
* PostgreSQL (``postgresql+psycopg://...``): a team server is migrated deliberately, with
  ``thematica upgrade URL``; opening an out-of-date database is refused with that advice.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import QueuePool

from thematica import private_files
from thematica.errors import StudyError
from thematica.storage import faults

if TYPE_CHECKING:  # Alembic loads only to create or migrate a study (fast start)
    from alembic.config import Config

APPLICATION_ID = 0x54484D41  # "THMA"
SQLITE_MAGIC = b"SQLite format 3\x00"
STUDY_SUFFIX = ".thematica"
CREATION_MARKER = "thematica_creation"  # on a server: a creation began and has not finished
_MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Migration:
    """What happened when an older study was opened."""

    from_revision: str
    to_revision: str
    backup: Path | None


def is_url(location: str) -> bool:
    return "://" in location


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    """Every schema revision: each migration's file is named after its revision ("0008_….py"),
    so opening a study need not load Alembic (a test checks this against Alembic's own view)."""
    return {p.name.split("_", 1)[0] for p in (_MIGRATIONS / "versions").glob("[0-9]*_*.py")}


def head_revision() -> str:
    """The newest schema revision (the chain is linear: each revision follows the one before)."""
    return max(known_revisions())


def current_revision(engine: Engine) -> str | None:
    """The schema revision a database is at, or None when it holds no Thematica study."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target``. On SQLite, foreign-key enforcement is off while a
    migration rebuilds a table (SQLite's batch mode drops and recreates it), and the foreign keys
    are checked before the change is committed."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")  # outside any transaction
            conn.commit()
        from alembic import command

        with conn.begin():
            command.upgrade(_config(conn), target)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StudyError(
                        f"the upgrade would break {len(broken)} references; nothing was changed"
                    )
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")  # see ARCHITECTURE.md, "Durability"
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def _idle_on_return(dbapi_connection: Any, record: Any) -> None:
    """A PostgreSQL connection goes back into the pool outside any transaction, whatever
    happened: a failure inside COMMIT (a dropped network, a fault) can leave it in one, and the
    pool's own reset is skipped when SQLAlchemy believes the transaction already ended. A
    connection that cannot even roll back is discarded."""
    if dbapi_connection is None or int(dbapi_connection.info.transaction_status) == 0:  # IDLE
        return
    try:
        dbapi_connection.rollback()
    except Exception:  # broken beyond rollback: never hand it out again
        record.invalidate()


# A small pool per engine: connections (and SQLite's PRAGMAs) are made once, not per call.
# An idle pooled connection holds no lock; `StudyService.close` disposes of the pool.
POOL: dict[str, Any] = {"poolclass": QueuePool, "pool_size": 4, "max_overflow": 16}


def make_engine(location: str) -> Engine:
    """An engine for a study path or database URL (no check that a study is there)."""
    if is_url(location):
        try:
            url = make_url(location)
        except ArgumentError:
            raise StudyError(f"{location}: not a valid database URL") from None
        if url.get_backend_name() not in ("postgresql", "sqlite"):
            raise StudyError(f"{location}: Thematica studies live in SQLite or PostgreSQL")
        # PostgreSQL: a pooled connection is pinged before use, so one the server dropped (a
        # restart, an idle timeout) is replaced rather than failing the call; one that failed
        # inside COMMIT is rolled back or discarded by the pool (tests/storage/test_pool.py)
        pool = POOL if url.get_backend_name() == "sqlite" else {**POOL, "pool_pre_ping": True}
        engine = create_engine(url, **pool)
    else:
        engine = create_engine(f"sqlite:///{Path(location)}", **POOL)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine, "checkin", _idle_on_return)
    faults.install(engine)
    return engine


def sqlite_path(location: str) -> Path | None:
    if not is_url(location):
        return Path(location)
    url = make_url(location)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def check_sqlite_header(path: Path) -> None:
    """Refuse anything that is not a Thematica SQLite study, before SQLAlchemy touches it."""
    if not path.exists():
        raise StudyError(f"{path}: no such study file")
    if path.is_dir():
        raise StudyError(f"{path}: is a folder, not a study file")
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StudyError(f"{path}: not a Thematica study file (it is not an SQLite database)")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise StudyError(
            f"{path}: not a Thematica study file (an SQLite database of another program)"
        )


def _backup(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-rev{revision}-{stamp}")
    private_files.create_empty(target)  # before SQLite opens it: the backup holds every original
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_database(
    location: str, *, migrate_server: bool = False
) -> tuple[Engine, Migration | None]:
    """Open an existing study, migrating an older one (SQLite: after a backup beside it)."""
    path = sqlite_path(location)
    if path is not None:
        check_sqlite_header(path)
    engine = make_engine(location)
    try:
        revision = current_revision(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StudyError(f"{location}: cannot open the study ({exc.orig})") from None
    if path is None and inspect(engine).has_table(CREATION_MARKER):
        engine.dispose()
        raise StudyError(
            f"{location}: the creation of this study was interrupted; "
            "run the command that creates it again"
        )
    if revision is None:
        engine.dispose()
        raise StudyError(f"{location}: no Thematica study here (run 'thematica init' first)")
    if revision not in known_revisions():
        engine.dispose()
        raise StudyError(
            f"{location}: this study was written by a newer version of Thematica "
            f"(schema {revision}); upgrade Thematica to open it"
        )
    head = head_revision()
    if revision == head:
        return engine, None
    if path is None and not migrate_server:
        engine.dispose()
        raise StudyError(
            f"{location}: the database schema is at {revision}, this Thematica needs {head}; "
            f"back it up, then run 'thematica upgrade {location}'"
        )
    backup = _backup(path, revision) if path is not None else None
    upgrade(engine)
    return engine, Migration(revision, head, backup)
