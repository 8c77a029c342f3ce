"""The planted-error manuscripts for the demo study (issue 17, acceptance): every planted
error is found, no correct claim is flagged, the study is not changed, the exit status says so,
and ``--annotate`` puts a Word comment on each flagged sentence without changing the text."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from tests.manuscript.drafts import PLANTED_MD, planted_docx
from thematica.cli.main import cli
from thematica.manuscript.draft import read_draft
from thematica.manuscript.results import (
    CONSISTENT,
    CONTRADICTS,
    EDITED,
    UNTIED,
    VERBATIM,
    WRONG_PARTICIPANT,
    AuditReport,
)
from thematica.service import StudyService

DEMO_DRAFT = (
    Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data" / "draft.md"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return str(folder / "demo.thematica")


def _audit(demo: str, data: bytes, name: str) -> AuditReport:
    with StudyService.open(demo) as study:
        return study.audit_draft(read_draft(data, name))


@pytest.fixture(scope="module", params=["markdown", "docx"])
def planted(request: pytest.FixtureRequest, demo: str) -> AuditReport:
    if request.param == "markdown":
        return _audit(demo, PLANTED_MD.read_bytes(), "planted.md")
    return _audit(demo, planted_docx(), "planted.docx")


def _claim(report: AuditReport, words: str, section: str) -> object:
    found = [c for c in report.claims if c.claim == words and c.location.section == section]
    assert len(found) == 1, [(c.claim, c.location.section) for c in report.claims]
    return found[0]


def test_a_count_in_words_off_by_one_contradicts(planted: AuditReport) -> None:
    claim = _claim(planted, "Five participants", "No slack in it")
    assert (claim.status, claim.true_n, claim.true_total) == (CONTRADICTS, 6, 10)
    assert claim.node.endswith("No slack in it")
    assert claim.tie == "sentence"


def test_all_where_the_truth_is_all_but_one(planted: AuditReport) -> None:
    claim = _claim(planted, "All participants", "Discussion")
    assert (claim.status, claim.true_n, claim.true_total) == (CONTRADICTS, 9, 10)
    assert claim.rule_phrase == "all but one participant"


def test_results_and_discussion_contradict_each_other(planted: AuditReport) -> None:
    assert len(planted.inconsistencies) == 1
    found = planted.inconsistencies[0]
    assert found.node.endswith("Part of the job, but out of my depth")
    assert {found.first.location.section, found.second.location.section} == {
        "Abstract",
        "Discussion",
    }
    assert "All but one participant" in found.first.sentence
    assert "All participants felt" in found.second.sentence


def test_a_quote_given_to_the_wrong_participant(planted: AuditReport) -> None:
    (quote,) = [q for q in planted.quotes if q.attributed == "Physio 2"]
    assert (quote.status, quote.found_in) == (WRONG_PARTICIPANT, "Physio 1")
    assert "Physio 1's words" in quote.evidence


def test_a_quote_with_a_changed_word_is_edited_with_a_word_diff(planted: AuditReport) -> None:
    (quote,) = [q for q in planted.quotes if "plumbing" in q.quote]
    assert (quote.status, quote.found_in) == (EDITED, "Physio 3")
    assert "[-plumbing-] {+wiring+}" in quote.diff


def test_a_quote_with_an_ellipsis_and_an_insertion_still_matches(planted: AuditReport) -> None:
    (quote,) = [q for q in planted.quotes if "[occupational therapists]" in q.quote]
    assert "[…]" in quote.quote
    assert (quote.status, quote.found_in) == (VERBATIM, "OT 2")


def test_a_sentence_with_no_theme_is_left_untied_with_the_reason(planted: AuditReport) -> None:
    claim = _claim(planted, "Nine participants", "Introduction")
    assert claim.status == UNTIED and claim.node is None
    assert "no theme or code is named" in claim.evidence


def test_no_correct_claim_is_flagged(planted: AuditReport) -> None:
    planted_wrong = {("Five participants", "No slack in it"), ("All participants", "Discussion")}
    contradicting = {
        (c.claim, c.location.section) for c in planted.claims if c.status == CONTRADICTS
    }
    assert contradicting == planted_wrong
    others = [c for c in planted.claims if (c.claim, c.location.section) not in planted_wrong]
    assert [c.claim for c in others if c.status not in (CONSISTENT, UNTIED)] == []
    assert sum(1 for c in others if c.status == UNTIED) == 1
    assert len(planted.claims) == 16 and len(planted.quotes) == 5
    assert [q.status for q in planted.quotes].count(VERBATIM) == 3
    assert planted.failed


def test_ties_by_heading_and_by_the_sample(planted: AuditReport) -> None:
    heading = _claim(planted, "Seven participants", "Lobbing referrals into a void")
    assert (heading.tie, heading.status) == ("heading", CONSISTENT)
    sample = _claim(planted, "seven physiotherapists", "Methods")
    assert (sample.tie, sample.node, sample.true_n, sample.true_total) == (
        "sample",
        "the sample",
        7,
        7,
    )
    group = _claim(planted, "Four of the seven physiotherapists", "Lobbing referrals into a void")
    assert (group.true_n, group.true_total, group.status) == (4, 7, CONSISTENT)


def test_the_summary_line(planted: AuditReport) -> None:
    assert planted.summary == (
        "16 claims: 13 consistent, 2 contradict, 1 untied; 5 quotes: 3 verbatim, 1 edited, "
        "1 wrong participant; 1 inconsistency between places"
    )


def test_the_cli_exits_1_on_the_planted_draft_and_changes_nothing(demo: str) -> None:
    before = snapshot(demo)
    result = CliRunner().invoke(cli, ["audit", demo, str(PLANTED_MD), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["failed"] is True and len(data["claims"]) == 16
    assert snapshot(demo) == before


def test_the_cli_exits_0_on_the_demo_draft(demo: str) -> None:
    result = CliRunner().invoke(cli, ["audit", demo, str(DEMO_DRAFT)])
    assert result.exit_code == 0, result.output
    assert "7 claims: 6 consistent, 1 ambiguous quantifier; 2 quotes: 2 verbatim" in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_every_format_has_the_table_and_the_summary(demo: str, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["audit", demo, str(PLANTED_MD), "--format", fmt])
    assert result.exit_code == 1
    assert "16 claims: 13 consistent, 2 contradict, 1 untied" in result.stdout
    assert "wrong participant" in result.stdout and "Five participants" in result.stdout


def test_annotate_comments_on_each_flagged_sentence_and_keeps_the_text(
    demo: str, tmp_path: Path
) -> None:
    draft = tmp_path / "planted.docx"
    draft.write_bytes(planted_docx())
    out = tmp_path / "audited.docx"
    result = CliRunner().invoke(cli, ["audit", demo, str(draft), "--annotate", str(out)])
    assert result.exit_code == 1, result.output
    original = docx.Document(str(draft))
    annotated = docx.Document(str(out))
    assert [p.text for p in annotated.paragraphs] == [p.text for p in original.paragraphs]
    comments = list(annotated.comments)
    texts = [c.text for c in comments]
    # untied (Introduction), two contradictions (one sentence also inconsistent), the
    # Abstract's half of the inconsistency, the wrong participant and the edited quote
    assert len(comments) == 6, texts
    assert any("contradicts" in t and "Five participants" in t for t in texts)
    assert any("wrong participant" in t for t in texts)
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        body = archive.read("word/document.xml").decode()
    assert body.count("commentRangeStart") == 6


def test_annotate_needs_a_docx(demo: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["audit", demo, str(PLANTED_MD), "--annotate", str(tmp_path / "x.docx")]
    )
    assert result.exit_code == 2
    assert "--annotate needs a .docx draft" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_annotate_never_overwrites_the_draft(demo: str, tmp_path: Path) -> None:
    draft = tmp_path / "planted.docx"
    draft.write_bytes(planted_docx())
    before = draft.read_bytes()
    result = CliRunner().invoke(cli, ["audit", demo, str(draft), "--annotate", str(draft)])
    assert result.exit_code == 2
    assert "would overwrite the draft" in result.stderr
    assert draft.read_bytes() == before


def test_numbers_inside_a_theme_name_are_not_claims(demo: str) -> None:
    text = "# Results\n\nAll participants described Two problems, one person.\n"
    report = _audit(demo, text.encode(), "names.md")
    assert [(c.claim, c.status) for c in report.claims] == [("All participants", CONSISTENT)]


def test_table_2_rows_are_checked(demo: str) -> None:
    text = (
        "## Table 2\n\n| Theme | n/N | Phrase |\n|---|---|---|\n"
        "| No slack in it | 6/10 | the majority of participants |\n"
        "| Lobbing referrals into a void | 6/10 | the majority of participants |\n"
    )
    report = _audit(demo, text.encode(), "table.md")
    assert [(c.node.split(" > ")[-1], c.says, c.status) for c in report.claims] == [
        ("No slack in it", "6 of 10", CONSISTENT),
        ("No slack in it", "the majority", CONSISTENT),
        ("Lobbing referrals into a void", "6 of 10", CONTRADICTS),
        ("Lobbing referrals into a void", "the majority", CONSISTENT),
    ]
