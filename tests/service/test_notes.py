"""Memos on codes, themes, transcripts and codings; the reflexive journal. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build, codes
from thematica.domain import MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService
from thematica.service.notes import EntryChange, JournalFilter

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


@pytest.fixture
def noted(study: StudyService) -> StudyService:
    build(study, ["I get pain in my back.", "Low mood, most days."])
    study.add_team_member(READER, MemberRole.READER)
    codes(study, "Pain", "Mood")
    return study


def code_id(study: StudyService, name: str) -> int:
    return next(c.id for c in study.codes() if c.path == (name,))


def test_memos_on_codes_transcripts_and_codings(noted: StudyService) -> None:
    pain = code_id(noted, "Pain")
    first = noted.add_memo(f"code:{pain}", "  Pain talk is often physical.  ", by=CODER)
    assert (first.target, first.author, first.text) == (
        f"code:{pain}",
        CODER,
        "Pain talk is often physical.",
    )
    second = noted.add_memo(f"code:{pain}", "Compare with mood.", by=LEAD)
    on_transcript = noted.add_memo("transcript:P2", "Quiet interview.", by=LEAD)
    assert on_transcript.target == "transcript:2"
    assert [m.ref for m in noted.memos(f"code:{pain}")] == [first.ref, second.ref]
    assert noted.memos(f"code:{code_id(noted, 'Mood')}") == ()
    assert {m.ref for m in noted.memos()} == {first.ref, second.ref, on_transcript.ref}
    # a coding's memo is its codings.memo, shown the same way
    coding = noted.add_coding("P1", ("Pain",), CODER, 6, 10)
    memo = noted.add_memo(f"coding:{coding}", "in vivo?", by=CODER)
    assert (memo.ref, memo.author, memo.text) == (f"coding:{coding}", CODER, "in vivo?")
    assert noted.coding(coding).memo == "in vivo?"
    assert noted.memos(f"coding:{coding}") == (memo,)
    edited = noted.edit_memo(memo.ref, "in vivo!", by=CODER, expected=memo.modified_at)
    assert noted.coding(coding).memo == "in vivo!" and edited.modified_at > memo.modified_at
    assert noted.remove_memo(memo.ref, by=LEAD).text == "in vivo!"
    assert noted.coding(coding).memo is None and noted.memos(f"coding:{coding}") == ()


def test_memo_versions_and_authorship(noted: StudyService) -> None:
    pain = code_id(noted, "Pain")
    memo = noted.add_memo(f"code:{pain}", "first", by=CODER)
    changed = noted.edit_memo(memo.ref, "second", by=CODER, expected=memo.modified_at)
    assert changed.text == "second" and changed.created_at == memo.created_at
    noted.add_team_member("Ann Other", MemberRole.CODER)
    location = noted.location
    before = snapshot(location)
    with pytest.raises(ConflictError, match=f"memo {memo.ref} was changed"):
        noted.edit_memo(memo.ref, "stale", by=CODER, expected=memo.modified_at)
    with pytest.raises(ConflictError, match="was changed"):
        noted.remove_memo(memo.ref, by=CODER, expected=memo.modified_at)
    with pytest.raises(AccessDenied, match="only its author or a lead"):
        noted.edit_memo(memo.ref, "mine now", by="Ann Other")
    with pytest.raises(AccessDenied, match="reader"):
        noted.add_memo(f"code:{pain}", "x", by=READER)
    for target, error in [
        ("code:999", "no code 999"),
        ("theme:1", "no theme 1"),
        ("transcript:P9", "no transcript"),
        ("coding:5", "no coding 5"),
        ("codes:1", "write code:ID"),
        ("code:x", "not a number"),
        ("", "write code:ID"),
    ]:
        with pytest.raises(ThematicaError, match=error):
            noted.add_memo(target, "text", by=CODER)
    with pytest.raises(ThematicaError, match="needs some text"):
        noted.add_memo(f"code:{pain}", "   ", by=CODER)
    with pytest.raises(ThematicaError, match="at most 20,000"):
        noted.add_memo(f"code:{pain}", "x" * 20_001, by=CODER)
    with pytest.raises(NotFoundError, match="no memo 999"):
        noted.edit_memo("999", "x", by=LEAD)
    with pytest.raises(ThematicaError, match="give its number"):
        noted.remove_memo("first", by=LEAD)
    assert snapshot(location) == before
    assert noted.edit_memo(memo.ref, "a lead may", by=LEAD).author == CODER
    assert noted.remove_memo(memo.ref, by=LEAD).text == "a lead may"
    assert noted.memos(f"code:{pain}") == ()


def test_memos_go_with_their_target(noted: StudyService) -> None:
    mood, pain = code_id(noted, "Mood"), code_id(noted, "Pain")
    noted.add_memo(f"code:{mood}", "about mood", by=CODER)
    both = noted.add_journal_entry("Both codes.", by=CODER, codes=[mood, pain])
    one = noted.add_journal_entry("Mood only.", by=CODER, codes=[mood])
    entry = noted.merge_codes(("Mood",), ("Pain",), by=LEAD)
    assert [m.text for m in noted.memos(f"code:{pain}")] == ["about mood"]
    assert [c.id for c in noted.journal(CODER, JournalFilter(words="only"))[0].codes] == [pain]
    noted.undo(entry, by=LEAD)
    mood = code_id(noted, "Mood")
    assert [m.text for m in noted.memos(f"code:{mood}")] == ["about mood"]
    assert noted.memos(f"code:{pain}") == ()
    linked = {e.id: {c.id for c in e.codes} for e in noted.journal(CODER)}
    assert linked == {both.id: {mood, pain}, one.id: {mood}}


def test_journal_entries_are_personal_timestamped_and_linked(noted: StudyService) -> None:
    pain = code_id(noted, "Pain")
    entry = noted.add_journal_entry(
        "My own back pain colours how I hear this.",
        by=CODER,
        transcripts=["P1", "1"],
        codes=[pain],
    )
    assert entry.author == CODER and entry.kind == "journal"
    assert [(t.id, t.label) for t in entry.transcripts] == [(1, "P1")]
    assert [(c.id, c.label) for c in entry.codes] == [(pain, "Pain")]
    assert entry.created_at <= dt.datetime.now(dt.UTC)
    note = noted.add_journal_entry("Clinic was noisy.", by=CODER, kind="field-note")
    noted.add_journal_entry("The lead's own reflections.", by=LEAD)
    assert [e.id for e in noted.journal(CODER)] == [note.id, entry.id]  # newest first
    assert [e.id for e in noted.journal(LEAD)] != [] and all(
        e.author == LEAD for e in noted.journal(LEAD)
    )
    assert [e.id for e in noted.journal(CODER, JournalFilter(kind="field-note"))] == [note.id]
    assert [e.id for e in noted.journal(CODER, JournalFilter(transcript="P1"))] == [entry.id]
    assert [e.id for e in noted.journal(CODER, JournalFilter(code=pain))] == [entry.id]
    assert [e.id for e in noted.journal(CODER, JournalFilter(words="BACK colours"))] == [entry.id]
    assert noted.journal(CODER, JournalFilter(words="back noisy")) == ()
    today = dt.datetime.now(dt.UTC).date()
    assert len(noted.journal(CODER, JournalFilter(since=today, until=today))) == 2
    assert noted.journal(CODER, JournalFilter(until=today - dt.timedelta(days=1))) == ()
    # a reader keeps a journal too
    assert noted.add_journal_entry("Reading as an outsider.", by=READER).author == READER


def test_journal_edits_versions_and_bad_input(noted: StudyService) -> None:
    entry = noted.add_journal_entry("First thoughts.", by=CODER, transcripts=["P1"])
    changed = noted.edit_journal_entry(
        entry.id,
        EntryChange(text="Second thoughts.", kind="field-note", transcripts=["P2"]),
        by=CODER,
        expected=entry.modified_at,
    )
    assert (changed.text, changed.kind, [t.label for t in changed.transcripts]) == (
        "Second thoughts.",
        "field-note",
        ["P2"],
    )
    assert changed.modified_at > entry.modified_at and changed.created_at == entry.created_at
    location = noted.location
    before = snapshot(location)
    with pytest.raises(ConflictError, match=f"journal entry {entry.id} was changed"):
        noted.edit_journal_entry(
            entry.id, EntryChange(text="x"), by=CODER, expected=entry.modified_at
        )
    with pytest.raises(NotFoundError, match=f"no journal entry {entry.id} of Rachel Ames's"):
        noted.edit_journal_entry(entry.id, EntryChange(text="x"), by=LEAD)
    with pytest.raises(NotFoundError):
        noted.remove_journal_entry(entry.id, by=LEAD)
    with pytest.raises(ThematicaError, match="needs some text"):
        noted.add_journal_entry(" \n ", by=CODER)
    with pytest.raises(ThematicaError, match="at most 20,000"):
        noted.edit_journal_entry(entry.id, EntryChange(text="x" * 20_001), by=CODER)
    with pytest.raises(ThematicaError, match="'journal' entry or a 'field-note'"):
        noted.add_journal_entry("x", by=CODER, kind="diary")
    with pytest.raises(NotFoundError, match="no transcript"):
        noted.add_journal_entry("x", by=CODER, transcripts=["P9"])
    with pytest.raises(NotFoundError, match="no code 999"):
        noted.edit_journal_entry(entry.id, EntryChange(codes=[999]), by=CODER)
    with pytest.raises(NotFoundError, match="no team member"):
        noted.add_journal_entry("x", by="Nobody")
    assert snapshot(location) == before
    gone = noted.remove_journal_entry(entry.id, by=CODER, expected=changed.modified_at)
    assert gone.text == "Second thoughts." and noted.journal(CODER) == ()
