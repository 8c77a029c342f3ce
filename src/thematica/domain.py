"""Plain typed objects that describe a study. No I/O, no SQL.

Character offsets into a transcript's canonical text are Unicode code points, end exclusive,
everywhere in Thematica (Python ``str`` slicing uses exactly these units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Approach(StrEnum):
    """The variety of thematic analysis the study follows (Braun & Clarke's typology)."""

    REFLEXIVE = "reflexive"
    CODEBOOK = "codebook"
    CODING_RELIABILITY = "coding-reliability"


class MemberRole(StrEnum):
    """What a team member may do: the lead manages, coders code, readers only read."""

    LEAD = "lead"
    CODER = "coder"
    READER = "reader"


class Scope(StrEnum):
    """Which text a team member may see: everything, or anonymised text only (readers always,
    and any member the lead marks so)."""

    ALL = "all"
    ANONYMISED = "anonymised"


class CheckingState(StrEnum):
    """How far a transcript is checked against its recording: as the tool wrote it
    (``automatic``), being checked, or checked."""

    AUTOMATIC = "automatic"
    CHECKING = "checking"
    CHECKED = "checked"


class AnonymisationState(StrEnum):
    """How far a transcript is anonymised. Only ``ANONYMISED`` (scanned, no finding pending, every
    accepted finding applied, a clean residual check) is shown to members who see anonymised
    text only."""

    NONE = "none"
    PARTLY = "partly"
    ANONYMISED = "anonymised"


class SpeakerRole(StrEnum):
    """Who is speaking in a turn."""

    INTERVIEWER = "interviewer"
    PARTICIPANT = "participant"
    OTHER = "other"


class AttributeType(StrEnum):
    """The type of a participant attribute column."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"


AttributeValue = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class StudyInfo:
    """The study's own description plus headline counts."""

    title: str
    research_question: str
    approach: Approach
    created_at: dt.datetime
    schema_revision: str
    participants: int
    transcripts: int
    words: int
    team: tuple[TeamMember, ...]
    location: str
    permissions_warning: str | None = None  # a study file others may read or write
    media_folder: str | None = None  # where recordings are kept [issue 16]
    media_bytes: int | None = None  # the media folder's size


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: MemberRole
    anonymised_only: bool = False  # may never see original (un-anonymised) text
    has_password: bool = False
    email: str | None = None
    active: bool = True

    @property
    def scope(self) -> Scope:
        if self.anonymised_only or self.role is MemberRole.READER:
            return Scope.ANONYMISED
        return Scope.ALL


@dataclass(frozen=True)
class Actor:
    """The team member a call is made for, and from where (a client address for the audit log;
    "cli" for the command line). The service checks every rule against it."""

    name: str
    role: MemberRole
    scope: Scope
    client: str = ""


@dataclass(frozen=True)
class AttributeDef:
    name: str
    type: AttributeType


@dataclass(frozen=True)
class Participant:
    """One row of the participant register. ``label`` is how findings quote them ("Physio 4")."""

    label: str
    group: str
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Register:
    """A participant register as read from a file: the typed columns and the rows."""

    attributes: tuple[AttributeDef, ...]
    participants: tuple[Participant, ...]


@dataclass(frozen=True)
class GuideQuestion:
    """One question of the interview guide with its follow-up prompts, in order."""

    text: str
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn as an importer reads it, before roles and offsets are assigned.

    ``speaker`` is the name as written in the file; ``""`` when the file names no speaker.
    Times are milliseconds from the start of the recording, ``None`` where the format has none.
    """

    speaker: str
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True)
class ParsedTranscript:
    """What an importer returns for one file: pure data, not yet in any study."""

    source_name: str
    source_sha256: str
    source_format: str
    turns: tuple[ParsedTurn, ...]
    interview_date: dt.date | None = None

    @property
    def speakers(self) -> tuple[str, ...]:
        """Distinct speaker names in order of first appearance."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns))

    @property
    def duration_ms(self) -> int | None:
        """Recording time up to the end of the last timed turn (``None`` for untimed formats)."""
        ends = [t.end_ms for t in self.turns if t.end_ms is not None]
        return max(ends) if ends else None


@dataclass(frozen=True)
class Turn:
    """A speaker turn inside a stored transcript.

    ``start``/``end`` are code-point offsets into the transcript's canonical text, end exclusive,
    so ``transcript.text[turn.start:turn.end] == turn.text``.
    """

    position: int
    speaker: str
    role: SpeakerRole
    start: int
    end: int
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True)
class TranscriptSummary:
    id: int
    source_name: str
    source_format: str
    participant: str | None
    interview_date: dt.date | None
    duration_ms: int | None
    interviewer: str | None
    turns: int
    words: int
    checking: CheckingState = CheckingState.AUTOMATIC  # checked against the recording [0013]
    checked_by: str | None = None  # who set the state (None while automatic)
    checked_at: dt.datetime | None = None


