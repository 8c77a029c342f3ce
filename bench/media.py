"""Seeking in a recording over HTTP (issue 16): a generated 60-minute WAV (8 kHz mono, 16 bit,
about 58 MB, written to a temporary folder, never downloaded) is attached to a transcript that
runs to 60 minutes, then the workbench (uvicorn on 127.0.0.1, one keep-alive connection, a
coder's identity cookie) is asked for ``--seeks`` random byte ranges of ``--span`` bytes, as a
player seeking does. Reported: the time to attach, and the p50/p95/max of the time to first
byte (request sent to the first body byte read) and of the whole range.

    python bench/run.py media [--seeks 100] [--span 65536]
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import tempfile
import threading
import time
import wave
from functools import partial
from pathlib import Path

import numpy as np

MINUTES = 60
RATE = 8000


def _wav(path: Path, seconds: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        for minute in range(seconds // 60):  # a minute at a time: little memory
            t = (np.arange(60 * RATE) + minute * 60 * RATE) / RATE
            out.writeframes((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())


def _vtt(seconds: int) -> bytes:
    cues = ["WEBVTT", ""]
    for i, start in enumerate(range(0, seconds, 30)):
        a, b = start, start + 30
        cues += [
            f"{a // 3600:02d}:{a // 60 % 60:02d}:{a % 60:02d}.000 --> "
            f"{b // 3600:02d}:{b // 60 % 60:02d}:{b % 60:02d}.000",
            f"<v {'Interviewer' if i % 2 else 'Pat'}>Turn {i} of the interview.</v>",
            "",
        ]
    return "\n".join(cues).encode()


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "max_ms": round(ordered[-1] * 1000, 2)}


def bench_media(seeks: int, span: int) -> None:
    import uvicorn

    from thematica.domain import MemberRole
    from thematica.importers.register import read_register
    from thematica.service import StudyService, TranscriptSource
    from thematica.web.app import create_app, tune_gc

    with tempfile.TemporaryDirectory(prefix="thematica-media-bench-") as tmp:
        folder = Path(tmp)
        recording = folder / "interview.wav"
        started = time.perf_counter()
        _wav(recording, MINUTES * 60)
        generated = time.perf_counter() - started
        study_path = folder / "media.thematica"
        with StudyService.create(str(study_path), title="Media benchmark") as study:
            study.import_register(read_register(b"label,group\nP1,A\n", "r.csv"), source="r.csv")
            study.add_team_member("Coder B", MemberRole.CODER)
            study.import_transcripts(
                [TranscriptSource("p1.vtt", partial(_vtt, MINUTES * 60), participant="P1")]
            )
            started = time.perf_counter()
            found = study.as_member("Coder B").attach_recording("P1", recording)
            attached = time.perf_counter() - started
        size = found.size_bytes
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = create_app(str(study_path))
        tune_gc()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port)
        rng = random.Random(16)
        first_byte: list[float] = []
        whole: list[float] = []
        try:
            for i in range(seeks + 3):
                start = rng.randrange(0, size - span)
                headers = {
                    "Cookie": "thematica_member=Coder%20B",
                    "Range": f"bytes={start}-{start + span - 1}",
                }
                began = time.perf_counter()
                connection.request("GET", f"/media/{found.transcript_id}", headers=headers)
                response = connection.getresponse()
                response.read(1)
                ttfb = time.perf_counter() - began
                rest = response.read()
                took = time.perf_counter() - began
                if response.status != 206 or len(rest) != span - 1:
                    raise SystemExit(f"range {start}: answered {response.status}")
                if i >= 3:  # three warm-up requests are not counted
                    first_byte.append(ttfb)
                    whole.append(took)
        finally:
            connection.close()
            server.should_exit = True
            thread.join()
    print(
        json.dumps(
            {
                "benchmark": "media",
                "recording": {
                    "minutes": MINUTES,
                    "format": f"WAV {RATE} Hz mono 16 bit",
                    "bytes": size,
                },
                "generate_s": round(generated, 2),
                "attach_s": round(attached, 2),
                "seeks": seeks,
                "range_bytes": span,
                "time_to_first_byte": _percentiles(first_byte),
                "whole_range": _percentiles(whole),
                "target_p95_ttfb_ms": 50,
            },
            indent=2,
        )
    )
