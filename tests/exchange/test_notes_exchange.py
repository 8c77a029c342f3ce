"""Memos and journal entries through REFI-QDA (issue 12 item 6): memos travel as ``Note``s that
their targets refer to with ``NoteRef``s, both ways; journal entries only with ``--journal``.
Also an NVivo-shaped project with notes (no real NVivo export with notes is in the shared test
data: those four files have none)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from tests.exchange.refi_helpers import XP, assert_valid, qde, qdpx
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.exchange.refi import read_qdpx
from thematica.service import StudyService


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    run("demo", str(folder))
    study = folder / "demo.thematica"
    with StudyService.open(str(study)) as s:
        lead = next(m.name for m in s.team() if m.role.value == "lead")
        coder = next(m.name for m in s.team() if m.role.value == "coder")
        code = next(c for c in s.codes() if c.level is Level.TWO)
        node = s.framework()[0][0]
        transcript = s.transcripts()[0]
        s.add_memo(f"code:{code.id}", "Code memo: keep it narrow.", by=lead)
        s.add_memo(f"theme:{node.id}", "Theme memo: the heart of it.", by=coder)
        s.add_memo(f"transcript:{transcript.id}", "Transcript memo: noisy room.", by=lead)
        s.add_journal_entry("I expected more about sleep.", by=lead)
        s.add_journal_entry(
            "Field note after the interview.",
            by=coder,
            kind="field-note",
            transcripts=[str(transcript.id)],
            codes=[code.id],
        )
    return study


def memos(s: StudyService) -> set[tuple[str, str, str]]:
    """(target named by path or file, author, text) for every memo on a code, theme, transcript."""
    codes = {f"code:{c.id}": f"code {int(c.level)} {' > '.join(c.path)}" for c in s.codes()}
    themes = {f"theme:{n.id}": f"theme {' > '.join(n.path)}" for n in s.framework()[0]}
    files = {f"transcript:{t.id}": f"transcript {t.source_name}" for t in s.transcripts()}
    names = {**codes, **themes, **files}
    return {(names[m.target], m.author, m.text) for m in s.memos()}


def journal(s: StudyService) -> set[tuple[object, ...]]:
    out = set()
    for member in s.team():
        for e in s.journal(member.name):
            out.add(
                (
                    e.author,
                    e.kind,
                    e.text,
                    tuple(sorted(t.label for t in e.transcripts)),
                    tuple(sorted(c.label for c in e.codes)),
                    e.created_at.replace(tzinfo=None, microsecond=0),
                )
            )
    return out


def test_memos_and_journal_round_trip(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.qdpx"
    result = run("qdpx", "export", str(demo), str(out), "--journal", "--allow-identifiers")
    assert "3 memos, 2 journal entries" in result.output
    assert_valid(out.read_bytes())
    back = tmp_path / "back.thematica"
    result = run("qdpx", "import", str(out), str(back), "--journal")
    assert "Notes: 3 memos, 2 journal entries" in result.output
    with StudyService.open(str(demo)) as a, StudyService.open(str(back)) as b:
        assert memos(a) == memos(b) and len(memos(a)) == 3
        assert journal(a) == journal(b) and len(journal(a)) == 2
        codings = sorted(c.memo or "" for c in a.codings())
        assert codings == sorted(c.memo or "" for c in b.codings())  # coding memos as before


def test_the_memos_are_notes_with_noterefs_on_their_targets(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.qdpx"
    run("qdpx", "export", str(demo), str(out), "--allow-identifiers")
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    notes = {n.get("guid"): n for n in root.iterfind("q:Notes/q:Note", XP)}
    texts = {n.findtext("q:PlainTextContent", namespaces=XP) for n in notes.values()}
    assert {"Code memo: keep it narrow.", "Theme memo: the heart of it."} <= texts
    assert "I expected more about sleep." not in texts  # no journal without --journal
    referred = {
        ref.getparent().tag.split("}")[1]: ref.get("targetGUID")
        for ref in root.iter("{urn:QDA-XML:project:1.0}NoteRef")
        if notes.get(ref.get("targetGUID")) is not None
        and notes[ref.get("targetGUID")].get("name") == "Memo"
        and notes[ref.get("targetGUID")].findtext("q:PlainTextContent", namespaces=XP)
        in {"Code memo: keep it narrow.", "Transcript memo: noisy room."}
    }
    assert set(referred) == {"Code", "TextSource"}


def test_journal_entries_stay_out_unless_asked_for(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.qdpx"
    run("qdpx", "export", str(demo), str(out), "--journal", "--allow-identifiers")
    back = tmp_path / "back.thematica"
    result = run("qdpx", "import", str(out), str(back))
    assert "Skipped 2 notes" in result.stderr and "--journal" in result.stderr
    with StudyService.open(str(back)) as b:
        assert not journal(b) and len(memos(b)) == 3


NVIVO_USER = "{6A1F54C2-8C5B-4E57-9A0D-2B7C3E0D9F11}"
NVIVO_USER_2 = "{0B8E2F6D-3C1A-4F9B-8E7D-5A4C3B2A1F00}"
CODE = "{3E8C7A21-5B6D-4F1E-A2C3-D4E5F6A7B8C9}"
SOURCE = "{9F2E1D0C-8B7A-4695-8473-625140F3E2D1}"
SELECTION = "{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}"
CODING = "{7D6C5B4A-3F2E-4D1C-9B0A-8F7E6D5C4B3A}"
NOTE_CODE = "{AA11BB22-CC33-4D44-8E55-FF6677889900}"
NOTE_SOURCE = "{BB22CC33-DD44-4E55-9F66-00778899AA11}"
NOTE_FREE = "{CC33DD44-EE55-4F66-A077-1188990AABB2}"


def nvivo_file() -> bytes:
    """Shaped as NVivo for Windows writes a project: braced upper-case GUIDs, UTF-16 positions
    (the text has an emoji before the coded words), note texts in files under sources/ named by
    plainTextPath, memos linked with NoteRef from a node and from a source, one free note."""
    text = "Interviewer: How is it? \U0001f642\r\nRespondent: The pain wakes me at night.\r\n"
    start = len("Interviewer: How is it? ") + 2 + 2 + len("Respondent: ")  # UTF-16, CRLF as 2
    end = start + len("The pain wakes me at night.")
    body = (
        f'<Users><User guid="{NVIVO_USER}" name="AB"/><User guid="{NVIVO_USER_2}" name="CD"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE}" name="Sleep" isCodable="true">'
        f'<NoteRef targetGUID="{NOTE_CODE}"/></Code></Codes></CodeBook>'
        f'<Sources><TextSource guid="{SOURCE}" name="Interview 1" '
        f'plainTextPath="internal://{SOURCE}.txt" creatingUser="{NVIVO_USER}">'
        f'<PlainTextSelection guid="{SELECTION}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{NVIVO_USER}"><Coding guid="{CODING}" creatingUser="{NVIVO_USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
        f'<NoteRef targetGUID="{NOTE_SOURCE}"/></TextSource></Sources>'
        "<Notes>"
        f'<Note guid="{NOTE_CODE}" name="Sleep memo" plainTextPath="internal://{NOTE_CODE}.txt" '
        f'creatingUser="{NVIVO_USER_2}" creationDateTime="2023-05-04T10:11:12.1234567Z"/>'
        f'<Note guid="{NOTE_SOURCE}" name="Interview 1 memo" '
        f'plainTextPath="internal://{NOTE_SOURCE}.txt" creatingUser="{NVIVO_USER}"/>'
        f'<Note guid="{NOTE_FREE}" name="Project memo" creatingUser="{NVIVO_USER}">'
        "<PlainTextContent>Why this project matters.</PlainTextContent></Note>"
        "</Notes>"
    )
    return qdpx(
        {
            "project.qde": qde(body, origin="NVivo for Windows 12.6", name="NVivo study"),
            f"sources/{SOURCE}.txt": text.encode("utf-8"),
            f"sources/{NOTE_CODE}.txt": "\ufeffSleep runs through it.".encode(),
            f"sources/{NOTE_SOURCE}.txt": b"Recorded at home.",
        }
    )


def test_an_nvivo_shaped_project_with_notes(tmp_path: Path) -> None:
    data = nvivo_file()
    from tests.exchange.refi_helpers import project_schema

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert project_schema().validate(etree.fromstring(archive.read("project.qde")))
    project = read_qdpx(data, "nvivo.qdpx")
    assert project.offset_unit.startswith("UTF-16")
    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(data)
    plain, with_journal = tmp_path / "plain.thematica", tmp_path / "journal.thematica"
    result = run("qdpx", "import", str(path), str(plain))
    assert "Notes: 2 memos, 0 journal entries" in result.output
    assert "Skipped 1 notes" in result.stderr
    run("qdpx", "import", str(path), str(with_journal), "--journal")
    with StudyService.open(str(plain)) as s:
        assert memos(s) == {
            ("code 1 Sleep", "CD", "Sleep runs through it."),
            ("transcript Interview 1", "AB", "Recorded at home."),
        }
        memo = next(m for m in s.memos() if m.author == "CD")
        assert memo.created_at.isoformat().startswith("2023-05-04T10:11:12")
        coding = s.codings()[0]
        assert s.transcript("1").text[coding.start : coding.end] == "The pain wakes me at night."
    with StudyService.open(str(with_journal)) as s:
        entries = s.journal("AB")
        assert [(e.kind, e.text) for e in entries] == [("journal", "Why this project matters.")]
        assert len(memos(s)) == 2
