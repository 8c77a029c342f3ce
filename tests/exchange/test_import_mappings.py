"""Issue 12 acceptance: a finished team study from another tool, imported with the options that
map it onto Thematica's method (agreed layer, themes from the code tree, interview dates,
groups), gives the designed counts, saturation in date order and a full report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.exchange import team_study
from tests.exchange.refi_helpers import assert_valid
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.service import StudyService

OPTIONS = (
    "--agreed-by",
    "Consensus",
    "--themes-from-tree",
    "--interview-date",
    "interview_date",
    "--group-by",
    "profession",
)


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def qdpx(tmp_path: Path) -> Path:
    path = tmp_path / "team.qdpx"
    path.write_bytes(team_study.qdpx_bytes())
    return path


def test_the_team_study_is_a_valid_refi_qda_project() -> None:
    """By Project-mrt2019.xsd (a third-party file: without it only this test skips, and the
    acceptance tests below still run)."""
    assert_valid(team_study.qdpx_bytes())


@pytest.fixture
def mapped(tmp_path: Path, qdpx: Path) -> Path:
    study = tmp_path / "team.thematica"
    result = run("qdpx", "import", str(qdpx), str(study), *OPTIONS)
    assert "Hint:" not in result.output
    return study


def node_counts(study: Path, level: Level) -> dict[tuple[str, ...], tuple[int, int]]:
    with StudyService.open(str(study)) as s:
        report = s.counts(level=level)
    return {t.path: (t.rolled_up, t.total) for t in report.themes}


def test_counts_at_level_two_give_every_node_as_designed(mapped: Path) -> None:
    expected = {p: (n, team_study.N) for p, n in team_study.EXPECTED_LEVEL_TWO.items()}
    assert node_counts(mapped, Level.TWO) == expected
    assert "3/6" in run("counts", str(mapped), "--level", "2").output


def test_level_one_counts_follow_the_agreed_codes_back_to_the_coders(mapped: Path) -> None:
    expected = {p: (n, team_study.N) for p, n in team_study.EXPECTED_LEVEL_ONE.items()}
    assert node_counts(mapped, Level.ONE) == expected


def test_the_agreed_layer_is_formed_from_the_level_one_codes(mapped: Path) -> None:
    with StudyService.open(str(mapped)) as s:
        codes = s.codes()
        level_two = {c.path: c for c in codes if c.level is Level.TWO}
        level_one = {c.path: c for c in codes if c.level is Level.ONE}
        assert set(level_two) == {(leaf,) for leaf in team_study.DESIGN if leaf != "Continuity"}
        assert set(level_one) == {(leaf,) for leaf in team_study.DESIGN}
        assert s.coders_with_codings(level=Level.ONE) == ("Ann", "Ben")
        assert s.coders_with_codings(level=Level.TWO) == ("Consensus",)
        exported = s.export_project()
    guid_path = {c.guid: (c.name, c.level) for c in exported.codes}
    origins = {
        c.name: sorted(guid_path[o] for o in c.origins)
        for c in exported.codes
        if c.level == 2 and not c.theme
    }
    assert origins == {leaf: [(leaf, 1)] for leaf in team_study.DESIGN if leaf != "Continuity"}


def test_the_theme_framework_comes_from_the_tree_with_interlinks_and_memos(mapped: Path) -> None:
    with StudyService.open(str(mapped)) as s:
        nodes, links = s.framework()
        memos = s.memos()
    assert [n.path for n in nodes] == list(team_study.THEMES)
    held = {n.path: sorted((c.path, int(c.level)) for c in n.codes) for n in nodes}
    assert held[("Care", "Trust")] == [(("Continuity",), 1), (("Listening",), 2)]
    assert held[("Living with pain", "Managing", "Pacing")] == [
        (("Pacing activity",), 2),
        (("Rest breaks",), 2),
    ]
    assert held[("Living with pain",)] == []
    assert {(lk.source, lk.target, lk.label) for lk in links} == {
        (a, b, label) for a, b, label in team_study.LINKS
    }
    description = {n.path: n.description for n in nodes}
    assert description[("Care",)] == "Overarching: the care people get."
    managing = next(n.id for n in nodes if n.path == ("Living with pain", "Managing"))
    assert {(m.target, m.author, m.text) for m in memos} == {
        (f"theme:{managing}", "Ann", "Managing came up in every interview."),
        ("transcript:1", "Ben", "A long interview."),
    }


def test_saturation_follows_the_interview_dates(mapped: Path) -> None:
    with StudyService.open(str(mapped)) as s:
        report = s.saturation(level=Level.TWO)
    assert tuple(step.participant for step in report.interviews) == team_study.DATE_ORDER
    assert [step.interview_date for step in report.interviews] == sorted(
        when for when, _job, _age in team_study.PEOPLE.values()
    )


def test_groups_come_from_profession(mapped: Path) -> None:
    with StudyService.open(str(mapped)) as s:
        groups = {p.label: p.group for p in s.participants()}
    assert groups == {f"P{p}": job for p, (_w, job, _a) in team_study.PEOPLE.items()}


def test_report_has_table_1_by_profession_table_2_and_the_theme_map(
    mapped: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    run("report", str(mapped), "--out", str(out), "--format", "md,csv")
    markdown = next(out.glob("*.md")).read_text(encoding="utf-8")
    table_1 = markdown.split("Table 1", 1)[1].split("Table 2", 1)[0]
    assert "Physiotherapist" in table_1 and "Nurse" in table_1
    table_2 = markdown.split("Table 2", 1)[1]
    for path in team_study.THEMES:
        assert path[-1] in table_2
    dot = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.svg"))
    assert "eases" in dot and "supports" in dot, sorted(p.name for p in out.rglob("*"))


def test_without_options_the_import_prints_hints(tmp_path: Path, qdpx: Path) -> None:
    study = tmp_path / "plain.thematica"
    result = run("qdpx", "import", str(qdpx), str(study))
    hints = [line for line in result.output.splitlines() if line.startswith("Hint:")]
    assert len(hints) == 3, result.output
    assert "--agreed-by Consensus" in hints[0] and "codings promote" in hints[0]
    assert "--interview-date interview_date" in hints[1]
    assert "--themes-from-tree" in hints[2] and "'Living with pain'" in hints[2]
    with StudyService.open(str(study)) as s:  # nothing mapped: as before
        assert not s.framework()[0] and not s.coders_with_codings(level=Level.TWO)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--agreed-by", "Nobody", "no team member 'Nobody'"),
        ("--interview-date", "profession", "'Physiotherapist' is not a date"),
        ("--interview-date", "age", "holds integer values, not dates"),
        ("--group-by", "shoe size", "no participant attribute 'shoe size'"),
    ],
)
def test_a_bad_option_creates_nothing(
    tmp_path: Path, qdpx: Path, option: str, value: str, message: str
) -> None:
    study = tmp_path / "bad.thematica"
    result = run("qdpx", "import", str(qdpx), str(study), option, value, ok=False)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not study.exists()


def test_the_mapped_study_round_trips_with_its_json(mapped: Path) -> None:
    result = run("counts", str(mapped), "--level", "2", "--format", "json")
    assert json.loads(result.output)


def test_the_mappings_at_import_are_logged_as_the_import(mapped: Path) -> None:
    with StudyService.open(str(mapped)) as s:
        lineage = [(e.actor, e.operation) for e in s.lineage()]
        audit = [(e.actor, e.action) for e in s.audit_log().entries]
    assert lineage == [
        ("administrator", op) for op in ("set-group", "set-dates", "themes-from-tree", "promote")
    ]
    for op in ("set-group", "set-dates", "themes-from-tree", "promote"):
        assert ("administrator", f"import.{op}") in audit


def test_the_import_reports_as_json(tmp_path: Path, qdpx: Path) -> None:
    plain = run("qdpx", "import", str(qdpx), str(tmp_path / "p.thematica"), "--format", "json")
    found = json.loads(plain.stdout)
    assert found["sources"] == 6 and found["imported"]["memos"] == 2 and len(found["hints"]) == 3
    assert found["mapped"] == []
    mapped = run(
        "qdpx", "import", str(qdpx), str(tmp_path / "m.thematica"), *OPTIONS, "--format", "json"
    )
    found = json.loads(mapped.stdout)
    assert [m["operation"] for m in found["mapped"]] == [
        "set-group",
        "set-dates",
        "themes-from-tree",
        "promote",
    ]
    assert found["mapped"][2]["counts"]["interlinks"] == 2 and found["hints"] == []
