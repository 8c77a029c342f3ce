"""Property: a random study survives export -> REFI-QDA -> import without loss.

A random :class:`XProject` (non-ASCII names, emoji, non-Latin scripts, decomposed accents, CRLF
line ends, nested codes at both levels, overlapping codings by several coders) becomes a first
study; that study is exported, written as a .qdpx, read back and imported as a second study, and
the two studies must hold the same participants, transcripts, codes and codings, as the service
API shows them.
"""

from __future__ import annotations

import io
import itertools
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thematica.domain import AttributeType, AttributeValue
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XProject,
    XSource,
    XTurn,
    XUser,
    XVariable,
)
from thematica.exchange.refi import read_qdpx, write_qdpx
from thematica.service import StudyService


def _composing_starters() -> frozenset[str]:
    """Characters of combining class 0 that NFC may still join to the character before them:
    the second halves of canonical pairs (some Indic vowel signs) and Hangul medial and final
    jamo (composed algorithmically, so not in the decomposition table)."""
    out = {chr(cp) for cp in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}
    for cp in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            out.add(chr(int(parts[1], 16)))
    return frozenset(c for c in out if unicodedata.combining(c) == 0)


COMPOSING_STARTERS = _composing_starters()


def starts_cleanly(ch: str) -> bool:
    """Whether NFC leaves alone the boundary before ``ch``: it decomposes to a starter that
    joins nothing before it. A text made of pieces that each begin so normalises piece by
    piece, so offsets at piece boundaries can be carried over exactly."""
    first = unicodedata.normalize("NFD", ch)[0]
    return unicodedata.combining(first) == 0 and first not in COMPOSING_STARTERS


