"""Property: any XProject Thematica can hold survives a REFI-QDA round trip, and every export
validates against Project-mrt2019.xsd."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.exchange.refi_helpers import export
from thematica.domain import AttributeType, AttributeValue
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XLink,
    XNote,
    XProject,
    XSet,
    XSource,
    XTurn,
    XUser,
    XVariable,
)
from thematica.exchange.refi import read_qdpx

# Text an XML document can hold (names, descriptions, notes, values): no control characters
# but tab and newline, no surrogates, no U+FFFE/U+FFFF.
XML_CHAR = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    st.sampled_from("\n\t 😀é"),
)
# A transcript as Thematica stores it: LF newlines and NFC, here with emoji (astral and ZWJ
# sequences), combining marks that NFC composes, CJK and Hangul jamo.
TEXT_PIECE = st.one_of(
    st.sampled_from(
        [
            "a",
            "b",
            "Zoë",
            " ",
            "\n",
            "\n\n",
            "😀",
            "👩\u200d💻",
            "👍🏽",
            "e\u0301",
            "日本",
            "\u1100\u1161",
        ]
    ),
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
)
ROLES = st.sampled_from(["interviewer", "participant", "other"])
TIMEZONES = st.one_of(
    st.none(),
    st.just(dt.UTC),
    st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)


def xml_text(min_size: int = 0, max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text(XML_CHAR, min_size=min_size, max_size=max_size)


def transcripts() -> st.SearchStrategy[str]:
    return st.lists(TEXT_PIECE, max_size=25).map(
        lambda pieces: unicodedata.normalize("NFC", "".join(pieces))
    )


def values(kind: AttributeType) -> st.SearchStrategy[AttributeValue]:
    strategies: dict[AttributeType, st.SearchStrategy[Any]] = {
        AttributeType.TEXT: xml_text(),
        AttributeType.INTEGER: st.integers(),
        AttributeType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
        AttributeType.BOOLEAN: st.booleans(),
        AttributeType.DATE: st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    }
    return strategies[kind]


@st.composite
def spans(draw: st.DrawFn, length: int) -> tuple[int, int]:
    start = draw(st.integers(0, length - 1))
    return start, draw(st.integers(start + 1, length))


@st.composite
def projects(draw: st.DrawFn) -> XProject:
    counter = iter(range(10_000))

    def guid() -> str:
        return f"{next(counter):08x}-0000-4000-8000-{draw(st.integers(0, 2**48 - 1)):012x}"

    users = [XUser(guid(), draw(xml_text(1))) for _ in range(draw(st.integers(0, 3)))]
    user_guids = [None, *(u.guid for u in users)]

    codes: list[XCode] = []
    for _ in range(draw(st.integers(0, 6))):
        description = draw(
            st.one_of(xml_text(), xml_text().map(lambda d: d + '\nthematica:{"level":2}'))
        )
        codes.append(
            XCode(
                guid(),
                draw(xml_text(1)),
                draw(st.sampled_from([None, *(c.guid for c in codes)])),
                description,
                draw(st.one_of(st.none(), st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"))),
                draw(st.booleans()),
                draw(st.sampled_from([1, 2])),
                draw(st.booleans()),
            )
        )

    sources: list[XSource] = []
    for _ in range(draw(st.integers(0, 3))):
        text = draw(transcripts())
        source_guid = guid()
        codings: list[XCoding] = []
        if text and codes:
            shared_spans = draw(st.lists(spans(len(text)), min_size=1, max_size=4))
            for _ in range(draw(st.integers(0, 8))):
                start, end = draw(st.sampled_from(shared_spans))  # several coders, one span
                created = draw(
                    st.one_of(
                        st.none(),
                        st.datetimes(
                            dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1), timezones=TIMEZONES
                        ),
                    )
                )
                codings.append(
                    XCoding(
                        guid(),
                        start,
                        end,
                        draw(st.sampled_from([c.guid for c in codes])),
                        draw(st.sampled_from(user_guids)),
                        created,
                        draw(st.one_of(st.none(), xml_text())),
                    )
                )
        turns = []
        for _ in range(draw(st.integers(0, 3))):
            start, end = draw(spans(len(text))) if text else (0, 0)
            ms = draw(st.one_of(st.none(), st.integers(0, 10**8)))
            turns.append(
                XTurn(draw(xml_text()), draw(ROLES), start, end, ms, None if ms is None else ms + 5)
            )
        sources.append(
            XSource(
                source_guid,
                draw(xml_text()),
                text,
                tuple(codings),
                tuple(turns),
                draw(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1)))),
            )
        )
    source_guids = [s.guid for s in sources]

    names = draw(st.lists(xml_text(1, 8).filter(lambda n: n != "group"), unique=True, max_size=5))
    variables = [XVariable(guid(), n, draw(st.sampled_from(list(AttributeType)))) for n in names]
    cases = []
    for _ in range(draw(st.integers(0, 3))):
        chosen = draw(st.lists(st.sampled_from(variables), unique=True)) if variables else []
        cases.append(
            XCase(
                guid(),
                draw(xml_text()),
                draw(xml_text()),
                {v.name: draw(values(v.type)) for v in chosen},
                tuple(draw(st.lists(st.sampled_from(source_guids), unique=True)))
                if sources
                else (),
            )
        )

    code_guids = [c.guid for c in codes]
    links = []
    if codes:
        for _ in range(draw(st.integers(0, 2))):
            links.append(
                XLink(
                    guid(),
                    draw(xml_text()),
                    draw(st.sampled_from(code_guids)),
                    draw(st.sampled_from(code_guids)),
                    draw(st.sampled_from(["Associative", "OneWay", "Bidirectional"])),
                )
            )

    coding_guids = [c.guid for s in sources for c in s.codings]
    targets = code_guids + source_guids + coding_guids + [c.guid for c in cases]
    targets += [lk.guid for lk in links]
    notes = []
    for _ in range(draw(st.integers(0, 3))):
        chosen = (
            draw(st.lists(st.sampled_from(targets), unique=True, max_size=3)) if targets else []
        )
        notes.append(
            XNote(
                guid(),
                draw(xml_text()),
                draw(xml_text(max_size=60)),
                tuple(chosen),
                draw(st.sampled_from(user_guids)),
            )
        )

    sets = []
    for _ in range(draw(st.integers(0, 2))):
        sets.append(
            XSet(
                guid(),
                draw(xml_text()),
                tuple(draw(st.lists(st.sampled_from(code_guids), unique=True)) if codes else ()),
                tuple(
                    draw(st.lists(st.sampled_from(source_guids), unique=True)) if sources else ()
                ),
            )
        )

    return XProject(
        name=draw(xml_text()),
        users=tuple(users),
        codes=tuple(codes),
        variables=tuple(variables),
        cases=tuple(cases),
        sources=tuple(sources),
        notes=tuple(notes),
        links=tuple(links),
        sets=tuple(sets),
    )


def comparable(project: XProject) -> dict[str, object]:
    """What must survive a round trip, with order normalised. ``origin`` (the producer) and
    ``offset_unit`` (import only) are not part of it."""

    def typed(values: dict[str, AttributeValue]) -> dict[str, tuple[str, AttributeValue]]:
        return {k: (type(v).__name__, v) for k, v in values.items() if v is not None}

    return {
        "name": project.name,
        "users": sorted(project.users, key=lambda u: u.guid),
        "codes": sorted(project.codes, key=lambda c: c.guid),
        "variables": sorted(project.variables, key=lambda v: v.guid),
        "cases": sorted(
            ((c.guid, c.name, c.group, typed(c.values), sorted(c.sources)) for c in project.cases),
            key=lambda c: c[0],
        ),
        "sources": sorted(
            (
                (
                    s.guid,
                    s.name,
                    s.text,
                    sorted(s.codings, key=lambda c: c.guid),
                    s.turns,
                    s.interview_date,
                )
                for s in project.sources
            ),
            key=lambda s: s[0],
        ),
        "notes": sorted(
            ((n.guid, n.name, n.text, sorted(set(n.targets)), n.user) for n in project.notes),
            key=lambda n: n[0],
        ),
        "links": sorted(project.links, key=lambda lk: lk.guid),
        "sets": sorted(
            ((s.guid, s.name, sorted(s.codes), sorted(s.sources)) for s in project.sets),
            key=lambda s: s[0],
        ),
        "skipped": project.skipped,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_write_then_read_gives_the_same_project(project: XProject) -> None:
    data = export(project)  # validates against Project-mrt2019.xsd
    again = read_qdpx(data, "round-trip.qdpx")
    assert again.offset_unit == "code points"
    assert comparable(again) == comparable(project)
    for source in again.sources:
        for coding in source.codings:
            assert 0 <= coding.start < coding.end <= len(source.text)
