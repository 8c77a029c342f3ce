"""The HTML report is self-contained: no scripts, no external resources, the SVGs inlined."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.report.conftest import EXPECTED, Built
from thematica.report.html_writer import inline_svg

WEB = re.compile(r"https?:|^//|url\(\s*['\"]?(?!#)", re.IGNORECASE)


class Audit(HTMLParser):
    """Every tag, every attribute value that names a web address, and the styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.addresses: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and (WEB.search(value) or name.startswith("xmlns")):
                self.addresses.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def audit(built: Built) -> tuple[Audit, str]:
    page = (built.out / "report.html").read_text(encoding="utf-8")
    parser = Audit()
    parser.feed(page)
    return parser, page


def test_no_reference_to_the_web_except_in_text(built: Built) -> None:
    parser, _page = audit(built)
    assert parser.addresses == []
    for forbidden in ("script", "link", "img", "iframe", "object", "embed", "base"):
        assert forbidden not in parser.tags
    styles = "".join(parser.styles)
    assert "@import" not in styles and "@font-face" not in styles
    assert not re.search(r"url\(\s*['\"]?https?:", styles)


def test_both_figures_are_inline_svg(built: Built) -> None:
    parser, page = audit(built)
    assert parser.tags.count("svg") == 2
    assert "<!DOCTYPE svg" not in page and "<?xml" not in page
    for stem in ("figure1-theme-map", "figure2-saturation"):
        assert f'<figure id="{stem}"><svg' in page


def test_tables_and_the_draft_are_in_the_page(built: Built) -> None:
    _parser, page = audit(built)
    for key in ("table1", "table2", "saturation", "coreq", "srqr"):
        assert f'<table id="{key}">' in page
    assert '<p class="draft">' in page
    for name in EXPECTED:
        assert name.replace("'", "&#x27;") in page


def test_inline_svg_strips_prologue_metadata_and_namespaces() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- made by x -->\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10pt"><metadata><rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
        '</metadata><use xlink:href="#m1"/><text>see https://example.org</text></svg>'
    )
    out = inline_svg(svg)
    assert out.startswith('<svg width="10pt">')
    assert "metadata" not in out and "xmlns" not in out and "<!--" not in out
    assert '<use xlink:href="#m1"/>' in out
    assert "see https://example.org" in out  # text stays text
