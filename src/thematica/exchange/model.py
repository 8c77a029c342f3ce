"""A tool-neutral picture of a project, between a Thematica study and a REFI-QDA file.

Export builds an :class:`XProject` from a study, then writes it as REFI-QDA; import reads REFI-QDA
into an :class:`XProject`, then creates a study from it. Offsets here are Unicode code points
into ``XSource.text``, end exclusive, whatever unit the file used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from thematica.domain import AttributeType, AttributeValue


@dataclass(frozen=True)
class XUser:
    guid: str
    name: str


@dataclass(frozen=True)
class XCode:
    """A code; ``parent`` is the parent code's guid. ``codable`` False marks a folder/category.

    ``level`` is Thematica's (1 coders', 2 agreed); other tools' codes import as level 1.
    ``theme`` marks a Thematica theme node exported as a (non-codable) code.
    """

    guid: str
    name: str
    parent: str | None = None
    description: str = ""
    colour: str | None = None
    codable: bool = True
    level: int = 1
    theme: bool = False
    origins: tuple[str, ...] = ()  # guids of the level-one codes an agreed code was formed from


@dataclass(frozen=True)
class XVariable:
    guid: str
    name: str
    type: AttributeType


@dataclass(frozen=True)
class XCase:
    """A participant: ``name`` is the label ("Physio 4"); ``group`` their group."""

    guid: str
    name: str
    group: str = ""
    values: dict[str, AttributeValue] = field(default_factory=dict)  # variable name -> value
    sources: tuple[str, ...] = ()  # guids of the participant's sources


@dataclass(frozen=True, slots=True)
class XCoding:
    """One coder's coding of a span (REFI: a PlainTextSelection with one Coding per coder)."""

    guid: str
    start: int
    end: int
    code: str  # code guid
    user: str | None  # user guid (creatingUser)
    created: dt.datetime | None = None
    memo: str | None = None


@dataclass(frozen=True, slots=True)
class XTurn:
    """A speaker turn (Thematica's own extension, carried in the source's Description)."""

    speaker: str
    role: str
    start: int
    end: int
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True)
class XMedia:
    """A source's recording (REFI-QDA ``AudioSource``/``VideoSource``). On export ``path`` is
    the file on disk (and ``sha256`` what it must hash to); on import it is the archive member
    holding it. ``format`` is the file extension, lower case, without the dot."""

    kind: str  # "audio" | "video"
    path: str
    format: str
    name: str = ""  # the recording's original file name
    sha256: str | None = None


@dataclass(frozen=True)
class XSource:
    guid: str
    name: str
    text: str
    codings: tuple[XCoding, ...] = ()
    turns: tuple[XTurn, ...] = ()
    interview_date: dt.date | None = None
    # import only: the source's length in its offset units and the (offset, units) pairs of the
    # characters of ``text`` that were not one unit there (refi_offsets.source_units)
    source_units: tuple[int, tuple[tuple[int, int], ...]] | None = None
    media: XMedia | None = None  # the recording the text transcribes (export with --media)


NOTE_KINDS = ("memo", "journal", "field-note")


@dataclass(frozen=True)
class XNote:
    """A memo or journal entry, attached to any number of objects by guid. ``kind`` is "memo"
    for a memo (and any other tool's note), "journal" or "field-note" for a journal entry."""

    guid: str
    name: str
    text: str
    targets: tuple[str, ...] = ()
    user: str | None = None
    kind: str = "memo"
    created: dt.datetime | None = None


@dataclass(frozen=True)
class XLink:
    guid: str
    name: str
    origin: str  # guid
    target: str  # guid
    direction: str = "Associative"  # Associative | OneWay | Bidirectional


@dataclass(frozen=True)
class XSet:
    guid: str
    name: str
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class XProject:
    name: str
    origin: str = ""
    users: tuple[XUser, ...] = ()
    codes: tuple[XCode, ...] = ()
    variables: tuple[XVariable, ...] = ()
    cases: tuple[XCase, ...] = ()
    sources: tuple[XSource, ...] = ()
    notes: tuple[XNote, ...] = ()
    links: tuple[XLink, ...] = ()
    sets: tuple[XSet, ...] = ()
    skipped: tuple[str, ...] = ()  # sources that are not text (PDF, picture, audio, video), by name
    media_skipped: tuple[str, ...] = ()  # recordings not in the archive: "name: why" (import)
    offset_unit: str = "code points"  # what the file's positions counted (import only)
    description: str = (
        ""  # the project's Description (Thematica: research question, approach, guide)
    )
