"""The demo study built at any location (SQLite file or PostgreSQL), from the demo's own data
or from a copy of it without one participant: the study a withdrawal must end up equal to."""

from __future__ import annotations

import csv
import io
import re
import shutil
from functools import partial
from pathlib import Path

from thematica.demo import DATA, QUESTION, TEAM, TITLE
from thematica.domain import Approach, Level
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.guide import read_guide
from thematica.importers.mapping import read_manifest
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

WHO = "Physio 4"  # withdraws in these tests
LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
# (file, the column naming the participant) in the demo's data
BY_PARTICIPANT = (
    ("register.csv", "label"),
    ("interviews.csv", "participant"),
    ("identities.csv", "label"),
    ("analysis/codings-level1.csv", "transcript"),
    ("analysis/codings-level2.csv", "transcript"),
)


def build(location: str, data: Path = DATA, key: Path | None = None) -> StudyService:
    """What ``build_demo`` builds, at ``location``; with ``key``, the key file there."""
    manifest = read_manifest((data / "interviews.csv").read_bytes(), "interviews.csv")
    study = StudyService.create(location, title=TITLE, research_question=QUESTION)
    assert study.info().approach is Approach.REFLEXIVE
    for name, role in TEAM:
        study.add_team_member(name, role)
    study.import_register(
        read_register((data / "register.csv").read_bytes(), "register.csv"), source="register"
    )
    study.replace_guide(read_guide((data / "guide.md").read_bytes(), "guide.md"))
    study.import_transcripts(
        [
            TranscriptSource(
                name=name,
                read=partial((data / "interviews" / name).read_bytes),
                participant=entry.participant,
                interview_date=entry.interview_date,
                interviewer=entry.interviewer,
            )
            for name, entry in sorted(manifest.items(), key=lambda kv: kv[1].interview_date or 0)
        ]
    )
    analysis = data / "analysis"

    def codebook(name: str) -> None:
        study.import_codebook(read_codebook((analysis / name).read_bytes(), name), source=name)

    def codings(name: str, level: Level) -> None:
        found = read_codings((analysis / name).read_bytes(), name)
        study.import_codings(found, source=name, level=level)

    codebook("codebook-level1.csv")
    codings("codings-level1.csv", Level.ONE)
    codebook("framework.yaml")
    codings("codings-level2.csv", Level.TWO)
    if key is not None:
        from thematica.service.anonymising import AnonymisingStudy

        anon = AnonymisingStudy(study, key)
        anon.import_identities((data / "identities.csv").read_bytes(), "identities.csv")
        anon.import_deny_list((data / "deny-list.csv").read_bytes(), "deny-list.csv")
    return study


def data_without(folder: Path, label: str) -> Path:
    """A copy of the demo's data in which ``label`` never took part."""
    target = folder / "data"
    shutil.copytree(DATA, target)
    for name, column in BY_PARTICIPANT:
        path = target / name
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows and column in rows[0], name
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r[column] != label)
        path.write_text(out.getvalue(), encoding="utf-8")
    return target


def windows(text: str, size: int = 8) -> list[tuple[str, ...]]:
    """Every run of ``size`` consecutive words of ``text``."""
    words = text.split()
    return [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]


def found_in(blob: bytes, runs: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The runs whose words stand in ``blob`` in order, separated by any white space."""
    return {
        run
        for run in set(runs)
        if re.search(rb"\s+".join(re.escape(w.encode()) for w in run), blob)
    }


def file_bytes(path: Path) -> bytes:
    """The study file and its write-ahead log, as grep would read them."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
