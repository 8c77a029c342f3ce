"""Everything a report needs, read once from a study into plain data.

:func:`gather` is the only part of :mod:`thematica.report` that talks to a study. The tables,
figures, quote bank, findings draft and checklists are pure functions of :class:`ReportData`,
so they can be tested by building a ``ReportData`` by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thematica import __version__
from thematica.analysis.reports import AgreementReport, CountsReport, SaturationReport
from thematica.domain import (
    AttributeDef,
    CodePath,
    Coding,
    Level,
    Link,
    Participant,
    SpeakerRole,
    TeamMember,
    ThemeNode,
    TranscriptSummary,
)
from thematica.errors import NotFoundError, ThematicaError
from thematica.service import StudyService
from thematica.service.recruitment_types import RecruitmentLog

EXEMPLAR_WORD = "exemplar"


@dataclass(frozen=True)
class Segment:
    """One coded segment at the analysis level: the quote, whose it is and why it was coded."""

    participant: str
    text: str
    code: CodePath
    memo: str | None = None
    coder: str = ""
    transcript_id: int = 0
    start: int = 0

    @property
    def is_exemplar(self) -> bool:
        """A coding whose memo mentions "exemplar" (any case) was marked as an exemplar."""
        return self.memo is not None and EXEMPLAR_WORD in self.memo.casefold()


@dataclass(frozen=True)
class ReportData:
    """A study as the report sees it. Plain data only: no sessions, no files."""

    title: str
    research_question: str
    approach: str  # reflexive | codebook | coding-reliability
    team: tuple[TeamMember, ...]
    attributes: tuple[AttributeDef, ...]  # the attributes Table 1 describes, in order
    participants: tuple[Participant, ...]  # the interviewed participants (N), register order
    registered: int  # participants in the register, interviewed or not
    transcripts: tuple[TranscriptSummary, ...]
    counts: CountsReport
    saturation: SaturationReport
    nodes: tuple[ThemeNode, ...]
    links: tuple[Link, ...]
    segments: tuple[Segment, ...]  # codings at the analysis level
    codes_per_level: tuple[tuple[int, int, int], ...] = ()  # (level, codes, of them parents)
    coders_per_level: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (level, coder names)
    guide_questions: int = 0
    guide_prompts: int = 0
    third_party_transcripts: int = 0  # transcripts with a speaker who is neither side
    agreement: AgreementReport | None = None  # the first two level-one coders, if any
    exemplars: int = 3
    level: int = 2  # the analysis level: 2 (agreed codes), or 1 for a solo or reflexive study
    software: str = f"Thematica {__version__}"
    recruitment: RecruitmentLog | None = None  # the recruitment log, when the study keeps one

    def codes_at(self, level: int) -> tuple[int, int]:
        """(codes that have no sub-codes, codes that group sub-codes) at a level."""
        for at, total, parents in self.codes_per_level:
            if at == level:
                return total - parents, parents
        return 0, 0

    def coders_at(self, level: int) -> tuple[str, ...]:
        return dict(self.coders_per_level).get(level, ())

    @property
    def coders(self) -> tuple[str, ...]:
        """Everyone who coded, at any level, in team order."""
        seen = {name for _, names in self.coders_per_level for name in names}
        ordered = [m.name for m in self.team if m.name in seen]
        return (*ordered, *sorted(seen - set(ordered)))


def select_attributes(
    defs: Sequence[AttributeDef], names: Sequence[str] | None
) -> tuple[AttributeDef, ...]:
    """The attribute definitions named (case-insensitive, in the order given), or all of them."""
    if names is None:
        return tuple(defs)
    by_name = {d.name.casefold(): d for d in defs}
    chosen: list[AttributeDef] = []
    for name in names:
        found = by_name.get(name.strip().casefold())
        if found is None:
            known = ", ".join(d.name for d in defs) or "none"
            raise NotFoundError(f"no participant attribute {name.strip()!r} (attributes: {known})")
        if found not in chosen:
            chosen.append(found)
    return tuple(chosen)


def gather(
    service: StudyService, attributes: Sequence[str] | None = None, exemplars: int = 3
) -> ReportData:
    """Read what the report needs from an open study, once.

    Raises :class:`ThematicaError` when there is nothing to report yet: no transcripts, no
    codings at the analysis level (see :func:`analysis_level`) or no theme framework.
    """
    if exemplars < 1:
        raise ThematicaError(f"exemplars must be 1 or more; got {exemplars}")
    info = service.info()
    chosen = select_attributes(service.attribute_defs(), attributes)
    summaries = service.transcripts()
    if not summaries:
        raise ThematicaError("the study has no transcripts yet: there is nothing to report")
    level_one = service.codings(level=Level.ONE)
    level_two = service.codings(level=Level.TWO)
    level = analysis_level(info.approach.value, level_one, level_two)
    codings = level_two if level is Level.TWO else level_one
    nodes, links = service.themes()
    if not nodes:
        raise ThematicaError(
            "the study has no theme framework yet: import one with "
            "`thematica codebook import STUDY framework.yaml`"
        )
    counts = service.counts(level=level)
    interviewed = set(counts.participants)
    register = service.participants()
    saturation = service.saturation(level=Level.ONE if level_one else Level.TWO)
    team_order = [m.name for m in info.team]
    coders_per_level = tuple(
        (int(level), _in_order({c.coder for c in rows}, team_order))
        for level, rows in ((Level.ONE, level_one), (Level.TWO, level_two))
        if rows
    )
    one_coders = dict(coders_per_level).get(1, ())
    agreement = None
    if len(one_coders) >= 2:
        try:
            agreement = service.agreement(
                one_coders[0], one_coders[1], level=Level.ONE, disagreements=False
            )
        except ThematicaError:
            agreement = None  # the checklists then leave trustworthiness to the authors
    guide = service.guide()
    recruitment = service.recruitment()
    kept = recruitment if recruitment.candidates or recruitment.plan.decision else None
    # Table 1 and the sample size leave out participants who withdrew (their data are removed
    # by `participants withdraw`; the recruitment log keeps that they withdrew, and why)
    withdrawn = {label.casefold() for label in recruitment.withdrawn_participants}
    register = tuple(p for p in register if p.label.casefold() not in withdrawn)
    return ReportData(
        title=info.title,
        level=int(level),
        research_question=info.research_question,
        approach=info.approach.value,
        team=info.team,
        attributes=chosen,
        participants=tuple(p for p in register if p.label in interviewed),
        registered=len(register),
        transcripts=summaries,
        counts=counts,
        saturation=saturation,
        nodes=nodes,
        links=links,
        segments=tuple(
            Segment(
                c.participant or f"transcript {c.transcript_id}",
                c.text,
                c.code,
                c.memo,
                c.coder,
                c.transcript_id,
                c.start,
            )
            for c in codings
        ),
        codes_per_level=tuple(_code_sizes(service, level) for level in (Level.ONE, Level.TWO)),
        coders_per_level=coders_per_level,
        guide_questions=len(guide),
        guide_prompts=sum(len(q.prompts) for q in guide),
        third_party_transcripts=sum(
            1
            for s in summaries
            if any(t.role is SpeakerRole.OTHER for t in service.transcript(str(s.id)).turns)
        ),
        agreement=agreement,
        exemplars=exemplars,
        recruitment=kept,
    )


def analysis_level(
    approach: str, level_one: Sequence[Coding], level_two: Sequence[Coding]
) -> Level:
    """The level the report counts and quotes: the agreed (level-two) codings when there are
    any. Without them, a reflexive study or a study with a single coder is analysed on its
    level-one codes as they stand (reflexive thematic analysis is usually one researcher's
    reading, with no agreed layer); a study with two or more coders and another approach needs
    its agreed layer first."""
    if level_two:
        return Level.TWO
    coders = {c.coder for c in level_one}
    if level_one and (approach == "reflexive" or len(coders) == 1):
        return Level.ONE
    if not level_one:
        raise ThematicaError(
            "the study has no codings yet: the report counts participants per theme from them; "
            "code in the workbench or import them with `thematica codings import STUDY FILE`"
        )
    raise ThematicaError(
        f"the study has level-one codings by {len(coders)} coders and no agreed (level-two) "
        "codings yet: reconcile them (`thematica reconcile`) or import agreed codings with "
        "`thematica codings import STUDY FILE --level 2`"
    )


def _in_order(names: set[str], order: Sequence[str]) -> tuple[str, ...]:
    known = [n for n in order if n in names]
    return (*known, *sorted(names - set(known)))


def _code_sizes(service: StudyService, level: Level) -> tuple[int, int, int]:
    paths = [c.path for c in service.codes(level)]
    parents = {p[:-1] for p in paths if len(p) > 1}
    return int(level), len(paths), sum(1 for p in paths if p in parents)
