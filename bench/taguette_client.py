"""Taguette 1.5.2 for the side-by-side benchmark: installed from PyPI into its own virtualenv
(a cache folder, never the project's environment), started on 127.0.0.1 in single-user mode with
its own SQLite database through bench/taguette_launch.py (no message check, no network), and
driven over HTTP as its web page drives it (the single-user token, its ``_xsrf`` cookie echoed
in ``X-XSRFToken``)."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

VERSION = "1.5.2"
LAUNCHER = Path(__file__).resolve().parent / "taguette_launch.py"


def default_venv() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "thematica-bench" / f"taguette-{VERSION}"


def ensure_installed(venv: Path) -> Path:
    """Taguette's interpreter in ``venv``, installing ``taguette==1.5.2`` from PyPI the first
    time (a marker file records a complete install)."""
    python = venv / "bin" / "python"
    marker = venv / f".taguette-{VERSION}-installed"
    if marker.exists() and python.exists():
        return python
    print(f"installing taguette=={VERSION} into {venv} (once)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"taguette=={VERSION}"], check=True
    )
    found = subprocess.run(
        [str(python), "-I", "-c", "import taguette; print(taguette.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != VERSION:
        raise SystemExit(f"installed Taguette {found}, expected {VERSION}")
    marker.write_text(VERSION + "\n")
    return python


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TaguetteServer:
    """One Taguette process on a fresh database in ``folder``."""

    python: Path
    folder: Path
    port: int = 0
    token: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> TaguetteServer:
        self.port = free_port()
        out = (self.folder / "taguette.out").open("wb")
        err = (self.folder / "taguette.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(self.python),
                "-I",
                str(LAUNCHER),
                "--no-browser",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--database",
                str(self.folder / "taguette.sqlite3"),
            ],
            stdout=out,
            stderr=err,
            cwd=self.folder,
        )
        out.close()
        err.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"\?token=([0-9a-f]+)", (self.folder / "taguette.out").read_text())
            if found:
                self.token = found.group(1)
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"Taguette did not start: {self.log()[-2000:]}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        path = self.folder / "taguette.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def blocked(self) -> list[str]:
        """Network access the launcher refused (must be none)."""
        return [line for line in self.log().splitlines() if line.startswith("BLOCKED")]

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Browser:
    """One keep-alive connection with a cookie jar, as a browser tab."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection = field(init=False)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, url, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, data, {k.lower(): v for k, v in response.getheaders()})

    def close(self) -> None:
        self.conn.close()


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with ``fields`` and one file; the body and its content type."""
    boundary = "----thematica-bench-" + secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{quote(filename)}"\r\nContent-Type: text/html\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class TaguetteUser:
    """The single user of a Taguette started by TaguetteServer, signed in with its token."""

    def __init__(self, server: TaguetteServer) -> None:
        self.browser = Browser(server.port)
        answer = self.browser.request("GET", f"/?token={server.token}")
        if "user" not in self.browser.cookies:
            raise SystemExit(f"Taguette's token did not sign in: {answer.status}")
        self.browser.request("GET", "/project/new")  # sets the _xsrf cookie
        if "_xsrf" not in self.browser.cookies:
            raise SystemExit("Taguette set no _xsrf cookie")
        self.project = 0

    def _check(self, answer: Answer, what: str, wanted: tuple[int, ...] = (200,)) -> Answer:
        if answer.status not in wanted:
            raise SystemExit(f"Taguette {what}: {answer.status} {answer.body[:300]!r}")
        return answer

    def _post_json(self, url: str, payload: object) -> Answer:
        return self.browser.request(
            "POST",
            url,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", "X-XSRFToken": self.browser.cookies["_xsrf"]},
        )

    def new_project(self, name: str) -> int:
        form = urlencode({"name": name, "description": "", "_xsrf": self.browser.cookies["_xsrf"]})
        answer = self._check(
            self.browser.request(
                "POST",
                "/project/new",
                form.encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
            "new project",
            (302, 303),
        )
        self.project = int(answer.headers["location"].rstrip("/").rsplit("/", 1)[1])
        return self.project

    def add_tag(self, path: str) -> int:
        url = f"/api/project/{self.project}/tag/new"
        answer = self._check(self._post_json(url, {"path": path, "description": ""}), "tag")
        return int(answer.json()["id"])

    def upload(self, name: str, filename: str, data: bytes) -> int:
        body, content_type = multipart(
            {"name": name, "description": "", "text_direction": "LEFT_TO_RIGHT"},
            "file",
            filename,
            data,
        )
        answer = self.browser.request(
            "POST",
            f"/api/project/{self.project}/document/new",
            body,
            {"Content-Type": content_type, "X-XSRFToken": self.browser.cookies["_xsrf"]},
        )
        return int(self._check(answer, f"upload {filename}").json()["created"])

    def add_highlight(self, document: int, start: int, end: int, tag: int) -> int:
        url = f"/api/project/{self.project}/document/{document}/highlight/new"
        payload = {"start_offset": start, "end_offset": end, "tags": [tag]}
        return int(self._check(self._post_json(url, payload), "highlight").json()["id"])

    def page(self, document: int) -> Answer:
        url = f"/project/{self.project}/document/{document}"
        return self._check(self.browser.request("GET", url), "document page")

    def info(self, document: int) -> Answer:
        """The document's highlights and direction (the page asks for these on opening it)."""
        url = f"/api/project/{self.project}/document/{document}"
        return self._check(self.browser.request("GET", url), "document info")

    def contents(self, document: int) -> Answer:
        """The document's text (asked for alongside ``info``)."""
        url = f"/api/project/{self.project}/document/{document}/contents"
        return self._check(self.browser.request("GET", url), "document contents")

    def export_project(self) -> Answer:
        url = f"/project/{self.project}/export/project.sqlite3"
        return self._check(self.browser.request("GET", url), "project export")

    def export_codebook(self) -> Answer:
        url = f"/project/{self.project}/export/codebook.qdc"
        return self._check(self.browser.request("GET", url), "codebook export")
