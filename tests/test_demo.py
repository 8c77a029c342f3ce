"""The demo study: built from its data files by the same importers as any user's study."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.cli.main import cli
from thematica.demo import DATA
from thematica.domain import SpeakerRole
from thematica.service import StudyService


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output + result.stderr
    path = Path(result.output.strip())
    assert path == folder / "demo.thematica" and path.exists()
    return path


def test_register_guide_and_team(demo: Path) -> None:
    with StudyService.open(str(demo)) as study:
        people = study.participants()
        assert [p.label for p in people] == [f"Physio {i}" for i in range(1, 8)] + [
            "OT 1",
            "OT 2",
            "OT 3",
        ]
        assert {p.group for p in people} == {"Physiotherapist", "Occupational therapist"}
        assert len(study.attribute_defs()) == 6
        guide = study.guide()
        assert len(guide) == 3 and all(2 <= len(q.prompts) <= 4 for q in guide)
        assert {m.role.value for m in study.team()} == {"lead", "coder", "reader"}


def test_ten_interviews_of_1000_to_1500_words_with_roles_from_the_identities(demo: Path) -> None:
    rows = csv.DictReader((DATA / "identities.csv").read_text(encoding="utf-8").splitlines())
    identities = {row["label"]: row["real_name"] for row in rows}
    with StudyService.open(str(demo)) as study:
        summaries = study.transcripts()
        assert len(summaries) == 10
        dates = [s.interview_date for s in summaries]
        assert all(dates) and dates == sorted(dates)  # imported in interview order
        labels_by_date = [s.participant for s in summaries]
        assert labels_by_date != sorted(labels_by_date)  # recruitment was staggered
        for s in summaries:
            assert 1000 <= s.words <= 1500, s
            t = study.transcript(str(s.id))
            participant_speakers = {x.speaker for x in t.turns if x.role is SpeakerRole.PARTICIPANT}
            assert participant_speakers == {identities[s.participant or ""]}
            assert t.interviewer in (identities["Interviewer A"], identities["Interviewer B"])


def test_every_answer_key_quote_is_in_its_participants_transcript(demo: Path) -> None:
    text = (DATA / "THEMES.md").read_text(encoding="utf-8")
    quotes = re.findall(r"^- (Physio \d|OT \d) \(`[^`]+`\): \"(.+)\"$", text, re.MULTILINE)
    assert len(quotes) >= 40
    with StudyService.open(str(demo)) as study:
        for label, quote in quotes:
            assert quote in study.transcript(label).text, (label, quote)


def test_demo_refuses_to_overwrite_without_force(demo: Path) -> None:
    again = CliRunner().invoke(cli, ["demo", str(demo.parent)])
    assert again.exit_code == 2 and "already exists (use --force" in again.stderr
    forced = CliRunner().invoke(cli, ["demo", str(demo.parent), "--force"])
    assert forced.exit_code == 0
