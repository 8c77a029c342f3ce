"""The audit log in the service: an entry for each change, in the change's own transaction,
with who, what, where from; read by leads (and the administrator) only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import snapshot
from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import Level, MemberRole, Stance
from thematica.errors import AccessDenied, ThematicaError
from thematica.service import CodingChange, StudyService, audit
from thematica.service.audit import AuditEntry, AuditFilter

TEXT = "I get pain in my back and then my mood drops for days."
READER = "Helen Marsh"


def log(study: StudyService, **wanted: Any) -> list[AuditEntry]:
    """The log, oldest first."""
    return list(reversed(study.audit_log(AuditFilter(**wanted)).entries))


def last(study: StudyService) -> AuditEntry:
    return study.audit_log(limit=1).entries[0]


@pytest.fixture
def team(study: StudyService) -> StudyService:
    build(study, [TEXT, TEXT + " Again."])
    study.add_team_member(READER, MemberRole.READER)
    codes(study, "Pain", "Mood")
    return study


def test_imports_are_logged_as_the_administrators(team: StudyService) -> None:
    actions = [(e.action, e.actor, e.client) for e in log(team)]
    assert actions == [
        ("import.register", "administrator", "library"),
        ("import.transcripts", "administrator", "library"),
        ("import.codebook", "administrator", "library"),
    ]
    assert log(team, action="import.transcripts")[0].details == {
        "transcripts": 2,
        "transcript_ids": [1, 2],
        "failed": 0,
    }
    code_spans(team, [("P1", B, "Pain", 6, 10)])
    assert last(team).action == "import.codings" and last(team).details["codings"] == 1


def test_coding_changes_name_who_what_and_where(team: StudyService) -> None:
    with audit.acting_from("web:10.0.0.7"):
        coding = team.add_coding("P1", ("Pain",), B.lower(), 6, 10, memo="a memo")
    entry = last(team)
    assert (entry.actor, entry.client, entry.action, entry.target) == (
        B,  # the team's spelling, not the caller's
        "web:10.0.0.7",
        "coding.add",
        f"coding {coding}",
    )
    pain = next(c.id for c in team.codes() if c.path == ("Pain",))
    assert entry.details == {
        "transcript_id": 1,
        "code_id": pain,
        "level": 1,
        "start": 6,
        "end": 10,
        "memo": True,
        "code_created": False,
    }
    team.change_coding(coding, CodingChange(start=6, end=21), by=A)
    changed = last(team)
    assert (changed.actor, changed.action, changed.client) == (A, "coding.change", "library")
    assert changed.details["before"] == [6, 10] and changed.details["after"] == [6, 21]
    team.remove_coding(coding, by=B)
    removed = last(team)
    assert (removed.action, removed.target, removed.details["code_id"]) == (
        "coding.remove",
        f"coding {coding}",
        pain,
    )


def test_an_in_vivo_code_is_logged_by_id_never_by_name(team: StudyService) -> None:
    team.add_coding("P1", ("my mood drops",), B, 34, 47, create_code=True)
    created, added = log(team)[-2:]
    assert created.action == "code.create" and added.action == "coding.add"
    assert added.details["code_created"] is True
    assert "mood drops" not in repr(created) + repr(added)


def test_codebook_and_framework_operations(team: StudyService) -> None:
    team.rename_code(("Pain",), "Back pain", by=A)
    team.describe_code(("Back pain",), description="Where it hurts: Gareth", by=A)
    team.move_code(("Mood",), ("Back pain",), by=A)
    node = team.add_theme("Living with pain", by=A, description="Secret words")
    other = team.add_theme("Other", by=A)
    team.rename_theme(node, "Living with it", by=A)
    team.describe_theme(node, "More secret words", by=A)
    team.shift_theme(other, "up", by=A)
    pain = next(c.id for c in team.codes() if c.path == ("Back pain",))
    team.assign_code(node, pain, by=A, stance=Stance.DIVERGENT)
    team.unassign_code(node, pain, by=A)
    link = team.link_themes(node, other, "feeds", by=A)
    team.unlink_themes(link, by=A)
    team.move_theme(other, node, by=A)
    team.move_theme(other, None, by=A)
    team.remove_theme(other, by=A)
    entries = log(team, action="code") + log(team, action="theme")
    assert [e.action for e in entries] == [
        "code.rename",
        "code.describe",
        "code.move",
        "theme.add",
        "theme.add",
        "theme.rename",
        "theme.describe",
        "theme.move",  # a shift is a move
        "theme.assign",
        "theme.unassign",
        "theme.link",
        "theme.unlink",
        "theme.move",
        "theme.move",
        "theme.remove",
    ]
    assert all(e.actor == A for e in entries)
    assert entries[0].target == f"code {pain}" and entries[3].target == f"theme {node}"
    assert entries[8].details["stance"] == "divergent"
    assert entries[10].target == f"link {link}"
    everything = repr(entries)
    for words in ("Back pain", "Gareth", "Secret", "Living", "feeds", "Other"):
        assert words not in everything


def test_merge_split_and_undo(team: StudyService) -> None:
    code_spans(team, [("P1", B, "Pain", 6, 10), ("P2", B, "Pain", 14, 18)])
    ids = [c.id for c in team.codings(code=("Pain",))]
    team.split_code(("Pain",), "Back", ids[:1], by=A)
    entry = team.merge_codes(("Back",), ("Mood",), by=A)
    team.undo(entry, by=A)
    split, merge, undo = log(team, action="code")
    assert split.action == "code.split" and split.details["coding_ids"] == ids[:1]
    assert merge.action == "code.merge" and merge.details["codings"] == 1
    assert merge.details["lineage"] == entry
    assert undo.action == "code.undo-merge" and undo.details["lineage"] == entry
    assert "Back" not in repr([split, merge, undo])


def test_blind_reveal_reconcile_memos_journal(team: StudyService) -> None:
    team.set_blind_coding(True, by=A)
    team.set_blind_coding(False, by=A)
    team.reveal("P1", by=A)
    team.reveal("P1", by=A)  # already revealed: nothing changes, nothing is logged
    code_spans(team, [("P1", A, "Pain", 6, 10), ("P1", B, "Pain", 6, 21)])
    made = team.reconcile("P1", ("Pain",), 6, 21, "accept_b", by=A)
    team.undo_reconciliation(made.id, by=A)
    memo = team.add_memo("code:1", "private thoughts", by=B)
    team.edit_memo(memo.ref, "more private thoughts", by=A)
    team.remove_memo(memo.ref, by=B)
    entry = team.add_journal_entry("my diary", by=B, transcripts=["P1"])
    team.remove_journal_entry(entry.id, by=B)
    wanted = ("blind", "transcript", "reconcile", "memo", "journal")
    got = [(e.action, e.actor, e.target) for e in log(team) if e.action.split(".")[0] in wanted]
    assert got == [
        ("blind.on", A, "study"),
        ("blind.off", A, "study"),
        ("transcript.reveal", A, "transcript 1"),
        ("reconcile.decide", A, "transcript 1"),
        ("reconcile.undo", A, f"decision {made.id}"),
        ("memo.add", B, f"memo {memo.ref}"),
        ("memo.change", A, f"memo {memo.ref}"),
        ("memo.remove", B, f"memo {memo.ref}"),
        ("journal.add", B, f"journal {entry.id}"),
        ("journal.remove", B, f"journal {entry.id}"),
    ]
    assert log(team, action="reconcile.decide")[0].details["coding_ids"] == list(made.codings)
    assert log(team, action="journal.add")[0].details["transcript_ids"] == [1]
    assert "private" not in repr(log(team)) and "diary" not in repr(log(team))


def test_code_all_results_never_logs_the_query(team: StudyService) -> None:
    plan = team.code_search_results("mood drops", ("Mood",), by=B)
    entry = last(team)
    assert entry.action == "coding.code-all" and entry.actor == B
    assert entry.details["codings"] == plan.new > 0
    assert entry.details["coding_ids"] == list(plan.coding_ids)
    assert "mood" not in repr(entry).lower() and "drops" not in repr(entry)


def test_a_failed_change_leaves_no_entry(team: StudyService, monkeypatch: Any) -> None:
    """The entry is written in the change's transaction: when the change fails after its entry
    was written, neither is kept."""
    before = snapshot(team.location)
    real = audit.record

    def then_fail(session: Session, **kwargs: Any) -> None:
        real(session, **kwargs)
        session.flush()  # the entry is in the database, inside the transaction
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(audit, "record", then_fail)
    with pytest.raises(RuntimeError):
        team.add_coding("P1", ("Pain",), B, 6, 10)
    with pytest.raises(RuntimeError):
        team.rename_code(("Pain",), "Ache", by=A)
    with pytest.raises(RuntimeError):
        team.add_theme("Theme", by=A)
    monkeypatch.undo()
    assert snapshot(team.location) == before
    with pytest.raises(AccessDenied):  # a refused change: no entry either
        team.set_blind_coding(True, by=B)
    with pytest.raises(ThematicaError):
        team.add_coding("P1", ("Pain",), B, 6, 999)
    assert snapshot(team.location) == before


def test_only_a_lead_or_the_administrator_reads_the_log(team: StudyService) -> None:
    assert team.audit_log(by=A).total == 3
    assert team.audit_log().total == 3  # the administrator (the CLI, a script with the file)
    for who in (B, READER, "Nobody"):
        with pytest.raises(AccessDenied, match="only a lead can read the audit log"):
            team.audit_log(by=who)


def test_filters_and_paging(team: StudyService) -> None:
    for start in range(10):
        team.add_coding("P1", ("Pain",), B if start % 2 else A, start, start + 3)
    assert team.audit_log(AuditFilter(action="coding")).total == 10
    assert team.audit_log(AuditFilter(action="coding.add")).total == 10
    assert team.audit_log(AuditFilter(action="codin")).total == 0  # a family, not a prefix
    assert team.audit_log(AuditFilter(actor=B.upper())).total == 5
    assert team.audit_log(AuditFilter(actor="administrator")).total == 3
    page = team.audit_log(limit=4, offset=4)
    everything = team.audit_log().entries
    assert page.total == 13 and page.entries == everything[4:8]
    assert everything[0].id > everything[-1].id  # newest first
    now = dt.datetime.now(dt.UTC)
    assert team.audit_log(AuditFilter(since=now + dt.timedelta(minutes=1))).total == 0
    assert team.audit_log(AuditFilter(until=now - dt.timedelta(days=1))).total == 0
    assert team.audit_log(AuditFilter(since=now - dt.timedelta(days=1))).total == 13


def test_csv_neutralises_formulas(team: StudyService) -> None:
    team.add_team_member("=HYPERLINK(1)", MemberRole.LEAD)
    team.set_blind_coding(True, by="=HYPERLINK(1)")
    text = audit.to_csv(team.audit_log().entries)
    assert text.splitlines()[0] == "id,at,actor,client,action,target,details"
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_level_two_coding_is_logged_at_its_level(team: StudyService) -> None:
    codes(team, "Agreed", level=2)
    team.add_coding("P1", ("Agreed",), A, 0, 5, level=Level.TWO)
    assert last(team).details["level"] == 2
