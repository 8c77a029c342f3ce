"""Every importer failure is one :class:`InputError` naming the file: the crashes a fuzzing run
found (issue 11, item 6), each reproduced here, and the bounds on depth, names, cues and times."""

from __future__ import annotations

import re

import pytest

from tests.importers.hostile_files import (
    REGISTER,
    UNKNOWN_ENCODING_QDC,
    bad_offset,
    damaged_sheet,
    docx,
    member,
    minimal_qdpx,
    needs_zip_version,
    rezip,
    sheetless,
)
from thematica.domain import Level
from thematica.errors import InputError
from thematica.exchange.refi import read_qdc, read_qdpx
from thematica.importers import read_transcript
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.guard import UnreadableFile, guarded
from thematica.importers.guide import read_guide
from thematica.importers.limits import MAX_PATH_DEPTH, MAX_SPEAKER
from thematica.importers.register import read_register
from thematica.importers.turns import Segment, merge


def one_line(exc: pytest.ExceptionInfo[InputError], source: str) -> str:
    message = str(exc.value)
    assert message.startswith(f"{source}: ")
    assert "\n" not in message
    assert not isinstance(exc.value, UnreadableFile), "translated only by the last-resort guard"
    return message


def test_a_sheetless_workbook_is_one_line() -> None:
    with pytest.raises(InputError) as exc:
        read_register(sheetless(), "register.xlsx")
    assert "no worksheet" in one_line(exc, "register.xlsx")


@pytest.mark.parametrize("reader", [read_register, read_codings], ids=["register", "codings"])
def test_a_workbook_with_damaged_sheet_xml_is_one_line(reader: object) -> None:
    with pytest.raises(InputError) as exc:
        reader(damaged_sheet(), "table.xlsx")  # type: ignore[operator]
    assert "damaged" in one_line(exc, "table.xlsx")


def test_a_sheet_claiming_a_huge_size_reads_only_its_cells() -> None:
    sheet = member(REGISTER, "xl/worksheets/sheet1.xml")
    huge = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    assert huge != sheet
    register = read_register(rezip(REGISTER, {"xl/worksheets/sheet1.xml": huge}), "r.xlsx")
    assert [p.label for p in register.participants] == ["P1"]


def test_a_row_far_down_the_sheet_is_refused_not_padded() -> None:
    sheet = member(REGISTER, "xl/worksheets/sheet1.xml")
    far = sheet.replace(b'<row r="2"', b'<row r="900000000"').replace(b'r="A2"', b'r="A900000000"')
    far = far.replace(b'r="B2"', b'r="B900000000"')
    assert far != sheet
    with pytest.raises(InputError) as exc:
        read_register(rezip(REGISTER, {"xl/worksheets/sheet1.xml": far}), "r.xlsx")
    assert "rows" in one_line(exc, "r.xlsx")


def test_a_qdpx_with_a_bad_member_offset_is_one_line() -> None:
    assert read_qdpx(minimal_qdpx(), "nvivo.qdpx").sources == ()
    with pytest.raises(InputError) as exc:
        read_qdpx(bad_offset(minimal_qdpx()), "nvivo.qdpx")
    one_line(exc, "nvivo.qdpx")


def test_a_codebook_declaring_an_unknown_encoding_is_one_line() -> None:
    with pytest.raises(InputError) as exc:
        read_qdc(UNKNOWN_ENCODING_QDC, "atlas.qdc")
    assert "encoding" in one_line(exc, "atlas.qdc")


@pytest.mark.parametrize(
    "timing",
    [
        "999999999999:00:00.000 --> 999999999999:00:01.000",
        "1000:00:00.000 --> 1000:00:01.000",
        "9" * 5000 + ":00:00.000 --> 00:00:01.000",
    ],
    ids=["absurd", "1000h", "5000-digits"],
)
def test_a_vtt_time_beyond_1000_hours_is_refused_at_its_line(timing: str) -> None:
    data = f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA: hi\n\n{timing}\nA: again\n".encode()
    with pytest.raises(InputError) as exc:
        read_transcript(data, "long.vtt")
    message = one_line(exc, "long.vtt")
    assert "line 6" in message and "1000 hours" in message
    assert len(message) < 300


