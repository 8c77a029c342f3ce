"""Live team work on the theme framework page, in real headless Chromium on a PostgreSQL team
server (issue 10, item 7; the server, sign-in and helpers of ``test_browser_live``). The lead adds
a theme and an interlink; both appear on the coder's open themes page within 2 s without a
reload, while the coder's open edit form keeps what they typed; the lead then renames that theme,
and the coder's save from the form they had open is refused with the reload message (409). A
theme swapped in live can be moved with the keyboard (the handlers survive the swap, and its
forms carry the CSRF token)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.web.conftest import shot
from tests.web.test_browser_live import (  # noqa: F401 (fixtures)
    CODER,
    LEAD,
    WITHIN_MS,
    api,
    chromium,
    member_page,
    pg_server,
    pg_study,
)
from thematica.service import StudyService

FIRST, SECOND = "Living with pain", "Getting back to work"


def themes_page(browser: Browser, url: str, name: str) -> Page:
    page = member_page(browser, url, name)
    page.goto(url + "/themes")
    page.evaluate("() => { window.stillThisPage = true; }")  # gone if the page reloads
    return page


def node_ids(study: str) -> dict[str, int]:
    with StudyService.open(study) as s:
        return {" > ".join(n.path): n.id for n in s.framework()[0]}


def test_the_leads_theme_and_interlink_appear_and_a_stale_rename_is_refused(
    chromium: Browser,  # noqa: F811
    pg_server: str,  # noqa: F811
    pg_study: str,  # noqa: F811
) -> None:
    url = pg_server
    with StudyService.open(pg_study) as study:
        first = study.add_theme(FIRST, by=LEAD)
        second = study.add_theme(SECOND, by=LEAD)
    lead = themes_page(chromium, url, LEAD)
    coder = themes_page(chromium, url, CODER)

    # the coder opens the edit form of the first theme and starts renaming it
    coder.locator(f"#n{first} > .node-tools details.edit summary").click()
    rename = coder.locator(f"#rename-{first}")
    rename.fill("Living with chronic pain")
    rename.focus()

    # the lead adds a theme (through the page) and an interlink (through the API)
    lead.locator("#new-name").fill("Added by the lead")
    with lead.expect_navigation():
        lead.get_by_role("button", name="Add theme", exact=True).click()
    coder.wait_for_function(
        "() => document.querySelector('.framework-layout section').textContent.includes('Added by the lead')",
        timeout=WITHIN_MS,
    )
    body = {"from": first, "to": second, "label": "keeps people from"}
    status, text = api(lead, "POST", "/api/themes/links", body)
    assert status == 201, text
    coder.wait_for_function(
        """(id) => document.getElementById('links-list').textContent.includes('keeps people from')
            && document.getElementById('n' + id).textContent.includes('keeps people from')""",
        arg=first,
        timeout=WITHIN_MS,
    )
    # no reload, and the open form is as the coder left it: open, their text, their focus
    assert coder.evaluate("() => window.stillThisPage === true")
    assert coder.locator(f"#n{first} > .node-tools details.edit").evaluate("d => d.open")
    assert rename.input_value() == "Living with chronic pain"
    assert coder.evaluate(f"() => document.activeElement.id === 'rename-{first}'")
    added = node_ids(pg_study)["Added by the lead"]
    options = coder.locator("#link-from option").all_inner_texts()
    assert "Added by the lead" in options  # the add forms' lists follow too
    shot(coder, "live-themes-coder-sees-lead-theme")
    coder.locator(f"#n{added}").scroll_into_view_if_needed()
    shot(coder, "live-themes-new-theme")

    # the lead renames the theme meanwhile: the coder sees the new name, keeps the form
    status, text = api(lead, "POST", f"/api/themes/{first}/rename", {"name": "Pain at home"})
    assert status == 200, text
    coder.wait_for_function(
        f"() => document.querySelector('#n{first} .node-name').textContent === 'Pain at home'",
        timeout=WITHIN_MS,
    )
    assert rename.input_value() == "Living with chronic pain"
    with coder.expect_response(lambda r: r.request.method == "POST") as posted:
        coder.locator(f"#n{first} > .node-tools").get_by_role("button", name="Rename").click()
    assert posted.value.status == 409
    coder.get_by_text("reload").first.wait_for()
    assert "has changed since you loaded it" in coder.content()
    shot(coder, "live-themes-stale-rename-refused")
    assert node_ids(pg_study)["Pain at home"] == first  # the lead's name stands

    # a theme swapped in live moves with the keyboard like any other
    coder.goto(url + "/themes")
    coder.evaluate("() => { window.stillThisPage = true; }")
    status, text = api(lead, "POST", "/api/themes", {"name": "Second thoughts"})
    assert status == 201, text
    later = int(text.split(":")[1].strip(" }"))
    coder.wait_for_function(f"() => !!document.getElementById('n{later}')", timeout=WITHIN_MS)
    assert coder.evaluate("() => window.stillThisPage === true")
    coder.locator(f"#n{later} > .node-head .handle").focus()
    with coder.expect_navigation():
        coder.keyboard.press("Alt+ArrowUp")
    with StudyService.open(pg_study) as study:
        roots = [n.id for n in study.framework()[0] if n.parent_id is None]
    assert roots.index(later) == roots.index(added) - 1


def test_live_updates_stop_with_a_message_when_the_session_ends(
    chromium: Browser,  # noqa: F811
    pg_server: str,  # noqa: F811
) -> None:
    coder = themes_page(chromium, pg_server, CODER)
    coder.context.clear_cookies()  # signed out (as a deactivation or an expiry would do)
    message = coder.locator("#theme-message")
    message.filter(has_text="Live updates stopped").wait_for(timeout=WITHIN_MS + 1000)
    assert "sign in" in message.inner_text().lower()
    assert coder.evaluate("() => window.stillThisPage === true")
    shot(coder, "live-themes-stopped")
