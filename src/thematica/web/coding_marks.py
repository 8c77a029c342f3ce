"""Coded text made visible on the transcript page (issue 14, item 1): each turn's text cut into
segments at the codings' boundaries, every segment naming the codings that cover it, each coding
on its own lane (so overlapping highlights are layered, and their underlines and margin stripes
never hide each other), and a coding density bar over the whole transcript.

Offsets are code points (Python string indices), end exclusive, as everywhere in Thematica.
Colours reach the page as classes (``k-1f77b4``) defined by the stylesheet ``/colours.css``
(:func:`stylesheet`), because the Content-Security-Policy allows no inline style."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

HEX = re.compile(r"#([0-9a-fA-F]{6})")
KEY = re.compile(r"[0-9a-f]{6}")
LANES = 6  # lanes drawn apart; deeper overlaps share the last one (the text stays readable)
DENSITY_BINS = 120
TINT = 0.28  # how strongly a highlight tints the text's background


def colour_key(colour: str | None, fallback: str) -> str:
    """The six hex digits of a colour (``#1F77B4`` -> ``1f77b4``); a colour that is not a
    six-digit hex (an imported codebook may hold anything) gets the fallback."""
    found = HEX.fullmatch((colour or "").strip())
    return (found.group(1) if found else fallback.lstrip("#")).lower()


def lanes(spans: Iterable[tuple[int, int]]) -> list[int]:
    """A lane per span, the lowest free one where it starts (interval partitioning), so two
    overlapping spans never share a lane. Returned in the order the spans were given."""
    order = sorted(enumerate(spans), key=lambda item: (item[1][0], -item[1][1]))
    ends: list[int] = []  # the end of the last span on each lane
    lane_of = [0] * len(order)
    for index, (start, end) in order:
        for lane, busy_until in enumerate(ends):
            if busy_until <= start:
                ends[lane] = end
                lane_of[index] = lane
                break
        else:
            ends.append(end)
            lane_of[index] = len(ends) - 1
    return lane_of


def segments(start: int, text: str, codings: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turn's text (beginning at ``start``) as segments: ``text``, ``layers`` (indices into
    ``codings`` covering it, by lane), ``opens`` (those whose first segment in this turn this
    is, which the page makes focusable) and ``title`` (their ``tip``s, a line each)."""
    if not codings:  # most turns: the text whole, one segment (none if it is empty)
        return [{"text": text, "layers": [], "opens": [], "title": ""}] if text else []
    end = start + len(text)
    cuts = {0, len(text)}
    for c in codings:
        cuts.add(min(max(c["start"], start), end) - start)
        cuts.add(min(max(c["end"], start), end) - start)
    points = sorted(cuts)
    seen: set[int] = set()
    out: list[dict[str, Any]] = []
    for a, b in pairwise(points):
        if a == b:
            continue
        layers = [
            i for i, c in enumerate(codings) if c["start"] - start <= a and b <= c["end"] - start
        ]
        layers.sort(key=lambda i: codings[i]["lane"])
        opens = [i for i in layers if i not in seen]
        seen.update(layers)
        title = "\n".join(codings[i]["tip"] for i in layers)  # every coding here, on hover
        out.append({"text": text[a:b], "layers": layers, "opens": opens, "title": title})
    return out


def density(length: int, spans: Iterable[tuple[int, int]], bins: int = DENSITY_BINS) -> list[float]:
    """How heavily each stretch of the transcript is coded: per bin, the coded code points
    (a point under two codings counts twice) over the bin's width, as a share of the densest bin
    (0 to 1)."""
    if length <= 0:
        return []
    bins = max(1, min(bins, length))
    width = length / bins
    depth = [0.0] * bins
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        first, last = int(start / width), min(bins - 1, int((end - 1) / width))
        for b in range(first, last + 1):
            lo, hi = b * width, (b + 1) * width
            depth[b] += max(0.0, min(hi, end) - max(lo, start)) / width
    top = max(depth) or 1.0
    return [round(d / top, 3) for d in depth]


def stylesheet(keys: Iterable[str]) -> str:
    """The rules giving each colour class its colour and tint (``--hl`` and ``--hl-tint``)."""
    rules = []
    for key in dict.fromkeys(keys):
        if not KEY.fullmatch(key):
            continue
        r, g, b = (int(key[i : i + 2], 16) for i in (0, 2, 4))
        rules.append(f".k-{key}{{--hl:#{key};--hl-tint:rgba({r},{g},{b},{TINT})}}")
    return "\n".join(rules) + "\n"


__all__ = ["colour_key", "density", "lanes", "segments", "stylesheet"]
