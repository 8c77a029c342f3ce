"""A study bound to one team member: ``StudyService.as_member(name)`` gives a
:class:`MemberStudy`, whose every public method checks that member's role, blind state and scope
itself (the rules: ``service/acting_rules.py``). The workbench and the command line act through
it; the plain :class:`StudyService` is the administrator's (whoever holds the study file or the
database credentials).

The reads are here; the changes are in ``service/acting_changes.py`` (part of the class)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule
from thematica.analysis.reports import (
    AgreementReport,
    CooccurrenceReport,
    CountsReport,
    MatrixReport,
    MultiAgreementReport,
    SaturationReport,
    TranscriptAgreement,
)
from thematica.analysis.stopping import StoppingView
from thematica.domain import (
    Actor,
    AnonymisationState,
    AttributeDef,
    Code,
    CodePath,
    Coding,
    GuideQuestion,
    Level,
    LineageEntry,
    Link,
    Participant,
    StudyInfo,
    TeamMember,
    ThemeNode,
    Transcript,
    TranscriptSummary,
)
from thematica.errors import AccessDenied, NotFoundError
from thematica.exchange.model import XProject
from thematica.lazy import lazy_module
from thematica.manuscript.draft import Draft
from thematica.manuscript.results import AuditReport
from thematica.service import framework as fw
from thematica.service import notes
from thematica.service import reconcile as rc
from thematica.service import search as find
from thematica.service.acting_changes import ChangeMethods
from thematica.service.acting_corrections import CorrectionActing
from thematica.service.acting_mappings import MappingChanges
from thematica.service.acting_media import MediaActing
from thematica.service.acting_retrieval import RetrievalActing
from thematica.service.core import StudyService
from thematica.service.recruitment_methods import LeadRecruitment

if TYPE_CHECKING:
    from thematica.service import export_checks
    from thematica.service.export_checks import Checked
else:
    export_checks = lazy_module("thematica.service.export_checks")

HIDDEN_FILE = "(not yet anonymised)"


def bind(service: StudyService, name: str, client: str = "") -> MemberStudy:
    """``name`` as an :class:`Actor`: they must be in the team and active."""
    wanted = " ".join(name.split()).casefold()
    member = next((m for m in service.team() if m.name.casefold() == wanted), None)
    if member is None:
        raise NotFoundError(f"no team member {name!r}")
    if not member.active:
        raise AccessDenied(f"{member.name} has been deactivated and can no longer use this study")
    return MemberStudy(service, Actor(member.name, member.role, member.scope, client))


class MemberStudy(MappingChanges, ChangeMethods, MediaActing, CorrectionActing, RetrievalActing):
    """The study as one team member may use it. Bind it per request (the web) or per command
    (the CLI): the member's role and scope are read when it is bound."""

    def recruitment(self) -> LeadRecruitment:
        """The recruitment log: a lead's (``service/recruitment_methods.py``)."""
        return LeadRecruitment(self._service, self)

    def stopping_view(self) -> StoppingView:
        """Whether the stopping rule says recruitment may stop: level-one saturation, so a
        blind coder sees it once blind coding ends."""
        self.require_level_open(Level.ONE, "saturation")
        return self._service.stopping_view()

    @property
    def service(self) -> StudyService:
        """The unbound service, for what holds no study data (the study's location)."""
        return self._service

    # -- the study at large: no transcript text, nobody's codings --------------------------

    def info(self) -> StudyInfo:
        return self._service.info()

    def team(self) -> tuple[TeamMember, ...]:
        return self._service.team()

    def attribute_defs(self) -> tuple[AttributeDef, ...]:
        return self._service.attribute_defs()

    def participants(self) -> tuple[Participant, ...]:
        return self._service.participants()

    def guide(self) -> tuple[GuideQuestion, ...]:
        return self._service.guide()

    def lineage(self) -> tuple[LineageEntry, ...]:
        return self._service.lineage()

    def blind_coding(self) -> bool:
        return self._service.blind_coding()

    def themes(self) -> tuple[tuple[ThemeNode, ...], tuple[Link, ...]]:
        return self._service.themes()

    def framework(self) -> tuple[tuple[fw.FrameworkNode, ...], tuple[fw.FrameworkLink, ...]]:
        return self._service.framework()

    def anonymisation_states(self) -> dict[int, AnonymisationState]:
        return self._service.anonymisation_states()

    def coders_with_codings(self, *, level: Level = Level.ONE) -> tuple[str, ...]:
        return self._service.coders_with_codings(level=level)

    # -- transcripts -----------------------------------------------------------------------

    def transcripts(self) -> tuple[TranscriptSummary, ...]:
        """Every transcript; for a member who sees anonymised text only, one not yet fully
        anonymised comes without its file name and interviewer (which may hold a name)."""
        found = self._service.transcripts()
        readable = self.readable_transcripts()
        if readable is None:
            return found
        return tuple(
            t if t.id in readable else replace(t, source_name=HIDDEN_FILE, interviewer=None)
            for t in found
        )

    def transcript_summary(self, ref: str) -> TranscriptSummary:
        """One transcript's summary, hidden as :meth:`transcripts` hides it."""
        found = self._service.transcript_summary(ref)
        readable = self.readable_transcripts()
        if readable is None or found.id in readable:
            return found
        return replace(found, source_name=HIDDEN_FILE, interviewer=None)

    def transcript(self, ref: str) -> Transcript:
        return self._service.transcript(ref, visible_to=self.name)

    def revealed(self, ref: str) -> bool:
        return self._service.revealed(str(self.resolve(ref)))

    def reveal_requires_checked(self) -> bool:
        return self._service.reveal_requires_checked()

    def live_version(self, ref: str) -> str:
        """A fingerprint of what this member sees of transcript ``ref`` (``service/live.py``),
        refused as the transcript itself is."""
        return self._service.live_version(ref, self.name)

    def live_codebook_version(self) -> str:
        """A fingerprint of what this member sees on the codebook page."""
        return self._service.live_codebook_version(self.name)

    def live_themes_version(self) -> str:
        """A fingerprint of what this member sees on the theme framework page: its level-two
        counts, never another coder's level-one work while the study codes blind."""
        return self._service.live_themes_version(self.name)

    # -- codes and codings -----------------------------------------------------------------

    def codes(self, level: Level | None = None, *, counted: bool = True) -> tuple[Code, ...]:
        """The codebook, counting only the codings this member may see."""
        return self._service.codes(level, counted=counted, visible_to=self.name)

    def code_by_id(self, code_id: int, *, expected: str | None = None) -> Code:
        return self._service.code_by_id(code_id, expected=expected, visible_to=self.name)

    def codings(
        self,
        *,
        code: CodePath | None = None,
        coder: str | None = None,
        transcript: str | None = None,
        level: Level | None = None,
    ) -> tuple[Coding, ...]:
        """The codings this member may see; in a transcript they may not read, without text
        and memo."""
        ref = str(self.resolve(transcript)) if transcript is not None else None
        return self._service.codings(
            code=code, coder=coder, transcript=ref, level=level, visible_to=self.name
        )

    def coding(self, coding_id: int) -> Coding:
        found = self._service.coding(coding_id, visible_to=self.name)
        return self._service.withheld((found,), self.readable_transcripts())[0]

    def theme_quotes(self, node_id: int) -> tuple[fw.Quote, ...]:
        return self._service.theme_quotes(node_id, visible_to=self.name)

    # -- memos, journal, search ------------------------------------------------------------

    def memos(self, target: str | None = None) -> tuple[notes.Memo, ...]:
        """One target's memos, or every memo on a code, theme or transcript this member may
        read."""
        if target is not None:
            self.check_memo_target(target)
            return self._service.memos(target, visible_to=self.name)
        readable = self.readable_transcripts()
        found = self._service.memos(visible_to=self.name)
        if readable is None:
            return found
        allowed = {f"transcript:{t}" for t in readable}
        return tuple(
            m for m in found if not m.target.startswith("transcript:") or m.target in allowed
        )

    def journal(self, wanted: notes.JournalFilter | None = None) -> tuple[notes.JournalEntry, ...]:
        """This member's own journal entries and field notes (a journal is private)."""
        if wanted is not None and wanted.transcript:
            self.resolve(wanted.transcript)
        return self._service.journal(self.name, wanted)

    def search(self, query: str, wanted: find.SearchFilter | None = None) -> find.SearchResults:
        """Search the turns this member may read; a code filter counts only codings they may
        see."""
        return self._service.search(query, wanted, visible_to=self.name)

    # -- reconciliation --------------------------------------------------------------------

    def reconciliation(
        self, ref: str, *, coders: tuple[str, str] | None = None
    ) -> rc.Reconciliation:
        return self._service.reconciliation(str(self.require_readable(ref)), coders=coders)

    def reconciliation_status(self) -> tuple[rc.Status, ...]:
        """Every transcript's reconciliation; while the study codes blind, a coder is not told
        how many disagreements a transcript not yet revealed holds."""
        found = self._service.reconciliation_status()
        if not self.blind:
            return found
        return tuple(s if s.revealed else replace(s, disagreements=0, decided=0) for s in found)

    # -- analysis: level one is closed to blind coders -------------------------------------

    def agreement(
        self,
        coder_a: str,
        coder_b: str,
        *,
        level: Level = Level.ONE,
        code: CodePath | None = None,
        scope: str = "either",
        convention: str = "applied",
        disagreements: bool = True,
    ) -> AgreementReport:
        self.require_level_open(level, "agreement")
        return self._service.agreement(
            coder_a,
            coder_b,
            level=level,
            code=code,
            scope=scope,
            convention=convention,
            disagreements=disagreements,
        )

    def agreement_many(
        self,
        coders: Sequence[str],
        *,
        level: Level = Level.ONE,
        code: CodePath | None = None,
        scope: str = "either",
    ) -> MultiAgreementReport:
        self.require_level_open(level, "agreement")
        return self._service.agreement_many(coders, level=level, code=code, scope=scope)

    def transcript_agreement(
        self, ref: str, coder_a: str, coder_b: str, *, level: Level = Level.ONE
    ) -> TranscriptAgreement:
        self.require_level_open(level, "agreement")
        return self._service.transcript_agreement(
            str(self.resolve(ref)), coder_a, coder_b, level=level
        )

    def counts(
        self,
        *,
        level: Level = Level.TWO,
        coders: Sequence[str] = (),
        by: str | None = None,
        rules: Sequence[QuantifierRule] = DEFAULT_RULES,
    ) -> CountsReport:
        self.require_level_open(level, "counts")
        return self._service.counts(level=level, coders=coders, by=by, rules=rules)

    def audit_draft(
        self,
        draft: Draft,
        *,
        level: Level = Level.TWO,
        rules: Sequence[QuantifierRule] = DEFAULT_RULES,
    ) -> AuditReport:
        """A draft's count claims and quotes checked against the counts this member may see and
        the transcripts they may read (anonymised ones only, for readers); changes nothing."""
        self.require_level_open(level, "counts")
        return self._service.audit_draft(draft, level=level, rules=rules, visible_to=self.name)

    def saturation(
        self,
        *,
        level: Level = Level.ONE,
        coders: Sequence[str] = (),
        order: Sequence[str] = (),
        base: int = 4,
        run: int = 2,
        threshold: float = 0.05,
        initial: int = 10,
        stop: int = 3,
    ) -> SaturationReport:
        self.require_level_open(level, "saturation")
        return self._service.saturation(
            level=level,
            coders=coders,
            order=order,
            base=base,
            run=run,
            threshold=threshold,
            initial=initial,
            stop=stop,
        )

    def matrix(
        self, by: str, *, level: Level = Level.TWO, coders: Sequence[str] = (), rows: str = "auto"
    ) -> MatrixReport:
        self.require_level_open(level, "counts")
        return self._service.matrix(by, level=level, coders=coders, rows=rows)

    def cooccurrence(
        self, *, level: Level = Level.TWO, coders: Sequence[str] = ()
    ) -> CooccurrenceReport:
        self.require_level_open(level, "co-occurrence")
        return self._service.cooccurrence(level=level, coders=coders)

    # -- export: the lead's, and never for a member who sees anonymised text only -----------

    def export_project(self) -> XProject:
        """The whole study (REFI-QDA export): a lead's, with every original in it."""
        self.require_lead("export the study")
        self.require_originals("export the study (it holds the original text)")
        return self._service.export_project()

    def export_codebook(self, key_path: Path) -> Checked:
        """The codebook as a .qdc carries it (codes, theme nodes, theme sets: what every member
        sees on the codebook page), refused (ExportRefused) if it carries possible identifiers
        (``service/export_checks.py``; only the command line's ``--allow-identifiers``
        writes those). The export is logged as this member's."""
        found = export_checks.checked_codebook(self._service, key_path)
        counts = {"codes": len(found.project.codes), "identifiers_allowed": 0}
        self._service.record_export("qdc", by=self.name, counts=counts)
        return found

    def can_export_study(self) -> bool:
        """Whether :meth:`export_study` is theirs to ask for (a lead who may see originals)."""
        return self.is_lead and self.sees_originals

    def export_study(self, key_path: Path) -> Checked:
        """The whole study as a REFI-QDA project (no journal, no recordings): a lead's, with
        every original in it, refused (ExportRefused) while the residual check finds possible
        identifiers (only the command line's ``--allow-identifiers`` writes those). Logged as
        this member's export."""
        self.require_lead("export the study")
        self.require_originals("export the study (it holds the original text)")
        found = export_checks.checked_project(self._service, key_path)
        project = found.project
        counts = {
            "sources": len(project.sources),
            "codes": len(project.codes),
            "codings": sum(len(s.codings) for s in project.sources),
            "identifiers_allowed": 0,
        }
        self._service.record_export("qdpx", by=self.name, counts=counts)
        return found


__all__ = ["HIDDEN_FILE", "MemberStudy", "bind"]
