"""Sign-in sessions in the workbench (TestClient): the modes, fixation, expiry, sign-out,
password change and deactivation ending a session, no password hash anywhere, the limit on
failed sign-ins, CSRF, the team page and invitation links."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client
from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service import accounts as acc
from thematica.service import signin as signin_module
from thematica.service.administrator import ADMINISTRATOR
from thematica.service.signin import GENERIC
from thematica.storage.models import TeamMemberRow
from thematica.web.app import NotReadyForTeam, create_app
from thematica.web.shell import SESSION_COOKIE

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
LEAD_PW, CODER_PW = "lead pass phrase 1", "coder pass phrase 2"


@pytest.fixture
def accounts(demo: Path) -> Path:
    with StudyService.open(str(demo)) as s:
        s.set_password(LEAD, LEAD_PW)
        s.set_password(CODER, CODER_PW)
    return demo


@pytest.fixture
def web(accounts: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(accounts)), base_url="http://127.0.0.1") as c:
        yield c


def form_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def csrf_of(client: TestClient, path: str = "/account") -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def login(client: TestClient, name: str, password: str, next_path: str = "/") -> object:
    token = form_token(client)
    return client.post(
        "/login",
        data={"name": name, "password": password, "form_token": token, "next": next_path},
        follow_redirects=False,
    )


def test_without_passwords_the_identity_picker_stays(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/identity"
    assert client.get("/login", follow_redirects=False).headers["location"] == "/identity"
    sign_in_client(client, LEAD)
    page = client.get("/")
    assert page.status_code == 200 and "Sign out" not in page.text and "change</a>" in page.text
    assert client.get("/team").status_code == 200  # a lead manages the team here too


def test_with_a_password_everyone_signs_in(web: TestClient) -> None:
    first = web.get("/transcripts/1?x=1", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=/transcripts/1%3Fx%3D1"
    api = web.get("/api/overview")
    assert api.status_code == 401 and "sign in" in api.json()["error"]
    htmx = web.get("/codebook", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"].startswith("/login")
    # the identity picker is off: no one can pick the lead's name any more
    assert web.get("/identity", follow_redirects=False).headers["location"] == "/login"
    for data in ({"name": LEAD}, {"name": "Eve", "new": "true", "role": "lead"}):
        refused = web.post("/identity", data=data, follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
        assert "thematica_member" not in refused.headers.get("set-cookie", "")
    web.cookies.set("thematica_member", "Rachel%20Ames")
    assert web.get("/api/overview").status_code == 401
    done = login(web, LEAD, LEAD_PW, "/codebook")
    assert done.status_code == 303 and done.headers["location"] == "/codebook"  # type: ignore[attr-defined]
    page = web.get("/")
    assert "Signed in as <strong>Rachel Ames</strong>" in page.text and "Sign out" in page.text


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(accounts: Path) -> None:
    with TestClient(create_app(str(accounts)), base_url="https://127.0.0.1") as c:
        response = login(c, LEAD, LEAD_PW)
        cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
        session = next(
            h
            for h in response.headers.get_list("set-cookie")
            if h.startswith(SESSION_COOKIE)  # type: ignore[attr-defined]
        )
        assert "HttpOnly" in session and "SameSite=strict" in session and "Secure" in session
        assert cookie
    with TestClient(create_app(str(accounts)), base_url="http://127.0.0.1") as c:
        response = login(c, LEAD, LEAD_PW)
        session = next(
            h
            for h in response.headers.get_list("set-cookie")
            if h.startswith(SESSION_COOKIE)  # type: ignore[attr-defined]
        )
        assert "HttpOnly" in session and "SameSite=strict" in session and "Secure" not in session


def test_fixation_a_preset_session_cookie_is_never_adopted(web: TestClient) -> None:
    planted = "attacker-chosen-value-" + "x" * 20
    web.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1", path="/")
    assert web.get("/api/overview").status_code == 401
    login(web, LEAD, LEAD_PW)
    token = web.cookies.get(SESSION_COOKIE)
    assert token and token != planted
    assert web.get("/api/overview").status_code == 200
    again = login(web, LEAD, LEAD_PW)
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert web.cookies.get(SESSION_COOKIE) != token  # a new token on every sign-in
    other = TestClient(web.app, base_url="http://127.0.0.1")
    other.cookies.set(SESSION_COOKIE, planted)
    assert other.get("/api/overview").status_code == 401


def test_sign_out_ends_the_session(web: TestClient) -> None:
    login(web, LEAD, LEAD_PW)
    token = web.cookies.get(SESSION_COOKIE)
    csrf = csrf_of(web)
    out = web.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = TestClient(web.app, base_url="http://127.0.0.1")
    replay.cookies.set(SESSION_COOKIE, token or "")
    assert replay.get("/api/overview").status_code == 401


def test_idle_sessions_expire(accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = [dt.datetime.now(dt.UTC)]
    monkeypatch.setattr(acc, "now", lambda: at[0])
    monkeypatch.setattr(signin_module, "now", lambda: at[0])
    app = create_app(str(accounts), session_idle=dt.timedelta(minutes=30))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        login(c, CODER, CODER_PW)
        at[0] += dt.timedelta(minutes=29)
        assert c.get("/api/overview").status_code == 200
        at[0] += dt.timedelta(minutes=29)  # the last request counts, not the sign-in
        assert c.get("/api/overview").status_code == 200
        at[0] += dt.timedelta(minutes=31)
        assert c.get("/api/overview").status_code == 401
        assert c.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(web: TestClient) -> None:
    login(web, CODER, CODER_PW)
    elsewhere = TestClient(web.app, base_url="http://127.0.0.1")
    login(elsewhere, CODER, CODER_PW)
    new = "a brand new pass phrase"
    csrf = csrf_of(web)
    wrong = web.post(
        "/account",
        data={"csrf_token": csrf, "current": "not it at all!", "new": new, "again": new},
    )
    assert wrong.status_code == 422 and "current password" in wrong.text
    done = web.post(
        "/account", data={"csrf_token": csrf, "current": CODER_PW, "new": new, "again": new}
    )
    assert done.status_code == 200 and "Password changed" in done.text
    assert web.get("/api/overview").status_code == 200
    assert elsewhere.get("/api/overview").status_code == 401
    fresh = TestClient(web.app, base_url="http://127.0.0.1")
    assert login(fresh, CODER, CODER_PW).status_code == 401  # type: ignore[attr-defined]
    assert login(fresh, CODER, new).status_code == 303  # type: ignore[attr-defined]


def test_deactivation_ends_the_session_at_once(web: TestClient, accounts: Path) -> None:
    login(web, CODER, CODER_PW)
    assert web.get("/api/overview").status_code == 200
    lead = TestClient(web.app, base_url="http://127.0.0.1")
    login(lead, LEAD, LEAD_PW)
    csrf = csrf_of(lead, "/team")
    done = lead.post("/team/deactivate", data={"name": CODER, "csrf_token": csrf})
    assert done.status_code == 200 and "deactivated" in done.text
    assert web.get("/api/overview").status_code == 401
    assert web.get("/", follow_redirects=False).headers["location"].startswith("/login")
    again = login(web, CODER, CODER_PW)
    assert again.status_code == 401 and GENERIC in again.text  # type: ignore[attr-defined]


def test_a_password_hash_never_appears_in_any_answer_or_log(
    web: TestClient, accounts: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    caplog.set_level(logging.DEBUG)
    with StudyService.open(str(accounts)) as s, Session(s.engine) as db:
        hashes = [h for h in db.scalars(select(TeamMemberRow.password_hash)) if h]
    assert len(hashes) == 2
    secrets_ = [*hashes, *(h.rsplit("$", 1)[1] for h in hashes), LEAD_PW, CODER_PW]
    bodies = [login(web, LEAD, "wrong wrong wrong").text, login(web, LEAD, LEAD_PW).text]  # type: ignore[attr-defined]
    for path in ("/", "/team", "/api/team", "/account", "/api/overview", "/codebook", "/journal"):
        response = web.get(path)
        assert response.status_code == 200, path
        bodies.append(response.text + str(response.headers))
    csrf = csrf_of(web)
    bodies.append(web.post("/team/invite", data={"name": READER, "csrf_token": csrf}).text)
    for body in [*bodies, caplog.text]:
        for secret in secrets_:
            assert secret not in body
    assert "password_hash" not in web.get("/api/team").text


def test_failed_sign_ins_are_limited_with_the_same_message_for_unknown_names(
    web: TestClient,
) -> None:
    wrong = login(web, LEAD, "not the password")
    unknown = login(web, "No Such Person", LEAD_PW)
    no_password = login(web, READER, "whatever it is")
    for response in (wrong, unknown, no_password):
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert GENERIC in response.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in web.cookies
    # the message part of the pages is the same, whatever was wrong
    shown = {re.search(r'role="alert"[^>]*>([^<]+)<', r.text).group(1) for r in (wrong, unknown)}  # type: ignore[attr-defined,union-attr]
    assert shown == {GENERIC}
    for _ in range(4):
        login(web, LEAD, "not the password")
    held = login(web, LEAD, LEAD_PW)  # the 6th attempt, even with the right password
    assert held.status_code == 429 and GENERIC in held.text  # type: ignore[attr-defined]
    for _ in range(4):
        login(web, "No Such Person", "guess guess guess")
    assert login(web, "No Such Person", "guess guess guess").status_code == 429  # type: ignore[attr-defined]


def test_csrf_refused_without_the_token(web: TestClient, accounts: Path) -> None:
    login(web, LEAD, LEAD_PW)
    before = snapshot(str(accounts))
    memo = {"target": "transcript:1", "text": "a memo"}
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        refused = web.post("/api/memos", json=memo, headers=headers)
        assert refused.status_code == 403 and "CSRF" in refused.text
    form = web.post("/team/invite", data={"name": READER})
    assert form.status_code == 403 and "CSRF" in form.text
    form = web.post("/team/invite", data={"name": READER, "csrf_token": "made-up"})
    assert form.status_code == 403
    assert web.post("/logout", follow_redirects=False).status_code == 403
    assert snapshot(str(accounts)) == before
    csrf = csrf_of(web)
    assert web.post("/api/memos", json=memo, headers={"X-CSRF-Token": csrf}).status_code == 201
    # another session's token is not this session's
    other = TestClient(web.app, base_url="http://127.0.0.1")
    login(other, LEAD, LEAD_PW)
    assert (
        web.post("/api/memos", json=memo, headers={"X-CSRF-Token": csrf_of(other)}).status_code
        == 403
    )


def test_the_login_form_needs_its_own_token(web: TestClient) -> None:
    form_token(web)
    refused = web.post("/login", data={"name": LEAD, "password": LEAD_PW, "form_token": "forged"})
    assert refused.status_code == 403 and SESSION_COOKIE not in web.cookies
    fresh = TestClient(web.app, base_url="http://127.0.0.1")
    no_cookie = fresh.post("/login", data={"name": LEAD, "password": LEAD_PW, "form_token": "x"})
    assert no_cookie.status_code == 403
    foreign = web.post(
        "/login",
        data={"name": LEAD, "password": LEAD_PW, "form_token": form_token(web)},
        headers={"Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403


def test_next_never_leads_to_another_site(web: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = login(web, LEAD, LEAD_PW, target)
        assert response.headers["location"] == "/"  # type: ignore[attr-defined]


def test_the_team_page_is_for_leads_and_shows_an_invitation_link_once(web: TestClient) -> None:
    login(web, CODER, CODER_PW)
    assert web.get("/team").status_code == 403
    assert web.get("/api/team").status_code == 403
    lead = TestClient(web.app, base_url="http://127.0.0.1")
    login(lead, LEAD, LEAD_PW)
    data = lead.get("/api/team").json()
    assert [m["name"] for m in data["members"]] == [LEAD, CODER, READER]
    assert {m["name"]: m["has_password"] for m in data["members"]}[READER] is False
    csrf = csrf_of(lead, "/team")
    added = lead.post(
        "/team/add",
        data={"name": "Priya Shah", "role": "coder", "email": "p@example.org", "invite": "true",
              "anonymised_only": "true", "csrf_token": csrf},
    )  # fmt: skip
    assert added.status_code == 200
    link = re.search(r'value="(http://127\.0\.0\.1/invite/[^"]+)"', added.text)
    assert link is not None
    assert link.group(1) not in lead.get("/team").text  # shown once
    # the member opens the link in their own browser, sets a password and is signed in
    priya = TestClient(web.app, base_url="http://127.0.0.1")
    path = link.group(1).removeprefix("http://127.0.0.1")
    page = priya.get(path)
    assert page.status_code == 200 and "Welcome, Priya Shah" in page.text
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    short = priya.post(path, data={"password": "short", "again": "short", "form_token": token})
    assert short.status_code == 422 and "at least 12" in short.text
    token = re.search(r'name="form_token" value="([^"]+)"', short.text).group(1)  # type: ignore[union-attr]
    pw = "priya pass phrase"
    done = priya.post(
        path, data={"password": pw, "again": pw, "form_token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and SESSION_COOKIE in priya.cookies
    me = priya.get("/")
    assert "Signed in as <strong>Priya Shah</strong>" in me.text
    assert priya.get(path).status_code == 404  # used once
    # role change, anonymised-only and reactivation from the page
    assert (
        lead.post(
            "/team/role", data={"name": "Priya Shah", "role": "reader", "csrf_token": csrf}
        ).status_code
        == 200
    )
    assert priya.get("/api/overview").status_code == 401  # a new role ends their sessions
    members = {m["name"]: m for m in lead.get("/api/team").json()["members"]}
    assert members["Priya Shah"]["role"] == "reader" and members["Priya Shah"]["anonymised_only"]
    refused = lead.post("/team/role", data={"name": LEAD, "role": "coder", "csrf_token": csrf})
    assert refused.status_code == 409 and "only active lead" in refused.text


def test_first_password_from_the_account_page_turns_sign_in_on(client: TestClient) -> None:
    sign_in_client(client, LEAD)
    page = client.get("/account")
    assert page.status_code == 200 and "Set a password" in page.text
    pw = "my first pass phrase"
    done = client.post("/account", data={"new": pw, "again": pw}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert client.get("/api/overview").status_code == 401
    assert login(client, LEAD, pw).status_code == 303  # type: ignore[attr-defined]


def test_a_team_server_refuses_without_passwords(demo: Path) -> None:
    with pytest.raises(NotReadyForTeam, match="Rachel Ames, Tom Okafor have none"):
        create_app(str(demo), team_server=True)
    with StudyService.open(str(demo)) as s:
        s.set_password(LEAD, LEAD_PW)
        s.set_password(CODER, CODER_PW)
        s.add_member("Nobody Yet", MemberRole.READER, by=ADMINISTRATOR)
    with TestClient(create_app(str(demo), team_server=True), base_url="http://127.0.0.1") as c:
        assert c.get("/login").status_code == 200
