"""Figure 1, the theme map: the framework's hierarchy and its named interlinks (Graphviz).

Legible in greyscale: levels differ by shape, fill and line weight, not by colour alone, and
interlinks are dashed, arrowed and labelled on their own line. Colours are 6-digit hex (3-digit hex renders
black in Graphviz). Every node shows n/N.
"""

from __future__ import annotations

import html
import shutil
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematica import private_files
from thematica.analysis.reports import NodeCount
from thematica.domain import CodePath, Link, ThemeNode
from thematica.errors import ThematicaError
from thematica.report.data import ReportData
from thematica.report.framework import theme_counts
from thematica.report.png import with_dpi

DPI = 300
FONT = "Helvetica,Arial,sans-serif"
INSTALL = (
    "the theme map needs Graphviz: its `dot` program was not found on PATH; install graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) and run the "
    "report again"
)
# depth -> node attributes. Overarching theme: dark box with a double border; theme: grey
# rounded box with a medium line; sub-theme: white ellipse with a thin line.
STYLES: dict[int, dict[str, str]] = {
    1: {
        "shape": "box",
        "style": "filled",
        "peripheries": "2",
        "penwidth": "2.2",
        "fillcolor": "#404040",
        "color": "#000000",
        "fontcolor": "#ffffff",
        "fontsize": "12",
        "margin": "0.08,0.05",
    },
    2: {
        "shape": "box",
        "style": "rounded,filled",
        "penwidth": "1.5",
        "fillcolor": "#d9d9d9",
        "color": "#000000",
        "fontcolor": "#000000",
        "fontsize": "11",
        "margin": "0.08,0.04",
    },
    3: {
        "shape": "ellipse",
        "style": "filled",
        "penwidth": "0.8",
        "fillcolor": "#ffffff",
        "color": "#000000",
        "fontcolor": "#000000",
        "fontsize": "10",
        "margin": "0.02,0.01",
    },
}
WRAP = {1: 16, 2: 18, 3: 20}  # characters per line, by depth
HIERARCHY_WIDTH = {2: "2.0", 3: "1.0"}  # line weight from a parent to a node of this depth
LINK_FONTSIZE = "9.5"
LINK_WRAP = 14
STAGGER_FROM = 8  # more leaves than this in the map: stagger them over several rows
MAX_SIZE = "6.7,9.5"  # inches: the text block of an A4 page; larger maps are scaled down
SPLIT_FROM = 24  # more sub-themes than this: an overview and one figure per overarching theme
STEM_NUMBER = "1"
STEM = f"figure{STEM_NUMBER}-theme-map"
CAPTION = (
    "Figure 1. Theme map. Dark double-bordered boxes: overarching themes; grey rounded boxes: "
    "themes; ellipses: sub-themes; lines join each to the level above. n/N: participants "
    "contributing (single counting). Dashed arrows: named interlinks, read from the theme "
    "through its label to the theme it acts on."
)


def _graphviz() -> Any:
    try:
        import graphviz  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise ThematicaError(
            "the theme map needs the graphviz Python package: pip install graphviz"
        ) from None
    if shutil.which("dot") is None:
        raise ThematicaError(INSTALL)
    return graphviz


def graphviz_ready() -> None:
    """Raise :class:`ThematicaError` naming what to install if the map cannot be drawn here."""
    _graphviz()


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters (longer words stay whole), balanced so that the
    last line is not a lone word: the narrowest width that needs no more lines is used."""
    lines = textwrap.wrap(text, width, break_long_words=False) or [text]
    narrower = width
    while narrower > 1:
        trial = textwrap.wrap(text, narrower - 1, break_long_words=False)
        if len(trial) > len(lines):
            break
        lines, narrower = trial, narrower - 1
    return lines


def _style(depth: int) -> dict[str, str]:
    return STYLES[min(depth, 3)]


def _label(name: str, depth: int, detail: str, *, inline: bool = False) -> str:
    """An HTML-like label: the name in bold, wrapped, then n/N (and divergent cases); with
    ``inline``, n/N follows the name on its last line (one row per sub-theme in a tall figure)."""
    lines = wrap(name, WRAP[min(depth, 3)])
    text = "<BR/>".join(html.escape(line, quote=False) for line in lines)
    small = int(_style(depth)["fontsize"]) - 1
    after = "  " if inline else "<BR/>"
    return f'<<B>{text}</B>{after}<FONT POINT-SIZE="{small}">{html.escape(detail)}</FONT>>'


@dataclass(frozen=True)
class MapData:
    """What the theme map draws: the framework's nodes and interlinks, and each node's single
    count (a node without one shows "–"). The report passes its :class:`ReportData`; the
    workbench builds this from the member's study."""

    nodes: tuple[ThemeNode, ...]
    links: tuple[Link, ...]
    counts: Mapping[CodePath, NodeCount]


