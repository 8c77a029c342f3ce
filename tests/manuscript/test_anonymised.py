"""The audit of an anonymised study: a quote holding an original identifier that anonymisation
replaced is flagged, and a reader, who reads anonymised transcripts only, has quotes checked
against their anonymised text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.cli.main import cli
from thematica.domain import MemberRole
from thematica.manuscript.draft import read_draft
from thematica.manuscript.results import EDITED, VERBATIM
from thematica.service import StudyService

DATA = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data"
DRAFT = """# Results

As Physio 3 explained, “I'm based in a GP practice, Millbrook Lane Surgery, and patients can
book in to see me directly”.

Physio 1 had a contact: “We did have a number for the psychology lead in our trust, [Colleague 1],
and he was great” (Physio 1).
"""


@pytest.fixture(scope="module")
def anonymised(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("anonymised")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    study = str(folder / "demo.thematica")
    for args in (
        ["anonymise", "identities", study, str(DATA / "identities.csv")],
        ["anonymise", "deny", study, str(DATA / "deny-list.csv")],
        ["anonymise", "scan", study],
        ["anonymise", "review", study, "--accept-all"],
        ["anonymise", "apply", study, "--by", "Rachel Ames"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{args}: {result.output}"
    with StudyService.open(study) as service:
        service.add_team_member("Rita Reader", MemberRole.READER)
    return study


def test_a_quote_with_a_replaced_identifier_is_flagged(anonymised: str) -> None:
    with StudyService.open(anonymised) as study:
        report = study.audit_draft(read_draft(DRAFT.encode(), "draft.md"))
    flagged, clean = report.quotes
    assert (flagged.status, flagged.identifier) == (EDITED, True)
    assert "[GP practice A]" in flagged.evidence and "original identifier" in flagged.evidence
    assert (clean.status, clean.identifier) == (VERBATIM, False)
    assert report.failed
    assert "(1 with an anonymised identifier)" in report.summary


def test_a_reader_checks_quotes_against_the_anonymised_text(anonymised: str) -> None:
    with StudyService.open(anonymised) as study:
        report = study.as_member("Rita Reader").audit_draft(read_draft(DRAFT.encode(), "draft.md"))
    assert [q.status for q in report.quotes] == [EDITED, VERBATIM]
    assert report.quotes[0].identifier


def test_the_cli_exits_1_when_a_quote_holds_an_identifier(anonymised: str, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT.split("Physio 1 had")[0], encoding="utf-8")
    copy = tmp_path / "copy.thematica"
    shutil.copyfile(anonymised, copy)
    result = CliRunner().invoke(cli, ["audit", str(copy), str(draft)])
    assert result.exit_code == 1
    assert "[anonymised identifier]" in result.stdout
