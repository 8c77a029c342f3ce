"""The analysis engine end to end: published vectors reproduced through real studies."""

from __future__ import annotations

from functools import partial

import pytest
from pytest import approx

from tests.conftest import snapshot
from thematica.domain import Level, MemberRole
from thematica.errors import InputError, NotFoundError, ThematicaError
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

A, B = "Rachel Ames", "Tom Okafor"


def build(study: StudyService, texts: list[str], groups: list[str] | None = None) -> None:
    """Participants P1..Pn with one plain-text transcript each, two coders, a lead."""
    groups = groups or ["Physio"] * len(texts)
    register = "label,group\n" + "".join(f"P{i},{g}\n" for i, g in enumerate(groups, start=1))
    study.import_register(read_register(register.encode(), "r.csv"), source="r.csv")
    study.add_team_member(A, MemberRole.LEAD)
    study.add_team_member(B, MemberRole.CODER)
    study.import_transcripts(
        [
            TranscriptSource(f"t{i}.txt", partial(bytes, t.encode()), participant=f"P{i}")
            for i, t in enumerate(texts, start=1)
        ]
    )


def codes(study: StudyService, *paths: str, level: int = 1) -> None:
    data = ("path\n" + "\n".join(paths) + "\n").encode()
    study.import_codebook(read_codebook(data, "cb.csv", level=Level(level)), source="cb.csv")


def code_spans(
    study: StudyService, rows: list[tuple[str, str, str, int, int]], level: int = 1
) -> None:
    data = "transcript,coder,code,start,end\n" + "".join(
        f"{t},{c},{k},{s},{e}\n" for t, c, k, s, e in rows
    )
    study.import_codings(read_codings(data.encode(), "c.csv"), source="c.csv", level=Level(level))


# -- agreement -------------------------------------------------------------------------------


def test_character_level_reproduces_nvivo_and_qualcoder_vectors(study: StudyService) -> None:
    build(study, ["x" * 1000, "y" * 10_000])
    codes(study, "Theme > Code")
    code_spans(
        study,
        [
            ("P1", A, "Theme > Code", 0, 150),
            ("P1", B, "Theme > Code", 100, 200),  # both 50, A-only 100, B-only 50
            ("P2", A, "Theme > Code", 0, 1000),
            ("P2", B, "Theme > Code", 200, 1200),  # QualCoder's example
        ],
    )
    report = study.agreement(A, B)
    sources = {s.participant: s.result for s in report.codes[0].characters}
    assert sources["P1"].percent_agreement == approx(85.0)
    assert sources["P1"].kappa == approx(0.3182, abs=5e-5)  # NVivo's example, docs/methods.md
    assert sources["P2"].kappa == approx(0.7778, abs=5e-5)  # not QualCoder's 0.660
    assert report.transcripts == (1, 2)


def test_character_aggregates_reproduce_methods_vectors(study: StudyService) -> None:
    build(study, ["a" * 1000, "b" * 4000, "c" * 500])
    codes(study, "Code")
    code_spans(
        study,
        [
            ("P1", A, "Code", 0, 150),
            ("P1", B, "Code", 100, 200),
            ("P2", A, "Code", 0, 700),
            ("P2", B, "Code", 100, 900),  # both 600, A-only 100, B-only 200
            ("P3", B, "Code", 0, 25),
            ("P3", A, "Code", 499, 500),
        ],
    )
    # P3: source 3 of docs/methods.md has A coding nothing; A's 1-char coding elsewhere changes
    # it, so check sources 1 and 2 and the aggregate over the exact vectors with a separate code.
    codes(study, "Exact")
    code_spans(
        study,
        [
            ("P1", A, "Exact", 0, 150),
            ("P1", B, "Exact", 100, 200),
            ("P2", A, "Exact", 0, 700),
            ("P2", B, "Exact", 100, 900),
            ("P3", B, "Exact", 0, 25),
        ],
    )
    report = study.agreement(A, B, code=("Exact",))
    overall = report.codes[0].characters_overall
    assert overall.unweighted_mean_kappa == approx(0.3574, abs=5e-5)
    assert overall.size_weighted_mean_kappa == approx(0.6063, abs=5e-5)
    assert overall.pooled_kappa == approx(0.6810, abs=5e-5)
    assert overall.unweighted_mean_percent == approx(90.83, abs=5e-3)
    assert overall.pooled_percent == approx(91.36, abs=5e-3)


