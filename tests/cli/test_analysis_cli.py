"""The analysis commands on the demo study, in text and JSON, and their bad-input handling."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import snapshot
from thematica.cli.main import cli

CODERS = "Rachel Ames,Tom Okafor"
# THEMES.md: the participants each sub-theme should count (the demo's answer key)
EXPECTED = {
    "Winding each other up": 10,
    "Part of the job, but out of my depth": 9,
    "Lobbing referrals into a void": 7,
    "No slack in it": 6,
    "Being known and believed": 5,
    "Small wins, two gains": 4,
    "It's the company": 1,
    "Let us be physios": 1,
}


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def demo(demo_copy: Path) -> str:
    return str(demo_copy)


def test_counts_reproduce_the_demo_answer_key(demo: str) -> None:
    report = json.loads(run("counts", demo, "--format", "json").output)
    leaves = {tuple(t["path"])[-1]: t for t in report["themes"] if t["depth"] == 3}
    assert {name: leaves[name]["rolled_up"] for name in EXPECTED} == EXPECTED
    job = leaves["Part of the job, but out of my depth"]
    assert job["not_represented"] == ["OT 2"] and job["divergent"] == ["Physio 4"]
    assert job["phrase"] == "all but one participant (9/10)"
    assert leaves["It's the company"]["supporters"] == ["Physio 6"]
    assert "Let us be physios" in run("counts", demo).output


def test_counts_by_attribute_csv_and_markdown(demo: str) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("counts", demo, "--by", "group", "--format", "csv").output))
    )
    winding = next(r for r in rows if r["path"].endswith("Winding each other up"))
    assert (
        winding["group=Physiotherapist"] == "7/7"
        and winding["group=Occupational therapist"] == "3/3"
    )
    md = run("counts", demo, "--format", "md").output
    assert md.startswith("| kind | path |") and "| theme | Two problems, one person |" in md


def test_agreement_text_and_json(demo: str) -> None:
    report = json.loads(run("agreement", demo, "--coders", CODERS, "--format", "json").output)
    assert len(report["transcripts"]) == 10 and report["participants"] == 10
    assert report["disagreements"] and {d["kind"] for d in report["disagreements"]} == {
        "only_a",
        "only_b",
        "boundaries",
    }
    first = report["codes"][0]
    assert set(first) == {"code", "characters", "characters_overall", "participants", "turns"}
    assert set(first["participants"]["coefficients"]) >= {
        "cohen_kappa",
        "gwet_ac1",
        "brennan_prediger",
        "krippendorff_alpha",
    }
    text = run("agreement", demo, "--coders", CODERS).output
    assert "pooled κ" in text and "disagreements" in text and "Physio 4" in text
    one = json.loads(
        run(
            "agreement", demo, "--coders", CODERS, "--code", "Pain and mood", "--format", "json"
        ).output
    )
    assert all(c["code"][0] == "Pain and mood" for c in one["codes"])


def test_saturation_text_and_json(demo: str) -> None:
    report = json.loads(run("saturation", demo, "--format", "json").output)
    assert report["guest"]["notation"] == "6+2"
    assert [s["participant"] for s in report["interviews"]][:2] == [
        "Physio 3",
        "OT 2",
    ]  # interview-date order
    assert "Guest et al. 2020" in run("saturation", demo).output
    assert (
        json.loads(run("saturation", demo, "--base", "4", "--run", "3", "--format", "json").output)[
            "guest"
        ]["run"]
        == 3
    )


def test_matrix_cooccurrence_codebook_themes_codings(demo: str) -> None:
    m = json.loads(run("matrix", demo, "--by", "setting", "--format", "json").output)
    assert m["attribute"] == "setting" and m["rows"][0]["kind"] == "theme"
    assert "participants/N" in run("matrix", demo, "--by", "group").output
    co = json.loads(run("cooccurrence", demo, "--format", "json").output)
    assert co["pairs"] and all(0 < p["jaccard"] <= 1 for p in co["pairs"])
    assert "Jaccard" in run("cooccurrence", demo).output
    codes = json.loads(run("codebook", "show", demo, "--level", "2", "--format", "json").output)
    assert len(codes) >= 10 and all(c["level"] == 2 for c in codes)
    assert "Level 1 (coders)" in run("codebook", "show", demo).output
    themes = json.loads(run("themes", "show", demo, "--format", "json").output)
    assert len(themes["links"]) >= 3 and any(t["divergent"] for t in themes["themes"])
    assert "--[" in run("themes", "show", demo).output
    listed = json.loads(
        run(
            "codings", "list", demo, "--coder", "Tom Okafor", "--level", "1", "--format", "json"
        ).output
    )
    assert listed and {c["coder"] for c in listed} == {"Tom Okafor"}
    assert (
        "codings"
        in run(
            "codings", "list", demo, "--code", "Pain and mood", "--transcript", "Physio 4"
        ).output
    )


def test_merge_and_undo_through_the_cli(demo: str) -> None:
    before = snapshot(demo)
    merged = run(
        "codebook",
        "merge",
        demo,
        "Pain and mood > Feeding each other",
        "Pain and mood > Pain lowers mood",
        "--by",
        "Tom Okafor",
    )
    entry = merged.output.split("lineage entry ")[1].split(";")[0]
    log = json.loads(run("codebook", "lineage", demo, "--format", "json").output)
    assert (
        log[-1]["operation"] == "merge" and log[-1]["actor"] == "Tom Okafor" and log[-1]["undoable"]
    )
    run("codebook", "undo", demo, entry)  # --by defaults to the only lead
    after = snapshot(demo)
    assert after.pop("lineage") != before.pop("lineage")
    assert after.pop("audit_log") != before.pop("audit_log")
    assert after == before


def test_rename_move_describe_split(demo: str) -> None:
    run(
        "codebook",
        "rename",
        demo,
        "Time > Short follow-up slots",
        "Short slots",
        "--by",
        "Rachel Ames",
    )
    ids = [
        c["id"]
        for c in json.loads(
            run("codings", "list", demo, "--code", "Time > Short slots", "--format", "json").output
        )
    ]
    run(
        "codebook",
        "split",
        demo,
        "Time > Short slots",
        "Very short slots",
        "--codings",
        str(ids[0]),
    )
    run("codebook", "move", demo, "Time > Very short slots")
    run(
        "codebook",
        "describe",
        demo,
        "Very short slots",
        "--description",
        "Under 20 minutes",
        "--colour",
        "#f00",
    )
    shown = {
        tuple(c["path"]): c
        for c in json.loads(run("codebook", "show", demo, "--format", "json").output)
    }
    assert (
        shown[("Very short slots",)]["colour"] == "#ff0000"
        and shown[("Very short slots",)]["codings"] == 1
    )
    assert [
        e["operation"]
        for e in json.loads(run("codebook", "lineage", demo, "--format", "json").output)
    ] == ["rename", "split", "move", "describe"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("agreement", "{demo}", "--coders", "Rachel Ames"), "--coders takes two or more names"),
        (("agreement", "{demo}", "--coders", "Rachel Ames,Nobody"), "no team member 'Nobody'"),
        (
            ("agreement", "{demo}", "--coders", CODERS, "--code", "No > Such"),
            "no level-1 code 'No > Such'",
        ),
        (("counts", "{demo}", "--by", "shoe size"), "no participant attribute 'shoe size'"),
        (("counts", "{demo}", "--quantifiers", "{badrules}"), "rules.yaml"),
        (("saturation", "{demo}", "--order", "Physio 1,Physio 1"), "names a transcript twice"),
        (("codebook", "import", "{demo}", "{badbook}"), "bad.yaml: line 2: not valid YAML"),
        (
            ("codings", "import", "{demo}", "{badcodings}"),
            "bad.csv: row 2: the quote 'no such words here' is not in transcript Physio 1",
        ),
        (
            ("codebook", "merge", "{demo}", "Time", "Time", "--by", "Rachel Ames"),
            "cannot be merged into itself",
        ),
        (("codebook", "undo", "{demo}", "99", "--by", "Rachel Ames"), "no lineage entry 99"),
        (
            (
                "codebook",
                "split",
                "{demo}",
                "Time > Short follow-up slots",
                "X",
                "--codings",
                "a,b",
            ),
            "give coding numbers",
        ),
        (("codebook", "describe", "{demo}", "Time", "--colour", "blue"), "'blue' is not a colour"),
        (("codebook", "rename", "{demo}", "Time", "A > B", "--by", "Rachel Ames"), "no '>'"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(
    demo: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    files = {
        "demo": demo,
        "badrules": str(tmp_path / "rules.yaml"),
        "badbook": str(tmp_path / "bad.yaml"),
        "badcodings": str(tmp_path / "bad.csv"),
    }
    Path(files["badrules"]).write_text("- {phrase: all, colour: red}\n")
    Path(files["badbook"]).write_text("codes: [\n")
    Path(files["badcodings"]).write_text(
        "transcript,coder,code,quote\nPhysio 1,Rachel Ames,Time > Short follow-up slots,no such words here\n"
    )
    before = snapshot(demo)
    result = run(*(a.format(**files) for a in args), ok=False)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(demo) == before


def test_agreement_among_three_coders(demo: str, tmp_path: Path) -> None:
    run("team", "add", demo, "Cara Lee", "--role", "coder")
    data = tmp_path / "cara.csv"
    data.write_text(
        "transcript,coder,code,quote\n"
        "Physio 1,Cara Lee,Pain and mood > Feeding each other,the two just sort of wind each other up\n"
    )
    run("codings", "import", demo, str(data))
    report = json.loads(
        run("agreement", demo, "--coders", CODERS + ",Cara Lee", "--format", "json").output
    )
    assert report["coders"] == ["Rachel Ames", "Tom Okafor", "Cara Lee"]
    feeding = next(
        c for c in report["codes"] if c["code"] == ["Pain and mood", "Feeding each other"]
    )
    assert feeding["participants"]["units"] == 10 and feeding["participants"]["coded_by"][2] == 1
    assert "alpha" in run("agreement", demo, "--coders", CODERS + ",Cara Lee").output


def test_level_one_counts_reach_themes_through_code_origins(demo: str) -> None:
    report = json.loads(run("counts", demo, "--level", "1", "--format", "json").output)
    leaves = {tuple(t["path"])[-1]: t for t in report["themes"] if t["depth"] == 3}
    assert leaves["Winding each other up"]["rolled_up"] == 10  # both coders found it in everyone
    assert leaves["It's the company"]["supporters"] == ["Physio 6"]
    assert leaves["Part of the job, but out of my depth"]["divergent"] == ["Physio 4"]
    matrix = json.loads(
        run("matrix", demo, "--by", "group", "--level", "1", "--format", "json").output
    )
    assert any(cell["participants"] for row in matrix["rows"] for cell in row["cells"])
