"""Thematica benchmarks. Figures are measured here, never asserted in tests.

    python bench/run.py import [--transcripts 1000] [--words 8000]

``import``: generates the large synthetic study (1,000 Teams VTT interviews of 8,000 words, a
register with 10 attributes) once under bench/out/, then imports it into a fresh study file in
a child process and reports wall time, words per second (whole import, and parsing alone) and
the child's peak memory (maximum resident set size).
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
        report = study.import_transcripts(sources)
        elapsed = time.perf_counter() - started
        total_words = sum(t.words for t in report.imported)
    return {
        "transcripts": len(report.imported),
        "words": total_words,
        "seconds": round(elapsed, 2),
        "words_per_second": round(total_words / elapsed),
        "parse_only_words_per_second": round(parse_rate),
        "study_file_mb": round(study_path.stat().st_size / 2**20, 1),
    }


def bench_import(transcripts: int, words: int) -> None:
    sys.path.insert(0, str(HERE))
    from synthetic import generate

    folder = OUT / f"large-{transcripts}x{words}"
    started = time.perf_counter()
    generate(folder, transcripts, words)
    print(
        f"synthetic study ready in {time.perf_counter() - started:.1f} s: {folder}", file=sys.stderr
    )
    study = OUT / f"import-{transcripts}x{words}.thematica"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    child = subprocess.run(
        [sys.executable, __file__, "_import-worker", str(folder), str(study)],
        check=True,
        capture_output=True,
        text=True,
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(child.stdout)
    result["peak_memory_mb"] = round(max(peak_kb, before) / 1024)
    print(json.dumps({"benchmark": "import", **result}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="VTT import throughput and peak memory")
    imp.add_argument("--transcripts", type=int, default=1000)
    imp.add_argument("--words", type=int, default=8000)
    worker = sub.add_parser("_import-worker")
    worker.add_argument("folder", type=Path)
    worker.add_argument("study", type=Path)
    args = parser.parse_args()
    if args.command == "import":
        bench_import(args.transcripts, args.words)
    elif args.command == "_import-worker":
        print(json.dumps(_import_worker(args.folder, args.study)))


if __name__ == "__main__":
    main()
