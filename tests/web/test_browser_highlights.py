"""Coded text on the transcript page (issue 14, items 1 and 3), in real Chromium, with the mouse
and with the keyboard alone: a coded span is highlighted in its code's colour without a reload,
the stripe beside it carries the code's name, focusing it tells code and coder; the coder filter
and colours by coder; a boundary handle dragged (and moved with the arrow keys) changes the
stored offsets; a handle dropped outside its turn, or a stale tab, gets an inline message and the
stored coding stays as it was. Screenshots at 1366x768 and at 200 % zoom; axe-clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.service import CodingChange, StudyService

CODER = "Tom Okafor"
CODE = "Pain and mood > Pain lowers mood"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def rgb_of(css: str) -> tuple[int, ...]:
    """``rgba(31, 119, 180, 0.28)`` -> (31, 119, 180)."""
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(int(float(x)) for x in inside.split(",")[:3])


@pytest.fixture(scope="module")
def page(browser_page: Page, server: tuple[str, Path]) -> Page:
    url, _ = server
    sign_in(browser_page, url, CODER)
    return browser_page


def colour_of(page: Page, url: str, code: str) -> str:
    data = page.request.get(url + "/api/transcripts/1").json()
    return next(c["colour"] for c in data["codes"] if c["path"] == code)


def select_words(page: Page, turn: str, words: int) -> str:
    """Select the first ``words`` words of the turn (a CSS selector) and return them."""
    return str(
        page.evaluate(
            """([sel, n]) => { const p = document.querySelector(sel + ' p.text');
                 const text = p.textContent; let i = 0;
                 for (let w = 0; w < n; w++) { while (i < text.length && /\\s/.test(text[i])) i++;
                                               while (i < text.length && !/\\s/.test(text[i])) i++; }
                 const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                 const node = walker.nextNode();
                 const r = document.createRange(); r.setStart(node, 0); r.setEnd(node, i);
                 const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
                 return s.toString(); }""",
            [turn, words],
        )
    )


def uncoded_turn(page: Page) -> str:
    position = page.evaluate(
        """() => Array.from(document.querySelectorAll('#transcript .turn.participant'))
                 .find(t => !t.querySelector('mark') && t.querySelector('p.text').firstChild
                            && t.querySelector('p.text').textContent.split(/\\s+/).length > 12)
                 .dataset.position"""
    )
    return f'#transcript .turn[data-position="{position}"]'


def test_a_coded_span_is_highlighted_in_its_codes_colour_without_a_reload(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    page.goto(url + "/transcripts/1")
    page.evaluate("() => { window.stillThisPage = true; }")  # gone if the page reloads
    turn = uncoded_turn(page)
    words = select_words(page, turn, 4)
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    assert not any(ch.isdigit() for ch in page.inner_text("#selection"))  # no offsets shown
    page.fill("#code-input", CODE)
    page.click("#apply")
    mark = page.locator(f"{turn} p.text mark.hl")
    mark.first.wait_for()
    assert page.evaluate("() => window.stillThisPage === true")
    assert mark.first.inner_text() == words
    background = mark.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert rgb_of(background) == rgb(colour_of(page, url, CODE))
    underline = mark.first.evaluate("m => getComputedStyle(m).borderBottomColor")
    assert rgb_of(underline) == rgb(colour_of(page, url, CODE))
    # stored as selected
    with StudyService.open(str(study)) as s:
        mine = [c for c in s.codings(coder=CODER) if c.text == words]
    assert [" > ".join(c.code) for c in mine] == [CODE]
    # the stripe beside it is labelled with the code's name, and sits beside its line only
    stripe = page.locator(f'{turn} .stripe[data-coding="{mine[0].id}"]')
    assert stripe.inner_text() == "Pain lowers mood"
    box, text_box = stripe.bounding_box(), page.locator(f"{turn} p.text").bounding_box()
    assert box and text_box and box["height"] < text_box["height"] / 2
    # focusing the highlight tells code and coder (a tooltip, and its description)
    page.keyboard.press("Escape")
    mark.first.focus()
    tip = mark.first.evaluate("m => getComputedStyle(m, '::after').content")
    assert CODE in tip and CODER in tip
    described = mark.first.get_attribute("aria-describedby")
    assert CODE in page.inner_text(f"#{described}") and CODER in page.inner_text(f"#{described}")
    assert CODE in (mark.first.get_attribute("title") or "")
    shot(page, "transcript-highlight")
    # the selection is kept, and the undo is offered at once
    assert page.locator("#undo-line").is_visible()


def test_keyboard_only_coding_shows_the_highlight_without_a_reload(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    page.goto(url + "/transcripts/2")
    page.evaluate("() => { window.stillThisPage = true; }")
    with StudyService.open(str(study)) as s:
        before = len(s.codings(coder=CODER))
    marks = page.evaluate("() => document.querySelectorAll('#transcript mark.hl.mine').length")
    page.locator("body").focus()
    for _ in range(4):
        page.keyboard.press("j")
    page.keyboard.press("s")
    page.keyboard.press("[")  # one word less at the end
    page.keyboard.press("c")
    page.keyboard.type(CODE)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(n) => document.querySelectorAll('#transcript mark.hl.mine').length > n", arg=marks
    )
    assert page.evaluate("() => window.stillThisPage === true")
    with StudyService.open(str(study)) as s:
        assert len(s.codings(coder=CODER)) == before + 1


def mine_in(page: Page, transcript: int, tall: int = 300) -> tuple[str, int]:
    """A turn holding one of my codings alone in its lane, and that coding's id."""
    found = page.evaluate(
        """(tall) => { for (const b of document.querySelectorAll('#transcript button.edit-coding')) {
                     const turn = b.closest('.turn');
                     const marks = turn.querySelectorAll('mark[data-coding="' + b.dataset.coding + '"]');
                     const p = turn.querySelector('p.text');
                     if (marks.length && turn.getBoundingClientRect().height < tall
                         && Number(b.dataset.end) < Number(turn.dataset.end) - 20
                         && Number(b.dataset.start) >= Number(turn.dataset.start))
                       return [turn.dataset.position, Number(b.dataset.coding)]; } return null; }""",
        tall,
    )
    assert found, f"no coding of mine to adjust in transcript {transcript}"
    page.evaluate(
        "(p) => document.querySelector(`.turn[data-position='${p}']`).scrollIntoView({block: 'center'})",
        found[0],
    )
    return f'#transcript .turn[data-position="{found[0]}"]', int(found[1])


