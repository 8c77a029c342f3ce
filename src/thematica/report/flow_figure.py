"""The participant flow figure (CONSORT-style): approached -> screened -> eligible -> consented
-> interviewed -> analysed, with who left between two stages and why, drawn with Graphviz the
way the theme map is (:mod:`thematica.report.theme_map`), as SVG, PDF and PNG (300 dpi).

Legible in greyscale: the stages are a column of solid boxes joined by arrows; those who left
branch off to the right into thin boxes listing their reasons with counts."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from thematica import private_files
from thematica.errors import ThematicaError
from thematica.report.data import ReportData
from thematica.report.model import Block, Figure
from thematica.report.png import with_dpi
from thematica.report.theme_map import DPI, FONT, INSTALL, _graphviz, wrap
from thematica.service.recruitment_types import Flow

STEM = "participant-flow"
TITLES = {
    "approached": "Approached",
    "screened": "Screened for eligibility",
    "eligible": "Eligible",
    "consented": "Consented",
    "interviewed": "Interviewed",
    "analysed": "Analysed",
}
LEFT = {
    "approached": "Not screened",
    "screened": "Excluded",
    "eligible": "Did not consent",
    "consented": "Not interviewed",
    "interviewed": "Withdrew after interview",
}
CAPTION = (
    "Participant flow, from the recruitment log: candidates approached, screened, eligible, "
    "consenting, interviewed and analysed (n at each stage); boxes to the right give those "
    "who left after a stage, with reasons (ineligible: the criterion that excluded them)."
)


def blocks(data: ReportData) -> list[Block]:
    """The figure's place in the report (beside Table 1), when the study keeps a log."""
    if data.recruitment is None or not data.recruitment.candidates:
        return []
    return [Figure(STEM, caption(data.recruitment.flow))]


def caption(flow: Flow) -> str:
    text = CAPTION
    if flow.waiting:
        were = "candidate was" if flow.waiting == 1 else "candidates were"
        text += f" {flow.waiting} {were} still in recruitment when the report was made."
    return text


def _box(title: str, count: int, lines: tuple[tuple[str, int], ...] = ()) -> str:
    """A stage (centred) or a box of leavers (left-aligned, one reason a line). The count has a
    line of its own: a browser's font is not Graphviz's, and a bold title and the count after
    it on one line run into each other in the SVG."""
    if not lines:
        return f"<<B>{html.escape(title)}</B><BR/>(n = {count})>"
    left = '<BR ALIGN="LEFT"/>'
    rows = [f"<B>{html.escape(title)}</B>", f"(n = {count})"]
    for reason, n in lines:
        for i, line in enumerate(wrap(f"{reason} ({n})", 38)):
            rows.append(("• " if i == 0 else "   ") + html.escape(line, quote=False))
    return "<" + "".join(row + left for row in rows) + ">"


def build(flow: Flow, dpi: int | None = None) -> Any:
    """The flow as Graphviz source (not yet rendered); ``dpi`` for a raster image."""
    graphviz = _graphviz()
    graph = graphviz.Digraph(
        "participant_flow",
        graph_attr={
            "rankdir": "TB",
            "ranksep": "0.25",
            "nodesep": "0.5",
            "fontname": FONT,
            "bgcolor": "#ffffff",
            "pad": "0.1",
            "splines": "ortho",
            **({"dpi": str(dpi)} if dpi else {}),
        },
        node_attr={
            "fontname": FONT,
            "shape": "box",
            "color": "#000000",
            "fontsize": "11",
            "margin": "0.12,0.06",
        },
        edge_attr={"color": "#000000", "arrowsize": "0.7"},
    )
    stages = flow.stages
    for i, stage in enumerate(stages):
        graph.node(
            f"s{i}",
            _box(TITLES.get(stage.name, stage.name), stage.count),
            penwidth="1.6",
            width="2.6",
        )
    for i, stage in enumerate(stages[:-1]):
        if not stage.left:
            graph.edge(f"s{i}", f"s{i + 1}")
            continue
        gone = sum(n for _, n in stage.left)
        side = graph.subgraph(name=f"rank{i}")
        with side as row:
            row.attr(rank="same")
            row.node(f"j{i}", "", shape="point", width="0.01", height="0.01")
            row.node(
                f"l{i}",
                _box(LEFT.get(stage.name, "Left"), gone, stage.left),
                fontsize="10",
                penwidth="0.8",
            )
        graph.edge(f"s{i}", f"j{i}", arrowhead="none")
        graph.edge(f"j{i}", f"s{i + 1}")
        graph.edge(f"j{i}", f"l{i}")
    return graph


def render(data: ReportData, out_dir: Path) -> list[Path]:
    """Write ``participant-flow.svg``, ``.pdf`` and ``.png`` (300 dpi) when the study keeps a
    recruitment log; return the paths written."""
    if data.recruitment is None or not data.recruitment.candidates:
        return []
    flow = data.recruitment.flow
    graphviz = _graphviz()
    written = []
    try:
        vector = build(flow)
        for fmt in ("svg", "pdf"):
            path = out_dir / f"{STEM}.{fmt}"
            private_files.write_bytes(path, vector.pipe(format=fmt))
            written.append(path)
        path = out_dir / f"{STEM}.png"
        private_files.write_bytes(path, with_dpi(build(flow, dpi=DPI).pipe(format="png"), DPI))
        written.append(path)
    except graphviz.ExecutableNotFound:
        raise ThematicaError(INSTALL) from None
    except graphviz.CalledProcessError as exc:
        raise ThematicaError(
            f"Graphviz could not draw the participant flow: {exc.stderr!r}"
        ) from None
    return written
