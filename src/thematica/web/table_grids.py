"""The codebook, the agreement table and the attribute matrix as flat tables (:class:`Grid`) for
their CSV and XLSX downloads. Each is a pure function of its page's JSON twin, so a download
holds the figures that member's page shows, unrounded, and nothing more."""

from __future__ import annotations

from typing import Any

from thematica.domain import format_path
from thematica.report.sheets import Cell, Grid

CODEBOOK_COLUMNS = ("Level", "Code", "Name", "Parent", "Depth", "Codings", "Description")


def codebook(twin: dict[str, Any]) -> Grid:
    """Every code of both levels (level two first, parents before children), as the page."""
    rows: list[tuple[Cell, ...]] = [
        (
            code["level"],
            code["path"],
            code["name"],
            code["parent"] or "",
            code["depth"],
            code["codings"],
            code["description"],
        )
        for level in twin["levels"]
        for code in level["codes"]
    ]
    return Grid("Codebook", CODEBOOK_COLUMNS, tuple(rows))


AGREEMENT_COLUMNS = (
    "Code",
    "Transcripts",
    "Characters: pooled kappa",
    "Characters: pooled agreement %",
    "Characters: mean kappa",
    "Characters: mean kappa weighted by length",
    "Participants: agreement %",
    "Participants: Cohen's kappa",
    "Turns: agreement %",
    "Turns: Cohen's kappa",
    "Turns: Gwet's AC1",
)
ALL_CODES = "(all codes together)"


def _agreement_row(
    code: str,
    transcripts: int,
    chars: dict[str, Any],
    people: dict[str, Any],
    turns: dict[str, Any],
) -> tuple[Cell, ...]:
    p, t = people["coefficients"], turns["coefficients"]
    return (
        code,
        transcripts,
        chars["pooled_kappa"],
        chars["pooled_percent"],
        chars["unweighted_mean_kappa"],
        chars["size_weighted_mean_kappa"],
        p["percent_agreement"],
        p["cohen_kappa"],
        t["percent_agreement"],
        t["cohen_kappa"],
        t["gwet_ac1"],
    )


def agreement(twin: dict[str, Any]) -> Grid:
    """The "All codes together" figures, then the page's "By code" table, one code a row."""
    rows = [
        _agreement_row(
            ALL_CODES,
            len(twin["transcripts"]),
            twin["pooled_characters"],
            twin["pooled_participants"],
            twin["pooled_turns"],
        ),
        *(
            _agreement_row(
                format_path(c["code"]),
                len(c["characters"]),
                c["characters_overall"],
                c["participants"],
                c["turns"],
            )
            for c in twin["codes"]
        ),
    ]
    name = f"Agreement {twin['coder_a']} and {twin['coder_b']}"
    return Grid(name, AGREEMENT_COLUMNS, tuple(rows))


def matrix(twin: dict[str, Any]) -> Grid:
    """A row per theme or code; per attribute value, its n, N, quantifier and codings."""
    columns: list[str] = ["Kind", "Theme or code", "Depth"]
    for value, _total in twin["values"]:
        columns += [f"{value}: n", f"{value}: N", f"{value}: quantifier", f"{value}: codings"]
    rows: list[tuple[Cell, ...]] = []
    for row in twin["rows"]:
        cells: list[Cell] = [row["kind"], format_path(row["path"]), len(row["path"])]
        for c in row["cells"]:
            cells += [c["participants"], c["total"], c["phrase"], c["codings"]]
        rows.append(tuple(cells))
    return Grid(f"Matrix by {twin['attribute']}", tuple(columns), tuple(rows))
