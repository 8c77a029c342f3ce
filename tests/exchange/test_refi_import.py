"""REFI-QDA import of what other tools really write: folder case, file names, inline texts,
odd namespaces and colours, non-text sources, and positions in other units."""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.exchange.refi_helpers import qde, qdpx
from thematica.domain import AttributeType
from thematica.exchange.model import XCase, XVariable
from thematica.exchange.refi import CanonicalText, read_qdc, read_qdpx
from thematica.exchange.refi_offsets import (
    CODE_POINTS,
    CODE_POINTS_CRLF1,
    UTF16,
    UTF16_CRLF1,
    _Events,
    to_code_points,
)
from thematica.exchange.refi_xml import parse_colour

G = [f"{{{i:08X}-AAAA-4BBB-8CCC-DDDDEEEEFFFF}}" for i in range(20)]  # braces, upper case
N = [g.strip("{}").lower() for g in G]

CODES = (
    f'<CodeBook><Codes><Code guid="{G[0]}" name="Parent" isCodable="true" color="#12345680">'
    f'<Code guid="{G[1]}" name="Child" isCodable="true"/></Code>'
    f'<Code guid="{G[2]}" name="Folder" isCodable="false" color="rgb(1, 2, 3)"/></Codes></CodeBook>'
)


def selection(guid: str, start: int, end: int, code: str, user: str | None = None) -> str:
    who = f' creatingUser="{user}"' if user else ""
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}"{who}>'
        f'<Coding guid="{guid[:-3]}999"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )


def test_folder_case_dot_files_bare_paths_and_a_differently_named_qde() -> None:
    body = (
        f'<Users><User guid="{G[10]}" id="AB"/></Users>{CODES}<Sources>'
        f'<TextSource guid="{G[3]}" name="one" plainTextPath="internal://{N[3]}.TXT">'
        f"{selection(N[4], 0, 5, G[1], G[10])}</TextSource>"
        f'<TextSource guid="{G[5]}" name="two" plainTextPath="interview two.txt"/>'
        f'<TextSource guid="{G[6]}" name="three"><PlainTextContent>inline text</PlainTextContent>'
        f'<Coding guid="{N[7]}"><CodeRef targetGUID="{N[2]}"/></Coding></TextSource>'
        f'<TextSource guid="{G[8]}" name="rich only" richTextPath="internal://{N[8]}.docx"/>'
        f'<PDFSource guid="{G[9]}" name="paper.pdf" path="internal://{N[9]}.pdf"/>'
        "</Sources>"
    )
    data = qdpx(
        {
            "My Project.qde": qde(body),
            f"Sources/{N[3]}.txt": codecs.BOM_UTF8 + b"Hello world",
            "sources/interview two.txt": b"second",
            "sources/.root": b"",
            f"sources/{N[8]}.docx": b"PK",
        }
    )
    project = read_qdpx(data, "tools.qdpx")
    assert [u.name for u in project.users] == ["AB"]
    assert [(s.guid, s.name, s.text) for s in project.sources] == [
        (N[3], "one", "Hello world"),
        (N[5], "two", "second"),
        (N[6], "three", "inline text"),
    ]
    assert project.skipped == ("rich only", "paper.pdf")
    coding = project.sources[0].codings[0]
    assert (coding.start, coding.end, coding.code, coding.user) == (0, 5, N[1], N[10])
    whole = project.sources[2].codings[0]
    assert (whole.start, whole.end, whole.code, whole.user) == (0, 11, N[2], None)
    parent, child, folder = project.codes
    assert (parent.codable, child.parent, folder.codable) == (True, N[0], False)
    assert (parent.colour, child.colour, folder.colour) == ("#123456", None, "#010203")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#ABC", "#aabbcc"),
        ("#AbCdEf", "#abcdef"),
        ("#11223344", "#112233"),
        ("112233", "#112233"),
        ("255,0,10", "#ff000a"),
        ("rgba(1, 2, 3)", "#010203"),
        ("300,0,0", None),
        ("red", None),
        ("", None),
        (None, None),
    ],
)
def test_colours_are_read_leniently(raw: str | None, expected: str | None) -> None:
    assert parse_colour(raw) == expected


