"""Import gives exactly what it gave before it was made faster (issue 15): digests of what the
transcript importers return for the demo's files, the third-party files in ../shared/testdata,
crafted encodings and control characters, and a fixed run of the mutation fuzzer (refusals
included, message for message), and of the rows a study holds after importing the demo
(transcripts, turns and the full-text index).

The digests in ``import_golden.json`` were written by the importers before the speed work.
A deliberate change of behaviour rewrites them with
``PYTHONPATH=src python -m tests.importers.test_import_golden --write`` (and says why in the
commit); a digest that changes by accident is a regression.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import TESTDATA, shared
from thematica.errors import InputError
from thematica.importers import TRANSCRIPT_SUFFIXES, read_transcript

GOLDEN = Path(__file__).with_name("import_golden.json")
DEMO = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data"
SHARED_FOLDERS = (
    "bristlenose-transcript-fixtures",
    "qualcoder-examples",
    "refi-qda-spec",
    "teams-docx-unstructured",
    "teams-vtt-teams-transcript-formatter",
    "webvtt-py-samples",
    "zoom-vtt-zoomstudentengagement",
)
# not the DOCX target: its generated seeds carry the time they were zipped
FUZZ_TARGETS = ("transcript-vtt", "transcript-srt", "transcript-txt", "transcript-md")
FUZZ_INPUTS = 250  # per target
FUZZ_SEED = 20261203


def outcome(data: bytes, name: str) -> str:
    """What the importer made of one file: its turns, or its one-line refusal."""
    try:
        parsed = read_transcript(data, name)
    except InputError as exc:
        return f"refused: {exc}"
    return repr(parsed)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def shared_files() -> list[Path]:
    return sorted(
        p
        for folder in SHARED_FOLDERS
        for p in (TESTDATA / folder).rglob("*")
        if p.suffix.lower() in TRANSCRIPT_SUFFIXES
        and p.name.upper() not in ("LICENSE.MD", "README.MD")
    )


def crafted() -> Iterator[tuple[str, bytes]]:
    """The demo's first interview in every encoding and line-end form the decoder reads, with
    control characters under and over the limit, C1 controls, and names in NFD."""
    base = (DEMO / "interviews" / "physio-1.vtt").read_text("utf-8")
    accented = base.replace("Rachel Ames", "Zoë Ní Bhriain")
    yield "utf8-bom.vtt", codecs.BOM_UTF8 + accented.encode()
    yield "utf16-le-bom.vtt", accented.encode("utf-16")
    yield "utf16-be-bom.vtt", codecs.BOM_UTF16_BE + accented.encode("utf-16-be")
    yield "utf16-le-bare.vtt", accented.encode("utf-16-le")
    yield "utf16-be-bare.vtt", accented.encode("utf-16-be")
    yield "cp1252.vtt", accented.replace("'", "\u2019").encode("cp1252")
    yield "crlf.vtt", accented.replace("\n", "\r\n").encode()
    yield "cr.vtt", accented.replace("\n", "\r").encode()
    yield "nfd.vtt", unicodedata.normalize("NFD", accented).encode()
    yield "bom-twice.vtt", ("\ufeff\ufeff" + base).encode()
    yield (
        "few-controls.vtt",
        base.replace("Okay", "Ok\x1bay", 2).replace("the", "t\x07he", 1).encode(),
    )
    yield "c1-controls.vtt", base.replace("the", "t\x85h\x9fe", 3).encode()
    yield "nonchars.vtt", base.replace("the", "t\ufffeh\uffffe", 2).encode()
    yield "white-controls.vtt", base.replace(" ", "\t", 40).replace("\n\n", "\n\x0c\n", 5).encode()
    yield "vertical-tab.vtt", base.replace(" ", "\x0b", 40).encode()
    many = "".join(ch + ("\x01" if i % 50 == 0 else "") for i, ch in enumerate(base))
    yield "many-controls.vtt", many.encode()
    just_over = "\x02" * (len(base) // 1000 + 1) + base
    yield "controls-just-over.vtt", just_over.encode()
    at_limit = "\x02" * (len(base) // 1000) + base
    yield "controls-at-limit.vtt", at_limit.encode()
    yield "tiny-controls.txt", b"Anna: hi\x01\x02 there\nBen: ok\nAnna: yes\x03\nBen: no\n"
    yield "tiny-controls-three.txt", b"Anna: hi\x01\x02\x03\nBen: ok\n"
    yield "tiny-controls-two.txt", b"Anna: hi\x01\x02\nBen: ok\n"
    yield "nul.txt", b"Anna: hi\x00there\nBen: ok\n"
    yield "del.txt", b"Anna: hi\x7f there\nBen: ok\n"
    yield "bad-utf8.txt", b"Anna: caf\xe9 au lait\nBen: \x81 ok\n"
    yield "empty.vtt", b"  \n\t\n"
    yield "bom-only.vtt", codecs.BOM_UTF8 + "\ufeff \n".encode()
    yield (
        "plain.srt",
        (
            b"1\n00:00:01,000 --> 00:00:02,500\nAnna: Hello there.\n\n"
            b"2\n00:00:03,000 --> 00:00:04,000\nBen: Hi.\n\n"
            b"3\n0:0:5,5 --> 0:0:6,25\nAnna: <i>How</i> &amp; why?\n"
        ),
    )
    cues = [
        "<v >no name</v>",
        "<V Upper>shouted</V>",
        "<v Ann>a > b, and c</v>",
        "<v Ann text with no closing bracket</v>",
        "<v.loud Ann>classed</v>",
        "<v Ann>one</v><v Ben>two</v>",
        "before <v Ann>after</v>",
        "<v Ann>fish &amp; chips</v>",
        "<v A&amp;B>ampersand name</v>",
        "<v Ann>tabs\tand  double\u00a0spaces  </v>",
        "<v Ann>two\nlines </v>",
        "<v Ann>unclosed voice",
        "<v Ann><i>italic</i> and <00:00:01.500>timed</v>",
        "<v  Ann  >padded name</v>",
        "<v Ann>&lt;v Ben&gt; escaped</v>",
    ]
    body = "".join(
        f"{n}\n00:00:{n:02d}.000 --> 00:00:{n:02d}.900\n{cue}\n\n" for n, cue in enumerate(cues)
    )
    yield "voices.vtt", f"WEBVTT\n\n{body}".encode()
    yield (
        "voices-then-note.vtt",
        (
            b"WEBVTT - header text\nKind: captions\n\nNOTE a note\nover lines\n\nSTYLE\n::cue {}\n\n"
            b"NOTEBOOK\n00:00:01.000 --> 00:00:02.000\nplain cue one\n\n"
            b"00:00:02.500 --> 00:00:03.000 align:start\nplain cue two\n\n"
            b"00:00:07.000 --> 00:00:08.000\nafter a pause\n"
        ),
    )
    yield (
        "zoom.vtt",
        (
            b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hello there.\n\n"
            b"2\n00:00:02.000 --> 00:00:03.000\nBen: Hi.\n\n"
            b"3\n00:00:03.000 --> 00:00:04.000\nand more from Ben\n\n"
            b"4\n00:00:04.000 --> 00:00:05.000\nAnn Lee: Note: this is speech.\n"
        ),
    )
    for label, timing in (
        ("hours-999", "999:00:00.000 --> 999:00:01.000"),
        ("hours-1000", "1000:00:00.000 --> 1000:00:01.000"),
        ("hours-0999", "0999:00:00.000 --> 0999:00:01.000"),
        ("hours-00001", "00001:00:00.000 --> 00001:00:01.000"),
        ("minutes-60", "01:60:00.000 --> 01:60:01.000"),
        ("minutes-60-no-hours", "60:00.000 --> 60:01.000"),
        ("seconds-60", "00:00:60.000 --> 00:01:01.000"),
        ("backwards", "00:00:05.000 --> 00:00:04.000"),
        ("short-fraction", "0:0:3.5 --> 0:0:4.25"),
        ("comma", "00:00:03,500 --> 00:00:04,250"),
        ("malformed", "00:00:03 --> 00:00:04"),
    ):
        yield f"{label}.vtt", f"WEBVTT\n\n{timing}\n<v Ann>said</v>\n".encode()
    yield (
        "long-speaker.vtt",
        f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v {'N' * 201}>x</v>\n".encode(),
    )
    yield "arrow-in-text.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>a\nb --> c</v>\n"
    yield (
        "unnamed-pauses.srt",
        (
            b"1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n00:00:02,500 --> 00:00:03,000\nsecond\n\n"
            b"3\n00:00:06,000 --> 00:00:07,000\nafter a pause\n\n4\n00:00:07,000 --> 00:00:07,500\n  \n"
        ),
    )
    yield (
        "pause-exactly-2000.srt",
        (
            b"1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n00:00:03,999 --> 00:00:04,000\nsecond\n\n"
            b"3\n00:00:06,000 --> 00:00:07,000\nthird\n"
        ),
    )
    yield "form-feed-in-text.vtt", base.replace("the", "t\x0che", 3).encode()
    yield "vertical-tab-in-text.vtt", base.replace("the", "th\x0be", 3).encode()
    yield "markdown.md", "**Anna:** Hello  there.\n\n**Ben:**\tHi   again.\n\nAnna: Zoë.\n".encode()


def fuzz_outcomes(seeds: object) -> str:
    from tests.faults.fuzzing import BY_NAME, make_input

    lines = []
    for name in FUZZ_TARGETS:
        target = BY_NAME[name]
        for index in range(FUZZ_INPUTS):
            data = make_input(seeds, target, FUZZ_SEED, index)  # type: ignore[arg-type]
            lines.append(f"{name}[{index}] {digest(outcome(data, target.file_name))}")
    return "\n".join(lines)


def generated_fuzz() -> str:
    from tests.faults.fuzzing import Seeds, generated_seeds

    return fuzz_outcomes(Seeds(generated_seeds()))


def shared_fuzz() -> str:
    from tests.faults.fuzzing import Seeds

    return fuzz_outcomes(Seeds.load())


def demo_study_rows(folder: Path) -> str:
    """The demo's interviews imported into a new study, as its rows (times of import left out)."""
    from thematica.importers.mapping import read_manifest
    from thematica.importers.register import read_register
    from thematica.service import StudyService, TranscriptSource

    path = folder / "golden.thematica"
    manifest = read_manifest((DEMO / "interviews.csv").read_bytes(), "interviews.csv")
    with StudyService.create(str(path), title="Golden") as study:
        study.import_register(
            read_register((DEMO / "register.csv").read_bytes(), "register.csv"),
            source="register.csv",
        )
        study.import_transcripts(
            TranscriptSource(
                name,
                partial((DEMO / "interviews" / name).read_bytes),
                participant=entry.participant,
                interview_date=entry.interview_date,
                interviewer=entry.interviewer,
            )
            for name, entry in sorted(manifest.items())
        )
    conn = sqlite3.connect(path)
    try:
        transcripts = conn.execute(
            "SELECT id, participant_id, source_name, source_sha256, source_format, interview_date,"
            " duration_ms, interviewer, text, word_count FROM transcripts ORDER BY id"
        ).fetchall()
        turns = conn.execute("SELECT * FROM turns ORDER BY id").fetchall()
        conn.execute(
            "CREATE VIRTUAL TABLE temp.golden_vocab USING fts5vocab(main, search_turns, instance)"
        )
        index = conn.execute("SELECT * FROM temp.golden_vocab ORDER BY 1, 2, 3, 4").fetchall()
    finally:
        conn.close()
    return repr((transcripts, turns, index))


