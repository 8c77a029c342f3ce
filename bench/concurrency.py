"""Concurrent coders against a real ``thematica serve``, with the command line writing alongside.

    python bench/run.py concurrency [--clients 20] [--seconds 60] [--backend sqlite]
    scripts/with-postgres python bench/run.py concurrency --backend postgres [--url URL]

A study is built from the demo's interviews and level-one codebook, with one team member per
client; on PostgreSQL the database named by ``--url`` (default: THEMATICA_TEST_POSTGRES_URL) is
emptied first, so give it a throwaway one. ``thematica serve`` runs as a subprocess on
127.0.0.1 (nothing else is contacted). Each client, on its own keep-alive connection, adds
codings through the JSON API and now and then changes (memo and end) or removes one of its own
with the version it last saw; about one request in twenty is a deliberately stale change, which
must be refused with a 409. Meanwhile a loop runs ``thematica codings import`` against the same
study, five codings a time.

When time is up the server is stopped and the study is read back. Reported: acknowledged codings
(every 201 and every successful import, less every acknowledged removal) against those stored,
compared coding by coding (span and memo as last acknowledged); errors (any other status, a
dropped connection, a stale change accepted, a failed import: all must be 0); stale changes
refused (409, expected); request latency p50/p95 per kind.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

CLI_CODER = "Bench CLI"
CLI_BATCH = 5


@dataclass
class Expected:
    """A coding as its writer last saw it acknowledged."""

    start: int
    end: int
    memo: str | None
    version: str = ""


@dataclass
class Tally:
    """What one writer did, and what it expects the study to hold."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    codings: dict[int, Expected] = field(default_factory=dict)
    added: int = 0
    changed: int = 0
    removed: int = 0
    stale_refused: int = 0
    errors: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # the CLI's: no ids

    def timed(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


# -- the study --------------------------------------------------------------------------------


def _empty_postgres(url: str) -> None:
    from sqlalchemy import text

    from thematica.storage.database import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_study(location: str, coders: list[str]) -> tuple[list[tuple[int, int]], list[str]]:
    """The demo's interviews and level-one codebook, and a team: one coder per client, the CLI's
    coder and a lead. Returns each transcript's (id, length) and the level-one code paths."""
    from thematica.demo import DATA
    from thematica.domain import Level, MemberRole
    from thematica.importers.codebook import read_codebook
    from thematica.importers.mapping import read_manifest
    from thematica.service import StudyService, TranscriptSource

    manifest = read_manifest((DATA / "interviews.csv").read_bytes(), "interviews.csv")
    with StudyService.create(location, title="Concurrency benchmark") as study:
        study.add_team_member("Bench Lead", MemberRole.LEAD)
        for name in [*coders, CLI_CODER]:
            study.add_team_member(name, MemberRole.CODER)
        study.import_transcripts(
            [
                TranscriptSource(
                    name=name,
                    read=partial((DATA / "interviews" / name).read_bytes),
                    interview_date=entry.interview_date,
                )
                for name, entry in sorted(manifest.items())
            ]
        )
        codebook = DATA / "analysis" / "codebook-level1.csv"
        study.import_codebook(read_codebook(codebook.read_bytes(), codebook.name), source="bench")
        transcripts = [(t.id, len(study.transcript(str(t.id)).text)) for t in study.transcripts()]
        codes = [" > ".join(c.path) for c in study.codes(Level.ONE) if len(c.path) > 1]
    return transcripts, codes


# -- the server -------------------------------------------------------------------------------


def _thematica() -> str:
    return str(Path(sys.executable).with_name("thematica"))


def start_server(location: str) -> tuple[subprocess.Popen[str], int]:
    """``thematica serve`` on 127.0.0.1 and any free port; waits until it answers."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [_thematica(), "serve", location, "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not found:
        server.kill()
        raise SystemExit(f"thematica serve did not start: {line}{server.stdout.read()}")
    threading.Thread(target=server.stdout.read, daemon=True).start()  # drain its output
    port = int(found.group(1))
    for _ in range(600):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/identity")
            if conn.getresponse().status in (200, 303):  # 303: to the sign-in page
                return server, port
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    server.kill()
    raise SystemExit("thematica serve did not answer")


def stop_server(server: subprocess.Popen[str]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.stdout is not None:
        server.stdout.close()


# -- the writers ------------------------------------------------------------------------------


class Client:
    """One coder in the browser: a keep-alive connection and its own codings."""

    def __init__(
        self, name: str, port: int, seed: int, signed_in: dict[str, str] | None = None
    ) -> None:
        self.tally = Tally(name)
        self.port = port
        self.rng = random.Random(seed)
        self.stale: list[tuple[int, str]] = []  # (coding, a version it no longer has)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        # the identity cookie of a study no one has a password for, or a session and its token
        who = signed_in or {"Cookie": f"thematica_member={quote(name)}"}
        self.headers = {**who, "Content-Type": "application/json"}

    def request(self, kind: str, method: str, url: str, body: object = None) -> tuple[int, Any]:
        payload = None if body is None else json.dumps(body)
        started = time.perf_counter()
        try:
            self.conn.request(method, url, body=payload, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.tally.errors.append(f"{method} {url}: {type(exc).__name__}: {exc}")
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 0, None
        self.tally.timed(kind, time.perf_counter() - started)
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw[:200]

    def unexpected(self, method: str, url: str, status: int, answer: Any) -> None:
        if status:  # 0: a dropped connection, already counted
            self.tally.errors.append(f"{method} {url}: {status} {str(answer)[:200]}")

    def add(self, transcripts: list[tuple[int, int]], codes: list[str]) -> None:
        tid, length = self.rng.choice(transcripts)
        start = self.rng.randrange(0, max(1, length - 300))
        body = {
            "code": self.rng.choice(codes),
            "start": start,
            "end": start + self.rng.randint(20, 300),
        }
        url = f"/api/transcripts/{tid}/codings"
        status, answer = self.request("add", "POST", url, body)
        if status == 201:
            self.tally.added += 1
            self.tally.codings[answer["id"]] = Expected(
                answer["start"], answer["end"], answer["memo"], answer["version"]
            )
        else:
            self.unexpected("POST", url, status, answer)

    def change(self) -> None:
        cid = self.rng.choice(list(self.tally.codings))
        mine = self.tally.codings[cid]
        body = {
            "end": mine.end - self.rng.randint(0, 5) if mine.end - mine.start > 10 else mine.end,
            "memo": f"memo {self.rng.randrange(10**6)}",
            "version": mine.version,
        }
        status, answer = self.request("change", "PATCH", f"/api/codings/{cid}", body)
        if status == 200:
            self.tally.changed += 1
            self.stale.append((cid, mine.version))
            self.tally.codings[cid] = Expected(
                answer["start"], answer["end"], answer["memo"], answer["version"]
            )
        else:
            self.unexpected("PATCH", f"/api/codings/{cid}", status, answer)

    def remove(self) -> None:
        cid = self.rng.choice(list(self.tally.codings))
        url = f"/api/codings/{cid}?version={quote(self.tally.codings[cid].version)}"
        status, answer = self.request("remove", "DELETE", url)
        if status == 200:
            self.tally.removed += 1
            del self.tally.codings[cid]
        else:
            self.unexpected("DELETE", url, status, answer)

    def stale_change(self) -> None:
        """A change carrying a version the coding has moved on from: must be refused (409)."""
        cid, old = self.stale.pop(self.rng.randrange(len(self.stale)))
        if cid not in self.tally.codings:
            return
        body = {"memo": "from an out-of-date tab", "version": old}
        status, answer = self.request("stale change", "PATCH", f"/api/codings/{cid}", body)
        if status == 409:
            self.tally.stale_refused += 1
        elif status == 200:
            self.tally.errors.append(f"a stale change to coding {cid} was accepted (lost update)")
            self.tally.codings[cid] = Expected(
                answer["start"], answer["end"], answer["memo"], answer["version"]
            )
        else:
            self.unexpected("PATCH", f"/api/codings/{cid}", status, answer)

    def run(self, deadline: float, transcripts: list[tuple[int, int]], codes: list[str]) -> None:
        while time.monotonic() < deadline:
            roll = self.rng.random()
            if roll < 0.05 and self.stale:
                self.stale_change()
            elif roll < 0.20 and self.tally.codings:
                self.change()
            elif roll < 0.28 and self.tally.codings:
                self.remove()
            else:
                self.add(transcripts, codes)
        self.conn.close()


def cli_writer(
    location: str, deadline: float, transcripts: list[tuple[int, int]], codes: list[str]
) -> Tally:
    """``thematica codings import`` in a loop, five codings a time, until ``deadline``. The
    command's codings have no ids to report; they are counted, and compared by span."""
    tally = Tally(CLI_CODER)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "codings.csv"
        while time.monotonic() < deadline:
            rows = []
            for _ in range(CLI_BATCH):
                tid, length = rng.choice(transcripts)
                start = rng.randrange(0, max(1, length - 300))
                rows.append((tid, rng.choice(codes), start, start + rng.randint(20, 300)))
            with path.open("w", newline="", encoding="utf-8") as fh:
                out = csv.writer(fh)
                out.writerow(["transcript", "coder", "code", "start", "end"])
                out.writerows((tid, CLI_CODER, code, s, e) for tid, code, s, e in rows)
            started = time.perf_counter()
            done = subprocess.run(
                [_thematica(), "codings", "import", location, str(path), "--level", "1"],
                capture_output=True,
                text=True,
                check=False,
            )
            tally.timed("cli import", time.perf_counter() - started)
            if done.returncode == 0:
                tally.added += CLI_BATCH
                tally.spans += [(tid, s, e) for tid, _, s, e in rows]
            else:
                tally.errors.append(f"codings import: exit {done.returncode}: {done.stderr[-300:]}")
    return tally


# -- the check --------------------------------------------------------------------------------


def compare(location: str, tallies: list[Tally]) -> dict[str, int]:
    """Acknowledged against stored, writer by writer."""
    from thematica.service import StudyService

    acknowledged = stored = missing = unexpected = different = 0
    with StudyService.open(location) as study:
        for tally in tallies:
            rows = study.codings(coder=tally.name)
            stored += len(rows)
            if tally.name == CLI_CODER:  # compared as a multiset of spans
                acknowledged += len(tally.spans)
                wanted = Counter(tally.spans)
                have = Counter((c.transcript_id, c.start, c.end) for c in rows)
                missing += (wanted - have).total()
                unexpected += (have - wanted).total()
                continue
            acknowledged += len(tally.codings)
            held = {c.id: c for c in rows}
            missing += len(tally.codings.keys() - held.keys())
            unexpected += len(held.keys() - tally.codings.keys())
            for cid, e in tally.codings.items():
                c = held.get(cid)
                if c is not None and (c.start, c.end, c.memo) != (e.start, e.end, e.memo):
                    different += 1
    return {
        "acknowledged": acknowledged,
        "stored": stored,
        "missing": missing,
        "unexpected": unexpected,
        "different": different,
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "max_ms": round(ordered[-1] * 1000, 1)}


@contextmanager
def study_location(backend: str, url: str | None) -> Iterator[str]:
    """A fresh place for the study: a new file, or the emptied PostgreSQL database."""
    if backend == "postgres":
        location = url or os.environ.get("THEMATICA_TEST_POSTGRES_URL", "")
        if not location:
            raise SystemExit("PostgreSQL: give --url or run under scripts/with-postgres")
        _empty_postgres(location)
        yield location
        return
    with tempfile.TemporaryDirectory(prefix="thematica-concurrency-") as folder:
        yield str(Path(folder) / "bench.thematica")


PASSWORD = "team benchmark pass phrase"


def sign_in_everyone(location: str) -> dict[str, dict[str, str]]:
    """Give every member a password (a team server serves no one until they have one) and sign
    each in: the headers each member's requests carry (the session cookie and its CSRF token)."""
    from thematica.service import StudyService

    headers: dict[str, dict[str, str]] = {}
    with StudyService.open(location) as study:
        for member in study.team():
            study.set_password(member.name, PASSWORD)
        for member in study.team():
            session = study.sign_in(member.name, PASSWORD)
            headers[member.name] = {
                "Cookie": f"thematica_session={session.token}",
                "X-CSRF-Token": session.csrf,
            }
    return headers


def bench_concurrency(backend: str, url: str | None, clients: int, seconds: float) -> None:
    with study_location(backend, url) as location:
        names = [f"Bench Coder {i + 1:02d}" for i in range(clients)]
        transcripts, codes = build_study(location, names)
        # a PostgreSQL study is a team server: it serves no one until every member has a
        # password, and then everyone signs in
        sessions = sign_in_everyone(location) if backend == "postgres" else {}
        server, port = start_server(location)
        try:
            writers = [
                Client(name, port, seed=i, signed_in=sessions.get(name))
                for i, name in enumerate(names)
            ]
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=w.run, args=(deadline, transcripts, codes)) for w in writers
            ]
            cli: list[Tally] = []
            threads.append(
                threading.Thread(
                    target=lambda: cli.append(cli_writer(location, deadline, transcripts, codes))
                )
            )
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        finally:
            stop_server(server)
        tallies = [w.tally for w in writers] + cli
        check = compare(location, tallies)
        kinds: dict[str, list[float]] = {}
        for tally in tallies:
            for kind, samples in tally.latencies.items():
                kinds.setdefault(kind, []).extend(samples)
        http_samples = [s for k, v in kinds.items() if k != "cli import" for s in v]
        errors = [e for t in tallies for e in t.errors]
        print(
            json.dumps(
                {
                    "benchmark": "concurrency",
                    "backend": backend,
                    "clients": clients,
                    "seconds": round(elapsed, 1),
                    "requests": len(http_samples),
                    "requests_per_second": round(len(http_samples) / elapsed, 1),
                    "added": sum(t.added for t in tallies),
                    "added_by_cli": sum(t.added for t in cli),
                    "changed": sum(t.changed for t in tallies),
                    "removed": sum(t.removed for t in tallies),
                    **check,
                    "errors": len(errors),
                    "error_samples": errors[:5],
                    "stale_changes_refused_409": sum(t.stale_refused for t in tallies),
                    "latency_all_http": _percentiles(http_samples) if http_samples else {},
                    "latency": {
                        k: {"n": len(v), **_percentiles(v)} for k, v in sorted(kinds.items())
                    },
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                },
                indent=2,
            )
        )
