"""The pure parts of the report, on ReportData built by hand: Table 1's statistics, the quote
bank's exemplars, the findings draft and the theme map's wrapping."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from tests.report.factory import AGAINST, CODE, data, defs, people, with_values
from thematica.domain import AttributeType
from thematica.errors import ThematicaError
from thematica.report.characteristics import percent, table1
from thematica.report.data import Segment
from thematica.report.findings import findings
from thematica.report.model import Heading, Paragraph, Table
from thematica.report.quotes import pick, quote, quote_bank
from thematica.report.theme_map import wrap
from thematica.report.writing import check_formats


def rows(table: Table) -> dict[str, tuple[str, ...]]:
    return {r.cells[0]: r.cells for r in table.rows}


def test_table1_sd_is_the_sample_sd_and_undefined_for_one_value() -> None:
    group = people(4, ("A", "A", "A", "B"))
    ages = [30, 41, 52, 60]
    participants = tuple(with_values(p, age=a) for p, a in zip(group, ages, strict=True))
    table = table1(data(participants, defs(age=AttributeType.INTEGER)))
    assert table.columns == ("Characteristic", "A (n = 3)", "B (n = 1)", "Overall (n = 4)")
    age = rows(table)["age, mean (SD)"]
    assert age[1] == f"{statistics.mean(ages[:3]):.1f} ({statistics.stdev(ages[:3]):.1f})"
    assert age[2] == "60.0 (–)"
    assert age[3] == f"{statistics.mean(ages):.1f} ({statistics.stdev(ages):.1f})"
    assert rows(table)["range"] == ("range", "30–52", "60", "30–60")


def test_table1_floats_dates_booleans_text_and_missing() -> None:
    group = people(3)
    values = [
        {"score": 1.25, "start": dt.date(2020, 5, 1), "trained": True, "site": "Ward"},
        {"score": 2.5, "start": dt.date(2019, 1, 9), "trained": False, "site": "Clinic"},
        {"score": None, "start": None, "trained": True, "site": "Ward"},
    ]
    participants = tuple(with_values(p, **v) for p, v in zip(group, values, strict=True))
    kinds = defs(
        score=AttributeType.FLOAT,
        start=AttributeType.DATE,
        trained=AttributeType.BOOLEAN,
        site=AttributeType.TEXT,
    )
    table = table1(data(participants, kinds))
    assert table.columns == ("Characteristic", "Overall (n = 3)")  # one group: no group columns
    labels = [r.cells for r in table.rows]
    assert ("score, mean (SD)", "1.9 (0.9)") in labels
    assert ("range", "1.25–2.5") in labels
    assert ("start, range", "2019-01-09–2020-05-01") in labels
    assert labels.count(("missing, n", "1")) == 2
    trained = [r.cells[0] for r in table.rows].index("trained, n (%)")
    assert labels[trained + 1 : trained + 3] == [("yes", "2 (67%)"), ("no", "1 (33%)")]
    site = [r.cells[0] for r in table.rows].index("site, n (%)")
    assert labels[site + 1] == ("Ward", "2 (67%)")  # most frequent first


def test_percent_rounds_half_up() -> None:
    assert percent(1, 8) == "1 (13%)"  # 12.5
    assert percent(3, 8) == "3 (38%)"  # 37.5
    assert percent(0, 5) == "0 (0%)"
    assert percent(0, 0) == "–"


def segment(
    who: str, text: str, memo: str | None = None, code: tuple[str, ...] = CODE, at: int = 0
) -> Segment:
    return Segment(who, text, code, memo, "coder", int(who[1:]), at)


def test_exemplars_marked_in_a_memo_come_first_then_longest_from_other_people() -> None:
    segments = [
        segment("P1", "a much longer segment from the first participant", at=1),
        segment("P1", "another long segment from the same first participant", at=2),
        segment("P2", "short", memo="EXEMPLAR: vivid"),
        segment("P3", "medium length words"),
        segment("P4", "tiny"),
    ]
    chosen = pick(segments, 3)
    assert [s.participant for s in chosen] == ["P2", "P1", "P3"]
    assert chosen[1].text.startswith("another")  # P1's longest, and only one from P1
    assert pick(segments, 3, exclude=[segments[1]])[1] == segments[0]


def test_quote_format() -> None:
    assert quote(segment("P4", "It goes\n round  and round.")) == "“It goes round and round.” — P4"


def test_quote_bank_lists_every_segment_under_each_node() -> None:
    segments = [segment(f"P{i}", f"words from {i} " * i) for i in range(1, 10)]
    against = segment("P10", "stick to the body", code=AGAINST)
    bank = quote_bank(
        data(segments=[*segments, against], supporters=[f"P{i}" for i in range(1, 10)])
    )
    assert [e.path[-1] for e in bank] == ["Over", "Theme", "Sub"]
    for entry in bank:
        assert sorted(entry.segments, key=lambda s: s.participant) == sorted(
            segments, key=lambda s: s.participant
        )
        assert [s.participant for s in entry.exemplars] == ["P9", "P8", "P7"]
        assert entry.divergent == (against,)


def test_findings_draft_counts_in_words_and_numbers_and_names_divergent_cases() -> None:
    segments = [segment(f"P{i}", f"words from {i} " * i) for i in range(1, 10)]
    against = segment("P10", "Let us be physios, stick to the body.", code=AGAINST)
    blocks = findings(
        data(
            segments=[*segments, against],
            supporters=[f"P{i}" for i in range(1, 10)],
            divergent=["P10"],
        )
    )
    assert isinstance(blocks[0], Heading) and "draft" in blocks[0].text
    assert isinstance(blocks[1], Paragraph) and blocks[1].style == "draft"
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    sub = next(t for t in texts if t.startswith("Sub-theme."))
    assert (
        "All but one participant (9/10) described “Sub”: mental health feels outside the remit."
        in sub
    )
    assert "Not raised by P10." in sub
    assert "Divergent case: P10 (1/10) diverged from it." in texts
    assert "“Let us be physios, stick to the body.” — P10" in texts
    quotes = [b.text for b in blocks if isinstance(b, Paragraph) and b.style == "quote"]
    assert len(quotes) == len(set(quotes))  # nothing quoted twice
    assert sum(1 for q in quotes if q.endswith("P10")) == 1
    theme = texts.index(next(t for t in texts if t.startswith("Theme.")))
    assert "(quoted under “Sub”)" in texts[theme + 4]


def test_wrap_is_balanced() -> None:
    assert wrap("Winding each other up", 20) == ["Winding each", "other up"]
    assert wrap("Short", 20) == ["Short"]
    assert wrap("Supercalifragilistic words", 5) == ["Supercalifragilistic", "words"]


def test_formats_are_checked_and_ordered() -> None:
    assert check_formats(["xlsx", " DOCX ", "md"]) == ("docx", "md", "xlsx")
    with pytest.raises(ThematicaError, match="unknown report format 'pdf'"):
        check_formats(["pdf"])
