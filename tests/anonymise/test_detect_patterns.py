"""Identifier detection by pattern: e-mail addresses, URLs, phone numbers, NHS numbers,
postcodes, addresses and dates of birth (the names and overlaps are in test_detect.py)."""

from __future__ import annotations

import pytest

from tests.anonymise.detecting import check_slices, only, texts
from thematica.anonymise.detect import NameEntry, detect, find_patterns, resolve_overlaps

ANN = NameEntry("Ann Goodridge", "colleague", "[Colleague 2]", detector="deny-list")


def pattern_spans(text: str) -> list[tuple[str, str]]:
    found = find_patterns(text)
    check_slices(text, found)
    return [(f.text, f.category) for f in resolve_overlaps(found)]


@pytest.mark.parametrize(
    "email",
    [
        "mhliaison.msk@wessexvale.example.nhs.uk",
        "a.b+tag@example.com",
        "first_last@sub.example.co.uk",
    ],
)
def test_email(email: str) -> None:
    assert pattern_spans(f"For a while we had {email}, and you'd email it.") == [(email, "email")]


def test_not_an_email() -> None:
    assert pattern_spans("meet @ 3, or @someone, or user@localhost") == []


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://example.org/path?q=1.", "https://example.org/path?q=1"),
        ("see http://example.org, then", "http://example.org"),
        ("(www.nhs.example/talking)", "www.nhs.example/talking"),
        ("at WWW.Example.com/a_(b)!", "WWW.Example.com/a_(b)"),
    ],
)
def test_url(text: str, url: str) -> None:
    assert pattern_spans(text) == [(url, "url")]


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900412",
        "07700900412",
        "07700-900-412",
        "07700 900 412",
        "01632 960587",
        "01632960587",
        "(01632) 960587",
        "(01632)960587",
        "020 7946 0018",
        "020-7946-0018",
        "0117 496 0123",
        "+44 7700 900412",
        "+447700900412",
        "+44 (0)1632 960587",
        "+44 20 7946 0018",
        "+1 555 010 0123",
        "+353 1 555 0123",
        "+61412345678",
    ],
)
def test_phone(phone: str) -> None:
    assert pattern_spans(f"it's {phone}, and I tried it") == [(phone, "phone")]


@pytest.mark.parametrize(
    "text",
    [
        "back in 2019, about 20 years ago",
        "at 10:30 or 09:15, 0930 or 14.45",
        "on 01/02/2019 and 01-02-2019",
        "about 1,000 patients, 12 345 people",
        "a band 7 in 2019 2020 2021",
        "+44",
        "0770 0900",
        "+1 555 01",
    ],
)
def test_not_a_phone(text: str) -> None:
    assert [f for f in find_patterns(text) if f.category == "phone"] == []


@pytest.mark.parametrize("nhs", ["943 476 5919", "943-476-5919", "9434765919"])
def test_valid_nhs_number(nhs: str) -> None:
    text = f"her NHS number is {nhs}, oh, sorry"
    finding = only(resolve_overlaps(find_patterns(text)))
    assert (finding.text, finding.category, finding.confidence) == (nhs, "nhs number", "high")
    assert finding.replacement == "[NHS number]"


@pytest.mark.parametrize("number", ["729 058 3164", "729-058-3164", "7290583164"])
def test_nhs_shape_with_wrong_check_digit(number: str) -> None:
    finding = only(resolve_overlaps(find_patterns(f"I'd put {number}, and it")))
    assert (finding.text, finding.category, finding.confidence) == (number, "number", "check")
    assert finding.replacement == "[Number]"
    assert finding.note == "10 digits like an NHS number, but the check digit is wrong"


def test_nhs_shape_is_not_also_a_phone_number() -> None:
    # 10 digits starting 0 in 3-3-4 groups look like a UK number too; the NHS shape wins
    text = "number 012 345 6780 or 0123456780"
    raw = find_patterns(text)
    assert {f.category for f in raw} == {"number", "phone"}
    assert [(f.text, f.category) for f in detect(text, [])] == [
        ("012 345 6780", "number"),
        ("0123456780", "number"),
    ]
    assert [f.category for f in detect("0123456789 and 012 345 6789", [])] == ["nhs number"] * 2


