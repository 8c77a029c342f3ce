"""Codings from CSV/XLSX: who coded which span of which transcript with which code.

Columns: ``transcript`` (number, participant label or file name), ``coder`` (a team member),
``code`` (a code path), and either ``start``/``end`` (code points, end exclusive) or ``quote``
(exact text, located in the transcript; add ``occurrence`` = 1, 2, ... when it appears more than
once). Optional: ``memo``.
"""

from __future__ import annotations

from thematica.domain import CodingSpec, parse_path
from thematica.errors import InputError
from thematica.importers.guard import guarded
from thematica.importers.limits import check_depth, shorten
from thematica.importers.table import read_records


def _int(raw: str, source: str, where: str, field: str) -> int | None:
    if raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InputError(source, f"{field} {shorten(raw)} is not a whole number", where) from None
    if value < 0:
        raise InputError(source, f"{field} {value} is negative", where)
    return value


@guarded
def read_codings(data: bytes, source: str) -> tuple[CodingSpec, ...]:
    specs = []
    for number, rec in read_records(
        data, source, required={"transcript", "coder", "code"}, kind="codings file"
    ):
        where = f"row {number}"
        for field in ("transcript", "coder", "code"):
            if not rec[field]:
                raise InputError(source, f"the {field!r} value is empty", where)
        code = parse_path(rec["code"])
        if not code:
            raise InputError(source, f"{shorten(rec['code'])} is not a code path", where)
        check_depth(len(code), source, where)
        start = _int(rec.get("start", ""), source, where, "start")
        end = _int(rec.get("end", ""), source, where, "end")
        quote = rec.get("quote") or None
        if (start is None) != (end is None):
            raise InputError(source, "give both start and end, or neither", where)
        if start is None and quote is None:
            raise InputError(source, "give start and end, or a quote", where)
        if start is not None and quote is not None:
            raise InputError(source, "give start and end, or a quote, not both", where)
        if start is not None and end is not None and end <= start:
            raise InputError(source, f"end {end} is not after start {start}", where)
        occurrence = _int(rec.get("occurrence", ""), source, where, "occurrence")
        if occurrence == 0:
            raise InputError(source, "occurrence counts from 1", where)
        specs.append(
            CodingSpec(
                row=number,
                transcript=rec["transcript"],
                coder=rec["coder"],
                code=code,
                start=start,
                end=end,
                quote=quote,
                occurrence=occurrence,
                memo=rec.get("memo") or None,
            )
        )
    if not specs:
        raise InputError(source, "the codings file has a header but no codings")
    return tuple(specs)