def test_participant_presence_reproduces_methods_vectors(study: StudyService) -> None:
    build(study, [f"participant {i} speaks here" for i in range(1, 11)])
    codes(study, "Present", "Paradox")
    a, b = "1111111000", "1111110100"
    pa, pb = "1111111110", "1111111101"
    rows = []
    for i in range(10):
        label = f"P{i + 1}"
        rows += [(label, A, "Present", 0, 5)] if a[i] == "1" else []
        rows += [(label, B, "Present", 0, 5)] if b[i] == "1" else []
        rows += [(label, A, "Paradox", 6, 8)] if pa[i] == "1" else []
        rows += [(label, B, "Paradox", 6, 8)] if pb[i] == "1" else []
    code_spans(study, rows)
    report = study.agreement(A, B)
    by_code = {c.code: c.participants.coefficients for c in report.codes}
    present, paradox = by_code[("Present",)], by_code[("Paradox",)]
    assert report.participants == 10
    assert (
        present.cohen_kappa,
        present.gwet_ac1,
        present.brennan_prediger,
        present.krippendorff_alpha,
    ) == (
        approx(0.5238, abs=5e-5),
        approx(0.6552, abs=5e-5),
        approx(0.60),
        approx(0.5476, abs=5e-5),
    )
    assert paradox.cohen_kappa == approx(-0.1111, abs=5e-5)
    assert paradox.gwet_ac1 == approx(0.7561, abs=5e-5)


def test_undefined_agreement_is_reported_not_invented(study: StudyService) -> None:
    build(study, [f"same words for everyone {i}" for i in range(3)])
    codes(study, "Everywhere")
    code_spans(study, [(f"P{i}", c, "Everywhere", 0, 4) for i in (1, 2, 3) for c in (A, B)])
    c = study.agreement(A, B).codes[0]
    assert c.participants.coefficients.cohen_kappa is None
    assert "no variation" in c.participants.coefficients.undefined["cohen_kappa"]
    assert c.participants.coefficients.percent_agreement == 100.0
    assert c.characters[0].result.kappa == approx(1.0)


def test_turn_level_and_disagreement_list(study: StudyService) -> None:
    build(study, ["Ann: one two three\nBob: four five six\nAnn: seven eight nine\nBob: ten"])
    codes(study, "K")
    t = study.transcript("P1")
    first, second, third = t.turns[0], t.turns[1], t.turns[2]
    code_spans(
        study,
        [
            ("P1", A, "K", first.start, first.end),
            ("P1", B, "K", first.start, first.end - 2),  # boundaries
            ("P1", A, "K", third.start, third.end),  # only A
            ("P1", B, "K", second.start, second.start + 4),  # only B
        ],
    )
    report = study.agreement(A, B)
    turns = report.codes[0].turns
    assert (turns.units, turns.coded_by_a, turns.coded_by_b, turns.coded_by_both) == (4, 2, 2, 1)
    kinds = [(d.kind, d.text, d.participant) for d in report.disagreements]
    assert kinds == [
        ("boundaries", first.text, "P1"),
        ("only_b", "four", "P1"),
        ("only_a", third.text, "P1"),
    ]


def test_agreement_needs_two_known_coders(study: StudyService) -> None:
    build(study, ["text"])
    with pytest.raises(NotFoundError, match="no team member 'Nobody'"):
        study.agreement(A, "Nobody")
    with pytest.raises(ThematicaError, match="two different coders"):
        study.agreement(A, A.lower())


# -- codebook, codings, lineage ------------------------------------------------------------

