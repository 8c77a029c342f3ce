"""``StudyService``: the one object the CLI, the web app and scripts go through.

Every public method is one transaction: it either completes or leaves the study exactly as it
was. Methods take and return plain domain objects; nothing outside ``thematica.service`` and
``thematica.storage`` sees SQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica import private_files
from thematica.domain import (
    AnonymisationState,
    Approach,
    AttributeDef,
    Code,
    Codebook,
    CodePath,
    Coding,
    CodingSpec,
    GuideQuestion,
    Level,
    Link,
    MemberRole,
    Participant,
    Register,
    SpeakerRole,
    StudyInfo,
    TeamMember,
    ThemeNode,
    Transcript,
    TranscriptSummary,
)
from thematica.errors import (
    AccessDenied,
    NotFoundError,
    StudyError,
    ThematicaError,
)
from thematica.lazy import lazy_module
from thematica.service import audit, live, readable
from thematica.service import codebook as cb
from thematica.service import coding_edits as edits
from thematica.service import coding_lookup as lookup
from thematica.service import register as reg
from thematica.service import transcripts as tx
from thematica.service.facade_accounts import AccountMethods
from thematica.service.facade_analysis import AnalysisMethods
from thematica.service.facade_audit import AuditMethods
from thematica.service.facade_blind import BlindMethods
from thematica.service.facade_codeops import CodebookOpsMethods
from thematica.service.facade_corrections import CorrectionMethods
from thematica.service.facade_framework import FrameworkMethods
from thematica.service.facade_mappings import MappingMethods
from thematica.service.facade_media import MediaMethods
from thematica.service.facade_notes import NotesMethods
from thematica.service.facade_reconcile import ReconcileMethods
from thematica.service.facade_retrieval import RetrievalMethods
from thematica.service.recruitment_methods import RecruitmentMethods
from thematica.service.withdrawal_methods import WithdrawalMethods
from thematica.storage import bulk, creation, search_index
from thematica.storage.database import Migration, current_revision, open_database, sqlite_path
from thematica.storage.models import (
    ParticipantRow,
    StudyRow,
    TranscriptRow,
)

if TYPE_CHECKING:
    from thematica.analysis.quantifiers import QuantifierRule
    from thematica.exchange.model import XProject
    from thematica.manuscript.draft import Draft
    from thematica.manuscript.results import AuditReport
    from thematica.service import anonymisation_state as anon_state
    from thematica.service import exchange, exchange_media, mappings
    from thematica.service.acting import MemberStudy
else:  # loaded at first use: most commands need none of them (bench/run.py cli)
    anon_state = lazy_module("thematica.service.anonymisation_state")
    exchange = lazy_module("thematica.service.exchange")
    exchange_media = lazy_module("thematica.service.exchange_media")
    mappings = lazy_module("thematica.service.mappings")

MAX_TITLE = 500


class StudyService(
    CodebookOpsMethods,
    MappingMethods,
    FrameworkMethods,
    NotesMethods,
    AuditMethods,
    AccountMethods,
    ReconcileMethods,
    AnalysisMethods,
    RecruitmentMethods,
    WithdrawalMethods,
    MediaMethods,
    CorrectionMethods,
    BlindMethods,
    RetrievalMethods,
):
    """A study, opened. Use :meth:`create` or :meth:`open`; close it (or use ``with``).

    Groups of methods live in their own modules and are part of this class: theme-framework
    editing (``service/facade_framework.py``), notes and search (``facade_notes.py``), the audit
    log (``facade_audit.py``), accounts, invitations and sign-in (``facade_accounts.py``),
    reconciliation (``facade_reconcile.py``), analysis (``facade_analysis.py``), the codebook
    operations logged in the lineage (``facade_codeops.py``), the import mappings
    (``facade_mappings.py``), recordings (``facade_media.py``), corrections
    (``facade_corrections.py``), blind coding, reveal and checking (``facade_blind.py``),
    recruitment (``recruitment_methods.py``) and withdrawal (``withdrawal_methods.py``).
    """

    def __init__(self, engine: Engine, location: str, migration: Migration | None = None) -> None:
        self._engine = engine
        self.location = location
        self.migration = migration
        self.import_summary: dict[str, int] = {}
        self.import_mapped: tuple[mappings.MappingResult, ...] = ()
        self._creation: creation.Creation | None = None

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
        """A new study holding only its description (``thematica init``)."""
        with cls.creating(
            location, title=title, research_question=research_question, approach=approach
        ) as service:
            pass
        return service

    @classmethod
    @contextmanager
    def creating(
        cls,
        location: str,
        *,
        title: str,
        research_question: str = "",
        approach: Approach = Approach.REFLEXIVE,
    ) -> Iterator[StudyService]:
        """Build a new study inside the ``with`` block; it appears at ``location`` only when the
        block completes, and nothing appears if it fails or the process is killed. After the
        block the service is open on the study at ``location``; close it."""
        title = " ".join(title.split())
        if not title:
            raise ThematicaError("a study needs a title (--title)")
        if len(title) > MAX_TITLE:
            raise ThematicaError(f"the title is at most {MAX_TITLE} characters")
        building = creation.begin(location)
        service = cls(building.engine, location)
        service._creation = building
        try:
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
            yield service
            service._engine = building.publish()
        except BaseException:
            building.abandon()
            raise
        finally:
            service._creation = None

    def companion_path(self, final: Path) -> Path:
        """While the study is being created: where to build a file (its key file) that must
        appear at ``final`` together with the study."""
        if self._creation is None:
            raise StudyError("a companion file is only built while the study is created")
        return self._creation.companion(final)

    @classmethod
    def open(cls, location: str, *, migrate_server: bool = False) -> StudyService:
        engine, migration = open_database(location, migrate_server=migrate_server)
        service = cls(engine, location, migration)
        with service._session() as session:
            if session.get(StudyRow, 1) is None:
                engine.dispose()
                raise StudyError(f"{location}: the study has no description row; it is damaged")
        return service

    @property
    def engine(self) -> Engine:
        """For the anonymisation layer, which spans the study and its key file. Whoever takes
        the engine may change the study past this service, so a view of shared reads
        (:meth:`shared_reads`) forgets what it shared: its reads after that see the change."""
        if self._shared is not None:
            self._shared.end()
        return self._engine

    def scrub(self) -> bool:
        """Make deleted text unrecoverable from a SQLite study file: overwrite free pages,
        rebuild the file and empty the write-ahead log (after anonymisation). False when another
        program holding the file open kept the log from being emptied (close it and scrub again);
        a PostgreSQL server's storage is the server administrator's to vacuum."""
        if self._engine.dialect.name != "sqlite":
            return True
        with self._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.commit()
            conn.exec_driver_sql("VACUUM")
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy is None or busy[0] == 0

    def close(self) -> None:
        if self._shared is not None:  # a view of shared reads: its session, not the study
            self._shared.close()
            return
        self._engine.dispose()

    # -- exchange --------------------------------------------------------------------------

    def export_project(
        self, *, journal: bool = False, media: bool = False, codebook_only: bool = False
    ) -> XProject:
        """The whole study as a tool-neutral project (for REFI-QDA export); journal entries
        only with ``journal``; each transcript's recording on its source with ``media``; with
        ``codebook_only``, the codes, theme nodes and sets alone (a .qdc's content)."""
        with self._session() as session:
            project = exchange.to_project(session, journal, codebook_only)
            if media:
                project = exchange_media.with_recordings(session, project, self.media_folder())
            return project

    @classmethod
    def create_from_project(
        cls,
        location: str,
        project: XProject,
        mapped: mappings.ImportMappings | None = None,
        recordings: exchange_media.MediaImport | None = None,
    ) -> StudyService:
        """A new study holding ``project``, with the ``mapped`` options applied in the same
        transaction, and its sources' recordings attached when ``recordings`` says where they
        go and how to unpack them; nothing is left behind if any part fails."""
        title = " ".join(project.name.split())[:MAX_TITLE] or "Imported project"
        copied: list[Path] = []
        fresh_folder = recordings is not None and not recordings.folder.exists()
        with cls.creating(location, title=title) as service:
            try:
                with service._transaction() as session:
                    ids = exchange.ImportIds()
                    journal = mapped is not None and mapped.journal
                    with bulk.indexes_built_after(session.connection(), "codings"):
                        service.import_summary = exchange.from_project(
                            session, project, ids, journal
                        )
                        session.flush()
                    if mapped is not None and mapped.any:
                        service.import_mapped = mappings.apply_at_import(
                            session, project, ids, mapped
                        )
                    if recordings is not None:
                        service.import_summary["recordings"] = exchange_media.attach_imported(
                            session, project, ids, recordings, copied
                        )
                    search_index.rebuild(session)
                    audit.record(
                        session,
                        action="import.qdpx",
                        target="study",
                        details=service.import_summary,
                    )
            except BaseException as exc:
                for path in copied:  # recordings copied in for a study that will not exist
                    path.unlink(missing_ok=True)
                if fresh_folder and recordings is not None:
                    with contextlib.suppress(OSError):  # only if it was made here, and is empty
                        recordings.folder.rmdir()
                if isinstance(exc, IntegrityError):  # a clash the checks did not foresee
                    raise ThematicaError(f"the project cannot be imported: {exc.orig}") from None
                raise
        return service

    def __enter__(self) -> StudyService:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the study -------------------------------------------------------------------------

    def info(self) -> StudyInfo:
        media_usage = self.media_usage()
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
                permissions_warning=self._permissions_warning(),
                media_folder=media_usage.folder if media_usage else None,
                media_bytes=media_usage.bytes if media_usage else None,
            )

    def title(self) -> str:
        """The study's title alone, which every workbench page shows: one row, none of
        :meth:`info`'s counts over every transcript."""
        with self._session() as session:
            study = session.get(StudyRow, 1)  # a page's other reads have loaded it already
            return (study.title if study is not None else "") or ""

    def _permissions_warning(self) -> str | None:
        path = sqlite_path(self.location)
        return private_files.exposure(path) if path is not None else None

    # -- team ------------------------------------------------------------------------------

    def team(self) -> tuple[TeamMember, ...]:
        with self._session() as session:
            return reg.team(session)

    def add_team_member(
        self, name: str, role: MemberRole, *, anonymised_only: bool = False
    ) -> TeamMember:
        with self._transaction() as session:
            return reg.add_team_member(session, name, role, anonymised_only=anonymised_only)

    def set_anonymised_only(self, name: str, flag: bool) -> TeamMember:
        with self._transaction() as session:
            return reg.set_anonymised_only(session, name, flag)

    def as_member(self, name: str, *, client: str = "") -> MemberStudy:
        """The study bound to team member ``name`` (who must be active): every method of the
        answer checks what they may read and change (``service/acting.py``). ``client``: where
        they act from (an address; "cli" for the command line)."""
        from thematica.service.acting import bind

        return bind(self, name, client)

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
            found = reg.import_register(session, register, source, prefixes)
            audit.record(
                session,
                action="import.register",
                target="study",
                details={"participants": len(found)},
            )
            return found

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
        by: str | None = None,
    ) -> tx.ImportReport:
        """Parse and store ``sources`` (all or nothing unless ``skip_bad``), logged as ``by``'s
        import (the administrator's without it)."""
        with self._transaction() as session:
            before = set(session.scalars(select(TranscriptRow.id)))
            report = tx.import_transcripts(session, sources, skip_bad=skip_bad, progress=progress)
            added = set(session.scalars(select(TranscriptRow.id))) - before
            search_index.add(session, added)
            audit.record(
                session,
                action="import.transcripts",
                actor=audit.member(session, by) if by else None,
                target="study",
                details={
                    "transcripts": len(added),
                    "transcript_ids": audit.ids(added),
                    "failed": len(report.failed),
                },
            )
            return report

    def transcripts(self) -> tuple[TranscriptSummary, ...]:
        with self._session() as session:
            return tx.summaries(session)

    def transcript_summary(self, ref: str) -> TranscriptSummary:
        """One transcript's summary (what :meth:`transcripts` lists), without listing them all."""
        with self._session() as session:
            return tx.summaries(session, only=tx.resolve(session, ref))[0]

    def transcript(self, ref: str, *, visible_to: str | None = None) -> Transcript:
        """One transcript; with ``visible_to``, only if that member may read it."""
        with self._session() as session:
            if visible_to is not None:
                return tx.get(session, self._require_readable(session, ref, visible_to))
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

    # -- codebook, themes, codings ---------------------------------------------------------

    def import_codebook(self, codebook: Codebook, *, source: str) -> cb.CodebookReport:
        with self._transaction() as session:
            report = cb.import_codebook(session, codebook, source)
            audit.record(
                session,
                action="import.codebook",
                target="study",
                details={
                    "codes_created": report.codes_created,
                    "codes_updated": report.codes_updated,
                    "themes": report.themes,
                    "links_created": report.links_created,
                },
            )
            return report

    def codes(
        self, level: Level | None = None, *, counted: bool = True, visible_to: str | None = None
    ) -> tuple[Code, ...]:
        """The codebook; ``counted=False`` skips counting every code's codings in the study;
        ``visible_to`` counts only the codings that member may see (blind coding)."""
        with self._session() as session:
            return cb.codes(session, level, counted=counted, visible_to=visible_to)

    def themes(self) -> tuple[tuple[ThemeNode, ...], tuple[Link, ...]]:
        with self._session() as session:
            return cb.themes(session)

    def import_codings(
        self, specs: Sequence[CodingSpec], *, source: str, level: Level = Level.ONE
    ) -> int:
        with self._transaction() as session:
            added = cb.import_codings(session, specs, source, level)
            audit.record(
                session,
                action="import.codings",
                target="study",
                details={"codings": added, "level": int(level)},
            )
            return added

    def add_coding(
        self,
        transcript: str,
        code: CodePath,
        coder: str,
        start: int,
        end: int,
        *,
        level: Level = Level.ONE,
        memo: str | None = None,
        create_code: bool = False,
    ) -> int:
        """Code a span; with ``create_code`` a code that does not exist yet is created with it
        (a new or in-vivo code), in the same transaction. The new coding's id."""
        return self.add_coding_returning(
            transcript, code, coder, start, end, level=level, memo=memo, create_code=create_code
        ).id

    def add_coding_returning(
        self,
        transcript: str,
        code: CodePath,
        coder: str,
        start: int,
        end: int,
        *,
        level: Level = Level.ONE,
        memo: str | None = None,
        create_code: bool = False,
    ) -> Coding:
        """:meth:`add_coding`, answering with the coding as stored, read in the same
        transaction (the workbench shows it at once: one round trip instead of two)."""
        if not code or any(not part or len(part) > 300 for part in code):
            raise ThematicaError("a code needs a name of 1 to 300 characters")
        with self._transaction() as session:
            coding_id = self._add_coding(
                session, transcript, code, coder, start, end, level, memo, create_code
            )
            stored = lookup.one_coding(session, coding_id)
            assert stored is not None  # added a moment ago, in this transaction
            return stored

    def _add_coding(
        self,
        session: Session,
        transcript: str,
        code: CodePath,
        coder: str,
        start: int,
        end: int,
        level: Level,
        memo: str | None,
        create_code: bool,
    ) -> int:
        tid = tx.resolve(session, transcript)
        coder_id = cb.member_id(session, coder)
        quick = lookup.find_code(session, code, level)
        created = False
        if quick is not None:
            code_id = quick
        else:  # missing, or a clash: the full index creates, explains or decides
            index = cb.CodeIndex.load(session)
            found = index.find(code, level)
            if found is None and create_code:
                found, created = cb.ensure_code(session, index, code, level)
            code_id = found if found is not None else index.get(code, level)
        coding_id = cb.add_coding(session, tid, code_id, coder_id, start, end, memo)
        if created:
            audit.record(
                session,
                actor=audit.member(session, coder),
                action="code.create",
                target=f"code {code_id}",
                details={"code_id": code_id, "level": int(level), "with_coding": coding_id},
            )
        audit.record(
            session,
            actor=audit.member(session, coder),
            action="coding.add",
            target=f"coding {coding_id}",
            details={
                "transcript_id": tid,
                "code_id": code_id,
                "level": int(level),
                "start": start,
                "end": end,
                "memo": memo is not None,
                "code_created": created,
            },
        )
        return coding_id

    def codings(
        self,
        *,
        code: CodePath | None = None,
        coder: str | None = None,
        transcript: str | None = None,
        level: Level | None = None,
        visible_to: str | None = None,
    ) -> tuple[Coding, ...]:
        """Codings; with ``visible_to``, only those that member may see (blind coding), and
        for a member who sees anonymised text only, those in a transcript not yet fully
        anonymised come without their text and memo (see :meth:`withheld`)."""
        with self._session() as session:
            found = cb.list_codings(
                session,
                code=code,
                coder=coder,
                transcript=transcript,
                level=level,
                visible_to=visible_to,
            )
            if visible_to is None:
                return found
            return self.withheld(found, self._readable(session, visible_to))

    @staticmethod
    def withheld(codings: tuple[Coding, ...], readable: set[int] | None) -> tuple[Coding, ...]:
        """``codings`` with the text and memo of those outside ``readable`` (the transcripts a
        member may read; None: all) emptied, so no caller can show them by mistake."""
        if readable is None:
            return codings
        return tuple(
            c if c.transcript_id in readable else replace(c, text="", memo=None) for c in codings
        )

    def coding(self, coding_id: int, *, visible_to: str | None = None) -> Coding:
        """One coding; with ``visible_to``, a coding hidden by blind coding is not found."""
        with self._session() as session:
            return self._coding(session, coding_id, visible_to)

    def _coding(self, session: Session, coding_id: int, visible_to: str | None) -> Coding:
        coding = lookup.one_coding(session, coding_id)
        hidden = visible_to is not None and edits.hidden_from(
            session, coding_id, cb.member_id(session, visible_to)
        )
        if coding is None or hidden:
            raise NotFoundError(f"no coding {coding_id}")
        return coding

    def change_coding(
        self,
        coding_id: int,
        change: edits.CodingChange,
        *,
        by: str,
        expected: dt.datetime | None = None,
    ) -> Coding:
        """Adjust a coding's boundaries or memo. Only its coder or a lead may; with
        ``expected`` (the ``modified_at`` the caller last saw) a stale edit is refused."""
        with self._transaction() as session:
            row = edits.editable(session, coding_id, by)
            before = (row.start_offset, row.end_offset)
            edits.change(session, row, change, expected)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="coding.change",
                target=f"coding {coding_id}",
                details={
                    "transcript_id": row.transcript_id,
                    "code_id": row.code_id,
                    "before": list(before),
                    "after": [row.start_offset, row.end_offset],
                    "memo_changed": change.memo is not None,
                },
            )
            return self._coding(session, coding_id, None)

    def remove_coding(
        self, coding_id: int, *, by: str, expected: dt.datetime | None = None
    ) -> Coding:
        """Remove a coding and return it as it was (enough to put it back)."""
        with self._transaction() as session:
            row = edits.editable(session, coding_id, by)
            removed = self._coding(session, coding_id, None)
            code_id = row.code_id
            edits.remove(session, row, expected)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="coding.remove",
                target=f"coding {coding_id}",
                details={
                    "transcript_id": removed.transcript_id,
                    "code_id": code_id,
                    "coder": removed.coder,
                    "start": removed.start,
                    "end": removed.end,
                },
            )
            return removed

    def anonymised_transcripts(self) -> set[int]:
        """Transcripts that are fully anonymised: scanned, no finding pending, every accepted
        finding applied and a clean residual check (recorded by ``anonymise apply``)."""
        with self._session() as session:
            return {
                tid
                for tid, state in anon_state.states(session).items()
                if state is AnonymisationState.ANONYMISED
            }

    def anonymisation_states(self) -> dict[int, AnonymisationState]:
        """Every transcript's anonymisation state: none, partly or anonymised."""
        with self._session() as session:
            return anon_state.states(session)

    def audit_draft(
        self,
        draft: Draft,
        *,
        level: Level = Level.TWO,
        rules: Sequence[QuantifierRule] | None = None,
        visible_to: str | None = None,
    ) -> AuditReport:
        """Every count claim and quote of ``draft`` checked against the study's counts and the
        transcripts ``visible_to`` may read (``service/manuscript.py``); changes nothing."""
        from thematica.analysis.quantifiers import DEFAULT_RULES
        from thematica.service import manuscript

        with self._session() as session:
            return manuscript.audit_draft(
                session, draft, level, DEFAULT_RULES if rules is None else rules, visible_to
            )

    def readable_transcripts(self, member: str) -> set[int] | None:
        """The transcripts ``member`` may read, with everything taken from their text (turns,
        codings' text, quotes, search hits): None for all of them; for a reader or a member
        marked anonymised-only, only the fully anonymised ones."""
        with self._session() as session:
            return self._readable(session, member)

    def _readable(self, session: Session, member: str) -> set[int] | None:
        return readable.readable(session, member)

    def require_readable(self, ref: str, member: str) -> int:
        """The id of transcript ``ref`` if ``member`` may read it, else AccessDenied. A member
        who sees anonymised text only names transcripts by number or participant label, so
        whether a file name (which may hold a real name) exists is never learnt from the answer."""
        with self._session() as session:
            return self._require_readable(session, ref, member)

    def resolve_for(self, ref: str, member: str) -> int:
        """Transcript ``ref``'s id, named as ``member`` may name it (for links and filters that
        show none of its text)."""
        with self._session() as session:
            return self._resolve_for(session, ref, self._readable(session, member) is not None)

    def _require_readable(self, session: Session, ref: str, member: str) -> int:
        readable = self._readable(session, member)
        tid = self._resolve_for(session, ref, readable is not None)
        if readable is not None and tid not in readable:
            raise AccessDenied(
                f"{member} sees anonymised text only, and this transcript is not fully "
                "anonymised yet"
            )
        return tid

    def _resolve_for(self, session: Session, ref: str, restricted: bool) -> int:
        if not restricted:
            return tx.resolve(session, ref)
        ref = ref.strip()
        labels = {
            label.casefold()
            for label in session.scalars(
                select(ParticipantRow.label).join(
                    TranscriptRow, TranscriptRow.participant_id == ParticipantRow.id
                )
            )
        }
        if not (ref.isascii() and ref.isdigit()) and ref.casefold() not in labels:
            raise NotFoundError(f"no transcript {ref!r} (give its number or participant label)")
        return tx.resolve(session, ref)

    def live_version(self, ref: str, member: str) -> str:
        """A fingerprint of what ``member`` sees of transcript ``ref`` on its page (its visible
        codings, its blind state, the codebook while the study does not code blind), for open
        pages that poll for others' changes (``service/live.py``). Refused as the page is: a
        member who may not read the transcript gets AccessDenied, not a fingerprint."""
        with self._session() as session:
            tid = self._require_readable(session, ref, member)
            return live.transcript_version(session, tid, member)

    def live_codebook_version(self, member: str) -> str:
        """A fingerprint of what ``member`` sees on the codebook page (``service/live.py``)."""
        with self._session() as session:
            return live.codebook_version(session, member, self._readable(session, member))

    def live_themes_version(self, member: str) -> str:
        """A fingerprint of what ``member`` sees on the theme framework page
        (``service/live.py``)."""
        with self._session() as session:
            return live.themes_version(session, member)
