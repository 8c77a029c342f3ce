"""Signing in, in real headless Chromium: a lead adds a member on the team page and copies the
invitation link; the member opens it in another browser, sets a password and is signed in; sign
out, a wrong password, sign in again; a journal entry and a coding saved through the page's own
forms and scripts (which send the CSRF token); and a lead deactivating a member whose open tab
then loses access. Screenshots of the sign-in, invitation and team pages."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.conftest import ARGS, CHROMIUM, need_chromium, shot
from thematica.service import StudyService
from thematica.service.signin import GENERIC
from thematica.web.app import create_app

LEAD, LEAD_PW = "Rachel Ames", "lead pass phrase 1"
NEW, NEW_PW = "Priya Shah", "priya pass phrase 2"


@pytest.fixture(scope="module")
def team_server(
    tmp_path_factory: pytest.TempPathFactory, built: Path
) -> Iterator[tuple[str, Path]]:
    import uvicorn

    folder = tmp_path_factory.mktemp("signin")
    study = folder / "demo.thematica"
    shutil.copy(built, study)
    shutil.copy(built.with_name("demo.thematica-key"), folder / "demo.thematica-key")
    with StudyService.open(str(study)) as s:
        s.set_password(LEAD, LEAD_PW)
        s.set_password("Tom Okafor", "coder pass phrase 3")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(str(study), team_server=True), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the workbench did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", study
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium(team_server: tuple[str, Path]) -> Iterator[Browser]:
    need_chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def new_page(browser: Browser) -> Page:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page: Page, url: str, name: str, password: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_invitation_sign_in_sign_out_and_deactivation(
    team_server: tuple[str, Path], chromium: Browser
) -> None:
    url, study = team_server
    lead = new_page(chromium)
    lead.goto(url + "/codebook")
    lead.wait_for_url(url + "/login?next=/codebook")
    assert lead.get_by_role("heading", name="Sign in").is_visible()
    shot(lead, "signin-login")
    sign_in(lead, url, LEAD, LEAD_PW)
    lead.wait_for_url(url + "/codebook")
    assert "Signed in as Rachel Ames" in lead.locator(".me").inner_text()

    # the lead adds a member on the team page and copies the invitation link
    lead.get_by_role("link", name="Team", exact=True).click()
    lead.wait_for_url(url + "/team")
    lead.get_by_label("Name", exact=True).fill(NEW)
    lead.get_by_label("E-mail (optional)").fill("priya@example.org")
    with lead.expect_navigation():
        lead.get_by_role("button", name="Add member").click()
    link = lead.get_by_role("textbox", name="Invitation link").input_value()
    assert link.startswith(url + "/invite/")
    shot(lead, "signin-team")

    # the member opens it in another browser, sets a password and lands signed in
    member = new_page(chromium)
    member.goto(link)
    assert member.get_by_role("heading", name=f"Welcome, {NEW}").is_visible()
    shot(member, "signin-invite")
    member.get_by_label("New password").fill(NEW_PW)
    member.get_by_label("The same password again").fill(NEW_PW)
    member.get_by_role("button", name="Set password and sign in").click()
    member.wait_for_url(url + "/")
    assert f"Signed in as {NEW}" in member.locator(".me").inner_text()

    # sign out, a wrong password, then in again
    member.get_by_role("button", name="Sign out").click()
    member.wait_for_url(url + "/login")
    member.goto(url + "/")
    member.wait_for_url(url + "/login?next=/")
    sign_in(member, url, NEW, "not my password at all")
    assert member.get_by_role("alert").inner_text() == GENERIC
    shot(member, "signin-wrong-password")
    sign_in(member, url, NEW, NEW_PW)
    member.wait_for_url(url + "/")

    # the page's own forms carry the CSRF token: a journal entry is saved
    member.get_by_role("link", name="Journal", exact=True).click()
    member.get_by_label("Entry", exact=True).fill("First thoughts after signing in.")
    with member.expect_navigation():
        member.get_by_role("button", name="Save entry").click()
    assert "First thoughts after signing in." in member.locator("article.entry").first.inner_text()
    with StudyService.open(str(study)) as s:
        assert [e.text for e in s.journal(NEW)] == ["First thoughts after signing in."]

    # the lead deactivates the member; their open tab loses access at its next step
    lead.goto(url + "/team")
    with lead.expect_navigation():
        lead.get_by_role("button", name=f"Deactivate {NEW}").click()
    row = lead.get_by_role("row").filter(has_text=NEW)
    assert "deactivated" in row.inner_text()
    member.get_by_role("link", name="Codebook", exact=True).click()
    member.wait_for_url(url + "/login?next=/codebook")
    sign_in(member, url, NEW, NEW_PW)
    assert member.get_by_role("alert").inner_text() == GENERIC
    lead.context.close()
    member.context.close()


def test_a_coding_through_the_transcript_script_carries_the_token(
    team_server: tuple[str, Path], chromium: Browser
) -> None:
    """The transcript page's fetch() calls get the X-CSRF-Token header from csrf.js."""
    url, study = team_server
    page = new_page(chromium)
    page.goto(url + "/login")
    sign_in(page, url, LEAD, LEAD_PW)
    page.wait_for_url(url + "/")
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf
    status = page.evaluate(
        """async () => {
            const r = await fetch("/api/memos", {method: "POST",
              headers: {"Content-Type": "application/json"},
              body: JSON.stringify({target: "transcript:1", text: "sent by the page"})});
            return r.status;
        }"""
    )
    assert status == 201
    with StudyService.open(str(study)) as s:
        assert "sent by the page" in [m.text for m in s.memos("transcript:1")]
    page.context.close()
