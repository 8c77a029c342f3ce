"""The results the analysis engine returns: plain data, rendered as text, JSON, CSV or Markdown
by the adapters. Every figure says what it was computed over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thematica.analysis.coefficients import AggregateAgreement, CharacterAgreement, Coefficients
from thematica.analysis.saturation import FrancisResult, GuestResult
from thematica.domain import CodePath, Level

# -- agreement -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # 100,000s in a large study's report: no __dict__ each
class SourceAgreement:
    """Character-level agreement for one code in one transcript."""

    transcript_id: int
    participant: str | None
    result: CharacterAgreement


@dataclass(frozen=True)
class PresenceAgreement:
    """Agreement on whether a code is present in each unit (participant or turn)."""

    units: int
    coded_by_a: int
    coded_by_b: int
    coded_by_both: int
    coefficients: Coefficients


@dataclass(frozen=True)
class CodeAgreement:
    code: CodePath
    characters: tuple[SourceAgreement, ...]
    characters_overall: AggregateAgreement
    participants: PresenceAgreement
    turns: PresenceAgreement


@dataclass(frozen=True, slots=True)  # 100,000s in a large study's report: no __dict__ each
class Disagreement:
    """A span coded by one coder and not the other, or by both with different boundaries."""

    transcript_id: int
    participant: str | None
    code: CodePath
    kind: str  # only_a | only_b | boundaries
    start: int
    end: int
    text: str
    a_spans: tuple[tuple[int, int], ...]
    b_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class AgreementReport:
    coder_a: str
    coder_b: str
    level: Level
    transcripts: tuple[int, ...]
    participants: int
    turns: int
    codes: tuple[CodeAgreement, ...]
    pooled_characters: AggregateAgreement
    pooled_participants: PresenceAgreement
    pooled_turns: PresenceAgreement
    disagreements: tuple[Disagreement, ...]
    method: tuple[str, ...]


# -- single counting -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCount:
    value: str
    n: int
    total: int
    phrase: str


@dataclass(frozen=True)
class NodeCount:
    """Distinct participants for one theme node or code (each participant counted once)."""

    kind: str  # theme | code
    path: CodePath
    depth: int
    direct: int
    rolled_up: int
    total: int
    phrase: str
    supporters: tuple[str, ...]
    not_represented: tuple[str, ...]
    divergent: tuple[str, ...]
    by_group: tuple[GroupCount, ...]


@dataclass(frozen=True)
class CountsReport:
    level: Level
    coders: tuple[str, ...]
    total: int
    participants: tuple[str, ...]
    attribute: str | None
    groups: tuple[tuple[str, int], ...]
    themes: tuple[NodeCount, ...]
    codes: tuple[NodeCount, ...]
    method: tuple[str, ...]


# -- saturation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewStep:
    position: int
    transcript_id: int
    participant: str | None
    interview_date: dt.date | None
    codes: int
    new: int
    cumulative: int


@dataclass(frozen=True)
class SaturationReport:
    level: Level
    coders: tuple[str, ...]
    order: str
    interviews: tuple[InterviewStep, ...]
    not_yet_coded: tuple[str, ...]
    guest: GuestResult
    francis: FrancisResult
    method: tuple[str, ...]


# -- matrix and co-occurrence ----------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    value: str
    participants: int
    total: int
    codings: int


@dataclass(frozen=True)
class MatrixRow:
    kind: str
    path: CodePath
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class MatrixReport:
    attribute: str
    level: Level
    values: tuple[tuple[str, int], ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class CooccurrencePair:
    a: CodePath
    b: CodePath
    turns_both: int
    turns_either: int
    jaccard: float
    overlapping_codings: int


@dataclass(frozen=True)
class CooccurrenceReport:
    level: Level
    turns: int
    pairs: tuple[CooccurrencePair, ...]
    method: tuple[str, ...]


@dataclass(frozen=True)
class MultiPresence:
    """Krippendorff's alpha (nominal) for code presence among any number of coders; a coder who
    has not coded a unit's transcript is missing there, not absent."""

    units: int
    pairable_units: int
    coded_by: tuple[int, ...]
    alpha: float | None
    undefined: str | None


@dataclass(frozen=True)
class MultiCodeAgreement:
    code: CodePath
    participants: MultiPresence
    turns: MultiPresence


@dataclass(frozen=True)
class MultiAgreementReport:
    coders: tuple[str, ...]
    level: Level
    transcripts: tuple[int, ...]
    coded_transcripts: tuple[int, ...]
    codes: tuple[MultiCodeAgreement, ...]
    pooled_participants: MultiPresence
    method: tuple[str, ...]


# -- agreement within one transcript ---------------------------------------------------------


@dataclass(frozen=True)
class TranscriptCodeAgreement:
    """One code in one transcript: characters (as in the study report) and speaker turns."""

    code: CodePath
    characters: CharacterAgreement
    turns: PresenceAgreement
    disagreements: int


@dataclass(frozen=True)
class TranscriptAgreement:
    """Two coders over one transcript: every code either of them applied there."""

    coder_a: str
    coder_b: str
    level: Level
    transcript_id: int
    participant: str | None
    length: int
    turns: int
    coded_by_a: bool
    coded_by_b: bool
    codes: tuple[TranscriptCodeAgreement, ...]
    pooled_characters: AggregateAgreement
    pooled_turns: PresenceAgreement
    disagreements: int
    method: tuple[str, ...]
