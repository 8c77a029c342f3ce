"""Live team work at the service (issue 10, item 7): the fingerprint an open transcript page
polls (``StudyService.live_version``) moves when something the member may see changes, and only
then. A blind coder learns nothing of the other coder's level-one codings in an unrevealed
transcript (not their number, not when they change); a member who sees anonymised text only gets
no fingerprint for a transcript that is not fully anonymised. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import MemberRole
from thematica.errors import AccessDenied
from thematica.service import CodingChange, StudyService
from thematica.storage.database import make_engine
from thematica.storage.models import CodingRow, TranscriptRow

READER, LIMITED = "Helen Marsh", "Ann Only"
PAIN, MOOD = ("Pain",), ("Mood",)
TEXT = "I get pain in my back and then my mood drops for days."


@pytest.fixture
def team(study: StudyService) -> StudyService:
    """P1 and P2 coded by A (lead) and B (coder); a reader; an anonymised-only coder; P2 is
    fully anonymised, P1 is not."""
    build(study, [TEXT, TEXT + " Twice."])
    codes(study, "Pain", "Mood")
    code_spans(study, [("P1", A, "Pain", 6, 10), ("P1", B, "Pain", 6, 21)])
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(LIMITED, MemberRole.CODER)
    study.set_anonymised_only(LIMITED, True)
    engine = make_engine(study.location)
    with engine.begin() as conn:  # what `anonymise apply` records for a clean transcript
        conn.execute(
            update(TranscriptRow).where(TranscriptRow.id == 2).values(anonymisation="anonymised")
        )
    engine.dispose()
    return study


def test_a_visible_change_changes_the_fingerprint_and_nothing_else_does(
    team: StudyService,
) -> None:
    seen = team.live_version("P1", B)
    assert team.live_version("P1", B) == seen  # stable while nothing changes
    team.add_coding("P2", MOOD, A, 0, 5)  # another transcript
    assert team.live_version("P1", B) == seen
    added = team.add_coding("P1", MOOD, A, 31, 35)
    after_add = team.live_version("P1", B)
    assert after_add != seen
    team.change_coding(added, CodingChange(memo="a note"), by=A)
    after_memo = team.live_version("P1", B)
    assert after_memo != after_add
    team.remove_coding(added, by=A)
    after_remove = team.live_version("P1", B)
    assert after_remove not in {after_memo, after_add}
    team.rename_code(MOOD, "Low mood", by=A)  # the code list shows names
    assert team.live_version("P1", B) != after_remove


def test_readers_see_changes(team: StudyService) -> None:
    seen = team.live_version("P2", READER)
    team.add_coding("P2", PAIN, B, 6, 10)
    assert team.live_version("P2", READER) != seen


def test_a_blind_coder_learns_nothing_of_the_other_coders_work(team: StudyService) -> None:
    team.set_blind_coding(True, by=A)
    mine = team.live_version("P1", B)
    theirs = team.add_coding("P1", MOOD, A, 31, 35)
    assert team.live_version("P1", B) == mine  # not its existence
    team.change_coding(theirs, CodingChange(start=32, memo="x"), by=A)
    assert team.live_version("P1", B) == mine  # not its changes
    team.add_coding("P1", ("New code",), A, 0, 5, create_code=True)
    assert team.live_version("P1", B) == mine  # not a code made while coding
    team.remove_coding(theirs, by=A)
    assert team.live_version("P1", B) == mine  # not its removal
    lead_sees = team.live_version("P1", A)
    own = team.add_coding("P1", MOOD, B, 31, 35)
    assert team.live_version("P1", B) != mine  # their own work does show
    assert team.live_version("P1", A) == lead_sees  # and the lead codes blind too
    before = team.live_version("P1", B)
    team.reveal("P1", by=A)  # now every coding in P1 is visible to all
    assert team.live_version("P1", B) != before
    revealed = team.live_version("P1", B)
    team.change_coding(own, CodingChange(memo="seen"), by=B)
    assert team.live_version("P1", A) != lead_sees
    assert team.live_version("P1", B) != revealed


def test_anonymised_only_members_get_nothing_for_text_not_yet_anonymised(
    team: StudyService,
) -> None:
    with pytest.raises(AccessDenied, match="not fully anonymised"):
        team.live_version("P1", LIMITED)
    with pytest.raises(AccessDenied, match="not fully anonymised"):
        team.live_version("P1", READER)
    seen = team.live_version("P2", LIMITED)
    team.add_coding("P2", PAIN, A, 6, 10)
    assert team.live_version("P2", LIMITED) != seen


def test_the_codebook_fingerprint_follows_the_same_rules(team: StudyService) -> None:
    seen = team.live_codebook_version(B)
    team.add_coding("P2", MOOD, A, 0, 5)
    assert team.live_codebook_version(B) != seen  # counts per code
    limited = team.live_codebook_version(LIMITED)
    team.add_coding("P1", MOOD, A, 31, 35)  # P1 is not anonymised
    assert team.live_codebook_version(LIMITED) == limited
    team.add_coding("P2", PAIN, A, 6, 10)
    assert team.live_codebook_version(LIMITED) != limited
    team.set_blind_coding(True, by=A)
    blind = team.live_codebook_version(B)
    theirs = team.add_coding("P1", MOOD, A, 36, 40)
    team.add_coding("P1", ("Made while coding",), A, 0, 4, create_code=True)
    team.remove_coding(theirs, by=A)
    assert team.live_codebook_version(B) == blind  # nothing of the other coder's work
    team.rename_code(MOOD, "Low mood", by=A)  # a codebook change, in the lineage log
    assert team.live_codebook_version(B) != blind


def test_large_ids_and_offsets_do_not_overflow(team: StudyService) -> None:
    """Id times offset passes 2**31 (PostgreSQL's integer) long before either does."""
    first = team.add_coding("P1", MOOD, A, 31, 35)
    engine = make_engine(team.location)
    with engine.begin() as conn:
        conn.execute(update(CodingRow).where(CodingRow.id == first).values(id=100_000_000))
    engine.dispose()
    seen = team.live_version("P1", A)  # 100,000,000 x 31: no "integer out of range"
    team.change_coding(100_000_000, CodingChange(start=32), by=A)
    assert team.live_version("P1", A) != seen
    assert len(team.live_codebook_version(A)) == 12
