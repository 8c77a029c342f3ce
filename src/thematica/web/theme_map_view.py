"""The theme map in the workbench: the report's Figure 1 (:mod:`thematica.report.theme_map`,
the same drawer), from the framework and the level-two single counts the member's themes page
shows. The page names the figures and links their images; each figure is drawn by Graphviz only
when its image is asked for, so the themes page stays fast however large the study is."""

from __future__ import annotations

from typing import Any

from thematica.domain import Level
from thematica.errors import NotFoundError, ThematicaError
from thematica.report import theme_map
from thematica.report.theme_map import MapData, MapPart
from thematica.service.acting import MemberStudy

FORMATS = ("svg", "png")


def source(study: MemberStudy, *, counted: bool = True) -> MapData:
    """The framework as the member sees it; with ``counted``, each node's single count at level
    two (none when there is nothing to count yet, as on the themes page)."""
    nodes, links = study.themes()
    counts = {}
    if counted:
        try:
            counts = {c.path: c for c in study.counts(level=Level.TWO).themes}
        except ThematicaError:  # e.g. no participant has a transcript yet
            counts = {}
    return MapData(nodes, links, counts)


def href(index: int, fmt: str, *, download: bool = False) -> str:
    query = [f"part={index}"] if index else []
    query += ["download=1"] if download else []
    return f"/themes/map.{fmt}" + ("?" + "&".join(query) if query else "")


def _alt(part: MapPart, links: int) -> str:
    """The figure in words: how many nodes of each level and interlinks it shows."""
    tiers = [
        (sum(1 for n in part.nodes if n.depth == 1), "overarching theme", "overarching themes"),
        (sum(1 for n in part.nodes if n.depth == 2), "theme", "themes"),
        (sum(1 for n in part.nodes if n.depth >= 3), "sub-theme", "sub-themes"),
        (links, "interlink", "interlinks"),
    ]
    shown = [f"{n} {one if n == 1 else many}" for n, one, many in tiers if n]
    listed = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    return (
        f"Theme map: {listed}, each node with its participant count (n/N). The framework "
        "below lists the same themes, counts and interlinks as text."
    )


def figures(study: MemberStudy) -> dict[str, Any]:
    """The themes page's map section: each figure's caption, text alternative and links (no
    drawing here), or why there is no map."""
    data = source(study, counted=False)
    if not data.nodes:
        return {"figures": [], "problem": None}
    try:
        theme_map.graphviz_ready()
    except ThematicaError as exc:
        return {"figures": [], "problem": str(exc)}
    return {
        "figures": [
            {
                "caption": part.caption,
                "alt": _alt(part, len(part.links)),
                "image": href(i, "svg"),
                "svg": href(i, "svg", download=True),
                "png": href(i, "png", download=True),
                "name": part.stem,
            }
            for i, part in enumerate(theme_map.parts(data))
        ],
        "problem": None,
    }


def drawn(study: MemberStudy, index: int, fmt: str) -> tuple[str, bytes]:
    """One figure of the map (``index`` as in :func:`figures`) as SVG or PNG: its file stem and
    its bytes."""
    if fmt not in FORMATS:
        raise NotFoundError(f"the theme map comes as {' or '.join(FORMATS)}, not {fmt!r}")
    data = source(study)
    if not data.nodes:
        raise NotFoundError("the study has no theme framework yet, so there is no theme map")
    found = theme_map.parts(data)
    if not 0 <= index < len(found):
        raise NotFoundError(f"the theme map has {len(found)} figure(s); there is no part {index}")
    part = found[index]
    return part.stem, theme_map.draw(data, part, fmt)
