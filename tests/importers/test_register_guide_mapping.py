"""Participant register (CSV/XLSX, typed columns, generated labels), guide and manifest files."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from tests.conftest import shared
from thematica.domain import AttributeType, Participant, SpeakerRole
from thematica.errors import InputError
from thematica.importers.guide import read_guide
from thematica.importers.mapping import read_manifest, read_speaker_map
from thematica.importers.register import assign_labels, read_register


def test_qualcoder_cases_csv_with_inferred_types() -> None:
    path = shared("qualcoder-examples/cases123.csv")
    # QualCoder's file names its case column "case"; a Thematica register needs a group.
    data = path.read_bytes().replace(b"case,", b"label,group_placeholder,", 1)
    data = b"\n".join(
        line if i == 0 else line.replace(b",", b",Student,", 1)
        for i, line in enumerate(data.splitlines())
    )
    reg = read_register(data.replace(b"group_placeholder", b"group"), "cases123.csv")
    types = {a.name: a.type for a in reg.attributes}
    assert types == {
        "Age": AttributeType.INTEGER,
        "gender": AttributeType.TEXT,
        "interest": AttributeType.TEXT,
    }
    assert reg.participants[0] == Participant(
        "ID1", "Student", {"Age": 20, "gender": "f", "interest": "science"}
    )


def test_explicit_types_and_all_kinds() -> None:
    data = (
        b"label,group,age:integer,fte:float,mh:boolean,interviewed:date,notes\n"
        b"Physio 1,Physiotherapist,34,0.8,yes,2026-03-02,first\n"
        b"OT 1,Occupational therapist,,1,no,14/03/2026,\n"
    )
    reg = read_register(data, "r.csv")
    assert [(a.name, a.type) for a in reg.attributes] == [
        ("age", AttributeType.INTEGER),
        ("fte", AttributeType.FLOAT),
        ("mh", AttributeType.BOOLEAN),
        ("interviewed", AttributeType.DATE),
        ("notes", AttributeType.TEXT),
    ]
    assert reg.participants[1].attributes == {
        "age": None,
        "fte": 1.0,
        "mh": False,
        "interviewed": dt.date(2026, 3, 14),
        "notes": None,
    }


def test_inferred_types() -> None:
    data = b"group,a,b,c,d,e\nX,1,1.5,yes,2026-01-02,0\nX,2,2,no,2026-01-03,1\n"
    types = [a.type for a in read_register(data, "r.csv").attributes]
    assert types == [
        AttributeType.INTEGER,
        AttributeType.FLOAT,
        AttributeType.BOOLEAN,
        AttributeType.DATE,
        AttributeType.INTEGER,
    ]


def test_xlsx_register_with_typed_cells() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["group", "age", "qualified", "mh_training", "setting"])
    sheet.append(["Physiotherapist", 34, dt.datetime(2015, 7, 1), True, "Acute hospital"])
    sheet.append(["Physiotherapist", 41.0, dt.datetime(2009, 9, 1), False, "Private practice"])
    sheet.append(["Occupational therapist", 29, None, True, "Community MSK service"])
    out = io.BytesIO()
    book.save(out)
    reg = read_register(out.getvalue(), "register.xlsx")
    assert [a.type for a in reg.attributes] == [
        AttributeType.INTEGER,
        AttributeType.DATE,
        AttributeType.BOOLEAN,
        AttributeType.TEXT,
    ]
    assert reg.participants[1].attributes["age"] == 41
    labelled = assign_labels(
        reg.participants, prefixes={"Physiotherapist": "Physio", "Occupational therapist": "OT"}
    )
    assert [p.label for p in labelled] == ["Physio 1", "Physio 2", "OT 1"]


def test_labels_continue_after_existing_ones_per_group() -> None:
    people = [
        Participant("", "Physio"),
        Participant("", "OT"),
        Participant("Physio 9", "Physio"),
        Participant("", "Physio"),
    ]
    labelled = assign_labels(people, existing_labels=["Physio 1", "Physio 2", "OT 1"])
    assert [p.label for p in labelled] == ["Physio 10", "OT 2", "Physio 9", "Physio 11"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"label,age\nP1,3\n", r"r.csv: header: the register needs a 'group' column"),
        (
            b"group,age:integer\nX,forty\n",
            r"r.csv: row 2: column 'age': 'forty' is not a whole number",
        ),
        (b"group,age:years\nX,4\n", r"r.csv: header: column 'age': unknown type 'years'"),
        (b"group,age\nX,4,5,6\n", r"r.csv: row 2: has 4 values but the header has 2 columns"),
        (b"group,age\n,4\n", r"r.csv: row 2: the 'group' value is empty"),
        (b"label,group\nP1,X\np1,X\n", r"r.csv: row 3: the label 'p1' is used twice"),
        (b"group,Age,age\nX,1,2\n", r"r.csv: header: column 'age' appears twice"),
        (b"group,age\n", r"r.csv: the register has a header but no participants"),
        (b'group,age\n"X,4\n', r"r.csv: malformed CSV"),
        (b"", r"r.csv: the file is empty"),
    ],
)
def test_bad_registers(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_register(data, "r.csv")


def test_broken_xlsx() -> None:
    with pytest.raises(
        InputError, match="r.xlsx: not a readable .xlsx workbook: the file is damaged"
    ):
        read_register(b"PK\x03\x04broken", "r.xlsx")


def test_register_file_type() -> None:
    with pytest.raises(InputError, match="unsupported register file type '.json'"):
        read_register(b"{}", "r.json")


def test_guide_markdown_with_prompts_and_wrapped_lines() -> None:
    data = (
        b"# Interview guide\n\nSome introduction.\n\n"
        b"1. Tell me about your patients.\n   - How common is it?\n   - Prompt: examples?\n"
        b"2) What gets in the way\n   of helping them?\n   a) Time?\n\nQ3: Anything else?\n"
    )
    guide = read_guide(data, "guide.md")
    assert [(q.text, q.prompts) for q in guide] == [
        ("Tell me about your patients.", ("How common is it?", "examples?")),
        ("What gets in the way of helping them?", ("Time?",)),
        ("Anything else?", ()),
    ]


def test_guide_without_questions() -> None:
    with pytest.raises(InputError, match="guide.md: no numbered questions found"):
        read_guide(b"Just some text\n", "guide.md")


def test_manifest_and_speaker_map() -> None:
    manifest = read_manifest(
        b"file,participant,date,interviewer\na.vtt,Physio 1,2026-03-02,Rachel Ames\nb.vtt,,,\n",
        "m.csv",
    )
    assert manifest["a.vtt"].participant == "Physio 1"
    assert manifest["a.vtt"].interview_date == dt.date(2026, 3, 2)
    assert manifest["b.vtt"].participant is None
    rows = read_speaker_map(
        b"file,speaker,role\n,Rachel Ames,interviewer\nb.vtt,Jo,Participant\n", "s.csv"
    )
    assert rows == [
        (None, "Rachel Ames", SpeakerRole.INTERVIEWER),
        ("b.vtt", "Jo", SpeakerRole.PARTICIPANT),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"file,date\na.vtt,someday\n", r"m.csv: row 2: 'someday' is not a date"),
        (b"participant\nP1\n", r"m.csv: header: missing column\(s\) file"),
        (b"file\na.vtt\na.vtt\n", r"m.csv: row 3: the file 'a.vtt' is listed twice"),
    ],
)
def test_bad_manifests(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_manifest(data, "m.csv")


def test_bad_speaker_role() -> None:
    with pytest.raises(InputError, match=r"s.csv: row 2: unknown role 'boss'"):
        read_speaker_map(b"speaker,role\nAnn,boss\n", "s.csv")


def test_doubled_quotes_inside_fields_are_read_without_a_hint_in_the_sample() -> None:
    # csv.Sniffer would guess doublequote=False from a sample with no "" example, and then split
    # the later row at the comma inside the quote.
    from thematica.importers.codings import read_codings

    rows = ["transcript,coder,code,quote,memo"] + [
        f"P{i},Ann,Code,plain words {i}," for i in range(200)
    ]
    rows.append('P1,Ann,Code,"She said ""it\'s all in your head, really"" to me",')
    specs = read_codings("\n".join(rows).encode(), "c.csv")
    assert specs[-1].quote == 'She said "it\'s all in your head, really" to me'


def test_semicolon_and_tab_delimiters() -> None:
    reg = read_register(b"group;age\nX;3\n", "r.csv")
    assert reg.participants[0].attributes == {"age": 3}
    reg = read_register(b"group\tage\nX\t4\n", "r.tsv")
    assert reg.participants[0].attributes == {"age": 4}
