"""Identifier detection: names from the register and deny list, patterns, overlaps, and recall
on the identifiers planted in the demo transcripts (demo/data/PLANTED.md)."""

from __future__ import annotations

import csv
import html
import itertools
import re
import unicodedata
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.anonymise.detecting import check_slices, only, spans, texts
from thematica.anonymise.detect import (
    COMMON_WORD_NAMES,
    Finding,
    NameEntry,
    NameMatcher,
    detect,
    find_names,
    name_patterns,
    nhs_number_valid,
    resolve_overlaps,
)
from thematica.demo import DATA
from thematica.domain import ParsedTranscript
from thematica.importers import read_transcript

ANN = NameEntry("Ann Goodridge", "colleague", "[Colleague 2]", detector="deny-list")
PRIYA = NameEntry("Priya Raman", "colleague", "[Colleague 1]", detector="deny-list")
HOPE = NameEntry("Hope", "patient", "[Patient 2]", detector="deny-list")
MARK = NameEntry("Mark", "patient", "[Patient 1]", detector="deny-list")
SIOBHAN = NameEntry("Siobhán Kelly", "participant", "[Physio 3]", ("Shiv",))
ZOE = NameEntry("Zoë Fairbairn", "participant", "[OT 2]")
LINH = NameEntry("Linh Nguyễn", "participant", "[Physio 5]")
HOSPITAL = NameEntry(
    "St Aldhelm's Hospital", "hospital", "[Hospital A]", person=False, detector="deny-list"
)
TRUST = NameEntry(
    "Wessex Vale NHS Foundation Trust", "trust", "[Trust A]", person=False, detector="deny-list"
)


# --------------------------------------------------------------------------------------------
# NHS numbers and name variants


def test_nhs_check_digit() -> None:
    assert nhs_number_valid("9434765919")  # planted, check digit 9
    assert not nhs_number_valid("7290583164")  # planted: should end in 7
    assert nhs_number_valid("7290583167")
    assert nhs_number_valid("0000000000")  # sum 0: 11 - 0 = 11 means check digit 0
    assert not nhs_number_valid("0000000060")  # sum 12: 11 - 1 = 10 means invalid, any last digit
    assert not any(nhs_number_valid(f"000000006{d}") for d in "0123456789")
    assert not nhs_number_valid("943476591")  # nine digits
    assert not nhs_number_valid("943 476 5919")  # digits only
    assert not nhs_number_valid("943476591x")
    assert not nhs_number_valid("٩٤٣٤٧٦٥٩١٩")  # Arabic-Indic digits are not ASCII digits


def test_name_patterns_for_people_and_organisations() -> None:
    gareth = NameEntry("Gareth Powell", "participant", "[Physio 1]", ("Gaz",))
    assert name_patterns(gareth) == ["Gareth Powell", "Gaz", "Gareth", "Powell"]
    # titles and single letters are skipped for the first name and surname; "first last" added
    doc = NameEntry("Dr  J. Priya   Anand Raman", "colleague", "[Colleague 1]")
    assert name_patterns(doc) == [
        "Dr J. Priya Anand Raman",
        "J. Priya Anand Raman",
        "Priya",
        "Raman",
        "Priya Raman",
    ]
    # variants shorter than two characters are dropped; repeats once
    assert name_patterns(NameEntry("Bo X", "patient", "[P]", ("Q", "bo"))) == ["Bo X", "bo"]
    assert name_patterns(NameEntry("Mark", "patient", "[P]")) == ["Mark"]
    assert name_patterns(TRUST) == ["Wessex Vale NHS Foundation Trust"]
    assert name_patterns(NameEntry("St John Smith", "colleague", "[C]")) == [
        "St John Smith",
        "St John",
        "Smith",
    ]


def test_common_word_names_list() -> None:
    # fmt: off
    required = {
        "hope", "mark", "will", "may", "faith", "grace", "joy", "rose", "bill", "pat", "sue",
        "ray", "amber", "dawn", "april", "june", "summer", "rob", "art", "frank", "jack",
        "sky", "holly", "ivy", "ruby", "daisy", "lily", "iris", "hazel", "heather", "max",
        "sandy", "rusty", "bob", "don", "gene", "earl", "victor", "guy", "drew", "penny",
        "sunny", "matt", "chase", "lance", "miles", "glen", "dean",
    }
    # fmt: on
    assert required <= COMMON_WORD_NAMES
    assert all(name == name.lower() for name in COMMON_WORD_NAMES)


