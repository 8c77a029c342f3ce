"""The import mappings after import (issue 12): ``codings promote``, ``themes from-tree``,
``participants set-group``, ``transcripts set-dates``. They give the same study as the import
options, each is in the lineage and audit log, and bad input changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from tests.exchange import team_study
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.errors import AccessDenied, NotFoundError, ThematicaError
from thematica.service import StudyService


@pytest.fixture
def imported(location: str) -> str:
    """The team study imported without options, as it was before issue 12."""
    StudyService.create_from_project(location, team_study.project()).close()
    return location


def framework(s: StudyService) -> list[tuple[object, ...]]:
    nodes, _links = s.framework()
    return [(n.path, n.description, sorted((c.path, int(c.level)) for c in n.codes)) for n in nodes]


@pytest.mark.parametrize("themes_first", [False, True], ids=["promote-first", "themes-first"])
def test_the_mappings_after_import_give_what_the_import_options_give(
    imported: str, tmp_path: Path, themes_first: bool
) -> None:
    with StudyService.open(imported) as s:
        s.set_group_from("profession", by="Ann")
        s.set_dates_from("interview_date", by="Ann")
        if themes_first:
            s.themes_from_tree(by="Ann")
            s.promote_coder("Consensus", by="Ann")
        else:
            s.promote_coder("Consensus", by="Ann")
            s.themes_from_tree(by="Ann")
        counts = {t.path: t.rolled_up for t in s.counts(level=Level.TWO).themes}
        level_one = {t.path: t.rolled_up for t in s.counts(level=Level.ONE).themes}
        got = framework(s)
        saturation = [i.participant for i in s.saturation(level=Level.TWO).interviews]
        groups = {p.label: p.group for p in s.participants()}
        codes = sorted((c.path, int(c.level)) for c in s.codes())
    assert counts == team_study.EXPECTED_LEVEL_TWO
    assert level_one == team_study.EXPECTED_LEVEL_ONE
    assert tuple(saturation) == team_study.DATE_ORDER
    assert groups["P3"] == "Nurse" and groups["P1"] == "Physiotherapist"
    with StudyService.create_from_project(
        str(tmp_path / "direct.thematica"),
        team_study.project(),
        _mappings(),
    ) as direct:
        assert got == framework(direct)
        assert codes == sorted((c.path, int(c.level)) for c in direct.codes())


def _mappings():  # type: ignore[no-untyped-def]
    from thematica.service.mappings import ImportMappings

    return ImportMappings("Consensus", True, "interview_date", "profession")


def test_each_mapping_is_in_the_lineage_and_the_audit_log(imported: str) -> None:
    with StudyService.open(imported) as s:
        s.set_group_from("profession", by="Ann")
        s.set_dates_from("interview_date", by="Ann")
        s.promote_coder("Consensus", by="Ann")
        s.themes_from_tree(by="Ann")
        lineage = [(e.actor, e.operation) for e in s.lineage()]
        audit = [(e.actor, e.action) for e in s.audit_log().entries]
    operations = ["set-group", "set-dates", "promote", "themes-from-tree"]
    assert [op for _a, op in lineage][-4:] == operations or sorted(lineage) == sorted(
        ("Ann", op) for op in operations
    )
    for op in operations:
        assert ("Ann", op) in lineage
        assert ("Ann", f"import.{op}") in audit


BAD: dict[str, tuple[Callable[[StudyService], object], type[Exception], str]] = {
    "unknown coder": (
        lambda s: s.promote_coder("Nobody", by="Ann"),
        NotFoundError,
        "no team member 'Nobody'",
    ),
    "coder without level-one codings": (  # after SETUP has promoted them once
        lambda s: s.promote_coder("Consensus", by="Ann"),
        ThematicaError,
        "Consensus has no level-one codings to promote",
    ),
    "no uncoded parents left": (  # after SETUP has made the themes once
        lambda s: s.themes_from_tree(by="Ann"),
        ThematicaError,
        "no parent code is left uncoded",
    ),
    "unknown group attribute": (
        lambda s: s.set_group_from("shoe size", by="Ann"),
        NotFoundError,
        "no participant attribute 'shoe size' (attributes: interview_date, profession, age)",
    ),
    "unknown date attribute": (
        lambda s: s.set_dates_from("when", by="Ann"),
        NotFoundError,
        "no participant attribute 'when'",
    ),
    "text that is not a date": (
        lambda s: s.set_dates_from("profession", by="Ann"),
        ThematicaError,
        "participant 'P1': profession 'Physiotherapist' is not a date (YYYY-MM-DD)",
    ),
    "a number is not a date": (
        lambda s: s.set_dates_from("age", by="Ann"),
        ThematicaError,
        "'age' holds integer values, not dates",
    ),
    "unknown actor": (
        lambda s: s.set_group_from("profession", by="Zed"),
        NotFoundError,
        "no team member 'Zed'",
    ),
    "a coder is not a lead": (
        lambda s: s.as_member("Ben").set_group_from("profession"),
        AccessDenied,
        "only a lead can set the participants' groups",
    ),
    "a coder cannot promote": (
        lambda s: s.as_member("Ben").promote_coder("Consensus"),
        AccessDenied,
        "only a lead can",
    ),
    "a coder cannot make themes": (
        lambda s: s.as_member("Ben").themes_from_tree(),
        AccessDenied,
        "only a lead can",
    ),
    "a coder cannot set dates": (
        lambda s: s.as_member("Ben").set_dates_from("interview_date"),
        AccessDenied,
        "only a lead can",
    ),
}


SETUP = {"coder without level-one codings", "no uncoded parents left"}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_leaves_the_study_unchanged(imported: str, case: str) -> None:
    action, error, message = BAD[case]
    with StudyService.open(imported) as s:
        if case in SETUP:
            action(s)  # the first time it works; the study after it is the baseline
        before = snapshot(imported)
        with pytest.raises(error) as caught:
            action(s)
    assert message in str(caught.value)
    assert snapshot(imported) == before


def test_a_date_text_attribute_and_participants_without_values(tmp_path: Path) -> None:
    from dataclasses import replace

    project = team_study.project()
    cases = list(project.cases)
    values = {k: v for k, v in cases[0].values.items() if k != "profession"}
    values["interview_date"] = "2024-02-03T10:30:00Z"  # NVivo's DateTime: ISO text
    cases[0] = replace(cases[0], values=values)
    location = str(tmp_path / "s.thematica")
    with StudyService.create_from_project(location, replace(project, cases=tuple(cases))) as s:
        grouped = s.set_group_from("profession", by="Ann")
        dated = s.set_dates_from("interview_date", by="Ann")
        groups = {p.label: p.group for p in s.participants()}
        dates = {t.participant: t.interview_date for t in s.transcripts()}
    assert grouped.counts["participants_kept"] == 1 and groups["P1"] == "Participants"
    assert dated.counts == {"transcripts_changed": 6, "transcripts_kept": 0}
    assert str(dates["P1"]) == "2024-02-03"


def test_the_cli_commands(tmp_path: Path) -> None:
    location = str(tmp_path / "s.thematica")
    StudyService.create_from_project(location, team_study.project()).close()

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, list(args))
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run("participants", "set-group", location, "shoe size")
    assert (
        code == 2 and "no participant attribute 'shoe size'" in err and len(err.splitlines()) == 1
    )
    code, out, err = run("transcripts", "set-dates", location, "--from", "profession")
    assert code == 2 and "is not a date" in err
    code, out, _ = run("participants", "set-group", location, "profession", "--format", "json")
    assert code == 0 and json.loads(out)["counts"]["groups"] == 2
    code, out, _ = run("transcripts", "set-dates", location, "--from", "interview_date")
    assert code == 0 and out.startswith("Set interview dates from 'interview_date': 6 transcripts")
    code, out, _ = run("codings", "promote", location, "--coder", "Consensus")
    assert code == 0 and "Promoted Consensus's 10 level-one codings" in out, out
    code, out, _ = run("themes", "from-tree", location)
    assert code == 0 and "6 themes created" in out and "0 interlinks" in out, out
    code, out, err = run("codings", "promote", location, "--coder", "Consensus", "--by", "Ben")
    assert code == 2 and "only a lead can" in err


def test_codes_moved_to_the_top_are_named_apart(tmp_path: Path) -> None:
    from thematica.exchange.model import XCode, XCoding, XProject, XSource, XUser

    codes = (
        XCode("a", "Work"),
        XCode("b", "Home"),
        XCode("a1", "Other", "a"),
        XCode("b1", "Other", "b"),
        XCode("c", "Other"),  # already at the top, coded
    )
    text = "one two three"
    codings = tuple(XCoding(f"k{g}", 0, 3, g, "u") for g in ("a1", "b1", "c"))
    project = XProject(
        "p", users=(XUser("u", "Lee"),), codes=codes, sources=(XSource("s", "S", text, codings),)
    )
    with StudyService.create_from_project(str(tmp_path / "s.thematica"), project) as s:
        s.themes_from_tree(by="Lee")
        names = sorted(" > ".join(c.path) for c in s.codes())
        held = {n.path: [c.path for c in n.codes] for n in s.framework()[0]}
    assert names == ["Other", "Other (Home)", "Other (Work)"]
    assert held == {("Work",): [("Other (Work)",)], ("Home",): [("Other (Home)",)]}


def test_themes_from_tree_takes_the_links_from_the_file_the_study_came_from(
    tmp_path: Path,
) -> None:
    qdpx = tmp_path / "team.qdpx"
    qdpx.write_bytes(team_study.qdpx_bytes())
    location = str(tmp_path / "s.thematica")
    StudyService.create_from_project(location, team_study.project()).close()
    result = CliRunner().invoke(
        cli, ["themes", "from-tree", location, "--links-from", str(qdpx), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["interlinks"] == 2
    with StudyService.open(location) as s:
        links = {(lk.source, lk.target, lk.label) for lk in s.framework()[1]}
    assert links == set(team_study.LINKS)
