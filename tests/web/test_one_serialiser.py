"""One serialiser (issue 12, item 5): the CLI's ``--format json`` and the analysis page's JSON
twin are the same document for the same parameters, for every analysis, on the demo study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from thematica.cli.main import cli

A, B = "Rachel Ames", "Tom Okafor"

# (CLI arguments after the study, the twin's URL): the same parameters, each as its adapter
# takes them (the page's threshold is a percentage, the CLI's a proportion)
CASES = [
    (["counts"], "/api/analysis/counts"),
    (["counts", "--level", "1", "--by", "group"], "/api/analysis/counts?level=1&by=group"),
    (["counts", "--by", "setting"], "/api/analysis/counts?by=setting"),
    (["matrix", "--by", "group"], "/api/analysis/matrix?by=group"),
    (
        ["matrix", "--by", "setting", "--level", "1", "--rows", "codes"],
        "/api/analysis/matrix?by=setting&level=1&rows=codes",
    ),
    (["saturation"], "/api/analysis/saturation"),
    (
        [
            "saturation",
            "--level",
            "2",
            "--base",
            "5",
            "--run",
            "3",
            "--threshold",
            "0.005",
            "--initial",
            "4",
            "--stop",
            "2",
        ],
        "/api/analysis/saturation?level=2&base=5&run=3&threshold=0.5&initial=4&stop=2",
    ),
    (["agreement", "--coders", f"{A},{B}"], "/api/analysis/agreement"),
    (
        ["agreement", "--coders", f"{A},{B}", "--level", "1", "--scope", "both"],
        f"/api/analysis/agreement?a={A}&b={B}&level=1&scope=both",
    ),
    (
        ["agreement", "--coders", f"{A},{B}", "--code", "Pain and mood"],
        f"/api/analysis/agreement?a={A}&b={B}&code=Pain and mood",
    ),
    (
        ["agreement", "--coders", f"{A},{B}", "--convention", "nvivo"],
        f"/api/analysis/agreement?a={A}&b={B}&convention=nvivo",
    ),
    (["cooccurrence"], "/api/analysis/cooccurrence"),
    (["cooccurrence", "--level", "1"], "/api/analysis/cooccurrence?level=1"),
]


def cli_json(demo: Path, args: list[str]) -> Any:
    result = CliRunner().invoke(cli, [args[0], str(demo), *args[1:], "--format", "json"])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.output)


@pytest.mark.parametrize(("args", "url"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_cli_json_and_the_pages_twin_are_one_document(
    client: TestClient, demo: Path, args: list[str], url: str
) -> None:
    client.post("/identity", data={"name": A})  # the lead: sees every transcript
    twin = client.get(url)
    assert twin.status_code == 200, twin.text
    assert twin.json() == cli_json(demo, args)


def test_every_analysis_is_compared() -> None:
    assert {args[0] for args, _ in CASES} == {
        "counts",
        "matrix",
        "saturation",
        "agreement",
        "cooccurrence",
    }


def test_the_twin_leaves_out_text_the_member_may_not_read(client: TestClient, demo: Path) -> None:
    """The same document, except that a member who sees anonymised text only gets no
    disagreement text from a transcript they may not read (none is anonymised in the demo)."""
    client.post("/identity", data={"name": "Helen Marsh"})  # reader, anonymised only
    twin = client.get("/api/analysis/agreement").json()
    full = cli_json(demo, ["agreement", "--coders", f"{A},{B}"])
    assert full["disagreements"] and all(d["text"] for d in full["disagreements"])
    assert all(d["text"] == "" for d in twin["disagreements"])
    for d in full["disagreements"]:
        d["text"] = ""
    assert twin == full
