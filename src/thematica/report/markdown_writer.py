"""The report as Markdown (GitHub-flavoured tables; figures referenced as PNG files beside it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from thematica import private_files
from thematica.report.model import Block, Figure, Heading, Paragraph, Row, Span, Table

INDENT = "&emsp;"  # an entity, so that table cells keep their indentation
_SPACE = re.compile(r"\s+")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape(text: str) -> str:
    """Markdown's inline specials escaped, so a quote renders as written."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))


def span(s: Span) -> str:
    text = escape(s.text)
    stripped = text.strip()
    if not stripped or not (s.bold or s.italic):
        return text
    mark = "**" if s.bold else "*"
    if s.bold and s.italic:
        mark = "***"
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def paragraph(p: Paragraph) -> str:
    text = "".join(span(s) for s in p.spans)
    if p.style == "quote":
        return f"> {text}"
    if p.style == "note":
        return f"<small>{text}</small>" if text else ""
    if p.style == "draft":
        return f"> **{text}**"
    return text


def cell(row: Row, index: int, text: str) -> str:
    out = escape(text)
    if index == 0 and row.indent:
        out = INDENT * (2 * row.indent) + out
    if row.bold and text:
        out = f"**{out}**"
    return out


def table(t: Table) -> str:
    lines = [f"**{escape(t.title)}**", ""]
    lines.append("| " + " | ".join(escape(c) for c in t.columns) + " |")
    lines.append("|" + "|".join("---" for _ in t.columns) + "|")
    for row in t.rows:
        lines.append("| " + " | ".join(cell(row, i, c) for i, c in enumerate(row.cells)) + " |")
    if t.notes:
        lines.append("")
        lines.extend(f"<small>{escape(n)}</small>  " for n in t.notes)
    return "\n".join(lines)


def figure(f: Figure) -> str:
    return f"![{escape(f.caption.split('.')[0])}]({f.stem}.png)\n\n*{escape(f.caption)}*"


def render(blocks: Sequence[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * (block.level + 1)} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(paragraph(block))
        elif isinstance(block, Table):
            parts.append(table(block))
        else:
            parts.append(figure(block))
    return "\n\n".join(p for p in parts if p) + "\n"


def write(blocks: Sequence[Block], path: Path) -> Path:
    private_files.write_text(path, render(blocks))
    return path
