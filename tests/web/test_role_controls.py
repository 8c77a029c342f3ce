"""A member is not shown controls their role cannot use: a reader's pages carry no form or
button that would be refused (403), a coder's no lead-only link, an anonymised-only member's no
anonymisation link. What a member may do comes from the service's ``MemberStudy`` (``can_code``,
``is_lead``, ``sees_originals``), never from the role re-read in a template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in_client as sign_in
from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service.acting_rules import Rules

READER = "Helen Marsh"
# the changes a reader may make: their own journal, their password, auditing a draft (which
# changes nothing), signing out
READER_MAY_POST = {"/journal", "/account", "/draft-audit", "/logout"}
LEAD_ONLY = ("/audit", "/import", "/team", "/recruitment", "/withdraw")


def main_of(page: str) -> str:
    return page[page.index("<main") :]


def posted_actions(html: str) -> set[str]:
    """The actions of the POST forms in ``html``."""
    found = set()
    for form in re.findall(r"<form\b[^>]*>", html):
        if re.search(r'method="post"', form, re.I):
            action = re.search(r'action="([^"]*)"', form)
            found.add(action.group(1) if action else "")
    return found


def reader_pages(client: TestClient) -> list[str]:
    code = client.get("/api/codebook").json()
    code_id = code["levels"][0]["codes"][0]["id"] if "levels" in code else None
    pages = [
        "/",
        "/reconcile",
        "/codebook",
        "/themes",
        "/themes/3/quotes",
        "/codes/2/quotes",
        "/analysis",
        "/analysis/agreement",
        "/search?q=pain",
        "/memos",
        "/memos?target=code%3A2",
        "/journal",
        "/draft-audit",
        "/account",
        "/no-such-page",
    ]
    return pages + ([f"/codebook/{code_id}"] if code_id is not None else ["/codebook/2"])


def test_a_readers_pages_have_no_control_they_cannot_use(client: TestClient) -> None:
    sign_in(client, READER)
    for path in reader_pages(client):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        main = main_of(response.text)
        assert posted_actions(main) <= READER_MAY_POST, (path, posted_actions(main))
        assert 'class="memo-add"' not in main, path
        assert 'draggable="true"' not in main and "themes.js" not in response.text, path
        assert "Undo" not in main and "Save description" not in main, path
        for lead_link in LEAD_ONLY:  # the lead's sections are not offered either
            assert f'<a href="{lead_link}">' not in response.text, (path, lead_link)


def test_each_reader_page_checked_was_a_real_page(client: TestClient) -> None:
    """The pages above are the ones a coder can change things on (so the check means
    something): a coder gets memo and codebook forms on them."""
    sign_in(client)
    assert 'class="memo-add"' in client.get("/codes/2/quotes").text
    assert "/themes/links" in posted_actions(client.get("/themes").text)
    assert "/codebook/2/describe" in posted_actions(client.get("/codebook/2").text)


def test_a_coder_is_not_offered_the_leads_sections(client: TestClient) -> None:
    sign_in(client)  # Tom Okafor, a coder
    page = client.get("/").text
    assert '<a href="/anonymise">' in page
    for lead_link in LEAD_ONLY:
        assert f'<a href="{lead_link}">' not in page
    sign_in(client, "Rachel Ames")  # a lead is offered them all
    page = client.get("/").text
    assert all(f'<a href="{lead_link}">' in page for lead_link in LEAD_ONLY)


def test_an_anonymised_only_member_is_not_offered_anonymisation(
    client: TestClient, demo: Path
) -> None:
    with StudyService.open(str(demo)) as study:
        study.add_team_member("Ann Only", MemberRole.CODER, anonymised_only=True)
    sign_in(client, "Ann Only")
    assert '<a href="/anonymise">' not in client.get("/").text
    assert client.get("/anonymise").status_code == 403  # what the link would have led to


def test_what_a_page_offers_comes_from_the_service(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the service saying nobody may code, a coder's pages offer no memo form: the
    template asks the service's ``can_code``, not the role."""
    sign_in(client)
    assert 'class="memo-add"' in client.get("/codes/2/quotes").text
    monkeypatch.setattr(Rules, "can_code", property(lambda self: False))
    assert 'class="memo-add"' not in client.get("/codes/2/quotes").text
    monkeypatch.setattr(Rules, "is_lead", property(lambda self: True))
    assert '<a href="/team">' in client.get("/").text  # the nav asks ``is_lead`` too


def test_the_transcript_page_offers_coding_only_to_who_may_code(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The "Code a passage" panel (code box, Apply, In-vivo) is shown only when the service
    says the member may code; otherwise it is hidden (transcript.js still finds its parts)."""
    sign_in(client)
    page = main_of(client.get("/transcripts/1").text)
    assert '<form id="code-form">' in page and ">Code a passage<" in page
    monkeypatch.setattr(Rules, "can_code", property(lambda self: False))
    page = main_of(client.get("/transcripts/1").text)
    assert '<form id="code-form" hidden>' in page and ">Code a passage<" not in page
