"""``kill -9`` of ``thematica serve`` while a coder adds codings one after another over HTTP:
every coding the server acknowledged (2xx) is in the study after the kill, and the study is sound."""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.faults.killing import KILLED, THEMATICA, cli_env, invoke, row_counts, sound, spread
from thematica.demo import DATA
from thematica.domain import MemberRole
from thematica.errors import NotFoundError
from thematica.service import StudyService

CODER = "Tom Okafor"
MOST_CODINGS = 8  # the kill points are spread over the statements of this many codings


@contextmanager
def server(study: Path, env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``thematica serve`` on a free loopback port; yields the process and port once it listens."""
    proc = subprocess.Popen(
        [str(THEMATICA), "serve", str(study), "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, (line, proc.poll())
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        _wait_listening(proc, port)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()


def _wait_listening(proc: subprocess.Popen[str], port: int) -> None:
    """Wait until the port accepts connections (a bare TCP connect reaches no fault point)."""
    deadline = time.monotonic() + 120  # a guard against a hang, not a timed assertion
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server stopped before it listened"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server never listened")


def add_coding(port: int, n: int) -> int | None:
    """Add coding number ``n``; its id when acknowledged, None when the server is gone."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps(
        {"code": "Crash test>Held", "start": n * 10, "end": n * 10 + 6, "create": True}
    )
    try:
        conn.request(
            "POST",
            "/api/transcripts/1/codings",
            body=body,
            headers={"Content-Type": "application/json", "Cookie": f"thematica_member={CODER}"},
        )
        response = conn.getresponse()
        payload = response.read()
    except (ConnectionError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    assert 200 <= response.status < 300, (response.status, payload[:300])
    return int(json.loads(payload)["id"])


def fresh_study(folder: Path) -> Path:
    study = folder / "coding.thematica"
    with StudyService.create(str(study), title="Pain and low mood") as service:
        service.add_team_member(CODER, MemberRole.CODER)
    invoke(["transcripts", "import", str(study), str(DATA / "interviews" / "physio-1.vtt")])
    return study


def points_to_kill(template: Path, folder: Path) -> tuple[int, int]:
    """(fault points of starting the server, of adding MOST_CODINGS codings after it)."""
    passed = []
    for codings in (0, MOST_CODINGS):
        study = folder / f"count-{codings}.thematica"
        shutil.copyfile(template, study)
        count = folder / f"count-{codings}.txt"
        with server(study, cli_env(THEMATICA_FAULT_COUNT=str(count))) as (proc, port):
            for n in range(codings):
                assert add_coding(port, n) is not None
            proc.send_signal(signal.SIGINT)  # a normal stop, so the count is written
            proc.wait()
        passed.append(int(count.read_text()))
    return passed[0], passed[1] - passed[0]


def test_every_acknowledged_coding_survives_a_kill(tmp_path: Path) -> None:
    template = fresh_study(tmp_path)
    start, codings = points_to_kill(template, tmp_path)
    before = row_counts(str(template))["codings"]
    acknowledged_in_all = 0
    points = spread(codings, 21)
    for point in points:
        study = tmp_path / f"kill-{point}.thematica"
        shutil.copyfile(template, study)
        acknowledged: list[tuple[int, int]] = []
        env = cli_env(THEMATICA_FAULT_KILL_AT=str(start + point))
        with server(study, env) as (proc, port):
            for n in range(MOST_CODINGS + 1):
                coding_id = add_coding(port, n)
                if coding_id is None:
                    break
                acknowledged.append((coding_id, n))
            assert proc.wait() == KILLED, point
        sound(study)
        with StudyService.open(str(study)) as service:
            for coding_id, n in acknowledged:
                try:
                    coding = service.coding(coding_id)
                except NotFoundError:
                    raise AssertionError(f"kill at {point}: acknowledged coding lost") from None
                assert (coding.start, coding.end, coding.coder) == (n * 10, n * 10 + 6, CODER)
        stored = row_counts(str(study))["codings"] - before
        assert stored in (len(acknowledged), len(acknowledged) + 1), point
        acknowledged_in_all += len(acknowledged)
    print(f"serve: {start} + {codings} fault points, killed at {len(points)}, ", end="")
    print(f"{acknowledged_in_all} acknowledged codings, all kept")
