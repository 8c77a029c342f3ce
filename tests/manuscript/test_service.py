"""The audit through the service on both backends: the same findings, and nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import snapshot
from tests.manuscript.drafts import PLANTED_MD
from tests.web.matrix_world import CODER, READER, build
from thematica.manuscript.draft import read_draft
from thematica.service import StudyService


def test_the_planted_draft_on_each_backend(location: str, tmp_path: Path) -> None:
    build(location, tmp_path / "study.thematica-key")
    draft = read_draft(PLANTED_MD.read_bytes(), "planted.md")
    before = snapshot(location)
    with StudyService.open(location) as study:
        report = study.audit_draft(draft)
        as_coder = study.as_member(CODER).audit_draft(draft)
        as_reader = study.as_member(READER).audit_draft(draft)
    assert snapshot(location) == before
    assert report.summary.startswith("16 claims: 13 consistent, 2 contradict, 1 untied; 5 quotes")
    assert as_coder.quotes == report.quotes
    # the reader reads only fully anonymised transcripts: quotes elsewhere are not checked
    readable = {q.found_in for q in as_reader.quotes if q.status != "not checked"}
    assert len(as_reader.quotes) == 5 and None not in readable
