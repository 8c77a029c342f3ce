"""The arithmetic of a side-by-side benchmark (issue 15): medians, percentiles, the ratio
Thematica ÷ Taguette (below 1 is faster), each row's target and verdict, and the printed table.
Pure functions on lists of seconds: no server, no clock, so tests can check them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One operation: its label, the measure that summarises its samples, and its target (the
    largest ratio that passes; None: no target)."""

    key: str
    label: str
    measure: str  # "median" or "p50"
    target: float | None


ROWS: tuple[Row, ...] = (
    Row("import", "import, per document", "median", 0.5),
    Row("add_coding", "add a coding over HTTP, p50", "p50", 0.2),
    Row("open_page", "open a document page, p50", "p50", 0.2),
    Row("open_json", "open a document's JSON, p50", "p50", 0.2),
    Row("open_cpu", "server CPU per open", "median", 0.2),
    Row("export_project", "whole-project export", "median", 0.5),
    Row("export_codebook", "codebook export (.qdc)", "median", 0.5),
)


def percentile(samples: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by the nearest-rank rule: a value that was measured."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n q), at least 1
    return ordered[int(rank) - 1]


def summary(samples: list[float], measure: str) -> float:
    if measure == "p50":
        return percentile(samples, 0.5)
    if measure == "median":
        return float(statistics.median(samples))
    raise ValueError(f"unknown measure {measure!r}")


def ratio(ours: float, theirs: float) -> float:
    """Thematica ÷ Taguette; below 1 is faster."""
    if theirs <= 0:
        raise ValueError("Taguette's figure must be positive")
    return ours / theirs


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return "-"
    return "pass" if value <= target else "fail"


@dataclass(frozen=True)
class Result:
    row: Row
    thematica: float  # seconds
    taguette: float  # seconds

    @property
    def ratio(self) -> float:
        return ratio(self.thematica, self.taguette)

    @property
    def status(self) -> str:
        return verdict(self.ratio, self.row.target)

    def as_dict(self) -> dict[str, object]:
        return {
            "operation": self.row.label,
            "thematica_ms": round(self.thematica * 1000, 3),
            "taguette_ms": round(self.taguette * 1000, 3),
            "ratio": round(self.ratio, 3),
            "target": self.row.target,
            "status": self.status,
        }


def results(samples: dict[str, tuple[list[float], list[float]]]) -> list[Result]:
    """One Result per row in ROWS order, from each row's (Thematica, Taguette) samples."""
    return [
        Result(
            row,
            summary(samples[row.key][0], row.measure),
            summary(samples[row.key][1], row.measure),
        )
        for row in ROWS
        if row.key in samples
    ]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def table(found: list[Result], documents: int) -> str:
    """A Markdown table: operation, both times in ms, the ratio, the target and pass/fail."""
    lines = [
        f"| operation ({documents} docs) | Thematica ms | Taguette ms | ratio | target | status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for result in found:
        target = "-" if result.row.target is None else f"≤ {result.row.target:g}"
        lines.append(
            f"| {result.row.label} | {_ms(result.thematica)} | {_ms(result.taguette)} "
            f"| {result.ratio:.2f} | {target} | {result.status} |"
        )
    return "\n".join(lines)
