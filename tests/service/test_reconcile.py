"""Reconciliation: each level-one disagreement decided as accept A/B/both, edit or drop, making
the agreed (level-two) layer; decisions undoable; bad decisions change nothing."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import Level, MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService
from thematica.service.reconcile import Edit

TEXT = "I get pain in my back and then my mood drops for days."
#       0123456789012345678901234567890123456789012345678901234
PAIN, MOOD = ("Pain",), ("Mood",)


@pytest.fixture
def two_coders(study: StudyService) -> StudyService:
    build(study, [TEXT])
    codes(study, "Pain", "Mood")
    code_spans(
        study, [("P1", A, "Pain", 6, 21), ("P1", B, "Pain", 6, 10), ("P1", A, "Mood", 34, 38)]
    )
    return study


def agreed(study: StudyService) -> list[tuple[tuple[str, ...], int, int, str]]:
    return sorted(
        (c.code, c.start, c.end, c.coder) for c in study.codings(transcript="P1", level=Level.TWO)
    )


def test_the_disagreements_and_the_transcript_figures(two_coders: StudyService) -> None:
    r = two_coders.reconciliation("P1")
    assert (r.coder_a, r.coder_b, r.participant) == (A, B, "P1")
    assert [(i.code, i.kind, i.start, i.end, i.a, i.b) for i in r.items] == [
        (PAIN, "boundaries", 6, 21, ((6, 21),), ((6, 10),)),
        (MOOD, "only_a", 34, 38, ((34, 38),), ()),
    ]
    assert r.items[0].text == "pain in my back" and r.pending == 2
    pain = {f.code: f.agreement for f in r.figures}[PAIN]
    assert (pain.total, pain.both, pain.a_only, pain.b_only) == (len(TEXT), 4, 11, 0)
    # pooled over both codes: both 4, A alone 11 + 4, B alone 0, over two codes' characters
    assert (r.pooled.total, r.pooled.both, r.pooled.a_only, r.pooled.b_only) == (
        2 * len(TEXT),
        4,
        15,
        0,
    )


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("accept_a", [(PAIN, 6, 21, A)]),
        ("accept_b", [(PAIN, 6, 10, A)]),
        ("both", [(PAIN, 6, 21, A)]),
        ("drop", []),
    ],
)
def test_each_decision_makes_the_agreed_layer(
    two_coders: StudyService, decision: str, expected: list[object]
) -> None:
    made = two_coders.reconcile("P1", PAIN, 6, 21, decision, by=A)
    assert agreed(two_coders) == expected
    assert len(made.codings) == len(expected) and made.by == A
    after = two_coders.reconciliation("P1")
    assert after.pending == 1
    assert after.items[0].decision == made
    assert after.items[0].agreed_code == (PAIN if expected else None)
    # the agreed code was created at level two, formed from the level-one code
    level_two = [c.path for c in two_coders.codes(Level.TWO)]
    assert level_two == ([PAIN] if expected else [])


def test_edit_writes_one_span_to_a_chosen_code_which_later_decisions_follow(
    two_coders: StudyService,
) -> None:
    two_coders.reconcile("P1", PAIN, 6, 21, "edit", by=B, edit=Edit(6, 15, ("Body", "Back pain")))
    assert agreed(two_coders) == [(("Body", "Back pain"), 6, 15, B)]
    # a level-one code now has an agreed code: its other disagreements go there by default
    two_coders.reconcile("P1", MOOD, 34, 38, "accept_a", by=B)
    assert (MOOD, 34, 38, B) in agreed(two_coders)
    codes(two_coders, "Mood > Low", level=1)
    code_spans(two_coders, [("P1", B, "Pain", 40, 44)])
    item = next(i for i in two_coders.reconciliation("P1").items if i.start == 40)
    assert item.agreed_code == ("Body", "Back pain")


def test_an_edit_far_from_its_disagreement_is_refused(two_coders: StudyService) -> None:
    before = snapshot(two_coders.location)
    with pytest.raises(
        ThematicaError, match=r"does not overlap the disagreement it decides \(6-21\)"
    ):
        two_coders.reconcile("P1", PAIN, 6, 21, "edit", by=B, edit=Edit(30, 38, None))
    with pytest.raises(ThematicaError, match="does not overlap"):
        two_coders.reconcile("P1", PAIN, 6, 21, "edit", by=B, edit=Edit(21, 25, None))  # touching
    assert snapshot(two_coders.location) == before
    two_coders.reconcile("P1", PAIN, 6, 21, "edit", by=B, edit=Edit(2, 7, None))  # overlapping


def test_undo_removes_exactly_what_the_decision_made(two_coders: StudyService) -> None:
    before = snapshot(two_coders.location)
    made = two_coders.reconcile("P1", PAIN, 6, 21, "accept_a", by=B)
    with pytest.raises(AccessDenied, match="only Tom Okafor or a lead"):
        two_coders.add_team_member("Sam Coder", MemberRole.CODER)
        two_coders.undo_reconciliation(made.id, by="Sam Coder")
    two_coders.undo_reconciliation(made.id, by=A)  # a lead may
    assert two_coders.reconciliation("P1").pending == 2 and agreed(two_coders) == []
    after = snapshot(two_coders.location)
    after["team_members"] = [r for r in after["team_members"] if r[1] != "Sam Coder"]
    logged = ("codes", "code_origins", "audit_log")  # the decision and its undo are audited
    assert {k: v for k, v in after.items() if k not in logged} == {
        k: v for k, v in before.items() if k not in logged
    }


def test_undo_leaves_a_coding_that_reused_the_id(two_coders: StudyService) -> None:
    made = two_coders.reconcile("P1", PAIN, 6, 21, "accept_a", by=A)
    (coding_id,) = made.codings
    two_coders.remove_coding(coding_id, by=A)
    new = two_coders.add_coding("P1", ("Pain",), A, 0, 5, level=Level.TWO)
    two_coders.undo_reconciliation(made.id, by=A)
    assert any(c.id == new for c in two_coders.codings(level=Level.TWO))


def test_bad_decisions_change_nothing(two_coders: StudyService) -> None:
    two_coders.add_team_member("Helen Marsh", MemberRole.READER)
    two_coders.reconcile("P1", MOOD, 34, 38, "drop", by=A)
    before = snapshot(two_coders.location)
    cases: list[tuple[type[Exception], str, dict[str, object]]] = [
        (ThematicaError, "a decision is one of", {"decision": "maybe"}),
        (ConflictError, "reload it", {"start": 6, "end": 20}),
        (ConflictError, "already decided", {"code": MOOD, "start": 34, "end": 38}),
        (AccessDenied, "reader", {"by": "Helen Marsh"}),
        (ThematicaError, "needs the agreed span", {"decision": "edit"}),
        (ThematicaError, "not inside the transcript", {"decision": "edit", "edit": Edit(6, 999)}),
        (ThematicaError, "1 to 300", {"decision": "edit", "edit": Edit(6, 9, ("",))}),
    ]
    for error, message, change in cases:
        args: dict[str, object] = {
            "code": PAIN,
            "start": 6,
            "end": 21,
            "decision": "accept_a",
            "by": A,
            **change,
        }
        with pytest.raises(error, match=message):
            two_coders.reconcile(
                "P1",
                args["code"],  # type: ignore[arg-type]
                args["start"],  # type: ignore[arg-type]
                args["end"],  # type: ignore[arg-type]
                args["decision"],  # type: ignore[arg-type]
                by=args["by"],  # type: ignore[arg-type]
                edit=args.get("edit"),  # type: ignore[arg-type]
            )
        assert snapshot(two_coders.location) == before, message


def test_blind_transcripts_wait_for_the_reveal(two_coders: StudyService) -> None:
    two_coders.set_blind_coding(True, by=A)
    with pytest.raises(AccessDenied, match="reveals it before reconciliation"):
        two_coders.reconciliation("P1")
    two_coders.reveal("P1", by=A)
    assert two_coders.reconciliation("P1").pending == 2


def test_one_coder_is_not_enough_and_the_status_list(study: StudyService) -> None:
    build(study, [TEXT, TEXT + " Twice."])
    codes(study, "Pain")
    code_spans(
        study, [("P1", A, "Pain", 6, 10), ("P2", A, "Pain", 6, 10), ("P2", B, "Pain", 6, 21)]
    )
    with pytest.raises(ThematicaError, match="only Rachel Ames has coded it"):
        study.reconciliation("P1")
    status = {s.participant: s for s in study.reconciliation_status()}
    assert (status["P1"].disagreements, status["P1"].coders) == (0, (A,))
    assert (status["P2"].disagreements, status["P2"].decided) == (1, 0)
    study.reconcile("P2", PAIN, 6, 21, "both", by=A)
    assert study.reconciliation_status()[1].decided == 1


def test_identical_codings_are_carried_into_the_agreed_layer_and_back(
    two_coders: StudyService,
) -> None:
    code_spans(two_coders, [("P1", A, "Mood", 49, 53), ("P1", B, "Mood", 49, 53)])
    r = two_coders.reconciliation("P1")
    assert [(g.code, g.start, g.end, g.carried) for g in r.agreements] == [(MOOD, 49, 53, False)]
    assert [(i.code, i.start) for i in r.items] == [(PAIN, 6), (MOOD, 34)]  # not a disagreement
    with pytest.raises(AccessDenied):
        two_coders.add_team_member("Helen Marsh", MemberRole.READER)
        two_coders.carry_agreements("P1", by="Helen Marsh")
    assert two_coders.carry_agreements("P1", by=B) == 1
    assert agreed(two_coders) == [(MOOD, 49, 53, B)]
    assert two_coders.reconciliation("P1").carried == 1
    assert two_coders.carry_agreements("P1", by=B) == 0  # nothing twice
    assert two_coders.undo_carried("P1", by=B) == 1
    assert agreed(two_coders) == [] and two_coders.reconciliation("P1").carried == 0


def test_undo_keeps_an_agreed_coding_another_decision_relies_on(
    two_coders: StudyService,
) -> None:
    # two decisions put the same span into the same agreed code: the first writes it, the
    # second (an edit of an overlapping disagreement) relies on it; undoing the first must
    # leave it for the second
    code_spans(two_coders, [("P1", A, "Mood", 11, 21)])
    first = two_coders.reconcile("P1", PAIN, 6, 21, "accept_a", by=A)
    second = two_coders.reconcile("P1", MOOD, 11, 21, "edit", by=A, edit=Edit(6, 21, PAIN))
    assert len(first.codings) == 1 and second.codings == ()
    two_coders.undo_reconciliation(first.id, by=A)
    assert agreed(two_coders) == [(PAIN, 6, 21, A)]
    # the second decision now owns it: undoing it removes it
    two_coders.undo_reconciliation(second.id, by=A)
    assert agreed(two_coders) == []


def test_undo_belongs_to_its_transcript_and_waits_for_the_reveal(study: StudyService) -> None:
    build(study, [TEXT, TEXT + " Again."])
    codes(study, "Pain")
    code_spans(
        study,
        [(p, c, "Pain", 6, e) for p in ("P1", "P2") for c, e in ((A, 21), (B, 10))],
    )
    made = study.reconcile("P2", PAIN, 6, 21, "accept_a", by=A)
    with pytest.raises(NotFoundError, match=f"no reconciliation decision {made.id}"):
        study.undo_reconciliation(made.id, by=A, ref="P1")
    study.set_blind_coding(True, by=A)
    with pytest.raises(AccessDenied, match="reveals it"):
        study.undo_reconciliation(made.id, by=A, ref="P2")
