"""Figure 1, the theme map: the framework's hierarchy and its named interlinks (Graphviz).

Legible in greyscale: levels differ by shape, fill and line weight, not by colour alone, and
interlinks are dashed, arrowed and labelled on their own line. Colours are 6-digit hex (3-digit hex renders
black in Graphviz). Every node shows n/N.
"""

from __future__ import annotations

import html
import shutil
import textwrap
from pathlib import Path
from typing import Any

from thematica import private_files
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


def _label(name: str, depth: int, detail: str) -> str:
    """An HTML-like label: the name in bold, wrapped, then n/N (and divergent cases)."""
    lines = wrap(name, WRAP[min(depth, 3)])
    text = "<BR/>".join(html.escape(line, quote=False) for line in lines)
    small = int(_style(depth)["fontsize"]) - 1
    return f'<<B>{text}</B><BR/><FONT POINT-SIZE="{small}">{html.escape(detail)}</FONT>>'


def build(data: ReportData, dpi: int | None = None) -> Any:
    """The theme map as Graphviz source (not yet rendered); ``dpi`` for a raster image.

    The hierarchy runs top to bottom, every overarching theme on the top row. Each interlink is
    a dashed arrow carrying its own label (a Graphviz edge label, which the layout places as a
    node of its own, so no two labels overlap and none sits on a node). Interlinks take part in
    the ranking: a linked sub-theme may sit a row lower than its siblings, which lets the
    interlinks run downwards without crossing the hierarchy. Wide rows of sub-themes are
    staggered over several rows (Graphviz's ``unflatten``) to keep the map legible on a page.
    """
    graphviz = _graphviz()
    counts = theme_counts(data)
    graph = graphviz.Digraph(
        "theme_map",
        graph_attr={
            "rankdir": "TB",
            "ranksep": "0.35",
            "nodesep": "0.18",
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
    ids = {node.path: f"n{node.id}" for node in data.nodes}
    tops = graphviz.Digraph(graph_attr={"rank": "min"})
    for node in data.nodes:
        count = counts.get(node.path)
        detail = "–"
        if count is not None:
            detail = f"{count.rolled_up}/{count.total}"
            if count.divergent:
                detail += f" · {len(count.divergent)} divergent"
        target = tops if node.depth == 1 else graph
        target.node(ids[node.path], _label(node.path[-1], node.depth, detail), **_style(node.depth))
    graph.subgraph(tops)
    for node in data.nodes:
        if node.depth > 1 and node.path[:-1] in ids:
            graph.edge(
                ids[node.path[:-1]],
                ids[node.path],
                arrowhead="none",
                color="#595959",
                penwidth=HIERARCHY_WIDTH.get(node.depth, "1.0"),
            )
    for link in data.links:
        if link.source not in ids or link.target not in ids:
            continue
        text = "<BR/>".join(html.escape(line) for line in wrap(link.label, LINK_WRAP))
        graph.edge(
            ids[link.source],
            ids[link.target],
            label=f"<{text}>" if link.label.strip() else "",
            fontsize=LINK_FONTSIZE,
            style="dashed",
            penwidth="1.1",
            arrowhead="vee",
            arrowsize="0.7",
        )
    leaves = sum(1 for node in data.nodes if node.depth >= 2 and not node.children)
    if leaves > STAGGER_FROM:
        return graph.unflatten(stagger=min(3, 1 + leaves // STAGGER_FROM), fanout=False)
    return graph


def render(data: ReportData, out_dir: Path, stem: str = "figure1-theme-map") -> list[Path]:
    """Write ``stem.svg``, ``stem.pdf`` and ``stem.png`` (300 dpi) and return their paths."""
    graphviz = _graphviz()
    written = []
    try:
        vector = build(data)
        for fmt in ("svg", "pdf"):
            path = out_dir / f"{stem}.{fmt}"
            private_files.write_bytes(path, vector.pipe(format=fmt))
            written.append(path)
        path = out_dir / f"{stem}.png"
        private_files.write_bytes(path, with_dpi(build(data, dpi=DPI).pipe(format="png"), DPI))
        written.append(path)
    except graphviz.ExecutableNotFound:
        raise ThematicaError(INSTALL) from None
    except graphviz.CalledProcessError as exc:
        raise ThematicaError(f"Graphviz could not draw the theme map: {exc.stderr!r}") from None
    return written
