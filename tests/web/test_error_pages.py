"""Refusals of page requests are pages: inside the layout, with the sections' navigation, a
plain-language heading and reason, and a way on. The JSON API keeps its JSON errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService
from thematica.web.app import create_app

NAV = 'aria-label="Sections"'


def main_of(page: str) -> str:
    return page[page.index("<main") :]


def assert_error_page(response: Any, status: int, heading: str) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert NAV in page and 'href="/codebook"' in page  # the normal layout, navigation included
    assert re.search(f"<h1[^>]*>{heading}</h1>", page)
    assert '"detail"' not in page and not page.lstrip().startswith("{")
    assert 'href="/">Back to the overview' in page  # a way on
    assert "content-security-policy" in response.headers  # the security headers too
    return main_of(page)


@pytest.mark.parametrize(
    "path",
    ["/nope", "/transcripts/99999", "/codes/99999/quotes", "/codebook/99999", "/reconcile/99999"],
)
def test_unknown_addresses_get_a_404_page_with_navigation(client: TestClient, path: str) -> None:
    sign_in(client)
    main = assert_error_page(client.get(path), 404, "Page not found")
    assert "There is nothing at this address" in main


def test_a_missing_thing_names_it_and_offers_its_section(client: TestClient) -> None:
    sign_in(client)
    main = assert_error_page(client.get("/codes/99999/quotes"), 404, "Page not found")
    assert re.search(r'class="error" role="alert">[^<]*99999', main)  # the service's reason
    assert '<a href="/codebook">The codebook</a>' in main


def test_a_bad_id_gets_a_422_page_naming_the_field(client: TestClient) -> None:
    sign_in(client)
    main = assert_error_page(client.get("/codes/abc/quotes"), 422, "This could not be done")
    assert "code_id" in main and "abc" not in main  # the field, never the value sent


def test_a_forbidden_page_gets_a_403_page(client: TestClient) -> None:
    sign_in(client, "Helen Marsh")  # a reader
    main = assert_error_page(client.get("/audit"), 403, "You cannot do this")
    assert 'class="error" role="alert"' in main


def test_a_stale_form_gets_a_409_page_and_changes_nothing(client: TestClient, demo: Path) -> None:
    sign_in(client)
    before = snapshot(str(demo))
    response = client.post(
        "/codebook/2/describe",
        data={"description": "new words", "version": "stale"},
        headers={"referer": "http://127.0.0.1/codebook/2"},
    )
    main = assert_error_page(response, 409, "Someone changed this first")
    assert '<a href="/codebook/2">Back to the page you came from</a>' in main
    assert snapshot(str(demo)) == before


def test_a_form_address_opened_as_a_page_gets_a_405_page(client: TestClient) -> None:
    sign_in(client)
    response = client.get("/team/add")
    assert_error_page(response, 405, "This address is not a page")
    assert "POST" in response.headers["allow"]


def test_without_an_identity_the_404_page_offers_the_way_in(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert 'href="/identity"' in response.text and NAV not in response.text


def test_the_json_api_keeps_its_json_errors(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/api/nope").json() == {"detail": "Not Found"}
    assert client.get("/api/codebook/99999").json() == {"error": "no code 99999"}
    invalid = client.get("/api/codebook/abc")
    assert invalid.status_code == 422 and invalid.json()["fields"][0]["field"] == "code_id"
    sign_in(client, "Helen Marsh")
    refused = client.get("/api/audit")
    assert refused.status_code == 403 and "error" in refused.json()
    assert client.get("/static/nope.css").json() == {"detail": "Not Found"}


def test_a_refused_form_offers_its_input_back(client: TestClient) -> None:
    """The page answering a refused post carries the (hidden until static/keep.js fills it)
    way back to the refilled form; a refused page request does not."""
    sign_in(client)
    posted = client.post("/codebook/2/describe", data={"description": "x", "version": "stale"})
    assert 'id="kept"' in posted.text and 'id="kept-back"' in posted.text
    assert 'src="/static/keep.js"' in posted.text and "data-refusal=" in posted.text
    assert 'id="kept"' not in client.get("/nope").text


def test_an_identity_no_longer_in_the_team_gets_the_page_without_sections(
    client: TestClient,
) -> None:
    client.cookies.set("thematica_member", "Nobody%20Here")
    response = client.get("/nope")
    assert response.status_code == 404 and 'href="/identity"' in response.text
    assert NAV not in response.text


def test_signed_in_the_404_page_has_the_sections_and_sign_out(demo: Path) -> None:
    from tests.web.test_signin import login

    with StudyService.open(str(demo)) as s:
        s.set_password("Tom Okafor", "coder pass phrase 2")
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as web:
        assert web.get("/nope", follow_redirects=False).status_code == 404  # not signed in
        login(web, "Tom Okafor", "coder pass phrase 2")
        response = web.get("/nope")
        assert_error_page(response, 404, "Page not found")
        assert 'action="/logout"' in response.text and 'name="csrf-token"' in response.text