@dataclass(frozen=True)
class Transcript:
    id: int
    source_name: str
    source_sha256: str
    source_format: str
    participant: str | None
    interview_date: dt.date | None
    duration_ms: int | None
    interviewer: str | None
    text: str
    turns: tuple[Turn, ...]
    imported_at: dt.datetime


def word_count(text: str) -> int:
    """Words as a researcher counts them: runs of non-space characters."""
    return len(text.split())


# --- Codes, codings and the theme framework -------------------------------------------------

CodePath = tuple[str, ...]
PATH_SEPARATOR = " > "


def format_path(path: CodePath) -> str:
    return PATH_SEPARATOR.join(path)


def parse_path(text: str) -> CodePath:
    """``"Challenges > The clinical environment"`` -> ``("Challenges", "The clinical environment")``;
    empty parts are dropped, so stray spaces and doubled separators are harmless."""
    return tuple(" ".join(part.split()) for part in text.split(">") if part.strip())


class Level(IntEnum):
    """Level one: each coder's independent coding. Level two: the agreed codes after reconciliation."""

    ONE = 1
    TWO = 2


class Stance(StrEnum):
    """How a code bears on a theme node: it supports it, or it is a divergent (contrary) case."""

    SUPPORTS = "supports"
    DIVERGENT = "divergent"


@dataclass(frozen=True)
class CodeSpec:
    """A code as a codebook file describes it (``origins``: level-one paths merged into it)."""

    path: CodePath
    level: Level = Level.ONE
    description: str = ""
    colour: str | None = None
    origins: tuple[CodePath, ...] = ()
    owner: str | None = None  # the coder who created a level-one code, if recorded


@dataclass(frozen=True)
class ThemeSpec:
    """A theme-framework node as a file describes it, with its children."""

    name: str
    description: str = ""
    codes: tuple[CodePath, ...] = ()
    divergent: tuple[CodePath, ...] = ()
    children: tuple[ThemeSpec, ...] = ()


@dataclass(frozen=True)
class LinkSpec:
    source: CodePath
    target: CodePath
    label: str


@dataclass(frozen=True)
class Codebook:
    """What a codebook file holds: codes, and (YAML only) a theme framework and its interlinks."""

    codes: tuple[CodeSpec, ...]
    themes: tuple[ThemeSpec, ...] = ()
    links: tuple[LinkSpec, ...] = ()


@dataclass(frozen=True)
class Code:
    id: int
    path: CodePath
    level: Level
    description: str
    colour: str | None
    codings: int = 0
    owner: str | None = None

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class CodingSpec:
    """One row of a codings file: a span given by offsets or by an exact quote."""

    row: int
    transcript: str
    coder: str
    code: CodePath
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    occurrence: int | None = None
    memo: str | None = None


@dataclass(frozen=True)
class Coding:
    """Who coded which span of which transcript with which code (code points, end exclusive)."""

    id: int
    transcript_id: int
    participant: str | None
    code: CodePath
    level: Level
    coder: str
    start: int
    end: int
    text: str
    memo: str | None
    created_at: dt.datetime
    modified_at: dt.datetime


@dataclass(frozen=True)
class ThemeNode:
    id: int
    path: CodePath
    description: str
    codes: tuple[CodePath, ...]
    divergent: tuple[CodePath, ...]
    children: tuple[int, ...]

    @property
    def depth(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class Link:
    id: int
    source: CodePath
    target: CodePath
    label: str


@dataclass(frozen=True)
class LineageEntry:
    id: int
    at: dt.datetime
    actor: str
    operation: str
    summary: str
    undone_at: dt.datetime | None
    undoable: bool


# Vocabularies the command line offers as choices, kept here (not in the service) so that a
# command's --help needs no database code.
JOURNAL_KINDS = ("journal", "field-note")
SEARCH_SCOPES = ("match", "turn")
CHECKING_STATES = tuple(s.value for s in CheckingState)  # the CLI's choices
RECONCILE_DECISIONS = ("accept_a", "accept_b", "both", "edit", "drop")
REPORT_FORMATS = ("docx", "md", "html", "csv", "xlsx")
# Why a participant withdrew, as a category only (COREQ item 12 asks for reasons; free text could
# hold what the participant said): ``participants withdraw --reason``.
WITHDRAWAL_REASONS = (
    "not-stated",
    "changed-mind",
    "ill-health",
    "distress",
    "no-time",
    "lost-contact",
    "other",
)
