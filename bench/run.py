"""Thematica benchmarks. Figures are measured here, never asserted in tests.

    python bench/run.py import [--transcripts 1000] [--words 8000] [--repeat 3]
    python bench/run.py analysis [--codings 100000] [--codes 300]
    python bench/run.py anonymise
    python bench/run.py exchange [--repeat 1]
    python bench/run.py web [--opens 50] [--adds 300] [--signin]
    python bench/run.py web-coding [--codings 50] [--words 8000] [--codes 300]
    python bench/run.py search [--repeat 20]
    python bench/run.py cli [--runs 20]
    python bench/run.py concurrency [--clients 20] [--seconds 60] [--backend sqlite|postgres]
    python bench/run.py team [--clients 20] [--seconds 60] [--pollers 10] [--pause 0.2]
    python bench/run.py fuzz [--inputs 100000] [--seed 20261203] [--workers 1]
    python bench/run.py audit [--repeat 3]
    python bench/run.py agreement [--study PATH] [--runs 5] [--against OTHER/src]
    python bench/run.py taguette [--docs 50] [--words 5000] [--opens 50] [--adds 200] [--repeat 3]
    python bench/run.py scale [--sizes L,XL] [--repeat 3]

``import``: generates the large synthetic study (1,000 Teams VTT interviews of 8,000 words, a
register with 10 attributes) once under bench/out/, then imports it into a fresh study file in
a child process and reports wall time, words per second (whole import, and parsing alone) and
the child's peak memory (maximum resident set size). In the same run it measures the floor
(bench/import_floor.py: the same files read, parsed by a trivial VTT parser and stored with
``executemany`` and an FTS5 index), alternating floor and import ``--repeat`` times, and prints
the medians in microseconds per word, the ratio import / floor (issue 15's target: at most 2)
and the load average before and after. ``--transcripts 100`` is a quick run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def _import_worker(folder: Path, study_path: Path) -> dict[str, float]:
    from thematica.importers import read_transcript
    from thematica.importers.register import read_register
    from thematica.service import StudyService, TranscriptSource

    files = sorted((folder / "interviews").glob("*.vtt"))
    started = time.perf_counter()
    words = 0
    for path in files[:100]:
        parsed = read_transcript(path.read_bytes(), path.name)
        words += sum(len(t.text.split()) for t in parsed.turns)
    parse_rate = words / (time.perf_counter() - started)

    study_path.unlink(missing_ok=True)
    started = time.perf_counter()
    with StudyService.create(str(study_path), title="Benchmark") as study:
        study.import_register(
            read_register((folder / "register.csv").read_bytes(), "register.csv"),
            source="register.csv",
        )
        sources = [
            TranscriptSource(p.name, partial(p.read_bytes), participant=f"P {int(p.stem[2:])}")
            for p in files
        ]
        began, cpu = time.perf_counter(), time.process_time()
        report = study.import_transcripts(sources)
        elapsed = time.perf_counter() - started
        transcripts_only = time.perf_counter() - began
        transcripts_cpu = time.process_time() - cpu
        total_words = sum(t.words for t in report.imported)
    return {
        "transcripts": len(report.imported),
        "words": total_words,
        "seconds": round(elapsed, 3),
        "import_transcripts_seconds": transcripts_only,
        "import_transcripts_cpu_seconds": transcripts_cpu,
        "words_per_second": round(total_words / elapsed),
        "parse_only_words_per_second": round(parse_rate),
        "study_file_mb": round(study_path.stat().st_size / 2**20, 1),
    }


def _floor_worker(folder: Path, database: Path) -> dict[str, float]:
    from import_floor import floor_import

    files = sorted((folder / "interviews").glob("*.vtt"))
    floor = floor_import(files, database)
    bare = floor_import(files, database, fold=False)
    return {**floor, "bare_seconds": bare["seconds"]}


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _child(mode: str, folder: Path, target: Path) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, mode, str(folder), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(child.stdout)  # type: ignore[no-any-return]


def bench_import(transcripts: int, words: int, repeat: int = 1) -> None:
    import statistics

    sys.path.insert(0, str(HERE))
    from synthetic import generate

    folder = OUT / f"large-{transcripts}x{words}"
    started = time.perf_counter()
    generate(folder, transcripts, words)
    print(
        f"synthetic study ready in {time.perf_counter() - started:.1f} s: {folder}", file=sys.stderr
    )
    study = OUT / f"import-{transcripts}x{words}.thematica"
    floor_db = OUT / f"floor-{transcripts}x{words}.sqlite"
    load_before = _loadavg()
    imports: list[dict[str, float]] = []
    floors: list[dict[str, float]] = []
    peak_kb = 0
    for _ in range(max(1, repeat)):  # alternate, so both see the same machine
        floors.append(_child("_floor-worker", folder, floor_db))
        imports.append(_child("_import-worker", folder, study))
        peak_kb = max(peak_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    result: dict[str, object] = dict(imports[-1])
    total = imports[-1]["words"]
    whole_s = statistics.median(r["seconds"] for r in imports)
    result["seconds"] = round(whole_s, 2)  # study creation, register and transcripts
    result["words_per_second"] = round(total / whole_s)
    result["peak_memory_mb"] = round(peak_kb / 1024)
    result["runs"] = len(imports)
    # The ratio compares like with like: the transcripts' import (parse, store, index, commit)
    # against the floor's, each without creating its database.
    import_s = statistics.median(r["import_transcripts_seconds"] for r in imports)
    floor_s = statistics.median(r["seconds"] for r in floors)
    result["import_transcripts_seconds"] = round(import_s, 2)
    import_per_word, floor_per_word = import_s / total, floor_s / floors[-1]["words"]
    result["import_us_per_word"] = round(import_per_word * 1e6, 3)
    result["floor_us_per_word"] = round(floor_per_word * 1e6, 3)
    result["import_over_floor"] = round(import_per_word / floor_per_word, 2)  # target: <= 2
    # CPU time is less disturbed by other work on a shared machine (it leaves out waiting
    # for the disk, which both do once, at commit).
    import_cpu = statistics.median(r["import_transcripts_cpu_seconds"] for r in imports)
    floor_cpu = statistics.median(r["cpu_seconds"] for r in floors)
    result["import_cpu_us_per_word"] = round(import_cpu / total * 1e6, 3)
    result["floor_cpu_us_per_word"] = round(floor_cpu / floors[-1]["words"] * 1e6, 3)
    result["import_over_floor_cpu"] = round(
        (import_cpu / total) / (floor_cpu / floors[-1]["words"]), 2
    )
    result.pop("import_transcripts_cpu_seconds", None)
    bare_s = statistics.median(r["bare_seconds"] for r in floors)
    result["bare_floor_us_per_word"] = round(bare_s / floors[-1]["words"] * 1e6, 3)
    result["import_over_bare_floor"] = round(import_per_word / (bare_s / floors[-1]["words"]), 2)
    result["import_seconds_each"] = [round(r["import_transcripts_seconds"], 2) for r in imports]
    result["floor_seconds_each"] = [round(r["seconds"], 2) for r in floors]
    result["floor_words"] = floors[-1]["words"]
    result["loadavg_before"] = load_before
    result["loadavg_after"] = _loadavg()
    print(json.dumps({"benchmark": "import", **result}, indent=2))


def _analysis_study(transcripts: int, words: int, codings: int, codes: int) -> Path:
    """The imported large study plus two coders' codings, an agreed layer and themes (cached)."""
    import random
    import shutil

    from thematica.domain import Codebook, CodeSpec, CodingSpec, Level, MemberRole, ThemeSpec
    from thematica.service import StudyService

    target = OUT / f"analysis-{transcripts}x{words}-{codings}x{codes}.thematica"
    if target.exists():
        return target
    source = OUT / f"import-{transcripts}x{words}.thematica"
    if not source.exists():
        bench_import(transcripts, words)
    partial_copy = target.with_suffix(".partial")
    shutil.copy(source, partial_copy)
    rng = random.Random(7)
    groups = [f"Category {g}" for g in range(codes // 10)]
    paths = [(g, f"Code {g[-2:].strip()}.{k}") for g in groups for k in range(10)][:codes]
    with StudyService.open(str(partial_copy)) as study:
        study.add_team_member("Coder A", MemberRole.LEAD)
        study.add_team_member("Coder B", MemberRole.CODER)
        agreed = [
            CodeSpec(("Agreed " + g, "Agreed " + c), Level.TWO, origins=((g, c),)) for g, c in paths
        ]
        themes = tuple(
            ThemeSpec(
                f"Overarching {o}",
                children=tuple(
                    ThemeSpec(
                        f"Theme {o}.{t}",
                        children=tuple(
                            ThemeSpec(
                                f"Sub-theme {o}.{t}.{s}",
                                codes=tuple(
                                    spec.path for spec in agreed[(o * 25 + t * 5 + s) :: 60][:5]
                                ),
                            )
                            for s in range(5)
                        ),
                    )
                    for t in range(4)
                ),
            )
            for o in range(3)
        )
        study.import_codebook(Codebook(tuple(CodeSpec(p) for p in paths)), source="bench")
        study.import_codebook(Codebook(tuple(agreed), themes), source="bench")
        lengths = {t.id: t.words * 5 for t in study.transcripts()}  # under the real length
        tids = sorted(lengths)
        specs_a, specs_b, specs_2 = [], [], []
        for row in range(codings):
            tid = rng.choice(tids)
            g, c = rng.choice(paths)
            start = rng.randrange(0, max(1, lengths[tid] - 600))
            end = start + rng.randint(40, 400)
            specs_a.append(CodingSpec(row, str(tid), "Coder A", (g, c), start, end))
            if rng.random() < 0.8:
                jitter = rng.randint(-30, 30)
                b_start = max(0, start + jitter)
                specs_b.append(
                    CodingSpec(
                        row,
                        str(tid),
                        "Coder B",
                        (g, c),
                        b_start,
                        max(b_start + 10, end + rng.randint(-30, 30)),
                    )
                )
            else:
                g2, c2 = rng.choice(paths)
                s2 = rng.randrange(0, max(1, lengths[tid] - 600))
                specs_b.append(
                    CodingSpec(row, str(tid), "Coder B", (g2, c2), s2, s2 + rng.randint(40, 400))
                )
            if row % 2 == 0:
                specs_2.append(
                    CodingSpec(row, str(tid), "Coder A", ("Agreed " + g, "Agreed " + c), start, end)
                )
        started = time.perf_counter()
        for specs, level in ((specs_a, Level.ONE), (specs_b, Level.ONE), (specs_2, Level.TWO)):
            unique = {(s.transcript, s.code, s.start, s.end): s for s in specs}
            study.import_codings(list(unique.values()), source="bench", level=level)
        print(
            f"imported {len(specs_a) + len(specs_b) + len(specs_2):,} codings in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    partial_copy.rename(target)
    return target


ANALYSES = ("counts", "counts_by_group", "matrix", "saturation", "agreement", "cooccurrence")


def bench_analysis(
    transcripts: int, words: int, codings: int, codes: int, repeat: int, only: str | None = None
) -> None:
    """Each analysis of the large study, best of ``repeat``; ``only``: that one alone (so that
    the process's peak memory is that command's)."""
    from thematica.domain import Level
    from thematica.service import StudyService

    study_path = _analysis_study(transcripts, words, codings, codes)

    def best(action: object) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            action()  # type: ignore[operator]
            times.append(time.perf_counter() - started)
        return round(min(times), 3)

    with StudyService.open(str(study_path)) as study:
        actions = {
            "counts": ("counts_level2_s", lambda: study.counts(level=Level.TWO)),
            "counts_by_group": (
                "counts_level2_by_group_s",
                lambda: study.counts(level=Level.TWO, by="group"),
            ),
            "matrix": ("matrix_level2_s", lambda: study.matrix("setting", level=Level.TWO)),
            "saturation": ("saturation_level1_s", lambda: study.saturation(level=Level.ONE)),
            "agreement": (
                "agreement_all_codes_s",
                lambda: study.agreement("Coder A", "Coder B"),
            ),
            "cooccurrence": (
                "cooccurrence_level1_s",
                lambda: study.cooccurrence(level=Level.ONE),
            ),
        }
        figures: dict[str, float | int] = {
            name: best(action)
            for key, (name, action) in actions.items()
            if only is None or key == only
        }
        if only in (None, "agreement"):
            report = study.agreement("Coder A", "Coder B")
            figures["agreement_codes"] = len(report.codes)
            figures["agreement_disagreements"] = len(report.disagreements)
    print(
        json.dumps(
            {
                "benchmark": "analysis",
                "study": str(study_path),
                "repeat": repeat,
                "best_of": figures,
            },
            indent=2,
        )
    )


def bench_anonymise(transcripts: int, words: int) -> None:
    """Scan the large study with the register (1,000 participants' names) and pattern detectors."""
    import random
    import shutil

    from thematica.anonymise.keyfile import default_key_path
    from thematica.service import StudyService
    from thematica.service.anonymising import AnonymisingStudy

    source = OUT / f"import-{transcripts}x{words}.thematica"
    if not source.exists():
        bench_import(transcripts, words)
    target = OUT / f"anonymise-{transcripts}x{words}.thematica"
    shutil.copy(source, target)
    key = default_key_path(str(target))
    key.unlink(missing_ok=True)
    rng = random.Random(11)
    first = [
        "Siobhán",
        "Zoë",
        "Gareth",
        "Hannah",
        "Linh",
        "Aled",
        "Olufemi",
        "Rebecca",
        "Stuart",
        "Chris",
    ]
    last = [
        "Kelly",
        "Nguyễn",
        "Powell",
        "Boateng",
        "Deane",
        "Thorne",
        "Adeyemi",
        "Hollis",
        "Morgan",
        "Price",
    ]
    identities = "label,real_name,nicknames\n" + "".join(
        f"P {i},{rng.choice(first)} {rng.choice(last)}{i},\n" for i in range(1, transcripts + 1)
    )
    deny = "term,category\n" + "".join(
        f"{name},hospital\n"
        for name in ("St Aldhelm's Hospital", "Wessex Vale NHS Foundation Trust")
    )
    with StudyService.open(str(target)) as study:
        anon = AnonymisingStudy(study, key)
        anon.import_identities(identities.encode(), "identities.csv")
        anon.import_deny_list(deny.encode(), "deny.csv")
        total_words = sum(t.words for t in study.transcripts())
        started = time.perf_counter()
        report = anon.scan()
        elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "benchmark": "anonymise",
                "transcripts": report.transcripts,
                "words": total_words,
                "name_entries": transcripts + 2 + 2,
                "findings": report.findings,
                "seconds": round(elapsed, 2),
                "words_per_second": round(total_words / elapsed),
            },
            indent=2,
        )
    )


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "max_ms": round(ordered[-1] * 1000, 1)}


