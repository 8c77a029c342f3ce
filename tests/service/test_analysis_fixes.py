"""Fixes from an independent check of the statistics (issue 12, item 3): level-one theme counts
follow the origins of every code under an assigned code, and three or more coders under
``--scope both`` leave out codes used only outside the scope."""

from __future__ import annotations

from pytest import approx

from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import Level, MemberRole
from thematica.importers.codebook import read_codebook
from thematica.service import StudyService

SUB_CODE_ORIGIN = b"""
codes:
  - {path: "Q"}
  - {path: "Q > Q1", from: ["K1"]}
themes:
  - {name: "T", codes: ["Q"]}
"""


def sub_code_study(study: StudyService) -> None:
    """Theme T holds agreed code Q; its sub-code Q > Q1 was formed from level-one code K1; P1
    is coded K1 (and, in the agreed layer, Q > Q1). Two participants."""
    build(study, ["participant one talks", "participant two talks"])
    codes(study, "K1")
    study.import_codebook(read_codebook(SUB_CODE_ORIGIN, "fw.yaml"), source="fw.yaml")
    code_spans(study, [("P1", A, "K1", 0, 11)])
    code_spans(study, [("P1", A, "Q > Q1", 0, 11)], level=2)


def test_level_one_theme_counts_follow_the_origins_of_sub_codes(study: StudyService) -> None:
    sub_code_study(study)
    two = {r.path: r for r in study.counts(level=Level.TWO).themes}
    one = {r.path: r for r in study.counts(level=Level.ONE).themes}
    assert (two[("T",)].rolled_up, two[("T",)].total) == (1, 2)
    assert (one[("T",)].rolled_up, one[("T",)].total) == (1, 2)  # was 0/2
    assert one[("T",)].supporters == ("P1",)


def test_level_one_matrix_follows_the_origins_of_sub_codes(study: StudyService) -> None:
    sub_code_study(study)
    for level in (Level.TWO, Level.ONE):
        t = next(r for r in study.matrix("group", level=level).rows if r.path == ("T",))
        assert [(c.value, c.participants, c.total, c.codings) for c in t.cells] == [
            ("Physio", 1, 2, 1)
        ], level


def test_three_coders_under_scope_both_leave_out_codes_used_only_outside_it(
    study: StudyService,
) -> None:
    """A and B coded P1 and P2; Cara Lee coded only P3, with a code nobody else used. Under
    ``--scope both`` P3 is out of scope, so that code is neither listed nor pooled: its column
    would be all zeros and inflate the pooled alpha (0.3125 instead of 0.125)."""
    import krippendorff
    import numpy as np

    build(study, ["participant one talks", "participant two talks", "participant three talks"])
    study.add_team_member("Cara Lee", MemberRole.CODER)
    codes(study, "X", "Y", "Z")
    code_spans(
        study,
        [
            ("P1", A, "X", 0, 5),
            ("P1", B, "X", 0, 5),
            ("P2", B, "X", 0, 5),
            ("P2", A, "Y", 0, 5),
            ("P3", "Cara Lee", "Z", 0, 5),
        ],
    )
    report = study.agreement_many([A, B, "Cara Lee"], scope="both")
    assert [c.code for c in report.codes] == [("X",), ("Y",)]
    nan = np.nan
    x = [[1, 0], [1, 1], [nan, nan]]
    y = [[0, 1], [0, 0], [nan, nan]]
    pooled = np.array([a + b for a, b in zip(x, y, strict=True)], dtype=float)
    expected = krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")
    assert expected == approx(0.125)
    assert report.pooled_participants.alpha == approx(expected, abs=1e-12)  # was 0.3125
    # --scope either still lists Z: Cara's P3 is in scope there, A and B finding nothing in it
    either = study.agreement_many([A, B, "Cara Lee"], scope="either")
    assert [c.code for c in either.codes] == [("X",), ("Y",), ("Z",)]