# --------------------------------------------------------------------------------------------
# Names: boundaries, Unicode, apostrophes, whitespace, longest match, titles


def test_name_not_inside_another_word() -> None:
    text = "Ann and I do an annual review. It runs annually, Annual Report, Hannah, Joann, Anne."
    assert spans(find_names(text, [ANN])) == [("Ann", "colleague", "high")]
    assert texts(find_names("Marcus Lowe called, then Mark.", [MARK])) == ["Mark"]


def test_name_matching_ignores_case_for_ordinary_names() -> None:
    assert texts(find_names("ANN GOODRIDGE and goodridge and ann", [ANN])) == [
        "ANN GOODRIDGE",
        "goodridge",
        "ann",
    ]


@pytest.mark.parametrize(
    ("entry", "text", "expected"),
    [
        (ZOE, "Thanks very much for doing this, Zoë.", "Zoë"),
        (SIOBHAN, "Thanks, Siobhán. Kelly said so.", "Siobhán"),
        (LINH, "Linh Nguyễn joined.", "Linh Nguyễn"),
        (LINH, "it was Nguyễn who said", "Nguyễn"),
        (ZOE, "ZOË FAIRBAIRN", "ZOË FAIRBAIRN"),
    ],
)
def test_non_ascii_names(entry: NameEntry, text: str, expected: str) -> None:
    assert texts(find_names(text, [entry]))[0] == expected


def test_non_ascii_boundaries() -> None:
    # a letter with an accent continues the word: "Zoë" is not found in "Zoëlla" or "Zoé"
    assert find_names("Zoëlla and Zoé and Zoe", [ZOE]) == []
    assert texts(find_names("Nguyễnova, Nguyễn.", [LINH])) == ["Nguyễn"]


@pytest.mark.parametrize("name", ["Zoë", "Siobhán", "Nguyễn"])
def test_decomposed_text_matches_composed_entry(name: str) -> None:
    entry = {"Zoë": ZOE, "Siobhán": SIOBHAN, "Nguyễn": LINH}[name]
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    text = f"Thanks, {nfd}’s colleague. And Ann said, {nfd}!"
    found = find_names(text, [entry, ANN])
    check_slices(text, found)
    assert texts(found) == [nfd, "Ann", nfd]
    assert found[0].start == len("Thanks, ")
    assert found[2].end == len(text) - 1


def test_decomposed_entry_matches_composed_text() -> None:
    entry = NameEntry(unicodedata.normalize("NFD", "Siobhán Kelly"), "participant", "[Physio 3]")
    assert texts(find_names("Thanks, Siobhán.", [entry])) == ["Siobhán"]


def test_possessives_give_the_name_only() -> None:
    text = "Siobhán's clinic, Siobhán’s notes, Ann's group and Ann’s."
    found = find_names(text, [SIOBHAN, ANN])
    assert texts(found) == ["Siobhán", "Siobhán", "Ann", "Ann"]
    check_slices(text, found)


def test_apostrophes_inside_names_match_either_form() -> None:
    oneill = NameEntry("Aoife O'Neill", "colleague", "[Colleague 3]")
    assert texts(find_names("Aoife O’Neill and O'Neill and O’Neill’s", [oneill])) == [
        "Aoife O’Neill",
        "O'Neill",
        "O’Neill",
    ]
    text = "at St Aldhelm’s Hospital and St Aldhelm's Hospital"
    assert texts(find_names(text, [HOSPITAL])) == [
        "St Aldhelm’s Hospital",
        "St Aldhelm's Hospital",
    ]


def test_whitespace_runs_inside_names() -> None:
    text = "Ann   Goodridge, Ann\nGoodridge and Wessex Vale\tNHS  Foundation\nTrust"
    assert texts(find_names(text, [ANN, TRUST])) == [
        "Ann   Goodridge",
        "Ann\nGoodridge",
        "Wessex Vale\tNHS  Foundation\nTrust",
    ]


def test_first_name_surname_and_nickname_alone() -> None:
    gareth = NameEntry("Gareth Powell", "participant", "[Physio 1]", ("Gaz",))
    found = find_names("Gareth, or Gaz, or Mr Powell.", [gareth])
    assert texts(found) == ["Gareth", "Gaz", "Mr Powell"]
    assert {f.replacement for f in found} == {"[Physio 1]"}
    assert {f.detector for f in found} == {"register"}


