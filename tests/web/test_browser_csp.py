"""Every page of the workbench under its Content-Security-Policy, in real headless Chromium: the
policy arrives with each page, nothing on the page is refused (no console error, no page error,
no ``securitypolicyviolation`` event), and the scripts still do their work (coding a span, moving
a theme, searching). A canary at the end proves that a violation would have been seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect

from tests.web.conftest import codings_by, sign_in

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

PAGES = (
    "/",
    "/transcripts/1",
    "/codebook",
    "/codebook/1",
    "/themes",
    "/reconcile",
    "/reconcile/1",
    "/analysis",
    "/analysis/agreement",
    "/analysis/counts",
    "/analysis/matrix",
    "/analysis/saturation",
    "/analysis/cooccurrence",
    "/search?q=pain",
    "/journal",
    "/memos",
    "/anonymise",
    "/withdraw?participant=Physio+4",
)


class Watched:
    """A page whose console errors, uncaught errors and CSP violations are collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._error)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text}")

    def _error(self, error: Error) -> None:
        self.errors.append(str(error))

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations")
        return found

    def assert_clean(self, where: str) -> None:
        assert self.console == [], where
        assert self.errors == [], where
        assert self.violations() == [], where


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Watched(page)
    context.close()


def test_every_page_loads_under_the_policy_with_nothing_refused(
    server: tuple[str, Path], watched: Watched
) -> None:
    url, _ = server
    page = watched.page
    sign_in(page, url, "Rachel Ames")
    for path in PAGES:
        response = page.goto(url + path)
        assert response is not None and response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        page.wait_for_load_state("load")
        watched.assert_clean(path)


def test_colours_and_indentation_without_inline_styles(
    server: tuple[str, Path], watched: Watched
) -> None:
    url, _ = server
    page = watched.page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/transcripts/1")
    stripe = page.locator(".stripe").first  # code colours come as classes from /colours.css
    edge = stripe.evaluate("s => getComputedStyle(s).borderLeftColor")
    assert edge.startswith("rgb(") and edge != "rgb(0, 0, 0)"
    box = stripe.bounding_box()
    assert box is not None and box["height"] > 10
    tint = page.locator("p.text mark.hl").first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert tint.startswith("rgba(") and not tint.endswith(", 0)")
    page.goto(url + "/codebook")
    depths = page.locator(".tree-box li.tree-node > .row .name").evaluate_all(
        "names => names.map(n => n.getBoundingClientRect().left)"
    )
    assert len(set(depths)) >= 2  # sub-codes are indented further than their parents
    watched.assert_clean("colours")


def test_the_scripts_still_work_under_the_policy(
    server: tuple[str, Path], watched: Watched
) -> None:
    url, study = server
    page = watched.page
    sign_in(page, url, "Tom Okafor")
    # coding with the keyboard: transcript.js and its fetch() to the JSON API
    page.goto(url + "/transcripts/3")
    before = len(codings_by(study, "Tom Okafor"))
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[0];
                   const t = document.createTreeWalker(p, 4).nextNode(); const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 12);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    page.keyboard.press("c")
    page.keyboard.type("Policy > Coded under the CSP")
    page.keyboard.press("Enter")  # a new code: the first Enter asks to confirm it
    assert "new code: Policy > Coded under the CSP" in page.inner_text("#new-code-say")
    page.evaluate("() => { window.stillThisPage = true; }")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('message').textContent.startsWith('Coded')"
    )
    page.locator("#transcript mark.hl.mine").first.wait_for()  # the turn swapped in, no reload
    assert page.evaluate("() => window.stillThisPage === true")
    assert len(codings_by(study, "Tom Okafor")) == before + 1
    watched.assert_clean("coding")
    # moving a theme with the keyboard: themes.js
    page.goto(url + "/themes")
    node = page.locator("li.node").evaluate_all(
        """nodes => nodes.find(n => {
             const b = n.querySelector(":scope > .node-tools button[data-direction='down']");
             return b && !b.disabled; }).id"""
    )
    page.locator(f"#{node} > .node-head .handle").focus()
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(f"#{node} > .node-head .handle")).to_be_focused()
    watched.assert_clean("themes")
    # a form: searching
    page.goto(url + "/search")
    page.get_by_label("Search for").fill("pain")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    assert "q=pain" in page.url
    watched.assert_clean("search")


def test_a_violation_would_be_seen(server: tuple[str, Path], watched: Watched) -> None:
    """The canary: an inline style and an inline script added to the page are refused, and the
    refusals reach the collectors the other tests rely on."""
    url, _ = server
    page = watched.page
    page.goto(url + "/identity")
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>');
          const s = document.createElement('script');
          s.textContent = 'window.__ran = true';
          document.body.appendChild(s);
        }"""
    )
    page.wait_for_function("() => window.__violations.length >= 2")
    assert page.evaluate("window.__ran === undefined")
    found = " ".join(watched.violations())
    assert "style-src" in found and "script-src" in found