@pytest.mark.parametrize(
    "namespace",
    ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4"],
)
def test_codebook_namespaces_and_an_empty_sets(namespace: str) -> None:
    data = (
        f'<CodeBook xmlns="{namespace}" origin="Taguette 1.5.2"><Codes>'
        f'<Code guid="{G[0]}" name="a" isCodable="true" color="#ff000080">'
        f'<Code guid="{G[1]}" name="b" isCodable="false" color="nonsense"/></Code>'
        "</Codes><Sets/></CodeBook>"
    ).encode()
    book = read_qdc(data, "tags.qdc")
    assert [(c.guid, c.name, c.parent, c.colour, c.codable) for c in book.codes] == [
        (N[0], "a", None, "#ff0000", True),
        (N[1], "b", N[0], None, False),
    ]
    assert book.sets == ()
    assert book.origin == "Taguette 1.5.2"


def test_codebook_sets_use_guid_attributes() -> None:
    data = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{G[0]}" name="a" isCodable="true"/></Codes>'
        f'<Sets><Set guid="{G[1]}" name="s"><MemberCode guid="{G[0]}"/></Set></Sets></CodeBook>'
    ).encode()
    assert read_qdc(data, "x.qdc").sets[0].codes == (N[0],)


def test_cases_variables_group_and_unnamed_cases() -> None:
    body = (
        "<Variables>"
        f'<Variable guid="{G[0]}" name="group" typeOfVariable="Text"/>'
        f'<Variable guid="{G[1]}" name="age" typeOfVariable="Integer"/>'
        f'<Variable guid="{G[2]}" name="seen" typeOfVariable="DateTime"/>'
        f'<Variable guid="{G[3]}" name="ok" typeOfVariable="Boolean"/>'
        "</Variables><Cases>"
        f'<Case guid="{G[4]}" name="P1">'
        f'<VariableValue><VariableRef targetGUID="{G[0]}"/><TextValue>Nurse</TextValue></VariableValue>'
        f'<VariableValue><VariableRef targetGUID="{G[1]}"/><IntegerValue>42</IntegerValue></VariableValue>'
        f'<VariableValue><VariableRef targetGUID="{G[2]}"/>'
        "<DateTimeValue>2024-01-02T03:04:05Z</DateTimeValue></VariableValue>"
        f'<VariableValue><VariableRef targetGUID="{G[3]}"/><BooleanValue>1</BooleanValue></VariableValue>'
        f'<SourceRef targetGUID="{G[5]}"/><SourceRef targetGUID="{G[9]}"/></Case>'
        f'<Case guid="{G[6]}"><SourceRef targetGUID="{G[5]}"/></Case>'
        "</Cases><Sources>"
        f'<TextSource guid="{G[5]}" name="Interview 1"><PlainTextContent>t</PlainTextContent>'
        "</TextSource></Sources>"
    )
    project = read_qdpx(qdpx({"project.qde": qde(body)}), "cases.qdpx")
    assert project.variables == (
        XVariable(N[1], "age", AttributeType.INTEGER),
        XVariable(N[2], "seen", AttributeType.TEXT),
        XVariable(N[3], "ok", AttributeType.BOOLEAN),
    )
    assert project.cases == (
        XCase(
            N[4], "P1", "Nurse", {"age": 42, "seen": "2024-01-02T03:04:05Z", "ok": True}, (N[5],)
        ),
        XCase(N[6], "Interview 1", "", {}, (N[5],)),
    )


def test_a_bare_qde_with_inline_texts_and_cases_after_sources() -> None:
    body = (
        f'{CODES}<Sources><TextSource guid="{G[3]}" name="s">'
        "<PlainTextContent>abc def</PlainTextContent>"
        f"{selection(N[4], 4, 7, N[1])}</TextSource></Sources>"
        f'<Cases><Case guid="{G[6]}" name="c"><SourceRef targetGUID="{G[3]}"/></Case></Cases>'
    )
    project = read_qdpx(qde(body), "bare.qde")
    (source,) = project.sources
    assert source.text[source.codings[0].start : source.codings[0].end] == "def"
    assert project.cases[0].sources == (N[3],)