def test_longest_match_wins() -> None:
    found = find_names("me and a colleague, Ann Goodridge, she's", [ANN])
    assert spans(found) == [("Ann Goodridge", "colleague", "high")]
    # a nickname that starts the same way as the full name
    rebecca = NameEntry("Rebecca Thorne", "participant", "[OT 1]", ("Becky", "Bex"))
    assert texts(find_names("Rebecca Thorne, Rebecca, Becky, Bex", [rebecca])) == [
        "Rebecca Thorne",
        "Rebecca",
        "Becky",
        "Bex",
    ]


def test_split_name_joined_with_title() -> None:
    # "Dr Priya" ends one cue and "Raman" starts the next; the importer joins them with a space
    text = "who covered the pain service, Dr Priya Raman, and people would"
    finding = only(find_names(text, [PRIYA]))
    assert (finding.text, finding.category, finding.confidence) == (
        "Dr Priya Raman",
        "colleague",
        "high",
    )
    assert finding.replacement == "[Colleague 1]"
    assert finding.start == text.index("Dr ")
    check_slices(text, [finding])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I asked Dr. Raman.", "Dr. Raman"),
        ("Prof Priya Raman", "Prof Priya Raman"),
        ("Professor Raman", "Professor Raman"),
        ("Sister Raman", "Sister Raman"),
        ("Nurse Priya", "Nurse Priya"),
        ("Mrs Raman, Ms Raman", "Mrs Raman"),
        ("Mx Raman", "Mx Raman"),
        ("Miss Priya Raman", "Miss Priya Raman"),
        ("Ask the dr Raman", "Raman"),  # only a capitalised title
        ("Mr. and Raman", "Raman"),  # not directly before
        ("Drs Raman", "Raman"),  # not a title
    ],
)
def test_titles_directly_before_a_person(text: str, expected: str) -> None:
    assert texts(find_names(text, [PRIYA]))[0] == expected


def test_title_not_taken_into_an_organisation() -> None:
    assert texts(find_names("Dr St Aldhelm's Hospital", [HOSPITAL])) == ["St Aldhelm's Hospital"]


def test_placeholder_with_title_is_not_a_name() -> None:
    assert detect("Mrs So-and-so came in with Mrs Raman.", [PRIYA, ANN])[0].text == "Mrs Raman"


# --------------------------------------------------------------------------------------------
# Names that are also ordinary words


@pytest.mark.parametrize(
    "text",
    [
        "I hope that was useful!",
        "I hope it's getting better.",
        "mark my words, in ten years' time",
        "we hope, we mark, and we hope again",
        "Hopefully that's changing.",
        "the flare makes her feel hopeless",
        "a marked change; remarkable",
    ],
)
def test_common_word_in_lower_case_is_no_finding(text: str) -> None:
    assert find_names(text, [HOPE, MARK]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There's a lady I worked with, Hope, she's in her fifties", "Hope"),
        ("with Mark I tried to get away from the pain scores", "Mark"),
        ("quite ironic after what Mark said.", "Mark"),
        ("There's a young man I saw last year, Mark, early twenties.", "Mark"),
        ("Dr Hope said so.", "Dr Hope"),  # a title makes it a name
    ],
)
def test_common_word_capitalised_mid_sentence_is_high(text: str, expected: str) -> None:
    finding = only(find_names(text, [HOPE, MARK]))
    assert (finding.text, finding.confidence, finding.note) == (expected, "high", "")


@pytest.mark.parametrize(
    "text",
    [
        "Hope you can hear me all right.",
        "No problem. Hope you can hear me.",
        "Yeah. And the waits are long anyway. Mark self-referred, and",
        "Really? Mark my words!",
        'He said "Mark was there".',
        "Wait!\nHope came in.",
        "It was a long day…  (Mark came.)",
    ],
)
def test_common_word_capitalised_at_sentence_start_is_check(text: str) -> None:
    finding = only(find_names(text, [HOPE, MARK]))
    assert finding.text in ("Hope", "Mark")
    assert finding.confidence == "check"
    assert "ordinary word" in finding.note and "starts a sentence" in finding.note


