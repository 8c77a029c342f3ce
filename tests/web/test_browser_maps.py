"""Issue 14 in real headless Chromium: the theme map on the themes page (loaded, visible, no
serious accessibility fault), a table downloaded through its page link, and the codebook's
re-parenting by dragging a code's handle and by the keyboard's "Move…"; a move inside itself is
refused inline and changes nothing. Screenshots at 1366x768 and at 200 % zoom."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.domain import Level
from thematica.service import StudyService

LEAD = "Rachel Ames"
PAGES = [
    ("map-themes", "/themes"),
    ("map-codebook", "/codebook"),
    ("map-agreement", "/analysis/agreement"),
    ("map-matrix", "/analysis/matrix?by=group"),
]


@pytest.fixture(scope="module")
def page(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(15_000)
    sign_in(p, server[0], LEAD)
    yield p
    context.close()


@pytest.fixture(scope="module")
def zoomed(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    """As at 200 % browser zoom on a 1366x768 screen."""
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    p = context.new_page()
    p.set_default_timeout(15_000)
    sign_in(p, server[0], LEAD)
    yield p
    context.close()


def map_loaded(page: Page) -> None:
    image = page.locator("img.map-image").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.map-image'); return i && i.complete; }"
    )
    assert image.evaluate("i => i.naturalWidth") > 0
    assert image.is_visible()
    box = image.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100


def test_see_the_theme_map_on_the_themes_page(server: tuple[str, Path], page: Page) -> None:
    url, _ = server
    page.goto(url + "/themes")
    map_loaded(page)
    alt = page.locator("img.map-image").first.get_attribute("alt") or ""
    assert alt.startswith("Theme map: 2 overarching themes")
    assert page.get_by_role("link", name="SVG of figure1-theme-map").is_visible()
    assert page.get_by_role("link", name="PNG of figure1-theme-map").is_visible()
    assert violations(page) == []
    page.locator("#theme-map").scroll_into_view_if_needed()
    shot(page, "map-themes-map")


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_pages_at_1366_and_200_percent(
    server: tuple[str, Path], page: Page, zoomed: Page, name: str, path: str
) -> None:
    url, _ = server
    for p, suffix in ((page, ""), (zoomed, "-zoom")):
        response = p.goto(url + path)
        assert response is not None and response.status == 200
        if path == "/themes":
            map_loaded(p)
            shot(p, name + "-map" + suffix)
            p.evaluate("window.scrollTo(0, 0)")
        overflow = p.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        assert violations(p) == [], path
        shot(p, name + suffix)


def test_download_the_matrix_as_csv_from_its_page(server: tuple[str, Path], page: Page) -> None:
    url, _ = server
    page.goto(url + "/analysis/matrix?by=group")
    twin = page.request.get(url + "/api/analysis/matrix?by=group").json()
    with page.expect_download() as found:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = found.value
    assert download.suggested_filename == "matrix-group-level-2.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == [" > ".join(r["path"]) for r in twin["rows"]]
    first = twin["rows"][0]["cells"][0]
    assert rows[1][3:7] == [
        str(first["participants"]),
        str(first["total"]),
        first["phrase"],
        str(first["codings"]),
    ]


# -- re-parenting in the codebook ----------------------------------------------------------------


def code_path(study: Path, code_id: int) -> tuple[str, ...]:
    with StudyService.open(str(study)) as s:
        return s.code_by_id(code_id).path


def node(page: Page, path: str) -> Locator:
    return page.locator(f'#level-2-tree li.tree-node[data-code="{path}"]')


def drag(page: Page, handle: Locator, target: Locator) -> None:
    """Drag with the mouse in small steps, as a hand does (Chromium starts a drag only after
    the mouse moves); both in view first."""
    handle.evaluate("el => el.scrollIntoView({ block: 'center' })")
    source, goal = handle.bounding_box(), target.bounding_box()
    assert source is not None and goal is not None
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(source["x"] + 10, source["y"] + 6, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=10)
    page.mouse.up()


def test_a_move_inside_itself_is_refused_inline(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    page.goto(url + "/codebook")
    parent = node(page, "Goals and activity")
    child = node(page, "Goals and activity > Small wins")
    code_id = int(parent.get_attribute("data-id") or 0)
    before = code_path(study, code_id)
    drag(page, parent.locator(":scope > .row .handle"), child.locator(":scope > .row"))
    message = page.locator("#tree-message")
    message.filter(has_text="cannot go inside itself").wait_for()
    assert "message error" in (message.get_attribute("class") or "")
    assert page.url == url + "/codebook"  # not reloaded
    assert code_path(study, code_id) == before == ("Goals and activity",)


def test_drag_a_codes_handle_onto_another_code(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    page.goto(url + "/codebook")
    moving = node(page, "Goals and activity > Small wins")
    code_id = int(moving.get_attribute("data-id") or 0)
    target = node(page, "Group")
    drag(page, moving.locator(":scope > .row .handle"), target.locator(":scope > .row"))
    page.wait_for_url(lambda u: "/codebook?done=" in u and u.endswith(f"#c{code_id}"))
    assert code_path(study, code_id) == ("Group", "Small wins")
    assert node(page, "Group > Small wins").is_visible()
    assert "Small wins" in (page.locator("p.notice").first.text_content() or "")


def test_move_a_code_with_the_keyboard_only(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    page.goto(url + "/codebook")
    moving = node(page, "Group > Small wins")
    code_id = int(moving.get_attribute("data-id") or 0)
    link = moving.locator(":scope > .row .move-open")
    page.keyboard.press("Tab")  # keyboard from here on: Tab until "Move…" of the code has focus
    for _ in range(200):
        if link.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the code's Move… link")
    page.keyboard.press("Enter")
    select = page.locator(f"#move-to-{code_id}")
    assert select.evaluate("el => el === document.activeElement")
    options = select.locator("option").evaluate_all("os => os.map(o => o.textContent)")
    assert "Group > Small wins" not in options  # not inside itself
    steps = options.index("Goals and activity") - options.index("Group")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    assert select.evaluate("el => el.selectedOptions[0].textContent") == "Goals and activity"
    page.keyboard.press("Tab")  # to the "Move" button
    page.keyboard.press("Enter")
    page.wait_for_url(lambda u: "/codebook?done=" in u and u.endswith(f"#c{code_id}"))
    assert code_path(study, code_id) == ("Goals and activity", "Small wins")
    with StudyService.open(str(study)) as s:
        assert ("Group", "Small wins") not in {c.path for c in s.codes(Level.TWO)}