FRAMEWORK = b"""
codes:
  - {path: "Mood > Cycle", description: "Pain and mood feed each other", colour: "#ABC"}
  - {path: "Mood > Despair"}
  - {path: "Role > Not my job"}
  - {path: "Role > Stick to the body"}
themes:
  - name: Two problems
    children:
      - name: Cycle
        children:
          - {name: Feeding, codes: ["Mood > Cycle"]}
          - {name: Sinking, codes: ["Mood > Despair"]}
      - name: Holistic care
        children:
          - {name: Part of the job, codes: ["Role > Not my job"], divergent: ["Role > Stick to the body"]}
links:
  - {from: "Two problems > Cycle > Feeding", to: "Two problems > Holistic care > Part of the job", label: "calls for"}
"""


def framework_study(study: StudyService) -> None:
    build(
        study,
        [f"words of participant {i} here and there" for i in range(1, 6)],
        ["Physio", "Physio", "Physio", "OT", "OT"],
    )
    study.import_codebook(read_codebook(FRAMEWORK, "fw.yaml"), source="fw.yaml")
    rows = [
        ("P1", A, "Mood > Cycle"),
        ("P2", A, "Mood > Cycle"),
        ("P3", A, "Mood > Cycle"),
        ("P3", A, "Mood > Despair"),
        ("P4", A, "Mood > Despair"),
        ("P1", A, "Role > Not my job"),
        ("P5", A, "Role > Stick to the body"),
    ]
    code_spans(study, [(t, c, k, 0, 5) for t, c, k in rows], level=2)


def test_counts_single_counting_union_divergent_and_groups(study: StudyService) -> None:
    framework_study(study)
    report = study.counts(level=Level.TWO, by="group")
    rows = {r.path: r for r in report.themes}
    assert report.total == 5
    assert rows[("Two problems", "Cycle", "Feeding")].rolled_up == 3
    assert rows[("Two problems", "Cycle", "Sinking")].rolled_up == 2
    cycle = rows[("Two problems", "Cycle")]
    assert (cycle.direct, cycle.rolled_up) == (0, 4)  # {P1,P2,P3} | {P3,P4}: 4, not 5
    assert cycle.phrase == "all but one participant (4/5)"
    assert cycle.not_represented == ("P5",)
    part = rows[("Two problems", "Holistic care", "Part of the job")]
    assert part.supporters == ("P1",) and part.divergent == ("P5",)
    assert rows[("Two problems",)].divergent == ("P5",)
    assert {g.value: (g.n, g.total) for g in cycle.by_group} == {"OT": (1, 2), "Physio": (3, 3)}
    code_rows = {r.path: r for r in report.codes}
    assert code_rows[("Mood",)].rolled_up == 4 and code_rows[("Mood",)].direct == 0


def test_counts_leave_out_participants_not_yet_interviewed(study: StudyService) -> None:
    framework_study(study)
    study.import_register(read_register(b"label,group\nP9,OT\n", "more.csv"), source="more.csv")
    assert study.counts(level=Level.TWO).total == 5


def test_matrix_and_cooccurrence(study: StudyService) -> None:
    framework_study(study)
    m = study.matrix("group", level=Level.TWO)
    feeding = next(r for r in m.rows if r.path == ("Two problems", "Cycle", "Feeding"))
    assert [(c.value, c.participants, c.total, c.codings) for c in feeding.cells] == [
        ("OT", 0, 2, 0),
        ("Physio", 3, 3, 3),
    ]
    co = study.cooccurrence(level=Level.TWO)
    pair = next(p for p in co.pairs if {p.a, p.b} == {("Mood", "Cycle"), ("Mood", "Despair")})
    assert (pair.turns_both, pair.turns_either, pair.jaccard, pair.overlapping_codings) == (
        1,
        4,
        0.25,
        1,
    )


