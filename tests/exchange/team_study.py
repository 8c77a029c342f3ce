"""A finished team study as another tool would export it (issue 12), built by test code.

Three users: two coders (Ann, Ben) and "Consensus", who holds the agreed coding. The code tree's
upper levels are overarching themes > themes > sub-themes, never coded directly; its leaves are
the codes. REFI-QDA links join theme codes. Cases carry a Date variable ``interview_date``
(interviews are not in date order in the file), a ``profession`` and an ``age``. A memo sits on
the theme code "Managing" and another on P1's source.

``DESIGN`` is who coded which leaf in which participant's interview; ``EXPECTED_LEVEL_TWO`` the
n/N of every theme node from the Consensus coding, worked out by hand from it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

from thematica.domain import AttributeType
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XLink,
    XNote,
    XProject,
    XSource,
    XUser,
    XVariable,
)
from thematica.exchange.refi import write_qdpx


def gid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "team-study:" + ":".join(map(str, parts))))


USERS = ("Ann", "Ben", "Consensus")
# theme codes: path -> description (never coded directly)
THEMES = {
    ("Living with pain",): "Overarching: how pain shapes daily life.",
    ("Living with pain", "Managing"): "Theme: what people do about it.",
    ("Living with pain", "Managing", "Pacing"): "Sub-theme: spreading activity out.",
    ("Living with pain", "Impact"): "Theme: what pain takes away.",
    ("Care",): "Overarching: the care people get.",
    ("Care", "Trust"): "Theme: trust in clinicians.",
}
LEAVES = {
    "Pacing activity": ("Living with pain", "Managing", "Pacing"),
    "Rest breaks": ("Living with pain", "Managing", "Pacing"),
    "Medication": ("Living with pain", "Managing"),
    "Work loss": ("Living with pain", "Impact"),
    "Mood": ("Living with pain", "Impact"),
    "Listening": ("Care", "Trust"),
    "Continuity": ("Care", "Trust"),
}
DESIGN: dict[str, dict[str, set[int]]] = {
    "Pacing activity": {"Consensus": {1, 2}, "Ann": {1, 2}, "Ben": {1}},
    "Rest breaks": {"Consensus": {2, 3}, "Ann": {2}, "Ben": {2, 3}},
    "Medication": {"Consensus": {4}, "Ann": {4}, "Ben": {4}},
    "Work loss": {"Consensus": {1, 5}, "Ann": {1, 5}, "Ben": {5}},
    "Mood": {"Consensus": {6}, "Ann": {6}, "Ben": {2, 6}},
    "Listening": {"Consensus": {3, 4}, "Ann": {3}, "Ben": {4}},
    "Continuity": {"Ann": {5}},  # never agreed: level one only
}
LINKS = (
    (("Living with pain", "Managing"), ("Living with pain", "Impact"), "eases"),
    (("Care", "Trust"), ("Living with pain", "Managing"), "supports"),
)
PEOPLE = {  # participant -> (interview date, profession, age)
    1: (dt.date(2024, 2, 3), "Physiotherapist", 34),
    2: (dt.date(2024, 1, 12), "Physiotherapist", 41),
    3: (dt.date(2024, 3, 1), "Nurse", 29),
    4: (dt.date(2024, 1, 5), "Nurse", 52),
    5: (dt.date(2024, 3, 9), "Physiotherapist", 45),
    6: (dt.date(2024, 2, 1), "Nurse", 38),
}
DATE_ORDER = ("P4", "P2", "P6", "P1", "P3", "P5")
N = 6
EXPECTED_LEVEL_TWO = {  # theme path -> n (of N = 6), from Consensus
    ("Living with pain",): 6,
    ("Living with pain", "Managing"): 4,
    ("Living with pain", "Managing", "Pacing"): 3,
    ("Living with pain", "Impact"): 3,
    ("Care",): 2,
    ("Care", "Trust"): 2,
}
EXPECTED_LEVEL_ONE = {  # any coder at level one: Ann and Ben (Consensus's codings moved up)
    ("Living with pain",): 6,
    ("Living with pain", "Managing"): 4,
    ("Living with pain", "Managing", "Pacing"): 3,
    ("Living with pain", "Impact"): 4,
    ("Care",): 3,
    ("Care", "Trust"): 3,
}


def _code_guid(path: tuple[str, ...]) -> str:
    return gid("code", *path)


def project() -> XProject:
    users = tuple(XUser(gid("user", u), u) for u in USERS)
    codes = [
        XCode(_code_guid(path), path[-1], _code_guid(path[:-1]) if len(path) > 1 else None, desc)
        for path, desc in THEMES.items()
    ]
    codes += [
        XCode(_code_guid((*parent, leaf)), leaf, _code_guid(parent), f"Code: {leaf.lower()}.")
        for leaf, parent in LEAVES.items()
    ]
    sources = []
    for p in PEOPLE:
        text_parts: list[str] = []
        codings: list[XCoding] = []
        pos = 0
        for leaf, by_user in DESIGN.items():
            if not any(p in who for who in by_user.values()):
                continue
            paragraph = f"On {leaf.lower()}, participant {p} said a good deal about it."
            start, end = pos, pos + len(paragraph)
            for user, who in by_user.items():
                if p in who:
                    shift = 3 if user == "Ben" else 0  # Ben's selections start a little later
                    codings.append(
                        XCoding(
                            gid("coding", p, leaf, user),
                            start + shift,
                            end,
                            _code_guid((*LEAVES[leaf], leaf)),
                            gid("user", user),
                        )
                    )
            text_parts.append(paragraph)
            pos = end + 2
        sources.append(
            XSource(gid("source", p), f"Interview P{p}", "\n\n".join(text_parts), tuple(codings))
        )
    variables = (
        XVariable(gid("var", "interview_date"), "interview_date", AttributeType.DATE),
        XVariable(gid("var", "profession"), "profession", AttributeType.TEXT),
        XVariable(gid("var", "age"), "age", AttributeType.INTEGER),
    )
    cases = tuple(
        XCase(
            gid("case", p),
            f"P{p}",
            "",
            {"interview_date": when, "profession": job, "age": age},
            (gid("source", p),),
        )
        for p, (when, job, age) in PEOPLE.items()
    )
    links = tuple(
        XLink(gid("link", i), label, _code_guid(a), _code_guid(b), "OneWay")
        for i, (a, b, label) in enumerate(LINKS)
    )
    notes = (
        XNote(
            gid("note", "managing"),
            "Memo",
            "Managing came up in every interview.",
            (_code_guid(("Living with pain", "Managing")),),
            gid("user", "Ann"),
        ),
        XNote(
            gid("note", "p1"),
            "Memo",
            "A long interview.",
            (gid("source", 1),),
            gid("user", "Ben"),
        ),
    )
    return XProject(
        "Team study",
        "Test tool",
        users,
        tuple(codes),
        variables,
        cases,
        tuple(sources),
        notes,
        links,
    )


def qdpx_bytes() -> bytes:
    buffer = io.BytesIO()
    write_qdpx(project(), buffer)
    return buffer.getvalue()
