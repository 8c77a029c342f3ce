"""Table 1, Table 2, the counts, the quote bank and the saturation table as CSV files, and all
of them (with the COREQ and SRQR checklists) as sheets of one XLSX workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from thematica import private_files
from thematica.report.model import Row, Table

SUFFIXES = (", mean (SD)", ", n (%)", ", range")


@dataclass(frozen=True)
class Sheet:
    """A flat table: the CSV file stem, the sheet name, the header and the rows."""

    stem: str
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def flatten(table: Table) -> Sheet:
    """A display table as flat rows: an indented row's first cell is prefixed with the row it
    belongs to ("gender: Female", "age: range"), so each row stands on its own."""
    rows = []
    parents: list[tuple[int, str]] = []
    for row in table.rows:
        parents = [(i, label) for i, label in parents if i < row.indent]
        first = row.cells[0]
        if parents:
            first = f"{parents[-1][1]}: {first}"
        rows.append((first, *row.cells[1:]))
        parents.append((row.indent, _stem(row)))
    return Sheet(table.key, table.sheet or table.key, table.columns, tuple(rows))


def _stem(row: Row) -> str:
    label = row.cells[0]
    for suffix in SUFFIXES:
        label = label.removesuffix(suffix)
    return label


def records(stem: str, name: str, items: Sequence[dict[str, str]], empty: Sequence[str]) -> Sheet:
    """Records (dicts with the same keys) as a sheet; ``empty`` names the columns if none."""
    columns = tuple(items[0]) if items else tuple(empty)
    return Sheet(stem, name, columns, tuple(tuple(r[c] for c in columns) for r in items))


def csv_text(sheet: Sheet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(sheet.columns)
    writer.writerows(sheet.rows)
    return buffer.getvalue()


def write_csv(sheets: Sequence[Sheet], folder: Path) -> list[Path]:
    paths = []
    for sheet in sheets:
        path = folder / f"{sheet.stem}.csv"
        private_files.write_text(path, csv_text(sheet))
        paths.append(path)
    return paths


def _number(text: str) -> str | int:
    """Whole numbers as numbers, so that a spreadsheet can sum them; anything else as text."""
    return int(text) if text.isdigit() and (text == "0" or not text.startswith("0")) else text


def write_xlsx(sheets: Sequence[Sheet], path: Path) -> Path:
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append(list(sheet.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([_number(v) for v in row])
            for cell in ws[ws.max_row]:
                # a quote that starts like a formula ("=1+1 ...") is text, never a formula
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    cell.data_type = "s"
        for i, column in enumerate(sheet.columns, start=1):
            longest = max([len(column), *(len(r[i - 1]) for r in sheet.rows)])
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = min(max(8, longest + 2), 80)
            if longest > 80:
                for cell in ws[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    with private_files.open_private(path) as fh:
        book.save(fh)
    return path
