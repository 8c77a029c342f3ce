"""A recruitment log's candidates from a CSV or XLSX file (``thematica recruitment import``).

Columns: ``id`` (required: a pseudonymous id such as C07), ``group``, ``source``, ``approach``
(how they were approached) and ``approached`` (YYYY-MM-DD). Contact details never go in this
file: they stay in the key file."""

from __future__ import annotations

import datetime as dt

from thematica.errors import InputError
from thematica.importers.guard import guarded
from thematica.importers.table import read_records
from thematica.service.recruitment_types import NewCandidate

COLUMNS = {"id", "group", "source", "approach", "approached"}


@guarded
def read_candidates(data: bytes, source: str) -> tuple[NewCandidate, ...]:
    records = read_records(data, source, required={"id"}, kind="candidate list")
    out = []
    for number, record in records:
        unknown = sorted({k for k in record if k} - COLUMNS)
        if unknown:
            raise InputError(
                source,
                f"unknown column {unknown[0]!r} (columns: {', '.join(sorted(COLUMNS))}); "
                "contact details stay in the key file",
                "header",
            )
        if not record.get("id"):
            raise InputError(source, "the candidate id is empty", f"row {number}")
        approached = None
        if record.get("approached"):
            try:
                approached = dt.date.fromisoformat(record["approached"])
            except ValueError:
                raise InputError(
                    source,
                    f"'approached' is {record['approached']!r}, not a date (YYYY-MM-DD)",
                    f"row {number}",
                ) from None
        out.append(
            NewCandidate(
                ref=record["id"],
                group=record.get("group", ""),
                source=record.get("source", ""),
                approach=record.get("approach", ""),
                approached_on=approached,
            )
        )
    return tuple(out)