def test_themes_and_links_round_trip(study: StudyService) -> None:
    framework_study(study)
    nodes, links = study.themes()
    assert [n.path for n in nodes][:3] == [
        ("Two problems",),
        ("Two problems", "Cycle"),
        ("Two problems", "Cycle", "Feeding"),
    ]
    assert links[0].label == "calls for"
    code = next(c for c in study.codes(Level.TWO) if c.path == ("Mood", "Cycle"))
    assert (code.colour, code.description, code.codings) == (
        "#aabbcc",
        "Pain and mood feed each other",
        3,
    )


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (
            b"transcript,coder,code,quote\nP1,Rachel Ames,Mood > Cycle,not in the text\n",
            r"row 2: the quote 'not in the text' is not in transcript P1",
        ),
        (
            b"transcript,coder,code,quote\nP1,Rachel Ames,Mood > Cycle,e\n",
            r"row 2: the quote 'e' occurs \d+ times in transcript P1; add an 'occurrence' column",
        ),
        (
            b"transcript,coder,code,quote\nP1,Nobody,Mood > Cycle,words\n",
            r"row 2: no team member 'Nobody'",
        ),
        (
            b"transcript,coder,code,quote\nP1,Rachel Ames,Mood > Nope,words\n",
            r"row 2: no level-2 code 'Mood > Nope'",
        ),
        (
            b"transcript,coder,code,quote\nP77,Rachel Ames,Mood > Cycle,words\n",
            r"row 2: no transcript 'P77'",
        ),
        (
            b"transcript,coder,code,start,end\nP1,Rachel Ames,Mood > Cycle,0,9999\n",
            r"row 2: end 9999 is past the end of transcript P1",
        ),
        (
            b"transcript,coder,code,start,end\nP1,Rachel Ames,Mood > Cycle,0,5\n",
            r"row 2: Rachel Ames already coded this span",
        ),
    ],
)
def test_bad_codings_change_nothing(
    location: str, study: StudyService, csv: bytes, message: str
) -> None:
    framework_study(study)
    before = snapshot(location)
    with pytest.raises(InputError, match=r"c.csv: " + message):
        study.import_codings(read_codings(csv, "c.csv"), source="c.csv", level=Level.TWO)
    assert snapshot(location) == before


def test_quote_with_occurrence_and_wrapped_whitespace(study: StudyService) -> None:
    build(study, ["I said no. Then I said no again.\nAnd then\nyes."])
    codes(study, "Refusal")
    data = b"transcript,coder,code,quote,occurrence\nP1,Rachel Ames,Refusal,I said no,2\nP1,Tom Okafor,Refusal,And   then yes.,\n"
    study.import_codings(read_codings(data, "q.csv"), source="q.csv")
    found = [c.text for c in study.codings()]
    assert found == ["I said no", "And then\nyes."]  # the quote's spaces need not match the text's
    assert study.codings()[0].start == 16


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"codes:\n  - {path: A}\nthemes:\n  - {name: T, codes: [Nope]}\n",
            "x.yaml",
            "theme 'T' names an unknown code 'Nope'",
        ),
        (b"codes: [{path: A, colour: red}]\n", "x.yaml", "'red' is not a colour"),
        (b"codes: [{path: A, size: 3}]\n", "x.yaml", "codes item 1: unknown field"),
        (b"codes: [\n", "x.yaml", "not valid YAML"),
        (b"path\nA\na\n", "x.csv", "the code 'a' is listed twice"),
        (
            b"codes: [{path: A}]\nlinks: [{from: X, to: A, label: l}]\n",
            "x.yaml",
            "interlink 'l': no theme 'X'",
        ),
    ],
)
def test_bad_codebooks_change_nothing(
    location: str, study: StudyService, data: bytes, name: str, message: str
) -> None:
    build(study, ["text"])
    before = snapshot(location)
    with pytest.raises(InputError, match=message):
        study.import_codebook(read_codebook(data, name), source=name)
    assert snapshot(location) == before


