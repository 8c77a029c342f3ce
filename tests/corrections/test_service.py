"""Every correction and every refusal, through the member's API: codings stay on their words,
those whose words changed are flagged, the text stays its turns joined, search and counts follow,
and a refusal leaves every row as it was. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.corrections.world import ANON, CODER, LEAD, READER, build, code, covered
from thematica.domain import word_count
from thematica.errors import AccessDenied, NotFoundError, ThematicaError
from thematica.service import StudyService
from thematica.text import assemble


@pytest.fixture
def world(study: StudyService) -> StudyService:
    return build(study)


def consistent(study: StudyService) -> None:
    """The stored text is exactly the turns joined, and the word count is the text's."""
    t = study.transcript("1")
    assert assemble([turn.text for turn in t.turns])[0] == t.text
    assert [turn.position for turn in t.turns] == list(range(len(t.turns)))
    assert study.transcripts()[0].words == word_count(t.text)


def test_a_text_edit_keeps_codings_on_their_words_and_flags_the_edited_one(
    world: StudyService,
) -> None:
    kept = code(world, CODER, "keeps me awake at night")
    edited = code(world, LEAD, "The physio said", "Advice")
    later = code(world, CODER, "somebody listening to me properly", "Listening")
    before = covered(world)
    report = world.as_member(LEAD).correct_text(
        "1", 2, "Honestly it keeps me awake at night. The physiotherapist said to keep moving."
    )
    after = covered(world)
    assert after[kept] == before[kept] and after[later] == before[later]
    assert after[edited] == "The physiotherapist said"
    assert (report.kind, report.turn, report.codings_flagged) == ("text", 2, 1)
    flagged = world.flagged_codings()
    assert [f.coding.id for f in flagged] == [edited]
    assert flagged[0].correction_id == report.id
    consistent(world)
    assert world.transcripts()[0].checking.value == "checking"  # it was automatic
    entry = world.corrections("1")[0]
    assert (entry.actor, entry.turn, entry.kind, entry.in_key) == (LEAD, 2, "text", False)
    assert entry.before is not None and "The physio said" in entry.before
    assert entry.after is not None and "physiotherapist" in entry.after
    audit = next(e for e in world.audit_log().entries if e.action == "transcript.correct.text")
    assert audit.details["codings_flagged"] == 1 and "before" not in audit.details


def test_search_and_counts_follow_the_new_words(world: StudyService) -> None:
    assert len(world.search("allotment").hits) == 1
    world.as_member(CODER).correct_text(
        "1", 4, "Low, mostly. I stopped going to the garden centre in March and April."
    )
    assert world.search("allotment").hits == ()
    assert len(world.search("garden centre").hits) == 1
    assert len(world.search("April").hits) == 1
    consistent(world)
    world.as_member(CODER).merge_turns("1", 3)  # the index follows merged turns too
    assert len(world.search("mood garden").hits) == 1
    world.as_member(CODER).split_turn("1", 3, before="Low")
    assert world.search("mood garden").hits == ()
    (hit,) = world.search("garden").hits
    assert hit.turn_start == world.transcript("1").turns[3].start


def test_a_split_and_a_merge_change_no_words_and_flag_nothing(world: StudyService) -> None:
    across = code(world, CODER, "awake at night. The physio")
    inside = code(world, LEAD, "Seeing the same person", "Continuity")
    split = world.as_member(LEAD).split_turn("1", 2, before="The physio", at_ms=1500)
    t = world.transcript("1")
    assert [turn.text for turn in t.turns[1:3]] == [
        "Honestly it keeps me awake at night.",
        "The physio said to keep moving.",
    ]
    assert (t.turns[1].speaker, t.turns[2].speaker) == ("Pat", "Pat")
    assert (t.turns[1].end_ms, t.turns[2].start_ms) == (1500, 1500)
    assert covered(world)[across] == "awake at night.\n\nThe physio"
    assert split.codings_flagged == 0 and world.flagged_codings() == ()
    consistent(world)
    merged = world.as_member(LEAD).merge_turns("1", 2)
    assert world.transcript("1").turns[1].text == (
        "Honestly it keeps me awake at night. The physio said to keep moving."
    )
    assert covered(world)[across] == "awake at night. The physio"
    assert covered(world)[inside] == "Seeing the same person"
    assert merged.codings_flagged == 0 and len(world.transcript("1").turns) == 6
    consistent(world)


def test_a_merge_of_two_speakers_keeps_the_first_speaker(world: StudyService) -> None:
    world.as_member(LEAD).merge_turns("1", 1)
    turns = world.transcript("1").turns
    assert (turns[0].speaker, len(turns)) == ("Interviewer", 5)
    assert turns[0].text.startswith("How has your back") and turns[0].text.endswith("moving.")