def test_full_name_with_common_first_name_is_always_high() -> None:
    hope = NameEntry("Hope Miller", "patient", "[Patient 3]")
    found = find_names("Hope Miller came. I met hope miller. I hope so. Hope. Miller.", [hope])
    assert spans(found) == [
        ("Hope Miller", "patient", "high"),
        ("hope miller", "patient", "high"),
        ("Hope", "patient", "check"),
        ("Miller", "patient", "high"),
    ]


def test_common_nickname_and_surname_follow_the_rule() -> None:
    bill = NameEntry("William Green", "colleague", "[Colleague 4]", ("Bill",))
    found = find_names("I paid the bill, then green tea. Bill came, with Green.", [bill])
    assert spans(found) == [("Bill", "colleague", "check"), ("Green", "colleague", "high")]


# --------------------------------------------------------------------------------------------
# Organisations and places


def test_organisations_match_only_whole_name() -> None:
    text = "that's Wessex Vale NHS Foundation Trust, our trust, Wessex and Vale, an acute trust"
    assert spans(find_names(text, [TRUST])) == [
        ("Wessex Vale NHS Foundation Trust", "trust", "high")
    ]
    assert find_names("Hospital staff at St Aldhelm's", [HOSPITAL]) == []


def test_saint_and_st_are_the_same() -> None:
    text = "Saint Aldhelm's Hospital, St. Aldhelm's Hospital, saint aldhelm's hospital"
    assert texts(find_names(text, [HOSPITAL])) == [
        "Saint Aldhelm's Hospital",
        "St. Aldhelm's Hospital",
        "saint aldhelm's hospital",
    ]
    saint = NameEntry("Saint Mary's", "hospital", "[Hospital B]", person=False)
    assert texts(find_names("St Mary's", [saint])) == ["St Mary's"]


def test_shared_variant_needs_a_check() -> None:
    tom = NameEntry("Tom Okafor", "team member", "[Interviewer B]")
    other = NameEntry("Tom Price", "colleague", "[Colleague 5]", detector="deny-list")
    finding = only(find_names("Cheers, Tom.", [other, tom]))
    # the register wins over the deny list, and a person has to say which Tom it is
    assert (finding.replacement, finding.confidence) == ("[Interviewer B]", "check")
    assert finding.note == "could be any of [Colleague 5], [Interviewer B]"
    assert only(find_names("Cheers, Tom Price.", [other, tom])).confidence == "high"


def test_no_entries_no_names() -> None:
    assert find_names("Ann Goodridge", []) == []
    assert detect("call 07700 900412", []) == [
        Finding(5, 17, "07700 900412", "phone", "pattern", "[Phone number]", "high")
    ]


def test_matcher_reused_and_cached_entry_lists_agree() -> None:
    matcher = NameMatcher([ANN, PRIYA])
    text = "Ann Goodridge and Dr Priya Raman"
    assert matcher.find(text) == find_names(text, [ANN, PRIYA]) == find_names(text, (ANN, PRIYA))


# --------------------------------------------------------------------------------------------
# Overlaps


def make(text: str, start: int, end: int, category: str, detector: str) -> Finding:
    return Finding(start, end, text[start:end], category, detector, f"[{category}]", "high")


def test_email_containing_a_deny_list_word() -> None:
    wessex = NameEntry("Wessex", "trust", "[Trust A]", person=False, detector="deny-list")
    text = "write to liaison@wessex.example.nhs.uk today"
    assert texts(find_names(text, [wessex])) == ["wessex"]
    finding = only(detect(text, [wessex]))
    assert (finding.text, finding.category, finding.detector) == (
        "liaison@wessex.example.nhs.uk",
        "email",
        "pattern",
    )


def test_ann_goodridge_beats_ann() -> None:
    text = "a colleague, Ann Goodridge, she's"
    short = NameEntry("Ann", "patient", "[Patient 9]", detector="deny-list")
    start = text.index("Ann")
    full = make(text, start, start + len("Ann Goodridge"), "colleague", "deny-list")
    ann = make(text, start, start + 3, "patient", "register")
    assert resolve_overlaps([ann, full]) == [full]
    assert resolve_overlaps([full, ann]) == [full]
    assert texts(detect(text, [short, ANN])) == ["Ann Goodridge"]


def test_same_length_prefers_register_then_deny_list_then_pattern() -> None:
    text = "Ann Lee"
    register = make(text, 0, 7, "participant", "register")
    deny = make(text, 0, 7, "colleague", "deny-list")
    pattern = make(text, 0, 7, "address", "pattern")
    assert resolve_overlaps([pattern, deny, register]) == [register]
    assert resolve_overlaps([pattern, deny]) == [deny]


