"""Everything derived from the text is anonymised with it (issue 10, item 5): ``apply`` rewrites
code names and descriptions, memos, the journal, themes, interlinks, the lineage log, the guide,
participants' groups and free-text attributes and file names with the key's replacements, in its
own transaction; ``check`` covers the same fields and names where, never the original; the plan
counts what Apply will change, for the workbench's confirmation."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.demo import DATA
from thematica.domain import Level
from thematica.errors import ThematicaError
from thematica.service import StudyService, TranscriptSource
from thematica.service.anonymising import AnonymisingStudy
from thematica.storage.models import (
    AnonymisationLogRow,
    AttributeDefRow,
    LineageRow,
    ParticipantRow,
    ParticipantValueRow,
)

LEAD, CODER = "Rachel Ames", "Tom Okafor"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    return folder / "demo.thematica"


@pytest.fixture
def study(built: Path, tmp_path: Path) -> Iterator[tuple[StudyService, AnonymisingStudy]]:
    copy = tmp_path / "demo.thematica"
    shutil.copy(built, copy)
    shutil.copy(default_key_path(str(built)), default_key_path(str(copy)))
    with StudyService.open(str(copy)) as service:
        yield service, AnonymisingStudy(service, default_key_path(str(copy)))


def _in_vivo(service: StudyService) -> int:
    service.add_coding(
        "Physio 3",
        ("Siobhán's referral", "Marcus Lowe at St Aldhelm's"),
        CODER,
        0,
        8,
        memo="Shiv said so; Rachel to recheck",
        create_code=True,
    )
    return next(
        c.id for c in service.codes(Level.ONE, counted=False) if c.name.startswith("Marcus")
    )


def test_apply_rewrites_every_derived_field_and_keeps_the_team(
    study: tuple[StudyService, AnonymisingStudy],
) -> None:
    service, anon = study
    code = _in_vivo(service)
    renamed = next(c for c in service.codes(Level.ONE, counted=False) if not c.path[:-1])
    service.rename_code(renamed.path, "Gaz and the waiting list", by=LEAD)
    service.add_memo(f"code:{code}", "Becky Thorne, ring 07700 900123; Tom agrees", by=LEAD)
    node = service.add_theme("Ashcombe Parva", by=LEAD, description="Hannah Boateng's view")
    service.add_journal_entry("Met Priya Raman today", by=CODER)
    follow_up = (DATA / "interviews" / "physio-4.vtt").read_bytes() + b"\nNOTE again\n"
    service.import_transcripts(
        [TranscriptSource("Physio4_Stuart_Hollis.VTT", lambda: follow_up, participant="Physio 4")]
    )
    before = anon.check()
    places = {r.where.split(" [")[0] for r in before}
    assert {f"code {code} name", f"theme {node} name", f"theme {node} description"} <= places
    assert any(p.startswith("lineage entry") and p.endswith("details") for p in places)
    assert any(p.endswith("file name") for p in places)

    anon.scan()
    anon.decide(LEAD, accept_all=True)
    plan = anon.plan()
    report = anon.apply(LEAD)
    assert dict(report.derived) == dict(plan.derived)  # the confirmation said what it did
    assert report.file_names == plan.file_names == 1
    assert dict(report.derived)["code name"] >= 2 and dict(report.derived)["memo"] == 1

    codes = {c.id: c for c in service.codes(Level.ONE, counted=False)}
    assert codes[code].path == ("[Physio 3]'s referral", "[Colleague 1] at [Hospital A]")
    assert any(c.name == "[Physio 1] and the waiting list" for c in codes.values())
    (memo,) = service.memos(f"code:{code}")
    assert memo.text == "[OT 1], ring [Phone number]; Tom agrees"  # the team stays
    coding = next(c for c in service.codings() if c.code[-1].startswith("[Colleague"))
    assert coding.memo == "[Physio 3] said so; Rachel to recheck"
    theme = next(n for n in service.themes()[0] if n.id == node)
    assert (theme.path[-1], theme.description) == ("[Place A]", "[Physio 2]'s view")
    assert service.journal(CODER)[0].text == "Met [Colleague 3] today"
    assert sorted(t.source_name for t in service.transcripts() if t.participant == "Physio 4") == [
        "Physio 4.vtt",
        "physio-4.vtt",
    ]
    with Session(service.engine) as s:
        details = " ".join(s.scalars(select(LineageRow.details)))
        summaries = " ".join(s.scalars(select(LineageRow.summary)))
        log = s.execute(
            select(AnonymisationLogRow.field, AnonymisationLogRow.replacement).where(
                AnonymisationLogRow.transcript_id.is_(None)
            )
        ).all()
    assert "Gaz" not in details + summaries and "[Physio 1]" in summaries
    assert ("code name", "[Colleague 1]") in log  # what kind and what replacement, no original
    assert anon.check() == []
    assert anon.plan().changes() == 0  # a second apply has nothing left to do


def test_the_check_names_where_in_the_codebook(
    study: tuple[StudyService, AnonymisingStudy],
) -> None:
    service, anon = study
    code = _in_vivo(service)
    found = {(r.where.split(" [")[0], r.text) for r in anon.check()}
    assert (f"code {code} name", "Marcus Lowe") in found  # for the key holder's CLI
    result = CliRunner().invoke(
        cli, ["anonymise", "check", str(service_path(service)), "--format", "json"]
    )
    assert result.exit_code == 1
    assert f"code {code} name" in {
        r["where"].split(" [")[0] for r in json.loads(result.output)["found"]
    }


def service_path(service: StudyService) -> str:
    url = service.engine.url.database
    assert url is not None
    return url


def test_free_text_attributes_and_groups_are_rewritten_but_labels_only_checked(
    study: tuple[StudyService, AnonymisingStudy],
) -> None:
    service, anon = study
    with Session(service.engine) as s, s.begin():
        row = s.scalar(select(ParticipantRow).where(ParticipantRow.label == "OT 2"))
        assert row is not None
        row.group_name = "Zoë's team"
        odd = ParticipantRow(label="Aled M", group_name="OT", position=99)
        notes = AttributeDefRow(name="Notes", type="text", position=99)
        s.add_all([odd, notes])
        s.flush()
        s.add(ParticipantValueRow(participant_id=row.id, attribute_id=notes.id, value="via Mark"))
        ids = (row.id, odd.id, notes.id)
    places = {r.where.split(" [")[0] for r in anon.check()}
    assert {
        f"participant {ids[0]} group",
        f"participant label {ids[1]}",
        f"participant {ids[0]} attribute 'Notes'",
    } <= places
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD)
    groups = {p.label: p.group for p in service.participants()}
    assert groups["OT 2"] == "[OT 2]'s team"
    assert "Aled M" in groups  # a label is the pseudonym: reported, never rewritten
    with Session(service.engine) as s:
        assert s.get(ParticipantValueRow, (ids[0], ids[2])).value == "via [Patient 1]"  # type: ignore[union-attr]
    assert [r.where.split(" [")[0] for r in anon.check()] == [f"participant label {ids[1]}"]


def test_apply_in_the_workbench_needs_the_plan_it_confirmed(
    study: tuple[StudyService, AnonymisingStudy],
) -> None:
    service, anon = study
    _in_vivo(service)
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    plan = anon.plan()
    with pytest.raises(ThematicaError, match="confirm what Apply will change"):
        anon.apply_confirmed(LEAD, "")
    service.add_memo("transcript:1", "Gareth Powell called", by=LEAD)  # the plan changes
    with pytest.raises(ThematicaError, match="not what was confirmed"):
        anon.apply_confirmed(LEAD, plan.fingerprint())
    assert any(r.where.startswith("code") for r in anon.check())  # nothing was applied
    report = anon.apply_confirmed(LEAD, anon.plan().fingerprint())
    assert report.replacements == plan.passages and anon.check() == []
