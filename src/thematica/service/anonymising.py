"""The anonymisation part of ``StudyService``: every call opens the study and its key file.

The key is committed before the study, so an interruption can leave the key recording a
replacement that the study does not yet show, never the study holding a pseudonym whose
original is lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from thematica.anonymise.detect import NameEntry
from thematica.anonymise.keyfile import create_key, open_key
from thematica.anonymise.ner import Pipeline
from thematica.errors import ThematicaError
from thematica.service import anonymise as an
from thematica.service.core import StudyService
from thematica.storage.models import StudyRow


class AnonymisingStudy:
    """A study together with its anonymisation key file."""

    def __init__(self, study: StudyService, key_path: Path) -> None:
        self.study = study
        self.key_path = key_path

    def _identity(self) -> tuple[str, str]:
        with Session(self.study.engine) as session:
            row = session.get(StudyRow, 1)
            assert row is not None
            return row.title, row.created_at.replace(tzinfo=None).isoformat()

    def _key_engine(self, create: bool = False) -> Engine:
        title, created = self._identity()
        if create and not self.key_path.exists():
            return create_key(self.key_path, title, created)
        return open_key(self.key_path, title, created)

    @contextmanager
    def _both(self, *, create: bool = False) -> Iterator[tuple[Session, Session]]:
        key_engine = self._key_engine(create)
        try:
            with Session(self.study.engine) as study, Session(key_engine) as key:
                study.begin()
                key.begin()
                try:
                    yield study, key
                except BaseException:
                    key.rollback()
                    study.rollback()
                    raise
                key.commit()
                study.commit()
        finally:
            key_engine.dispose()

    def import_identities(self, data: bytes, source: str) -> int:
        with self._both(create=True) as (_study, key):
            return an.import_identities(key, data, source)

    def import_deny_list(self, data: bytes, source: str) -> int:
        with self._both(create=True) as (_study, key):
            return an.import_deny_list(key, data, source)

    def scan(self, refs: Sequence[str] = (), *, ner: Pipeline | None = None) -> an.ScanReport:
        with self._both() as (study, key):
            return an.scan(study, key, refs, ner)

    def findings(self, status: str | None = "pending") -> tuple[an.FindingView, ...]:
        with self._both() as (study, key):
            return an.findings(study, key, status)

    def decide(self, actor: str, **decisions: object) -> int:
        with self._both() as (study, key):
            who = an.require_original_access(study, actor)
            return an.decide(key, who, **decisions)  # type: ignore[arg-type]

    def apply(self, actor: str) -> an.ApplyReport:
        with self._both() as (study, key):
            report = an.apply(study, key, actor)
        return replace(report, scrubbed=self.study.scrub())

    def original(self, ref: str, start: int, end: int, actor: str) -> tuple[str, str]:
        with self._both() as (study, key):
            return an.original(study, key, ref, start, end, actor)

    def check(self) -> list[an.Residue]:
        with self._both() as (study, key):
            return an.residual_check(study, an.known_originals(key))

    def known_originals(self) -> list[NameEntry]:
        with self._both() as (_study, key):
            return an.known_originals(key)


def check_without_key(study: StudyService) -> list[an.Residue]:
    """Patterns only (e-mails, phone and NHS numbers, postcodes, ...): what anyone can check."""
    with Session(study.engine) as session:
        return an.residual_check(session, [])


def require_key(path: Path | None, study: str) -> Path:
    if path is None:
        raise ThematicaError(f"{study}: give the key file with --key")
    return path


__all__ = ["AnonymisingStudy", "check_without_key", "require_key"]
