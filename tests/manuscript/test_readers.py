"""Draft readers (plain text, Markdown, HTML) and the sentence splitter."""

from __future__ import annotations

from thematica.manuscript import sentences
from thematica.manuscript.draft import BODY, HEADING, QUOTE, read_draft


def _kinds(data: bytes, name: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in read_draft(data, name).blocks]


def test_plain_text() -> None:
    text = (
        "Results\n\nLobbing referrals into a void\n\nSeven participants described it.\n"
        "It went on.\n\n    I'm never quite sure who to ring. (Physio 1)\n"
    )
    assert _kinds(text.encode(), "draft.txt") == [
        (HEADING, "Results"),
        (HEADING, "Lobbing referrals into a void"),
        (BODY, "Seven participants described it. It went on."),
        (QUOTE, "I'm never quite sure who to ring. (Physio 1)"),
    ]


def test_markdown_marks_are_taken_away() -> None:
    text = (
        "Title\n=====\n\n## Results\n\n*Seven* participants described "
        "[**No slack in it**](https://example.org).\n\n- one item\n- two items\n\n> quoted\n> words\n"
    )
    assert _kinds(text.encode(), "draft.md") == [
        (HEADING, "Title"),
        (HEADING, "Results"),
        (BODY, "Seven participants described No slack in it."),
        (BODY, "one item"),
        (BODY, "two items"),
        (QUOTE, "quoted words"),
    ]


def test_html() -> None:
    page = (
        b"<!doctype html><html><head><title>x</title><script>var a = 'Seven participants';"
        b"</script></head><body><h1>Results</h1><p>Seven <em>participants</em> said so.</p>"
        b"<blockquote><p>I'm never quite sure who to ring.</p></blockquote>"
        b"<ul><li>Half of the participants</li></ul></body></html>"
    )
    assert _kinds(page, "draft.html") == [
        (HEADING, "Results"),
        (BODY, "Seven participants said so."),
        (QUOTE, "I'm never quite sure who to ring."),
        (BODY, "Half of the participants"),
    ]


def test_sentences_keep_abbreviations_and_quotations_whole() -> None:
    text = (
        "Most participants (e.g. Physio 4) agreed. As Braun et al. note, themes matter! "
        "“I stopped. Then I listened.” (OT 1) Nine participants said so."
    )
    quote = (text.index("“"), text.index("”") + 1)
    found = [text[s:e] for s, e in sentences.split(text, [quote])]
    assert found == [
        "Most participants (e.g. Physio 4) agreed.",
        "As Braun et al. note, themes matter!",
        "“I stopped. Then I listened.” (OT 1) Nine participants said so.",
    ]


def test_table_rows_are_blocks_in_every_format() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_heading("Table 2", level=2)
    table = document.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate((("Theme", "n/N"), ("No slack in it", "6/10"))):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    rows = [(b.kind, b.text, b.index) for b in read_draft(out.getvalue(), "t.docx").blocks]
    assert rows == [
        (HEADING, "Table 2", 0),
        ("row", "Theme | n/N", -1),
        ("row", "No slack in it | 6/10", -1),
        (BODY, "After the table.", 1),
    ]
    markdown = b"| Theme | n/N |\n|---|---|\n| No slack in it | 6/10 |\n"
    assert _kinds(markdown, "t.md") == [("row", "Theme | n/N"), ("row", "No slack in it | 6/10")]
    page = b"<html><body><table><tr><th>Theme</th><th>n/N</th></tr><tr><td>No slack in it</td><td>6/10</td></tr></table></body></html>"
    assert _kinds(page, "t.html") == [("row", "Theme | n/N"), ("row", "No slack in it | 6/10")]
