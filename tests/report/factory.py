"""ReportData built by hand, for testing the pure parts of the report without a study."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from thematica.analysis.quantifiers import describe
from thematica.analysis.reports import CountsReport, NodeCount, SaturationReport
from thematica.analysis.saturation import francis, guest
from thematica.domain import (
    AttributeDef,
    AttributeType,
    AttributeValue,
    CodePath,
    Level,
    Link,
    Participant,
    ThemeNode,
)
from thematica.report.data import ReportData, Segment

CODE: CodePath = ("Role", "Out of my depth")
AGAINST: CodePath = ("Role", "Stick to the body")


def people(n: int, groups: Sequence[str] = ("A",)) -> tuple[Participant, ...]:
    return tuple(Participant(f"P{i}", groups[(i - 1) % len(groups)]) for i in range(1, n + 1))


def count(
    path: CodePath, supporters: Sequence[str], labels: Sequence[str], divergent: Sequence[str] = ()
) -> NodeCount:
    k, n = len(supporters), len(labels)
    return NodeCount(
        "theme",
        path,
        len(path),
        k,
        k,
        n,
        describe(k, n),
        tuple(supporters),
        tuple(label for label in labels if label not in supporters),
        tuple(divergent),
        (),
    )


def data(
    participants: Sequence[Participant] = (),
    attributes: Sequence[AttributeDef] = (),
    segments: Sequence[Segment] = (),
    supporters: Sequence[str] = (),
    divergent: Sequence[str] = (),
    exemplars: int = 3,
) -> ReportData:
    """Ten participants by default; one overarching theme > theme > sub-theme coded with CODE,
    with AGAINST marked divergent for the sub-theme."""
    participants = tuple(participants) or people(10)
    labels = [p.label for p in participants]
    over, theme, sub = ("Over",), ("Over", "Theme"), ("Over", "Theme", "Sub")
    nodes = (
        ThemeNode(1, over, "", (), (), (2,)),
        ThemeNode(2, theme, "A theme.", (), (), (3,)),
        ThemeNode(3, sub, "Mental health feels outside the remit", (CODE,), (AGAINST,), ()),
    )
    counts = CountsReport(
        Level.TWO,
        (),
        len(labels),
        tuple(labels),
        None,
        (),
        tuple(count(path, supporters, labels, divergent) for path in (over, theme, sub)),
        (),
        (),
    )
    saturation = SaturationReport(
        Level.TWO, (), "interview date", (), (), guest([]), francis([]), ()
    )
    return ReportData(
        title="A study",
        research_question="How?",
        approach="reflexive",
        team=(),
        attributes=tuple(attributes),
        participants=participants,
        registered=len(participants),
        transcripts=(),
        counts=counts,
        saturation=saturation,
        nodes=nodes,
        links=(),
        segments=tuple(segments),
        exemplars=exemplars,
    )


def with_values(participant: Participant, **values: AttributeValue) -> Participant:
    return replace(participant, attributes=dict(values))


def defs(**types: AttributeType) -> tuple[AttributeDef, ...]:
    return tuple(AttributeDef(name, kind) for name, kind in types.items())


def big_framework(
    overarching: int = 3, themes: int = 4, subs: int = 5, links: int = 12, seed: int = 7
) -> ReportData:
    """A large framework for the theme map: ``overarching`` x ``themes`` x ``subs`` nodes with
    realistic names and ``links`` named interlinks between sub-themes (fixed seed)."""
    import random

    rng = random.Random(seed)
    words = [
        "pain",
        "mood",
        "time",
        "trust",
        "role",
        "referral",
        "group",
        "goals",
        "stigma",
        "waiting",
        "remit",
        "family",
        "work",
        "sleep",
        "confidence",
        "training",
        "pathway",
        "fear",
        "hope",
        "movement",
    ]
    base = data()
    labels = [p.label for p in base.participants]
    nodes: list[ThemeNode] = []
    counts: list[NodeCount] = []
    next_id = 1

    def add(path: CodePath) -> int:
        nonlocal next_id
        nodes.append(ThemeNode(next_id, path, "", (), (), ()))
        counts.append(count(path, rng.sample(labels, rng.randint(1, len(labels))), labels))
        next_id += 1
        return next_id - 1

    leaves: list[CodePath] = []
    for o in range(overarching):
        over = (f"Overarching {o + 1}: {' and '.join(rng.sample(words, 2))}",)
        add(over)
        for t in range(themes):
            theme = (*over, f"Theme {o + 1}.{t + 1} {rng.choice(words)}")
            add(theme)
            for s in range(subs):
                leaf = (*theme, f"{rng.choice(words).capitalize()} {rng.choice(words)} {s + 1}")
                add(leaf)
                leaves.append(leaf)
    chosen: set[tuple[CodePath, CodePath]] = set()
    while len(chosen) < links:
        a, b = rng.sample(leaves, 2)
        chosen.add((a, b))
    verbs = ("feeds", "blocks", "turns back", "makes possible", "leaves clinicians holding")
    link_rows = tuple(
        Link(i + 1, a, b, rng.choice(verbs)) for i, (a, b) in enumerate(sorted(chosen))
    )
    return replace(
        base,
        nodes=tuple(nodes),
        links=link_rows,
        counts=replace(base.counts, themes=tuple(counts)),
    )
