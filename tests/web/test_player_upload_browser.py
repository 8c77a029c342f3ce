"""Attaching a recording through the transcript page's form, in real headless Chromium (issue 16):
a text file named ``.mp3`` and a recording much shorter than the transcript are refused with
the service's message under the form, and leave no recording; a WAV made with numpy is sent,
the page comes back with the notice and a player that loads it. Screenshotted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.media.recordings import wav
from tests.web.conftest import shot, sign_in
from thematica.service import StudyService


def test_attaching_a_recording_from_the_page(
    server: tuple[str, Path], browser_page: Page, tmp_path: Path
) -> None:
    url, study = server
    with StudyService.open(str(study)) as s:
        tid = next(t.id for t in s.transcripts() if t.participant == "Physio 2")
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(f"{url}/transcripts/{tid}")
    assert page.locator("#player").count() == 0
    form = page.locator("#attach-form")
    assert not form.is_visible()  # folded away until asked for
    page.get_by_text("Attach a recording", exact=True).click()
    assert form.is_visible()
    shot(page, "transcript-attach-form")

    text = tmp_path / "notes.mp3"
    text.write_text("These are my notes, not a recording.\n" * 40)
    short = wav(tmp_path / "short.wav", 30)
    for file, says in ((text, "notes.mp3: "), (short, "short.wav: ")):
        page.get_by_label("Recording (WAV, MP3").set_input_files(str(file))
        page.get_by_role("button", name="Attach", exact=True).click()
        message = page.locator("#attach-message.error")
        message.wait_for()
        assert says in message.inner_text()
        assert "/.upload-" not in message.inner_text()
        assert page.url == f"{url}/transcripts/{tid}"
        with StudyService.open(str(study)) as s:
            assert s.recording_of(str(tid)) is None
    assert "but the transcript runs to" in page.locator("#attach-message").inner_text()
    shot(page, "transcript-attach-refused")

    page.get_by_label("Recording (WAV, MP3").set_input_files(str(wav(tmp_path / "p2.wav", 600)))
    page.get_by_role("button", name="Attach", exact=True).click()
    page.wait_for_url(f"{url}/transcripts/{tid}?recording=attached")
    assert "Recording attached: p2.wav" in page.locator("#recording-notice").inner_text()
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    assert page.evaluate("() => document.getElementById('player').duration") == 600
    assert page.get_by_text("Re-link the recording").is_visible()
    shot(page, "transcript-attached")
    with StudyService.open(str(study)) as s:
        found = s.recording_of(str(tid))
    assert found is not None and found.attached_by == "Tom Okafor"
