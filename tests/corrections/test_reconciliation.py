"""The agreed layer follows a correction: a reconciliation decision is keyed by its
disagreement's span, and that span moves with the level-one codings, so after a correction
earlier in the transcript the decision is still found, on the same words (the demo study)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from thematica.cli.main import cli
from thematica.service import StudyService

LEAD = "Rachel Ames"


def test_a_decision_stays_with_its_disagreement(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["demo", str(tmp_path)]).exit_code == 0
    with StudyService.open(str(tmp_path / "demo.thematica")) as study:
        lead = study.as_member(LEAD)
        item = next(i for i in lead.reconciliation("1").items if i.decision is None)
        lead.reconcile("1", item.code, item.start, item.end, "both")
        first = study.transcript("1").turns[0]
        assert first.end < item.start
        lead.correct_text("1", 1, "Right then. " + first.text)
        found = [i for i in lead.reconciliation("1").items if i.code == item.code]
        moved = next(i for i in found if i.start == item.start + len("Right then. "))
        assert (moved.text, moved.end - moved.start) == (item.text, item.end - item.start)
        assert moved.decision is not None and moved.decision.decision == "both"