def last_word_point(page: Page, turn: str) -> tuple[float, float]:
    box = page.evaluate(
        """(sel) => { const p = document.querySelector(sel + ' p.text');
             const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
             let node, last = null; while ((node = walker.nextNode())) if (node.data.trim()) last = node;
             const r = document.createRange(); const end = last.data.trimEnd().length;
             r.setStart(last, end - 2); r.setEnd(last, end - 1);
             const b = r.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; }""",
        turn,
    )
    return float(box[0]), float(box[1])


def drag(page: Page, handle: str, to: tuple[float, float]) -> None:
    box = page.locator(handle).bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move((box["x"] + to[0]) / 2, (box["y"] + to[1]) / 2, steps=4)
    page.mouse.move(to[0], to[1], steps=4)
    page.mouse.up()


def test_drag_a_boundary_handle_changes_the_stored_offsets(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    page.goto(url + "/transcripts/1")
    page.evaluate("() => { window.stillThisPage = true; }")
    turn, coding = mine_in(page, 1)
    with StudyService.open(str(study)) as s:
        was = s.coding(coding)
        t = s.transcript("1")
    turn_end = int(page.locator(turn).get_attribute("data-end") or 0)
    page.locator(f'{turn} mark[tabindex][data-coding="{coding}"]').click()
    handle = f'{turn} button.boundary.end[data-coding="{coding}"]'
    page.locator(handle).wait_for()
    shot(page, "transcript-handles")
    drag(page, handle, last_word_point(page, turn))
    page.wait_for_function(
        f"""() => {{ const b = document.querySelector('{turn} button.edit-coding[data-coding="{coding}"]');
                     return b && b.dataset.end !== '{was.end}'; }}"""
    )
    assert page.evaluate("() => window.stillThisPage === true")
    with StudyService.open(str(study)) as s:
        now = s.coding(coding)
    expected_end = len(t.text[:turn_end].rstrip())
    assert (now.start, now.end) == (was.start, expected_end)
    assert now.text == t.text[was.start : expected_end]
    # the keyboard: Enter on the highlight, Tab to the end handle, ← moves it back a word
    page.locator(f'{turn} mark[tabindex][data-coding="{coding}"]').focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.dataset.end") == "start"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.end") == "end"
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        f"""() => {{ const b = document.querySelector('{turn} button.edit-coding[data-coding="{coding}"]');
                     return b && b.dataset.end !== '{now.end}'; }}"""
    )
    with StudyService.open(str(study)) as s:
        back = s.coding(coding)
    words = t.text[was.start : now.end].split()
    assert back.text.split() == words[:-1]
    # focus comes back to the same handle, to go on with the arrows
    assert page.evaluate("() => document.activeElement.dataset.end") == "end"
    assert page.evaluate("() => window.stillThisPage === true")