# Pieces of text with what this test is about: emoji (astral, ZWJ sequences, skin tones,
# flags), non-Latin scripts, accents precomposed and decomposed (NFD), characters NFC replaces
# (OHM SIGN, ANGSTROM SIGN), conjoining Hangul jamo, and LF and CRLF line ends.
TOKENS = [
    "interview",
    " ",
    "  ",
    ", ",
    ". ",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "Zoë",
    "Zoe\u0308",
    "Cafe\u0301",
    "A\u030angstro\u0308m",
    "Tie\u0302\u0301ng Vie\u0323\u0302t",
    "Tiếng Việt",
    "\u2126",
    "\u212b",
    "😀",
    "👩\u200d💻",
    "👍🏽",
    "🇫🇷",
    "🧑🏾\u200d🤝\u200d🧑🏻",
    "日本語",
    "Привет",
    "Ελληνικά",
    "مرحبا",
    "שלום",
    "हिन्दी",
    "ไทย",
    "\u1112\u1161\u11ab\u1100\u1173\u11af",  # 한글 as conjoining jamo: NFC composes it
]
CHARACTER = st.characters(categories=("L", "N", "P", "S", "Zs")).filter(starts_cleanly)
WORD = st.text(CHARACTER, min_size=1, max_size=6)
PIECE = st.one_of(
    st.sampled_from(TOKENS),
    st.sampled_from(["\r\n", "\r\n\r\n", "\n", "😀", "e\u0301"]),  # the hard cases, often
    WORD,
    WORD.map(lambda w: unicodedata.normalize("NFD", w)),
)
# Free text that Thematica keeps exactly as given (descriptions, memos, attribute values): CRLF
# and NFD stay, and so must a last line that looks like Thematica's own ``thematica:`` data.
FREE_TEXT = st.lists(
    st.one_of(PIECE, st.sampled_from(["thematica:", '\nthematica:{"level":2}'])), max_size=6
).map("".join)
NAME_CHARACTER = st.one_of(
    st.characters(categories=("L", "N")), st.sampled_from(["😀", "é", "ß", "ø", "ж", "ع", "日"])
)
NAME = st.lists(st.text(NAME_CHARACTER, min_size=1, max_size=8), min_size=1, max_size=3).map(
    " ".join
)
COLOUR = st.one_of(st.none(), st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"))
ROLE = st.sampled_from(["interviewer", "participant", "other"])
VALUES: dict[AttributeType, st.SearchStrategy[Any]] = {
    AttributeType.TEXT: FREE_TEXT,
    AttributeType.INTEGER: st.integers(),
    AttributeType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    AttributeType.BOOLEAN: st.booleans(),
    AttributeType.DATE: st.dates(),
}


def unique(name: str, taken: set[str]) -> str:
    """``name``, made unique (case-insensitively, as Thematica compares names) among ``taken``."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name} {n}"
    taken.add(candidate.casefold())
    return candidate


@st.composite
def projects(draw: st.DrawFn) -> XProject:
    counter = iter(range(1, 100_000))

    def guid() -> str:
        return f"00000000-0000-4000-8000-{next(counter):012x}"

    users = [XUser(guid(), draw(NAME)) for _ in range(draw(st.integers(1, 3)))]

    # nested codes, at most three deep, at level 1 and at level 2 (a parent at its child's level)
    codes: list[XCode] = []
    depth: dict[str, int] = {}
    siblings: dict[tuple[str | None, int], set[str]] = defaultdict(set)
    for level in (1, 2):
        for _ in range(draw(st.integers(1, 5))):
            parents = [c.guid for c in codes if c.level == level and depth[c.guid] < 3]
            parent = draw(st.sampled_from([None, *parents]))
            code = XCode(
                guid(),
                unique(draw(NAME), siblings[(parent, level)]),
                parent,
                draw(FREE_TEXT),
                draw(COLOUR),
                level=level,
            )
            depth[code.guid] = 1 if parent is None else depth[parent] + 1
            codes.append(code)
    codes = draw(st.permutations(codes))  # children may come before their parents

    sources: list[XSource] = []
    for _ in range(draw(st.integers(1, 3))):
        pieces = draw(st.lists(PIECE, max_size=30))
        bounds = [0]
        for piece in pieces:
            bounds.append(bounds[-1] + len(piece))
        # every position below falls between pieces
        position = st.sampled_from(bounds)

        @st.composite
        def span(draw: st.DrawFn, bounds: list[int] = bounds) -> tuple[int, int]:
            i = draw(st.integers(0, len(bounds) - 2))
            return bounds[i], bounds[draw(st.integers(i + 1, len(bounds) - 1))]

        codings: list[XCoding] = []
        if pieces:
            shared = draw(st.lists(span(), min_size=1, max_size=4))
            for _ in range(draw(st.integers(0, 12))):
                # the same span coded by several coders, and spans that overlap
                start, end = draw(st.one_of(st.sampled_from(shared), span()))
                codings.append(
                    XCoding(
                        guid(),
                        start,
                        end,
                        draw(st.sampled_from([c.guid for c in codes])),
                        draw(st.sampled_from([u.guid for u in users])),
                        memo=draw(st.one_of(st.none(), FREE_TEXT)),
                    )
                )
        turns: list[XTurn] = []
        if draw(st.booleans()):
            cuts = sorted(set(draw(st.lists(position, max_size=3))) | {0, bounds[-1]})
            for start, end in itertools.pairwise(cuts):
                ms = draw(st.one_of(st.none(), st.integers(0, 10**8)))
                turns.append(
                    XTurn(draw(NAME), draw(ROLE), start, end, ms, None if ms is None else ms + 500)
                )
        sources.append(
            XSource(
                guid(),
                draw(NAME),
                "".join(pieces),
                tuple(codings),
                tuple(turns),
                draw(st.one_of(st.none(), st.dates())),
            )
        )

    taken = {"group"}  # a reserved name: the variable that carries a case's group
    variables = [XVariable(guid(), unique(draw(NAME), taken), kind) for kind in AttributeType]
    owner = [draw(st.sampled_from([None, 0, 1, 2])) for _ in sources]
    cases = []
    for number in range(draw(st.integers(1, 3))):
        values: dict[str, AttributeValue] = {}
        for variable in variables:
            value = draw(st.one_of(st.none(), VALUES[variable.type]))
            if value is not None:
                values[variable.name] = value
        cases.append(
            XCase(
                guid(),
                draw(NAME),
                draw(st.one_of(st.just(""), NAME)),
                values,
                tuple(s.guid for s, o in zip(sources, owner, strict=True) if o == number),
            )
        )

    return XProject(
        name=draw(NAME),
        users=tuple(users),
        codes=tuple(codes),
        variables=tuple(variables),
        cases=tuple(cases),
        sources=tuple(sources),
        description=draw(FREE_TEXT),
    )


def canonical(text: str) -> str:
    """Thematica's canonical transcript text: LF line ends, Unicode NFC."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def normalised(project: XProject) -> XProject:
    """``project`` with canonical texts, codings and turns moved to match.

    ``StudyService.create_from_project`` (``exchange.from_project``) stores a source's text as
    it is given: making it canonical is :func:`read_qdpx`'s job, for files. So the test
    normalises the random project's texts itself before building the first study.
    """
    sources = []
    for source in project.sources:
        text = canonical(source.text)

        def at(i: int, raw: str = source.text, text: str = text) -> int:
            head = canonical(raw[:i])
            assert head + canonical(raw[i:]) == text  # positions lie between pieces
            return len(head)

        sources.append(
            replace(
                source,
                text=text,
                codings=tuple(replace(c, start=at(c.start), end=at(c.end)) for c in source.codings),
                turns=tuple(replace(t, start=at(t.start), end=at(t.end)) for t in source.turns),
            )
        )
    return replace(project, sources=tuple(sources))


def picture(study: StudyService) -> dict[str, Callable[[], object]]:
    """The study as the service API shows it, part by part."""

    def transcripts() -> list[tuple[object, ...]]:
        return [
            (
                t.source_name,
                t.source_format,
                t.participant,
                t.interview_date,
                t.duration_ms,
                t.interviewer,
                t.text,
                t.turns,
            )
            for t in (study.transcript(str(s.id)) for s in study.transcripts())
        ]

    def codings() -> list[tuple[object, ...]]:
        summaries = study.transcripts()
        position = {t.id: i for i, t in enumerate(summaries)}
        names = {t.id: t.source_name for t in summaries}
        return sorted(
            (
                (
                    position[c.transcript_id],
                    names[c.transcript_id],
                    c.participant,
                    c.code,
                    c.level,
                    c.coder,
                    c.start,
                    c.end,
                    c.text,
                    c.memo,
                )
                for c in study.codings()
            ),
            key=repr,
        )

    def info() -> tuple[object, ...]:
        about = study.info()
        return about.title, about.research_question, about.approach

    return {
        "study": info,
        "team": study.team,
        "attributes": study.attribute_defs,
        "participants": study.participants,
        "transcripts": transcripts,
        "codes": lambda: [
            (c.path, c.level, c.description, c.colour, c.codings) for c in study.codes()
        ],
        "codings": codings,
    }


def assert_holds(study: StudyService, project: XProject) -> None:
    """The first study holds the whole (normalised) project: the comparison is not empty."""
    texts = [study.transcript(str(t.id)).text for t in study.transcripts()]
    assert texts == [s.text for s in project.sources]
    assert all(t == canonical(t) for t in texts)
    assert len(study.codings()) == sum(len(s.codings) for s in project.sources)
    assert len(study.codes()) == len(project.codes)
    assert len(study.participants()) == len(project.cases)
    assert len(study.attribute_defs()) == len(project.variables)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(projects())
def test_a_random_study_survives_export_and_import(project: XProject) -> None:
    first_project = normalised(project)
    with tempfile.TemporaryDirectory() as folder:
        first_location, second_location = (
            str(Path(folder) / "first.thematica"),
            str(Path(folder) / "second.thematica"),
        )
        with StudyService.create_from_project(first_location, first_project) as first:
            assert_holds(first, first_project)
            buffer = io.BytesIO()
            write_qdpx(first.export_project(), buffer)
            back = read_qdpx(buffer.getvalue(), "study.qdpx")
            with StudyService.create_from_project(second_location, back) as second:
                before, after = picture(first), picture(second)
                for part, show in before.items():
                    assert after[part]() == show(), part
