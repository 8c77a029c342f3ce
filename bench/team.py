"""A team at work: members coding at once against one server, with their pages polling the live
change feed (issue 10, item 7).

    scripts/with-postgres python bench/run.py team [--clients 20] [--seconds 60] [--pollers 10]
    python bench/run.py team --backend sqlite

The study is the one ``bench/concurrency.py`` builds (the demo's interviews and level-one
codebook, one team member per client, a lead), coded blind, so each poll applies blind coding's
rule. ``thematica serve`` runs as a subprocess on 127.0.0.1. Each member has one transcript open
at a time (now and then they move to another) and, on its own keep-alive connection, adds
codings to it through the JSON API, now and then changing or removing one of their own with the
version they last saw, and about one request in twenty is a deliberately stale change, which
must be refused with a 409; between two actions a member pauses ``--pause`` seconds. The first
``--pollers`` members also have their open page polling
``GET /api/live/transcripts/{id}`` twice a second with ``If-None-Match``, on a second connection,
as ``transcript.js`` does. Before the team starts, the lead alone adds ``--alone`` codings and
polls as often with nothing changing: the cost of each without queueing.

When time is up the server is stopped and the study is read back: every acknowledged coding must
be stored as last acknowledged (``missing``, ``unexpected``, ``different``: all 0), and there
must be no error. Reported: requests, errors, the p50/p95 of adding a coding and of a poll (and
of every other kind), polls answered 200 (something visible changed) and 304, the load average.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from concurrency import (
    Client,
    Tally,
    _percentiles,
    build_study,
    compare,
    sign_in_everyone,
    start_server,
    stop_server,
    study_location,
)

LEAD = "Bench Lead"  # the study's lead (bench/concurrency.py), who also codes alone first
POLL_EVERY = 0.5  # seconds, as web/static/transcript.js


class Member(Client):
    """One member in the browser: a transcript open, codings added to it."""

    def __init__(
        self,
        name: str,
        port: int,
        seed: int,
        transcripts: list[tuple[int, int]],
        signed_in: dict[str, str],
    ) -> None:
        super().__init__(name, port, seed)
        self.signed_in = signed_in
        self.headers = {**signed_in, "Content-Type": "application/json"}
        self.transcripts = transcripts
        self.open = self.rng.choice(transcripts)

    def work(self, deadline: float, codes: list[str], pause: float) -> None:
        while time.monotonic() < deadline:
            roll = self.rng.random()
            if roll < 0.05 and self.stale:
                self.stale_change()
            elif roll < 0.15 and self.tally.codings:
                self.change()
            elif roll < 0.20 and self.tally.codings:
                self.remove()
            elif roll < 0.23:
                self.open = self.rng.choice(self.transcripts)  # another page
            else:
                self.add([self.open], codes)
            if pause:
                time.sleep(pause * (0.5 + self.rng.random()))
        self.conn.close()


@dataclass
class Poller:
    """The member's open page asking the live feed whether anything it may see changed."""

    member: Member
    port: int
    tally: Tally = field(init=False)
    changed: int = 0
    unchanged: int = 0

    def __post_init__(self) -> None:
        self.tally = Tally(self.member.tally.name + " (page)")

    def run(self, deadline: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        seen: dict[int, str] = {}
        next_at = time.monotonic() + self.member.rng.random() * POLL_EVERY
        while True:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= deadline:
                break
            next_at += POLL_EVERY
            tid = self.member.open[0]
            headers = dict(self.member.signed_in)
            if tid in seen:
                headers["If-None-Match"] = f'"{seen[tid]}"'
            url = f"/api/live/transcripts/{tid}"
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.tally.errors.append(f"GET {url}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                continue
            self.tally.timed("poll", time.perf_counter() - started)
            if response.status == 304:
                self.unchanged += 1
            elif response.status == 200:
                self.changed += 1
                seen[tid] = json.loads(raw)["version"]
            else:
                self.tally.errors.append(f"GET {url}: {response.status} {raw[:200]!r}")
        conn.close()


def quiet_figures(
    port: int, name: str, signed_in: dict[str, str], transcript: int, codes: list[str], n: int
) -> dict[str, Any]:
    """Before the team starts: the lead alone adds ``n`` codings, then polls ``n`` times with
    nothing changing (answered 304): what a poll and an add cost without queueing."""
    member = Member(name, port, 99, [(transcript, 2000)], signed_in)
    for _ in range(n):
        member.add([(transcript, 2000)], codes)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    url = f"/api/live/transcripts/{transcript}"
    conn.request("GET", url, headers=signed_in)
    response = conn.getresponse()
    etag = response.headers["ETag"]
    response.read()
    polls: list[float] = []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", url, headers={**signed_in, "If-None-Match": etag})
        response = conn.getresponse()
        response.read()
        polls.append(time.perf_counter() - started)
        if response.status != 304:
            member.tally.errors.append(f"GET {url}: {response.status}, not 304")
    conn.close()
    member.conn.close()
    return {
        "add_alone": _percentiles(member.tally.latencies["add"]),
        "poll_304_alone": _percentiles(polls),
        "tally": member.tally,
    }


def run_team(
    backend: str,
    url: str | None,
    clients: int,
    seconds: float,
    pollers: int,
    pause: float,
    seed: int = 0,
    alone: int = 50,
) -> dict[str, Any]:
    """Run the team; the figures and the check, as a dict."""
    from thematica.service import StudyService

    with study_location(backend, url) as location:
        names = [f"Bench Coder {i + 1:02d}" for i in range(clients)]
        transcripts, codes = build_study(location, names)
        with StudyService.open(location) as study:
            study.set_blind_coding(True, by=LEAD)
        signed_in = sign_in_everyone(location)
        server, port = start_server(location)
        try:
            quiet = (
                quiet_figures(port, LEAD, signed_in[LEAD], transcripts[0][0], codes, alone)
                if alone
                else {}
            )
            members = [
                Member(name, port, seed * 1000 + i, transcripts, signed_in[name])
                for i, name in enumerate(names)
            ]
            pages = [Poller(m, port) for m in members[:pollers]]
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=m.work, args=(deadline, codes, pause)) for m in members
            ] + [threading.Thread(target=p.run, args=(deadline,)) for p in pages]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            load = [round(x, 2) for x in os.getloadavg()]
        finally:
            stop_server(server)
        writers = [m.tally for m in members]
        if quiet:
            writers.append(quiet.pop("tally"))  # its codings are checked too
        check = compare(location, writers)
    tallies = writers + [p.tally for p in pages]
    kinds: dict[str, list[float]] = {}
    for tally in tallies:
        for kind, samples in tally.latencies.items():
            kinds.setdefault(kind, []).extend(samples)
    requests = sum(len(v) for v in kinds.values())
    errors = [e for t in tallies for e in t.errors]
    return {
        "benchmark": "team",
        "backend": backend,
        "clients": clients,
        "pollers": len(pages),
        "pause_s": pause,
        "blind_coding": True,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "added": sum(t.added for t in writers),
        "changed": sum(t.changed for t in writers),
        "removed": sum(t.removed for t in writers),
        **check,
        "lost": check["missing"] + check["different"],
        "errors": len(errors),
        "error_samples": errors[:5],
        "stale_changes_refused_409": sum(t.stale_refused for t in writers),
        "polls_changed_200": sum(p.changed for p in pages),
        "polls_unchanged_304": sum(p.unchanged for p in pages),
        "latency": {k: {"n": len(v), **_percentiles(v)} for k, v in sorted(kinds.items())},
        "alone_before_the_team": quiet,
        "load_average": load,
    }


def bench_team(
    backend: str, url: str | None, clients: int, seconds: float, pollers: int, pause: float
) -> None:
    print(json.dumps(run_team(backend, url, clients, seconds, pollers, pause), indent=2))
