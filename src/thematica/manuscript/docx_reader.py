"""A Word (.docx) draft: its body paragraphs with their style (headings, block quotes).

Hostile files are refused before python-docx parses anything: the archive is checked (damaged,
truncated, a decompression bomb, no ``word/document.xml``: ``importers/safezip.py``) and every
relationship part is read with a locked-down parser; a relationship to something outside the
file (an attached template, a linked image or object: Word fetches those when the file is
opened) is refused. Hyperlinks are the one outside target allowed: they are text, nothing
loads them. Each table row is read as one block ("cell | cell"), so Table 2's n/N per theme is
checked too; text boxes, footnotes and comments are not read.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from thematica.errors import InputError
from thematica.importers.guard import (
    XML_ERRORS,
    ZIP_ERRORS,
    guarded,
    office_errors,
    silenced,
    translating,
)
from thematica.importers.safezip import check_office_zip
from thematica.manuscript.draft import BODY, HEADING, QUOTE, ROW, Block

_MAX_RELS_BYTES = 2 * 1024 * 1024
_RELS_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_HEADING_STYLE = re.compile(r"^heading\s*(\d)?$", re.IGNORECASE)
_QUOTE_STYLES = ("quote", "intense quote", "block text", "block quote", "blockquote")


def check_relationships(data: bytes, source: str) -> None:
    """Refuse a document whose relationships point outside it (other than hyperlinks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".rels"):
                continue
            if info.file_size > _MAX_RELS_BYTES:
                raise InputError(source, f"refused: {info.filename} is too large to be read")
            with translating(source, ZIP_ERRORS, "not a readable .docx: the file is damaged"):
                xml = archive.read(info)
            if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                raise InputError(
                    source, f"refused: {info.filename} declares a DTD or entities (not a Word file)"
                )
            with translating(
                source, XML_ERRORS, f"not a readable .docx: {info.filename} is damaged"
            ):
                root = etree.fromstring(xml, _RELS_PARSER)
            for rel in root:
                if str(rel.get("TargetMode", "")).lower() != "external":
                    continue
                kind = str(rel.get("Type", "")).rstrip("/").rpartition("/")[2] or "unknown"
                if kind != "hyperlink":
                    raise InputError(
                        source,
                        f"refused: the document has an external relationship ({kind} in "
                        f"{info.filename}): Word would fetch it from outside the file; save a "
                        "copy without linked templates, images or objects",
                    )


def _rows(table: object) -> list[str]:
    """A table's rows as "cell | cell | cell" (nested tables are not read)."""
    out = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
        if unique:
            out.append(" | ".join(unique))
    return out


def _kind(style_name: str) -> tuple[str, int]:
    name = " ".join(style_name.split()).lower()
    heading = _HEADING_STYLE.match(name)
    if heading is not None:
        return HEADING, int(heading.group(1) or 1)
    if name in ("title", "subtitle"):
        return HEADING, 1
    if name in _QUOTE_STYLES:
        return QUOTE, 0
    return BODY, 0


@guarded
def read_docx(data: bytes, source: str) -> list[Block]:
    """The body paragraphs of a .docx draft, each with its kind (``draft.Block``)."""
    check_office_zip(data, source, required_part="word/document.xml", kind=".docx")
    check_relationships(data, source)
    import docx  # python-docx: loaded only when a .docx is read
    from docx.table import Table

    blocks: list[Block] = []
    with (
        silenced(),
        translating(source, office_errors(), "not a readable .docx: the document is damaged"),
    ):
        document = docx.Document(io.BytesIO(data))
        index = 0
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(Block(ROW, row, 0, -1) for row in _rows(item))
                continue
            text = item.text
            if text.strip():
                style = item.style
                kind, level = _kind(style.name if style is not None and style.name else "")
                blocks.append(Block(kind, text, level, index))
            index += 1
    return blocks
