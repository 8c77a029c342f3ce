"""Importing other tools' projects into a study: awkward but legal data is kept, and anything a
study cannot hold is refused with one clear line and no study left behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from thematica.domain import AttributeType
from thematica.errors import ThematicaError
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XLink,
    XProject,
    XSet,
    XSource,
    XUser,
    XVariable,
)
from thematica.service import StudyService


def project(**changes: object) -> XProject:
    base = XProject(
        name="Imported",
        users=(XUser("u1", "Ann"), XUser("u2", "Ann")),
        codes=(XCode("c1", "Code"), XCode("t1", "Theme", codable=False, level=2, theme=True)),
        variables=(XVariable("v1", "age", AttributeType.INTEGER),),
        cases=(
            XCase("k1", "P1", values={"age": 30}, sources=("s1",)),
            XCase("k2", "P1", values={"age": 40}, sources=("s2",)),
        ),
        sources=(
            XSource(
                "s1",
                "one.txt",
                "hello world",
                (
                    XCoding("x1", 0, 5, "c1", "u1"),
                    XCoding("x2", 0, 5, "c1", "u2"),
                    XCoding("x3", 3, 3, "c1", "u1"),
                ),
            ),
            XSource("s2", "two.txt", "second text", (XCoding("x4", 0, 6, "c1", None),)),
        ),
        links=(XLink("l1", "shapes", "t1", "t1"),),
        sets=(XSet("st1", "Theme codes: Theme", ("c1",)), XSet("st2", "Divergent: Theme", ("c1",))),
    )
    return XProject(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_awkward_but_legal_data_is_kept_apart(tmp_path: Path) -> None:
    with StudyService.create_from_project(str(tmp_path / "s.thematica"), project()) as study:
        assert [m.name for m in study.team()][:2] == ["Ann", "Ann (2)"]  # two people, not one
        coders = sorted(c.coder for c in study.codings())
        assert coders == ["Ann", "Ann (2)", "Unknown coder"]  # the empty selection was skipped
        assert study.import_summary["empty_selections_skipped"] == 1
        assert [p.label for p in study.participants()] == ["P1", "P1 (2)"]
        nodes, links = study.themes()
        assert len(nodes[0].codes) + len(nodes[0].divergent) == 1  # one code, on the node once
        assert links == ()  # a link from a node to itself is not an interlink


def test_a_user_called_unknown_coder_does_not_clash(tmp_path: Path) -> None:
    p = project(users=(XUser("u1", "Unknown coder"),))
    with StudyService.create_from_project(str(tmp_path / "s.thematica"), p) as study:
        assert {"Unknown coder", "Unknown coder (2)"} <= {m.name for m in study.team()}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"age": "forty"}, "case 'P1': variable 'age': 'forty' is not a whole number"),
        ({"age": float("nan")}, "is not a whole number"),
    ],
)
def test_values_of_the_wrong_type_are_refused_and_nothing_is_left(
    tmp_path: Path, values: dict[str, object], message: str
) -> None:
    target = tmp_path / "s.thematica"
    bad = project(cases=(XCase("k1", "P1", values=values, sources=("s1",)),))  # type: ignore[arg-type]
    with pytest.raises(ThematicaError, match=message):
        StudyService.create_from_project(str(target), bad)
    assert not target.exists()


def test_values_that_convert_are_kept(tmp_path: Path) -> None:
    p = project(
        variables=(
            XVariable("v1", "age", AttributeType.INTEGER),
            XVariable("v2", "seen", AttributeType.DATE),
        ),
        cases=(XCase("k1", "P1", values={"age": "41", "seen": "2026-03-02"}, sources=("s1",)),),
    )
    with StudyService.create_from_project(str(tmp_path / "s.thematica"), p) as study:
        assert study.participants()[0].attributes == {"age": 41, "seen": dt.date(2026, 3, 2)}


def test_long_names_are_shortened(tmp_path: Path) -> None:
    p = project(name="N" * 900, codes=(XCode("c1", "C" * 5000),))
    with StudyService.create_from_project(str(tmp_path / "s.thematica"), p) as study:
        assert len(study.info().title) == 500 and len(study.codes()[0].name) == 300