def test_999_hours_is_still_a_time() -> None:
    data = b"WEBVTT\n\n999:59:59.000 --> 999:59:59.999\nA: hi\n"
    assert read_transcript(data, "long.vtt").turns[0].end_ms == 3_599_999_999


def _deep(levels: int) -> str:
    return " > ".join(f"Level {i}" for i in range(levels))


def test_a_code_path_deeper_than_32_levels_is_refused_at_its_row() -> None:
    assert MAX_PATH_DEPTH == 32
    ok = read_codebook(f"path\n{_deep(32)}\n".encode(), "codes.csv", level=Level.ONE)
    assert len(ok.codes[0].path) == 32
    with pytest.raises(InputError) as exc:
        read_codebook(f"path\nA\n{_deep(5000)}\n".encode(), "codes.csv")
    message = one_line(exc, "codes.csv")
    assert "row 3" in message and "32 levels" in message and len(message) < 300


def test_a_coding_of_a_code_deeper_than_32_levels_is_refused() -> None:
    data = f"transcript,coder,code,start,end\n1,Ann,{_deep(33)},0,4\n".encode()
    with pytest.raises(InputError) as exc:
        read_codings(data, "codings.csv")
    assert "row 2" in one_line(exc, "codings.csv")


def test_yaml_themes_deeper_than_32_levels_are_refused() -> None:
    theme = "{name: leaf}"
    for i in range(40):
        theme = f"{{name: t{i}, children: [{theme}]}}"
    with pytest.raises(InputError) as exc:
        read_codebook(f"themes: [{theme}]\n".encode(), "framework.yaml")
    assert "32 levels" in one_line(exc, "framework.yaml")


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    laughs = ["&t0 {name: lol}"]
    for i in range(1, 12):
        laughs.append(f"&t{i} {{name: l{i}, children: [{', '.join([f'*t{i - 1}'] * 10)}]}}")
    doc = "themes:\n" + "".join(f"  - {theme}\n" for theme in laughs)
    with pytest.raises(InputError) as exc:
        read_codebook(doc.encode(), "framework.yaml")
    assert "alias" in one_line(exc, "framework.yaml")


@pytest.mark.parametrize(
    "doc",
    ["codes: [{path: A, description: 2026-13-45}]", "codes: " + "[" * 3000 + "]" * 3000],
    ids=["impossible-date", "deep-nesting"],
)
def test_yaml_that_pyyaml_cannot_build_is_one_line(doc: str) -> None:
    with pytest.raises(InputError) as exc:
        read_codebook(doc.encode(), "framework.yaml")
    assert "YAML" in one_line(exc, "framework.yaml")


def test_a_speaker_name_longer_than_the_bound_is_refused() -> None:
    name = "N" * (MAX_SPEAKER + 1)
    data = f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v {name}>hi</v>\n".encode()
    with pytest.raises(InputError) as exc:
        read_transcript(data, "teams.vtt")
    assert "line 4" in one_line(exc, "teams.vtt")


def test_a_cue_longer_than_the_bound_is_refused() -> None:
    data = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA: " + b"word " * 30_000 + b"\n"
    with pytest.raises(InputError) as exc:
        read_transcript(data, "long.vtt")
    assert "line 4" in one_line(exc, "long.vtt")


def test_merging_many_cues_of_one_speaker_keeps_every_word() -> None:
    turns = merge(Segment("A", f"w{i}", i * 10, i * 10 + 5) for i in range(2000))
    assert len(turns) == 1
    assert turns[0].text == " ".join(f"w{i}" for i in range(2000))
    assert (turns[0].start_ms, turns[0].end_ms) == (0, 19_995)


