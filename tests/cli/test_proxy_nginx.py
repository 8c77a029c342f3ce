"""The README's team-server deployment, tested as written (issue 10, item 3).

The README's nginx configuration is taken from README.md exactly as printed (the fenced block
after the ``tested as written by tests/cli/test_proxy_nginx.py`` marker) with only what a reader
substitutes: the certificate paths, the workbench's port and the ports nginx listens on (free
high ports on 127.0.0.1 here). The workbench runs with the systemd unit's own ``ExecStart``
arguments (from the README too), nginx in the foreground with a self-signed certificate, and
a client signs in over HTTPS through it.

Without nginx (or openssl, or systemd-analyze) these tests skip with one line, unless
THEMATICA_REQUIRE_PROXY=1 (``scripts/test`` sets it, and ``scripts/setup --system`` installs
them)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service.accounts import ADMINISTRATOR
from thematica.service.audit import AuditFilter

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MARKER = "<!-- tested as written by tests/cli/test_proxy_nginx.py -->"
THEMATICA = [sys.executable, "-m", "thematica"]
NAME = "thematica.lab.example"  # the README's server name, kept: it is the unit's --allowed-host
PASSWORDS = {"Rachel Ames": "a long pass phrase", "Tom Okafor": "another long phrase"}
SPOOFED = "203.0.113.9"  # what a client claims in its own X-Forwarded-For


def tool(name: str, package: str) -> str:
    """The path of a system program the deployment tests need; skip (one line) without it,
    or fail under THEMATICA_REQUIRE_PROXY=1."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        why = f"{name} is not installed (apt-get install {package})"
        if os.environ.get("THEMATICA_REQUIRE_PROXY") == "1":
            pytest.fail(f"THEMATICA_REQUIRE_PROXY=1 but {why}")
        pytest.skip(why)
    return found


def readme_block(language: str) -> str:
    """The fenced ``language`` block right after the marker, as printed."""
    text = README.read_text(encoding="utf-8")
    found = re.findall(rf"{re.escape(MARKER)}\n```{language}\n(.*?)\n```", text, flags=re.S)
    assert len(found) == 1, f"README.md: one ```{language} block after {MARKER!r}"
    return str(found[0])


def substitute(text: str, replacements: dict[str, str]) -> str:
    """Each placeholder must be there: a README that changes them fails here, loudly."""
    for old, new in replacements.items():
        assert old in text, f"README's block no longer has {old!r}"
        text = text.replace(old, new)
    return text


def exec_start() -> list[str]:
    """The systemd unit's ExecStart, split as systemd splits it."""
    (line,) = [x for x in readme_block("ini").splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def free_ports() -> tuple[int, int]:
    """Two different free ports on 127.0.0.1 (both held open while asking, so not the same)."""
    with socket.socket() as one, socket.socket() as two:
        one.bind(("127.0.0.1", 0))
        two.bind(("127.0.0.1", 0))
        return int(one.getsockname()[1]), int(two.getsockname()[1])


def study_with_passwords(folder: Path) -> str:
    study = str(folder / "msk.thematica")
    StudyService.create(study, title="Behind nginx").close()
    with StudyService.open(study) as s:
        s.add_member("Rachel Ames", MemberRole.LEAD, by=ADMINISTRATOR)
        s.add_member("Tom Okafor", MemberRole.CODER, by=ADMINISTRATOR)
        for name, password in PASSWORDS.items():
            s.set_password(name, password)
    return study


@dataclass(frozen=True)
class Deployment:
    study: str
    tls: int  # nginx's HTTPS port (the README's 443)
    plain: int  # nginx's HTTP port (the README's 80)
    certificate: Path

    def client(self, source: str) -> httpx.Client:
        """An HTTPS client connecting from ``source`` (a loopback address), trusting only the
        test's certificate, addressing the server by the README's name."""
        context = ssl.create_default_context(cafile=str(self.certificate))
        transport = httpx.HTTPTransport(verify=context, local_address=source)
        return httpx.Client(
            transport=transport,
            base_url=f"https://127.0.0.1:{self.tls}",
            headers={"Host": NAME},
            timeout=30,
        )


def certificate(folder: Path, openssl: str) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={NAME}", "-keyout", str(key), "-out", str(cert),
            "-addext", f"subjectAltName=DNS:{NAME},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def nginx_conf(folder: Path, app_port: int, tls: int, plain: int, cert: Path, key: Path) -> Path:
    """The README's server blocks inside the smallest nginx.conf that runs them from ``folder``
    (pid, logs and temporary files there, nothing under /etc or /var)."""
    servers = substitute(
        readme_block("nginx"),
        {
            "listen 443 ssl;": f"listen 127.0.0.1:{tls} ssl;",
            "listen 80;": f"listen 127.0.0.1:{plain};",
            f"/etc/ssl/certs/{NAME}.pem": str(cert),
            f"/etc/ssl/private/{NAME}.key": str(key),
            "127.0.0.1:8765": f"127.0.0.1:{app_port}",
        },
    )
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n{servers}\n}}\n",
        encoding="utf-8",
    )
    return conf


