"""The two conventions of character-level agreement (issue 12, item 2), checked against figures
this test computes itself from per-character vectors, not by Thematica.

``applied`` (the default): per code, the transcripts where at least one coder applied it.
``nvivo``: every transcript in scope for every code, kappa 1 and 100 % where neither coder
applied the code or both coded every character (NVivo's Coding Comparison query).
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner
from pytest import approx

from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.cli.main import cli
from thematica.errors import ThematicaError
from thematica.service import StudyService

LENGTHS = {"P1": 40, "P2": 60, "P3": 50, "P4": 80, "P5": 30}
# code -> transcript -> (A's spans, B's spans); Z is applied by neither coder in P4 and P5, and
# in P5 both coders coded every character of Y
CODINGS: dict[str, dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]] = {
    "X": {
        "P1": ([(0, 20)], [(10, 30)]),
        "P2": ([(0, 30)], [(0, 30)]),
        "P3": ([(5, 15)], [(20, 30)]),
        "P4": ([(0, 40)], [(10, 50)]),
        "P5": ([(0, 10)], []),
    },
    "Y": {
        "P1": ([(25, 40)], [(25, 35)]),
        "P2": ([], [(40, 50)]),
        "P3": ([(0, 10)], [(0, 10)]),
        "P4": ([(60, 80)], [(70, 80)]),
        "P5": ([(0, 30)], [(0, 30)]),
    },
    "Z": {
        "P1": ([(0, 5)], []),
        "P2": ([(10, 20)], [(12, 22)]),
        "P3": ([], [(30, 50)]),
    },
}


def vector(length: int, found: list[tuple[int, int]]) -> list[bool]:
    return [any(s <= i < e for s, e in found) for i in range(length)]


def kappa_and_percent(a: list[bool], b: list[bool]) -> tuple[Fraction, Fraction]:
    """Cohen (1960) on two coders' per-character vectors; NVivo reports kappa 1 where the
    chance agreement is 1 (nothing coded, or everything)."""
    n = len(a)
    p_o = Fraction(sum(x == y for x, y in zip(a, b, strict=True)), n)
    p_a, p_b = Fraction(sum(a), n), Fraction(sum(b), n)
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    kappa = Fraction(1) if p_e == 1 else (p_o - p_e) / (1 - p_e)
    return kappa, 100 * p_o


def expected() -> dict[str, dict[str, tuple[Fraction, Fraction]]]:
    out: dict[str, dict[str, tuple[Fraction, Fraction]]] = {}
    for code, by_transcript in CODINGS.items():
        out[code] = {}
        for t, n in LENGTHS.items():
            a_spans, b_spans = by_transcript.get(t, ([], []))
            out[code][t] = kappa_and_percent(vector(n, a_spans), vector(n, b_spans))
    return out


@pytest.fixture
def coded(study: StudyService) -> StudyService:
    build(study, ["x" * n for n in LENGTHS.values()])
    codes(study, *CODINGS)
    rows = [
        (t, coder, code, s, e)
        for code, by_transcript in CODINGS.items()
        for t, sides in by_transcript.items()
        for coder, found in zip((A, B), sides, strict=True)
        for s, e in found
    ]
    code_spans(study, rows)
    return study


def test_nvivo_convention_reproduces_per_source_figures_and_their_mean(
    coded: StudyService,
) -> None:
    figures = expected()
    report = coded.agreement(A, B, convention="nvivo")
    assert [c.code for c in report.codes] == [("X",), ("Y",), ("Z",)]
    for c in report.codes:
        code = c.code[0]
        got = {s.participant: s.result for s in c.characters}
        assert list(got) == list(LENGTHS)  # every transcript in scope, for every code
        for t, (kappa, percent) in figures[code].items():
            assert got[t].total == LENGTHS[t]
            assert got[t].kappa == approx(float(kappa), abs=1e-12), (code, t)
            assert got[t].percent_agreement == approx(float(percent), abs=1e-12), (code, t)
        kappas = [k for k, _p in figures[code].values()]
        percents = [p for _k, p in figures[code].values()]
        overall = c.characters_overall
        assert overall.sources == overall.sources_with_kappa == 5
        assert overall.unweighted_mean_kappa == approx(float(sum(kappas) / 5), abs=1e-12)
        assert overall.unweighted_mean_percent == approx(float(sum(percents) / 5), abs=1e-12)
        weighted = sum(k * LENGTHS[t] for t, (k, _p) in figures[code].items()) / sum(
            LENGTHS.values()
        )
        assert overall.size_weighted_mean_kappa == approx(float(weighted), abs=1e-12)
        a_all = [
            x for t, n in LENGTHS.items() for x in vector(n, CODINGS[code].get(t, ([], []))[0])
        ]
        b_all = [
            x for t, n in LENGTHS.items() for x in vector(n, CODINGS[code].get(t, ([], []))[1])
        ]
        pooled_kappa, pooled_percent = kappa_and_percent(a_all, b_all)
        assert overall.pooled_kappa == approx(float(pooled_kappa), abs=1e-12)
        assert overall.pooled_percent == approx(float(pooled_percent), abs=1e-12)
    # where neither coder applied Z, and where both coded all of Y: kappa 1, agreement 100 %
    z = {s.participant: s.result for s in report.codes[2].characters}
    y = {s.participant: s.result for s in report.codes[1].characters}
    for result in (z["P4"], z["P5"], y["P5"]):
        assert (result.kappa, result.percent_agreement, result.undefined) == (1.0, 100.0, None)
    # all codes: the unweighted mean over all 15 code x transcript pairs
    every = [k for code in figures.values() for k, _p in code.values()]
    assert report.pooled_characters.sources == 15
    assert report.pooled_characters.unweighted_mean_kappa == approx(
        float(sum(every) / 15), abs=1e-12
    )
    assert any("NVivo convention" in line for line in report.method)


def test_the_default_convention_is_unchanged(coded: StudyService) -> None:
    figures = expected()
    report = coded.agreement(A, B)
    assert report == coded.agreement(A, B, convention="applied")
    by_code = {c.code[0]: c for c in report.codes}
    z = by_code["Z"]
    assert [s.participant for s in z.characters] == ["P1", "P2", "P3"]  # not P4, P5
    assert z.characters_overall.unweighted_mean_kappa == approx(
        float(sum(figures["Z"][t][0] for t in ("P1", "P2", "P3")) / 3), abs=1e-12
    )
    y = {s.participant: s.result for s in by_code["Y"].characters}
    assert y["P5"].kappa is None and y["P5"].undefined  # 0/0 stays undefined
    assert by_code["Y"].characters_overall.sources_with_kappa == 4
    assert any("applied convention" in line for line in report.method)
    # the participant and turn figures do not depend on the convention
    nvivo = coded.agreement(A, B, convention="nvivo")
    for mine, theirs in zip(report.codes, nvivo.codes, strict=True):
        assert (mine.participants, mine.turns) == (theirs.participants, theirs.turns)
    assert report.disagreements == nvivo.disagreements


def test_an_unknown_convention_is_refused(coded: StudyService) -> None:
    with pytest.raises(ThematicaError, match="convention must be one of applied, nvivo"):
        coded.agreement(A, B, convention="maxqda")


def test_the_cli_names_the_convention(coded: StudyService, location: str) -> None:
    args = ["agreement", location, "--coders", f"{A},{B}"]
    default = CliRunner().invoke(cli, args)
    nvivo = CliRunner().invoke(cli, [*args, "--convention", "nvivo"])
    assert default.exit_code == 0 and nvivo.exit_code == 0, default.output + nvivo.output
    assert "applied convention" in default.output and "NVivo convention" in nvivo.output
    data = json.loads(
        CliRunner().invoke(cli, [*args, "--convention", "nvivo", "--format", "json"]).output
    )
    z = next(c for c in data["codes"] if c["code"] == ["Z"])
    assert len(z["characters"]) == 5
    refused = CliRunner().invoke(cli, [*args[:3], f"{A},{B},{A}x", "--convention", "nvivo"])
    assert refused.exit_code == 2 and "--convention is for two coders" in refused.output