def map_data(data: ReportData | MapData) -> MapData:
    if isinstance(data, MapData):
        return data
    return MapData(data.nodes, data.links, theme_counts(data))


@dataclass(frozen=True)
class Edge:
    source: str  # a node id in the figure
    target: str
    label: str


@dataclass(frozen=True)
class MapPart:
    """One figure of the theme map: the whole framework, or (for a large one) the overview of
    overarching themes and themes, or one overarching theme in full."""

    stem: str
    caption: str
    nodes: tuple[ThemeNode, ...]
    links: tuple[Edge, ...]
    stubs: tuple[tuple[str, str], ...] = ()  # (id, label): nodes of other figures, named only
    layout: str = "whole"  # whole | overview | branch


def parts(data: ReportData | MapData) -> list[MapPart]:
    """The theme map's figures. A framework of up to ``SPLIT_FROM`` sub-themes is one figure. A
    larger one would have to be shrunk past legibility on a page, so it becomes an overview
    (overarching themes and themes) and one figure per overarching theme, read left to right,
    whose interlinks to other overarching themes end at a box naming the sub-theme and the
    figure it is in. (Interlinks lifted into the overview crossed each other and the hierarchy
    in every layout tried, so the overview has none.)"""
    ids = {node.path: f"n{node.id}" for node in data.nodes}
    whole = tuple(
        Edge(ids[link.source], ids[link.target], link.label)
        for link in data.links
        if link.source in ids and link.target in ids
    )
    leaves = [n for n in data.nodes if n.depth >= 2 and not n.children]
    tops = [n for n in data.nodes if n.depth == 1]
    if len(leaves) <= SPLIT_FROM or len(tops) < 2:
        return [MapPart(STEM, CAPTION, data.nodes, whole)]
    letters = {top.path: chr(ord("a") + i) for i, top in enumerate(tops[:26])}
    result = [_overview(data, letters)]
    for top in tops[:26]:
        result.append(_one_overarching(data, top, ids, letters))
    return result


def _overview(data: ReportData | MapData, letters: dict[tuple[str, ...], str]) -> MapPart:
    figures = ", ".join(f"{STEM_NUMBER}{letter}" for letter in letters.values())
    caption = (
        "Figure 1. Theme map, overview. Dark double-bordered boxes: overarching themes; grey "
        "rounded boxes: themes; n/N: participants contributing (single counting). Each "
        f"overarching theme is shown with its sub-themes and their interlinks in Figures "
        f"{figures}."
    )
    return MapPart(
        STEM, caption, tuple(n for n in data.nodes if n.depth <= 2), (), layout="overview"
    )


def _one_overarching(
    data: ReportData | MapData,
    top: ThemeNode,
    ids: dict[tuple[str, ...], str],
    letters: dict[tuple[str, ...], str],
) -> MapPart:
    inside = tuple(n for n in data.nodes if n.path[: len(top.path)] == top.path)
    within = {n.path for n in inside}
    edges: list[Edge] = []
    stubs: dict[str, str] = {}
    for link in data.links:
        if link.source not in ids or link.target not in ids:
            continue
        if link.source not in within and link.target not in within:
            continue
        ends = []
        for end in (link.source, link.target):
            if end in within:
                ends.append(ids[end])
                continue
            stub = f"x{ids[end]}"
            letter = letters.get(end[:1], "")
            stubs[stub] = f"{' > '.join(end[1:]) or end[0]} (Figure {STEM_NUMBER}{letter})"
            ends.append(stub)
        edges.append(Edge(ends[0], ends[1], link.label))
    letter = letters[top.path]
    caption = (
        f"Figure {STEM_NUMBER}{letter}. Theme map of the overarching theme {top.path[0]!r}: its "
        "themes and sub-themes, and their interlinks; dotted boxes name a sub-theme of another "
        "overarching theme and the figure it is in. Shapes and n/N as in Figure 1."
    )
    return MapPart(
        f"figure{STEM_NUMBER}{letter}-theme-map",
        caption,
        inside,
        tuple(edges),
        tuple(stubs.items()),
        layout="branch",
    )


