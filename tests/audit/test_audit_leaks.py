"""The audit log never holds transcript text, memo or journal text, a search query, or an
original identifier from the anonymisation key: one change of every kind on the demo study
(with originals planted in an in-vivo code, a memo, a journal entry, code and theme names, an
interlink label and a search query), then every field of every entry is searched for each."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.anonymise.keyfile import (
    DenyTermRow,
    FindingRow,
    IdentityRow,
    ReplacementRow,
    default_key_path,
)
from thematica.domain import Level
from thematica.service import CodingChange, StudyService, audit
from thematica.service.anonymising import AnonymisingStudy
from thematica.storage.database import make_engine

LEAD, CODER = "Rachel Ames", "Tom Okafor"


@pytest.fixture(scope="module")
def built(demo_template: Path) -> Path:
    return demo_template


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.thematica"
    shutil.copy(built, copy)
    shutil.copy(default_key_path(str(built)), default_key_path(str(copy)))
    return copy


def originals(key: Path) -> set[str]:
    """Every original the key file holds (team members' names are the log's actors)."""
    engine = make_engine(f"sqlite:///{key}")
    try:
        with Session(engine) as s:
            found = {
                name
                for row in s.scalars(select(IdentityRow))
                if row.category != "team member"
                for name in [row.real_name, *row.nicknames.split(";")]
            }
            found |= set(s.scalars(select(DenyTermRow.term)))
            for row in (FindingRow, ReplacementRow):
                found |= set(s.scalars(select(row.original).where(row.category != "team member")))
    finally:
        engine.dispose()
    return {o.strip() for o in found if o.strip()} - {LEAD, CODER}  # as speakers


def hits(blob: str, words: set[str]) -> list[str]:
    return sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", blob))


def test_no_text_query_or_original_in_any_entry(demo: Path) -> None:
    key = default_key_path(str(demo))
    study = StudyService.open(str(demo))
    anon = AnonymisingStudy(study, key)
    anon.scan()
    finding = next(f for f in anon.findings() if f.category == "participant")
    name = finding.original
    secrets = {f"memo about {name}", f"journal: {name} again", f"edited memo, {name}"}

    # codings: an in-vivo code named with an original, on the passage holding it; change; remove
    coding = study.add_coding(
        str(finding.transcript_id),
        (f"{name} says",),
        CODER,
        finding.start,
        finding.end + 5,
        memo=f"coding memo {name}",
        create_code=True,
    )
    study.change_coding(coding, CodingChange(end=finding.end + 8, memo=f"memo {name}"), by=CODER)
    other = study.codings(coder=CODER)[0]
    study.remove_coding(other.id, by=LEAD)
    # codes and themes, named and described with originals
    study.rename_code((f"{name} says",), f"{name} said", by=CODER)
    study.describe_code((f"{name} said",), description=f"about {name}", by=CODER)
    node = study.add_theme(f"Theme {name}", by=LEAD, description=f"{name} described")
    second = study.add_theme("Second", by=LEAD)
    study.rename_theme(node, f"Renamed {name}", by=LEAD)
    study.describe_theme(node, f"Described {name}", by=LEAD)
    code_id = next(c.id for c in study.codes() if c.path == (f"{name} said",))
    study.assign_code(node, code_id, by=LEAD)
    study.unassign_code(node, code_id, by=LEAD)
    link = study.link_themes(node, second, f"{name} link", by=LEAD)
    study.unlink_themes(link, by=LEAD)
    study.shift_theme(second, "up", by=LEAD)
    study.remove_theme(second, by=LEAD)
    # memos and journal entries holding originals
    memo = study.add_memo(f"code:{code_id}", f"memo about {name}", by=CODER)
    study.edit_memo(memo.ref, f"edited memo, {name}", by=CODER)
    study.remove_memo(memo.ref, by=CODER)
    entry = study.add_journal_entry(f"journal: {name} again", by=CODER)
    study.remove_journal_entry(entry.id, by=CODER)
    # search for an original and code every result
    study.code_search_results(name, (f"{name} said",), by=CODER)
    # a correction typing an original where a coding is (before/after go to the key), and
    # clearing the flag it set (issue 16)
    tid = str(finding.transcript_id)
    turns = study.transcript(tid).turns
    n = next(t.position for t in turns if t.start <= finding.start < t.end) + 1
    fixed = turns[n - 1].text.replace(name, f"{name}s", 1)
    study.correct_text(tid, n, fixed, by=CODER, key=key)
    for flagged in study.flagged_codings():
        study.clear_flag(flagged.coding.id, by=LEAD)
    # blind coding, reveal, reconciliation
    study.set_blind_coding(True, by=LEAD)
    study.set_blind_coding(False, by=LEAD)
    first = study.transcripts()[0].id
    study.reveal(str(first), by=LEAD)
    item = study.reconciliation(str(first)).items[0]
    made = study.reconcile(str(first), item.code, item.start, item.end, "both", by=LEAD)
    study.undo_reconciliation(made.id, by=LEAD)
    study.carry_agreements(str(first), by=LEAD)
    # merge and undo
    into = next(c.path for c in study.codes(Level.ONE) if len(c.path) == 2)
    merged = study.merge_codes((f"{name} said",), into, by=LEAD)
    study.undo(merged, by=LEAD)
    # every coded passage, before anonymisation changes the text
    passages = {c.text for level in Level for c in study.codings(level=level)}
    # anonymisation: decisions and apply; an export
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    study.record_export("qdpx", counts={"sources": 10})
    entries = study.audit_log().entries
    study.close()

    actions = {e.action for e in entries}
    for wanted in (
        "coding.add",
        "coding.change",
        "coding.remove",
        "coding.code-all",
        "code.create",
        "code.rename",
        "code.describe",
        "code.merge",
        "code.undo-merge",
        "theme.add",
        "theme.rename",
        "theme.describe",
        "theme.move",
        "theme.remove",
        "theme.assign",
        "theme.unassign",
        "theme.link",
        "theme.unlink",
        "memo.add",
        "memo.change",
        "memo.remove",
        "journal.add",
        "journal.remove",
        "blind.on",
        "blind.off",
        "transcript.reveal",
        "reconcile.decide",
        "reconcile.undo",
        "reconcile.carry",
        "anonymise.scan",
        "anonymise.decide",
        "anonymise.apply",
        "export.qdpx",
        "import.transcripts",
        "transcript.correct.text",
        "coding.flag.clear",
    ):
        assert wanted in actions, wanted
    blob = "\n".join(json.dumps(audit.as_dict(e), ensure_ascii=False) for e in entries)
    known = originals(key)
    assert name in known and len(known) > 20
    assert hits(blob, known) == []
    assert hits(blob, secrets | {f"coding memo {name}", f"memo {name}"}) == []
    coded = {p for p in passages if len(p) >= 8}  # shorter ones could be any word
    assert len(coded) > 100
    assert [p for p in coded if p in blob] == []
    assert not re.search(rf"(?i)\b{re.escape(name)}\b", blob)