def bench_web(
    transcripts: int,
    words: int,
    opens: int,
    adds: int,
    signin: bool = False,
    codings: int = 100_000,
    codes: int = 300,
) -> None:
    """The workbench over real HTTP (uvicorn on 127.0.0.1, one keep-alive connection), on a
    fresh copy of the large analysed study: opening an 8,000-word transcript page, and adding a
    coding through the JSON API. Three warm-up requests of each kind are not counted. With
    ``signin``, the coder has a password and every request carries a session cookie (and each
    change its CSRF token), as on a team server; otherwise the identity cookie of a study no one
    has a password for."""
    import http.client
    import random
    import shutil
    import socket
    import threading

    import uvicorn

    from thematica.domain import Level
    from thematica.service import StudyService
    from thematica.web.app import create_app, tune_gc

    source = _analysis_study(transcripts, words, codings, codes)
    target = OUT / "web.thematica"
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(source, target)
    with StudyService.open(str(target)) as study:
        summary = study.transcripts()[0]
        length = len(study.transcript(str(summary.id)).text)
        code = " > ".join(study.codes(Level.ONE)[-1].path)
        # both coders' and the agreed layer's, counted per code (listing 1.35 M codings as
        # objects would make this process, which also serves the pages, the largest in memory)
        in_study = sum(c.codings for c in study.codes())
        cookie = {"Cookie": "thematica_member=Coder%20B"}
        if signin:
            from thematica.service.accounts import ADMINISTRATOR

            for member in study.team():
                study.set_password(member.name, "benchmark password 1", by=ADMINISTRATOR)
            session = study.sign_in("Coder B", "benchmark password 1")
            cookie = {
                "Cookie": f"thematica_session={session.token}",
                "X-CSRF-Token": session.csrf,
            }
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(str(target))
    tune_gc()  # as `thematica serve` does
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    connection = http.client.HTTPConnection("127.0.0.1", port)
    rng = random.Random(11)

    def timed(method: str, url: str, body: str | None = None) -> float:
        headers = dict(cookie, **({"Content-Type": "application/json"} if body else {}))
        started = time.perf_counter()
        connection.request(method, url, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        took = time.perf_counter() - started
        if response.status >= 400:
            raise SystemExit(f"{method} {url} answered {response.status}")
        return took

    try:
        page = [timed("GET", f"/transcripts/{summary.id}") for _ in range(opens + 3)][3:]
        twin = [timed("GET", f"/api/transcripts/{summary.id}") for _ in range(opens + 3)][3:]
        themes = [timed("GET", "/themes") for _ in range(opens + 3)][3:]
        theme_map = [timed("GET", "/themes/map.svg") for _ in range(opens + 3)][3:]
        added = []
        for _ in range(adds + 3):
            start = rng.randrange(0, length - 200)
            body = json.dumps({"code": code, "start": start, "end": start + rng.randint(20, 200)})
            added.append(timed("POST", f"/api/transcripts/{summary.id}/codings", body))
        added = added[3:]
    finally:
        connection.close()
        server.should_exit = True
        thread.join()
    print(
        json.dumps(
            {
                "benchmark": "web",
                "signed_in": signin,
                "study": str(source),
                "codes": codes,
                "codings_in_study": in_study,
                "transcript_words": summary.words,
                "open_transcript_page": {"requests": opens, **_percentiles(page)},
                "open_transcript_json": {"requests": opens, **_percentiles(twin)},
                "open_themes_page": {"requests": opens, **_percentiles(themes)},
                "theme_map_svg": {"requests": opens, **_percentiles(theme_map)},
                "add_coding": {"requests": adds, **_percentiles(added)},
            },
            indent=2,
        )
    )


def bench_search(transcripts: int, words: int, repeat: int) -> None:
    """Full-text search over the large imported study: building the index from scratch (what
    anonymisation and the 0007 upgrade do), then queries of an absent word, a common word, a phrase,
    a prefix and a filtered search, each ``repeat`` times after one warm-up (p50/p95)."""
    import shutil

    from sqlalchemy.orm import Session

    from thematica.service import StudyService
    from thematica.service.search import SearchFilter
    from thematica.storage import search_index

    source = OUT / f"import-{transcripts}x{words}.thematica"
    if not source.exists():
        bench_import(transcripts, words)
    target = OUT / f"search-{transcripts}x{words}.thematica"
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(source, target)
    with StudyService.open(str(target)) as study:
        started = time.perf_counter()
        with Session(study.engine) as session, session.begin():
            search_index.rebuild(session)
        rebuild = time.perf_counter() - started
        attribute = study.attribute_defs()[0].name
        value = next(iter(study.participants())).attributes[attribute]
        queries = {
            "absent word": ("zebra", SearchFilter()),
            "common word": ("pain", SearchFilter()),
            "phrase": ('"low mood"', SearchFilter()),
            "prefix": ("refer*", SearchFilter()),
            "filtered": ("pain", SearchFilter(attribute=attribute, value=str(value))),
        }
        figures: dict[str, object] = {}
        for name, (query, wanted) in queries.items():
            results = study.search(query, wanted)
            samples = []
            for _ in range(repeat):
                began = time.perf_counter()
                study.search(query, wanted)
                samples.append(time.perf_counter() - began)
            figures[name] = {
                "query": query,
                "turns": len(results.hits),
                "truncated": results.truncated,
                **_percentiles(samples),
            }
        info = study.info()
    print(
        json.dumps(
            {
                "benchmark": "search",
                "study": str(source),
                "transcripts": info.transcripts,
                "words": info.words,
                "index_rebuild_seconds": round(rebuild, 2),
                "queries": figures,
            },
            indent=2,
        )
    )


def bench_fuzz(args: argparse.Namespace) -> None:
    """See bench/fuzz.py."""
    sys.path.insert(0, str(HERE))
    from fuzz import run_fuzz, run_scaling

    report = run_fuzz(
        args.inputs, args.seed, args.workers, args.timeout, args.service_every, args.large_seeds
    )
    report["scaling"] = run_scaling()
    print(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="VTT import throughput and peak memory")
    imp.add_argument("--transcripts", type=int, default=1000)
    imp.add_argument("--words", type=int, default=8000)
    imp.add_argument(
        "--repeat", type=int, default=3, help="floor and import runs, alternated (medians)"
    )
    ana = sub.add_parser(
        "analysis", help="counts, matrix, saturation, agreement, co-occurrence timings"
    )
    ana.add_argument("--transcripts", type=int, default=1000)
    ana.add_argument("--words", type=int, default=8000)
    ana.add_argument("--codings", type=int, default=100_000, help="codings per coder")
    ana.add_argument("--codes", type=int, default=300)
    ana.add_argument("--repeat", type=int, default=3)
    ana.add_argument("--only", choices=ANALYSES, help="one analysis alone (its own peak memory)")
    anon = sub.add_parser(
        "anonymise", help="identifier scan throughput (register and pattern detectors)"
    )
    anon.add_argument("--transcripts", type=int, default=1000)
    anon.add_argument("--words", type=int, default=8000)
    exch = sub.add_parser("exchange", help="REFI-QDA export and re-import of the large study")
    exch.add_argument("--transcripts", type=int, default=1000)
    exch.add_argument("--words", type=int, default=8000)
    exch.add_argument("--codings", type=int, default=100_000, help="codings per coder")
    exch.add_argument(
        "--repeat", type=int, default=1, help="export and import runs, alternated (best time)"
    )
    web = sub.add_parser("web", help="open a transcript and add codings over HTTP (p50/p95)")
    web.add_argument("--transcripts", type=int, default=1000)
    web.add_argument("--words", type=int, default=8000)
    web.add_argument("--opens", type=int, default=50)
    web.add_argument("--adds", type=int, default=300)
    web.add_argument(
        "--codings",
        type=int,
        default=100_000,
        help="coder A's codings (coder B adds as many, the agreed layer about half as many)",
    )
    web.add_argument("--codes", type=int, default=300, help="codes in the study")
    web.add_argument(
        "--signin", action="store_true", help="members have passwords: session cookie and CSRF"
    )
    webc = sub.add_parser(
        "web-coding",
        help="click 'Apply code' to highlight painted, in Chromium (bench/web_coding.py)",
    )
    webc.add_argument("--codings", type=int, default=50)
    webc.add_argument("--words", type=int, default=8000, help="words in the one transcript")
    webc.add_argument("--codes", type=int, default=300, help="codes in the codebook")
    srch = sub.add_parser("search", help="full-text index rebuild and search timings (p50/p95)")
    srch.add_argument("--transcripts", type=int, default=1000)
    srch.add_argument("--words", type=int, default=8000)
    srch.add_argument("--repeat", type=int, default=20)
    cli = sub.add_parser("cli", help="start-up time of the command line (min/median of N runs)")
    cli.add_argument("--runs", type=int, default=20)
    conc = sub.add_parser(
        "concurrency", help="20 coders and the CLI writing at once (see bench/concurrency.py)"
    )
    conc.add_argument("--clients", type=int, default=20)
    conc.add_argument("--seconds", type=float, default=60)
    conc.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    conc.add_argument(
        "--url", help="PostgreSQL URL, emptied first (default: THEMATICA_TEST_POSTGRES_URL)"
    )
    team = sub.add_parser(
        "team", help="members coding at once while their pages poll the live feed (bench/team.py)"
    )
    team.add_argument("--clients", type=int, default=20)
    team.add_argument("--seconds", type=float, default=60)
    team.add_argument("--pollers", type=int, default=10, help="members whose page polls the feed")
    team.add_argument("--pause", type=float, default=0.2, help="mean seconds between two actions")
    team.add_argument("--backend", choices=("sqlite", "postgres"), default="postgres")
    team.add_argument(
        "--url", help="PostgreSQL URL, emptied first (default: THEMATICA_TEST_POSTGRES_URL)"
    )
    fuzz = sub.add_parser("fuzz", help="every importer over mutated files, with a watchdog")
    fuzz.add_argument("--inputs", type=int, default=100_000)
    fuzz.add_argument("--seed", type=int, default=20261203)
    fuzz.add_argument("--workers", type=int, default=1)
    fuzz.add_argument("--timeout", type=float, default=10.0, help="seconds before a hang")
    fuzz.add_argument("--service-every", type=int, default=25)
    fuzz.add_argument("--large-seeds", action="store_true", help="also the 1.4 MB projects")
    aud = sub.add_parser("audit", help="manuscript audit: 10,000 words, 200 claims, 100 quotes")
    aud.add_argument("--transcripts", type=int, default=1000)
    aud.add_argument("--words", type=int, default=8000)
    aud.add_argument("--repeat", type=int, default=3)
    med = sub.add_parser(
        "media", help="attach a 60-minute recording, seek in it over HTTP (p95 to first byte)"
    )
    med.add_argument("--seeks", type=int, default=100)
    med.add_argument("--span", type=int, default=65536, help="bytes per range")
    agr = sub.add_parser(
        "agreement",
        help="two coders' agreement, interleaved with another tree (bench/agreement.py)",
    )
    agr.add_argument("--study", type=Path, help="default: workload L (built under bench/out)")
    agr.add_argument("--runs", type=int, default=5)
    agr.add_argument("--against", type=Path, help="another tree's src/ (the code before a change)")
    scale = sub.add_parser(
        "scale", help="workload L against XL: each figure's growth and each command's peak memory"
    )
    scale.add_argument("--sizes", default="L,XL", help="L, XL or both (L,XL)")
    scale.add_argument("--words", type=int, default=8000)
    scale.add_argument("--repeat", type=int, default=3, help="analysis: best of N")
    tag = sub.add_parser(
        "taguette",
        help="side by side with Taguette 1.5.2, the ratio table (bench/taguette_bench.py)",
    )
    tag.add_argument("--docs", type=int, default=50, help="documents (issue 15: 50 and 200)")
    tag.add_argument("--words", type=int, default=5000, help="words per document")
    tag.add_argument("--opens", type=int, default=50, help="page and JSON opens of each tool")
    tag.add_argument("--adds", type=int, default=200, help="codings added by each tool")
    tag.add_argument("--repeat", type=int, default=3, help="imports and exports of each tool")
    tag.add_argument(
        "--venv", type=Path, help="Taguette's virtualenv (default: ~/.cache/thematica-bench/...)"
    )
    for hidden in ("_import-worker", "_floor-worker"):
        worker = sub.add_parser(hidden)
        worker.add_argument("folder", type=Path)
        worker.add_argument("study", type=Path)
    args = parser.parse_args()
    if args.command == "import":
        bench_import(args.transcripts, args.words, args.repeat)
    elif args.command == "scale":
        sys.path.insert(0, str(HERE))
        from scale import SIZES, bench_scale

        sizes = [n.strip().upper() for n in args.sizes.split(",") if n.strip()]
        if not sizes or len(sizes) > 2 or any(n not in SIZES for n in sizes):
            raise SystemExit("--sizes: L, XL or L,XL")
        bench_scale(sizes, args.words, args.repeat, ANALYSES)
    elif args.command == "analysis":
        bench_analysis(
            args.transcripts, args.words, args.codings, args.codes, args.repeat, args.only
        )
    elif args.command == "anonymise":
        bench_anonymise(args.transcripts, args.words)
    elif args.command == "exchange":
        sys.path.insert(0, str(HERE))
        from exchange_bench import bench_exchange

        study = _analysis_study(args.transcripts, args.words, args.codings, 300)
        bench_exchange(study, OUT, args.repeat)
    elif args.command == "web":
        bench_web(
            args.transcripts,
            args.words,
            args.opens,
            args.adds,
            args.signin,
            args.codings,
            args.codes,
        )
    elif args.command == "web-coding":
        sys.path.insert(0, str(HERE))
        from web_coding import bench_web_coding

        bench_web_coding(args.codings, args.words, args.codes)
    elif args.command == "search":
        bench_search(args.transcripts, args.words, args.repeat)
    elif args.command == "cli":
        from startup import bench_cli

        bench_cli(args.runs)
    elif args.command == "concurrency":
        sys.path.insert(0, str(HERE))
        from concurrency import bench_concurrency

        bench_concurrency(args.backend, args.url, args.clients, args.seconds)
    elif args.command == "team":
        sys.path.insert(0, str(HERE))
        from team import bench_team

        bench_team(args.backend, args.url, args.clients, args.seconds, args.pollers, args.pause)
    elif args.command == "fuzz":
        bench_fuzz(args)
    elif args.command == "audit":
        sys.path.insert(0, str(HERE))
        from manuscript import bench_audit

        bench_audit(_analysis_study(args.transcripts, args.words, 100_000, 300), args.repeat)
    elif args.command == "media":
        sys.path.insert(0, str(HERE))
        from media import bench_media

        bench_media(args.seeks, args.span)
    elif args.command == "agreement":
        sys.path.insert(0, str(HERE))
        from agreement import bench_agreement

        study = args.study or _analysis_study(1000, 8000, 100_000, 300)
        bench_agreement(study, args.runs, args.against)
    elif args.command == "taguette":
        sys.path.insert(0, str(HERE))
        from taguette_bench import bench_taguette

        bench_taguette(args.docs, args.words, args.opens, args.adds, args.repeat, args.venv)
    elif args.command == "_import-worker":
        print(json.dumps(_import_worker(args.folder, args.study)))
    elif args.command == "_floor-worker":
        sys.path.insert(0, str(HERE))
        print(json.dumps(_floor_worker(args.folder, args.study)))


if __name__ == "__main__":
    main()
