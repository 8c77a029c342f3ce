"""The saturation chart's geometry, computed on the server: new codes per interview (bars) and
cumulative codes (a line) on one axis of codes. The template draws it as inline SVG; no
JavaScript, no chart library. Coordinates are in the SVG's own units (its viewBox)."""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT = 760, 326
LEFT, RIGHT, TOP, BOTTOM = 58, 20, 60, 54
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)


def _step(peak: int) -> int:
    """A tick step that gives at most six intervals up to ``peak``."""
    return next((s for s in STEPS if peak <= 6 * s), -(-peak // 6))


def chart(data: dict[str, Any]) -> dict[str, Any]:
    """``data``: the saturation page's context (interviews, total codes, Guest result)."""
    steps: list[dict[str, Any]] = data["interviews"]
    n = len(steps)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max((s["cumulative"] for s in steps), default=0)
    step = _step(max(peak, 1))
    top_value = max(step, -(-peak // step) * step)

    def y(value: int) -> float:
        return round(TOP + plot_h - value / top_value * plot_h, 1)

    band = plot_w / max(n, 1)
    every = max(1, -(-n // 20))  # at most 20 interview numbers under the axis
    bars, points, labels = [], [], []
    for i, s in enumerate(steps):
        centre = round(LEFT + (i + 0.5) * band, 1)
        width = round(band * 0.56, 1)
        bars.append(
            {
                "x": round(centre - width / 2, 1),
                "y": y(s["new"]),
                "width": width,
                "height": round(y(0) - y(s["new"]), 1),
                "centre": centre,
                "new": s["new"],
                "label_inside": y(0) - y(s["new"]) >= 22,
                "position": s["position"],
                "participant": s["participant"],
            }
        )
        points.append({"x": centre, "y": y(s["cumulative"]), "cumulative": s["cumulative"]})
        if i % every == 0 or i == n - 1:
            labels.append({"x": centre, "text": str(s["position"])})
    guest = data["guest"]
    marker = None
    if guest["reached"] and guest["interviews"]:
        marker = {
            "x": round(LEFT + guest["interviews"] * band, 1),
            "label": f"Guest: saturation at {guest['notation']}",
        }
    last_new = max((s["position"] for s in steps if s["new"] > 0), default=0)
    desc = (
        f"Bars: new codes in each of {n} interviews, in order of {data['order']}. "
        f"Line: cumulative codes, reaching {data['total_codes']}."
        + (
            f" No new codes after interview {last_new}."
            if 0 < last_new < n
            else " New codes still appear in the last interview."
            if n
            else ""
        )
        + f" Guest et al. (2020): {guest['notation']}."
        + " The table below gives every figure."
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "y_ticks": [{"value": v, "y": y(v)} for v in range(0, top_value + 1, step)],
        "x_labels": labels,
        "bars": bars,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "marker": marker,
        "title": f"New and cumulative codes over {n} interviews",
        "desc": desc,
    }
