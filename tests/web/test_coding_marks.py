"""The arithmetic behind the transcript page's highlights (``web/coding_marks.py``): lanes that
keep overlapping codings apart, segments cut at every boundary (in code points), the density
bar, and the colour classes, which take only six-digit hex keys (they reach a stylesheet)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thematica.web.coding_marks import colour_key, density, lanes, segments, stylesheet


def coding(start: int, end: int, lane: int, tip: str) -> dict[str, object]:
    return {"start": start, "end": end, "lane": lane, "tip": tip}


def test_segments_cut_at_every_boundary_and_name_what_covers_them() -> None:
    text = "pain 😖 and low mood"  # an astral character: offsets are code points
    turn_start = 100
    a = coding(105, 110, 0, "Pain · Tom")  # "😖 and"
    b = coding(107, 119, 1, "Mood · Rachel")  # "and low mood"
    cut = segments(turn_start, text, [a, b])
    assert [s["text"] for s in cut] == ["pain ", "😖 ", "and", " low mood"]
    assert [s["layers"] for s in cut] == [[], [0], [0, 1], [1]]
    assert [s["opens"] for s in cut] == [[], [0], [1], []]  # each coding's first segment
    assert cut[2]["title"] == "Pain · Tom\nMood · Rachel"
    assert "".join(s["text"] for s in cut) == text


def test_a_turn_no_coding_touches_is_one_plain_segment() -> None:
    assert segments(40, "no codes here 😖", []) == [
        {"text": "no codes here 😖", "layers": [], "opens": [], "title": ""}
    ]
    assert segments(40, "", []) == []  # an empty turn draws nothing, as a cut one would


def test_a_coding_running_past_the_turn_is_cut_at_its_edges() -> None:
    cut = segments(10, "abcdef", [coding(0, 13, 0, "x")])
    assert [(s["text"], s["layers"]) for s in cut] == [("abc", [0]), ("def", [])]


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
        max_size=25,
    )
)
def test_overlapping_spans_never_share_a_lane(spans: list[tuple[int, int]]) -> None:
    lane = lanes(spans)
    assert len(lane) == len(spans)
    for i, (s1, e1) in enumerate(spans):
        for j, (s2, e2) in enumerate(spans):
            if i < j and s1 < e2 and s2 < e1:
                assert lane[i] != lane[j]
    # lowest free lane: no more lanes than the deepest overlap
    deepest = max((sum(s <= x < e for s, e in spans) for x in range(0, 261)), default=0)
    assert max(lane, default=-1) + 1 == deepest


def test_density_is_a_share_of_the_densest_stretch() -> None:
    bars = density(100, [(0, 10), (0, 10), (50, 60)], bins=10)
    assert bars == [1.0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0]
    assert density(0, [(0, 1)]) == []
    assert density(5, [], bins=120) == [0.0] * 5  # never more bins than code points


def test_colour_classes_take_six_hex_digits_only() -> None:
    assert colour_key("#1F77B4", "#000000") == "1f77b4"
    assert colour_key("red", "#d62728") == "d62728"
    assert colour_key(None, "#d62728") == "d62728"
    sheet = stylesheet(["1f77b4", "1f77b4", "}body{x", "zzzzzz"])
    assert sheet == ".k-1f77b4{--hl:#1f77b4;--hl-tint:rgba(31,119,180,0.28)}\n"
