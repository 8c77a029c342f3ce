"""``thematica serve`` as a team server: on a non-loopback address, and for every PostgreSQL
study, it refuses to start (exit 2, one line naming the members and the commands that fix it)
until every active member who can see original text has a password; then it serves, and
everyone signs in."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service.accounts import ADMINISTRATOR

THEMATICA = [sys.executable, "-m", "thematica"]
PASSWORD = "a long pass phrase"


def refused(study: str, *args: str) -> str:
    done = subprocess.run(
        [*THEMATICA, "serve", study, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "http" not in done.stdout
    (line,) = done.stderr.strip().splitlines()
    return line


def serves(study: str, *args: str) -> None:
    """Starts, prints its address, answers GET /login there with 200 and / with a redirect to
    the sign-in page; then stops."""
    with subprocess.Popen(
        [*THEMATICA, "serve", study, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as server:
        try:
            _check(server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _check(server: subprocess.Popen[str]) -> None:
    assert server.stdout is not None
    line = server.stdout.readline()
    assert "Thematica workbench for" in line, line
    port = line.strip().rstrip("/").rsplit(":", 1)[1]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/login", timeout=5) as response:
                assert response.status == 200
                assert "Sign in" in response.read().decode()
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(base + "/", timeout=5)
    assert answer.value.code == 303 and answer.value.headers["location"].startswith("/login")
    answer.value.close()


def team(location: str) -> None:
    with StudyService.open(location) as s:
        s.add_member("Rachel Ames", MemberRole.LEAD, by=ADMINISTRATOR)
        s.add_member("Tom Okafor", MemberRole.CODER, by=ADMINISTRATOR)
        s.add_member("Helen Marsh", MemberRole.READER, by=ADMINISTRATOR)
        s.add_member("Anon Coder", MemberRole.CODER, by=ADMINISTRATOR, anonymised_only=True)


def passwords(location: str) -> None:
    with StudyService.open(location) as s:
        s.set_password("Rachel Ames", PASSWORD)
        s.set_password("Tom Okafor", PASSWORD + "!")


def test_a_postgresql_team_server_refuses_without_passwords_then_serves(
    postgres_location: str,
) -> None:
    StudyService.create(postgres_location, title="Team server").close()
    team(postgres_location)
    line = refused(postgres_location, "--host", "0.0.0.0", "--port", "0")
    assert line.startswith("Error: refusing to serve this PostgreSQL study to a team")
    assert "Rachel Ames, Tom Okafor have none" in line
    assert "Helen Marsh" not in line and "Anon Coder" not in line
    assert "thematica team passwd STUDY" in line and "thematica team invite STUDY" in line
    assert "postgresql" not in line  # the URL (it may hold a password) is not repeated
    # on loopback too: every PostgreSQL study is a team server
    assert "refusing to serve" in refused(postgres_location, "--port", "0")
    passwords(postgres_location)
    serves(postgres_location, "--host", "0.0.0.0", "--port", "0")


def test_a_sqlite_study_on_a_network_address_refuses_then_serves(tmp_path: Path) -> None:
    study = str(tmp_path / "s.thematica")
    StudyService.create(study, title="Team server").close()
    assert "needs a lead who can sign in" in refused(study, "--host", "0.0.0.0", "--port", "0")
    team(study)
    line = refused(study, "--host", "0.0.0.0", "--port", "0")
    assert f'thematica team passwd {study} "Rachel Ames"' in line
    assert "refusing" in refused(study, "--behind-proxy", "--port", "0")  # a proxy exposes it
    passwords(study)
    serves(study, "--host", "0.0.0.0", "--port", "0")
