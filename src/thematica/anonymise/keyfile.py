"""The anonymisation key: a separate SQLite file, never inside the study.

It holds everything that could re-identify participants: real names and nicknames, the study's
deny-list, the findings of each scan (with their original text) and every applied replacement
(original -> pseudonym, and where it now stands in the anonymised text). The study can be shared
without it; with it, a lead can see the original of a span and scan again after corrections.

The file is marked with its own ``PRAGMA application_id`` ("THMK") and tied to one study by the
study's title and creation time.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from thematica import private_files
from thematica.errors import StudyError
from thematica.storage import faults

KEY_APPLICATION_ID = 0x54484D4B  # "THMK"
KEY_VERSION = 1
KEY_SUFFIX = ".thematica-key"


class KeyBase(DeclarativeBase):
    metadata = MetaData()


class KeyMetaRow(KeyBase):
    __tablename__ = "key_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_title: Mapped[str] = mapped_column(Text)
    study_created_at: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IdentityRow(KeyBase):
    """A person known to the study: a participant (label "Physio 4") or a team member."""

    __tablename__ = "identities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    real_name: Mapped[str] = mapped_column(String(300))
    nicknames: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(64))


class DenyTermRow(KeyBase):
    """Another name, place, employer, hospital or trust the user wants found."""

    __tablename__ = "deny_terms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(300), unique=True)
    category: Mapped[str] = mapped_column(String(64))
    replacement: Mapped[str] = mapped_column(String(300))
    person: Mapped[bool] = mapped_column(Boolean)


class FindingRow(KeyBase):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(Integer, index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    original: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64))
    detector: Mapped[str] = mapped_column(String(32))
    replacement: Mapped[str] = mapped_column(String(300))
    confidence: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|accepted|rejected
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReplacementRow(KeyBase):
    """An applied replacement: where the pseudonym now stands, and what it replaced."""

    __tablename__ = "replacements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(32))  # text | speaker | interviewer | source_name
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    original: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    applied_by: Mapped[str] = mapped_column(String(200))


class KeyCorrectionRow(KeyBase):
    """A correction's before and after (turn text or speaker name) for a transcript whose
    anonymisation has started; the study's ``corrections`` row ``correction_id`` says who and
    when, and that its before/after are here. Added after version 1 without changing it: a key
    file without this table gets it when a correction first writes to it."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    correction_id: Mapped[int] = mapped_column(Integer, index=True)
    transcript_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


def default_key_path(study: str) -> Path:
    """``msk.thematica`` -> ``msk.thematica-key`` beside it; for a server URL, in the current folder."""
    if "://" in study:
        return Path(f"study{KEY_SUFFIX}")
    path = Path(study)
    return (
        path.with_name(path.name + "-key")
        if path.suffix == ".thematica"
        else path.with_name(path.name + KEY_SUFFIX)
    )


def _pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    event.listen(engine, "connect", _pragmas)
    faults.install(engine)
    return engine


def create_key(path: Path, study_title: str, study_created_at: str) -> Engine:
    if path.exists():
        raise StudyError(f"{path}: a key file already exists here")
    if not path.parent.exists():
        raise StudyError(f"{path}: the folder {path.parent} does not exist")
    private_files.create_empty(path)  # 0600 before SQLite opens it, and so its journal too
    engine = _engine(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {KEY_APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {KEY_VERSION}")
    KeyBase.metadata.create_all(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        session.add(
            KeyMetaRow(
                id=1,
                study_title=study_title,
                study_created_at=study_created_at,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    path.chmod(0o600)
    return engine


def open_key(path: Path, study_title: str, study_created_at: str) -> Engine:
    if not path.exists():
        raise StudyError(
            f"{path}: no key file (create one with 'thematica anonymise identities' or give --key)"
        )
    with path.open("rb") as fh:
        header = fh.read(100)
    if (
        len(header) < 100
        or not header.startswith(b"SQLite format 3\x00")
        or int.from_bytes(header[68:72], "big") != KEY_APPLICATION_ID
    ):
        raise StudyError(f"{path}: not a Thematica key file")
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        meta = conn.execute(
            "SELECT study_title, study_created_at FROM key_meta WHERE id = 1"
        ).fetchone()
    finally:
        conn.close()
    if version != KEY_VERSION:
        raise StudyError(
            f"{path}: key file version {version}, this Thematica reads version {KEY_VERSION}"
        )
    if meta is None or (meta[0], meta[1]) != (study_title, study_created_at):
        raise StudyError(
            f"{path}: this key belongs to another study ({meta[0] if meta else 'unknown'!r})"
        )
    return _engine(path)
