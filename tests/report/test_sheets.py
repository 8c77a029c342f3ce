"""Downloads as tables (report/sheets.py): CSV for Excel (UTF-8 with BOM, CRLF) in which no cell
is ever a formula, and XLSX in which text stays text and numbers stay numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from thematica.report.sheets import Grid, safe_text, write_csv, write_xlsx

DANGEROUS = ["=1+1", "+44 7700 900412", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"]
GRID = Grid(
    "Quotes: a/b [c]",
    ("quote", "n", "kappa"),
    tuple((text, i, -0.25) for i, text in enumerate([*DANGEROUS, "Siobhán said “no”", None])),
)


def test_csv_cells_that_look_like_formulas_get_an_apostrophe_and_numbers_stay_numbers() -> None:
    out = io.BytesIO()
    write_csv(GRID, out)
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["quote", "n", "kappa"]
    assert [r[0] for r in rows[1:]] == [*("'" + d for d in DANGEROUS), "Siobhán said “no”", ""]
    assert {r[2] for r in rows[1:]} == {"-0.25"}  # a number, not text: never quoted
    assert safe_text("a = b") == "a = b"


def test_xlsx_keeps_words_exactly_as_text_never_as_formulas() -> None:
    out = io.BytesIO()
    write_xlsx([GRID, GRID], out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Quotes  a b  c", "Quotes  a b  c (2)"]
    sheet = book.worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells[: len(DANGEROUS)]] == DANGEROUS
    assert {c.data_type for c in cells[: len(DANGEROUS)]} == {"s"}
    assert next(row[2].value for row in sheet.iter_rows(min_row=2)) == -0.25
