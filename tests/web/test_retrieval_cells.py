"""Issue 14 item 4: matrix, counts and co-occurrence cells open the quotes behind them, and the
quotes shown are exactly as many as the cell says (participants and codings, or turns)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in_client

CELL = re.compile(
    r'<a class="cell-link" href="([^"]+)"><span class="nN">(\d+)/(\d+)</span> '
    r'<span class="phrase">[^<]*</span> <span class="codings">(\d+) codings?</span>'
)
COUNT = re.compile(r'<a href="(/analysis/quotes\?[^"]+)">(?:<span class="nN">)?(\d+)/(\d+)')
PAIR = re.compile(r'<a href="(/analysis/cooccurrence/quotes\?[^"]+)" aria-label="(\d+) turns? with')


@pytest.fixture
def lead(client: TestClient) -> TestClient:
    sign_in_client(client, "Rachel Ames")
    return client


@pytest.mark.parametrize(
    "query",
    ["by=group", "by=group&rows=codes", "by=age&level=1", "by=mh_training&rows=codes&level=1"],
)
def test_every_matrix_cell_opens_as_many_quotes_as_it_counts(lead: TestClient, query: str) -> None:
    page = lead.get(f"/analysis/matrix?{query}").text
    links = CELL.findall(page)
    twin = lead.get(f"/api/analysis/matrix?{query}").json()
    non_empty = sum(1 for row in twin["rows"] for c in row["cells"] if c["codings"])
    assert len(links) == non_empty > 0
    for href, participants, _total, codings in links:
        data = lead.get("/api" + html.unescape(href)).json()
        assert data["figures"] == {"participants": int(participants), "codings": int(codings)}
        assert len(data["quotes"]) == int(codings)
        assert len({q["participant"] for q in data["quotes"]}) == int(participants)
        by = data["by"]  # grouped by the matrix's attribute, the quotes are one group: the cell's
        grouped = lead.get("/api" + html.unescape(href) + f"&group_by={by}").json()
        assert [g["heading"].rsplit(": ", 1)[-1] for g in grouped["groups"]] == [data["value"]]


@pytest.mark.parametrize("query", ["by=group", "level=1"])
def test_every_counts_cell_opens_the_participants_it_counts(lead: TestClient, query: str) -> None:
    page = lead.get(f"/analysis/counts?{query}").text
    links = COUNT.findall(page)
    assert len(links) > 10
    for href, n, _total in links:
        data = lead.get("/api" + html.unescape(href)).json()
        assert data["figures"]["participants"] == int(n)
        assert len({q["participant"] for q in data["quotes"]}) == int(n)


def test_every_cooccurrence_cell_opens_the_turns_it_counts(lead: TestClient) -> None:
    page = lead.get("/analysis/cooccurrence").text
    links = PAIR.findall(page)
    twin = lead.get("/api/analysis/cooccurrence").json()
    assert len(links) == 2 * len(twin["pairs"]) + min(15, len(twin["pairs"]))
    for href, turns in set(links):
        data = lead.get("/api" + html.unescape(href)).json()
        assert data["turns_both"] == len(data["turns"]) == int(turns)
        for t in data["turns"]:
            marks = {
                m for turn in t["context"]["turns"] for p in turn["pieces"] for m in p["marks"]
            }
            assert marks == {"code-a", "code-b"}
    shown = lead.get(html.unescape(links[0][0])).text
    assert shown.count('<li class="quote shared-turn">') == int(links[0][1])


def test_a_cells_quotes_download_with_the_same_count(lead: TestClient) -> None:
    href, _p, _t, codings = CELL.findall(lead.get("/analysis/matrix?by=group").text)[0]
    csv = lead.get(html.unescape(href).replace("/analysis/quotes?", "/analysis/quotes.csv?"))
    assert csv.status_code == 200 and 'filename="quotes-' in csv.headers["content-disposition"]
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) >= int(codings) + 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("theme=1&code=2", "one theme (theme=ID) or one code"),
        ("code=x", "code is the number of a code"),
        ("theme=1&by=group", "give the attribute's value"),
        ("theme=999999", "no theme node 999999"),
        ("code=1&level=3", "level must be 1"),
    ],
)
def test_a_bad_cell_is_refused_with_a_reason(lead: TestClient, query: str, message: str) -> None:
    response = lead.get(f"/analysis/quotes?{query}")
    assert response.status_code in (404, 422) and message in html.unescape(response.text)
    assert message in lead.get(f"/api/analysis/quotes?{query}").json()["error"]


def test_a_blind_coder_cannot_open_level_one_cells(demo_blind: TestClient) -> None:
    response = demo_blind.get("/api/analysis/quotes?code=1&level=1")
    assert response.status_code == 403


@pytest.fixture
def demo_blind(client: TestClient, demo: object) -> TestClient:
    from thematica.service import StudyService

    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")  # Tom is a coder, not a lead
    sign_in_client(client, "Tom Okafor")
    return client