def wait_for(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                shown = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"{what} did not start: {shown[-2000:]}")
            time.sleep(0.1)


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    nginx = tool("nginx", "nginx-light")
    cert, key = certificate(tmp_path, tool("openssl", "openssl"))
    study = study_with_passwords(tmp_path)
    # the unit's ExecStart, with the study here and any free port (nginx is told which)
    program, *args = exec_start()
    assert program.endswith("/bin/thematica") and args[0] == "serve", program
    args = shlex.split(
        substitute(
            shlex.join(args),
            {"/srv/thematica/msk.thematica": shlex.quote(study), "--port 8765": "--port 0"},
        )
    )
    app_log = tmp_path / "serve.log"
    with (
        app_log.open("wb") as errors,
        subprocess.Popen([*THEMATICA, *args], stdout=subprocess.PIPE, stderr=errors) as app,
    ):
        try:
            assert app.stdout is not None
            line = app.stdout.readline().decode()
            assert "Thematica workbench for" in line, app_log.read_text()
            app_port = int(line.strip().rstrip("/").rsplit(":", 1)[1])
            tls, plain = free_ports()
            conf = nginx_conf(tmp_path, app_port, tls, plain, cert, key)
            command = [
                nginx,
                "-p",
                str(tmp_path),
                "-e",
                str(tmp_path / "error.log"),
                "-c",
                str(conf),
            ]
            checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
            assert checked.returncode == 0, checked.stderr
            with subprocess.Popen(
                [*command, "-g", "daemon off;"], stderr=subprocess.DEVNULL
            ) as proxy:
                try:
                    wait_for(tls, proxy, "nginx", tmp_path / "error.log")
                    wait_for(plain, proxy, "nginx", tmp_path / "error.log")
                    yield Deployment(study, tls, plain, cert)
                finally:
                    proxy.terminate()
                    proxy.wait(timeout=30)
        finally:
            app.terminate()
            app.wait(timeout=30)


def cookie_attributes(response: httpx.Response, name: str) -> tuple[str, set[str]]:
    """The value and the lower-cased attributes of the ``Set-Cookie`` for ``name``."""
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(name + "=")]
    first, *attributes = (part.strip() for part in header.split(";"))
    return first.split("=", 1)[1], {a.lower() for a in attributes}


