"""The single-counting and matrix outputs whose bytes must not change (issue 15), like
``agreement_golden.py``: every ``counts`` and ``matrix`` output (each format; level, coders, by
group or attribute; rows) on the demo and on the bench-like workload. ``counts_golden.json``
holds their SHA-256 digests, recorded before the rewrite. After a deliberate change, record
them again: ``PYTHONPATH=src python -m tests.analysis.counts_golden``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.analysis.agreement_golden import _cli, add_bench_codings, digests

GOLDEN = Path(__file__).with_name("counts_golden.json")
ATTRIBUTES = ("group", "setting", "age", "gender", "mh_training", "years_qualified", "nhs_band")


def study_outputs(study: str, coders: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for level in ("1", "2"):
        for who in ("", coders):
            base = ["--level", level] + (["--coders", who] if who else [])
            key = f"L{level} {'some' if who else 'all'}"
            for fmt in ("text", "json", "csv", "md"):
                out[f"counts {key} {fmt}"] = _cli(["counts", study, *base, "--format", fmt])
            for by in ATTRIBUTES:
                out[f"counts {key} by {by}"] = _cli(
                    ["counts", study, *base, "--by", by, "--format", "json"]
                )
                out[f"counts {key} by {by} md"] = _cli(
                    ["counts", study, *base, "--by", by, "--format", "md"]
                )
                for rows in ("auto", "themes", "codes"):
                    for fmt in ("text", "json"):
                        out[f"matrix {key} {by} {rows} {fmt}"] = _cli(
                            ["matrix", study, *base, "--by", by, "--rows", rows, "--format", fmt]
                        )
    return out


def outputs(folder: Path, demo: Path) -> dict[str, bytes]:
    found = {f"demo {k}": v for k, v in study_outputs(str(demo), "Rachel Ames").items()}
    bench = folder / "bench.thematica"
    shutil.copyfile(demo, bench)
    add_bench_codings(bench)
    found.update({f"bench {k}": v for k, v in study_outputs(str(bench), "Coder B").items()})
    return found


if __name__ == "__main__":  # record the digests
    import tempfile

    from thematica.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo.thematica")
        GOLDEN.write_text(json.dumps(digests(outputs(Path(tmp), demo)), indent=1) + "\n")
    print(f"recorded {GOLDEN}")
