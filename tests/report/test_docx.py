"""The Word report, read back with python-docx and checked against the analysis engine."""

from __future__ import annotations

import statistics

import pytest
from docx import Document
from docx.table import Table

from tests.report.conftest import EXPECTED, Built
from thematica.domain import Level
from thematica.service import StudyService


def cells(table: Table) -> list[list[str]]:
    return [[c.text.strip() for c in row.cells] for row in table.rows]


def find(built: Built, first_header: str) -> list[list[str]]:
    doc = Document(str(built.out / "report.docx"))
    for table in doc.tables:
        rows = cells(table)
        if rows and rows[0][0] == first_header:
            return rows
    pytest.fail(f"no table starting with {first_header!r}")


def test_the_cli_prints_every_file_written(built: Built) -> None:
    printed = built.output.split()
    names = sorted(p.rsplit("/", 1)[-1] for p in printed)
    assert names == sorted(
        [
            "figure1-theme-map.svg",
            "figure1-theme-map.pdf",
            "figure1-theme-map.png",
            "figure2-saturation.svg",
            "figure2-saturation.png",
            "report.docx",
            "report.md",
            "report.html",
            "report.xlsx",
            "table1.csv",
            "table2.csv",
            "counts.csv",
            "quote-bank.csv",
            "saturation.csv",
        ]
    )
    assert all((built.out / name).stat().st_size > 0 for name in names)


def test_table2_cells_match_the_engine_and_the_answer_key(built: Built) -> None:
    with StudyService.open(str(built.study)) as service:
        counts = service.counts(level=Level.TWO)
    rows = find(built, "Theme")
    assert rows[0] == ["Theme", "n/N", "Participants", "Divergent cases"]
    by_name = {r[0]: r for r in rows[1:]}
    assert len(rows) - 1 == len(counts.themes)
    for node in counts.themes:
        row = by_name[node.path[-1]]
        assert row[1] == f"{node.rolled_up}/{node.total}"
        assert row[2] == node.phrase.rsplit(" (", 1)[0]
    for name, n in EXPECTED.items():
        assert by_name[name][1] == f"{n}/10"
    assert by_name["Part of the job, but out of my depth"][2] == "all but one participant"
    assert by_name["Part of the job, but out of my depth"][3] == "1 (Physio 4)"
    assert by_name["Winding each other up"][3] == "–"


def test_table2_indents_each_level(built: Built) -> None:
    doc = Document(str(built.out / "report.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Theme")
    indent = {
        row.cells[0].text: row.cells[0].paragraphs[0].paragraph_format.left_indent or 0
        for row in table.rows[1:]
    }
    assert indent["Two problems, one person"] == 0
    assert 0 < indent["Round and round"] < indent["Winding each other up"]


def test_table1_group_sizes_and_an_attribute_mean_and_sd(built: Built) -> None:
    with StudyService.open(str(built.study)) as service:
        people = service.participants()
    rows = find(built, "Characteristic")
    groups = list(dict.fromkeys(p.group for p in people))
    assert rows[0][1:] == [
        *(f"{g} (n = {sum(p.group == g for p in people)})" for g in groups),
        f"Overall (n = {len(people)})",
    ]
    assert rows[1] == [
        "Participants, n",
        *(str(sum(p.group == g for p in people)) for g in groups),
        str(len(people)),
    ]
    age = next(r for r in rows if r[0] == "age, mean (SD)")
    for column, members in enumerate(
        [*([p for p in people if p.group == g] for g in groups), people]
    ):
        values = [p.attributes["age"] for p in members]
        assert isinstance(values[0], int)
        expected = f"{statistics.mean(values):.1f} ({statistics.stdev(values):.1f})"
        assert age[column + 1] == expected
    years = [p.attributes["years_qualified"] for p in people]
    assert next(r for r in rows if r[0] == "years qualified, mean (SD)")[-1] == (
        f"{statistics.mean(years):.1f} ({statistics.stdev(years):.1f})"
    )


def test_table1_counts_categories_and_missing_values(built: Built) -> None:
    rows = find(built, "Characteristic")
    labels = [r[0] for r in rows]
    at = labels.index("mh training, n (%)")
    assert rows[at + 1] == ["yes", "2 (29%)", "1 (33%)", "3 (30%)"]
    assert rows[at + 2] == ["no", "5 (71%)", "2 (67%)", "7 (70%)"]
    band = labels.index("nhs band, mean (SD)")
    assert rows[band + 2] == ["missing, n", "1", "0", "1"]  # Physio 4 works privately


def test_figures_and_headings_are_in_the_document(built: Built) -> None:
    doc = Document(str(built.out / "report.docx"))
    assert len(doc.inline_shapes) == 2
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    for expected in ("Participants", "Themes", "Saturation", "Reporting checklists"):
        assert expected in headings
    assert "Findings (draft for the authors to rewrite)" in headings
    assert any("DRAFT" in p.text for p in doc.paragraphs)
    assert all(t.style is not None and t.style.name == "Table Grid" for t in doc.tables)
    section = doc.sections[0]
    assert section.page_width is not None and round(section.page_width.cm, 1) == 21.0


def test_document_properties_name_thematica_not_the_library(built: Built) -> None:
    props = Document(str(built.out / "report.docx")).core_properties
    assert props.author == props.last_modified_by == "Thematica"
    assert props.title and "python-docx" not in (props.comments or "")
    assert props.created is not None and props.created.year >= 2026
