"""Creation times in REFI-QDA files: xsd:dateTime as tools write it, read the same whether the
quick path (``fromisoformat`` as is) or the lenient one (stripped, fraction cut to 6) reads it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.exchange.refi_xml import parse_datetime


def lenient(raw: str) -> dt.datetime | None:
    """The reading before the quick path: stripped, more than 6 fractional digits cut."""
    try:
        return dt.datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", raw.strip()))
    except ValueError:
        return None


def exactly(when: dt.datetime | None) -> object:
    """Equal only if the same wall time, fraction and offset (== alone compares instants)."""
    return None if when is None else (when.replace(tzinfo=None), when.utcoffset())


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01T10:15:00Z",
        "2024-03-01T10:15:00.1234567Z",  # .NET: 7 digits
        "2024-03-01T10:15:00.1234567+01:00",
        "2024-03-01T10:15:00.123456789-05:30",
        "2024-03-01T10:15:00.12+00:00",
        "2024-03-01 10:15:00",
        " 2024-03-01T10:15:00Z\n",
        "2024-03-01",
        "yesterday",
        "2024-13-01T00:00:00",
    ],
)
def test_tools_datetimes(raw: str) -> None:
    assert exactly(parse_datetime(raw)) == exactly(lenient(raw))


@given(st.datetimes(timezones=st.none() | st.timezones()), st.integers(0, 9))
def test_any_written_datetime_reads_back_as_before(when: dt.datetime, extra: int) -> None:
    raw = when.isoformat(timespec="microseconds") if extra else when.isoformat()
    raw = raw[:26] + "7" * extra + raw[26:] if extra and len(raw) >= 26 else raw
    assert exactly(parse_datetime(raw)) == exactly(lenient(raw))
