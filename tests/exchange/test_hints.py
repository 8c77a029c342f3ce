"""What ``qdpx import`` without options points out (issue 12): a user whose codings look like an
agreed layer, a date variable, uncoded parent codes. Pure: on the project as read."""

from __future__ import annotations

from dataclasses import replace

from tests.exchange import team_study
from thematica.domain import AttributeType
from thematica.exchange.hints import hints
from thematica.exchange.model import XProject, XVariable


def renamed(project: XProject, old: str, new: str) -> XProject:
    return replace(
        project, users=tuple(replace(u, name=new) if u.name == old else u for u in project.users)
    )


def test_the_team_study() -> None:
    found = hints(team_study.project())
    assert found.agreed_users == ("Consensus",)
    assert found.date_variables == ("interview_date",)
    assert found.theme_parents == (
        "Living with pain",
        "Managing",
        "Pacing",
        "Impact",
        "Care",
        "Trust",
    )


def test_an_agreed_layer_by_its_codings_when_its_name_says_nothing() -> None:
    project = renamed(team_study.project(), "Consensus", "Rater C")
    assert hints(project).agreed_users == ("Rater C",)


def test_two_coders_have_no_agreed_layer() -> None:
    project = team_study.project()
    consensus = next(u.guid for u in project.users if u.name == "Consensus")
    sources = tuple(
        replace(s, codings=tuple(c for c in s.codings if c.user != consensus))
        for s in project.sources
    )
    assert hints(replace(project, sources=sources)).agreed_users == ()


def test_a_text_variable_named_as_a_date_that_holds_dates() -> None:
    project = team_study.project()
    variables = tuple(
        XVariable(v.guid, "Date of interview", AttributeType.TEXT)
        if v.name == "interview_date"
        else v
        for v in project.variables
    )
    cases = tuple(
        replace(
            c,
            values={
                ("Date of interview" if k == "interview_date" else k): (
                    f"{v.isoformat()}T09:00:00" if k == "interview_date" else v  # type: ignore[union-attr]
                )
                for k, v in c.values.items()
            },
        )
        for c in project.cases
    )
    assert hints(replace(project, variables=variables, cases=cases)).date_variables == (
        "Date of interview",
    )
    profession_only = replace(project, variables=variables[1:2])
    assert hints(profession_only).date_variables == ()


def test_no_hint_lines_for_a_project_with_nothing_to_map() -> None:
    project = team_study.project()
    flat = replace(project, codes=tuple(replace(c, parent=None) for c in project.codes))
    found = hints(replace(flat, variables=(), users=project.users[:2]))
    assert found.theme_parents == () and found.date_variables == ()
    assert [line for line in found.lines("s.thematica") if "agreed" in line] == []
