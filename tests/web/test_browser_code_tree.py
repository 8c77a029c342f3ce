"""The code tree on the transcript page (issue 14, item 2) in real headless Chromium: code by
clicking a code, by dragging the selected words onto it and with a number key; a new code only
after a confirming Enter, under the chosen parent (in-vivo too); the filter reached with "/";
a bad drop changes nothing and says so; a large codebook opens collapsed and scrolls."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.web.conftest import shot, sign_in
from thematica.domain import Level
from thematica.importers.codebook import read_codebook
from thematica.service import StudyService
from thematica.web.app import create_app

CODER = "Tom Okafor"
STEPS = "Goals and activity > Graded steps"  # an existing code, by its path


def serve(study: Path) -> Iterator[str]:
    """The workbench on ``study`` over real HTTP, until the generator is closed."""
    import uvicorn

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
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    """A coder's page at 1366x768, signed in once for the module."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    p = context.new_page()
    p.set_default_timeout(15_000)
    sign_in(p, server[0], CODER)
    yield p
    context.close()


def codings(study: Path) -> list[tuple[str, int, int]]:
    with StudyService.open(str(study)) as s:
        return [(" > ".join(c.code), c.start, c.end) for c in s.codings(coder=CODER)]


def select_words(page: Page, turn: int, start: int, end: int) -> tuple[int, int]:
    """Select characters [start, end) of the ``turn``-th participant turn; answer the offsets."""
    found = page.evaluate(
        """([turn, start, end]) => {
            const p = document.querySelectorAll('#transcript .turn.participant p.text')[turn];
            const t = document.createTreeWalker(p, 4).nextNode(); const r = document.createRange(); r.setStart(t, start); r.setEnd(t, end);
            const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
            return Number(p.dataset.start);
        }""",
        [turn, start, end],
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    return int(found) + start, int(found) + end


def count_of(page: Page, path: str) -> int:
    """The count the tree shows beside ``path`` (0 when the code is not in the tree)."""
    return int(
        page.evaluate(
            """(path) => { const li = Array.from(document.querySelectorAll('#code-tree li.tree-node'))
                .find((n) => n.dataset.code === path);
                return li ? Number(li.querySelector(':scope > .row .count').textContent) : 0; }""",
            path,
        )
    )


def coded(page: Page, path: str, action: Callable[[], object]) -> None:
    """Do ``action``, which codes the selection with ``path``; wait until the stored coding is
    counted in the tree, after a reload of the page or without one."""
    before = count_of(page, path)
    page.evaluate("() => addEventListener('beforeunload', () => { window.leaving = true; })")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        action()
    assert posted.value.status == 201, posted.value.text()
    page.wait_for_function(
        """([path, n]) => !window.leaving && Array.from(document.querySelectorAll('#code-tree li.tree-node')).some((li) =>
            li.dataset.code === path && Number(li.querySelector(':scope > .row .count').textContent) === n)""",
        arg=[path, before + 1],
    )


def drag_words(page: Page, words: Locator, target: Locator) -> None:
    """Drag the selected words (starting in their first line) onto ``target`` with the mouse,
    in small steps as a hand does (Chromium starts a drag only after the mouse moves)."""
    source, goal = words.bounding_box(), target.bounding_box()
    assert source is not None and goal is not None
    page.mouse.move(source["x"] + 20, source["y"] + 8)
    page.mouse.down()
    page.mouse.move(source["x"] + 30, source["y"] + 10, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=8)
    page.mouse.up()


def open_transcript(page: Page, url: str, ref: str) -> None:
    page.goto(url + "/transcripts/" + ref)
    page.wait_for_selector("#code-tree ul.tree")


def test_code_by_clicking_a_code_in_the_tree(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    open_transcript(page, url, "1")
    start, end = select_words(page, 0, 0, 12)
    button = page.locator(f'#code-tree ul.tree button.code[data-code="{STEPS}"]')
    coded(page, STEPS, button.click)
    assert (STEPS, start, end) in codings(study)
    # the code is now first among the recently used, with the key 1, also after the reload
    page.wait_for_selector("#code-tree .recent:not([hidden])")
    assert (
        page.locator("#code-tree .recent-list button.code").first.get_attribute("data-code")
        == STEPS
    )
    shot(page, "code-tree-after-click")


def test_removing_a_coding_lowers_its_count_without_a_reload(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    open_transcript(page, url, "1")
    start, end = select_words(page, 2, 0, 10)
    button = page.locator(f'#code-tree ul.tree button.code[data-code="{STEPS}"]')
    coded(page, STEPS, button.click)
    before = count_of(page, STEPS)
    mine = (STEPS, start, end)
    page.evaluate("() => { window.stillThisPage = true; }")
    with StudyService.open(str(study)) as s:
        coding = next(
            c for c in s.codings(coder=CODER, transcript="1") if (c.start, c.end) == (start, end)
        )
    remove = page.locator(f'button.remove-coding[data-coding="{coding.id}"]')
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        remove.click()
    page.wait_for_function(
        """([path, n]) => Array.from(document.querySelectorAll('#code-tree li.tree-node')).some((li) =>
            li.dataset.code === path && Number(li.querySelector(':scope > .row .count').textContent) === n)""",
        arg=[STEPS, before - 1],
    )
    assert page.evaluate("() => window.stillThisPage === true")
    assert mine not in codings(study)
    # undoing the removal codes the words again, and counts them again
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#undo").click()
    page.wait_for_function(
        """([path, n]) => Array.from(document.querySelectorAll('#code-tree li.tree-node')).some((li) =>
            li.dataset.code === path && Number(li.querySelector(':scope > .row .count').textContent) === n)""",
        arg=[STEPS, before],
    )
    assert mine in codings(study)


def test_code_with_a_number_key(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    open_transcript(page, url, "1")
    page.evaluate(
        """(codes) => localStorage.setItem('thematica-recent:' +
            document.getElementById('code-tree').dataset.recentKey, JSON.stringify(codes))""",
        ["Pain and mood", STEPS],
    )
    page.reload()
    page.wait_for_selector("#code-tree .recent:not([hidden])")
    assert page.locator("#code-tree .recent-list kbd").all_inner_texts() == ["1", "2"]
    first = "Pain and mood"
    start, end = select_words(page, 1, 0, 9)
    page.locator("#transcript").focus()
    coded(page, first, lambda: page.keyboard.press("1"))
    assert (first, start, end) in codings(study)
    # a number with no recent code behind it says so and codes nothing
    before = codings(study)
    open_transcript(page, url, "1")
    select_words(page, 1, 0, 9)
    page.locator("#transcript").focus()
    page.keyboard.press("9")
    assert "No recently used code has the number 9" in page.inner_text("#message")
    assert codings(study) == before


def test_code_by_dragging_the_selection_onto_a_code(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    open_transcript(page, url, "2")
    page.locator("#code-tree-filter").fill("pain and mood")  # the code in view, as a coder would
    start, end = select_words(page, 3, 0, 20)
    words = page.locator("#transcript .turn.participant p.text").nth(3)
    target = page.locator('#code-tree ul.tree button.code[data-code="Pain and mood"]')
    words.evaluate("e => e.scrollIntoView({ block: 'center' })")  # the panel stays beside it
    coded(page, "Pain and mood", lambda: drag_words(page, words, target))
    assert ("Pain and mood", start, end) in codings(study)


def test_a_drop_on_something_that_is_not_a_code_changes_nothing(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    open_transcript(page, url, "2")
    select_words(page, 1, 0, 20)
    before = codings(study)
    words = page.locator("#transcript .turn.participant p.text").nth(1)
    words.evaluate("e => e.scrollIntoView({ block: 'center' })")
    drag_words(page, words, page.locator("#code-tree-head"))
    page.wait_for_function(
        "() => document.getElementById('message').textContent.startsWith('Not coded')"
    )
    assert "drop the selected words on a code" in page.inner_text("#message")
    assert codings(study) == before
    assert page.input_value("#code-input") == ""


def test_a_new_code_is_created_under_the_chosen_parent_after_confirming(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    open_transcript(page, url, "3")
    start, end = select_words(page, 0, 0, 15)
    before = codings(study)
    page.locator("#code-input").fill("Waiting for aspect 2")
    page.locator("#code-input").press("Enter")
    say = page.locator("#new-code-say")
    assert say.is_visible()
    assert "new code: Waiting for aspect 2" in say.inner_text()
    assert "press Enter again to create, choose its parent" in say.inner_text()
    assert codings(study) == before  # nothing is created by the first Enter
    page.locator("#new-parent").select_option("Goals and activity")
    shot(page, "code-tree-new-code")
    page.locator("#code-input").focus()
    path = "Goals and activity > Waiting for aspect 2"
    coded(page, path, lambda: page.locator("#code-input").press("Enter"))
    assert (path, start, end) in codings(study)
    with StudyService.open(str(study)) as s:
        code = next(c for c in s.codes(Level.ONE) if c.path[-1] == "Waiting for aspect 2")
    assert code.path == ("Goals and activity", "Waiting for aspect 2")


def test_an_in_vivo_code_goes_under_the_chosen_parent(server: tuple[str, Path], page: Page) -> None:
    url, study = server
    open_transcript(page, url, "3")
    start, end = select_words(page, 1, 0, 12)
    words = " ".join(page.evaluate("window.getSelection().toString()").split())
    before = codings(study)
    page.locator("#transcript").focus()
    page.keyboard.press("v")
    assert f"new code: {words}" in page.inner_text("#new-code-say")
    assert codings(study) == before
    page.locator("#new-parent").select_option("Pain and mood")
    coded(page, f"Pain and mood > {words}", lambda: page.locator("#new-parent").press("Enter"))
    assert (f"Pain and mood > {words}", start, end) in codings(study)


def test_slash_focuses_the_filter_and_the_filter_shows_matches_with_their_parents(
    server: tuple[str, Path], page: Page
) -> None:
    url, _ = server
    open_transcript(page, url, "1")
    page.locator("#transcript").focus()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "code-tree-filter"
    page.keyboard.type("graded")
    shown = page.locator("#code-tree ul.tree li.tree-node:visible")
    assert sorted(shown.evaluate_all("els => els.map(e => e.dataset.code)")) == [
        "Goals and activity",
        STEPS,
    ]
    assert "1 of" in page.inner_text("#code-tree-status")
    page.keyboard.press("ArrowDown")  # into the tree, to the first code shown
    assert page.evaluate("document.activeElement.dataset.code") == "Goals and activity"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.code") == STEPS
    page.locator("#code-tree-filter").fill("")
    assert page.locator("#code-tree ul.tree li.tree-node:visible").count() > 20


def test_the_help_lists_the_new_keys(server: tuple[str, Path], page: Page) -> None:
    url, _ = server
    open_transcript(page, url, "1")
    page.locator("#transcript").focus()
    page.keyboard.press("?")
    help_text = page.inner_text("#help")
    assert "Apply a recently used code" in help_text and "Filter the code tree" in help_text
    page.keyboard.press("Escape")


def test_natural_order_in_the_browser_is_pythons(server: tuple[str, Path], page: Page) -> None:
    from thematica.natural_sort import natural_key

    url, _ = server
    open_transcript(page, url, "1")
    names = [
        "aspect 10",
        "aspect 2",
        "Aspect 1",
        "a01",
        "a1",
        "b",
        "Ä 3",
        "x9y10",
        "x9y9",
        "",
        "10",
    ]
    in_js = page.evaluate("(names) => names.slice().sort(window.thematicaNaturalCompare)", names)
    assert in_js == sorted(names, key=natural_key)


# -- a large codebook ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with 300 level-one codes more: 30 parents of 10 aspects each."""
    folder = tmp_path_factory.mktemp("large-tree")
    study = folder / "demo.thematica"
    shutil.copy(built, study)
    shutil.copy(built.with_name("demo.thematica-key"), folder / "demo.thematica-key")
    rows = ["path,description,colour"] + [
        f"Area {a} > aspect {n},,#{(a * 37) % 256:02x}{(n * 53) % 256:02x}80"
        for a in range(1, 31)
        for n in range(1, 11)
    ]
    with StudyService.open(str(study)) as s:
        s.import_codebook(read_codebook("\n".join(rows).encode(), "many.csv"), source="test")
    yield from serve(study)


def test_a_large_codebook_opens_collapsed_and_the_panel_scrolls(
    browser: Browser, large: str
) -> None:
    url = large
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, url, CODER)
    open_transcript(page, url, "1")
    tree = page.locator("#code-tree ul.tree")
    assert tree.get_attribute("data-collapsed") == "yes"
    assert page.locator('#code-tree li.tree-node[data-code="Area 1 > aspect 1"]').is_hidden()
    # natural order: aspect 2 before aspect 10, Area 2 before Area 10
    page.locator('#code-tree li.tree-node[data-code="Area 1"] > .row .twisty').click()
    order = page.locator('#code-tree li.tree-node[data-code="Area 1"] > ul > li').evaluate_all(
        "els => els.map(e => e.dataset.name)"
    )
    assert order == [f"aspect {n}" for n in range(1, 11)]
    tops = tree.locator(":scope > li").evaluate_all("els => els.map(e => e.dataset.name)")
    areas = [t for t in tops if t.startswith("Area ")]
    assert areas == [f"Area {a}" for a in range(1, 31)]
    box = page.locator("#code-tree .tree-scroll").bounding_box()
    assert box is not None and box["height"] < 768 / 2
    panel = page.locator("aside.panel").bounding_box()
    assert panel is not None and panel["height"] <= 768
    shot(page, "code-tree-large")
    # filtering reaches a closed branch's code
    page.locator("#transcript").focus()
    page.keyboard.press("/")
    page.keyboard.type("aspect 10")
    assert page.locator('#code-tree li.tree-node[data-code="Area 7 > aspect 10"]').is_visible()
    assert page.locator('#code-tree li.tree-node[data-code="Area 7 > aspect 1"]').is_hidden()
    shot(page, "code-tree-large-filtered")
    context.close()
