"""``thematica journal``, ``memo`` and ``search`` over the demo study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import snapshot
from thematica.service import StudyService

CODER = "Tom Okafor"


@pytest.fixture
def demo(tmp_path: Path) -> str:
    run("demo", str(tmp_path))
    return str(tmp_path / "demo.thematica")


def test_journal_add_and_list(demo: str) -> None:
    out = run(
        "journal",
        "add",
        demo,
        "My own clinic colours this.",
        "--transcript",
        "Physio 1",
        "--kind",
        "field-note",
        "--by",
        CODER,
        "--format",
        "json",
    ).output
    entry = json.loads(out)
    assert entry["author"] == CODER and entry["transcripts"][0]["label"] == "Physio 1"
    listed = json.loads(
        run("journal", "list", demo, "--by", CODER, "--search", "CLINIC", "--format", "json").output
    )
    assert [e["id"] for e in listed["entries"]] == [entry["id"]]
    assert json.loads(
        run("journal", "list", demo, "--by", "Rachel Ames", "--format", "json").output
    ) == {"entries": []}
    assert "My own clinic" in run("journal", "list", demo, "--by", CODER).output


def test_memo_add_and_list(demo: str) -> None:
    with StudyService.open(demo) as study:
        code = study.codes()[0].id
    written = json.loads(
        run(
            "memo", "add", demo, f"code:{code}", "Check overlap.", "--by", CODER, "--format", "json"
        ).output
    )
    assert written["target"] == f"code:{code}" and written["author"] == CODER
    listed = json.loads(run("memo", "list", demo, f"code:{code}", "--format", "json").output)
    assert [m["text"] for m in listed["memos"]] == ["Check overlap."]


def test_search_and_code_all(demo: str) -> None:
    found = json.loads(
        run(
            "search",
            demo,
            '"low mood"',
            "--attribute",
            "group",
            "--value",
            "physiotherapist",
            "--format",
            "json",
        ).output
    )
    assert found["hits"] and all(h["participant"].startswith("Physio") for h in found["hits"])
    with StudyService.open(demo) as study:
        for hit in found["hits"]:
            text = study.transcript(str(hit["transcript_id"])).text
            assert all(text[s:e].lower() == "low mood" for s, e in hit["matches"])
    before = snapshot(demo)
    refused = run(
        "search",
        demo,
        '"low mood"',
        "--code-all",
        "Low mood",
        "--create",
        "--by",
        CODER,
        input="n\n",
        ok=False,
    )
    assert refused.exit_code == 2 and "nothing was coded" in refused.output + refused.stderr
    assert snapshot(demo) == before
    done = json.loads(
        run(
            "search",
            demo,
            '"low mood"',
            "--attribute",
            "group",
            "--value",
            "physiotherapist",
            "--code-all",
            "Low mood",
            "--create",
            "--by",
            CODER,
            "--yes",
            "--format",
            "json",
        ).output
    )
    with StudyService.open(demo) as study:
        coded = study.codings(code=("Low mood",), coder=CODER)
    assert done["new"] == len(coded) == sum(len(h["matches"]) for h in found["hits"])
    assert {c.text.lower() for c in coded} == {"low mood"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "{s}", "   "), "type a word"),
        (
            ("search", "{s}", "pain", "--attribute", "shoe", "--value", "9"),
            "no participant attribute",
        ),
        (("memo", "add", "{s}", "code:99999", "x", "--by", CODER), "no code 99999"),
        (("journal", "add", "{s}", " ", "--by", CODER), "needs some text"),
        (
            ("search", "{s}", "pain", "--code-all", "Nope", "--yes", "--by", CODER),
            "no level-1 code",
        ),
        (("search", "{s}", "pain", "--code-all", "Pain", "--yes", "--by", "Helen Marsh"), "reader"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    demo: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(demo)
    result = run(*(a.format(s=demo) for a in args), ok=False)
    assert result.exit_code == 2 and message in result.stderr, result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert snapshot(demo) == before
