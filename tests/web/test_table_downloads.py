"""The codebook, the agreement table and the attribute matrix as CSV and XLSX downloads (issue
14, item 4): each file parses, its cells are the figures of the page's JSON twin, and it holds
what that member's page shows and nothing more."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from thematica.domain import Level
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"


def rows_of(response: Any, fmt: str) -> list[list[Any]]:
    """The downloaded table's rows, header first; CSV numbers read back as numbers."""
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(rf'attachment; filename="[a-z0-9-]+\.{fmt}"', disposition)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    text = response.content.decode("utf-8-sig")
    return [[number(v) for v in row] for row in csv.reader(io.StringIO(text))]


def number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def close(a: Any, b: Any) -> bool:
    if isinstance(b, float) and isinstance(a, int | float):
        return abs(a - b) < 1e-12
    return a == ("" if b is None else b)


def sign_in(client: TestClient, name: str) -> None:
    assert client.post("/identity", data={"name": name}, follow_redirects=False).status_code == 303


def test_codebook_downloads_are_the_twins_codes(client: TestClient) -> None:
    sign_in(client, CODER)
    twin = client.get("/api/codebook").json()
    assert twin["downloads"] == {
        "csv": "/codebook.csv",
        "xlsx": "/codebook.xlsx",
        "qdc": "/codebook.qdc",  # tests/web/test_refi_downloads.py
    }
    page = client.get("/codebook").text
    want = [
        [c["level"], c["path"], c["name"], c["parent"] or "", c["depth"], c["codings"]]
        for level in twin["levels"]
        for c in level["codes"]
    ]
    assert len(want) > 20
    for fmt in ("csv", "xlsx"):
        assert f'href="/codebook.{fmt}"' in page
        rows = rows_of(client.get(f"/codebook.{fmt}"), fmt)
        assert rows[0][:6] == ["Level", "Code", "Name", "Parent", "Depth", "Codings"]
        assert [r[:6] for r in rows[1:]] == want, fmt


def test_agreement_downloads_are_the_twins_figures(client: TestClient) -> None:
    sign_in(client, CODER)
    query = "a=Tom+Okafor&b=Rachel+Ames&level=1&scope=either&convention=applied"
    twin = client.get(f"/api/analysis/agreement?{query}").json()
    page = client.get(f"/analysis/agreement?{query}").text.replace("&amp;", "&")
    pooled = twin["pooled_characters"]
    for fmt in ("csv", "xlsx"):
        assert f'href="/analysis/agreement.{fmt}?a=Tom+Okafor&b=Rachel+Ames&level=1' in page
        rows = rows_of(client.get(f"/analysis/agreement.{fmt}?{query}"), fmt)
        assert len(rows) == 2 + len(twin["codes"])
        first = rows[1]
        assert first[0] == "(all codes together)" and first[1] == len(twin["transcripts"])
        assert close(first[2], pooled["pooled_kappa"]) and close(first[3], pooled["pooled_percent"])
        people = twin["pooled_participants"]["coefficients"]
        assert close(first[7], people["cohen_kappa"])
        for row, code in zip(rows[2:], twin["codes"], strict=True):
            assert row[0] == " > ".join(code["code"])
            assert row[1] == len(code["characters"])
            assert close(row[2], code["characters_overall"]["pooled_kappa"])
            assert close(row[10], code["turns"]["coefficients"]["gwet_ac1"])


def test_matrix_downloads_are_the_twins_cells(client: TestClient) -> None:
    sign_in(client, CODER)
    for query in ("by=group&level=2&rows=auto", "by=group&level=2&rows=codes"):
        twin = client.get(f"/api/analysis/matrix?{query}").json()
        page = client.get(f"/analysis/matrix?{query}").text.replace("&amp;", "&")
        for fmt in ("csv", "xlsx"):
            assert f'href="/analysis/matrix.{fmt}?{query}"' in page
            rows = rows_of(client.get(f"/analysis/matrix.{fmt}?{query}"), fmt)
            values = [v for v, _n in twin["values"]]
            assert rows[0][3:] == [
                f"{v}: {x}" for v in values for x in ("n", "N", "quantifier", "codings")
            ]
            assert len(rows) == 1 + len(twin["rows"]) > 3
            for row, want in zip(rows[1:], twin["rows"], strict=True):
                assert row[:2] == [want["kind"], " > ".join(want["path"])]
                cells = [
                    x
                    for c in want["cells"]
                    for x in (c["participants"], c["total"], c["phrase"], c["codings"])
                ]
                assert row[3:] == cells


def test_a_blind_coder_downloads_only_what_their_pages_show(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by=LEAD)
    sign_in(client, CODER)
    twin = client.get("/api/codebook").json()
    mine = [[c["path"], c["codings"]] for level in twin["levels"] for c in level["codes"]]
    rows = rows_of(client.get("/codebook.csv"), "csv")
    assert [[r[1], r[5]] for r in rows[1:]] == mine  # counted over their own codings only
    with StudyService.open(str(demo)) as s:
        own = Counter(" > ".join(c.code) for c in s.codings(coder=CODER, level=Level.ONE))
        every = Counter(" > ".join(c.code) for c in s.codings(level=Level.ONE))
    level_one = {r[1]: r[5] for r in rows[1:] if r[0] == 1}
    assert level_one == {path: own[path] for path in level_one}  # Rachel's are not counted
    assert level_one != {path: every[path] for path in level_one}
    sign_in(client, CODER)
    for fmt in ("csv", "xlsx"):
        refused = client.get(f"/analysis/agreement.{fmt}")
        assert refused.status_code == 403 and "codes blind" in html.unescape(refused.text)
        assert client.get(f"/analysis/matrix.{fmt}?level=1").status_code == 403
    assert rows_of(client.get("/analysis/matrix.csv?level=2"), "csv")[1:]


def test_bad_parameters_get_one_clear_message(client: TestClient) -> None:
    sign_in(client, CODER)
    response = client.get("/analysis/matrix.csv?level=7")
    assert response.status_code == 422 and "level must be 1" in html.unescape(response.text)
    response = client.get("/analysis/agreement.xlsx?a=Nobody&b=Tom+Okafor")
    assert response.status_code in (404, 422) and "Nobody" in html.unescape(response.text)
