"""The analysis pages through HTTP on the demo study: each JSON twin carries the service's own
numbers, the pages show them as the CLI rounds them, bad parameters are a clear 4xx that
changes nothing, and the saturation chart is drawn right."""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from thematica.domain import Level, format_path
from thematica.service import StudyService
from thematica.web.app import create_app

A, B = "Rachel Ames", "Tom Okafor"


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """Signed in as the lead (the shared ``client`` fixture is signed out)."""
    client.post("/identity", data={"name": A})
    return client


def plain(report: Any) -> Any:
    """A result (or a tuple of them) as its JSON twin gives it (tuples become lists)."""
    if isinstance(report, tuple):
        return [plain(item) for item in report]
    return json.loads(json.dumps(asdict(report)))


def service(demo: Path) -> StudyService:
    return StudyService.open(str(demo))


def test_index_links_every_analysis_with_headline_figures(client: TestClient, demo: Path) -> None:
    page = client.get("/analysis").text
    for href in ("agreement", "matrix", "saturation", "cooccurrence"):
        assert f'href="/analysis/{href}"' in page
    twin = client.get("/api/analysis").json()
    with service(demo) as s:
        guest = s.saturation().guest.notation
        kappa = s.agreement(A, B).pooled_characters.pooled_kappa
    assert twin["summary"]["saturation"]["guest"] == guest
    assert twin["summary"]["agreement"]["pooled_kappa"] == kappa
    assert f"{kappa:.4f}" in page and guest in page


