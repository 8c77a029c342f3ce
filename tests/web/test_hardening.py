"""The workbench's defences at the HTTP edge: a bound on request bodies (checked before anything
parses them), 422 messages that never echo what was sent, security headers on every answer, the
Host check on every kind of bind, and SQLite's synchronous mode for a served study."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.cli.main import cli
from thematica.service import StudyService
from thematica.web.app import create_app
from thematica.web.hosts import allowed_hosts
from thematica.web.middleware import BODY_LIMIT

CODINGS = "/api/transcripts/1/codings"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JSON = {"Content-Type": "application/json"}


# -- request bodies -------------------------------------------------------------------------------


def test_the_limit_is_two_megabytes() -> None:
    assert BODY_LIMIT == 2 * 1024 * 1024


def test_a_body_over_the_limit_by_content_length_is_refused(client: TestClient, demo: Path) -> None:
    sign_in(client)
    before = snapshot(str(demo))
    # not even JSON: had it been parsed, the answer would be a 400 or a 422
    oversized = b"{" + b"x" * BODY_LIMIT
    response = client.post(CODINGS, content=oversized, headers=JSON)
    assert response.status_code == 413
    assert len(response.content) < 200 and "too large" in response.json()["error"]
    form = client.post("/memos/add", data={"target": "transcript:1", "text": "y" * BODY_LIMIT})
    assert form.status_code == 413 and len(form.content) < 200
    assert snapshot(str(demo)) == before


def test_a_body_just_under_the_limit_is_read(client: TestClient, demo: Path) -> None:
    sign_in(client)
    body = json.dumps({"code": "Under the limit", "start": 0, "end": 20, "create": True})
    padded = body[:-1] + " " * (BODY_LIMIT - len(body)) + "}"
    assert len(padded) == BODY_LIMIT
    assert client.post(CODINGS, content=padded, headers=JSON).status_code == 201


def test_a_chunked_body_over_the_limit_is_refused(client: TestClient, demo: Path) -> None:
    sign_in(client)
    before = snapshot(str(demo))

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent with Transfer-Encoding: chunked
        yield b'{"code": "Streamed", "start": 0, "end": 5, "memo": "'
        for _ in range(5):
            yield b"z" * 1024 * 1024
        yield b'"}'

    response = client.post(CODINGS, content=chunks(), headers=JSON)
    assert response.status_code == 413 and "too large" in response.json()["error"]
    assert snapshot(str(demo)) == before


@pytest.fixture(scope="module")
def live(server: tuple[str, Path]) -> tuple[str, int]:
    """The demo over real HTTP (uvicorn on 127.0.0.1), as host and port."""
    host, port = server[0].removeprefix("http://").split(":")
    return host, int(port)


def _exchange(address: tuple[str, int], head: bytes, body: Iterator[bytes]) -> bytes:
    """Send ``head`` and then as much of ``body`` as the server takes; return its answer."""
    with socket.create_connection(address, timeout=60) as conn:
        conn.sendall(head)
        try:
            for part in body:
                conn.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: the rest was never read
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


def _head(path: str, host: str, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Cookie: thematica_member=Tom%20Okafor\r\n{extra}\r\n"
    ).encode()


def test_a_declared_150_mb_body_is_refused_before_it_is_sent(live: tuple[str, int]) -> None:
    """Only the headers are sent: the answer comes from the Content-Length alone (a server that
    waited for the body would time out here)."""
    head = _head(CODINGS, live[0], f"Content-Length: {150 * 1024 * 1024}\r\n")
    answer = _exchange(live, head, iter(()))
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert len(answer) < 2000


def test_a_chunked_stream_is_cut_off_at_the_limit(
    live: tuple[str, int], server: tuple[str, Path]
) -> None:
    before = snapshot(str(server[1]))

    def stream() -> Iterator[bytes]:
        yield b'6\r\n{"a":"\r\n'
        piece = b"w" * 65536
        for _ in range(256):  # 16 MB, unless the server stops reading
            yield b"10000\r\n" + piece + b"\r\n"
        yield b'2\r\n"}\r\n0\r\n\r\n'

    answer = _exchange(live, _head(CODINGS, live[0], "Transfer-Encoding: chunked\r\n"), stream())
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"wwww" not in answer
    assert snapshot(str(server[1])) == before


# -- validation messages ------------------------------------------------------------------------


def test_a_422_names_the_field_and_the_problem_but_never_the_value(
    client: TestClient, demo: Path
) -> None:
    sign_in(client)
    before = snapshot(str(demo))
    secret = "SECRET-participant-words-" + "q" * 1000
    response = client.post(CODINGS, json={"code": "Staffing", "start": secret, "end": 5})
    assert response.status_code == 422
    assert "SECRET" not in response.text and "qqqq" not in response.text
    assert "start" in response.json()["error"]
    [field] = response.json()["fields"]
    assert field["field"] == "start" and field["problem"].startswith(
        "Input should be a valid integer"
    )
    long_memo = "SECRET " * 5000  # over the memo limit
    response = client.post(
        CODINGS, json={"code": "Staffing", "start": 0, "end": 5, "memo": long_memo}
    )
    assert response.status_code == 422 and "SECRET" not in response.text
    assert response.json()["fields"][0]["field"] == "memo"
    assert snapshot(str(demo)) == before


def test_a_422_from_a_form_is_a_page_without_the_value(client: TestClient) -> None:
    sign_in(client, "Rachel Ames")
    sent = {"code": "x", "start": "SECRET-start", "end": "7", "decision": "SECRET-decision"}
    response = client.post("/reconcile/1/decide", data=sent)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "SECRET" not in response.text
    assert "start" in response.text and "decision" in response.text


def test_the_workbenchs_own_422s_do_not_echo_the_value(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    before = snapshot(str(demo))
    for action, body in (
        ("merge", {"target": "SECRET-target"}),
        ("move", {"parent": "SECRET-parent"}),
        ("describe", {"colour": "SECRET-colour"}),
    ):
        response = client.post(f"/api/codebook/2/{action}", json=body)
        assert response.status_code == 422, action
        assert "SECRET" not in response.text, action
    for url in (
        "/api/analysis/saturation?threshold=SECRET",
        "/api/analysis/saturation?threshold=150SECRET",
        "/api/analysis/matrix?rows=SECRET",
        "/api/search?q=pain&role=SECRET",
        "/api/search?q=pain&code=SECRET",
    ):
        response = client.get(url)
        assert response.status_code == 422 and "SECRET" not in response.text, url
    added = client.post("/identity", data={"name": "New", "new": "true", "role": "SECRET"})
    assert added.status_code == 422 and "SECRET" not in added.text
    assert snapshot(str(demo)) == before


def test_an_unparsable_json_body_is_a_422_without_the_body(client: TestClient) -> None:
    sign_in(client)
    response = client.post(CODINGS, content=b'{"code": "SECRET-broken', headers=JSON)
    assert response.status_code == 422 and "SECRET" not in response.text


# -- security headers ---------------------------------------------------------------------------


def _csp(response: Any) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def _assert_hardened(response: Any, *, private: bool = True) -> None:
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"  # no 'unsafe-inline'
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    if private:
        assert response.headers["cache-control"] == "no-store"


def test_security_headers_on_pages_json_and_errors(client: TestClient) -> None:
    _assert_hardened(client.get("/identity"))
    _assert_hardened(client.get("/api/overview"))  # 401
    sign_in(client)
    for url in ("/", "/transcripts/1", "/api/transcripts/1", "/search?q=pain", "/themes"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_hardened(response)
    _assert_hardened(client.get("/transcripts/999"))  # 404 page
    _assert_hardened(client.get("/api/transcripts/999"))  # 404 JSON
    _assert_hardened(client.post(CODINGS, json={"start": "x"}))  # 422
    _assert_hardened(client.post(CODINGS, content=b"x" * (BODY_LIMIT + 1), headers=JSON))  # 413
    _assert_hardened(client.get("/", headers={"Host": "attacker.example"}))  # 400
    static = client.get("/static/app.css")
    _assert_hardened(static, private=False)
    assert "no-store" not in static.headers.get("cache-control", "")


def test_an_unexpected_error_is_a_500_with_the_headers(demo: Path) -> None:
    app = create_app(str(demo))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SECRET internal detail")

    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        response = c.get("/boom")
    assert response.status_code == 500 and "SECRET" not in response.text
    _assert_hardened(response)


def test_pages_carry_no_inline_script_handler_or_style(client: TestClient) -> None:
    sign_in(client, "Rachel Ames")
    for url in (
        "/",
        "/transcripts/1",
        "/codebook",
        "/codebook/1",
        "/themes",
        "/reconcile/1",
        "/analysis/counts?by=group",
        "/analysis/matrix",
        "/analysis/saturation",
        "/search?q=pain",
        "/journal",
        "/memos",
        "/anonymise",
    ):
        page = client.get(url).text
        assert " style=" not in page and "<style" not in page, url
        assert not INLINE_HANDLER.search(page), (url, INLINE_HANDLER.search(page))
        for tag in page.split("<script")[1:]:
            assert tag.lstrip().startswith("src="), (url, tag[:80])


# -- the Host check ---------------------------------------------------------------------------


def served_app(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, str]:
    """Run ``thematica serve`` with ``args`` up to the point where it would listen."""
    import uvicorn

    captured: dict[str, Any] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        captured.update(app=server.config.app)
        for sock in sockets or ():
            sock.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    monkeypatch.setattr("thematica.web.app.tune_gc", lambda: None)
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 0, result.output
    return captured["app"], result.output


def with_passwords(study: Path) -> None:
    """What a team server needs before it starts: a password for every member."""
    from thematica.service.administrator import ADMINISTRATOR

    with StudyService.open(str(study)) as s:
        for member in s.team():
            s.set_password(member.name, "hardening password 1", by=ADMINISTRATOR)


def test_a_team_bind_refuses_foreign_hosts(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_passwords(demo)
    app, output = served_app(monkeypatch, str(demo), "--host", "0.0.0.0", "--port", "0")
    name = socket.gethostname()
    assert name in output  # it says which names it answers to
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/login", headers={"Host": "attacker.example"}).status_code == 400
        assert c.get("/login", headers={"Host": "evil.example:8765"}).status_code == 400
        assert c.get("/login", headers={"Host": f"{name}:8765"}).status_code == 200
        assert c.get("/login", headers={"Host": "localhost:8765"}).status_code == 200


def test_allowed_hosts_named_on_the_command_line(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_passwords(demo)
    app, _ = served_app(
        monkeypatch,
        str(demo),
        "--host",
        "0.0.0.0",
        "--allowed-host",
        "thematica.lab.example",
        "--allowed-host",
        "10.1.2.3",
    )
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/login", headers={"Host": "thematica.lab.example"}).status_code == 200
        assert c.get("/login", headers={"Host": "10.1.2.3:8765"}).status_code == 200
        assert c.get("/login", headers={"Host": "attacker.example"}).status_code == 400


def test_a_wildcard_host_is_refused(demo: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(demo), "--allowed-host", "*"])
    assert result.exit_code == 2 and "*" in result.output and "Traceback" not in result.output
    with pytest.raises(ValueError):
        create_app(str(demo), hosts=["*"])


def test_loopback_binds_answer_loopback_names_with_any_port() -> None:
    hosts = allowed_hosts("127.0.0.1")
    assert set(hosts) == {"localhost", "127.0.0.1", "[::1]"}
    assert "[::1]" in allowed_hosts("::1")
    assert "127.0.0.2" in allowed_hosts("127.0.0.2")
    assert "*" not in allowed_hosts("0.0.0.0") and "*" not in allowed_hosts("::")
    assert "192.168.1.20" in allowed_hosts("192.168.1.20")
    assert "[fe80::1]" in allowed_hosts("0.0.0.0", ["fe80::1"])


def test_an_ipv6_loopback_host_header_is_accepted(demo: Path) -> None:
    with TestClient(create_app(str(demo), hosts=allowed_hosts("::1"))) as c:
        assert c.get("/identity", headers={"Host": "[::1]:8765"}).status_code == 200
        assert c.get("/identity", headers={"Host": "attacker.example"}).status_code == 400


# -- durability ---------------------------------------------------------------------------------


def test_a_served_sqlite_study_syncs_every_commit(demo: Path) -> None:
    app = create_app(str(demo))
    with app.state.service.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
