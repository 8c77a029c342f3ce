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


def test_a_correction_that_would_merge_two_decisions_is_refused(tmp_path: Path) -> None:
    """Two decisions on the same code, on neighbouring words: deleting both words would put
    them on the same span (the table's key), so the correction is refused, naming both, and
    nothing changes."""
    import datetime as dt

    from sqlalchemy import select

    from thematica.errors import ThematicaError
    from thematica.storage.models import CodeRow, ReconciliationRow

    assert CliRunner().invoke(cli, ["demo", str(tmp_path)]).exit_code == 0
    with StudyService.open(str(tmp_path / "demo.thematica")) as study:
        turn = max(study.transcript("1").turns, key=lambda t: len(t.text))
        words = turn.text.split()
        first, second = words[3], words[4]
        at = turn.text.index(f" {first} {second} ") + 1
        spans = [(turn.start + at, turn.start + at + len(first))]
        spans.append((spans[0][1] + 1, spans[0][1] + 1 + len(second)))
        with study._transaction() as session:
            code = session.scalars(select(CodeRow.id).where(CodeRow.level == 1)).first()
            assert code is not None
            for start, end in spans:
                session.add(
                    ReconciliationRow(
                        transcript_id=1,
                        code_id=code,
                        start_offset=start,
                        end_offset=end,
                        decision="drop",
                        coding_ids="[]",
                        decided_by=LEAD,
                        decided_at=dt.datetime.now(dt.UTC),
                    )
                )
        before = study.transcript("1").text
        new = turn.text[:at] + turn.text[at + len(first) + len(second) + 2 :]
        try:
            study.as_member(LEAD).correct_text("1", turn.position + 1, new)
        except ThematicaError as refused:
            assert "reconciliation decisions" in str(refused) and "undo one" in str(refused)
        else:
            raise AssertionError("the correction was made")
        assert study.transcript("1").text == before
        with study._session() as session:
            placed = session.execute(
                select(ReconciliationRow.start_offset, ReconciliationRow.end_offset).where(
                    ReconciliationRow.decided_by == LEAD, ReconciliationRow.decision == "drop"
                )
            ).all()
        assert sorted(tuple(p) for p in placed) == sorted(spans)