def current(folder: Path) -> dict[str, object]:
    found: dict[str, object] = {
        "demo_files": {
            p.name: digest(outcome(p.read_bytes(), p.name))
            for p in sorted((DEMO / "interviews").iterdir())
        },
        "crafted": {name: digest(outcome(data, name)) for name, data in crafted()},
        "fuzz_generated_seeds": digest(generated_fuzz()),
        "demo_study_rows": digest(demo_study_rows(folder)),
    }
    if TESTDATA.is_dir():
        found["shared_files"] = {
            str(p.relative_to(TESTDATA)): digest(outcome(p.read_bytes(), p.name))
            for p in shared_files()
        }
        found["fuzz_shared_seeds"] = digest(shared_fuzz())
    return found


@pytest.fixture(scope="module")
def golden() -> dict[str, object]:
    return json.loads(GOLDEN.read_text())  # type: ignore[no-any-return]


def test_demo_interviews_parse_as_before(golden: dict[str, object]) -> None:
    got = {
        p.name: digest(outcome(p.read_bytes(), p.name))
        for p in sorted((DEMO / "interviews").iterdir())
    }
    assert got == golden["demo_files"]


def test_crafted_encodings_and_controls_as_before(golden: dict[str, object]) -> None:
    assert {name: digest(outcome(data, name)) for name, data in crafted()} == golden["crafted"]


def test_third_party_files_parse_as_before(golden: dict[str, object]) -> None:
    shared(".")  # without ../shared: one line, the usual skip (CI: a failure)
    got = {
        str(p.relative_to(TESTDATA)): digest(outcome(p.read_bytes(), p.name))
        for p in shared_files()
    }
    assert got == golden["shared_files"]


def test_fuzzed_inputs_give_the_same_turns_and_refusals(golden: dict[str, object]) -> None:
    assert digest(generated_fuzz()) == golden["fuzz_generated_seeds"]
    if TESTDATA.is_dir():
        assert digest(shared_fuzz()) == golden["fuzz_shared_seeds"]


def test_demo_study_rows_as_before(golden: dict[str, object], tmp_path: Path) -> None:
    assert digest(demo_study_rows(tmp_path)) == golden["demo_study_rows"]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        GOLDEN.write_text(json.dumps(current(Path(scratch)), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
