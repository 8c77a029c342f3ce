"""Table 1: participant characteristics by group.

Numbers (integer and float attributes): mean (SD) and range; the SD is the sample SD (n - 1),
shown as "–" when fewer than two values are known. Categories (text and boolean attributes):
n (%) of the group, percentages rounded half up. Dates: the range. Missing values are counted
on their own row and left out of means and ranges.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence

from thematica.domain import AttributeDef, AttributeType, AttributeValue, Participant
from thematica.report.data import ReportData
from thematica.report.model import DASH, Row, Table

NO_GROUP = "(no group)"


def attribute_label(name: str) -> str:
    return name.replace("_", " ")


def groups_of(participants: Sequence[Participant]) -> tuple[str, ...]:
    """Group names in order of first appearance in the register."""
    return tuple(dict.fromkeys(p.group or NO_GROUP for p in participants))


def percent(k: int, n: int) -> str:
    """``k (p%)``, p rounded half up to a whole number."""
    return f"{k} ({(200 * k + n) // (2 * n)}%)" if n else DASH


def number(value: float) -> str:
    """A value as recorded: 42, 1.25 (floats to 6 significant digits)."""
    return str(value) if isinstance(value, int) else f"{value:g}"


def mean_sd(values: Sequence[float]) -> str:
    if not values:
        return DASH
    mean = statistics.fmean(values)
    sd = f"{statistics.stdev(values):.1f}" if len(values) > 1 else DASH
    return f"{mean:.1f} ({sd})"


def value_range(values: Sequence[float]) -> str:
    if not values:
        return DASH
    low, high = min(values), max(values)
    return number(low) if low == high else f"{number(low)}{DASH}{number(high)}"


def date_range(values: Sequence[dt.date]) -> str:
    if not values:
        return DASH
    low, high = min(values), max(values)
    return low.isoformat() if low == high else f"{low.isoformat()}{DASH}{high.isoformat()}"


def category(value: AttributeValue) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _numbers(people: Sequence[Participant], name: str) -> list[float]:
    return [
        v
        for p in people
        if isinstance(v := p.attributes.get(name), int | float) and not isinstance(v, bool)
    ]


def _dates(people: Sequence[Participant], name: str) -> list[dt.date]:
    return [v for p in people if isinstance(v := p.attributes.get(name), dt.date)]


def _missing(people: Sequence[Participant], name: str) -> int:
    return sum(1 for p in people if category(p.attributes.get(name)) is None)


def _attribute_rows(attribute: AttributeDef, columns: Sequence[Sequence[Participant]]) -> list[Row]:
    name, label = attribute.name, attribute_label(attribute.name)
    rows: list[Row] = []
    if attribute.type in (AttributeType.INTEGER, AttributeType.FLOAT):
        rows.append(Row((f"{label}, mean (SD)", *(mean_sd(_numbers(c, name)) for c in columns))))
        rows.append(Row(("range", *(value_range(_numbers(c, name)) for c in columns)), indent=1))
    elif attribute.type is AttributeType.DATE:
        rows.append(Row((f"{label}, range", *(date_range(_dates(c, name)) for c in columns))))
    else:
        rows.append(Row((f"{label}, n (%)", *("" for _ in columns))))
        overall = Counter(
            v for p in columns[-1] if (v := category(p.attributes.get(name))) is not None
        )
        if attribute.type is AttributeType.BOOLEAN:
            values = [v for v in ("yes", "no") if v in overall]
        else:
            values = sorted(overall, key=lambda v: (-overall[v], v.casefold()))
        for value in values:
            cells = (
                percent(sum(1 for p in c if category(p.attributes.get(name)) == value), len(c))
                for c in columns
            )
            rows.append(Row((value, *cells), indent=1))
    if _missing(columns[-1], name):
        rows.append(Row(("missing, n", *(str(_missing(c, name)) for c in columns)), indent=1))
    return rows


def table1(data: ReportData) -> Table:
    """Participant characteristics by group, then overall (the last column)."""
    people = data.participants
    groups = groups_of(people)
    columns: list[tuple[str, list[Participant]]] = []
    if len(groups) > 1:
        columns = [(g, [p for p in people if (p.group or NO_GROUP) == g]) for g in groups]
    columns.append(("Overall", list(people)))
    rows = [Row(("Participants, n", *(str(len(c)) for _, c in columns)), bold=True)]
    for attribute in data.attributes:
        rows.extend(_attribute_rows(attribute, [c for _, c in columns]))
    return Table(
        key="table1",
        title="Table 1. Participant characteristics by group",
        columns=("Characteristic", *(f"{g} (n = {len(c)})" for g, c in columns)),
        rows=tuple(rows),
        notes=(
            "Mean (SD) and range for numbers, with the sample SD (n − 1); n (%) of the group "
            f"for categories. {DASH}: not defined (fewer than two values).",
        ),
        sheet="Table 1",
    )