def test_rename_move_describe_split_are_logged(study: StudyService) -> None:
    framework_study(study)
    study.rename_code(("Mood", "Cycle"), "Vicious cycle", by=A, level=Level.TWO)
    study.move_code(("Mood", "Vicious cycle"), ("Role",), by=B, level=Level.TWO)
    study.describe_code(("Role", "Vicious cycle"), description="New", by=A, level=Level.TWO)
    ids = [c.id for c in study.codings(code=("Role", "Vicious cycle"))]
    study.split_code(("Role", "Vicious cycle"), "Cycle part two", ids[:1], by=A, level=Level.TWO)
    log = study.lineage()
    assert [(e.operation, e.actor) for e in log] == [
        ("rename", A),
        ("move", B),
        ("describe", A),
        ("split", A),
    ]
    assert log[0].summary == "Renamed 'Mood > Cycle' to 'Vicious cycle'"
    assert len(study.codings(code=("Role", "Cycle part two"))) == 1
    assert len(study.codings(code=("Role", "Vicious cycle"))) == 2
    counts = {r.path: r.rolled_up for r in study.counts(level=Level.TWO).themes}
    assert (
        counts[("Two problems", "Cycle", "Feeding")] == 2
    )  # the split-off coding's code is not on the node
    with pytest.raises(ThematicaError, match="inside itself"):
        study.move_code(("Role",), ("Role", "Vicious cycle"), by=A, level=Level.TWO)
    with pytest.raises(ThematicaError, match="only merges can be undone"):
        study.undo(log[0].id, by=A)


def _state(study: StudyService) -> tuple[object, ...]:
    codings = sorted((c.id, c.code, c.coder, c.start, c.end) for c in study.codings())
    nodes, links = study.themes()
    return (
        codings,
        [(c.id, c.path, c.description, c.colour) for c in study.codes()],
        [(n.path, n.codes, n.divergent) for n in nodes],
        links,
    )


def test_merge_keeps_every_coding_and_undo_restores_everything(study: StudyService) -> None:
    framework_study(study)
    before = _state(study)
    total = len(study.codings())
    entry = study.merge_codes(("Mood", "Despair"), ("Mood", "Cycle"), by=A, level=Level.TWO)
    assert len(study.codings()) == total
    assert len(study.codings(code=("Mood", "Cycle"))) == 5
    with pytest.raises(NotFoundError):
        study.codings(code=("Mood", "Despair"))
    nodes = {n.path: n for n in study.themes()[0]}
    assert nodes[("Two problems", "Cycle", "Sinking")].codes == (("Mood", "Cycle"),)
    message = study.undo(entry, by=B)
    assert message.startswith(f"Undid entry {entry}: Merged 'Mood > Despair' into 'Mood > Cycle'")
    assert _state(study) == before
    log = study.lineage()
    assert log[-1].undone_at is not None and not log[-1].undoable
    with pytest.raises(ThematicaError, match="already undone"):
        study.undo(entry, by=A)


def test_merge_refusals(study: StudyService) -> None:
    framework_study(study)
    with pytest.raises(ThematicaError, match="into itself"):
        study.merge_codes(("Mood", "Cycle"), ("mood", "cycle"), by=A, level=Level.TWO)
    with pytest.raises(ThematicaError, match="is inside"):
        study.merge_codes(("Mood",), ("Mood", "Cycle"), by=A, level=Level.TWO)
    with pytest.raises(NotFoundError, match="no team member"):
        study.merge_codes(("Mood", "Despair"), ("Mood", "Cycle"), by="Stranger", level=Level.TWO)


# -- saturation ------------------------------------------------------------------------------

GUEST = [20, 8, 5, 4, 4, 3, 1, 0, 1, 0, 0, 0]  # constructed to fit Guest et al. (2020)'s runs


