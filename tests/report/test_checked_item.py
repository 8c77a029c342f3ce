"""COREQ 19 (audio/visual recording) and SRQR S13 say how many transcripts were checked against
the recording and by how many researchers (issue 16, item 4), from the transcripts' checking
state."""

from __future__ import annotations

from pathlib import Path

from thematica.demo import build_demo
from thematica.report.checklists import coreq_answers, srqr_answers
from thematica.report.data import gather
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"


def test_the_recording_item_is_filled_from_the_checked_transcripts(tmp_path: Path) -> None:
    target = build_demo(tmp_path / "demo.thematica")
    with StudyService.open(str(target)) as service:
        none = gather(service)
        assert coreq_answers(none)[19] == (
            "to complete (10 of 10 transcripts carry recording timings; "
            "no transcript has been checked against the recording)"
        )
        ids = [t.id for t in service.transcripts()]
        service.as_member(CODER).set_checking(str(ids[0]), "checking")  # not yet checked
        some = gather(service)
        assert "no transcript has been checked" in coreq_answers(some)[19]
        for i, tid in enumerate(ids):
            service.as_member(LEAD if i % 2 else CODER).set_checking(str(tid), "checked")
        service.as_member(LEAD).set_checking(str(ids[1]), "checked")  # the same checker again
        done = gather(service)
    sentence = "10 of 10 transcripts checked against the recording by 2 researchers"
    assert coreq_answers(done)[19] == f"Yes: {sentence}"
    assert sentence in srqr_answers(done)["S13"]


def test_one_checker_of_some_transcripts(tmp_path: Path) -> None:
    target = build_demo(tmp_path / "demo.thematica")
    with StudyService.open(str(target)) as service:
        service.as_member(CODER).set_checking("Physio 4", "checked")
        data = gather(service)
    answer = coreq_answers(data)[19]
    assert answer == "Yes: 1 of 10 transcripts checked against the recording by 1 researcher"
