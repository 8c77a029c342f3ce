"""A solo reflexive study, built from the command line alone: one coder, no agreed layer, the
theme framework made with ``themes add/assign/link``, and a report whose Table 2 and theme map
come from the level-one codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli
from thematica.cli.report import report

DATA = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data"
ME = "Sam Solo"
CODES = {  # level-one code -> the sub-theme it is assigned to
    "Pain and mood > Feeding each other": "Two-way street > The loop",
    "Pain and mood > Withdrawal and inactivity": "Two-way street > Lives shrink",
    "Pain and mood > Low mood amplifies pain": "Two-way street > The loop",
}
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args), env={"THEMATICA_MEMBER": ME})
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def my_codings(tmp_path: Path) -> tuple[Path, dict[str, set[str]]]:
    """The demo's first coder's level-one codings, as if one researcher had made them alone;
    and, worked out here from the CSV, who has each code."""
    with (DATA / "analysis" / "codings-level1.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["coder"] == "Rachel Ames"]
    who: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        row["coder"] = ME
        who[row["code"]].add(row["transcript"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "my-codings.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, who


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[str]]]:
    tmp_path = tmp_path_factory.mktemp("solo")
    study = str(tmp_path / "solo.thematica")
    run("init", study, "--title", "Pain and low mood, alone", "--approach", "reflexive")
    run("team", "add", study, ME, "--role", "lead")
    run("participants", "import", study, str(DATA / "register.csv"))
    run(
        "transcripts", "import", study, str(DATA / "interviews"),
        "--manifest", str(DATA / "interviews.csv"),
    )  # fmt: skip
    run("codebook", "import", study, str(DATA / "analysis" / "codebook-level1.csv"))
    codings, who = my_codings(tmp_path)
    run("codings", "import", study, str(codings), "--level", "1")
    for theme in ("Two-way street", "Two-way street > The loop", "Two-way street > Lives shrink"):
        run("themes", "add", study, theme)
    for code, theme in CODES.items():
        run("themes", "assign", study, theme, code)
    run("themes", "link", study, "Two-way street > The loop", "Two-way street > Lives shrink",
        "drives")  # fmt: skip
    return Path(study), who


def test_the_framework_is_built_from_the_command_line(
    solo: tuple[Path, dict[str, set[str]]],
) -> None:
    study, _ = solo
    shown = run("themes", "show", str(study), "--format", "json").output
    assert '"Two-way street"' in shown and '"drives"' in shown
    lineage = " | ".join(
        e["summary"]
        for e in json.loads(run("codebook", "lineage", str(study), "--format", "json").output)
    )
    assert "Added theme 'The loop'" in lineage
    assert "Assigned level-1 code 'Pain and mood > Feeding each other'" in lineage
    assert "Linked 'Two-way street > The loop' to 'Two-way street > Lives shrink'" in lineage


def test_report_counts_and_maps_the_level_one_codes(
    solo: tuple[Path, dict[str, set[str]]], tmp_path: Path
) -> None:
    study, who = solo
    out = tmp_path / "report"
    result = CliRunner().invoke(
        report, [str(study), "--out", str(out), "--allow-identifiers"], env={"THEMATICA_MEMBER": ME}
    )
    assert result.exit_code == 0, result.output + result.stderr

    expected: dict[str, set[str]] = defaultdict(set)
    for code, theme in CODES.items():
        expected[theme] |= who[code]
    expected["Two-way street"] = (
        expected["Two-way street > The loop"] | expected["Two-way street > Lives shrink"]
    )
    with (out / "table2.csv").open(encoding="utf-8", newline="") as fh:
        table2 = {row["path"]: row["n/N"] for row in csv.DictReader(fh)}
    assert set(table2) == set(expected)
    for theme, people in expected.items():
        assert table2[theme] == f"{len(people)}/10", theme

    root = ET.parse(out / "figure1-theme-map.svg").getroot()
    svg_text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "drives" in svg_text
    assert f"The loop {len(expected['Two-way street > The loop'])}/10" in svg_text

    html = (out / "report.html").read_text(encoding="utf-8")
    assert "the level-one codes (one coder&#x27;s coding) are the analysis" in html or (
        "the level-one codes (one coder's coding) are the analysis" in html
    )
    assert "1 coder; reflexive approach" in html  # COREQ item 24
    assert "1 overarching theme, 2 themes and 0 sub-themes" in html  # COREQ item 25


def test_two_coders_without_an_agreed_layer_are_refused(tmp_path: Path) -> None:
    study = str(tmp_path / "team.thematica")
    run("init", study, "--title", "Two coders", "--approach", "codebook")
    run("team", "add", study, ME, "--role", "lead")
    run("team", "add", study, "Rachel Ames", "--role", "coder")
    run("team", "add", study, "Tom Okafor", "--role", "coder")
    run("participants", "import", study, str(DATA / "register.csv"))
    run("transcripts", "import", study, str(DATA / "interviews"),
        "--manifest", str(DATA / "interviews.csv"))  # fmt: skip
    run("codebook", "import", study, str(DATA / "analysis" / "codebook-level1.csv"))
    run("codings", "import", study, str(DATA / "analysis" / "codings-level1.csv"))
    run("themes", "add", study, "Loop")
    before = snapshot(study)
    result = CliRunner().invoke(
        report, [study, "--out", str(tmp_path / "r"), "--allow-identifiers"]
    )
    assert result.exit_code == 2
    assert "2 coders and no agreed (level-two) codings" in result.stderr
    assert snapshot(study) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "Nowhere > Sub"), "no theme 'Nowhere'"),
        (("add", " > "), "is not a theme path"),
        (("assign", "Two-way street", "No such code"), "no code 'No such code' at either level"),
        (("link", "Two-way street", "Nowhere", "x"), "no theme 'Nowhere'"),
        (("unlink", "Two-way street", "Two-way street > The loop"), "no interlink from"),
        (("add", "Two-way street"), "Two-way street"),  # already there
        (("remove", "Two-way street"), "still has"),
    ],
)
def test_bad_theme_commands_change_nothing(
    solo: tuple[Path, dict[str, set[str]]], args: tuple[str, ...], message: str
) -> None:
    study, _ = solo
    before = snapshot(str(study))
    result = run("themes", args[0], str(study), *args[1:], ok=False)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(str(study)) == before
