"""Tables as downloads: CSV and XLSX written to a file object, pure functions of a :class:`Grid`.

CSV is written for Excel as much as for scripts: UTF-8 with a byte-order mark (without it, Excel
on Windows reads UTF-8 as the local code page and "Siobhán" becomes "SiobhÃ¡n"), commas, CRLF
line ends and quotes where needed (RFC 4180). Python's ``csv`` and pandas read it with
``encoding="utf-8-sig"``.

Participants' words go into these cells, so a cell is never a formula. In CSV a text cell that a
spreadsheet would read as one (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, the OWASP advice against CSV injection. In XLSX every text
cell is stored as text (never as a formula), so its words stay exactly as they are; numbers stay
numbers in both."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
WIDEST = 80  # characters: wider columns wrap their text


@dataclass(frozen=True)
class Grid:
    """One flat table: the sheet's name, the header and the rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def safe_text(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return safe_text(value)


def write_csv(grid: Grid, out: IO[bytes]) -> None:
    """``grid`` as CSV (UTF-8 with a byte-order mark, CRLF, formula-like text neutralised)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_text(c) for c in grid.columns])
    for row in grid.rows:
        writer.writerow([_csv_cell(v) for v in row])
    out.write((BOM + text.getvalue()).encode("utf-8"))


def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip() or "Sheet"
    base = clean[:31]
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def write_xlsx(grids: Sequence[Grid], out: IO[bytes]) -> None:
    """Each grid as a worksheet of one workbook: a bold, frozen header row; text as text."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    taken: set[str] = set()
    for grid in grids:
        ws = book.create_sheet(_sheet_name(grid.name, taken))
        ws.append(list(grid.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for row in grid.rows:
            ws.append(["yes" if v is True else "no" if v is False else v for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl takes "=..." for a formula otherwise
        for i, column in enumerate(grid.columns, start=1):
            longest = max([len(column), *(len(_csv_cell(r[i - 1])) for r in grid.rows)])
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = min(max(8, longest + 2), WIDEST)
            if longest > WIDEST:
                for cell in ws[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    book.save(out)
