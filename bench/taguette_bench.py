"""``bench/run.py taguette``: Thematica and Taguette 1.5.2 side by side on the same words
(issue 15), interleaved, medians, and the ratio table Thematica ÷ Taguette (below 1 is faster).

The words: bench/corpus.py's ``--docs`` interviews of about ``--words`` words (seeded), as plain
text for Thematica and as HTML for Taguette (one paragraph per turn; no Calibre needed).

Taguette is installed from PyPI into its own virtualenv the first time (a cache folder, see
bench/taguette_client.py; never the project's environment), started on 127.0.0.1 with its own
SQLite database through bench/taguette_launch.py, which disables its start-up message check and
refuses any network access at the socket; the run reports the refused attempts (must be 0).
Thematica runs as a user runs it: its commands in a subprocess (the import, and setting up
each study) and ``thematica serve`` on 127.0.0.1 for the rest, the exports included.

What each row times (wall clock on the client; CPU from /proc/<pid>/stat of the server):

- import, per document: Thematica: one ``thematica transcripts import STUDY text/`` command
  for all documents, start-up included, into a fresh study; Taguette: one upload per document
  over HTTP (``/api/project/P/document/new``, as its page does) into a fresh project, its server
  already running. Total ÷ documents; ``--repeat`` runs, alternating which tool goes first.
- add a coding over HTTP: Thematica ``POST /api/transcripts/ID/codings``; Taguette
  ``POST /api/project/P/document/D/highlight/new``; random documents and spans, alternating.
- open a document page: Thematica ``GET /transcripts/ID`` (the text is in the page); Taguette
  ``GET /project/P/document/D`` plus the two requests its page makes to show the document
  (``.../document/D`` for highlights and ``.../document/D/contents`` for the text).
- open a document's JSON: Thematica ``GET /api/transcripts/ID``; Taguette the same two API
  requests (highlights and contents).
- server CPU per open: the server process's user + system CPU over the page opens ÷ opens.
- whole-project export: Thematica ``GET /study.qdpx`` (the workbench's download, the residual
  check included; until 2026-12-05 the command ``thematica qdpx export``, start-up included);
  Taguette ``GET /project/P/export/project.sqlite3``.
- codebook export: Thematica ``GET /codebook.qdc`` (the workbench's download; until
  2026-12-05 the command ``thematica qdc export``, start-up included: 350 ms, 112 times
  Taguette); Taguette ``.../export/codebook.qdc``. Sampled ``--opens`` times after three
  warm-ups (a few milliseconds each), where the import and the project export take
  ``--repeat`` runs.

Targets (issue 15): adding a coding and opening a document at most 0.2 times; import and export at
most 0.5 times. The table goes to stdout and the figures, with the load average, to
bench/out/taguette-<docs>.json.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import corpus
import side_by_side
import taguette_client
from concurrency import start_server, stop_server

CODE = "Benchmark code"
CODER = "Coder A"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads) so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _thematica() -> str:
    return str(Path(sys.executable).with_name("thematica"))


def _run(*args: str) -> str:
    done = subprocess.run([_thematica(), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"thematica {' '.join(args)}: {done.stderr or done.stdout}")
    return done.stdout


class ThematicaSide:
    """A study in ``folder``, made and filled with the ``thematica`` command, served by
    ``thematica serve`` and driven over HTTP with one keep-alive connection."""

    def __init__(self, folder: Path, texts: Path) -> None:
        self.folder, self.texts = folder, texts
        self.study = folder / "study.thematica"
        self.server: subprocess.Popen[str] | None = None
        self.conn: http.client.HTTPConnection | None = None
        self.ids: list[int] = []
        self.lengths: dict[int, int] = {}
        self.sizes: dict[str, int] = {}

    def fresh(self, name: str) -> Path:
        study = self.folder / f"{name}.thematica"
        _run("init", str(study), "--title", "Side by side")
        _run("team", "add", str(study), CODER, "--role", "lead")
        codes = self.folder / "codes.csv"
        codes.write_text(f"path\n{CODE}\n", encoding="utf-8")
        _run("codebook", "import", str(study), str(codes))
        return study

    def import_all(self, study: Path) -> float:
        """Seconds for one ``transcripts import`` of every text file into ``study`` (the
        transcripts' ids are kept for the study served next)."""
        said: list[str] = []
        args = ("transcripts", "import", str(study), str(self.texts), "--format", "json")
        took = timed(lambda: said.append(_run(*args)))
        self.ids = sorted(int(t["id"]) for t in json.loads(said[0])["imported"])
        return took

    def serve(self, study: Path) -> None:
        self.study = study
        self.server, port = start_server(str(study))
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for ident in self.ids:
            self.lengths[ident] = int(
                self.get_json(f"/api/transcripts/{ident}")["transcript"]["length"]
            )

    @property
    def pid(self) -> int:
        assert self.server is not None
        return self.server.pid

    def request(self, method: str, url: str, body: str | None = None) -> bytes:
        assert self.conn is not None
        headers = {"Cookie": f"thematica_member={CODER.replace(' ', '%20')}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, url, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 400:
            raise SystemExit(f"Thematica {method} {url}: {response.status} {data[:300]!r}")
        return data

    def get_json(self, url: str) -> Any:
        return json.loads(self.request("GET", url))

    def add_coding(self, document: int, start: int, end: int) -> None:
        body = json.dumps({"code": CODE, "start": start, "end": end})
        self.request("POST", f"/api/transcripts/{document}/codings", body)

    def open_page(self, document: int) -> None:
        self.request("GET", f"/transcripts/{document}")

    def open_json(self, document: int) -> None:
        self.request("GET", f"/api/transcripts/{document}")

    def export_project(self) -> None:
        """The workbench's download, as Taguette's is (``thematica qdpx export`` writes the
        same project, tests/web/test_refi_downloads.py)."""
        self.sizes["project"] = len(self.request("GET", "/study.qdpx"))

    def export_codebook(self) -> None:
        """The workbench's download, as Taguette's is (``thematica qdc export`` writes the
        same file, tests/web/test_refi_downloads.py)."""
        self.sizes["codebook"] = len(self.request("GET", "/codebook.qdc"))

    def stored(self) -> dict[str, int]:
        """Transcripts and codings in the served study, read back with the command line."""
        codes = json.loads(_run("codebook", "show", str(self.study), "--format", "json"))
        return {"documents": len(self.ids), "codings": sum(int(c["codings"]) for c in codes)}

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.server is not None:
            stop_server(self.server)
            self.server = None


class TaguetteSide:
    """Taguette's single user, a project per import, driven as its web page drives it."""

    def __init__(self, server: taguette_client.TaguetteServer, pages: list[Path]) -> None:
        self.server, self.pages = server, pages
        self.user = taguette_client.TaguetteUser(server)
        self.ids: list[int] = []
        self.lengths: dict[int, int] = {}
        self.sizes: dict[str, int] = {}
        self.tag = 0

    def import_all(self, name: str) -> float:
        """A new project and its tag, then seconds for uploading every page, one request each."""
        self.user.new_project(name)
        self.tag = self.user.add_tag(CODE)
        uploads = [(p.stem, p.name, p.read_bytes()) for p in self.pages]
        ids: list[int] = []
        took = timed(lambda: ids.extend(self.user.upload(*upload) for upload in uploads))
        self.ids = ids
        return took

    def measure_lengths(self) -> None:
        """Each document's length in Taguette's offsets: characters of its text, not its HTML."""
        for ident in self.ids:
            contents = self.user.contents(ident).json()["contents"]
            self.lengths[ident] = sum(text_length(chunk["contents"]) for chunk in contents)

    def add_coding(self, document: int, start: int, end: int) -> None:
        self.user.add_highlight(document, start, end, self.tag)

    def open_page(self, document: int) -> None:
        self.user.page(document)
        self.user.info(document)
        self.user.contents(document)

    def open_json(self, document: int) -> None:
        self.user.info(document)
        self.user.contents(document)

    def export_project(self) -> None:
        self.sizes["project"] = len(self.user.export_project().body)

    def export_codebook(self) -> None:
        self.sizes["codebook"] = len(self.user.export_codebook().body)

    def stored(self) -> dict[str, int]:
        """Documents and highlights of the measured project, read from Taguette's database."""
        database = self.server.folder / "taguette.sqlite3"
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            documents = db.execute(
                "SELECT count(*) FROM documents WHERE project_id = ?", (self.user.project,)
            ).fetchone()[0]
            highlights = db.execute(
                "SELECT count(*) FROM highlights JOIN documents"
                " ON highlights.document_id = documents.id WHERE documents.project_id = ?",
                (self.user.project,),
            ).fetchone()[0]
        return {"documents": int(documents), "codings": int(highlights)}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.length = 0

    def handle_data(self, data: str) -> None:
        self.length += len(data)


def text_length(markup: str) -> int:
    """Characters of text in ``markup`` (entities decoded, tags left out): how Taguette counts
    a highlight's offsets."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser.length


def interleave(
    rounds: int, ours: Callable[[int], float], theirs: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """``rounds`` samples of each, alternating which goes first (Thematica on even rounds)."""
    mine: list[float] = []
    other: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            mine.append(ours(i))
            other.append(theirs(i))
        else:
            other.append(theirs(i))
            mine.append(ours(i))
    return mine, other


def run_taguette(
    docs: int, words: int, opens: int, adds: int, repeat: int, venv: Path, seed: int = 15
) -> dict[str, Any]:
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    load_before = _loadavg()
    python = taguette_client.ensure_installed(venv)
    work = Path(tempfile.mkdtemp(prefix=f"taguette-{docs}-", dir=out))
    interviews = corpus.interviews(docs, words, seed)
    texts, pages = corpus.write(interviews, work / "corpus")
    ours = ThematicaSide(work, texts)
    tg_folder = work / "taguette"
    tg_folder.mkdir()
    server = taguette_client.TaguetteServer(python, tg_folder).start()
    samples: dict[str, tuple[list[float], list[float]]] = {}
    try:
        theirs = TaguetteSide(server, sorted(pages.glob("*.html")))
        studies: list[Path] = []

        def our_import(i: int) -> float:
            study = ours.fresh(f"import-{i}")
            studies.append(study)
            return ours.import_all(study) / docs

        imports = interleave(repeat, our_import, lambda i: theirs.import_all(f"import {i}") / docs)
        samples["import"] = imports
        ours.serve(studies[-1])
        theirs.measure_lengths()
        rng = random.Random(seed)

        def coding(side: ThematicaSide | TaguetteSide, at: tuple[int, float, int]) -> float:
            index, where, span = at
            document = side.ids[index]
            start = int(where * max(1, side.lengths[document] - span))
            return timed(lambda: side.add_coding(document, start, start + span))

        spots = [(rng.randrange(docs), rng.random(), rng.randint(20, 200)) for _ in range(adds + 3)]
        added = interleave(
            adds + 3, lambda i: coding(ours, spots[i]), lambda i: coding(theirs, spots[i])
        )
        samples["add_coding"] = (added[0][3:], added[1][3:])

        picks = [rng.randrange(docs) for _ in range(opens + 3)]
        cpu = {"thematica": 0.0, "taguette": 0.0}

        def page(side: ThematicaSide | TaguetteSide, pid: int, key: str, i: int) -> float:
            before = cpu_seconds(pid)
            took = timed(lambda: side.open_page(side.ids[picks[i]]))
            if i >= 3:
                cpu[key] += cpu_seconds(pid) - before
            return took

        opened = interleave(
            opens + 3,
            lambda i: page(ours, ours.pid, "thematica", i),
            lambda i: page(theirs, server.pid, "taguette", i),
        )
        samples["open_page"] = (opened[0][3:], opened[1][3:])
        samples["open_cpu"] = ([cpu["thematica"] / opens], [cpu["taguette"] / opens])
        twins = interleave(
            opens + 3,
            lambda i: timed(lambda: ours.open_json(ours.ids[picks[i]])),
            lambda i: timed(lambda: theirs.open_json(theirs.ids[picks[i]])),
        )
        samples["open_json"] = (twins[0][3:], twins[1][3:])
        samples["export_project"] = interleave(
            repeat,
            lambda i: timed(ours.export_project),
            lambda i: timed(theirs.export_project),
        )
        # a few milliseconds each: sampled as often as the pages, the first 3 dropped likewise
        # (3 samples right after the project export, as before 2026-12-05 evening, gave 5.8 ms
        # against 2.7 ms in a steady run)
        codebooks = interleave(
            opens + 3,
            lambda i: timed(ours.export_codebook),
            lambda i: timed(theirs.export_codebook),
        )
        samples["export_codebook"] = (codebooks[0][3:], codebooks[1][3:])
        our_work = ours.stored()
    finally:
        ours.stop()
        server.stop()
    their_work = theirs.stored()
    expected = {"documents": docs, "codings": adds + 3}
    if our_work != expected or their_work != expected:
        raise SystemExit(f"stored work differs: {our_work}, {their_work}, expected {expected}")
    blocked = server.blocked()
    found = side_by_side.results(samples)
    report: dict[str, Any] = {
        "benchmark": "taguette",
        "taguette_version": taguette_client.VERSION,
        "documents": docs,
        "words_per_document": round(sum(i.words for i in interviews) / docs),
        "opens": opens,
        "adds": adds,
        "repeat": repeat,
        "blocked_network_attempts": len(blocked),
        "blocked": blocked,
        "stored": expected,
        "export_bytes": {"thematica": ours.sizes, "taguette": theirs.sizes},
        "load_average_before": load_before,
        "load_average_after": _loadavg(),
        "rows": [r.as_dict() for r in found],
        "samples_s": {key: {"thematica": a, "taguette": b} for key, (a, b) in samples.items()},
        "table": side_by_side.table(found, docs),
    }
    (out / f"taguette-{docs}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return report


def bench_taguette(
    docs: int, words: int, opens: int, adds: int, repeat: int, venv: Path | None
) -> None:
    report = run_taguette(docs, words, opens, adds, repeat, venv or taguette_client.default_venv())
    print(report["table"])
    print()
    print(
        f"Taguette {report['taguette_version']}, {report['documents']} documents of about "
        f"{report['words_per_document']:,} words; network attempts blocked: "
        f"{report['blocked_network_attempts']}; load average before "
        f"{report['load_average_before']}, after {report['load_average_after']}"
    )
    print(f"figures: bench/out/taguette-{docs}.json")
    if report["blocked_network_attempts"]:
        raise SystemExit("Taguette tried to reach the network")
