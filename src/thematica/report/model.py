"""The report as format-neutral blocks: headings, paragraphs, tables and figures.

The content is built once (:mod:`thematica.report.document`) and each writer (DOCX, Markdown,
HTML) only decides how a block looks, so the three documents cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A run of text inside a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """``style``: ``body``, ``quote`` (an indented quotation), ``note`` (small print) or
    ``draft`` (a warning that the text is generated and must be rewritten)."""

    spans: tuple[Span, ...]
    style: str = "body"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph((Span(text),), style)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = subsection, 3 = sub-subsection


@dataclass(frozen=True)
class Row:
    """A table row. ``indent`` indents the first cell (a level in a hierarchy)."""

    cells: tuple[str, ...]
    indent: int = 0
    bold: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # file-name stem for CSV and the sheet: "table1"
    title: str  # "Table 1. Participant characteristics by group"
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    sheet: str = ""  # the XLSX sheet name (at most 31 characters)


@dataclass(frozen=True)
class Figure:
    """A figure written beside the documents as ``stem.png`` and ``stem.svg``."""

    stem: str
    caption: str


Block = Heading | Paragraph | Table | Figure

DASH = "–"  # shown where a statistic is undefined (an SD of one value, say)