def sign_in(client: httpx.Client, name: str) -> str:
    """Sign in through the form as a browser does (the form's token and its cookie, the Origin
    a browser sends from the README's https://thematica.lab.example), with a forged
    X-Forwarded-For; returns the session token."""
    form = client.get("/login", headers={"X-Forwarded-For": SPOOFED})
    assert form.status_code == 200 and "Sign in" in form.text
    token = re.search(r'name="form_token" value="([^"]+)"', form.text)
    assert token is not None
    login_cookie, login_attributes = cookie_attributes(form, "thematica_login")
    assert {"secure", "httponly", "samesite=strict"} <= login_attributes
    answer = client.post(
        "/login",
        data={"name": name, "password": PASSWORDS[name], "form_token": token[1], "next": "/"},
        headers={
            "Cookie": f"thematica_login={login_cookie}",
            "Origin": f"https://{NAME}",  # own origin only if X-Forwarded-Proto said https
            "X-Forwarded-For": SPOOFED,
        },
    )
    assert answer.status_code == 303, answer.text
    session, attributes = cookie_attributes(answer, "thematica_session")
    # Secure: the app saw https, which only X-Forwarded-Proto from the trusted proxy tells it
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= attributes, attributes
    page = client.get("/", headers={"Cookie": f"thematica_session={session}"})
    assert page.status_code == 200 and name in page.text
    return session


def test_the_readme_nginx_configuration_serves_the_team_over_https(
    deployment: Deployment,
) -> None:
    # a member elsewhere (127.0.0.2 stands for another machine: not the proxy's address)
    with deployment.client("127.0.0.2") as remote:
        unsigned = remote.get("/")
        assert unsigned.status_code == 303 and unsigned.headers["location"].startswith("/login")
        sign_in(remote, "Rachel Ames")
        # the Host header is passed on, and the workbench still answers only its own name
        assert remote.get("/login", headers={"Host": "elsewhere.example"}).status_code == 400
    # someone on the proxy's own machine, whose forged header would be believed if nginx
    # passed it on ($proxy_add_x_forwarded_for): the proxy's address is trusted
    with deployment.client("127.0.0.1") as local:
        sign_in(local, "Tom Okafor")

    with StudyService.open(deployment.study) as s:
        signins = s.audit_log(AuditFilter(action="signin.success")).entries
        every = s.audit_log().entries
    assert {e.actor: e.client for e in signins} == {
        "Rachel Ames": "127.0.0.2",
        "Tom Okafor": "127.0.0.1",
    }
    assert every and all(SPOOFED not in e.client for e in every)


def test_plain_http_is_refused_on_the_https_port_and_redirected_on_port_80(
    deployment: Deployment,
) -> None:
    with httpx.Client(headers={"Host": NAME}, timeout=30) as plain:
        on_tls = plain.get(f"http://127.0.0.1:{deployment.tls}/login")
        assert on_tls.status_code == 400 and "Sign in" not in on_tls.text
        on_80 = plain.get(f"http://127.0.0.1:{deployment.plain}/login?next=/team")
        assert on_80.status_code == 301
        assert on_80.headers["location"] == f"https://{NAME}/login?next=/team"


def test_the_readme_systemd_unit_starts_a_valid_serve_command(tmp_path: Path) -> None:
    """The unit's ExecStart arguments are a valid ``thematica serve`` command line: with the
    study missing, the one complaint is about the study, not about an option (the deployment
    test above runs them with a study)."""
    _program, *args = exec_start()
    done = subprocess.run(
        [*THEMATICA, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    (line,) = done.stderr.strip().splitlines()
    assert done.returncode == 2 and line.endswith(
        "/srv/thematica/msk.thematica: no such study file"
    )


def test_the_readme_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """systemd's own check of the unit, with ExecStart's program one that exists here."""
    analyze = tool("systemd-analyze", "systemd")
    program = exec_start()[0]
    thematica = Path(sys.executable).with_name("thematica")
    assert thematica.exists(), thematica
    unit = tmp_path / "thematica.service"
    unit.write_text(
        substitute(readme_block("ini"), {program: str(thematica)}) + "\n", encoding="utf-8"
    )
    checked = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=120
    )
    # it exits 0 even for an unknown key or a bad value, so nothing may be printed at all
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), (
        checked.stdout + checked.stderr
    )
