"""A set of quotes (a code's, a theme's or an analysis cell's) as a Word document, a CSV file or
an XLSX workbook, written to a file object. Pure functions of a :class:`QuoteSet`: whoever builds
one has already left out what its reader may not see (a withheld quote has ``text`` None).

Quotes are attributed by participant label ("Physio 4"), never by a name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from thematica.report.sheets import Grid, write_csv, write_xlsx

WITHHELD = "(words withheld: this transcript is not yet anonymised)"
COLUMNS = (
    "participant",
    "group",
    "code",
    "level",
    "coder",
    "quote",
    "memo",
    "turn",
    "transcript",
    "start",
    "end",
)


@dataclass(frozen=True)
class ExportQuote:
    participant: str  # the label, "Physio 4"
    group: str  # the participant's value of the grouping (or their group)
    code: str
    level: int
    coder: str
    text: str | None  # None: withheld from this reader
    memo: str | None
    turn: str | None  # the words of the turn(s) the quote is in, when shown
    transcript_id: int
    start: int
    end: int


@dataclass(frozen=True)
class QuoteSet:
    title: str  # "Quotes: Pain and mood > A vicious cycle"
    note: str  # what the set is ("Codings of this code at level two")
    grouped_by: str | None  # "participant", "group" or an attribute; None: not grouped
    groups: tuple[tuple[str, tuple[ExportQuote, ...]], ...]  # (heading, quotes); one if not

    @property
    def quotes(self) -> tuple[ExportQuote, ...]:
        return tuple(q for _h, qs in self.groups for q in qs)


def grid(quotes: QuoteSet) -> Grid:
    """One row per quote; positions are code points into the transcript, end exclusive."""
    return Grid(
        "Quotes",
        COLUMNS,
        tuple(
            (
                q.participant,
                q.group,
                q.code,
                q.level,
                q.coder,
                q.text,
                q.memo,
                q.turn,
                q.transcript_id,
                q.start,
                q.end,
            )
            for q in quotes.quotes
        ),
    )


def to_csv(quotes: QuoteSet, out: IO[bytes]) -> None:
    write_csv(grid(quotes), out)


def to_xlsx(quotes: QuoteSet, out: IO[bytes]) -> None:
    write_xlsx([grid(quotes)], out)


def _attribution(q: ExportQuote, grouped_by: str | None) -> str:
    parts = [q.participant]
    if q.group and grouped_by not in (None, "participant") and q.group != q.participant:
        parts.append(q.group)
    return f"— {', '.join(parts)} ({q.code}; coded by {q.coder})"


def to_docx(quotes: QuoteSet, out: IO[bytes], *, today: dt.date | None = None) -> None:
    """A document a researcher pastes from: the title, what the set is, then each group's
    quotes as indented quotations, each followed by its participant label."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    props = doc.core_properties
    props.title = quotes.title
    props.author = props.last_modified_by = "Thematica"
    props.comments = "Quotes exported from Thematica."
    stamp = dt.datetime.combine(today or dt.date.today(), dt.time())
    props.created = props.modified = stamp
    doc.add_heading(quotes.title, level=1)
    doc.add_paragraph(quotes.note)
    for heading, items in quotes.groups:
        if quotes.grouped_by is not None:
            doc.add_heading(f"{heading} ({_count(len(items))})", level=2)
        for q in items:
            _quote(doc, q, quotes.grouped_by)
    doc.save(out)


def _count(n: int) -> str:
    return f"{n} quote{'' if n == 1 else 's'}"


def _quote(doc: DocxDocument, q: ExportQuote, grouped_by: str | None) -> None:
    p = doc.add_paragraph(style="Quote")
    if q.text is None:
        p.add_run(WITHHELD).italic = True
    else:
        p.add_run(f"“{q.text.strip()}”")
    who = doc.add_paragraph(_attribution(q, grouped_by))
    who.paragraph_format.left_indent = Cm(1.0)
    who.paragraph_format.space_after = Pt(10)
    if q.memo:
        memo = who.add_run(f"\nMemo: {q.memo}")
        memo.italic = True
        memo.font.size = Pt(9)
