"""Blind coding in the codebook: counts, split and merge never give away or move another
coder's level-one codings that the acting member may not see."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build, codes
from thematica.domain import Level
from thematica.errors import AccessDenied, ThematicaError
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"
TEXT = "I get pain in my back and then my mood drops for days."


@pytest.fixture
def blind(study: StudyService) -> tuple[StudyService, int, int]:
    """Both coders coded ``Pain`` in P1; the study codes blind. Returns (study, Tom's coding,
    Rachel's coding)."""
    build(study, [TEXT])
    codes(study, "Pain", "Mood")
    codes(study, "Agreed pain", level=2)
    toms = study.add_coding("P1", ("Pain",), CODER, 6, 10)
    rachels = study.add_coding("P1", ("Pain",), LEAD, 14, 18)
    study.add_coding("P1", ("Mood",), LEAD, 34, 38)
    study.add_coding("P1", ("Agreed pain",), LEAD, 6, 18, level=Level.TWO)
    study.set_blind_coding(True, by=LEAD)
    return study, toms, rachels


def counts(study: StudyService, who: str | None) -> dict[str, int]:
    return {" > ".join(c.path): c.codings for c in study.codes(visible_to=who)}


def test_code_counts_count_only_what_the_member_may_see(
    blind: tuple[StudyService, int, int],
) -> None:
    study, _, _ = blind
    assert counts(study, None) == {"Agreed pain": 1, "Mood": 1, "Pain": 2}
    assert counts(study, CODER) == {"Agreed pain": 1, "Mood": 0, "Pain": 1}
    assert counts(study, LEAD) == {"Agreed pain": 1, "Mood": 1, "Pain": 1}
    pain = next(c for c in study.codes(Level.ONE) if c.path == ("Pain",))
    assert study.code_by_id(pain.id, visible_to=CODER).codings == 1
    assert study.code_by_id(pain.id).codings == 2
    study.reveal("P1", by=LEAD)
    assert counts(study, CODER) == counts(study, None)


def test_split_treats_hidden_codings_as_missing(blind: tuple[StudyService, int, int]) -> None:
    study, toms, rachels = blind
    before = snapshot(study.location)
    for path in (("Pain",), ("Mood",)):  # the right code and a wrong one: the same answer
        with pytest.raises(ThematicaError) as refused:
            study.split_code(path, "Probe", [rachels], by=CODER)
        assert str(refused.value) == f"codings {rachels} are not coded with {path[0]!r}"
    with pytest.raises(ThematicaError, match=f"codings {rachels} are not coded with 'Pain'"):
        study.split_code(("Pain",), "Probe", [toms, rachels], by=CODER)
    assert snapshot(study.location) == before
    study.split_code(("Pain",), "Back pain", [toms], by=CODER)
    moved = {c.id: c.code for c in study.codings(level=Level.ONE)}
    assert moved[toms] == ("Back pain",) and moved[rachels] == ("Pain",)
    # once revealed, the coding is visible and may be split off like any other
    study.reveal("P1", by=LEAD)
    study.split_code(("Pain",), "Pain two", [rachels], by=CODER)
    assert study.coding(rachels).code == ("Pain two",)


def test_only_a_lead_merges_level_one_codes_while_blind(
    blind: tuple[StudyService, int, int],
) -> None:
    study, _, _ = blind
    before = snapshot(study.location)
    with pytest.raises(AccessDenied, match="only a lead merges level-one codes"):
        study.merge_codes(("Mood",), ("Pain",), by=CODER)
    assert snapshot(study.location) == before
    codes(study, "Agreed mood", level=2)
    study.merge_codes(("Agreed mood",), ("Agreed pain",), by=CODER, level=Level.TWO)
    study.merge_codes(("Mood",), ("Pain",), by=LEAD)
    # every member reads the lineage: while blind it does not count the codings moved
    assert study.lineage()[-1].summary == "Merged 'Mood' into 'Pain'"
    assert "(0 codings moved)" in study.lineage()[-2].summary
    study.set_blind_coding(False, by=LEAD)
    study.split_code(("Pain",), "Mood again", [study.codings(code=("Pain",))[-1].id], by=CODER)
    study.merge_codes(("Mood again",), ("Pain",), by=CODER)
    assert study.lineage()[-1].summary == "Merged 'Mood again' into 'Pain' (1 codings moved)"
