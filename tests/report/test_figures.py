"""The theme map and the saturation figure: 300 dpi PNGs of real size, SVGs that name every
sub-theme and interlink, and only 6-digit colours (3-digit ones render black in Graphviz)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.report.conftest import EXPECTED, LINKS, Built
from thematica.report import png

SVG = "{http://www.w3.org/2000/svg}"


def texts_by_group(path: Path, kind: str) -> list[str]:
    """The words of each Graphviz node or edge group (wrapped lines joined by spaces)."""
    root = ET.parse(path).getroot()
    return [
        " ".join("".join(t.itertext()).strip() for t in g.iter(f"{SVG}text"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == kind
    ]


@pytest.mark.parametrize("stem", ["figure1-theme-map", "figure2-saturation"])
def test_png_is_300_dpi_and_not_trivial(built: Built, stem: str) -> None:
    data = (built.out / f"{stem}.png").read_bytes()
    resolution = png.dpi(data)
    assert resolution is not None
    assert resolution == pytest.approx((300, 300), abs=0.05)
    width, height = png.size(data)
    assert width >= 1500 and height >= 800  # at least 5 inches wide at 300 dpi
    assert width / 300 <= 6.8  # fits the text width of an A4 page
    assert len(data) > 50_000


def test_theme_map_svg_names_every_sub_theme_with_its_count(built: Built) -> None:
    nodes = texts_by_group(built.out / "figure1-theme-map.svg", "node")
    for name, n in EXPECTED.items():
        matching = [t for t in nodes if t.startswith(name + " ")]
        assert matching, name
        assert f"{n}/10" in matching[0]
    assert any(
        t.startswith("Part of the job, but out of my depth 9/10 · 1 divergent") for t in nodes
    )


def test_theme_map_svg_names_every_interlink_on_its_own_edge(built: Built) -> None:
    root = ET.parse(built.out / "figure1-theme-map.svg").getroot()
    labelled = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "edge":
            text = " ".join("".join(t.itertext()).strip() for t in g.iter(f"{SVG}text"))
            if text:
                labelled[text] = g.findtext(f"{SVG}title")
    assert sorted(labelled) == sorted(LINKS)  # each label belongs to exactly one arrow
    assert all(title and "->" in title for title in labelled.values())


def test_theme_map_is_greyscale_safe(built: Built) -> None:
    svg = (built.out / "figure1-theme-map.svg").read_text(encoding="utf-8")
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]+)"', svg))
    assert colours and all(len(c) == 7 for c in colours)
    assert svg.count('stroke-dasharray="5,2"') == len(LINKS)  # interlinks are dashed
    assert len(set(re.findall(r'stroke-width="([\d.]+)"', svg))) >= 3  # levels differ by weight
    assert "<polygon" in svg and "<ellipse" in svg  # and by shape


def test_theme_map_pdf_is_written(built: Built) -> None:
    assert (built.out / "figure1-theme-map.pdf").read_bytes().startswith(b"%PDF")


def test_saturation_figure_carries_the_guest_notation(built: Built) -> None:
    svg = (built.out / "figure2-saturation.svg").read_text(encoding="utf-8")
    assert svg.count("<svg") == 1
    # matplotlib draws text as paths; the title is kept as a comment beside them
    assert "6+2" in svg
    assert "Physio 3" in svg


def test_png_dpi_round_trip() -> None:
    import zlib

    raw = b"\x00\xff\xff\xff"
    body = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    chunk = png._chunk  # a 1x1 white PNG, built by hand
    data = (
        png.SIGNATURE
        + chunk(b"IHDR", body)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    assert png.dpi(data) is None
    stamped = png.with_dpi(data, 300)
    assert png.dpi(stamped) == pytest.approx((300, 300), abs=0.05)
    assert png.dpi(png.with_dpi(stamped, 150)) == pytest.approx((150, 150), abs=0.05)
    assert [k for k, _ in png.chunks(stamped)] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]


def test_figures_render_for_a_small_unfinished_study(tmp_path: Path) -> None:
    """No interlinks, no coded interviews at the saturation level: still clean figures."""
    from tests.report.factory import data
    from thematica.report import saturation_figure, theme_map

    small = data(supporters=["P1", "P2"])
    written = theme_map.render(small, tmp_path) + saturation_figure.render(small, tmp_path)
    assert [p.suffix for p in written] == [".svg", ".pdf", ".png", ".svg", ".png"]
    assert "not reached" in saturation_figure.title(small.saturation)
    nodes = texts_by_group(tmp_path / "figure1-theme-map.svg", "node")
    assert "Sub 2/10" in nodes


def test_saturation_figure_with_many_interviews(tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.report.factory import data
    from thematica.analysis.reports import InterviewStep
    from thematica.analysis.saturation import cumulative, francis, guest
    from thematica.domain import Level
    from thematica.report import saturation_figure

    new = [9, 6, 4, 3, 2, 2, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    steps = tuple(
        InterviewStep(i + 1, i + 1, f"Participant {i + 1}", None, n + 3, n, c)
        for i, (n, c) in enumerate(zip(new, cumulative(new), strict=True))
    )
    report = replace(
        data().saturation, level=Level.ONE, interviews=steps, guest=guest(new), francis=francis(new)
    )
    small = replace(data(), saturation=report)
    _svg, image = saturation_figure.render(small, tmp_path)
    assert png.dpi(image.read_bytes()) == pytest.approx((300, 300), abs=0.05)
    rows = saturation_figure.guest_table(small).rows
    assert rows[8].cells[6:] == ("9–10", "1", "4.55%", "yes")  # 1 of the 22 base codes
    assert rows[9].cells[6] == ""  # runs stop at the saturating one
    assert "8+2" in saturation_figure.title(report)


Box = tuple[float, float, float, float]  # left, top, right, bottom (SVG units)


def _text_box(texts: list[ET.Element]) -> Box:
    """The box around a label's lines, from their positions and font size (Helvetica's
    characters average about 0.55 em wide)."""
    boxes = []
    for t in texts:
        size = float(t.get("font-size", "10"))
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        width = len("".join(t.itertext())) * size * 0.55
        left = x - width / 2 if t.get("text-anchor") == "middle" else x
        boxes.append((left, y - size * 0.75, left + width, y + size * 0.2))
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _shape_box(g: ET.Element) -> Box | None:
    ellipse = g.find(f"{SVG}ellipse")
    if ellipse is not None:
        cx, cy = float(ellipse.get("cx", "0")), float(ellipse.get("cy", "0"))
        rx, ry = float(ellipse.get("rx", "0")), float(ellipse.get("ry", "0"))
        return (cx - rx, cy - ry, cx + rx, cy + ry)
    numbers = [
        float(n)
        for shape in (*g.iter(f"{SVG}polygon"), *g.iter(f"{SVG}path"))
        for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d") or "")
    ]
    if not numbers:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(a: Box, b: Box, slack: float = 1.0) -> bool:
    return (
        a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]
    )


def label_and_node_boxes(svg: Path) -> tuple[list[Box], list[Box]]:
    root = ET.parse(svg).getroot()
    labels, nodes = [], []
    for g in root.iter(f"{SVG}g"):
        texts = list(g.iter(f"{SVG}text"))
        if g.get("class") == "edge" and texts:
            labels.append(_text_box(texts))
        elif g.get("class") == "node":
            box = _shape_box(g)
            if box is not None:
                nodes.append(box)
    return labels, nodes


def assert_labels_clear(svg: Path, expected_labels: int) -> None:
    labels, nodes = label_and_node_boxes(svg)
    assert len(labels) == expected_labels
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), (a, b)
        for node in nodes:
            assert not _overlap(a, node), (a, node)


def test_theme_map_labels_overlap_neither_each_other_nor_nodes(built: Built) -> None:
    assert_labels_clear(built.out / "figure1-theme-map.svg", len(LINKS))


def test_a_large_framework_keeps_its_labels_clear(tmp_path: Path) -> None:
    from tests.report.factory import big_framework
    from thematica.report import theme_map

    data = big_framework(overarching=3, themes=2, subs=4, links=8)  # 24 sub-themes (+ the base's)
    theme_map.render(data, tmp_path)
    for part in theme_map.parts(data):
        assert_labels_clear(tmp_path / f"{part.stem}.svg", sum(1 for e in part.links if e.label))
        image = (tmp_path / f"{part.stem}.png").read_bytes()
        assert png.dpi(image) == pytest.approx((300, 300), abs=0.05)


def test_the_overlap_check_sees_an_overlap() -> None:
    assert _overlap((0, 0, 10, 10), (5, 5, 15, 15))
    assert not _overlap((0, 0, 10, 10), (10, 0, 20, 10))


def _scale(svg: Path) -> float:
    """How much Graphviz shrank the figure to fit the page's text block (1: natural size)."""
    root = ET.parse(svg).getroot()
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    found = re.search(r"scale\(([\d.]+)", graph.get("transform", ""))
    return float(found.group(1)) if found else 1.0


