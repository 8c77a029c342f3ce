"""The participant register from CSV or XLSX, with typed attribute columns.

Columns: ``label`` (optional: generated per group when absent or blank), ``group`` (required),
and any number of attributes. A column's type is given in its header as ``age:integer`` or
inferred from its values: integer, float, boolean (yes/no, true/false, y/n), date (ISO
``2026-03-02`` or ``02/03/2026`` day first) or text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from thematica.domain import AttributeDef, AttributeType, AttributeValue, Participant, Register
from thematica.errors import InputError
from thematica.importers.guard import guarded
from thematica.importers.table import read_rows

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_RESERVED = {"label", "group"}


def parse_integer(raw: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise ValueError(raw)
    return int(raw)


def parse_float(raw: str) -> float:
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return value


def parse_boolean(raw: str) -> bool:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(raw)


def parse_date(raw: str) -> dt.date:
    match = _DMY.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", raw) else raw)


PARSERS: Mapping[AttributeType, Callable[[str], AttributeValue]] = {
    AttributeType.TEXT: str,
    AttributeType.INTEGER: parse_integer,
    AttributeType.FLOAT: parse_float,
    AttributeType.BOOLEAN: parse_boolean,
    AttributeType.DATE: parse_date,
}
EXPECTED: Mapping[AttributeType, str] = {
    AttributeType.TEXT: "text",
    AttributeType.INTEGER: "a whole number",
    AttributeType.FLOAT: "a number",
    AttributeType.BOOLEAN: "yes or no",
    AttributeType.DATE: "a date (2026-03-14 or 14/03/2026)",
}
_INFERENCE_ORDER = (
    AttributeType.INTEGER,
    AttributeType.FLOAT,
    AttributeType.BOOLEAN,
    AttributeType.DATE,
)


def infer_type(values: Sequence[str]) -> AttributeType:
    """The narrowest type every non-empty value parses as (text if none fits)."""
    present = [v for v in values if v != ""]
    if not present:
        return AttributeType.TEXT
    for candidate in _INFERENCE_ORDER:
        parse = PARSERS[candidate]
        try:
            for value in present:
                parse(value)
        except ValueError:
            continue
        # "0"/"1" columns are integers, not booleans; booleans need a word.
        if candidate is AttributeType.BOOLEAN and all(v in ("0", "1") for v in present):
            continue
        return candidate
    return AttributeType.TEXT


def _header(raw: Sequence[str], source: str) -> list[tuple[str, AttributeType | None]]:
    columns: list[tuple[str, AttributeType | None]] = []
    seen: set[str] = set()
    for number, cell in enumerate(raw, start=1):
        name, _, type_name = cell.strip().partition(":")
        name = name.strip()
        if not name:
            raise InputError(source, f"column {number} has no name", "header")
        key = name.lower()
        if key in seen:
            raise InputError(source, f"column {name!r} appears twice", "header")
        seen.add(key)
        declared: AttributeType | None = None
        if type_name.strip():
            try:
                declared = AttributeType(type_name.strip().lower())
            except ValueError:
                allowed = ", ".join(t.value for t in AttributeType)
                raise InputError(
                    source, f"column {name!r}: unknown type {type_name!r} (use {allowed})", "header"
                ) from None
        columns.append((key if key in _RESERVED else name, declared))
    if "group" not in {c for c, _ in columns}:
        raise InputError(
            source, "the register needs a 'group' column (e.g. Physiotherapist)", "header"
        )
    return columns


@guarded
def read_register(data: bytes, source: str) -> Register:
    """Parse a participant register. Labels left blank stay blank here; see :func:`assign_labels`."""
    rows = read_rows(data, source, kind="register")
    columns = _header(rows[0], source)
    body = rows[1:]
    if not body:
        raise InputError(source, "the register has a header but no participants")
    for number, row in enumerate(body, start=2):
        if len(row) > len(columns) and any(c.strip() for c in row[len(columns) :]):
            raise InputError(
                source,
                f"has {len(row)} values but the header has {len(columns)} columns",
                f"row {number}",
            )
    cells = [
        [(row[i].strip() if i < len(row) else "") for i in range(len(columns))] for row in body
    ]

    defs: list[AttributeDef] = []
    for index, (name, declared) in enumerate(columns):
        if name in _RESERVED:
            continue
        defs.append(AttributeDef(name, declared or infer_type([r[index] for r in cells])))
    index_of = {name: i for i, (name, _) in enumerate(columns)}

    participants: list[Participant] = []
    labels: set[str] = set()
    for number, row in enumerate(cells, start=2):
        group = row[index_of["group"]]
        if not group:
            raise InputError(source, "the 'group' value is empty", f"row {number}")
        label = row[index_of["label"]] if "label" in index_of else ""
        if label and label.casefold() in labels:
            raise InputError(source, f"the label {label!r} is used twice", f"row {number}")
        labels.add(label.casefold())
        values: dict[str, AttributeValue] = {}
        for adef in defs:
            raw = row[index_of[adef.name]]
            if raw == "":
                values[adef.name] = None
                continue
            try:
                values[adef.name] = PARSERS[adef.type](raw)
            except ValueError:
                raise InputError(
                    source,
                    f"column {adef.name!r}: {raw!r} is not {EXPECTED[adef.type]}",
                    f"row {number}",
                ) from None
        participants.append(Participant(label, group, values))
    return Register(tuple(defs), tuple(participants))


def assign_labels(
    participants: Sequence[Participant],
    existing_labels: Sequence[str] = (),
    prefixes: Mapping[str, str] | None = None,
) -> tuple[Participant, ...]:
    """Give every participant without a label one of the form "<prefix> <n>", numbered per group
    in file order after the highest number the study already uses for that prefix.

    ``prefixes`` maps a group to its label prefix ("Physiotherapist" -> "Physio"); by default the
    group name itself is the prefix.
    """
    prefixes = dict(prefixes or {})
    taken = {label.casefold() for label in existing_labels}
    taken.update(p.label.casefold() for p in participants if p.label)
    highest: dict[str, int] = {}
    for label in [*existing_labels, *(p.label for p in participants)]:
        match = re.match(r"^(.*\S)\s+(\d+)$", label)
        if match:
            key = match.group(1).casefold()
            highest[key] = max(highest.get(key, 0), int(match.group(2)))
    out: list[Participant] = []
    for p in participants:
        if p.label:
            out.append(p)
            continue
        prefix = prefixes.get(p.group, p.group)
        n = highest.get(prefix.casefold(), 0) + 1
        while f"{prefix} {n}".casefold() in taken:
            n += 1
        highest[prefix.casefold()] = n
        label = f"{prefix} {n}"
        taken.add(label.casefold())
        out.append(Participant(label, p.group, p.attributes))
    return tuple(out)