def test_notes_memos_selection_comments_and_links() -> None:
    body = (
        f"{CODES}<Sources>"
        f'<TextSource guid="{G[3]}" name="s"><PlainTextContent>one two three</PlainTextContent>'
        f'<PlainTextSelection guid="{G[4]}" startPosition="0" endPosition="3">'
        f"<Description>ATLAS comment</Description>"
        f'<Coding guid="{G[5]}"><CodeRef targetGUID="{G[1]}"/><NoteRef targetGUID="{G[11]}"/>'
        f'</Coding><NoteRef targetGUID="{G[12]}"/></PlainTextSelection>'
        f'<PlainTextSelection guid="{G[6]}" startPosition="4" endPosition="7">'
        "<Description>MAXQDA annotation</Description></PlainTextSelection>"
        f'<NoteRef targetGUID="{G[13]}"/></TextSource></Sources>'
        "<Notes>"
        f'<Note guid="{G[11]}" name="memo"><PlainTextContent>coding memo</PlainTextContent></Note>'
        f'<Note guid="{G[12]}" name="sel"><PlainTextContent>on the selection</PlainTextContent></Note>'
        f'<Note guid="{G[13]}" name="doc" creatingUser="{G[10]}">'
        "<PlainTextContent>on the document</PlainTextContent></Note>"
        f'<Note guid="{G[14]}" name="free"><PlainTextContent>free</PlainTextContent></Note>'
        "</Notes><Links>"
        f'<Link guid="{G[15]}" name="rel" direction="OneWay" originGUID="{G[0]}" targetGUID="{G[2]}">'
        f'<NoteRef targetGUID="{G[14]}"/></Link>'
        f'<Link guid="{G[16]}" name="dangling"/></Links>'
    )
    project = read_qdpx(qdpx({"project.qde": qde(body)}), "notes.qdpx")
    (coding,) = project.sources[0].codings
    assert coding.memo == "coding memo"
    notes = {n.name: (n.text, n.targets, n.user) for n in project.notes}
    assert notes["sel"] == ("on the selection", (N[5],), None)
    assert notes["doc"] == ("on the document", (N[3],), N[10])
    assert notes["free"] == ("free", (N[15],), None)
    comments = sorted((n.text, n.targets) for n in project.notes if n.name == "Comment")
    assert comments == [("ATLAS comment", (N[5],)), ("MAXQDA annotation", (N[3],))]
    assert [(lk.guid, lk.origin, lk.target, lk.direction) for lk in project.links] == [
        (N[15], N[0], N[2], "OneWay")
    ]


# --------------------------------------------------------------------------- offset units

TEXT = "Ünïcode 😀 line one\r\nline two 👍🏽 and\r\nthe end 🎉 here"


