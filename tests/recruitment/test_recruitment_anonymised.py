"""The recruitment log's free text (the decision to stop, a candidate's reason, a criterion) is
anonymised with the transcripts: ``anonymise apply`` rewrites it, ``check`` looks at it."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.service.recruitment_types import NewCandidate

LEAD = "Rachel Ames"


def test_the_log_is_anonymised_with_the_study(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["demo", str(tmp_path / "d")]).exit_code == 0
    study = tmp_path / "demo.thematica"
    shutil.copy(tmp_path / "d" / "demo.thematica", study)
    shutil.copy(
        default_key_path(str(tmp_path / "d" / "demo.thematica")), default_key_path(str(study))
    )
    with StudyService.open(str(study)) as service:
        service.add_criterion("I1", "Not a colleague of Becky Thorne")
        service.add_candidates([NewCandidate("C01", "Physiotherapist")])
        service.set_candidate_status("C01", "declined", reason="Becky Thorne advised against")
        service.record_stop("After Becky Thorne's interview nothing new came up.", by=LEAD)
        anon = AnonymisingStudy(service, default_key_path(str(study)))
        places = {r.where.split(" [")[0] for r in anon.check()}
        assert {"the decision to stop", "criterion 1", "candidate 1 reason"} <= places
        anon.scan()
        anon.decide(LEAD, accept_all=True)
        anon.apply(LEAD)
        log = service.recruitment()
        assert log.plan.decision is not None
        assert log.plan.decision.memo == "After [OT 1]'s interview nothing new came up."
        assert log.criteria[0].text == "Not a colleague of [OT 1]"
        assert log.candidates[0].reason == "[OT 1] advised against"
        assert anon.check() == []
