"""The version race: N editors send the same change carrying the same version at the same moment
(a barrier releases them together). Exactly one succeeds; every other one is told its version is
stale (409), or, for a removal, that the thing is gone. Each kind runs several rounds, on SQLite
and PostgreSQL, each editor with its own service (its own engine and connections); codings are
also raced through the workbench's HTTP API, served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn

from tests.service.test_analysis import A
from tests.service.versioned import ENERGY, KINDS, Kind, seeded_study  # noqa: F401 (fixture)
from thematica.errors import ConflictError, NotFoundError
from thematica.service import StudyService
from thematica.web.app import create_app

N = 8
ROUNDS = 3


def race(edit: Callable[[int], str]) -> list[str]:
    """Run ``edit(0)`` ... ``edit(N - 1)`` in N threads released at once; their outcomes."""
    barrier = threading.Barrier(N)
    outcomes = ["did not finish"] * N

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = edit(i)
        except Exception as exc:  # reported in the assertion, whatever it is
            outcomes[i] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)  # a guard against a hang, not a measurement
    return outcomes


def one_winner(outcomes: list[str], losers: set[str]) -> bool:
    return outcomes.count("ok") == 1 and set(outcomes) - {"ok"} <= losers


@pytest.fixture(scope="module")
def editors(seeded: StudyService) -> Iterator[list[StudyService]]:
    """N editors of the seeded study, each with its own service (engine, connections)."""
    opened = [StudyService.open(seeded.location) for _ in range(N)]
    yield opened
    for editor in opened:
        editor.close()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_one_of_eight_simultaneous_edits_carrying_one_version_wins(
    kind: Kind, seeded: StudyService, editors: list[StudyService]
) -> None:
    losers = {"stale", "gone"} if kind.removes else {"stale"}
    for number in range(ROUNDS):
        target, version = kind.prepare(seeded)

        def edit(i: int, target: Any = target, version: Any = version) -> str:
            try:
                kind.edit(editors[i], target, version, i)
            except ConflictError:
                return "stale"
            except NotFoundError:
                return "gone"
            return "ok"

        outcomes = race(edit)
        assert one_winner(outcomes, losers), f"round {number}: {outcomes}"


# -- through the workbench ---------------------------------------------------------------------


@pytest.fixture
def workbench(seeded: StudyService) -> Iterator[str]:
    """The seeded study served by uvicorn in a thread; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(seeded.location), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the workbench did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=120)
    chosen = client.post("/identity", data={"name": A})
    assert chosen.status_code == 303
    return client


def test_one_of_eight_simultaneous_http_changes_of_a_coding_wins(
    workbench: str, seeded: StudyService
) -> None:
    study = seeded
    clients = [signed_in(workbench) for _ in range(N)]
    try:
        first = study.add_coding("P1", ENERGY, A, 50, 54)
        for number in range(ROUNDS):
            version = study.coding(first).modified_at.isoformat()

            def patch(i: int, version: str = version) -> str:
                body = {"memo": f"edit {i}", "version": version}
                answer = clients[i].patch(f"/api/codings/{first}", json=body)
                return {200: "ok", 409: "stale"}.get(answer.status_code, answer.text)

            outcomes = race(patch)
            assert one_winner(outcomes, {"stale"}), f"PATCH round {number}: {outcomes}"
        for number in range(ROUNDS):
            coding = study.add_coding("P1", ENERGY, A, 43, 48)
            version = study.coding(coding).modified_at.isoformat()

            def remove(i: int, coding: int = coding, version: str = version) -> str:
                answer = clients[i].delete(f"/api/codings/{coding}", params={"version": version})
                return {200: "ok", 409: "stale", 404: "gone"}.get(answer.status_code, answer.text)

            outcomes = race(remove)
            assert one_winner(outcomes, {"stale", "gone"}), f"DELETE round {number}: {outcomes}"
    finally:
        for client in clients:
            client.close()