def test_a_speaker_fix_takes_the_speakers_role(world: StudyService) -> None:
    world.as_member(CODER).correct_speaker("1", 3, "pat")  # as the transcript spells it
    turn = world.transcript("1").turns[2]
    assert (turn.speaker, turn.role.value) == ("Pat", "participant")
    world.as_member(CODER).correct_speaker("1", 5, "Dr Lee", new=True, role="interviewer")
    turn = world.transcript("1").turns[4]
    assert (turn.speaker, turn.role.value) == ("Dr Lee", "interviewer")
    world.as_member(CODER).correct_speaker("1", 1, "Dr Lee")
    assert world.transcripts()[0].interviewer == "Dr Lee"  # the first interviewer's turn
    assert [e.kind for e in world.corrections()] == ["speaker"] * 3


def test_words_all_removed_keep_the_coding_on_the_nearest_word_flagged(
    world: StudyService,
) -> None:
    gone = code(world, CODER, "in March", "When")
    world.as_member(LEAD).correct_text("1", 4, "Low, mostly. I stopped going to the allotment.")
    assert covered(world)[gone] == "allotment."
    assert [f.reason for f in world.flagged_codings()] == [
        "a correction removed all its words; it now covers the nearest word"
    ]


def test_a_blind_coder_learns_counts_only_and_sees_their_own_flags(world: StudyService) -> None:
    mine = code(world, CODER, "The physio said")
    code(world, LEAD, "The physio said", "Advice")
    world.as_member(LEAD).set_blind_coding(True)
    report = world.as_member(CODER).correct_text(
        "1", 2, "Honestly it keeps me awake at night. The physio told me to keep moving."
    )
    assert report.codings_flagged == 2  # a count, not whose
    assert [f.coding.id for f in world.as_member(CODER).flagged_codings()] == [mine]
    assert len(world.as_member(LEAD).flagged_codings()) == 1  # not revealed yet
    assert len(world.flagged_codings()) == 2  # the administrator
    world.as_member(CODER).clear_flag(mine)
    assert world.as_member(CODER).flagged_codings() == ()
    with pytest.raises(NotFoundError):
        world.as_member(CODER).clear_flag(mine)
    assert "coding.flag.clear" in {e.action for e in world.audit_log().entries}


def test_only_its_coder_or_a_lead_clears_a_flag(world: StudyService) -> None:
    theirs = code(world, LEAD, "The physio said", "Advice")
    world.as_member(LEAD).correct_text("1", 2, "Honestly. The physio told me to keep moving.")
    with pytest.raises(AccessDenied):
        world.as_member(CODER).clear_flag(theirs)
    world.as_member(LEAD).clear_flag(theirs)


REFUSALS = [
    (CODER, lambda m: m.correct_text("9", 1, "Hello.")),
    (CODER, lambda m: m.correct_text("1", 7, "Hello.")),
    (CODER, lambda m: m.correct_text("1", 0, "Hello.")),
    (CODER, lambda m: m.correct_text("1", 2, "   \n  ")),
    (CODER, lambda m: m.correct_text("1", 2, "A bell\x07 rang.")),
    (CODER, lambda m: m.correct_text("1", 3, "And your mood?")),
    (CODER, lambda m: m.split_turn("1", 2, at=0)),
    (CODER, lambda m: m.split_turn("1", 2, at=500)),
    (CODER, lambda m: m.split_turn("1", 2, at=3)),  # inside "Honestly"
    (CODER, lambda m: m.split_turn("1", 2, before="Honestly")),  # the turn's edge
    (CODER, lambda m: m.split_turn("1", 2, before="not there")),
    (CODER, lambda m: m.split_turn("1", 2, before="The physio", at_ms=-1)),
    (CODER, lambda m: m.merge_turns("1", 6)),
    (CODER, lambda m: m.correct_speaker("1", 2, "Patricia")),
    (CODER, lambda m: m.correct_speaker("1", 2, "Pat")),
    (CODER, lambda m: m.correct_speaker("1", 2, "Interviewer", role="participant")),
    (CODER, lambda m: m.correct_speaker("1", 2, "Dr Lee", new=True, role="nurse")),
    (READER, lambda m: m.correct_text("1", 2, "Hello.")),
    (READER, lambda m: m.merge_turns("1", 1)),
    (ANON, lambda m: m.correct_text("1", 2, "Hello.")),
    (ANON, lambda m: m.split_turn("1", 2, before="The physio")),
]


@pytest.mark.parametrize(("who", "attempt"), REFUSALS, ids=range(len(REFUSALS)))
def test_every_refusal_is_one_line_and_leaves_the_study_as_it_was(
    world: StudyService, location: str, who: str, attempt: object
) -> None:
    code(world, CODER, "keeps me awake at night")
    before = snapshot(location)
    with pytest.raises(ThematicaError) as refused:
        attempt(world.as_member(who))  # type: ignore[operator]
    assert "\n" not in str(refused.value) and str(refused.value)
    assert snapshot(location) == before


def test_an_open_page_learns_of_a_correction(world: StudyService) -> None:
    seen = world.live_version("1", LEAD)
    world.as_member(CODER).merge_turns("1", 1)
    assert world.live_version("1", LEAD) != seen
