"""Drafts in plain text, Markdown and HTML, as blocks (``draft.Block``).

Plain text: paragraphs are separated by blank lines; a short line of its own without a final
full stop is a heading; lines starting with ``>`` or indented by four spaces are a block
quote. Markdown: ``#`` headings (and underlined ones), ``>`` block quotes, emphasis, links and
code marks taken away; each table row is a block. HTML: ``h1``-``h6``, ``p``, ``li``, ``blockquote`` and table rows, parsed by lxml
with network access off (scripts and styles are dropped).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from thematica.errors import InputError
from thematica.importers.encoding import decode_text
from thematica.importers.guard import XML_ERRORS, translating
from thematica.manuscript.draft import BODY, HEADING, QUOTE, ROW, Block

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_QUOTE_LINE = re.compile(r"^\s{0,3}>\s?")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_NO_TERMINAL = re.compile(r"[.!?:;,\"'\u201d\u2019)]$")


def inline_markdown(text: str) -> str:
    """Markdown inline marks taken away: links keep their words, emphasis and code marks go."""
    text = _LINK.sub(r"\1", text)
    for _ in range(3):
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _paragraphs(lines: list[str]) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def read_markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    for start, lines in _paragraphs(text.split("\n")):
        if all(_QUOTE_LINE.match(line) for line in lines):
            inner = [_QUOTE_LINE.sub("", line, count=1) for line in lines]
            blocks.append(Block(QUOTE, inline_markdown(" ".join(inner)), 0, start))
            continue
        pending: list[str] = []
        for offset, line in enumerate(lines):
            atx = _ATX.match(line)
            if line.lstrip().startswith("|"):
                _flush(blocks, pending, start)
                cells = [inline_markdown(c) for c in line.strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells):
                    blocks.append(Block(ROW, " | ".join(c for c in cells if c), 0, start + offset))
            elif atx:
                _flush(blocks, pending, start)
                level = len(atx.group(1))
                blocks.append(Block(HEADING, inline_markdown(atx.group(2)), level, start + offset))
            elif _SETEXT.match(line) and len(pending) == 1:
                level = 1 if "=" in line else 2
                blocks.append(Block(HEADING, inline_markdown(pending[0]), level, start))
                pending.clear()
            elif _LIST_ITEM.match(line):
                _flush(blocks, pending, start)
                pending.append(_LIST_ITEM.sub("", line, count=1))
            else:
                pending.append(line.strip())
        _flush(blocks, pending, start)
    return blocks


def _flush(blocks: list[Block], pending: list[str], at: int) -> None:
    if pending:
        blocks.append(Block(BODY, inline_markdown(" ".join(pending)), 0, at))
        pending.clear()


def read_plain(text: str) -> list[Block]:
    blocks: list[Block] = []
    for start, lines in _paragraphs(text.split("\n")):
        if all(_QUOTE_LINE.match(line) or line.startswith(("    ", "\t")) for line in lines):
            inner = [_QUOTE_LINE.sub("", line, count=1).strip() for line in lines]
            blocks.append(Block(QUOTE, " ".join(inner), 0, start))
            continue
        joined = " ".join(line.strip() for line in lines)
        if len(lines) == 1 and len(joined.split()) <= 12 and not _NO_TERMINAL.search(joined):
            blocks.append(Block(HEADING, joined, 1, start))
        else:
            blocks.append(Block(BODY, joined, 0, start))
    return blocks


_HTML_BLOCKS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "dd",
    "figcaption",
    "caption",
}


def read_html(data: bytes, source: str) -> list[Block]:
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    with translating(source, XML_ERRORS, "not a readable HTML draft"):
        root = lxml_html.document_fromstring(data, parser=parser)
    for bad in root.iter("script", "style", "template", "noscript"):
        bad.drop_tree()
    blocks: list[Block] = []
    index = 0

    def text_of(element: etree._Element) -> str:
        return " ".join("".join(element.itertext()).split())

    def walk(element: etree._Element, in_quote: bool) -> None:
        nonlocal index
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            tag = tag.lower()
            if tag == "tr":
                cells = [
                    text_of(c)
                    for c in child
                    if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")
                ]
                if any(cells):
                    blocks.append(Block(ROW, " | ".join(c for c in cells if c), 0, index))
                    index += 1
            elif tag == "blockquote":
                inner = [
                    c for c in child if isinstance(c.tag, str) and c.tag.lower() in _HTML_BLOCKS
                ]
                if inner:
                    walk(child, True)
                elif text_of(child):
                    blocks.append(Block(QUOTE, text_of(child), 0, index))
                    index += 1
            elif tag in _HTML_BLOCKS:
                text = text_of(child)
                if text:
                    if tag.startswith("h") and tag[1:].isdigit():
                        blocks.append(Block(HEADING, text, int(tag[1:]), index))
                    else:
                        blocks.append(Block(QUOTE if in_quote else BODY, text, 0, index))
                    index += 1
            else:
                walk(child, in_quote)

    walk(root, False)
    return blocks


def read(kind: str, data: bytes, source: str) -> list[Block]:
    """The blocks of a ``text``, ``markdown`` or ``html`` draft."""
    if kind == "html":
        return read_html(data, source)
    text = decode_text(data, source)
    if "\x00" in text:
        raise InputError(source, "not a text draft: the file holds binary data")
    return read_markdown(text) if kind == "markdown" else read_plain(text)
