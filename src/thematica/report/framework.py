"""Table 2: overarching themes > themes > sub-themes, each with its single count (n/N, rolled
up as a union; Sandelowski 2001), its quantifier phrase (Maxwell 2010) and its divergent cases.
See docs/methods.md#single-counting-of-participants-per-theme."""

from __future__ import annotations

from thematica.analysis.reports import NodeCount
from thematica.domain import CodePath, format_path
from thematica.report.data import ReportData
from thematica.report.model import DASH, Row, Table
from thematica.report.saturation_figure import LEVELS

LEVEL_NAMES = {1: "overarching theme", 2: "theme"}


def level_name(depth: int) -> str:
    return LEVEL_NAMES.get(depth, "sub-theme")


def words(node: NodeCount) -> str:
    """The quantifier phrase without its count: "all but one participant"."""
    return node.phrase.rsplit(" (", 1)[0]


def fraction(node: NodeCount) -> str:
    return f"{node.rolled_up}/{node.total}"


def divergent_cell(node: NodeCount) -> str:
    return f"{len(node.divergent)} ({', '.join(node.divergent)})" if node.divergent else DASH


def theme_counts(data: ReportData) -> dict[CodePath, NodeCount]:
    return {node.path: node for node in data.counts.themes}


def table2(data: ReportData) -> Table:
    rows = tuple(
        Row(
            (node.path[-1], fraction(node), words(node), divergent_cell(node)),
            indent=node.depth - 1,
            bold=node.depth == 1,
        )
        for node in data.counts.themes
    )
    return Table(
        key="table2",
        title="Table 2. Overarching themes, themes and sub-themes: participants contributing to each",
        columns=("Theme", "n/N", "Participants", "Divergent cases"),
        rows=rows,
        notes=(
            f"n/N: distinct participants (N = {data.counts.total}) with a "
            f"{LEVELS[data.level]} coding under "
            "the node; each participant counts once, and counts roll up as unions, never sums. "
            "Divergent cases: participants coded with a code marked divergent for the node or "
            "a node beneath it.",
        ),
        sheet="Table 2",
    )


def table2_records(data: ReportData) -> list[dict[str, str]]:
    """Table 2 as data, one record per node (for CSV and XLSX)."""
    return [
        {
            "level": level_name(node.depth),
            "depth": str(node.depth),
            "path": format_path(node.path),
            "name": node.path[-1],
            "n": str(node.rolled_up),
            "N": str(node.total),
            "n/N": fraction(node),
            "quantifier": words(node),
            "divergent n": str(len(node.divergent)),
            "divergent cases": "; ".join(node.divergent),
        }
        for node in data.counts.themes
    ]


def count_records(data: ReportData) -> list[dict[str, str]]:
    """Every theme node and code (at the analysis level) with its single count (the full counts table)."""
    return [
        {
            "kind": node.kind,
            "path": format_path(node.path),
            "depth": str(node.depth),
            "direct": str(node.direct),
            "n": str(node.rolled_up),
            "N": str(node.total),
            "phrase": node.phrase,
            "supporters": "; ".join(node.supporters),
            "not represented": "; ".join(node.not_represented),
            "divergent": "; ".join(node.divergent),
        }
        for node in (*data.counts.themes, *data.counts.codes)
    ]
