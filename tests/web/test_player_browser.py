"""Synced playback on a transcript page, in real headless Chromium with a real ``<audio>``
element playing a WAV made with numpy (issue 16, item 2): the turn whose time span holds
``currentTime`` is marked (class and ``aria-current``) and scrolled into view, unless "Follow
the recording" is off (then the page stays put, and the choice is remembered); the
transcriptionists' keys (Alt+K play/pause, Alt+J/L back/forward 3 s, Alt+-/= slower/faster
within 0.5x-2x) work also while typing in a box, and the coding keys (``j``) still do their
job. Screenshotted while playing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.media.recordings import wav
from tests.web.conftest import shot, sign_in
from thematica.domain import Turn
from thematica.service import StudyService

PLAYER = "document.getElementById('player')"


@pytest.fixture(scope="module")
def attached(
    server: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, tuple[Turn, ...]]:
    """Physio 4 with a 10-minute recording (its transcript runs to 9:18)."""
    _, study = server
    folder = tmp_path_factory.mktemp("recording")
    with StudyService.open(str(study)) as s:
        t = next(t for t in s.transcripts() if t.participant == "Physio 4")
        s.as_member("Rachel Ames").attach_recording(str(t.id), wav(folder / "physio4.wav", 600))
        return t.id, s.transcript(str(t.id)).turns


@pytest.fixture
def page(
    server: tuple[str, Path], browser_page: Page, attached: tuple[int, tuple[Turn, ...]]
) -> Iterator[Page]:
    url, _ = server
    tid, _ = attached
    sign_in(browser_page, url, "Tom Okafor")
    browser_page.goto(f"{url}/transcripts/{tid}")
    browser_page.evaluate("() => localStorage.clear()")
    browser_page.reload()
    browser_page.wait_for_function(f"() => {PLAYER}.readyState >= 1")
    browser_page.evaluate(f"() => {{ sessionStorage.clear(); {PLAYER}.currentTime = 0; }}")
    yield browser_page
    browser_page.evaluate(f"() => {PLAYER}.pause()")


def seek(page: Page, seconds: float) -> None:
    page.evaluate(f"() => {{ {PLAYER}.currentTime = {seconds}; }}")


def current(page: Page) -> list[tuple[str, str | None]]:
    """The turns marked as current: (id, aria-current)."""
    found: list[tuple[str, str | None]] = page.evaluate(
        "() => Array.from(document.querySelectorAll('.turn.current'),"
        " t => [t.id, t.getAttribute('aria-current')])"
    )
    return [(i, a) for i, a in found]


def wait_current(page: Page, turn: Turn) -> None:
    page.wait_for_function(
        f"() => {{ const t = document.getElementById('o{turn.start}');"
        " return t.classList.contains('current') && t.getAttribute('aria-current') === 'true'; }"
    )
    assert current(page) == [(f"o{turn.start}", "true")]


def in_view(page: Page, turn: Turn) -> bool:
    box: bool = page.evaluate(
        f"() => {{ const r = document.getElementById('o{turn.start}').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    return box


def test_the_current_turn_follows_the_recording(
    page: Page, attached: tuple[int, tuple[Turn, ...]]
) -> None:
    _, turns = attached
    third, late = turns[2], turns[24]
    assert third.start_ms is not None and late.start_ms is not None
    page.keyboard.press("Alt+KeyK")  # a real key: allowed to start playing
    page.wait_for_function(f"() => !{PLAYER}.paused")
    seek(page, third.start_ms / 1000 + 1)
    wait_current(page, third)
    page.wait_for_function(f"() => {PLAYER}.currentTime > {third.start_ms / 1000 + 1.3}")
    assert current(page) == [(f"o{third.start}", "true")]  # still within turn 3 while it plays
    assert not in_view(page, late)
    seek(page, late.start_ms / 1000 + 0.5)
    wait_current(page, late)  # the mark moved on, and the page followed it
    page.wait_for_function(
        f"() => {{ const r = document.getElementById('o{late.start}')"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    shot(page, "transcript-player-following")
    gap = (turns[0].end_ms or 0) / 1000 + 0.3  # between turn 1's end and turn 2's start
    assert turns[1].start_ms is not None and gap < turns[1].start_ms / 1000
    seek(page, gap)
    page.wait_for_function("() => document.querySelectorAll('.turn.current').length === 0")


def test_following_can_be_switched_off_and_is_remembered(
    page: Page, attached: tuple[int, tuple[Turn, ...]]
) -> None:
    _, turns = attached
    late = turns[26]
    assert late.start_ms is not None
    page.get_by_label("Follow the recording").uncheck()
    page.evaluate("() => window.scrollTo(0, 0)")
    seek(page, late.start_ms / 1000 + 0.5)
    wait_current(page, late)
    page.wait_for_timeout(300)  # a scroll, if there were one, would have happened by now
    assert page.evaluate("() => window.scrollY") == 0
    assert not in_view(page, late)
    page.reload()
    page.wait_for_function(f"() => {PLAYER}.readyState >= 1")
    assert not page.get_by_label("Follow the recording").is_checked()
    page.get_by_label("Follow the recording").check()  # back on: brings the turn into view
    seek(page, late.start_ms / 1000 + 0.5)
    wait_current(page, late)
    page.wait_for_function("() => window.scrollY > 0")


def rate(page: Page) -> float:
    value: float = page.evaluate(f"() => {PLAYER}.playbackRate")
    return value


def at(page: Page) -> float:
    value: float = page.evaluate(f"() => {PLAYER}.currentTime")
    return value


@pytest.mark.parametrize("focus", ["page", "input", "textarea"])
def test_transcriptionists_keys(page: Page, focus: str) -> None:
    if focus == "input":
        page.locator("#code-input").focus()
    elif focus == "textarea":
        page.locator("textarea[id^='memo-new-']").focus()
    typed = page.evaluate("() => document.activeElement.value ?? null")
    assert page.evaluate(f"() => {PLAYER}.paused")
    page.keyboard.press("Alt+KeyK")
    page.wait_for_function(f"() => !{PLAYER}.paused")
    page.keyboard.press("Alt+KeyK")
    page.wait_for_function(f"() => {PLAYER}.paused")
    seek(page, 100)
    page.wait_for_function(f"() => {PLAYER}.currentTime === 100")
    page.keyboard.press("Alt+KeyJ")
    assert at(page) == pytest.approx(97)
    page.keyboard.press("Alt+KeyL")
    page.keyboard.press("Alt+KeyL")
    assert at(page) == pytest.approx(103)
    seek(page, 1)
    page.keyboard.press("Alt+KeyJ")
    assert at(page) == 0  # not before the start
    assert rate(page) == 1
    seen = []
    for _ in range(5):
        page.keyboard.press("Alt+Minus")
        seen.append(rate(page))
    assert seen == [0.75, 0.5, 0.5, 0.5, 0.5]
    page.wait_for_function(  # the label follows the ratechange event
        "() => document.getElementById('player-speed').textContent === '0.5×'"
    )
    seen = []
    for _ in range(7):
        page.keyboard.press("Alt+Equal")
        seen.append(rate(page))
    assert seen == [0.75, 1, 1.25, 1.5, 2, 2, 2]
    page.wait_for_function(  # the label follows the ratechange event
        "() => document.getElementById('player-speed').textContent === '2×'"
    )
    # nothing was typed into the box, and the focus stayed there
    assert page.evaluate("() => document.activeElement.value ?? null") == typed
    if focus != "page":
        assert page.evaluate("() => document.activeElement.tagName") == focus.upper()
    page.get_by_role("button", name="Slower (Alt+minus)").click()  # the same by mouse
    assert rate(page) == 1.5


def test_the_coding_keys_still_work_beside_the_players(page: Page) -> None:
    page.locator("body").click(position={"x": 5, "y": 5})
    before = at(page)
    page.keyboard.press("j")  # the coding shortcut: the first turn
    page.wait_for_function("() => document.activeElement.classList.contains('turn')")
    first = page.evaluate("() => document.activeElement.dataset.position")
    page.keyboard.press("j")
    assert page.evaluate("() => document.activeElement.dataset.position") != first
    assert page.evaluate(f"() => {PLAYER}.paused") and at(page) == before
    page.keyboard.press("Alt+KeyL")  # and Alt+L moves the recording, not the turn
    assert at(page) == pytest.approx(before + 3)
    assert page.evaluate("() => document.activeElement.classList.contains('turn')")


def test_the_help_lists_the_recording_keys(page: Page) -> None:
    page.keyboard.press("?")
    help_dialog = page.locator("#help")
    assert help_dialog.get_by_role("heading", name="Recording").is_visible()
    text = help_dialog.inner_text()
    for keys in ("Play / pause", "Back 3 seconds", "Forward 3 seconds", "Slower", "Faster"):
        assert keys in text
    page.keyboard.press("Escape")


def test_a_reload_keeps_the_place_in_the_recording(page: Page) -> None:
    """A correction reloads the page (so do other members' changes): the recording goes on
    from where it was, not from the start."""
    seek(page, 100)
    page.wait_for_function(f"() => Math.abs({PLAYER}.currentTime - 100) < 0.5")
    page.reload()
    page.wait_for_function(f"() => {PLAYER}.readyState >= 1")
    page.wait_for_function(f"() => {PLAYER}.currentTime >= 99.5")
    assert at(page) < 110
    here = page.url
    page.goto(here.rsplit("/transcripts/", 1)[0] + "/")  # away: the place is kept for this tab
    page.goto(here)
    page.wait_for_function(f"() => {PLAYER}.currentTime >= 99.5")
    page.goto(here.rsplit("/transcripts/", 1)[0] + "/")
    page.evaluate("() => sessionStorage.clear()")  # a new tab has none: from the start
    page.goto(here)
    page.wait_for_function(f"() => {PLAYER}.readyState >= 1")
    assert at(page) < 1