def test_partial_overlap_widens_the_longer_finding() -> None:
    text = "abcdefghij"
    left = make(text, 0, 4, "patient", "register")
    right = make(text, 2, 10, "email", "pattern")
    out = only(resolve_overlaps([right, left]))
    assert (out.start, out.end, out.text, out.category) == (0, 10, text, "email")
    assert out.confidence == "check" and "widened" in out.note and "patient" in out.note


def test_touching_findings_are_both_kept() -> None:
    text = "AnnLee"
    a, b = make(text, 0, 3, "colleague", "register"), make(text, 3, 6, "colleague", "register")
    assert resolve_overlaps([b, a]) == [a, b]


def test_empty_findings_are_ignored() -> None:
    assert resolve_overlaps([Finding(3, 3, "", "patient", "register", "[P]", "high")]) == []


@st.composite
def findings_on_text(draw: st.DrawFn) -> tuple[str, list[Finding]]:
    text = draw(st.text(alphabet="abcdefgh ", min_size=1, max_size=40))
    out = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        detector = draw(st.sampled_from(["register", "deny-list", "pattern"]))
        category = draw(st.sampled_from(["patient", "email", "phone", "nhs number"]))
        out.append(make(text, start, end, category, detector))
    return text, out


@settings(max_examples=300, deadline=None)
@given(findings_on_text())
def test_resolve_overlaps_properties(case: tuple[str, list[Finding]]) -> None:
    text, findings = case
    out = resolve_overlaps(findings)
    # sorted, non-overlapping, and still slices of the text
    assert all(a.end <= b.start for a, b in itertools.pairwise(out))
    check_slices(text, out)
    for f in findings:
        # every input overlaps some output, and its start is covered by one
        assert any(o.start < f.end and f.start < o.end for o in out)
        assert any(o.start <= f.start < o.end for o in out)
    # an output either is an input or is widened over several, with a note
    for o in out:
        assert o in findings or (o.confidence == "check" and "widened" in o.note)
    assert resolve_overlaps(out) == out


# --------------------------------------------------------------------------------------------
# The planted identifiers in the demo transcripts

INTERVIEWS = DATA / "interviews"
CATEGORY = {  # PLANTED.md category -> Finding.category
    "participant name": "participant",
    "team member": "team member",
    "colleague": "colleague",
    "split-name": "colleague",
    "patient": "patient",
    "hospital": "hospital",
    "trust": "trust",
    "GP practice": "gp practice",
    "phone": "phone",
    "email": "email",
    "NHS number valid": "nhs number",
    "NHS number invalid": "number",
    "address": "address",
    "postcode": "postcode",
    "date of birth": "date of birth",
}


