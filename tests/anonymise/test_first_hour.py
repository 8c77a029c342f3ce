"""Anonymisation as a new user meets it (issue 13, item 8): a scan makes the key file, distinct
interviewers get distinct labels, an apply with findings still to review refuses, the check
says what it cannot see, and NER finds the names no list has."""

from __future__ import annotations

import importlib.util
import os
import shutil
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.domain import MemberRole
from thematica.service import StudyService, TranscriptSource

DATA = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data"
LEAD = "Rachel Ames"


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def keyless(demo_template: Path, tmp_path: Path) -> Path:
    """The demo study alone, with no key file beside it."""
    study = tmp_path / "study.thematica"
    shutil.copyfile(demo_template, study)
    return study


def test_a_first_scan_creates_the_key_file_and_says_where(keyless: Path) -> None:
    key = Path(f"{keyless}-key")
    assert not key.exists()
    result = run("anonymise", "scan", str(keyless))
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
    assert f"Created the key file {key}" in result.stderr
    assert "findings in 10 transcripts" in result.stdout
    again = run("anonymise", "scan", str(keyless))
    assert "Created the key file" not in again.stderr


def test_an_apply_with_findings_to_review_refuses_and_says_how_many(keyless: Path) -> None:
    run("anonymise", "scan", str(keyless))
    run("anonymise", "review", str(keyless), "--accept-category", "email")
    before = snapshot(str(keyless))
    refused = run("anonymise", "apply", str(keyless), "--by", LEAD, ok=False)
    assert refused.exit_code == 2
    (line,) = refused.stderr.strip().splitlines()
    assert "findings are still pending review" in line and "--pending skip" in line
    pending = int(line.split("Error: ", 1)[1].split(" ", 1)[0])
    assert pending > 0
    assert snapshot(str(keyless)) == before
    done = run("anonymise", "apply", str(keyless), "--by", LEAD, "--pending", "skip")
    assert "Replaced 1 identifier" in done.stdout


def test_two_interviewers_become_interviewer_a_and_b_in_every_study(tmp_path: Path) -> None:
    study = str(tmp_path / "fresh.thematica")
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v {who}>How has it been?</v>\n\n" + (
        "00:00:05.000 --> 00:00:20.000\n<v Jo Bloggs>Long, with the pain and the low mood, "
        "and the waiting, and all of it together, every day.</v>\n"
    )
    with StudyService.create(study, title="Two interviewers") as service:
        service.add_team_member(LEAD, MemberRole.LEAD)
        service.import_transcripts(
            [
                TranscriptSource(
                    f"{i}.vtt", partial(str.encode, vtt.format(who=who).replace("Jo", f"Jo{i}"))
                )
                for i, who in enumerate(("Sam Interviews", "Alex Asks", "Sam Interviews"))
            ]
        )
    run("anonymise", "scan", study)
    run("anonymise", "apply", study, "--by", LEAD, "--pending", "skip")
    with StudyService.open(study) as service:
        labels = [
            {t.speaker for t in service.transcript(str(i)).turns if t.role.value == "interviewer"}
            for i in (1, 2, 3)
        ]
    assert labels == [{"Interviewer A"}, {"Interviewer B"}, {"Interviewer A"}]
    # a later interviewer gets the next letter, and the known ones keep theirs
    with StudyService.open(study) as service:
        service.import_transcripts(
            [TranscriptSource("4.vtt", partial(str.encode, vtt.format(who="Kim Kelly")))]
        )
    run("anonymise", "scan", study)
    run("anonymise", "apply", study, "--by", LEAD, "--pending", "skip")
    with StudyService.open(study) as service:
        speakers = {t.speaker for t in service.transcript("4").turns}
    assert "Interviewer C" in speakers


def test_the_check_says_plainly_what_it_cannot_see(keyless: Path) -> None:
    result = run("anonymise", "check", str(keyless), ok=False)
    assert "names that are on no list cannot be detected" in result.stderr
    assert "--ner" in result.stderr and "anonymise deny" in result.stderr


NER_MISSING = importlib.util.find_spec("spacy") is None


@pytest.mark.skipif(
    NER_MISSING and os.environ.get("THEMATICA_REQUIRE_NER") != "1",
    reason="spaCy is not installed (scripts/setup --ner)",
)
def test_with_ner_the_third_party_names_and_hospitals_no_list_has_are_found(
    keyless: Path,
) -> None:
    run("anonymise", "identities", str(keyless), str(DATA / "identities.csv"))
    run("anonymise", "scan", str(keyless))  # the lists alone: no deny-list here
    listed = run("anonymise", "review", str(keyless), "--format", "json").stdout
    assert "Marcus Lowe" not in listed and "St Aldhelm" not in listed
    run("anonymise", "scan", str(keyless), "--ner")
    import json

    found = json.loads(run("anonymise", "review", str(keyless), "--format", "json").stdout)
    by_ner = {f["original"] for f in found if f["detector"] == "ner"}
    # PLANTED.md: colleagues, patients and a hospital that no list of this study names
    assert {"Marcus Lowe", "Ann Goodridge", "Mark", "Hope"} <= by_ner
    assert "St Aldhelm's Hospital" in by_ner
    assert {f["confidence"] for f in found if f["detector"] == "ner"} == {"check"}
