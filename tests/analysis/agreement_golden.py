"""The agreement outputs whose bytes must not change (issue 15: faster, not different).

:func:`outputs` gives every agreement output (CLI JSON and text, every option that changes it;
one transcript's figures; Krippendorff's alpha) for the demo study and for a bench-like
workload: the demo's transcripts with two coders' random, jittered codings (fixed seed), as
``bench/run.py analysis`` generates them. ``agreement_golden.json`` holds their SHA-256
digests, recorded on the implementation before the array rewrite. After a deliberate change of
the demo or of an output, record them again:
``PYTHONPATH=src python -m tests.analysis.agreement_golden``.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

from click.testing import CliRunner

from thematica import serialise
from thematica.cli.main import cli
from thematica.domain import CodingSpec, Level, MemberRole
from thematica.service import StudyService

GOLDEN = Path(__file__).with_name("agreement_golden.json")
DEMO_PAIR = "Rachel Ames,Tom Okafor"
BENCH_PAIR = "Coder A,Coder B"


def add_bench_codings(study_path: Path, codings: int = 1500, seed: int = 7) -> None:
    """Two coders' codings as ``bench/run.py``'s workload makes them: B agrees with A 80 % of the
    time within ±30 characters, otherwise codes something else somewhere else."""
    rng = random.Random(seed)
    with StudyService.open(str(study_path)) as study:
        study.add_team_member("Coder A", MemberRole.LEAD)
        study.add_team_member("Coder B", MemberRole.CODER)
        paths = [c.path for c in study.codes(Level.ONE, counted=False)]
        lengths = {t.id: t.words * 5 for t in study.transcripts()}
        tids = sorted(lengths)
        specs_a: list[CodingSpec] = []
        specs_b: list[CodingSpec] = []
        for row in range(codings):
            tid = rng.choice(tids)
            path = rng.choice(paths)
            start = rng.randrange(0, max(1, lengths[tid] - 600))
            end = start + rng.randint(1, 400)
            specs_a.append(CodingSpec(row, str(tid), "Coder A", path, start, end))
            if rng.random() < 0.8:
                b_start = max(0, start + rng.randint(-30, 30))
                b_end = max(b_start + 1, end + rng.randint(-30, 30))
                specs_b.append(CodingSpec(row, str(tid), "Coder B", path, b_start, b_end))
            else:
                other = rng.choice(paths)
                s2 = rng.randrange(0, max(1, lengths[tid] - 600))
                specs_b.append(
                    CodingSpec(row, str(tid), "Coder B", other, s2, s2 + rng.randint(1, 400))
                )
        for specs in (specs_a, specs_b):
            unique = {(s.transcript, s.code, s.start, s.end): s for s in specs}
            study.import_codings(list(unique.values()), source="bench", level=Level.ONE)


def _cli(args: list[str]) -> bytes:
    result = CliRunner().invoke(cli, args)
    return f"exit {result.exit_code}\n{result.output}".encode()


def study_outputs(study: str, pair: str, code: str) -> dict[str, bytes]:
    """Every agreement output of ``study`` for the two coders ``pair``."""
    out: dict[str, bytes] = {}
    for level in ("1", "2"):
        for scope in ("either", "both"):
            for convention in ("applied", "nvivo"):
                base = ["agreement", study, "--coders", pair, "--level", level]
                base += ["--scope", scope, "--convention", convention]
                key = f"L{level} {scope} {convention}"
                out[f"{key} json"] = _cli([*base, "--format", "json"])
                out[f"{key} json code"] = _cli([*base, "--code", code, "--format", "json"])
                out[f"{key} text"] = _cli(base)
                out[f"{key} text no-disagreements"] = _cli([*base, "--no-disagreements"])
                out[f"{key} text code"] = _cli([*base, "--code", code])
    a, b = pair.split(",")
    with StudyService.open(study) as service:
        for t in service.transcripts():
            for level in (Level.ONE, Level.TWO):
                report = service.transcript_agreement(str(t.id), a, b, level=level)
                text = json.dumps(serialise.transcript_agreement(report), sort_keys=True)
                out[f"transcript {t.id} L{int(level)}"] = text.encode()
        for scope in ("either", "both"):
            many = service.agreement_many([a, b], level=Level.ONE, scope=scope)
            out[f"many {scope}"] = json.dumps(serialise.agreement_many(many, scope=scope)).encode()
    return out


def outputs(folder: Path, demo: Path) -> dict[str, bytes]:
    """The demo's outputs, then the bench-like workload's (on a copy of the demo)."""
    found = {f"demo {k}": v for k, v in study_outputs(str(demo), DEMO_PAIR, "Referral").items()}
    bench = folder / "bench.thematica"
    shutil.copyfile(demo, bench)
    add_bench_codings(bench)
    found.update(
        {f"bench {k}": v for k, v in study_outputs(str(bench), BENCH_PAIR, "Referral").items()}
    )
    return found


def digests(found: dict[str, bytes]) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in sorted(found.items())}


if __name__ == "__main__":  # record the digests
    import tempfile

    from thematica.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo.thematica")
        GOLDEN.write_text(json.dumps(digests(outputs(Path(tmp), demo)), indent=1) + "\n")
    print(f"recorded {GOLDEN}")
