"""The recording on a transcript page, in real headless Chromium with a real ``<audio>`` element
(issue 16, item 2): the player loads the recording through ``/media/{ref}`` (Range requests),
and clicking a turn's time moves ``currentTime`` there. Screenshotted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.media.recordings import wav
from tests.web.conftest import shot, sign_in
from thematica.service import StudyService


def test_clicking_a_turns_time_seeks_the_recording(
    server: tuple[str, Path], browser_page: Page, tmp_path: Path
) -> None:
    url, study = server
    with StudyService.open(str(study)) as s:
        t = next(t for t in s.transcripts() if t.participant == "Physio 4")
        s.as_member("Rachel Ames").attach_recording(
            str(t.id), wav(tmp_path / "physio4.wav", 10 * 60)
        )
        turns = s.transcript(str(t.id)).turns
    later = next(turn for turn in turns if (turn.start_ms or 0) > 60_000)
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(f"{url}/transcripts/{t.id}")
    page.wait_for_function(  # metadata loaded through /media
        "() => document.getElementById('player').readyState >= 1"
        " || document.getElementById('player').error"
    )
    assert page.evaluate("() => document.getElementById('player').error") is None
    assert page.evaluate("() => document.getElementById('player').duration") == 600
    page.locator(f'button.seek[data-ms="{later.start_ms}"]').first.click()
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('player').currentTime - "
        f"{later.start_ms / 1000}) < 1.5"
    )
    turn = page.locator(f"#o{later.start}")  # and that turn is marked as the one playing
    turn.and_(page.locator(".turn.current[aria-current='true']")).wait_for()
    shot(page, "transcript-player")
