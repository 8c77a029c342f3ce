"""Agreement over one transcript: the study report's figures for that transcript, its turns,
its disagreements; and who there is to compare."""

from __future__ import annotations

import pytest
from pytest import approx

from tests.conftest import snapshot
from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import Level, MemberRole
from thematica.errors import NotFoundError, ThematicaError
from thematica.service import StudyService

# two paragraphs per transcript: two speaker turns
P1 = "x" * 499 + "\n\n" + "y" * 499
P2 = "z" * 2000


@pytest.fixture
def coded(study: StudyService) -> StudyService:
    build(study, [P1, P2, "w" * 300])
    study.add_team_member("Helen Marsh", MemberRole.READER)
    codes(study, "Theme > Code", "Other", "Unused")
    code_spans(
        study,
        [
            ("P1", A, "Theme > Code", 0, 150),
            ("P1", B, "Theme > Code", 100, 200),  # both 50, A only 100, B only 50
            ("P1", A, "Other", 600, 700),  # only A, in the second turn
            ("P2", A, "Theme > Code", 0, 1000),
            ("P2", B, "Theme > Code", 200, 1200),
            ("P2", B, "Unused", 1500, 1600),
        ],
    )
    return study


def test_one_transcript_gives_the_study_reports_figures_for_it(coded: StudyService) -> None:
    one = coded.transcript_agreement("P1", A, B)
    assert (one.participant, one.length, one.turns) == ("P1", 1000, 2)
    assert one.coded_by_a and one.coded_by_b
    assert [c.code for c in one.codes] == [("Other",), ("Theme", "Code")]
    code = one.codes[1]
    assert code.characters.percent_agreement == approx(85.0)
    assert code.characters.kappa == approx(0.3182, abs=5e-5)  # NVivo's example, docs/methods.md
    study = coded.agreement(A, B)
    for c in one.codes:
        (source,) = [
            s.result
            for s in next(x for x in study.codes if x.code == c.code).characters
            if s.transcript_id == one.transcript_id
        ]
        assert c.characters == source
    # turns: "Theme > Code" in turn 1 for both; "Other" in turn 2 for A only
    assert (code.turns.units, code.turns.coded_by_both) == (2, 1)
    other = one.codes[0].turns
    assert (other.coded_by_a, other.coded_by_b, other.coded_by_both) == (1, 0, 0)
    assert one.pooled_turns.units == 4 and one.pooled_turns.coded_by_both == 1
    assert one.pooled_turns.coefficients.percent_agreement == approx(75.0)
    # disagreements: the boundaries of "Theme > Code", and "Other" coded by A only
    assert [c.disagreements for c in one.codes] == [1, 1]
    assert one.disagreements == sum(1 for d in study.disagreements if d.transcript_id == 1)
    assert one.pooled_characters.sources == 2


def test_a_transcript_neither_coded_has_nothing_and_undefined_figures(
    coded: StudyService,
) -> None:
    one = coded.transcript_agreement("P3", A, B, level=Level.ONE)
    assert one.codes == () and not one.coded_by_a and not one.coded_by_b
    assert one.pooled_characters.pooled_kappa is None  # 0/0, never a made-up number
    assert one.pooled_turns.units == 0 and one.pooled_turns.coefficients.cohen_kappa is None


@pytest.mark.parametrize(
    ("ref", "a", "b", "error", "message"),
    [
        ("P1", A, A, ThematicaError, "name two different coders"),
        ("P1", A, "Nobody", NotFoundError, "no team member 'Nobody'"),
        ("P9", A, B, NotFoundError, "P9"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    coded: StudyService,
    location: str,
    ref: str,
    a: str,
    b: str,
    error: type[Exception],
    message: str,
) -> None:
    before = snapshot(location)
    with pytest.raises(error, match=message):
        coded.transcript_agreement(ref, a, b)
    assert snapshot(location) == before


def test_coders_with_codings_in_team_order_by_level(coded: StudyService) -> None:
    assert coded.coders_with_codings() == (A, B)
    assert coded.coders_with_codings(level=Level.TWO) == ()
    codes(coded, "Agreed", level=2)
    code_spans(coded, [("P1", B, "Agreed", 0, 10)], level=2)
    assert coded.coders_with_codings(level=Level.TWO) == (B,)
