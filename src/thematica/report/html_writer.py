"""The report as one self-contained HTML file: styles inline, the SVG figures inlined, no
scripts, no external fonts, images or links, so opening it makes no network request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import Path

from thematica import private_files
from thematica.report.model import Block, Figure, Heading, Paragraph, Row, Span, Table

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1a1a1a; background: #ffffff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.35rem; margin-top: 2.2rem; }
h3 { font-size: 1.15rem; } h4, h5 { font-size: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 0.3rem; font-size: 0.85rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #8c8c8c; padding: 0.25rem 0.45rem; vertical-align: top;
         text-align: left; }
th { background: #eeeeee; }
tr.bold td { font-weight: bold; }
blockquote { margin: 0.4rem 0 0.4rem 1.5rem; padding-left: 0.8rem;
             border-left: 3px solid #bdbdbd; }
p.note, p.table-note { font-size: 0.8rem; color: #4d4d4d; }
p.draft { border: 2px solid #000000; background: #fff4c2; padding: 0.5rem 0.8rem;
          font-weight: bold; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #333333; margin-top: 0.3rem; }
"""

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_METADATA = re.compile(r"<metadata\b.*?</metadata>", re.DOTALL)
_NAMESPACE = re.compile(r"""\s+xmlns(?::\w+)?=(["'])[^"']*\1""")


def inline_svg(svg: str) -> str:
    """An SVG file's markup for inlining in HTML: no XML prologue, DOCTYPE, comments or
    metadata, and no namespace declarations (an HTML parser supplies the SVG namespace), so
    nothing in it names a web address."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = _METADATA.sub("", svg)
    return _NAMESPACE.sub("", svg).strip()


def span(s: Span) -> str:
    text = escape(s.text)
    if s.bold:
        text = f"<strong>{text}</strong>"
    if s.italic:
        text = f"<em>{text}</em>"
    return text


def paragraph(p: Paragraph) -> str:
    text = "".join(span(s) for s in p.spans)
    if p.style == "quote":
        return f"<blockquote>{text}</blockquote>"
    if p.style in ("note", "draft"):
        return f'<p class="{p.style}">{text}</p>'
    return f"<p>{text}</p>"


def row(r: Row) -> str:
    cells = []
    for i, text in enumerate(r.cells):
        style = (
            f' style="padding-left: {0.45 + 1.2 * r.indent:.2f}rem"' if i == 0 and r.indent else ""
        )
        cells.append(f"<td{style}>{escape(text)}</td>")
    opening = '<tr class="bold">' if r.bold else "<tr>"
    return f"{opening}{''.join(cells)}</tr>"


def table(t: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = "\n".join(row(r) for r in t.rows)
    notes = "".join(f'<p class="table-note">{escape(n)}</p>' for n in t.notes)
    return (
        f'<table id="{escape(t.key)}"><caption>{escape(t.title)}</caption>'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>{notes}"
    )


def figure(f: Figure, folder: Path) -> str:
    svg = inline_svg((folder / f"{f.stem}.svg").read_text(encoding="utf-8"))
    return (
        f'<figure id="{escape(f.stem)}">{svg}<figcaption>{escape(f.caption)}</figcaption></figure>'
    )


def render(blocks: Sequence[Block], folder: Path) -> str:
    """The HTML page; ``folder`` holds the figures' SVG files."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Report")
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(paragraph(block))
        elif isinstance(block, Table):
            parts.append(table(block))
        else:
            parts.append(figure(block, folder))
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write(blocks: Sequence[Block], path: Path) -> Path:
    private_files.write_text(path, render(blocks, path.parent))
    return path
