"""COREQ (32 items) and SRQR (21 items), filled from the study where it can."""

from __future__ import annotations

from docx import Document

from tests.report.conftest import Built


def coreq(built: Built) -> dict[str, list[str]]:
    doc = Document(str(built.out / "report.docx"))
    table = next(t for t in doc.tables if any("Domain 1" in c.text for c in t.rows[1].cells))
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    return {r[0]: r for r in rows if r[0]}


def test_coreq_has_32_numbered_items_in_order(built: Built) -> None:
    items = coreq(built)
    assert list(items) == [str(n) for n in range(1, 33)]
    assert items["1"][1] == "Interviewer/facilitator"
    assert items["12"][1] == "Sample size"
    assert items["32"][1] == "Clarity of minor themes"


def test_coreq_filled_from_the_study(built: Built) -> None:
    items = coreq(built)
    answer = {n: row[3] for n, row in items.items()}
    assert answer["12"].startswith("10 participants")
    assert "Rachel Ames" in answer["1"] and "Tom Okafor" in answer["1"]
    assert "Helen Marsh" not in answer["1"]  # a reader, not an interviewer
    assert answer["21"].startswith("mean ") and "minutes" in answer["21"]
    assert answer["22"].startswith("Code saturation") and "6+2" in answer["22"]
    assert answer["24"].startswith("2 (")
    assert "30 level-one codes" in answer["25"] and "15 level-two codes" in answer["25"]
    assert "8 sub-themes" in answer["25"]
    assert answer["26"].startswith("Reflexive thematic analysis")
    assert answer["27"].startswith("Thematica")
    assert answer["29"].startswith("Yes")
    assert "Physio 4" in answer["32"]


def test_coreq_items_without_data_say_to_complete(built: Built) -> None:
    answer = {n: row[3] for n, row in coreq(built).items()}
    for number in ("2", "3", "4", "5", "6", "7", "8", "10", "11", "20", "23", "28"):
        assert answer[number] == "to complete", number
    assert answer["13"].startswith("to complete (")


def test_srqr_has_21_items(built: Built) -> None:
    doc = Document(str(built.out / "report.docx"))
    table = next(t for t in doc.tables if t.rows[1].cells[0].text == "S1")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [f"S{n}" for n in range(1, 22)]
    answer = {r[0]: r[3] for r in rows}
    assert answer["S4"].startswith("How do physiotherapists")
    assert "κ" in answer["S15"]
    assert answer["S19"] == "to complete"
