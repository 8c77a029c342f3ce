"""The report as a Word document: A4, real tables in the "Table Grid" style, headings, the PNG
figures embedded at text width, quotations indented and the findings draft marked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from thematica import private_files
from thematica.report.model import Block, Figure, Heading, Paragraph, Row, Table

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.5)
TEXT_WIDTH = Cm(16.0)
TABLE_FONT = Pt(9)
NOTE_FONT = Pt(8)
INDENT = Cm(0.45)  # per hierarchy level in a table's first column
# relative column widths per table (the rest share the text width equally)
WIDTHS: dict[str, tuple[float, ...]] = {
    "table2": (6.4, 1.4, 4.2, 4.0),
    "coreq": (1.0, 3.6, 5.0, 6.4),
    "srqr": (1.0, 2.6, 4.4, 8.0),
}


def _paragraph(doc: DocxDocument, block: Paragraph) -> None:
    style = "Quote" if block.style == "quote" else None
    p = doc.add_paragraph(style=style)
    for s in block.spans:
        run = p.add_run(s.text)
        run.bold = s.bold or block.style == "draft" or None
        run.italic = s.italic or None
        if block.style == "note":
            run.font.size = NOTE_FONT
        if block.style == "draft":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _cell_text(paragraph: DocxParagraph, text: str, bold: bool, indent: int = 0) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = TABLE_FONT
    paragraph.paragraph_format.space_after = Pt(0)
    if indent:
        paragraph.paragraph_format.left_indent = INDENT * indent


def _widths(table: DocxTable, key: str, columns: int) -> None:
    shares = WIDTHS.get(key)
    if shares is None or len(shares) != columns:
        return
    total = sum(shares)
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        width = int(TEXT_WIDTH * share / total)
        for cell in column.cells:
            cell.width = width


def _row(cells: Sequence[_Cell], row: Row) -> None:
    for i, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
        _cell_text(cell.paragraphs[0], text, row.bold, row.indent if i == 0 else 0)


def _table(doc: DocxDocument, block: Table) -> None:
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(block.title).bold = True
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        _cell_text(cell.paragraphs[0], text, bold=True)
    for docx_row, row in zip(table.rows[1:], block.rows, strict=True):
        _row(docx_row.cells, row)
    _widths(table, block.key, len(block.columns))
    for note in block.notes:
        p = doc.add_paragraph()
        p.add_run(note).font.size = NOTE_FONT


def _figure(doc: DocxDocument, block: Figure, folder: Path) -> None:
    doc.add_picture(str(folder / f"{block.stem}.png"), width=TEXT_WIDTH)
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(block.caption)


def write(blocks: Sequence[Block], path: Path) -> Path:
    """Write the document; the figures' PNG files must be in ``path``'s folder."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 0), "")
    doc.core_properties.title = title
    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=min(block.level, 9))
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        else:
            _figure(doc, block, path.parent)
    with private_files.open_private(path) as fh:
        doc.save(fh)
    return path
