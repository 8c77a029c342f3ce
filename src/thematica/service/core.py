"""``StudyService``: the one object the CLI, the web app and scripts go through.

Every public method is one transaction: it either completes or leaves the study exactly as it
was. Methods take and return plain domain objects; nothing outside ``thematica.service`` and
``thematica.storage`` sees SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from thematica.domain import (
    Approach,
    AttributeDef,
    GuideQuestion,
    MemberRole,
    Participant,
    Register,
    SpeakerRole,
    StudyInfo,
    TeamMember,
    Transcript,
    TranscriptSummary,
)
from thematica.errors import StudyError, ThematicaError
from thematica.service import register as reg
from thematica.service import transcripts as tx
from thematica.storage.database import (
    Migration,
    create_database,
    current_revision,
    open_database,
)
from thematica.storage.models import ParticipantRow, StudyRow, TranscriptRow

MAX_TITLE = 500


class StudyService:
    """A study, opened. Use :meth:`create` or :meth:`open`; close it (or use ``with``)."""

    def __init__(self, engine: Engine, location: str, migration: Migration | None = None) -> None:
        self._engine = engine
        self.location = location
        self.migration = migration

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        location: str,
        *,
        title: str,
        research_question: str = "",
        approach: Approach = Approach.REFLEXIVE,
    ) -> StudyService:
        title = " ".join(title.split())
        if not title:
            raise ThematicaError("a study needs a title (--title)")
        if len(title) > MAX_TITLE:
            raise ThematicaError(f"the title is at most {MAX_TITLE} characters")
        engine = create_database(location)
        service = cls(engine, location)
        with service._transaction() as session:
            session.add(
                StudyRow(
                    id=1,
                    title=title,
                    research_question=research_question.strip(),
                    approach=approach.value,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
        return service

    @classmethod
    def open(cls, location: str, *, migrate_server: bool = False) -> StudyService:
        engine, migration = open_database(location, migrate_server=migrate_server)
        service = cls(engine, location, migration)
        with service._session() as session:
            if session.get(StudyRow, 1) is None:
                engine.dispose()
                raise StudyError(f"{location}: the study has no description row; it is damaged")
        return service

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> StudyService:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- the study -------------------------------------------------------------------------

    def info(self) -> StudyInfo:
        with self._session() as session:
            study = session.get(StudyRow, 1)
            assert study is not None
            created = study.created_at
            if created.tzinfo is None:
                created = created.replace(tzinfo=dt.UTC)
            return StudyInfo(
                title=study.title,
                research_question=study.research_question,
                approach=Approach(study.approach),
                created_at=created,
                schema_revision=current_revision(self._engine) or "",
                participants=session.scalar(select(func.count()).select_from(ParticipantRow)) or 0,
                transcripts=session.scalar(select(func.count()).select_from(TranscriptRow)) or 0,
                words=session.scalar(select(func.coalesce(func.sum(TranscriptRow.word_count), 0)))
                or 0,
                team=reg.team(session),
                location=self.location,
            )

    # -- team ------------------------------------------------------------------------------

    def team(self) -> tuple[TeamMember, ...]:
        with self._session() as session:
            return reg.team(session)

    def add_team_member(self, name: str, role: MemberRole) -> TeamMember:
        with self._transaction() as session:
            return reg.add_team_member(session, name, role)

    # -- participants and guide ------------------------------------------------------------

    def attribute_defs(self) -> tuple[AttributeDef, ...]:
        with self._session() as session:
            return reg.attribute_defs(session)

    def participants(self) -> tuple[Participant, ...]:
        with self._session() as session:
            return reg.participants(session)

    def import_register(
        self, register: Register, *, source: str, prefixes: Mapping[str, str] | None = None
    ) -> tuple[Participant, ...]:
        with self._transaction() as session:
            return reg.import_register(session, register, source, prefixes)

    def guide(self) -> tuple[GuideQuestion, ...]:
        with self._session() as session:
            return reg.guide(session)

    def replace_guide(self, questions: Sequence[GuideQuestion]) -> None:
        with self._transaction() as session:
            reg.replace_guide(session, questions)

    # -- transcripts -----------------------------------------------------------------------

    def import_transcripts(
        self,
        sources: Iterable[tx.TranscriptSource],
        *,
        skip_bad: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> tx.ImportReport:
        with self._transaction() as session:
            return tx.import_transcripts(session, sources, skip_bad=skip_bad, progress=progress)

    def transcripts(self) -> tuple[TranscriptSummary, ...]:
        with self._session() as session:
            return tx.summaries(session)

    def transcript(self, ref: str) -> Transcript:
        with self._session() as session:
            return tx.get(session, tx.resolve(session, ref))

    def set_speaker_role(self, ref: str, speaker: str, role: SpeakerRole) -> Transcript:
        with self._transaction() as session:
            tid = tx.resolve(session, ref)
            tx.set_speaker_role(session, tid, speaker, role)
            return tx.get(session, tid)

    def set_transcript_details(
        self, ref: str, *, participant: str | None = None, interview_date: dt.date | None = None
    ) -> Transcript:
        with self._transaction() as session:
            tid = tx.resolve(session, ref)
            tx.set_details(session, tid, participant=participant, interview_date=interview_date)
            return tx.get(session, tid)
