"""Shared fixtures for the workbench's browser tests: the demo study served over real HTTP, and
real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), one of each per test
module. Without Chromium these tests are skipped, unless THEMATICA_REQUIRE_BROWSER=1
(``scripts/test`` sets it, and installs Chromium). Screenshots go to test-results/screenshots/.

The pages run under a Content-Security-Policy with no inline script and no eval, so in tests:
give ``wait_for_function`` a function (``"() => ..."``), not an expression (Playwright evals an
expression while it polls), and inject scripts with ``page.evaluate``, not ``add_script_tag``
(which adds an inline ``<script>``)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from thematica.service import StudyService
from thematica.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("THEMATICA_REQUIRE_BROWSER") == "1":
            raise RuntimeError(
                f"THEMATICA_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed")


@pytest.fixture(scope="session")
def built(demo_template: Path) -> Path:
    """The demo study, built once per test run; tests get copies."""
    return demo_template


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo study for one test."""
    copy = tmp_path / "demo.thematica"
    shutil.copy(built, copy)
    return copy


@pytest.fixture
def client(demo: Path) -> Iterator[TestClient]:
    """The workbench on ``demo`` through its HTTP interface, signed out."""
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as c:
        yield c


def sign_in_client(client: TestClient, name: str = "Tom Okafor") -> None:
    """Choose who you are through the identity form."""
    response = client.post("/identity", data={"name": name}, follow_redirects=False)
    assert response.status_code == 303


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Iterator[tuple[str, Path]]:
    import uvicorn

    folder = tmp_path_factory.mktemp("web")
    study = folder / "demo.thematica"
    shutil.copy(built, study)  # with its key file, as `thematica demo` leaves it
    shutil.copy(built.with_name("demo.thematica-key"), folder / "demo.thematica-key")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(str(study)), host="127.0.0.1", port=port, log_level="warning"
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
def browser(server: tuple[str, Path]) -> Iterator[Browser]:
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser_page(browser: Browser) -> Iterator[Page]:
    """A page at 1366x768."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Page, url: str, name: str) -> None:
    """Choose who you are on the identity page."""
    page.goto(url + "/identity")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(url + "/")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def codings_by(study: Path, coder: str) -> list[tuple[str, str]]:
    with StudyService.open(str(study)) as s:
        return [(" > ".join(c.code), c.text) for c in s.codings(coder=coder)]