def test_a_framework_of_sixty_sub_themes_is_drawn_legibly_in_parts(tmp_path: Path) -> None:
    """3 overarching themes x 20 sub-themes: one figure would be shrunk to a fifth on an A4 page
    (9 pt labels at under 2 pt). It becomes an overview and one figure per overarching theme,
    each at no less than 0.6 of its natural size (sub-theme names at 6 pt or more on the page;
    one figure: 0.2), labels clear, every interlink drawn
    in the figure of each overarching theme it touches."""
    from tests.report.factory import big_framework
    from thematica.report import theme_map

    data = big_framework(overarching=3, themes=4, subs=5, links=12)
    parts = theme_map.parts(data)
    assert [p.stem for p in parts] == [
        "figure1-theme-map",
        "figure1a-theme-map",
        "figure1b-theme-map",
        "figure1c-theme-map",
    ]
    written = theme_map.render(data, tmp_path)
    assert len(written) == 12
    for part in parts:
        svg = tmp_path / f"{part.stem}.svg"
        assert _scale(svg) >= 0.6, (part.stem, _scale(svg))
        assert_labels_clear(svg, sum(1 for e in part.links if e.label))
        assert png.dpi((tmp_path / f"{part.stem}.png").read_bytes()) == pytest.approx(
            (300, 300), abs=0.05
        )
    branches = parts[1:]
    for link in data.links:
        touching = {link.source[0], link.target[0]}
        drawn = [p for p in branches if any(e.label == link.label for e in p.links)]
        tops = {p.nodes[0].path[0] for p in drawn}
        assert touching <= tops
    sub_themes = {n.path for n in data.nodes if n.depth == 3}
    assert {n.path for p in branches for n in p.nodes if n.depth == 3} == sub_themes
    overview_depths = {n.depth for n in parts[0].nodes}
    assert overview_depths == {1, 2}


def test_the_report_names_each_part_of_a_large_theme_map() -> None:
    from tests.report.factory import big_framework
    from thematica.report.document import document
    from thematica.report.model import Figure

    data = big_framework(overarching=3, themes=4, subs=5, links=12)
    figures = [b for b in document(data) if isinstance(b, Figure)]
    assert [f.stem for f in figures][:4] == [
        "figure1-theme-map",
        "figure1a-theme-map",
        "figure1b-theme-map",
        "figure1c-theme-map",
    ]
    assert figures[1].caption.startswith("Figure 1a. Theme map of the overarching theme")
    assert "Figures 1a, 1b, 1c" in figures[0].caption


def test_the_scale_check_sees_a_shrunk_figure(tmp_path: Path) -> None:
    from tests.report.factory import big_framework
    from thematica.report import theme_map

    data = big_framework(overarching=3, themes=4, subs=5, links=12)
    whole = theme_map.MapPart(theme_map.STEM, "", data.nodes, ())
    svg = tmp_path / "whole.svg"
    svg.write_bytes(theme_map.build(data, part=whole).pipe(format="svg"))
    assert _scale(svg) < 0.4