def test_saturation_reproduces_guest_vector_through_a_study(study: StudyService) -> None:
    build(study, [f"interview {i} " + "w " * 60 for i in range(len(GUEST))])
    total = sum(GUEST)
    codes(study, *(f"C{i}" for i in range(total)))
    rows, next_code = [], 0
    for interview, new in enumerate(GUEST, start=1):
        fresh = list(range(next_code, next_code + new))
        next_code += new
        old = [0, 1] if interview > 1 else []  # also re-apply earlier codes: they are not new
        rows += [(f"P{interview}", A, f"C{c}", 2 * k, 2 * k + 1) for k, c in enumerate(fresh + old)]
    code_spans(study, rows)
    for interview in range(1, len(GUEST) + 1):
        study.set_transcript_details(
            f"P{interview}", interview_date=__import__("datetime").date(2026, 1, interview)
        )
    report = study.saturation(base=4, run=2, threshold=0.05)
    assert [s.new for s in report.interviews] == GUEST
    assert report.guest.notation == "6+2"
    assert [round(r.ratio, 4) for r in report.guest.runs] == [0.1892, 0.1081, 0.0270]
    assert study.saturation(base=4, run=3).guest.notation == "7+3"
    assert study.saturation(threshold=0).guest.notation == "9+2"
    reordered = study.saturation(order=[f"P{i}" for i in range(len(GUEST), 0, -1)])
    assert reordered.order == "the order given" and reordered.interviews[0].participant == "P12"


def test_saturation_on_an_unfinished_study(study: StudyService) -> None:
    build(study, [f"interview {i} " + "w " * 10 for i in range(5)])
    codes(study, "X", "Y")
    code_spans(study, [("P1", A, "X", 0, 1), ("P2", B, "Y", 0, 1)])
    report = study.saturation()
    assert report.guest.notation == "not reached" and report.guest.reason
    assert report.not_yet_coded == ("P3", "P4", "P5")
    assert study.saturation(coders=[B]).interviews[0].participant == "P2"


def test_three_coders_krippendorff_with_missing_data(study: StudyService) -> None:
    import krippendorff
    import numpy as np

    build(study, [f"participant {i} talks about pain and mood" for i in range(1, 6)])
    study.add_team_member("Cara Lee", MemberRole.CODER)
    codes(study, "Pain")
    present = {  # coder -> participants where they coded "Pain"; Cara has not coded P5 at all
        A: {1, 2, 3},
        B: {1, 2, 4},
        "Cara Lee": {1, 2, 3},
    }
    rows = [(f"P{p}", coder, "Pain", 16, 20) for coder, ps in present.items() for p in ps]
    codes(study, "Other")
    rows += [(f"P{p}", coder, "Other", 0, 5) for coder in (A, B) for p in range(1, 6)]
    rows += [(f"P{p}", "Cara Lee", "Other", 0, 5) for p in range(1, 5)]
    code_spans(study, rows)
    report = study.agreement_many([A, B, "Cara Lee"], scope="both")
    pain = next(c for c in report.codes if c.code == ("Pain",))
    expected = np.array([[1, 1, 1, 0, 0], [1, 1, 0, 1, 0], [1, 1, 1, 0, np.nan]], dtype=float)
    assert pain.participants.alpha == approx(
        krippendorff.alpha(reliability_data=expected, level_of_measurement="nominal"), abs=1e-12
    )
    assert pain.participants.units == 5 and pain.participants.coded_by == (3, 3, 3)
    assert report.coded_transcripts == (1, 2, 3, 4, 5)
    with pytest.raises(ThematicaError, match="two or more different coders"):
        study.agreement_many([A, A])