def test_a_handle_dropped_outside_its_turn_changes_nothing(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    page.goto(url + "/transcripts/1")
    turn, coding = mine_in(page, 1)
    with StudyService.open(str(study)) as s:
        was = s.coding(coding)
    page.locator(f'{turn} mark[tabindex][data-coding="{coding}"]').click()
    handle = f'{turn} button.boundary.end[data-coding="{coding}"]'
    page.locator(handle).wait_for()
    below = page.locator(turn).bounding_box()
    assert below
    drag(page, handle, (below["x"] + 300, below["y"] + below["height"] + 40))
    message = page.locator(f"{turn} .boundary-bar")
    message.wait_for()
    assert "stays within its turn" in message.inner_text()
    with StudyService.open(str(study)) as s:
        assert s.coding(coding) == was
    shot(page, "transcript-boundary-refused")


def test_a_stale_tab_gets_an_inline_message_and_the_coding_is_unchanged(
    server: tuple[str, Path], page: Page
) -> None:
    url, study = server
    page.goto(url + "/transcripts/1")
    turn, coding = mine_in(page, 1)
    # meanwhile, in another tab, the memo changes
    with StudyService.open(str(study)) as s:
        s.change_coding(coding, CodingChange(memo="changed in another tab"), by=CODER)
        was = s.coding(coding)
    page.locator(f'{turn} mark[tabindex][data-coding="{coding}"]').click()
    handle = f'{turn} button.boundary.end[data-coding="{coding}"]'
    page.locator(handle).wait_for()
    drag(page, handle, last_word_point(page, turn))
    message = page.locator(f"{turn} .boundary-bar")
    page.wait_for_function(
        f"() => (document.querySelector('{turn} .boundary-bar')?.textContent || '').startsWith('Not saved')"
    )
    assert "reload" in message.inner_text().lower() or "changed" in message.inner_text().lower()
    with StudyService.open(str(study)) as s:
        assert s.coding(coding) == was


def test_filter_by_coder_and_colour_by_coder(server: tuple[str, Path], page: Page) -> None:
    url, _ = server
    page.goto(url + "/transcripts/1")
    page.evaluate("() => { window.stillThisPage = true; }")
    theirs = page.locator("#transcript mark.hl.theirs").first
    mine = page.locator("#transcript mark.hl.mine").first
    clear = "rgba(0, 0, 0, 0)"
    assert theirs.evaluate("m => getComputedStyle(m).backgroundColor") != clear
    # mouse: only mine
    page.get_by_label("Mine", exact=True).check()
    assert theirs.evaluate("m => getComputedStyle(m).backgroundColor") == clear
    assert mine.evaluate("m => getComputedStyle(m).backgroundColor") != clear
    assert page.locator("#transcript .stripe.theirs").first.is_hidden()
    assert "show=mine" in page.url
    # keyboard: arrow to "Others'"
    page.get_by_label("Mine", exact=True).focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_label("Others'", exact=True).is_checked()
    assert mine.evaluate("m => getComputedStyle(m).backgroundColor") == clear
    assert theirs.evaluate("m => getComputedStyle(m).backgroundColor") != clear
    # the agreed layer alone
    page.keyboard.press("ArrowRight")
    agreed = page.locator("#transcript mark.hl.agreed").first
    assert agreed.evaluate("m => getComputedStyle(m).backgroundColor") != clear
    assert theirs.evaluate("m => getComputedStyle(m).backgroundColor") == clear
    # all, coloured by coder: the legend names each coder beside the colour
    page.get_by_label("All", exact=True).check()
    page.get_by_label("Colour by coder").check()
    legend = page.locator("#coder-legend")
    assert "Rachel Ames" in legend.inner_text() and "Tom Okafor (you)" in legend.inner_text()
    swatch = legend.locator(".who-key", has_text="Tom Okafor").locator(".swatch")
    mine_colour = swatch.evaluate("s => getComputedStyle(s).backgroundColor")
    assert rgb_of(mine.evaluate("m => getComputedStyle(m).borderBottomColor")) == rgb_of(
        mine_colour
    )
    assert page.evaluate("() => window.stillThisPage === true")
    assert violations(page) == []
    shot(page, "transcript-by-coder")
    # without JavaScript the same view comes from the address
    page.goto(url + "/transcripts/1?show=mine&by=coder")
    assert page.get_by_label("Mine", exact=True).is_checked()
    assert page.get_by_label("Colour by coder").is_checked()


def test_the_density_bar_takes_you_there(server: tuple[str, Path], page: Page) -> None:
    url, _ = server
    page.goto(url + "/transcripts/1")
    bar = page.locator("#density svg")
    assert bar.locator("rect").count() > 5
    box = bar.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    focused = page.evaluate("() => document.activeElement.classList.contains('turn')")
    assert focused and page.evaluate("() => window.scrollY") > 500


@pytest.fixture(scope="module")
def zoomed(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    url, _ = server
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    z = context.new_page()
    z.set_default_timeout(15_000)
    sign_in(z, url, CODER)
    yield z
    context.close()


def test_screenshots_and_axe_with_highlights_handles_and_the_editor(
    server: tuple[str, Path], page: Page, zoomed: Page
) -> None:
    url, _ = server
    for p, name in ((page, "transcript-marks"), (zoomed, "transcript-marks-200")):
        p.goto(url + "/transcripts/1")
        turn, coding = mine_in(p, 1, tall=5000)
        p.locator(turn).scroll_into_view_if_needed()
        p.locator(f'{turn} mark[tabindex][data-coding="{coding}"]').focus()
        p.keyboard.press("Enter")
        shot(p, name)
        assert violations(p) == []
        p.locator(f'{turn} button.edit-coding[data-coding="{coding}"]').click()
        assert p.locator("#edit-dialog").is_visible()
        assert not p.locator("#edit-dialog input[type=number]").count()
        assert p.locator("#edit-words").inner_text().strip()
        shot(p, name + "-editor")
        assert violations(p) == []
        p.keyboard.press("Escape")
