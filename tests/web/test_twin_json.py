"""``TwinJSON`` writes the same bytes as FastAPI's own path (``jsonable_encoder`` and then
``JSONResponse``): for every transcript twin of the demo, as each kind of member sees it, and
for each type the serialiser may leave in a twin."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in_client
from thematica.domain import Level, MemberRole
from thematica.service import StudyService
from thematica.web import context
from thematica.web.twin_json import TwinJSON


def fastapi_bytes(data: object) -> bytes:
    return bytes(JSONResponse(jsonable_encoder(data)).body)


@dataclasses.dataclass
class Point:
    at: dt.date
    role: MemberRole


class Colour(Enum):
    RED = 1


@pytest.mark.parametrize(
    "value",
    [
        {"when": dt.datetime(2026, 12, 5, 8, 1, 2, 345, tzinfo=dt.UTC), "day": dt.date(2026, 1, 2)},
        {"t": dt.time(9, 30), "level": Level.TWO, "role": MemberRole.READER, "c": Colour.RED},
        {"ids": {3}, "frozen": frozenset({"a"}), "tuple": (1, "é", None, 2.5)},
        {"point": Point(dt.date(2025, 3, 1), MemberRole.LEAD), "path": Path("/tmp/x")},
        {"whole": Decimal("12"), "part": Decimal("1.25"), 7: "int key", "nested": [{"x": []}]},
    ],
)
def test_each_type_as_fastapi_writes_it(value: object) -> None:
    assert bytes(TwinJSON(value).body) == fastapi_bytes(value)


def test_every_transcript_twin_of_the_demo(demo: Path) -> None:
    with StudyService.open(str(demo)) as study:
        refs = [str(t.id) for t in study.transcripts()]
        for name in ("Rachel Ames", "Tom Okafor", "Helen Marsh"):
            me = study.as_member(name)
            readable = me.readable_transcripts()
            for ref in refs:
                if readable is not None and int(ref) not in readable:
                    continue  # refused to them, as the route refuses it
                data = context.transcript(me, ref)
                assert bytes(TwinJSON(data).body) == fastapi_bytes(data), (name, ref)


def test_the_route_answers_with_it(client: TestClient) -> None:
    sign_in_client(client, "Tom Okafor")
    got = client.get("/api/transcripts/1")
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    assert got.json()["transcript"]["id"] == 1
    spec = client.get("/openapi.json").json()["paths"]["/api/transcripts/{ref}"]["get"]
    assert "application/json" in spec["responses"]["200"]["content"]
