"""The recruitment log and the stopping view through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from tests.conftest import snapshot
from thematica.domain import MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.service import StudyService, TranscriptSource
from thematica.service.recruitment_types import NewCandidate, PlanChange

LEAD, CODER = "Rachel Ames", "Tom Okafor"
D = dt.date


def setup(study: StudyService) -> None:
    study.add_team_member(LEAD, MemberRole.LEAD)
    study.add_team_member(CODER, MemberRole.CODER)
    study.add_criterion("I1", "Registered clinician")
    study.add_criterion("E1", "Research only", kind="exclusion")
    study.add_candidates(
        [NewCandidate("C01", "Physio", approached_on=D(2026, 3, 1)), NewCandidate("C02", "Physio")]
    )


def test_bad_input_gets_a_clear_message_and_changes_nothing(
    study: StudyService, location: str
) -> None:
    setup(study)
    study.screen_candidate("C01", {"I1": True, "E1": False}, on=D(2026, 3, 5))
    before = snapshot(location)
    refused = [
        (
            lambda: study.record_consent(
                "C01", sheet_version="v1", form_version="v1", form_location="A", by=LEAD,
                on=D(2026, 3, 4),
            ),
            ThematicaError,
            "candidate C01: consent dated 2026-03-04, before their screening on 2026-03-05",
        ),
        (
            lambda: study.screen_candidate("C01", {"I1": True, "E1": False}, on=D(2026, 3, 6)),
            ConflictError,
            "candidate C01 was already screened on 2026-03-05 (eligible): a candidate is screened once",
        ),
        (
            lambda: study.screen_candidate("C02", {"I1": True, "E9": False}),
            NotFoundError,
            "no screening criterion 'E9' (criteria: I1, E1)",
        ),
        (
            lambda: study.screen_candidate("C02", {"I1": True}),
            ThematicaError,
            "candidate C02: no answer for E1",
        ),
        (
            lambda: study.screen_candidate("C01", {}, on=D(2026, 2, 1), all_met=True),
            ConflictError,
            "already screened",
        ),
        (
            lambda: study.add_candidates([NewCandidate("C03"), NewCandidate("c01")]),
            ConflictError,
            "candidate 'c01' is already in the recruitment log",
        ),
        (
            lambda: study.add_candidates([NewCandidate("C04", source="call +44 7700 900123")]),
            ThematicaError,
            "candidate C04's source looks like a telephone number",
        ),
        (
            lambda: study.set_candidate_status("C02", "interviewed"),
            ConflictError,
            "candidate C02 is approached: only a candidate who is consented can become interviewed",
        ),
        (
            lambda: study.set_candidate_status("C09", "declined"),
            NotFoundError,
            "no candidate 'C09' in the recruitment log",
        ),
        (
            lambda: study.record_stop("enough", by=CODER),
            AccessDenied,
            "only a lead can record the decision to stop",
        ),
        (
            lambda: study.set_recruitment_plan(PlanChange(maximum=12, threshold=1.5)),
            ThematicaError,
            "the new-information threshold is at least 0 and below 1",
        ),
    ]  # fmt: skip
    for call, kind, message in refused:
        with pytest.raises(kind) as caught:
            call()
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)
    assert snapshot(location) == before


def test_consent_gives_the_next_label_never_reused(study: StudyService) -> None:
    setup(study)
    study.add_candidates([NewCandidate("C03", "Physio"), NewCandidate("C04", "Physio")])
    for ref in ("C01", "C02", "C03", "C04"):
        study.screen_candidate(ref, {}, all_met=True)
    kept = {"sheet_version": "v2", "form_version": "v1", "form_location": "Site file"}
    first = study.record_consent("C01", by=LEAD, **kept)
    assert first.participant == "Physio 1" and first.consent and first.consent.recorded_by == LEAD
    assert study.record_consent("C02", by=LEAD, **kept).participant == "Physio 2"
    study.set_candidate_status("C02", "withdrawn", reason="moved away")
    # even if the participant's row went (participants withdraw), "Physio 2" is not given again
    assert study.record_consent("C03", by=LEAD, **kept).participant == "Physio 3"
    other = study.record_consent("C04", by=LEAD, group="Occupational therapist", **kept)
    assert other.participant == "Occupational therapist 1"
    assert [p.label for p in study.participants()][-1] == "Occupational therapist 1"
    flow = study.recruitment().flow
    assert flow.count("consented") == 4 and flow.left("consented") == (("withdrew: moved away", 1),)


def interviews(study: StudyService, new_codes: list[int]) -> None:
    """One participant and transcript per entry, its interview coded with that many new codes
    (and one code seen before, which is not new)."""
    study.add_team_member(LEAD, MemberRole.LEAD)
    total = sum(new_codes)
    data = ("path\n" + "".join(f"C{i}\n" for i in range(total))).encode()
    study.import_codebook(read_codebook(data, "cb.csv"), source="cb.csv")


def add_interview(study: StudyService, number: int, fresh: range) -> None:
    ref = f"K{number}"
    study.add_candidates([NewCandidate(ref, "P")])
    study.screen_candidate(ref, {}, all_met=True)
    label = study.record_consent(
        ref, sheet_version="1", form_version="1", form_location="A", by=LEAD
    ).participant
    assert label == f"P {number}"
    text = f"Interviewer: go on.\n{label}: " + "w " * 40 + "\n"
    study.import_transcripts(
        [TranscriptSource(f"{label}.txt", partial(bytes, text.encode()), participant=label)]
    )
    study.set_transcript_details(label, interview_date=D(2026, 1, number))
    codes = [*fresh, 0] if number > 1 else list(fresh)
    rows = "transcript,coder,code,start,end\n" + "".join(
        f"{label},{LEAD},C{c},{2 * k},{2 * k + 1}\n" for k, c in enumerate(codes)
    )
    study.import_codings(read_codings(rows.encode(), "c.csv"), source="c.csv")


GUEST = [20, 8, 5, 4, 4, 3, 1, 0, 1, 0, 0, 0]  # tests/service/test_analysis.py: 6+2


def test_the_stopping_message_changes_at_the_right_interview(study: StudyService) -> None:
    interviews(study, GUEST)
    study.add_criterion("I1", "Clinician")
    study.set_recruitment_plan(PlanChange(maximum=12, rule="guest", base=4, run=2, threshold=0.05))
    seen, start = [], 0
    for number, new in enumerate(GUEST, start=1):
        add_interview(study, number, range(start, start + new))
        start += new
        view = study.stopping_view()
        assert view.interviews == number and view.maximum == 12
        seen.append(view.message)
    assert seen[:4] == [
        "not yet: 5 more interviews needed (3 to complete the base of 4, then 2 without new codes)",
        "not yet: 4 more interviews needed (2 to complete the base of 4, then 2 without new codes)",
        "not yet: 3 more interviews needed (1 to complete the base of 4, then 2 without new codes)",
        "not yet: 2 more interviews without new codes needed",
    ]
    assert seen[5:8] == [
        "not yet: 2 more interviews without new codes needed",
        "not yet: 1 more interview without new codes needed",
        "saturation reached at 6+2: recruitment may stop",  # the 8th interview
    ]
    assert all(m == seen[7] for m in seen[7:])
    # Francis et al. (2010), initial 6 and stop 3: met at interview 12 only
    study.set_recruitment_plan(PlanChange(rule="francis", initial=6, stop=3))
    assert study.stopping_view().message == (
        "saturation reached at interview 12: recruitment may stop"
    )
    plan = study.record_stop("No new codes in three interviews.", by=LEAD)
    assert plan.decision is not None and plan.decision.interviews == 12
    assert plan.decision.verdict == "saturation reached at interview 12: recruitment may stop"
    with pytest.raises(ThematicaError, match="already recorded the decision to stop"):
        study.record_stop("again", by=LEAD)


def test_the_log_is_a_leads(study: StudyService) -> None:
    setup(study)
    with pytest.raises(AccessDenied, match="only a lead can keep the recruitment log"):
        study.as_member(CODER).recruitment()
    desk = study.as_member(LEAD).recruitment()
    assert desk.screen("C02", {}, all_met=True).status == "eligible"
    assert "recruitment.screen" in [e.action for e in study.audit_log().entries]


def test_withdrawing_a_participant_marks_their_candidate(study: StudyService) -> None:
    """The hook `participants withdraw` calls before it removes the data: the log remembers that
    they were interviewed, so the flow still counts them as withdrawn after interview."""
    from sqlalchemy.orm import Session

    from thematica.service import recruitment as log

    setup(study)
    study.screen_candidate("C01", {}, all_met=True, on=D(2026, 3, 2))
    label = study.record_consent(
        "C01", sheet_version="1", form_version="1", form_location="A", by=LEAD, on=D(2026, 3, 3)
    ).participant
    assert label is not None
    text = f"Interviewer: go on.\n{label}: fine\n".encode()
    study.import_transcripts([TranscriptSource("t.txt", partial(bytes, text), participant=label)])
    with Session(study.engine) as session, session.begin():
        assert log.withdraw_participant(session, label, D(2026, 3, 9), "moved away")
        assert not log.withdraw_participant(session, label, D(2026, 3, 9))  # already
        assert not log.withdraw_participant(session, "Physio 99", D(2026, 3, 9))
    found = study.candidate("C01")
    assert (found.status, found.interviewed, found.reason) == ("withdrawn", True, "moved away")
    assert study.recruitment().flow.left("interviewed") == (("withdrew: moved away", 1),)


def test_participants_withdraw_marks_their_candidate_and_goes_ahead_when_it_cannot(
    study: StudyService,
) -> None:
    """`participants withdraw` removes the data and marks the candidate withdrawn in the log; a
    candidate whose status cannot become withdrawn (lost to follow-up) does not stop it."""
    setup(study)
    kept = {"sheet_version": "1", "form_version": "1", "form_location": "A", "by": LEAD}
    labels = []
    for ref in ("C01", "C02"):
        study.screen_candidate(ref, {}, all_met=True)
        label = study.record_consent(ref, **kept).participant
        assert label is not None
        labels.append(label)
        if ref == "C02":  # lost to follow-up, though an interview of theirs was kept
            study.set_candidate_status("C02", "lost")
        text = f"Interviewer: go on.\n{label}: fine, thank you\n".encode()
        study.import_transcripts(
            [TranscriptSource(f"{ref}.txt", partial(bytes, text), participant=label)]
        )
    for label in labels:
        plan = study.withdrawal_plan(label, by=LEAD)
        study.withdraw(label, by=LEAD, confirm=plan.fingerprint, reason="ill-health")
    assert [p.label for p in study.participants()] == []
    first, second = study.candidate("C01"), study.candidate("C02")
    assert (first.status, first.interviewed, first.reason) == ("withdrawn", True, "ill-health")
    assert second.status == "lost"
    assert study.recruitment().flow.left("interviewed") == (("withdrew: ill-health", 1),)