def _positions(text: str, words: list[str], unit: str) -> list[tuple[int, int]]:
    """Where each word is, counted in ``unit``: worked out by encoding, not by the importer."""
    out = []
    for word in words:
        at = text.index(word)
        before, inside = text[:at], word
        if "CRLF as one" in unit:
            before, inside = before.replace("\r\n", "\n"), inside.replace("\r\n", "\n")
        if unit.startswith("UTF-16"):
            start = len(before.encode("utf-16-le")) // 2
            out.append((start, start + len(inside.encode("utf-16-le")) // 2))
        else:
            out.append((len(before), len(before) + len(inside)))
    return out


WORDS = ["line one", "two", "and\r\nthe end", "here", "end 🎉 here"]


@pytest.mark.parametrize("unit", [CODE_POINTS, CODE_POINTS_CRLF1, UTF16, UTF16_CRLF1])
def test_the_offset_unit_is_detected_and_converted(unit: str) -> None:
    sels = "".join(
        selection(f"{i:08x}-0000-4000-8000-000000000001", s, e, G[1])
        for i, (s, e) in enumerate(_positions(TEXT, WORDS, unit))
    )
    body = f'{CODES}<Sources><TextSource guid="{G[3]}" plainTextPath="{N[3]}.txt">{sels}</TextSource></Sources>'
    data = qdpx(
        {"project.qde": qde(body, origin="Some tool"), f"sources/{N[3]}.txt": TEXT.encode()}
    )
    project = read_qdpx(data, "units.qdpx")
    assert project.offset_unit == unit
    (source,) = project.sources
    assert source.text == TEXT.replace("\r\n", "\n")
    assert [source.text[c.start : c.end] for c in source.codings] == [
        w.replace("\r\n", "\n") for w in WORDS
    ]


def test_the_producer_decides_when_the_text_cannot() -> None:
    sels = selection(N[4], 0, 5, G[1])
    for origin, unit in [
        ("NVivo for Windows 12.6", UTF16),
        ("ATLAS.ti Win 23.4.0", CODE_POINTS_CRLF1),
        ("MAXQDA 2020", CODE_POINTS),
    ]:
        body = f'{CODES}<Sources><TextSource guid="{G[3]}"><PlainTextContent>hello world'
        body += f"</PlainTextContent>{sels}</TextSource></Sources>"
        assert read_qdpx(qde(body, origin=origin), "x.qde").offset_unit == unit


def test_to_code_points_marks_positions_inside_a_character_or_outside() -> None:
    events = _Events.of("a😀b\r\nc")
    assert to_code_points([0, 1, 2, 3, 4, 9, -1], events, UTF16) == {
        -1: None,
        0: 0,
        1: 1,
        2: None,  # between the two halves of the emoji
        3: 2,
        4: 3,
        9: None,
    }
    assert to_code_points([3, 4, 5, 6], events, UTF16_CRLF1) == {3: 2, 4: 3, 5: 5, 6: 6}


def test_canonical_text_maps_newlines_and_nfc() -> None:
    raw = "Zoe\u0308 said\r\ncafe\u0301 \u1100\u1161\r the end"
    canonical = CanonicalText(raw)
    assert canonical.text == unicodedata.normalize(
        "NFC", raw.replace("\r\n", "\n").replace("\r", "\n")
    )
    assert canonical.text == "Zoë said\ncafé 가\n the end"
    assert canonical.start(0) == 0 and canonical.end(len(raw)) == len(canonical.text)
    assert canonical.start(raw.index("said")) == canonical.text.index("said")
    assert canonical.start(raw.index("the")) == canonical.text.index("the")
    # inside "e + diaeresis": a start snaps back, an end forward, keeping the whole letter
    inside = raw.index("\u0308")
    assert canonical.start(inside) == 2 and canonical.end(inside) == 3
    # inside CRLF: the LF
    crlf = raw.index("\r\n")
    assert canonical.start(crlf + 1) == canonical.text.index("\n")


ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        " ",
        "\r\n",
        "\r",
        "\n",
        "e\u0301",
        "\u0301",
        "\u1100",
        "\u1161",
        "😀",
        "é",
        "\u0958",
        "Å",
    ]
)


@given(st.lists(ALPHABET, max_size=30), st.data())
def test_canonical_text_positions_at_safe_cuts_give_the_canonical_pieces(
    pieces: list[str], data: st.DataObject
) -> None:
    raw = "".join(pieces)
    canonical = CanonicalText(raw)
    assert canonical.text == unicodedata.normalize(
        "NFC", raw.replace("\r\n", "\n").replace("\r", "\n")
    )
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    starts = [canonical.start(i) for i in cuts]
    ends = [canonical.end(i) for i in cuts]
    assert starts == sorted(starts) and ends == sorted(ends)
    for i, s, e in zip(cuts, starts, ends, strict=True):
        assert 0 <= s <= e <= len(canonical.text)
        left = unicodedata.normalize("NFC", raw[:i].replace("\r\n", "\n").replace("\r", "\n"))
        right = unicodedata.normalize("NFC", raw[i:].replace("\r\n", "\n").replace("\r", "\n"))
        if left + right == canonical.text and not raw[:i].endswith("\r"):
            assert s == e == len(left)  # a clean cut maps exactly


def test_datetimes_with_seven_fraction_digits() -> None:
    body = (
        f'{CODES}<Sources><TextSource guid="{G[3]}"><PlainTextContent>abc</PlainTextContent>'
        f'<PlainTextSelection guid="{G[4]}" startPosition="0" endPosition="1">'
        f'<Coding guid="{G[5]}" creationDateTime="2025-06-18T02:06:50.1234567Z">'
        f'<CodeRef targetGUID="{G[1]}"/></Coding></PlainTextSelection></TextSource></Sources>'
    )
    (coding,) = read_qdpx(qde(body), "x.qde").sources[0].codings
    assert coding.created == dt.datetime(2025, 6, 18, 2, 6, 50, 123456, tzinfo=dt.UTC)
