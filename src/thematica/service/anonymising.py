"""The anonymisation part of ``StudyService``: every call opens the study and its key file.

Each call holds the key's lock and first finishes whatever an interrupted ``apply`` left (see
``anonymise/keycopy.py``). The key is committed before the study, so a plain interruption can
leave the key ahead of the study, never the study holding a pseudonym whose original is lost;
``apply`` in addition keeps a copy of the key from before the run, put back if the study never
committed, so key and study end up both before or both after.

Transcript states (``service/anonymisation_state.py``) are recorded in the same study
transaction as what changes them; only ``apply`` opens a transcript to anonymised-only readers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from thematica.anonymise import keycopy
from thematica.anonymise.detect import NameEntry
from thematica.anonymise.keyfile import FindingRow, create_key, open_key
from thematica.anonymise.ner import Pipeline
from thematica.errors import ThematicaError
from thematica.service import anonymisation_state as states
from thematica.service import anonymise as an
from thematica.service import anonymise_residue as residue
from thematica.service import audit
from thematica.service import transcripts as tx
from thematica.service.core import StudyService
from thematica.storage.models import AnonymisationRunRow, StudyRow, TranscriptRow


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
    def _both(
        self, *, create: bool = False, study_first: bool = False
    ) -> Iterator[tuple[Session, Session]]:
        """Both sessions in one step, under the key's lock, after recovery. The key commits
        first unless ``study_first`` (for steps whose study side only closes transcripts)."""
        with keycopy.locked(self.key_path):
            self._recover()
            with self._sessions(create=create, study_first=study_first) as both:
                yield both

    @contextmanager
    def _sessions(
        self, *, create: bool = False, study_first: bool = False
    ) -> Iterator[tuple[Session, Session]]:
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
                first, second = (study, key) if study_first else (key, study)
                first.commit()
                second.commit()
        finally:
            key_engine.dispose()

    @contextmanager
    def both(self) -> Iterator[tuple[Session, Session]]:
        """The study's and the key's sessions for a change that moves rows in both (a
        correction of a transcript being anonymised): under the key's lock, after recovery, the
        key committed first."""
        with self._both() as sessions:
            yield sessions

    def _recover(self) -> None:
        """Finish what an interrupted ``apply`` left: a run that never reached the study gets
        the key file back as it was; one that did loses its copy of the old key."""
        with Session(self.study.engine) as session:
            runs = session.execute(
                select(AnonymisationRunRow.token, AnonymisationRunRow.state)
            ).all()
        for token, state in runs:
            if state == "applying":
                keycopy.restore(self.key_path, token)
            keycopy.discard(self.key_path, token)
            with Session(self.study.engine) as session, session.begin():
                session.execute(
                    delete(AnonymisationRunRow).where(AnonymisationRunRow.token == token)
                )

    def _all_transcripts(self, study: Session) -> list[int]:
        return list(study.scalars(select(TranscriptRow.id).order_by(TranscriptRow.id)))

    def import_identities(self, data: bytes, source: str) -> int:
        with self._both(create=True, study_first=True) as (study, key):
            count = an.import_identities(key, data, source)
            states.record(study, key, self._all_transcripts(study), may_open=False)
            audit.record(
                study, action="anonymise.identities", target="study", details={"identities": count}
            )
            return count

    def import_deny_list(self, data: bytes, source: str) -> int:
        with self._both(create=True, study_first=True) as (study, key):
            count = an.import_deny_list(key, data, source)
            states.record(study, key, self._all_transcripts(study), may_open=False)
            audit.record(
                study, action="anonymise.deny-list", target="study", details={"terms": count}
            )
            return count

    def scan(self, refs: Sequence[str] = (), *, ner: Pipeline | None = None) -> an.ScanReport:
        """Scan; the transcripts scanned are closed before the key learns of new findings, and
        count as scanned only once it has."""
        with keycopy.locked(self.key_path):
            self._recover()
            with Session(self.study.engine) as study, study.begin():
                tids = [tx.resolve(study, r) for r in refs] or self._all_transcripts(study)
                states.close(study, tids)
            with self._sessions(create=True) as (study, key):  # a first scan makes the key
                report = an.scan(study, key, refs, ner)
                states.mark_scanned(study, tids, dt.datetime.now(dt.UTC))
                states.record(study, key, tids, may_open=False)
                audit.record(
                    study,
                    action="anonymise.scan",
                    target="study",
                    details={
                        "transcripts": report.transcripts,
                        "findings": report.findings,
                        "by_category": report.by_category,
                    },
                )
                return report

    def findings(self, status: str | None = "pending") -> tuple[an.FindingView, ...]:
        with self._both() as (study, key):
            return an.findings(study, key, status)

    def decide(self, actor: str, **decisions: object) -> int:
        with self._both() as (study, key):
            who = an.require_original_access(study, actor)
            sizes = {k: len(v) for k, v in decisions.items() if isinstance(v, Sized)}
            decided = an.decide(key, who, **decisions)  # type: ignore[arg-type]
            audit.record(
                study,
                actor=who,
                action="anonymise.decide",
                target="study",
                details={**sizes, "decided": decided},
            )
            return decided

    def apply(
        self, actor: str, *, pending: str = "refuse", expect: str | None = None
    ) -> an.ApplyReport:
        """Apply every accepted finding and record every transcript's state, all or nothing
        across the key file and the study (even when the process is killed part way).

        Findings still waiting for review make it refuse, saying how many, unless ``pending``
        is ``"skip"``: then the accepted ones are applied and the transcripts with pending
        findings stay closed to members who see anonymised text only. With ``expect`` (a
        plan's fingerprint, as confirmed), it is refused unless the plan is still that one."""
        if pending not in ("refuse", "skip"):
            raise ThematicaError(f"pending is 'refuse' or 'skip', not {pending!r}")
        with keycopy.locked(self.key_path):
            self._recover()
            with Session(self.study.engine) as session:
                who = an.require_original_access(session, actor)
            if expect is not None:
                with self._sessions() as (study, key):
                    if an.plan(study, key).fingerprint() != expect:
                        raise ThematicaError(
                            "what Apply would change is not what was confirmed (the findings or "
                            "the study changed since): reload the page and confirm again"
                        )
            engine = self._key_engine()  # the key opens (and is this study's) before anything
            try:
                with Session(engine) as key:
                    waiting = key.scalar(
                        select(func.count())
                        .select_from(FindingRow)
                        .where(FindingRow.status == "pending")
                    )
            finally:
                engine.dispose()
            if waiting and pending == "refuse":
                raise ThematicaError(
                    f"{waiting} finding{'s are' if waiting != 1 else ' is'} still pending review; "
                    "decide them first (thematica anonymise review), or apply the accepted ones "
                    "only with --pending skip (those transcripts then stay closed to readers)"
                )
            token = secrets.token_hex(16)
            with Session(self.study.engine) as session, session.begin():
                session.add(
                    AnonymisationRunRow(
                        token=token, state="applying", started_at=dt.datetime.now(dt.UTC), actor=who
                    )
                )
            try:
                keycopy.save(self.key_path, token)
                with self._sessions() as (study, key):
                    report = an.apply(study, key, who)
                    states.record(study, key, self._all_transcripts(study), may_open=True)
                    audit.record(
                        study,
                        actor=who,
                        action="anonymise.apply",
                        target="study",
                        details={
                            "transcripts": report.transcripts,
                            "replacements": report.replacements,
                            "speakers": report.speakers,
                            "codings_moved": report.codings_moved,
                            "derived_fields": sum(n for _kind, n in report.derived),
                        },
                    )
                    study.execute(
                        update(AnonymisationRunRow)
                        .where(AnonymisationRunRow.token == token)
                        .values(state="applied")
                    )
            except Exception:
                self._recover()  # refused or failed: both as they were, and no copy left behind
                raise
            self._recover()
        return replace(report, scrubbed=self.study.scrub())

    def plan(self) -> an.ApplyPlan:
        """What ``apply`` would change now, counted (for the confirmation before it)."""
        if not self.key_path.exists():
            raise ThematicaError(f"no key file at {self.key_path}")
        with self._both() as (study, key):
            return an.plan(study, key)

    def apply_confirmed(self, actor: str, fingerprint: str) -> an.ApplyReport:
        """``apply`` (accepted findings only), if ``fingerprint`` is that of the plan now: a
        confirmation given for another plan (the page was old, or skipped it) is refused."""
        if not fingerprint:
            raise ThematicaError("confirm what Apply will change first: the page shows it")
        return self.apply(actor, pending="skip", expect=fingerprint)

    def original(self, ref: str, start: int, end: int, actor: str) -> tuple[str, str]:
        with self._both() as (study, key):
            return an.original(study, key, ref, start, end, actor)

    def check(self) -> list[residue.Residue]:
        with self._both() as (study, key):
            return residue.residual_check(study, residue.known_originals(key))

    def known_originals(self) -> list[NameEntry]:
        with self._both() as (_study, key):
            return residue.known_originals(key)

    def check_values(self, values: Iterable[tuple[str, str]]) -> list[residue.Residue]:
        """The residual check over ``values`` alone ((where, text) pairs: what an export that
        carries none of the transcripts, such as a codebook, will write)."""
        return residue.residual_in_values(values, self.known_originals())


def check_without_key(study: StudyService) -> list[residue.Residue]:
    """Patterns only (e-mails, phone and NHS numbers, postcodes, ...): what anyone can check."""
    with Session(study.engine) as session:
        return residue.residual_check(session, [])


def check_values_without_key(values: Iterable[tuple[str, str]]) -> list[residue.Residue]:
    """Patterns only, over ``values`` alone (see :meth:`AnonymisingStudy.check_values`)."""
    return residue.residual_in_values(values, [])


def require_key(path: Path | None, study: str) -> Path:
    if path is None:
        raise ThematicaError(f"{study}: give the key file with --key")
    return path


__all__ = ["AnonymisingStudy", "check_values_without_key", "check_without_key", "require_key"]
