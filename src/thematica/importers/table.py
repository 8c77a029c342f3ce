"""Rows of a table file (CSV, TSV or the first sheet of an XLSX workbook) as text cells.

Shared by every tabular importer (register, manifest, speaker map, codebook, codings) so they
treat encodings, delimiters, Excel cell types and malformed files the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import PurePath

from thematica.errors import InputError
from thematica.importers.encoding import decode_text
from thematica.importers.guard import CSV_ERRORS, office_errors, silenced, translating
from thematica.importers.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, shorten
from thematica.importers.safezip import check_office_zip

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def _rows_from_csv(data: bytes, source: str) -> list[list[str]]:
    text = decode_text(data, source)
    # Only the delimiter is guessed: the sniffer's other guesses (doubled quotes in particular)
    # depend on whether its sample happens to contain an example, and a wrong guess splits rows.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], ",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter, strict=True)
    with translating(source, CSV_ERRORS, "malformed CSV"):
        for row in reader:
            _check_shape(len(rows) + 1, len(row), source, f"line {reader.line_num}")
            rows.append(row)
    return rows


def _check_shape(number: int, width: int, source: str, where: str) -> None:
    if number > MAX_ROWS:
        raise InputError(source, f"the table has more than {MAX_ROWS:,} rows", where)
    if width > MAX_COLUMNS:
        raise InputError(source, f"more than {MAX_COLUMNS:,} columns", where)


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold (whole floats as integers, dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_xlsx(data: bytes, source: str) -> list[list[str]]:
    check_office_zip(data, source, required_part="[Content_Types].xml", kind=".xlsx workbook")
    import openpyxl  # imported here: only Excel imports need it

    with silenced(), translating(source, office_errors(), "not a readable .xlsx workbook"):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows: list[list[str]] = []
        with (
            silenced(),
            translating(source, office_errors(), "the workbook's first sheet is damaged"),
        ):
            if not book.worksheets:
                raise InputError(source, "the workbook has no worksheet")
            sheet = book.worksheets[0]
            # The size a sheet declares is not trusted: rows are read as they are, never padded.
            sheet.reset_dimensions()
            cells = 0
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise InputError(
                        source, f"the sheet has more than {MAX_CELLS:,} cells", f"row {number}"
                    )
                width = len(row)
                while width and row[width - 1] is None:  # formatted but empty cells at the end
                    width -= 1
                _check_shape(number, width, source, f"row {number}")
                rows.append([cell_text(v) for v in row[:width]])
        return rows
    finally:
        book.close()


def read_rows(data: bytes, source: str, *, kind: str = "table") -> list[list[str]]:
    """Non-blank rows of the file, header first. Raises :class:`InputError` for the wrong file
    type, an unreadable file or an empty one."""
    suffix = PurePath(source).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_from_xlsx(data, source)
    elif suffix in (".csv", ".tsv", ".txt"):
        rows = _rows_from_csv(data, source)
    else:
        raise InputError(source, f"unsupported {kind} file type {suffix!r}; use .csv or .xlsx")
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(source, f"the {kind} is empty")
    return rows


def read_records(
    data: bytes, source: str, *, required: set[str], kind: str = "table"
) -> list[tuple[int, dict[str, str]]]:
    """Rows as ``(row number, {lower-case column: stripped text})``; checks required columns and
    rows longer than the header."""
    rows = read_rows(data, source, kind=kind)
    header = [h.strip().lower() for h in rows[0]]
    missing = required - set(header)
    if missing:
        raise InputError(
            source,
            f"missing column(s) {', '.join(sorted(missing))}; "
            f"found {shorten(', '.join(header), 200)}",
            "header",
        )
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise InputError(
                source, f"has {len(row)} values but the header has {len(header)}", f"row {number}"
            )
        out.append(
            (number, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)})
        )
    return out