def test_agreement_twin_carries_the_service_figures(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/agreement").json()  # default: the first two coders
    with service(demo) as s:
        report = s.agreement(A, B, level=Level.ONE)
    # the twin is the CLI's JSON (one serialiser): the report as it is, plus its scope
    assert (twin["coder_a"], twin["coder_b"], twin["level"], twin["scope"]) == (A, B, 1, "either")
    assert twin["transcripts"] == list(report.transcripts) and twin["turns"] == report.turns
    assert twin["pooled_characters"] == plain(report.pooled_characters)
    assert twin["pooled_participants"] == plain(report.pooled_participants)
    assert twin["pooled_turns"] == plain(report.pooled_turns)
    assert [c["code"] for c in twin["codes"]] == [list(c.code) for c in report.codes]
    for row, code in zip(twin["codes"], report.codes, strict=True):
        assert row["characters_overall"] == plain(code.characters_overall)
        assert row["turns"] == plain(code.turns)
    assert twin["disagreements"] == plain(report.disagreements)  # the lead reads every text
    listed = {d.transcript_id for d in report.disagreements}
    page = client.get("/analysis/agreement").text
    assert f"{report.pooled_characters.pooled_kappa:.4f}" in page
    assert f"{report.pooled_turns.coefficients.percent_agreement:.1f} %" in page
    for tid in listed:
        assert f'href="/reconcile/{tid}"' in page


def test_agreement_for_one_code_transcript_by_transcript(client: TestClient, demo: Path) -> None:
    with service(demo) as s:
        report = s.agreement(A, B)
    code = report.codes[3]
    name = format_path(code.code)
    # the twin, as the CLI's --code: that code (and its sub-codes) only
    twin = client.get("/api/analysis/agreement", params={"code": name}).json()
    assert [c["code"] for c in twin["codes"]] == [list(code.code)]
    rows = twin["codes"][0]["characters"]
    assert rows == plain(code.characters)
    assert twin["disagreements"] == plain(
        tuple(d for d in report.disagreements if d.code == code.code)
    )
    page = client.get("/analysis/agreement", params={"code": name}).text
    assert f"{html.escape(name)}: transcript by transcript" in page
    assert page.count('<tr><th scope="row">') >= len(rows)
    for source in code.characters:
        count = sum(
            1
            for d in report.disagreements
            if d.code == code.code and d.transcript_id == source.transcript_id
        )
        assert f"{source.result.both:,}</td>" in page
        if count:
            assert (
                f'<td class="num">{count}</td><td><a href="/reconcile/{source.transcript_id}">'
                in page
            )


def test_undefined_coefficients_show_as_undefined(client: TestClient, demo: Path) -> None:
    """One transcript coded by both, one code both found in it: participant-level kappa is
    0/0, so the page says "undefined" and the twin gives null, never 0."""
    with service(demo) as s:
        from thematica.domain import MemberRole

        s.add_team_member("Cara Lee", MemberRole.CODER)
        first = s.codings(coder=A, transcript="1", level=Level.ONE)[0]
        s.add_coding("1", first.code, "Cara Lee", first.start, first.end)
    params = {"a": A, "b": "Cara Lee", "scope": "both"}
    twin = client.get("/api/analysis/agreement", params=params).json()
    row = next(c for c in twin["codes"] if c["code"] == list(first.code))
    assert row["participants"]["units"] == 1
    assert row["participants"]["coefficients"]["cohen_kappa"] is None
    page = client.get("/analysis/agreement", params=params).text
    assert '<span class="undefined" title="no variation' in page


def test_transcript_agreement_api(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/agreement/transcript/1").json()
    with service(demo) as s:
        one = s.transcript_agreement("1", A, B)
        report = s.agreement(A, B)
    assert (twin["a"], twin["b"], twin["transcript_id"]) == (A, B, 1)
    assert twin["reconcile"] == "/reconcile/1"
    assert twin["disagreements"] == one.disagreements > 0
    assert twin["pooled"]["characters"] == asdict(one.pooled_characters)
    study_sources = {
        format_path(c.code): s.result
        for c in report.codes
        for s in c.characters
        if s.transcript_id == 1
    }
    assert {c["code"]: c["characters"] for c in twin["codes"]} == {
        k: asdict(v) for k, v in study_sources.items()
    }
    by_participant = client.get("/api/analysis/agreement/transcript/Physio%203").json()
    assert by_participant == twin


def test_matrix_twin_and_page(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/matrix").json()
    with service(demo) as s:
        report = s.matrix("group", level=Level.TWO)
        setting = s.matrix("setting", level=Level.ONE, rows="codes")
    assert twin["attribute"] == "group" and twin["values"] == [[v, n] for v, n in report.values]
    for row, expected in zip(twin["rows"], report.rows, strict=True):
        assert row["path"] == list(expected.path)
        assert [(c["participants"], c["total"], c["codings"]) for c in row["cells"]] == [
            (c.participants, c.total, c.codings) for c in expected.cells
        ]
    cell = twin["rows"][0]["cells"][0]
    assert cell["phrase"] == "all participants" and cell["participants"] == cell["total"]
    page = client.get("/analysis/matrix").text
    assert f'<span class="nN">{cell["participants"]}/{cell["total"]}</span>' in page
    other = client.get("/api/analysis/matrix?by=setting&level=1&rows=codes").json()
    assert [r["kind"] for r in other["rows"]] == ["code"] * len(setting.rows)
    assert [v for v, _ in other["values"]] == [v for v, _ in setting.values]


def _svg(page: str) -> str:
    match = re.search(r"<svg viewBox.*?</svg>", page, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def test_saturation_twin_and_chart(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/saturation").json()
    with service(demo) as s:
        report = s.saturation()
    assert twin["guest"] == plain(report.guest) and twin["francis"] == plain(report.francis)
    assert [(i["participant"], i["new"], i["cumulative"]) for i in twin["interviews"]] == [
        (x.participant, x.new, x.cumulative) for x in report.interviews
    ]
    dates = [i["interview_date"] for i in twin["interviews"]]
    assert dates == sorted(dates)  # ordered by interview date
    svg = _svg(client.get("/analysis/saturation").text)
    assert '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    bars = re.search(r'<g class="bars">(.*?)</g>', svg, re.S)
    assert bars and bars.group(1).count("<rect") == len(report.interviews)
    # the cumulative line ends at the total number of codes, on the chart's own scale
    ticks = [
        (int(v), float(y))
        for v, y in re.findall(r'data-value="(\d+)" x1="[\d.]+" y1="([\d.]+)"', svg)
    ]
    assert len(ticks) >= 3
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    points = re.search(r'<polyline points="([^"]+)" class="cumulative"', svg)
    assert points
    coords = [tuple(map(float, p.split(","))) for p in points.group(1).split()]
    assert len(coords) == len(report.interviews)
    last = v0 + (coords[-1][1] - y0) / (y1 - y0) * (v1 - v0)
    total = report.interviews[-1].cumulative
    assert last == pytest.approx(total, abs=0.05) and twin["total_codes"] == total
    assert f'class="line-value" text-anchor="middle">{total}<' in svg
    # the bars stand on the axis, each as tall as its new codes
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" class="bar"', bars.group(1))]
    scale = (y0 - y1) / (v1 - v0)
    assert heights == pytest.approx([x.new * scale for x in report.interviews], abs=0.15)


def test_saturation_settings(client: TestClient, demo: Path) -> None:
    twin = client.get(
        "/api/analysis/saturation?base=5&run=3&threshold=0&initial=4&stop=2&level=1"
    ).json()
    with service(demo) as s:
        report = s.saturation(base=5, run=3, threshold=0.0, initial=4, stop=2)
    assert twin["guest"] == plain(report.guest) and twin["francis"] == plain(report.francis)
    page = client.get("/analysis/saturation?base=5&run=3").text
    assert 'id="base" name="base" type="number" min="1" value="5"' in page


def test_cooccurrence_twin_and_page(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/cooccurrence?level=1").json()
    with service(demo) as s:
        report = s.cooccurrence(level=Level.ONE)
    assert twin["turns"] == report.turns
    assert twin["pairs"] == plain(report.pairs)
    page = client.get("/analysis/cooccurrence?level=1").text
    top = report.pairs[0]
    assert f"{top.jaccard:.3f}" in page
    heat = re.search(r'<table class="heat">(.*?)</table>', page, re.S)
    codes = {tuple(p["a"]) for p in twin["pairs"]} | {tuple(p["b"]) for p in twin["pairs"]}
    assert heat and heat.group(1).count('<tr><th scope="row">') == len(codes)
    assert heat.group(1).count("shade-5") == 2  # the most frequent pair, both ways round


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/analysis/agreement?a=Nobody", 404, "no team member 'Nobody'"),
        (f"/api/analysis/agreement?a={A}&b={A}", 422, "name two different coders"),
        ("/api/analysis/agreement?level=3", 422, "level must be 1"),
        ("/api/analysis/agreement?scope=all", 422, "scope must be one of either, both"),
        ("/api/analysis/agreement?code=No%20such%20code", 404, "code 'No such code'"),
        ("/api/analysis/agreement?a=" + "x" * 300, 422, "longer than 200 characters"),
        ("/api/analysis/agreement/transcript/999", 404, "999"),
        ("/api/analysis/agreement/transcript/1?b=Nobody", 404, "no team member 'Nobody'"),
        ("/api/analysis/agreement/transcript/1?level=2", 404, "fewer than two coders"),
        ("/api/analysis/matrix?by=shoe_size", 404, "no participant attribute 'shoe_size'"),
        ("/api/analysis/matrix?rows=people", 422, "rows must be one of auto, themes, codes"),
        ("/api/analysis/matrix?level=x", 422, "level must be 1"),
        ("/api/analysis/saturation?base=0", 422, "base is a whole number"),
        ("/api/analysis/saturation?run=two", 422, "run is a whole number"),
        ("/api/analysis/saturation?threshold=150", 422, "threshold is a percentage"),
        ("/api/analysis/saturation?threshold=nan", 422, "threshold is a percentage"),
        ("/api/analysis/cooccurrence?level=0", 422, "level must be 1"),
    ],
)
def test_bad_parameters_are_refused_and_change_nothing(
    client: TestClient, demo: Path, url: str, status: int, message: str
) -> None:
    before = snapshot(str(demo))
    response = client.get(url)
    assert response.status_code == status
    assert message in response.json()["error"]
    page = client.get(url.replace("/api/", "/", 1))
    if "/transcript/" not in url:  # that one is API only
        assert page.status_code == status and message in html.unescape(page.text)
    assert snapshot(str(demo)) == before


def test_level_two_with_one_coder_says_there_is_nothing_to_compare(client: TestClient) -> None:
    twin = client.get("/api/analysis/agreement?level=2")
    assert twin.status_code == 404 and "fewer than two coders" in twin.json()["error"]
    page = client.get("/analysis/agreement?level=2")
    assert page.status_code == 200 and "nothing to compare" in page.text
    assert '<option value="2" selected>' in page.text


def test_pages_need_an_identity_and_readers_may_read(demo: Path) -> None:
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as c:
        assert c.get("/api/analysis/agreement").status_code == 401
        assert c.get("/analysis/saturation", follow_redirects=False).status_code == 303
        c.post("/identity", data={"name": "Helen Marsh"})  # reader, anonymised only
        for path in ("", "/agreement", "/matrix", "/saturation", "/cooccurrence"):
            assert c.get("/analysis" + path).status_code == 200, path
        assert c.get("/api/analysis/agreement/transcript/1").status_code == 200


def test_blind_coding_keeps_level_one_agreement_for_the_lead(
    client: TestClient, demo: Path
) -> None:
    with service(demo) as s:
        s.set_blind_coding(True, by=A)
    assert client.get("/api/analysis/agreement").status_code == 200  # Rachel leads
    client.post("/identity", data={"name": B})
    for url in ("/api/analysis/agreement", "/api/analysis/agreement/transcript/1"):
        response = client.get(url)
        assert response.status_code == 403 and "codes blind" in response.json()["error"]
    assert client.get("/analysis").status_code == 200  # the index leaves the figure out
    assert "agreement" not in client.get("/api/analysis").json()["summary"]


def test_blind_coding_keeps_every_level_one_figure_for_the_lead(
    client: TestClient, demo: Path
) -> None:
    """Counts, co-occurrence and new codes at level one would show a coder how the others
    coded; level two (agreed) stays open to everyone."""
    level_one = (
        "/analysis/matrix?level=1&rows=codes",
        "/analysis/matrix?level=1",
        "/analysis/cooccurrence?level=1",
        "/analysis/saturation?level=1",
    )
    with service(demo) as s:
        s.set_blind_coding(True, by=A)
        agreed = s.saturation(level=Level.TWO)
    for url in level_one:  # Rachel leads
        assert client.get("/api" + url).json()["level"] == 1, url
    assert client.get("/api/analysis/saturation").json()["level"] == 1
    client.post("/identity", data={"name": B})
    before = snapshot(str(demo))
    for url in level_one:
        response = client.get("/api" + url)
        assert response.status_code == 403, url
        assert (
            "codes blind" in response.json()["error"] and "only a lead" in response.json()["error"]
        )
        page = client.get(url)
        assert page.status_code == 403 and "only a lead sees level-one" in html.unescape(page.text)
    for url in ("/matrix", "/cooccurrence", "/matrix?level=2&rows=codes", "/cooccurrence?level=2"):
        assert client.get("/api/analysis" + url).json()["level"] == 2, url
        assert client.get("/analysis" + url).status_code == 200, url
    # saturation opens on the agreed codes for a coder who may not see level one
    twin = client.get("/api/analysis/saturation").json()
    assert twin["level"] == 2 and twin["total_codes"] == agreed.interviews[-1].cumulative
    assert client.get("/analysis/saturation").status_code == 200
    index = client.get("/api/analysis").json()["summary"]
    assert index["saturation"]["level"] == 2 and "agreement" not in index
    assert "level-two codes over" in client.get("/analysis").text
    assert snapshot(str(demo)) == before


def test_pages_on_a_study_with_nothing_coded_yet(tmp_path: Path) -> None:
    from tests.service.test_analysis import build

    location = str(tmp_path / "new.thematica")
    with StudyService.create(location, title="New study") as s:
        build(s, ["Just started.", "Not coded either."])
    with TestClient(create_app(location), base_url="http://127.0.0.1") as c:
        c.post("/identity", data={"name": A})
        for path in ("", "/agreement", "/matrix", "/saturation", "/cooccurrence"):
            assert c.get("/analysis" + path).status_code == 200, path
        assert c.get("/api/analysis/agreement").status_code == 404  # nothing to compare
        twin = c.get("/api/analysis/saturation").json()
        assert twin["interviews"] == [] and twin["total_codes"] == 0
        assert twin["not_yet_coded"] == ["P1", "P2"] and twin["guest"]["notation"] == "not reached"
        svg = _svg(c.get("/analysis/saturation").text)
        assert "<rect x=" not in svg.split('<g class="bars">')[1].split("</g>")[0]
        assert c.get("/api/analysis/cooccurrence").json()["pairs"] == []
        one = c.get("/api/analysis/agreement/transcript/P1?a=Rachel%20Ames&b=Tom%20Okafor").json()
        assert one["codes"] == [] and one["pooled"]["characters"]["pooled_kappa"] is None


def test_counts_twin_and_page(client: TestClient, demo: Path) -> None:
    twin = client.get("/api/analysis/counts?by=group").json()
    with service(demo) as s:
        report = s.counts(level=Level.TWO, by="group")
    assert twin["themes"] == plain(report.themes) and twin["total"] == report.total
    assert twin["groups"] == [[v, n] for v, n in report.groups]
    page = client.get("/analysis/counts?by=group").text
    top = report.themes[0]
    assert f'<span class="nN">{top.rolled_up}/{top.total}</span>' in page
    g = top.by_group[0]  # the cell's figure, a link to its quotes when it is not empty
    assert re.search(
        rf">{g.n}/{g.total}(<span class=\"visually-hidden\">[^<]*</span></a>)?</td>", page
    )
    assert '<option value="group" selected>' in page


@pytest.mark.parametrize(("given", "exact"), [("0.7", 0.007), ("12.345678", 0.12345678)])
def test_saturation_threshold_is_shown_exactly_as_given(
    client: TestClient, given: str, exact: float
) -> None:
    """Issue 12: a threshold is neither rounded nor given float noise (0.7 % is 0.007)."""
    twin = client.get(f"/api/analysis/saturation?threshold={given}").json()
    assert twin["guest"]["threshold"] == exact
    page = client.get(f"/analysis/saturation?threshold={given}").text
    assert f"threshold {given} %" in page and f"≤ {given} %" in page
    assert f'name="threshold" type="number" min="0" max="99" step="any" value="{given}"' in page
