"""Every access rule, checked by the service itself for a bound member
(``StudyService.as_member``), without the web layer: readers do not change the analysis, a blind
coder never sees another coder's level-one work, a member who sees anonymised text only never
gets an original, only a lead reveals, reconciles, sets blind coding, manages the team and
exports, and a deactivated member cannot act at all. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.conftest import snapshot
from tests.service.test_analysis import build, codes
from thematica.domain import Actor, Level, MemberRole, Scope
from thematica.errors import AccessDenied, NotFoundError
from thematica.service import CodingChange, StudyService
from thematica.service.acting import HIDDEN_FILE, MemberStudy
from thematica.service.notes import EntryChange
from thematica.service.search import SearchFilter
from thematica.storage.models import TranscriptRow

LEAD, CODER, OTHER, READER, ANON = (
    "Rachel Ames",
    "Tom Okafor",
    "Sam Otter",
    "Helen Marsh",
    "Ann Only",
)
TEXTS = ["My back pain keeps me awake at night.", "Low mood follows the pain most weeks."]
PAIN, MOOD = ("Pain",), ("Mood",)


@pytest.fixture
def team(study: StudyService) -> StudyService:
    """P1 (not anonymised) and P2 (fully anonymised); Tom and Sam coded P1, Sam coded P2; the
    study codes blind. Team: lead Rachel, coders Tom and Sam, reader Helen, Ann a coder marked
    anonymised-only."""
    build(study, TEXTS)
    study.add_team_member(OTHER, MemberRole.CODER)
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(ANON, MemberRole.CODER, anonymised_only=True)
    codes(study, "Pain", "Mood")
    codes(study, "Agreed pain", level=2)
    study.add_coding("P1", PAIN, CODER, 8, 12)
    study.add_coding("P1", PAIN, OTHER, 3, 12)
    study.add_coding("P1", MOOD, OTHER, 13, 18)
    study.add_coding("P2", MOOD, OTHER, 4, 8)
    study.add_coding("P1", ("Agreed pain",), LEAD, 3, 12, level=Level.TWO)
    with Session(study.engine) as s, s.begin():
        s.execute(
            update(TranscriptRow)
            .where(TranscriptRow.source_name == "t2.txt")
            .values(anonymisation="anonymised")
        )
    study.set_blind_coding(True, by=LEAD)
    return study


def others(codings: tuple[object, ...], name: str) -> list[object]:
    return [c for c in codings if getattr(c, "coder", name) != name]


def test_binding_makes_an_actor_from_the_team(team: StudyService) -> None:
    assert team.as_member("tom  okafor", client="10.0.0.9").actor == Actor(
        CODER, MemberRole.CODER, Scope.ALL, "10.0.0.9"
    )
    assert team.as_member(READER).actor.scope is Scope.ANONYMISED
    assert team.as_member(ANON).actor == Actor(ANON, MemberRole.CODER, Scope.ANONYMISED, "")
    with pytest.raises(NotFoundError):
        team.as_member("Nobody")


def test_a_deactivated_member_cannot_be_bound(team: StudyService) -> None:
    with pytest.raises(AccessDenied):
        team.deactivate(OTHER, by=CODER)  # only a lead deactivates
    bound_before = team.as_member(OTHER)
    team.deactivate(OTHER, by=LEAD)
    with pytest.raises(AccessDenied, match="deactivated"):
        team.as_member(OTHER)
    assert isinstance(bound_before, MemberStudy)
    assert len(team.codings(coder=OTHER)) == 3  # their work stays


def test_a_reader_changes_nothing_but_their_own_journal(team: StudyService) -> None:
    reader = team.as_member(READER)
    coding = team.add_coding("P2", ("Agreed pain",), LEAD, 0, 3, level=Level.TWO)  # readable
    node = team.add_theme("Living with pain", by=LEAD)
    before = snapshot(team.location)
    refused = [
        lambda: reader.add_coding("P2", PAIN, 0, 3),
        lambda: reader.add_coding_returning("P2", PAIN, 0, 3),
        lambda: reader.change_coding(coding, CodingChange(memo="mine now")),
        lambda: reader.remove_coding(coding),
        lambda: reader.add_memo("transcript:2", "a memo"),
        lambda: reader.rename_code(PAIN, "Ache"),
        lambda: reader.add_theme("Another"),
        lambda: reader.rename_theme(node, "Renamed"),
        lambda: reader.code_search_results("pain", PAIN, dry_run=True),
        lambda: reader.undo(1),
    ]
    for call in refused:
        with pytest.raises(AccessDenied, match="reader"):
            call()
    assert snapshot(team.location) == before
    entry = reader.add_journal_entry("Reading the anonymised interviews.", transcripts=["P2"])
    reader.edit_journal_entry(entry.id, EntryChange(text="Read P2."))
    assert [e.text for e in reader.journal()] == ["Read P2."]


def test_a_journal_is_read_by_its_author_only(team: StudyService) -> None:
    mine = team.as_member(CODER).add_journal_entry("Private doubt about P1.")
    for name in (LEAD, OTHER, READER):
        assert team.as_member(name).journal() == ()
        with pytest.raises(NotFoundError):
            team.as_member(name).remove_journal_entry(mine.id)
    assert [e.id for e in team.as_member(CODER).journal()] == [mine.id]


def test_a_blind_coder_sees_no_other_coders_level_one_work(team: StudyService) -> None:
    tom = team.as_member(CODER)
    sams = [c.id for c in team.codings(coder=OTHER)]
    assert others(tom.codings(level=Level.ONE), CODER) == []
    assert others(tom.codings(transcript="P1", level=Level.ONE), CODER) == []
    assert {c.path: c.codings for c in tom.codes(Level.ONE)} == {PAIN: 1, MOOD: 0}
    assert tom.code_by_id(next(c.id for c in team.codes() if c.path == MOOD)).codings == 0
    for coding in sams:
        with pytest.raises(NotFoundError):
            tom.coding(coding)
        with pytest.raises(NotFoundError):
            tom.change_coding(coding, CodingChange(memo="x"))
    node = team.add_theme("Pain and mood", by=LEAD)
    for code in team.codes(Level.ONE):
        team.assign_code(node, code.id, by=LEAD)
    assert [q.coding.coder for q in tom.theme_quotes(node)] == [CODER]
    mood = next(c.id for c in team.codes() if c.path == MOOD)
    assert team.search("mood", SearchFilter(code=mood)).hits  # Sam's Mood coding in P1 and P2
    assert tom.search("mood", SearchFilter(code=mood)).hits == ()
    for figure in (
        lambda: tom.agreement(CODER, OTHER),
        lambda: tom.agreement_many([CODER, OTHER]),
        lambda: tom.transcript_agreement("P1", CODER, OTHER),
        lambda: tom.counts(level=Level.ONE),
        lambda: tom.matrix("group", level=Level.ONE),
        lambda: tom.cooccurrence(level=Level.ONE),
        lambda: tom.saturation(level=Level.ONE),
    ):
        with pytest.raises(AccessDenied, match="codes blind"):
            figure()
    assert tom.counts(level=Level.TWO).level is Level.TWO  # the agreed layer is open
    assert all(s.disagreements == 0 for s in tom.reconciliation_status())
    lead = team.as_member(LEAD)
    assert lead.agreement(CODER, OTHER).codes  # level-one analysis is the lead's while blind
    lead.reveal("P1")
    assert {c.coder for c in tom.codings(transcript="P1", level=Level.ONE)} == {CODER, OTHER}


def test_an_anonymised_only_member_gets_no_original(team: StudyService, tmp_path: Path) -> None:
    unused_key = tmp_path / "unused.thematica-key"
    original = TEXTS[0]
    for name in (ANON, READER):
        member = team.as_member(name)
        with pytest.raises(AccessDenied):
            member.transcript("P1")
        with pytest.raises(NotFoundError):  # a file name is never confirmed
            member.transcript("t1.txt")
        assert member.transcript("P2").text == TEXTS[1]
        listed = {t.participant: t for t in member.transcripts()}
        assert listed["P1"].source_name == HIDDEN_FILE and listed["P2"].source_name == "t2.txt"
        assert [member.transcript_summary(p) for p in ("P1", "P2")] == [listed["P1"], listed["P2"]]
        assert all(c.text in ("",) for c in member.codings() if c.transcript_id == 1)
        assert member.codings(level=Level.TWO)[0].text == ""
        hits = member.search("pain").hits
        assert [h.transcript_id for h in hits] == [2]
        assert all(original not in p.text for h in hits for p in h.context)
        with pytest.raises(AccessDenied):
            member.memos("transcript:1")
        with pytest.raises(AccessDenied):
            member.export_project()
        with pytest.raises(AccessDenied):
            member.anonymiser(unused_key)
    ann = team.as_member(ANON)
    before = snapshot(team.location)
    for add in (ann.add_coding, ann.add_coding_returning):
        with pytest.raises(AccessDenied):
            add("P1", PAIN, 0, 2)
    assert snapshot(team.location) == before
    ann.add_coding("P2", PAIN, 0, 3)  # a coder still codes anonymised text
    added = ann.add_coding_returning("P2", MOOD, 1, 4, memo="low")
    assert added == ann.coding(added.id)  # as stored, and as the member reads it
    assert (added.text, added.memo, added.coder) == (TEXTS[1][1:4], "low", ANON)


def test_only_a_lead_reveals_reconciles_sets_blind_manages_and_exports(
    team: StudyService, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    unused_key = keys / "unused.thematica-key"
    tom, lead = team.as_member(CODER), team.as_member(LEAD)
    before = snapshot(team.location)
    for call in (
        lambda: tom.reveal("P1"),
        lambda: tom.set_blind_coding(False),
        lambda: tom.reconcile("P1", PAIN, 3, 8, "accept_a"),
        lambda: tom.carry_agreements("P1"),
        lambda: tom.undo_carried("P1"),
        lambda: tom.undo_reconciliation(1),
        lambda: tom.add_team_member("Newcomer", MemberRole.CODER),
        lambda: tom.set_anonymised_only(OTHER, True),
        lambda: tom.export_project(),
        lambda: tom.apply_anonymisation(unused_key),
        # the review a coder may open cannot apply either, under their name or the lead's
        lambda: tom.anonymiser(unused_key).apply(LEAD),
        lambda: tom.anonymiser(unused_key).apply_confirmed(LEAD, "plan"),
    ):
        with pytest.raises(AccessDenied, match="only a lead"):
            call()
    assert snapshot(team.location) == before
    assert list(keys.iterdir()) == []  # not even a lock file beside the key
    lead.reveal("P1")
    item = lead.reconciliation("P1", coders=(CODER, OTHER)).items[0]
    made = lead.reconcile("P1", item.code, item.start, item.end, "both", coders=(CODER, OTHER))
    lead.undo_reconciliation(made.id, ref="P1")
    lead.set_blind_coding(False)
    assert lead.export_project().name
    assert lead.add_team_member("Newcomer", MemberRole.CODER).role is MemberRole.CODER