def test_two_coder_alpha_is_the_same_by_both_routes(study: StudyService) -> None:
    build(study, [f"participant {i} " + "word " * 12 for i in range(1, 9)])
    codes(study, "X", "Y")
    rows = [
        ("P1", A, "X", 0, 12),
        ("P2", A, "X", 0, 12),
        ("P2", B, "X", 3, 9),
        ("P3", B, "X", 0, 4),
        ("P4", A, "Y", 0, 30),
        ("P4", B, "Y", 10, 20),
        ("P5", B, "Y", 0, 5),
        ("P6", A, "X", 0, 3),
        ("P6", B, "Y", 0, 3),
    ]
    # P7 has a second interview, coded by A only: under --scope both it must not count
    study.import_transcripts(
        [
            TranscriptSource(
                "p7-second.txt", partial(bytes, b"a second interview with P7"), participant="P7"
            )
        ]
    )
    rows += [("t7.txt", B, "Y", 0, 5), ("t7.txt", A, "Y", 2, 6), ("p7-second.txt", A, "X", 0, 6)]
    code_spans(study, rows)
    for scope in ("either", "both"):
        two = {c.code: c for c in study.agreement(A, B, scope=scope).codes}
        many = {c.code: c for c in study.agreement_many([A, B], scope=scope).codes}
        assert set(two) == set(many)
        for path in two:
            for unit in ("participants", "turns"):
                expected = getattr(two[path], unit).coefficients.krippendorff_alpha
                got = getattr(many[path], unit).alpha
                assert (got is None) == (expected is None), (scope, path, unit)
                if got is not None:
                    assert got == approx(expected, abs=1e-9), (scope, path, unit)


def test_level_one_codes_can_record_their_coder(location: str, study: StudyService) -> None:
    build(study, ["text one"])
    data = b"path,owner\nMine > In vivo,Tom Okafor\nShared,\n"
    study.import_codebook(read_codebook(data, "cb.csv"), source="cb.csv")
    owners = {c.path: c.owner for c in study.codes()}
    assert owners[("Mine", "In vivo")] == B and owners[("Shared",)] is None
    before = snapshot(location)
    with pytest.raises(InputError, match=r"code 'X': no team member 'Nobody'"):
        study.import_codebook(read_codebook(b"path,owner\nX,Nobody\n", "cb.csv"), source="cb.csv")
    assert snapshot(location) == before


def test_undo_after_the_merged_codes_id_was_reused(study: StudyService) -> None:
    framework_study(study)
    newest = max(c.id for c in study.codes())
    newest_path = next(c.path for c in study.codes() if c.id == newest)
    target = next(c.path for c in study.codes(Level.TWO) if c.id != newest and len(c.path) == 2)
    moved = len(study.codings(code=newest_path))
    entry = study.merge_codes(newest_path, target, by=A, level=Level.TWO)
    codes(study, "Brand new code", level=2)  # SQLite may hand the merged code's id to this one
    study.undo(entry, by=A)
    restored = {c.path: c for c in study.codes()}
    assert newest_path in restored and ("Brand new code",) in restored
    assert len(study.codings(code=newest_path)) == moved


def test_merge_refuses_to_mix_support_and_divergence(study: StudyService) -> None:
    framework_study(study)
    with pytest.raises(ThematicaError, match="merging would turn divergent cases into support"):
        study.merge_codes(
            ("Role", "Stick to the body"), ("Role", "Not my job"), by=A, level=Level.TWO
        )


@pytest.mark.parametrize("ref", ["²", "99999999999999999999999", "-1", "١"])
def test_odd_transcript_references_are_not_found_cleanly(study: StudyService, ref: str) -> None:
    build(study, ["text"])
    with pytest.raises(NotFoundError, match="no transcript"):
        study.transcript(ref)


def test_saturation_and_quantifier_arguments_are_checked(study: StudyService) -> None:
    from thematica.analysis.quantifiers import QuantifierRule

    framework_study(study)
    with pytest.raises(ThematicaError, match="threshold must be at least 0 and below 1"):
        study.saturation(threshold=float("nan"))
    with pytest.raises(ThematicaError, match="give no phrase for 0 of 5 participants"):
        study.counts(level=Level.TWO, rules=[QuantifierRule("most", at_least=0.5)])


def test_saturation_names_the_transcripts_an_order_leaves_out(study: StudyService) -> None:
    build(study, [f"interview {i} " + "w " * 10 for i in range(3)])
    codes(study, "X")
    code_spans(study, [("P1", A, "X", 0, 1), ("P2", A, "X", 0, 1)])
    report = study.saturation(order=["P2"])
    assert [s.participant for s in report.interviews] == ["P2"]
    assert set(report.not_yet_coded) == {
        "P1 (not in the order given)",
        "P3 (not in the order given)",
    }