def build(data: ReportData | MapData, dpi: int | None = None, part: MapPart | None = None) -> Any:
    """A figure of the theme map as Graphviz source (not yet rendered); ``dpi`` for a raster
    image; ``part`` one of :func:`parts` (default: the first).

    The hierarchy runs top to bottom, every overarching theme on the top row. Each interlink is
    a dashed arrow carrying its own label (a Graphviz edge label, which the layout places as a
    node of its own, so no two labels overlap and none sits on a node). Interlinks take part in
    the ranking: a linked sub-theme may sit a row lower than its siblings, which lets the
    interlinks run downwards without crossing the hierarchy. Wide rows of sub-themes are
    staggered over several rows (Graphviz's ``unflatten``) to keep the map legible on a page.
    """
    graphviz = _graphviz()
    part = part or parts(data)[0]
    counts = map_data(data).counts
    graph = graphviz.Digraph(
        "theme_map",
        graph_attr={
            "rankdir": "TB" if part.layout == "whole" else "LR",
            # edge labels take a rank of their own, doubling the ranks of a figure with labels
            "ranksep": "0.12" if part.layout == "branch" else "0.35",
            "nodesep": "0.1" if part.layout == "branch" else "0.18",
            "fontname": FONT,
            "bgcolor": "#ffffff",
            "pad": "0.1",
            "size": MAX_SIZE,
            "newrank": "true",
            **({"dpi": str(dpi)} if dpi else {}),
        },
        node_attr={"fontname": FONT, "color": "#000000"},
        edge_attr={"fontname": FONT, "color": "#000000"},
    )
    ids = {node.path: f"n{node.id}" for node in part.nodes}
    tops = graphviz.Digraph(graph_attr={"rank": "min"})
    for node in part.nodes:
        count = counts.get(node.path)
        detail = "–"
        if count is not None:
            detail = f"{count.rolled_up}/{count.total}"
            if count.divergent:
                detail += f" · {len(count.divergent)} divergent"
        target = tops if node.depth == 1 else graph
        inline = part.layout == "branch" and node.depth >= 3
        label = _label(node.path[-1], node.depth, detail, inline=inline)
        compact = {"height": "0.3"} if inline else {}
        target.node(ids[node.path], label, **_style(node.depth), **compact)
    graph.subgraph(tops)
    for stub, label in part.stubs:
        text = "<BR/>".join(html.escape(line, quote=False) for line in wrap(label, WRAP[3]))
        graph.node(stub, f"<{text}>", shape="box", style="dotted", fontsize="9", margin="0.06,0.03")
    for node in part.nodes:
        if node.depth > 1 and node.path[:-1] in ids:
            graph.edge(
                ids[node.path[:-1]],
                ids[node.path],
                arrowhead="none",
                color="#595959",
                penwidth=HIERARCHY_WIDTH.get(node.depth, "1.0"),
            )
    for link in part.links:
        text = "<BR/>".join(html.escape(line) for line in wrap(link.label, LINK_WRAP))
        graph.edge(
            link.source,
            link.target,
            label=f"<{text}>" if link.label.strip() else "",
            fontsize=LINK_FONTSIZE,
            style="dashed",
            penwidth="1.1",
            arrowhead="vee",
            arrowsize="0.7",
            # in the overview, themes stay in one row under their overarching themes
            constraint="true",
        )
    leaves = sum(1 for node in part.nodes if node.depth >= 2 and not node.children)
    if leaves > STAGGER_FROM and part.layout == "whole":
        return graph.unflatten(stagger=min(3, 1 + leaves // STAGGER_FROM), fanout=False)
    return graph


def draw(data: ReportData | MapData, part: MapPart, fmt: str) -> bytes:
    """One figure as ``svg``, ``pdf`` or ``png`` (300 dpi, its resolution stamped) bytes."""
    graphviz = _graphviz()
    try:
        if fmt == "png":
            return with_dpi(build(data, dpi=DPI, part=part).pipe(format="png"), DPI)
        out: bytes = build(data, part=part).pipe(format=fmt)
        return out
    except graphviz.ExecutableNotFound:
        raise ThematicaError(INSTALL) from None
    except graphviz.CalledProcessError as exc:
        raise ThematicaError(f"Graphviz could not draw the theme map: {exc.stderr!r}") from None


def render(data: ReportData, out_dir: Path) -> list[Path]:
    """Write each figure of :func:`parts` as ``stem.svg``, ``stem.pdf`` and ``stem.png``
    (300 dpi) and return their paths."""
    written = []
    for part in parts(data):
        for fmt in ("svg", "pdf", "png"):
            path = out_dir / f"{part.stem}.{fmt}"
            private_files.write_bytes(path, draw(data, part, fmt))
            written.append(path)
    return written
