"""The fictional demo study, built from the data files beside this module.

``data/`` holds the source files exactly as a research team would have them: the participant
register (``register.csv``), the interview guide (``guide.md``), ten Teams WebVTT interviews
(``interviews/``) and a manifest saying whose interview each file is (``interviews.csv``).
``data/analysis/`` holds the analysis: the shared level-one codebook, both coders' independent
level-one codings, the agreed level-two codebook with its theme framework and interlinks, and the
reconciled level-two codings. ``build_demo`` runs them all through the same importers and
service as any user's files.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from thematica.domain import Approach, Level, MemberRole
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.guide import read_guide
from thematica.importers.mapping import read_manifest
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

DATA = Path(__file__).with_name("data")
TITLE = (
    "Living with pain and low mood: physiotherapists' and occupational therapists' experiences "
    "of patients with musculoskeletal and co-existing mental-health conditions"
)
QUESTION = (
    "How do physiotherapists and occupational therapists recognise and respond to mental-health "
    "difficulties in patients with musculoskeletal conditions?"
)
TEAM = (
    ("Rachel Ames", MemberRole.LEAD),
    ("Tom Okafor", MemberRole.CODER),
    ("Helen Marsh", MemberRole.READER),
)


def key_path(target: Path) -> Path:
    from thematica.anonymise.keyfile import default_key_path

    return default_key_path(str(target))


def build_demo(target: Path) -> Path:
    """Create the demo study at ``target`` (which must not exist) and return its path.

    The study and its key file are built under temporary names and appear together at the end
    (the key first), so an interrupted build leaves no study behind."""
    manifest = read_manifest((DATA / "interviews.csv").read_bytes(), "interviews.csv")
    register = read_register((DATA / "register.csv").read_bytes(), "register.csv")
    guide = read_guide((DATA / "guide.md").read_bytes(), "guide.md")
    with StudyService.creating(
        str(target), title=TITLE, research_question=QUESTION, approach=Approach.REFLEXIVE
    ) as study:
        for name, role in TEAM:
            study.add_team_member(name, role)
        study.import_register(register, source="register.csv")
        study.replace_guide(guide)
        sources = [
            TranscriptSource(
                name=name,
                read=partial((DATA / "interviews" / name).read_bytes),
                participant=entry.participant,
                interview_date=entry.interview_date,
                interviewer=entry.interviewer,
            )
            for name, entry in sorted(manifest.items(), key=lambda kv: kv[1].interview_date or 0)
        ]
        study.import_transcripts(sources)
        analysis = DATA / "analysis"
        level_one = read_codebook(
            (analysis / "codebook-level1.csv").read_bytes(), "codebook-level1.csv"
        )
        study.import_codebook(level_one, source="codebook-level1.csv")
        name = "codings-level1.csv"
        study.import_codings(
            read_codings((analysis / name).read_bytes(), name), source=name, level=Level.ONE
        )
        framework = read_codebook((analysis / "framework.yaml").read_bytes(), "framework.yaml")
        study.import_codebook(framework, source="framework.yaml")
        # The key file (kept apart from the study): real names and the deny-list, ready to scan.
        from thematica.service.anonymising import AnonymisingStudy

        anon = AnonymisingStudy(study, study.companion_path(key_path(target)))
        anon.import_identities((DATA / "identities.csv").read_bytes(), "identities.csv")
        anon.import_deny_list((DATA / "deny-list.csv").read_bytes(), "deny-list.csv")
        name = "codings-level2.csv"
        study.import_codings(
            read_codings((analysis / name).read_bytes(), name), source=name, level=Level.TWO
        )
    study.close()
    return target
