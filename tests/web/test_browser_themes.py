"""The codebook and theme framework editors in real headless Chromium: merging two codes and
undoing it; building a three-level framework with one interlink (moving by keyboard and by
drag and drop); reading a node's quotes and following one back into its transcript; every page
of these passes axe-core and fits a 200 % zoom, for a lead and for a reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.domain import Level
from thematica.service import StudyService

SOURCE = ("Referral", "Long waits")
TARGET = ("Referral", "Referrals bounced back")


def codings_of(study: Path, path: tuple[str, ...]) -> set[int]:
    with StudyService.open(str(study)) as s:
        if not any(c.path == path for c in s.codes(Level.ONE)):
            return set()
        return {c.id for c in s.codings(code=path, level=Level.ONE)}


def test_merging_two_codes_and_undoing_it(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    moving, staying = codings_of(study, SOURCE), codings_of(study, TARGET)
    assert moving and staying
    page.get_by_role("link", name="Codebook", exact=True).click()
    page.wait_for_url(url + "/codebook")
    expect(page.get_by_role("heading", name="Lineage log")).to_be_visible()
    page.get_by_role("link", name="Edit Referral > Long waits", exact=True).click()
    expect(page.get_by_role("heading", name="Referral > Long waits")).to_be_visible()
    page.get_by_label("Merge “Long waits” into").select_option(label=" > ".join(TARGET))
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(re.compile(r"/codebook\?done=\d+$"))
    expect(page.locator("p.notice[role=status]")).to_contain_text("Merged 'Referral > Long waits'")
    # the study: the source code is gone and its codings now carry the target
    assert codings_of(study, SOURCE) == set()
    assert codings_of(study, TARGET) == moving | staying
    with StudyService.open(str(study)) as s:
        entry = s.lineage()[-1]
        assert (entry.operation, entry.actor, entry.undoable) == ("merge", "Rachel Ames", True)
    undo = page.get_by_role("button", name=re.compile(rf"^Undo entry {entry.id}:"))
    expect(undo).to_be_visible()
    shot(page, "codebook")
    undo.focus()
    page.keyboard.press("Enter")  # the keyboard alone does it
    page.wait_for_url(url + "/codebook#lineage")
    expect(page.get_by_role("button", name=re.compile(rf"^Undo entry {entry.id}:"))).to_have_count(
        0
    )
    expect(page.locator("#lineage")).to_contain_text("(undone")
    assert codings_of(study, SOURCE) == moving
    assert codings_of(study, TARGET) == staying
    with StudyService.open(str(study)) as s:
        assert s.lineage()[-1].undone_at is not None


def test_building_a_three_level_framework_with_one_interlink(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/themes")

    def add(name: str, under: str | None) -> None:
        page.locator("#new-name").fill(name)
        page.get_by_label("Under", exact=True).select_option(
            label=under or "(none: an overarching theme)"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Add theme", exact=True).click()

    add("Care pathways", None)
    add("Access", "Care pathways")
    add("Waiting lists", "Care pathways > Access")
    add("Named contacts", "Care pathways > Access")

    def mine() -> list[tuple[str, ...]]:
        with StudyService.open(str(study)) as s:
            return [n.path for n in s.framework()[0] if n.path[0] == "Care pathways"]

    assert mine() == [
        ("Care pathways",),
        ("Care pathways", "Access"),
        ("Care pathways", "Access", "Waiting lists"),
        ("Care pathways", "Access", "Named contacts"),
    ]
    # keyboard: the new theme's handle has focus after adding it; Alt+Up moves it up
    handle = page.get_by_role(
        "button", name="Move Care pathways > Access > Named contacts (Alt and arrow keys, or drag)"
    )
    expect(handle).to_be_focused()
    node_id = handle.evaluate("h => h.closest('li.node').id")
    handle = page.locator(f"#{node_id} > .node-head .handle")  # its name changes as it moves
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowUp")
    assert mine()[2:] == [
        ("Care pathways", "Access", "Named contacts"),
        ("Care pathways", "Access", "Waiting lists"),
    ]
    expect(handle).to_be_focused()
    # Alt+Left outdents it (a theme beside Access), Alt+Right indents it back under Access
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowLeft")
    assert ("Care pathways", "Named contacts") in mine()
    expect(handle).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowRight")
    assert mine()[2:] == [
        ("Care pathways", "Access", "Waiting lists"),
        ("Care pathways", "Access", "Named contacts"),
    ]
    # drag and drop: Named contacts dropped on the top edge of Waiting lists goes before it
    source = page.locator(
        "li.node[data-path='Care pathways > Access > Named contacts'] > .node-head"
    )
    target = page.locator(
        "li.node[data-path='Care pathways > Access > Waiting lists'] > .node-head"
    )
    with page.expect_navigation():
        source.drag_to(target, target_position={"x": 200, "y": 2})
    assert mine()[2:] == [
        ("Care pathways", "Access", "Named contacts"),
        ("Care pathways", "Access", "Waiting lists"),
    ]
    # one interlink, with a label
    page.get_by_label("From", exact=True).select_option(
        label="Care pathways > Access > Waiting lists"
    )
    page.get_by_label("Label", exact=True).fill("leaves patients in")
    page.get_by_label("To", exact=True).select_option(
        label="Working at the edge of the remit > No room, no route > Lobbing referrals into a void"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Add interlink", exact=True).click()
    with StudyService.open(str(study)) as s:
        links = s.framework()[1]
        assert (links[-1].source, links[-1].target, links[-1].label) == (
            ("Care pathways", "Access", "Waiting lists"),
            (
                "Working at the edge of the remit",
                "No room, no route",
                "Lobbing referrals into a void",
            ),
            "leaves patients in",
        )
        assert {e.actor for e in s.lineage()[-8:]} == {"Tom Okafor"}
    expect(page.locator("#links + ul")).to_contain_text("leaves patients in")
    page.locator("li.node[data-path='Care pathways']").scroll_into_view_if_needed()
    shot(page, "themes")
    # a stale move is refused with a message, and nothing changes
    before = mine()
    page.evaluate(
        "document.querySelector(\"li.node[data-path='Care pathways > Access > Waiting lists']\")"
        ".dataset.version = 'stale'"
    )
    source = page.locator(
        "li.node[data-path='Care pathways > Access > Waiting lists'] > .node-head"
    )
    target = page.locator(
        "li.node[data-path='Care pathways > Access > Named contacts'] > .node-head"
    )
    source.drag_to(target, target_position={"x": 200, "y": 2})
    expect(page.locator("#theme-message")).to_contain_text("Not moved:")
    expect(page.locator("#theme-message")).to_contain_text("reload")
    assert mine() == before


def test_reading_a_nodes_quotes(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/themes")
    name = "Two problems, one person > Breaking into the circle > Small wins, two gains"
    count = page.locator(f"li.node[data-path='{name}'] > .node-head .count").inner_text()
    page.get_by_role("link", name=f"Quotes of {name}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quotes: {name}")
    expect(page.locator(".count-line")).to_contain_text(count)
    participants = page.locator(".quote .participant").all_inner_texts()
    assert participants and all(re.fullmatch(r"(Physio|OT) \d+", p) for p in participants)
    n = int(re.search(r"\((\d+)/", count).group(1))  # type: ignore[union-attr]
    assert len(set(participants)) == n
    with StudyService.open(str(study)) as s:
        agreed = [
            c
            for code in (
                ("Goals and activity", "Small wins"),
                ("Goals and activity", "Home ground"),
            )
            for c in s.codings(code=code, level=Level.TWO)
        ]
    assert page.locator(".quote").count() == len(agreed)
    shot(page, "quotes")
    first = page.locator(".quote").first
    words = first.locator(".ctx-focus mark.quoted").first.inner_text()  # the quote, in its turn
    who = first.locator(".participant").inner_text()
    first.get_by_role("link", name=f"Open in transcript: {who}, at this quote").click()
    page.wait_for_url(re.compile(r"/transcripts/\d+#o\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(who)
    jumped = page.locator(".turn.target")
    expect(jumped).to_have_count(1)
    expect(jumped).to_be_in_viewport()
    assert words[:40] in jumped.inner_text()
    shot(page, "quote-in-transcript")
    match = re.search(r"/transcripts/(\d+)#o(\d+)$", page.url)
    assert match is not None
    coding = next(c for c in agreed if c.text.startswith(words))
    assert (coding.transcript_id, coding.start) == (int(match[1]), int(match[2]))


EDITOR_PAGES = ["/codebook", "/codebook/3", "/codes/3/quotes", "/themes", "/themes/5/quotes"]


@pytest.mark.parametrize("member", ["Rachel Ames", "Helen Marsh"])
def test_the_editors_are_accessible_and_fit_at_200_percent_zoom(
    server: tuple[str, Path], browser: Browser, member: str
) -> None:
    url, _ = server
    for viewport in ({"width": 1366, "height": 768}, {"width": 683, "height": 384}):
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        sign_in(page, url, member)
        for path in EDITOR_PAGES:
            response = page.goto(url + path)
            assert response is not None and response.status == 200, path
            # open every disclosure, so the forms inside are checked too
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert violations(page) == [], (member, path, viewport)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {viewport}"
        context.close()