def test_a_guide_question_wrapped_over_many_lines_is_joined() -> None:
    lines = "1. How\n" + "".join(f"part {i}\n" for i in range(500))
    (question,) = read_guide(lines.encode(), "guide.md")
    assert question.text == "How " + " ".join(f"part {i}" for i in range(500))


def test_the_last_resort_names_the_file_and_the_exception_type() -> None:
    @guarded
    def broken(data: bytes, source: str) -> None:
        raise ZeroDivisionError("deep inside a parser")

    with pytest.raises(UnreadableFile) as exc:
        broken(b"", "odd.csv")
    assert str(exc.value) == "odd.csv: could not be read (ZeroDivisionError)"
    assert isinstance(exc.value.__cause__, ZeroDivisionError)  # kept for a debugger, not shown


# Found by the fuzzer (tests/faults/test_fuzz_importers.py), kept here as plain regressions.


def test_a_docx_whose_document_part_is_another_element_is_one_line() -> None:
    odd = b'<?xml version="1.0"?><w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    data = rezip(docx(["Ann: hi"]), {"word/document.xml": odd})
    with pytest.raises(InputError) as exc:
        read_transcript(data, "odd.docx")
    assert "damaged" in one_line(exc, "odd.docx")


@pytest.mark.parametrize("name", ["guide.docx", "register.xlsx"])
def test_a_zip_needing_a_newer_version_is_one_line(name: str) -> None:
    data = needs_zip_version(docx(["1. How?"]) if name.endswith("docx") else REGISTER, 84)
    reader = read_guide if name.endswith("docx") else read_register
    with pytest.raises(InputError) as exc:
        reader(data, name)
    one_line(exc, name)


def test_text_quoted_from_the_file_never_breaks_the_line() -> None:
    with pytest.raises(InputError) as exc:
        read_codings(b'"a\nb",c\n1,2\n', "codings.csv")
    assert "missing column" in one_line(exc, "codings.csv")
    qdc = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\n<![CDATA[x\ny\n'
    with pytest.raises(InputError) as exc:
        read_qdc(qdc, "atlas.qdc")
    one_line(exc, "atlas.qdc")


def test_an_unclosed_tag_never_swallows_the_next_one() -> None:
    """A tag ends before the next "<": this keeps an unclosed "<v" from being scanned to the end
    of the cue from every "<" (80 KB of "<v a" took minutes; bench/run.py fuzz measures it)."""
    data = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ann <v Bob>hello <b <i>there</i>\n"
    turns = read_transcript(data, "teams.vtt").turns
    assert [t.speaker for t in turns if t.speaker] == ["Bob"]
    assert turns[-1].text == "hello <b there"
    srt = b"1\n00:00:00,000 --> 00:00:01,000\nAnn: hello <b <i>there</i> {\\an8 {\\b1}x\n"
    assert read_transcript(srt, "a.srt").turns[0].text == "hello <b there {\\an8 x"


def test_formatted_empty_cells_far_to_the_right_are_not_columns() -> None:
    sheet = member(REGISTER, "xl/worksheets/sheet1.xml")
    styled = sheet.replace(b"</row>", b'<c r="XFD1" s="0"/></row>', 1)
    assert styled != sheet
    register = read_register(rezip(REGISTER, {"xl/worksheets/sheet1.xml": styled}), "r.xlsx")
    assert [p.label for p in register.participants] == ["P1"]


def test_a_style_number_too_large_for_openpyxl_is_one_line() -> None:
    styles = member(REGISTER, "xl/styles.xml")
    huge = styles.replace(b'fontId="0"', b'fontId="99999999999999999999"')
    assert huge != styles
    with pytest.raises(InputError) as exc:
        read_register(rezip(REGISTER, {"xl/styles.xml": huge}), "r.xlsx")
    one_line(exc, "r.xlsx")