@pytest.mark.parametrize("text", ["943 4765919", "943-476 5919", "1943 476 5919", "943 476 59190"])
def test_not_nhs_shape(text: str) -> None:
    assert [f for f in find_patterns(text) if f.category in ("nhs number", "number")] == []


@pytest.mark.parametrize(
    ("postcode", "confidence"),
    [
        ("BS99 4QT", "high"),
        ("SW1A 1AA", "high"),
        ("M1 1AE", "high"),
        ("B33 8TH", "high"),
        ("CR2 6XH", "high"),
        ("DN55 1PT", "high"),
        ("EC1A1BB", "high"),
        ("bs99 4qt", "check"),
        ("sw1a 1aa", "check"),
    ],
)
def test_postcode(postcode: str, confidence: str) -> None:
    finding = only(find_patterns(f"in Ashcombe Parva, {postcode}, and"))
    assert (finding.text, finding.category, finding.confidence) == (
        postcode,
        "postcode",
        confidence,
    )


@pytest.mark.parametrize("text", ["XBS99 4QT", "BS99 4QTX", "BS99 4CI", "QS1 1AA", "the A1 road"])
def test_not_a_postcode(text: str) -> None:
    assert find_patterns(text) == []


@pytest.mark.parametrize(
    "address",
    [
        "7 Orchard Rise",
        "12 High Street",
        "3a Mill Lane",
        "221 Baker St",
        "10 Downing Street",
        "45 St Mary's Road",
        "1 Long Acre Court",
        "9 The Old Rectory Mews",
    ],
)
def test_address(address: str) -> None:
    assert pattern_spans(f"he lives right out at {address} in the village") == [
        (address, "address")
    ]


@pytest.mark.parametrize(
    "text",
    ["he walked 7 miles up the hill", "7 orchard rise", "in 2019 things changed", "Orchard Rise"],
)
def test_not_an_address(text: str) -> None:
    assert [f for f in find_patterns(text) if f.category == "address"] == []


def test_address_needs_one_to_three_words() -> None:
    assert pattern_spans("at 7 Rise, then") == []
    assert pattern_spans("at 7 A B C D Road") == []
    assert pattern_spans("at 7 B C D Road") == [("7 B C D Road", "address")]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Her date of birth, the 9th of March 1962, her address", "the 9th of March 1962"),
        ("DOB 14/02/1975.", "14/02/1975"),
        ("D.O.B.: 14-02-1975", "14-02-1975"),
        ("dob: 14.02.75", "14.02.75"),
        ("she was born on 9 March 1962 in Bath", "9 March 1962"),
        ("born on March 9th, 1962", "March 9th, 1962"),
        ("born in Bristol on 3rd May 1961", "3rd May 1961"),
        ("born in March 1962", "March 1962"),
        ("his birthday is the 3rd of May", "the 3rd of May"),
        ("Date of Birth - 1 Jan. 1950", "1 Jan. 1950"),
    ],
)
def test_date_of_birth(text: str, date: str) -> None:
    finding = only(find_patterns(text))
    assert (finding.text, finding.category, finding.confidence) == (date, "date of birth", "high")
    assert finding.replacement == "[Date of birth]"


@pytest.mark.parametrize(
    "text",
    [
        "We met on the 9th of March 1962.",
        "14/02/1975 was a Friday",
        "3rd May 1961",
        "the date of birth was in the notes and so on for ages and ages, 14/02/1975",  # too far
        "she was born in 1962",  # a year alone is not a date
        "14/02/1975 is her date of birth",  # the date must follow the cue
    ],
)
def test_date_without_birth_cue_is_no_finding(text: str) -> None:
    assert find_patterns(text) == []


def test_date_of_birth_with_two_cues_is_one_finding() -> None:
    assert texts(find_patterns("DOB (date of birth) 14/02/1975")) == ["14/02/1975"]


def test_no_digits_is_fast_and_empty() -> None:
    assert find_patterns("nothing here at all, just talk about pain and mood") == []
    assert find_patterns("") == []
    assert detect("", [ANN]) == []
