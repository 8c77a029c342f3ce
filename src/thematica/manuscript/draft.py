"""A draft as the audit reads it: headings, body paragraphs and block quotes, in order.

:func:`read_draft` takes a file's bytes and picks the reader by its content and name: DOCX
(``docx_reader``), HTML, Markdown or plain text (``text_readers``). Every failure is one
:class:`~thematica.errors.InputError` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from thematica.errors import InputError

MAX_DRAFT_BYTES = 10 * 1024 * 1024
"""The largest draft file read (a 10,000-word DOCX is about 50 KB; with figures a few MB)."""
MAX_DRAFT_CHARS = 2_000_000
"""The most text a draft may hold once read (about 300,000 words)."""

HEADING, BODY, QUOTE, ROW = "heading", "body", "quote", "row"


@dataclass(frozen=True)
class Block:
    """One paragraph of the draft: a ``heading`` (with its ``level``), ``body`` text, a block
    ``quote`` or a table ``row`` (its cells joined by " | "). ``index`` is its place among the
    source's paragraphs (for a DOCX, in ``document.paragraphs``; -1 for a table row), so a
    comment can be put on it."""

    kind: str
    text: str
    level: int = 0
    index: int = 0


@dataclass(frozen=True)
class Draft:
    source: str
    format: str  # docx | markdown | html | text
    blocks: tuple[Block, ...]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def check_size(size: int, source: str) -> None:
    """Refuse a file too large to be a draft before it is read."""
    if size > MAX_DRAFT_BYTES:
        raise InputError(
            source,
            f"refused: the draft is {_mb(size)} (a draft may be at most {_mb(MAX_DRAFT_BYTES)})",
        )


def _format(data: bytes, source: str) -> str:
    suffix = PurePath(source).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix == ".docx":
        return "docx"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def read_draft(data: bytes, source: str) -> Draft:
    """The draft in ``data``: DOCX, HTML, Markdown or plain text (by content, then name)."""
    check_size(len(data), source)
    kind = _format(data, source)
    if kind == "docx":
        from thematica.manuscript.docx_reader import read_docx

        blocks = read_docx(data, source)
    else:
        from thematica.manuscript import text_readers

        blocks = text_readers.read(kind, data, source)
    if sum(len(b.text) for b in blocks) > MAX_DRAFT_CHARS:
        raise InputError(
            source, f"refused: the draft holds more than {MAX_DRAFT_CHARS:,} characters of text"
        )
    if not any(b.text.strip() for b in blocks):
        raise InputError(source, "the draft has no text to audit")
    return Draft(source, kind, tuple(blocks))
