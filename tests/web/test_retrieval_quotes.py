"""Issue 14 item 4, quotes: each quote in its turn with the quoted words marked and the turns
around it, grouping by participant or participant attribute, and the downloads (DOCX, CSV, XLSX)
of the same view, read back with python-docx and openpyxl; a member who sees anonymised text only
downloads no words of a transcript not yet anonymised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import sign_in_client
from thematica.domain import Coding, Level
from thematica.service import StudyService
from thematica.service.coding_edits import CodingChange
from thematica.web.app import create_app

CODER, READER = "Tom Okafor", "Helen Marsh"


def busiest_code(study: Path, level: Level = Level.TWO) -> tuple[int, tuple[Coding, ...]]:
    """The code with the most codings of its own at ``level``, and those codings."""
    with StudyService.open(str(study)) as s:
        codes = s.codes(level)
        best = max(codes, key=lambda c: (len(s.codings(code=c.path, level=level)), -c.id))
        return best.id, s.codings(code=best.path, level=level)


@pytest.fixture
def coder(client: TestClient) -> TestClient:
    sign_in_client(client, CODER)
    return client


def test_each_quote_shows_its_turn_with_the_words_marked_and_the_turns_around_it(
    coder: TestClient, demo: Path
) -> None:
    code_id, codings = busiest_code(demo)
    data = coder.get(f"/api/codes/{code_id}/quotes").json()
    assert len(data["quotes"]) == len(codings) > 3
    with StudyService.open(str(demo)) as s:
        texts = {c.id: s.transcript(str(c.transcript_id)) for c in codings}
    for q in data["quotes"]:
        t = texts[q["coding"]]
        ctx = q["context"]
        marked = "".join(p["text"] for turn in ctx["turns"] for p in turn["pieces"] if p["marks"])
        assert marked == t.text[q["start"] : q["end"]] == q["text"]
        whole = "".join(p["text"] for turn in ctx["turns"] for p in turn["pieces"])
        positions = [turn["position"] for turn in ctx["turns"]]
        focus = [x for x in t.turns if x.position in positions]
        assert whole == "".join(x.text for x in focus)
        assert focus[0].start <= q["start"] and q["end"] <= focus[-1].end
        # the neighbours are the turns just before and after, named by role or label only
        before = [x for x in t.turns if x.position == positions[0] - 1]
        after = [x for x in t.turns if x.position == positions[-1] + 1]
        assert [b["text"] for b in ctx["before"]] == [x.text for x in before]
        assert [a["text"] for a in ctx["after"]] == [x.text for x in after]
        labels = {turn["label"] for turn in ctx["turns"] + ctx["before"] + ctx["after"]}
        assert labels <= {"Interviewer", "Other speaker", q["participant"]}
    page = coder.get(f"/codes/{code_id}/quotes").text
    assert page.count('<mark class="quoted">') >= len(codings)
    assert page.count('<details class="ctx-before">') >= 1


@pytest.mark.parametrize("grouping", ["participant", "group", "age"])
def test_quotes_group_by_participant_group_or_attribute(
    coder: TestClient, demo: Path, grouping: str
) -> None:
    code_id, codings = busiest_code(demo)
    data = coder.get(f"/api/codes/{code_id}/quotes", params={"group_by": grouping}).json()
    with StudyService.open(str(demo)) as s:
        people = {p.label: p for p in s.participants()}

    def value(label: str) -> str:
        p = people[label]
        return {"participant": label, "group": p.group}.get(
            grouping
        ) or f"age: {p.attributes['age']}"

    expected: dict[str, set[int]] = {}
    for c in codings:
        assert c.participant is not None
        expected.setdefault(value(c.participant), set()).add(c.id)
    got = {g["heading"]: {q["coding"] for q in g["quotes"]} for g in data["groups"]}
    assert got == expected
    assert len(got) > 1
    page = coder.get(f"/codes/{code_id}/quotes", params={"group_by": grouping}).text
    for heading in expected:
        assert f'<h2 class="quote-group">{heading} ' in page


def test_a_grouping_that_is_not_offered_is_refused(coder: TestClient) -> None:
    response = coder.get("/codes/1/quotes", params={"group_by": "shoe size"})
    assert response.status_code == 422
    assert "grouped by one of participant, group" in response.text


def test_the_csv_download_holds_the_pages_quotes_for_excel(coder: TestClient, demo: Path) -> None:
    code_id, codings = busiest_code(demo)
    response = coder.get(f"/codes/{code_id}/quotes.csv", params={"group_by": "participant"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="quotes-') and '.csv"' in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it right
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(codings)
    by_id = {(c.transcript_id, c.start, c.end): c for c in codings}
    for row in rows:
        c = by_id[(int(row["transcript"]), int(row["start"]), int(row["end"]))]
        assert row["participant"] == c.participant
        assert row["quote"] == c.text
        assert row["coder"] == c.coder
        assert c.text in row["turn"]
    order = [r["participant"] for r in rows]  # grouped by participant: each one's rows together
    assert len(set(order)) == len([p for i, p in enumerate(order) if order[i - 1] != p or i == 0])


def test_the_xlsx_download_holds_the_quotes_as_text(coder: TestClient, demo: Path) -> None:
    code_id, codings = busiest_code(demo)
    response = coder.get(f"/codes/{code_id}/quotes.xlsx")
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert '.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    assert head[:6] == ["participant", "group", "code", "level", "coder", "quote"]
    got = sorted((r[0], r[5]) for r in rows[1:])
    assert got == sorted((c.participant, c.text) for c in codings)


def test_a_theme_downloads_as_docx_with_its_quotes_and_labels(
    coder: TestClient, demo: Path
) -> None:
    with StudyService.open(str(demo)) as s:
        nodes, _ = s.themes()
        node = nodes[0]
        found = s.theme_quotes(node.id)
    response = coder.get(f"/themes/{node.id}/quotes.docx", params={"group_by": "group"})
    assert response.headers["content-type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == f"Quotes: {' > '.join(node.path)}"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert {h.rsplit(" (", 1)[0] for h in headings} == {"Physiotherapist", "Occupational therapist"}
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert sorted(quotes) == sorted(f"“{q.coding.text.strip()}”" for q in found)
    labels = [p.text for p in doc.paragraphs if p.text.startswith("— ")]
    assert len(labels) == len(found)
    assert all(
        label.split(" (")[0].removeprefix("— ").split(",")[0]
        in {q.coding.participant for q in found}
        for label in labels
    )


def test_a_formula_in_a_memo_is_text_in_every_download(demo: Path) -> None:
    code_id, codings = busiest_code(demo)
    formula = '=HYPERLINK("http://evil.example","click")'
    with StudyService.open(str(demo)) as s:
        s.change_coding(codings[0].id, CodingChange(memo=formula), by=codings[0].coder)
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as client:
        sign_in_client(client, CODER)
        raw = client.get(f"/codes/{code_id}/quotes.csv").content.decode("utf-8-sig")
        memos = [r["memo"] for r in csv.DictReader(io.StringIO(raw)) if "HYPERLINK" in r["memo"]]
        assert memos == ["'" + formula]
        book = load_workbook(io.BytesIO(client.get(f"/codes/{code_id}/quotes.xlsx").content))
        cells = [c for row in book.active.iter_rows() for c in row if c.value == formula]  # type: ignore[union-attr]
        assert len(cells) == 1 and cells[0].data_type == "s"


def test_a_reader_who_sees_anonymised_text_only_downloads_no_words_of_originals(
    client: TestClient, demo: Path
) -> None:
    """In the demo nothing is anonymised yet: the reader's downloads hold labels and codes, but
    not one word of a quote, a memo or a turn."""
    code_id, codings = busiest_code(demo)
    sign_in_client(client, READER)
    raw = client.get(f"/codes/{code_id}/quotes.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) == len(codings)
    assert {r["quote"] for r in rows} == {""} and {r["turn"] for r in rows} == {""}
    doc = Document(io.BytesIO(client.get(f"/codes/{code_id}/quotes.docx").content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "words withheld" in body
    for c in codings:
        assert c.text.strip()[:40] not in body
        assert c.text.strip()[:40] not in raw
