"""Table 2 in Markdown, CSV and XLSX agrees with the engine's counts; the other sheets exist."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from openpyxl import load_workbook

from tests.report.conftest import EXPECTED, Built
from thematica.domain import Level, format_path
from thematica.service import StudyService


def engine_rows(built: Built) -> list[tuple[str, str, str]]:
    with StudyService.open(str(built.study)) as service:
        counts = service.counts(level=Level.TWO)
    return [
        (node.path[-1], f"{node.rolled_up}/{node.total}", node.phrase.rsplit(" (", 1)[0])
        for node in counts.themes
    ]


def markdown_table(text: str, title: str) -> list[list[str]]:
    block = text.split(f"**{title}", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in block.splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append(
            [re.sub(r"\\(.)", r"\1", c.replace("&emsp;", "").replace("**", "")) for c in cells]
        )
    return rows


def test_markdown_table2_matches_the_counts(built: Built) -> None:
    text = (built.out / "report.md").read_text(encoding="utf-8")
    rows = markdown_table(text, "Table 2.")
    assert [tuple(r[:3]) for r in rows] == engine_rows(built)
    assert "&emsp;&emsp;&emsp;&emsp;Winding each other up | 10/10" in text
    assert "![Figure 1](figure1-theme-map.png)" in text


def test_markdown_table1_and_quotes(built: Built) -> None:
    text = (built.out / "report.md").read_text(encoding="utf-8")
    rows = markdown_table(text, "Table 1.")
    assert rows[0] == ["Participants, n", "7", "3", "10"]
    assert re.search(r"^> “.+” — Physio 4$", text, re.MULTILINE)


def test_csv_table2_matches_the_counts(built: Built) -> None:
    with (built.out / "table2.csv").open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    assert [(r["name"], r["n/N"], r["quantifier"]) for r in records] == engine_rows(built)
    by_name = {r["name"]: r for r in records}
    assert {name: int(by_name[name]["n"]) for name in EXPECTED} == EXPECTED
    assert by_name["Part of the job, but out of my depth"]["divergent cases"] == "Physio 4"
    assert by_name["Winding each other up"]["level"] == "sub-theme"


def test_csv_counts_and_quote_bank(built: Built) -> None:
    with StudyService.open(str(built.study)) as service:
        counts = service.counts(level=Level.TWO)
        codings = service.codings(level=Level.TWO)
    with (built.out / "counts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["path"] for r in rows] == [
        format_path(n.path) for n in (*counts.themes, *counts.codes)
    ]
    with (built.out / "quote-bank.csv").open(encoding="utf-8", newline="") as f:
        bank = list(csv.DictReader(f))
    leaf = [
        r for r in bank if r["path"].endswith("Winding each other up") and r["kind"] != "divergent"
    ]
    cycle = [c for c in codings if c.code[0] == "Pain and mood"]
    assert len(leaf) == len({(c.transcript_id, c.start, c.text) for c in cycle})
    exemplars = [r for r in leaf if r["kind"] == "exemplar"]
    assert len(exemplars) == 3 and len({r["participant"] for r in exemplars}) == 3
    divergent = [r for r in bank if r["kind"] == "divergent"]
    assert divergent and {r["participant"] for r in divergent} == {"Physio 4"}


def test_xlsx_has_every_table(built: Built) -> None:
    book = load_workbook(built.out / "report.xlsx", read_only=True)
    assert book.sheetnames == [
        "Table 1",
        "Table 2",
        "Counts",
        "Quote bank",
        "Saturation",
        "COREQ",
        "SRQR",
    ]
    rows = list(book["Table 2"].iter_rows(values_only=True))
    header = list(rows[0])
    table = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [(r["name"], r["n/N"], r["quantifier"]) for r in table] == engine_rows(built)
    assert {r["name"]: r["n"] for r in table if r["name"] in EXPECTED} == EXPECTED  # numbers
    book.close()


def test_xlsx_never_turns_a_quote_into_a_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from thematica.report.tables_writer import Sheet, write_xlsx

    rows = (("=1+1 she said",), ("-1 is not a formula",))
    path = write_xlsx(
        [Sheet(stem="q", name="Quotes", columns=("quote",), rows=rows)], tmp_path / "q.xlsx"
    )
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [
        ("=1+1 she said", "s"),
        ("-1 is not a formula", "s"),
    ]
