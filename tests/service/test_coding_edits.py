"""Adjusting, re-memoing and removing one coding: permissions, blind coding, stale edits."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build, codes
from thematica.domain import Level, MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import CodingChange, StudyService

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
TEXT = "I get pain in my back and then my mood drops for days."


@pytest.fixture
def coded(study: StudyService) -> tuple[StudyService, int, int]:
    build(study, [TEXT])
    study.add_team_member(READER, MemberRole.READER)
    codes(study, "Pain", "Mood")
    mine = study.add_coding("P1", ("Pain",), CODER, 6, 10, memo="first")
    leads = study.add_coding("P1", ("Mood",), LEAD, 34, 38)
    return study, mine, leads


def test_adjusting_boundaries_and_memo(coded: tuple[StudyService, int, int]) -> None:
    study, mine, _ = coded
    before = study.coding(mine)
    after = study.change_coding(mine, CodingChange(start=6, end=21), by=CODER)
    assert (after.start, after.end, after.text) == (6, 21, "pain in my back")
    assert after.memo == "first" and after.modified_at > before.modified_at
    assert after.created_at == before.created_at
    memo = study.change_coding(mine, CodingChange(memo="  back pain  "), by=CODER)
    assert (memo.start, memo.end, memo.memo) == (6, 21, "back pain")
    cleared = study.change_coding(mine, CodingChange(memo=""), by=CODER)
    assert cleared.memo is None
    assert study.coding(mine) == cleared


def test_removing_returns_the_coding_as_it_was(coded: tuple[StudyService, int, int]) -> None:
    study, mine, _ = coded
    gone = study.remove_coding(mine, by=CODER)
    assert (gone.code, gone.start, gone.end, gone.memo) == (("Pain",), 6, 10, "first")
    assert [c.id for c in study.codings(transcript="P1")] != [] and all(
        c.id != mine for c in study.codings(transcript="P1")
    )
    with pytest.raises(NotFoundError, match=f"no coding {mine}"):
        study.coding(mine)
    with pytest.raises(NotFoundError, match=f"no coding {mine}"):
        study.remove_coding(mine, by=CODER)


def test_only_the_coder_or_a_lead_may_change_a_coding(
    coded: tuple[StudyService, int, int],
) -> None:
    study, mine, leads = coded
    location = study.location
    before = snapshot(location)
    with pytest.raises(AccessDenied, match="only its coder or a lead"):
        study.change_coding(leads, CodingChange(end=39), by=CODER)
    with pytest.raises(AccessDenied, match="reader"):
        study.remove_coding(mine, by=READER)
    with pytest.raises(NotFoundError, match="no team member"):
        study.remove_coding(mine, by="Nobody")
    assert snapshot(location) == before
    assert study.change_coding(mine, CodingChange(end=11), by=LEAD).end == 11


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (CodingChange(start=10, end=6), "not inside the transcript"),
        (CodingChange(end=10_000), "not inside the transcript"),
        (CodingChange(start=-1), "not inside the transcript"),
        (CodingChange(start=10), "not inside the transcript"),  # start == end
        (CodingChange(memo="x" * 20_001), "at most 20,000 characters"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    coded: tuple[StudyService, int, int], change: CodingChange, message: str
) -> None:
    study, mine, _ = coded
    before = snapshot(study.location)
    with pytest.raises(ThematicaError, match=message):
        study.change_coding(mine, change, by=CODER)
    assert snapshot(study.location) == before


def test_a_stale_edit_is_refused(coded: tuple[StudyService, int, int]) -> None:
    """Two tabs load the same coding; the second to save is told, and nothing is overwritten."""
    study, mine, _ = coded
    seen = study.coding(mine).modified_at
    study.change_coding(mine, CodingChange(end=14), by=CODER, expected=seen)
    before = snapshot(study.location)
    with pytest.raises(ConflictError, match="reload"):
        study.change_coding(mine, CodingChange(end=24), by=CODER, expected=seen)
    with pytest.raises(ConflictError, match="reload"):
        study.remove_coding(mine, by=CODER, expected=seen)
    assert snapshot(study.location) == before
    fresh = study.coding(mine).modified_at
    naive = fresh.replace(tzinfo=None) if fresh.tzinfo else fresh
    assert study.remove_coding(mine, by=CODER, expected=naive).end == 14


def test_blind_coding_hides_other_coders_codings_from_edits(
    coded: tuple[StudyService, int, int],
) -> None:
    study, mine, leads = coded
    study.set_blind_coding(True, by=LEAD)
    before = snapshot(study.location)
    with pytest.raises(NotFoundError, match=f"no coding {leads}"):
        study.remove_coding(leads, by=CODER)
    with pytest.raises(NotFoundError, match=f"no coding {mine}"):
        study.change_coding(mine, CodingChange(end=11), by=LEAD)
    with pytest.raises(NotFoundError):
        study.coding(leads, visible_to=CODER)
    assert snapshot(study.location) == before
    study.reveal("P1", by=LEAD)
    assert study.coding(leads, visible_to=CODER).level == Level.ONE
    assert study.change_coding(mine, CodingChange(end=11), by=LEAD).end == 11


def test_quick_lookups_agree_with_the_full_index(study: StudyService) -> None:
    """Adding and reading one coding skip loading the whole codebook; the answers must be the
    ones the full index and the listing give, for every code and coding."""
    from thematica.service import codebook as cb
    from thematica.service import coding_lookup as lookup

    build(study, [TEXT])
    codes(study, "Pain > Back > Night", "Pain > Back", "Mood", "Ärger > Über")
    codes(study, "Pain > Agreed", level=2)
    for path in (("pain", "BACK", "night"), ("Mood",), ("ärger", "über")):
        study.add_coding("P1", path, CODER, 0, 5)
    study.add_coding("P1", ("Pain", "Agreed"), LEAD, 2, 9, level=Level.TWO)
    with study._session() as session:  # comparing with the internals on purpose
        index = cb.CodeIndex.load(session)
        for code_id, path in index.paths.items():
            level = Level(index.rows[code_id].level)
            assert lookup.find_code(session, path, level) == code_id
            shouted = tuple(p.upper() for p in path)
            assert lookup.find_code(session, shouted, level) == index.find(shouted, level)
        assert lookup.find_code(session, ("Pain", "Front"), Level.ONE) is None
        assert lookup.find_code(session, ("Mood",), Level.TWO) is None
    listed = study.codings(transcript="P1")
    assert len(listed) == 4
    for coding in listed:
        assert study.coding(coding.id) == coding


def test_an_overlong_memo_is_refused_when_coding_too(study: StudyService) -> None:
    build(study, [TEXT])
    codes(study, "Pain")
    before = snapshot(study.location)
    with pytest.raises(ThematicaError, match="at most 20,000 characters"):
        study.add_coding("P1", ("Pain",), CODER, 6, 10, memo="x" * 20_001)
    assert snapshot(study.location) == before
