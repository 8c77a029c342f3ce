"""Full-text search over turns and coding every result, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build, codes
from thematica.domain import MemberRole, SpeakerRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService
from thematica.service.search import SearchFilter

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
TEXTS = [
    "I get Pain in my back and then my low mood drops for days. The pain is constant.",
    "Managing low mood is hard; I manage by walking. Café visits help, co-operation too.",
    "Nothing relevant here at all, only the weather.",
]


@pytest.fixture
def searched(study: StudyService) -> StudyService:
    build(study, TEXTS, groups=["Physio", "OT", "OT"])
    study.add_team_member(READER, MemberRole.READER)
    codes(study, "Mood")
    return study


def located(study: StudyService, query: str, **kw: object) -> list[tuple[str | None, list[str]]]:
    """(participant, matched words) per hit."""
    out = []
    for hit in study.search(query, SearchFilter(**kw), visible_to=LEAD).hits:  # type: ignore[arg-type]
        text = study.transcript(str(hit.transcript_id)).text
        assert hit.turn_start <= hit.matches[0][0] and hit.matches[-1][1] <= hit.turn_end
        assert "".join(p.text for p in hit.context if p.match) == "".join(
            text[s:e] for s, e in hit.matches
        )
        out.append((hit.participant, [text[s:e] for s, e in hit.matches]))
    return out


def test_words_are_located_as_code_points(searched: StudyService) -> None:
    assert located(searched, "pain") == [("P1", ["Pain", "pain"])]
    assert located(searched, "PAIN back") == [("P1", ["Pain", "back", "pain"])]
    assert located(searched, '"low mood"') == [("P1", ["low mood"]), ("P2", ["low mood"])]
    assert located(searched, '"mood low"') == []
    assert located(searched, "manag*") == [("P2", ["Managing", "manage"])]
    assert located(searched, "manag") == []
    assert located(searched, "cafe") == [("P2", ["Café"])]  # accents folded
    assert located(searched, "co-operation") == [("P2", ["co-operation"])]
    results = searched.search("pain")
    assert (results.matches, results.transcripts, results.terms) == (2, 1, ("pain",))
    hit = results.hits[0]
    assert hit.role is SpeakerRole.PARTICIPANT and hit.turn == 0


def test_context_shows_words_around_the_match(searched: StudyService) -> None:
    hit = searched.search("weather").hits[0]
    assert [(p.text, p.match) for p in hit.context] == [
        ("Nothing relevant here at all, only the ", False),
        ("weather", True),
        (".", False),
    ]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "pain AND",
        "NEAR(pain back)",
        "pain OR",
        "*",
        "^pain",
        "body:pain",
        "a'b",
        "(pain",
        "pain -back",
        "'; DROP TABLE turns; --",
        "\\",
        "pain:*",
        "!pain & |",
    ],
)
def test_query_syntax_is_never_passed_through(searched: StudyService, query: str) -> None:
    try:
        searched.search(query)
    except ThematicaError as exc:
        assert "type a word" in str(exc)
    assert searched.search("pain").hits  # the study still searches


def test_bad_searches_are_refused_clearly(searched: StudyService) -> None:
    with pytest.raises(ThematicaError, match="type a word"):
        searched.search("  ... ")
    with pytest.raises(ThematicaError, match="at most 500"):
        searched.search("x" * 501)
    with pytest.raises(NotFoundError, match="no participant attribute 'age'"):
        searched.search("pain", SearchFilter(attribute="age", value="3"))
    with pytest.raises(ThematicaError, match="give a value"):
        searched.search("pain", SearchFilter(attribute="group", value=" "))
    with pytest.raises(NotFoundError, match="no code 999"):
        searched.search("pain", SearchFilter(code=999))


def test_filters_by_attribute_code_and_role(searched: StudyService) -> None:
    assert located(searched, "mood", attribute="Group", value="ot") == [("P2", ["mood"])]
    assert located(searched, "mood", attribute="group", value="Physio") == [("P1", ["mood"])]
    assert located(searched, "mood", role=SpeakerRole.INTERVIEWER) == []
    mood = next(c.id for c in searched.codes() if c.path == ("Mood",))
    assert located(searched, "mood", code=mood) == []
    searched.add_coding("P2", ("Mood",), CODER, 0, 8)
    assert located(searched, "mood", code=mood) == [("P2", ["mood"])]


def test_blind_coding_hides_other_coders_codings_from_the_code_filter(
    searched: StudyService,
) -> None:
    searched.add_coding("P2", ("Mood",), CODER, 0, 8)
    searched.set_blind_coding(True, by=LEAD)
    mood = next(c.id for c in searched.codes() if c.path == ("Mood",))
    assert searched.search("mood", SearchFilter(code=mood), visible_to=LEAD).hits == ()
    assert len(searched.search("mood", SearchFilter(code=mood), visible_to=CODER).hits) == 1


def test_anonymised_only_members_get_no_hits_in_text_not_yet_anonymised(
    searched: StudyService,
) -> None:
    assert searched.search("pain", visible_to=READER).hits == ()
    assert len(searched.search("pain", visible_to=LEAD).hits) == 1


def test_transcripts_imported_later_are_searchable(searched: StudyService) -> None:
    from functools import partial

    from thematica.service import TranscriptSource

    searched.import_transcripts(
        [TranscriptSource("late.txt", partial(bytes, b"A later zebra interview."))]
    )
    assert [h.participant for h in searched.search("zebra").hits] == [None]


def test_coding_every_result_after_confirming(searched: StudyService) -> None:
    plan = searched.code_search_results(
        '"low mood" pain', ("Low mood",), by=CODER, create_code=True, dry_run=True
    )
    assert (plan.new, plan.already, plan.code_exists) == (3, 0, False)  # only P1 holds both
    assert not any(c.path == ("Low mood",) for c in searched.codes())  # a dry run changes nothing
    done = searched.code_search_results(
        '"low mood" pain', ("Low mood",), by=CODER, create_code=True, expected=3
    )
    assert done.new == 3 and len(done.coding_ids) == 3
    coded = searched.codings(code=("Low mood",))
    assert sorted(c.text for c in coded) == ["Pain", "low mood", "pain"]
    assert {c.coder for c in coded} == {CODER}
    again = searched.code_search_results("pain", ("Low mood",), by=CODER, dry_run=True)
    assert (again.new, again.already, again.code_exists) == (0, 2, True)
    turns = searched.code_search_results("weather", ("Mood",), by=LEAD, scope="turn")
    assert [c.text for c in searched.codings(code=("Mood",))] == [TEXTS[2]]
    assert turns.new == 1


def test_coding_every_result_is_all_or_nothing(searched: StudyService) -> None:
    location = searched.location
    before = snapshot(location)
    with pytest.raises(ConflictError, match="results changed since you confirmed: 2 codings"):
        searched.code_search_results("mood", ("Mood",), by=CODER, expected=5)
    with pytest.raises(AccessDenied, match="reader"):
        searched.code_search_results("mood", ("Mood",), by=READER)
    with pytest.raises(NotFoundError, match="no level-1 code 'Absent'"):
        searched.code_search_results("mood", ("Absent",), by=CODER)
    with pytest.raises(ThematicaError, match="no results to code"):
        searched.code_search_results("zebra", ("Mood",), by=CODER)
    with pytest.raises(ThematicaError, match="matched words"):
        searched.code_search_results("mood", ("Mood",), by=CODER, scope="page")
    with pytest.raises(ThematicaError, match="1 to 300"):
        searched.code_search_results("mood", ("x" * 301,), by=CODER, create_code=True)
    assert snapshot(location) == before
    searched.code_search_results("mood", ("Mood",), by=CODER)
    with pytest.raises(ThematicaError, match="already coded"):
        searched.code_search_results("mood", ("Mood",), by=CODER)


# -- the same words on both backends -----------------------------------------------------------

ODD = (
    "Interviewer: Where did you look?\n"
    "Sam: Die Straße war lang. The ﬁnal dose was 3.5 mg on 10/12, see www.nhs.uk or "
    "help@clinic.org for help.\n"
    "Interviewer: And then?\n"
    "Sam: A nai\u0308ve 😀emoji😀 hope, then the final word.\n"  # decomposed (NFD): import
)  # composes it; tests/test_words.py locates words in decomposed text
# query -> (turn, matched words) per hit; offsets are checked against the text below
ODD_HITS: dict[str, list[tuple[int, list[str]]]] = {
    "Straße": [(1, ["Straße"])],
    "strasse": [(1, ["Straße"])],
    "STRASSE war": [(1, ["Straße", "war"])],
    "ﬁnal": [(1, ["ﬁnal"]), (3, ["final"])],
    "final": [(1, ["ﬁnal"]), (3, ["final"])],
    "3.5": [(1, ["3.5"])],
    "3": [(1, ["3"])],
    "5": [(1, ["5"])],
    "10/12": [(1, ["10/12"])],
    "10": [(1, ["10"])],
    "12": [(1, ["12"])],
    "www": [(1, ["www"])],
    "www.nhs.uk": [(1, ["www.nhs.uk"])],
    "nhs": [(1, ["nhs"])],
    "help": [(1, ["help", "help"])],
    "help@clinic.org": [(1, ["help@clinic.org"])],
    "clinic": [(1, ["clinic"])],
    "naive": [(3, ["naïve"])],
    "nai\u0308ve": [(3, ["naïve"])],  # decomposed, as typed on some keyboards
    "NAÏVE": [(3, ["naïve"])],
    "emoji": [(3, ["emoji"])],
    "emoji*": [(3, ["emoji"])],
    '"final dose"': [(1, ["ﬁnal dose"])],
    '"dose final"': [],  # both words are in turn 1, not in this order
    "dose final": [(1, ["ﬁnal", "dose"])],
    '"the final" word': [(3, ["the final", "word"])],
    "strass": [],
    "strass*": [(1, ["Straße"])],
}


def test_odd_words_give_the_same_hits_on_both_backends(study: StudyService) -> None:
    from functools import partial

    from thematica.service import TranscriptSource

    study.import_transcripts([TranscriptSource("odd.txt", partial(bytes, ODD.encode()))])
    tid = str(study.transcripts()[0].id)
    text = study.transcript(tid).text
    for query, expected in ODD_HITS.items():
        results = study.search(query)
        got = [(h.turn, [text[s:e] for s, e in h.matches]) for h in results.hits]
        assert got == expected, query
        for hit, (_, words) in zip(results.hits, expected, strict=True):
            cursor, offsets = hit.turn_start, []
            for word in words:  # where the words are, found in the text independently
                at = text.index(word, cursor, hit.turn_end)
                offsets.append((at, at + len(word)))
                cursor = at + len(word)
            assert list(hit.matches) == offsets, query
        assert results.matches == sum(len(w) for _, w in expected), query
    with pytest.raises(ThematicaError, match="type a word"):
        study.search("😀")


def test_phrases_are_confirmed_page_by_page(
    study: StudyService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index offers turns holding a phrase's words in any order (PostgreSQL's has no
    positions); hits still come in order, as many as there are up to the limit."""
    from functools import partial

    from thematica.service import TranscriptSource
    from thematica.service import search as search_module

    turns = ["mood low"] * 5 + ["low mood"] * 3 + ["mood low"] * 2 + ["low mood"]
    body = "".join(f"{'AB'[n % 2]}: {t} {n}\n" for n, t in enumerate(turns))
    study.import_transcripts([TranscriptSource("p.txt", partial(bytes, body.encode()))])
    assert [h.turn for h in study.search("low mood").hits] == list(range(len(turns)))
    monkeypatch.setattr(search_module, "MAX_HITS", 2)
    results = study.search('"low mood"')
    assert ([h.turn for h in results.hits], results.truncated) == ([5, 6], True)
    monkeypatch.setattr(search_module, "MAX_HITS", 4)
    results = study.search('"low mood"')
    assert ([h.turn for h in results.hits], results.truncated) == ([5, 6, 7, 10], False)