def demo_entries() -> list[NameEntry]:
    """The register from identities.csv plus the deny list a user would write for the study."""
    entries = []
    with (DATA / "identities.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            team = row["label"].startswith("Interviewer")
            entries.append(
                NameEntry(
                    row["real_name"],
                    "team member" if team else "participant",
                    f"[{row['label']}]",
                    tuple(n for n in row["nicknames"].split(";") if n),
                )
            )
    deny = [
        ("Marcus Lowe", "colleague", "[Colleague 1]", True),
        ("Priya Raman", "colleague", "[Colleague 2]", True),
        ("Ann Goodridge", "colleague", "[Colleague 3]", True),
        ("Mark", "patient", "[Patient 1]", True),
        ("Hope", "patient", "[Patient 2]", True),
        ("St Aldhelm's Hospital", "hospital", "[Hospital A]", False),
        ("St Aldhelm's", "hospital", "[Hospital A]", False),
        ("Wessex Vale NHS Foundation Trust", "trust", "[Trust A]", False),
        ("Millbrook Lane Surgery", "gp practice", "[GP practice A]", False),
        ("Tanyard Green Surgery", "gp practice", "[GP practice B]", False),
        ("Ashcombe Parva", "address", "[Village A]", False),  # the village in an address
    ]
    entries += [NameEntry(n, c, r, person=p, detector="deny-list") for n, c, r, p in deny]
    return entries


@cache
def transcript(name: str) -> ParsedTranscript:
    return read_transcript((INTERVIEWS / name).read_bytes(), name)


def planted_rows() -> list[tuple[str, str, str]]:
    """(file, exact text, PLANTED.md category) for every row of both tables."""
    rows = []
    for line in (DATA / "PLANTED.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and ".vtt" in cells[0]:
            for file in cells[0].split(", "):
                rows.append((file, html.unescape(cells[1]), cells[2]))
    return rows


IDENTIFIERS = [r for r in planted_rows() if r[2] != "not an identifier"]
DECOYS = [r for r in planted_rows() if r[2] == "not an identifier"]


def test_planted_tables_parsed() -> None:
    assert len(IDENTIFIERS) == 36
    assert {r[2] for r in IDENTIFIERS} == set(CATEGORY)
    assert len(DECOYS) == 15


@pytest.mark.parametrize(("file", "exact", "category"), IDENTIFIERS)
def test_planted_identifier_found_in_its_file(file: str, exact: str, category: str) -> None:
    """Every occurrence of each planted identifier is found, as exactly that text, with its
    category: 100 % recall for register, deny-list and pattern findings."""
    entries = demo_entries()
    exact = exact.replace(" / ", " ")  # a split name is joined with a space across the cues
    pattern = re.compile(rf"(?<!\w){re.escape(exact)}(?!\w)")
    occurrences = 0
    for turn in transcript(file).turns:
        found = detect(turn.text, entries)
        check_slices(turn.text, found)
        for m in pattern.finditer(turn.text):
            occurrences += 1
            hits = [f for f in found if (f.start, f.end) == m.span()]
            assert hits, f"{exact!r} not found in {turn.text!r}: {found}"
            assert hits[0].category == CATEGORY[category]
    assert occurrences >= 1


def test_planted_identifiers_by_detector() -> None:
    entries = demo_entries()
    detectors: dict[str, set[str]] = {"register": set(), "deny-list": set(), "pattern": set()}
    for file, exact, _ in IDENTIFIERS:
        exact = exact.replace(" / ", " ")
        for turn in transcript(file).turns:
            for f in detect(turn.text, entries):
                if f.text == exact:
                    detectors[f.detector].add(exact)
    assert detectors["register"] >= {"Gareth", "Rachel", "Siobhán", "Femi", "Olufemi", "Zoë"}
    assert detectors["deny-list"] >= {"Marcus Lowe", "Dr Priya Raman", "Mark", "Hope"}
    assert detectors["pattern"] == {
        "07700 900412",
        "943 476 5919",
        "mhliaison.msk@wessexvale.example.nhs.uk",
        "7 Orchard Rise",
        "BS99 4QT",
        "01632 960587",
        "729 058 3164",
        "the 9th of March 1962",
    }


@pytest.mark.parametrize(("file", "exact", "category"), DECOYS)
def test_planted_decoys(file: str, exact: str, category: str) -> None:
    """No decoy gets a high-confidence finding; only "Hope you can hear me" (a capitalised
    "Hope" starting a sentence, with a patient called Hope on the deny list) gets a check."""
    entries = demo_entries()
    seen = 0
    for text in exact.split(" / "):
        for turn in transcript(file).turns:
            at = turn.text.find(text)
            if at < 0:
                continue
            seen += 1
            hits = [
                f for f in detect(turn.text, entries) if f.start < at + len(text) and at < f.end
            ]
            if text.startswith("Hope you can hear"):
                assert spans(hits) == [("Hope", "patient", "check")]
            else:
                assert hits == [], f"{text!r}: {hits}"
    assert seen >= 1


@pytest.mark.parametrize(
    ("file", "decoy"),
    [("physio-3.vtt", "I hope it's getting better."), ("physio-4.vtt", "mark my words")],
)
def test_required_decoys_give_no_finding(file: str, decoy: str) -> None:
    turns = [t.text for t in transcript(file).turns if decoy in t.text]
    assert turns
    for text in turns:
        assert find_names(decoy, demo_entries()) == []
        at = text.index(decoy)
        assert [
            f for f in detect(text, demo_entries()) if f.start < at + len(decoy) and at < f.end
        ] == []


def test_speaker_names_are_found_whole() -> None:
    entries = demo_entries()
    for vtt in sorted(INTERVIEWS.glob("*.vtt")):
        for speaker in transcript(vtt.name).speakers:
            finding = only(detect(speaker, entries))
            assert finding.text == speaker and finding.detector == "register"
