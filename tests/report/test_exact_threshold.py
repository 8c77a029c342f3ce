"""The report prints the Guest threshold exactly as given: 0.005 is "0.5%", never "0%"
(issue 12, item 3), in the figure's title, its caption and Table 3."""

from __future__ import annotations

from dataclasses import replace

from tests.report.factory import data
from thematica.analysis.reports import InterviewStep
from thematica.analysis.saturation import cumulative, francis, guest
from thematica.report.document import saturation_caption
from thematica.report.saturation_figure import guest_table, title


def test_a_small_threshold_is_printed_exactly() -> None:
    new = [100, 50, 30, 20, 0, 0, 0]
    steps = tuple(
        InterviewStep(i + 1, i + 1, f"P{i + 1}", None, n, n, c)
        for i, (n, c) in enumerate(zip(new, cumulative(new), strict=True))
    )
    base = data()
    report = replace(
        base.saturation, interviews=steps, guest=guest(new, threshold=0.005), francis=francis(new)
    )
    study = replace(base, saturation=report)
    assert report.guest.reached
    assert "threshold 0.5%" in title(report)
    caption = saturation_caption(study)
    assert "no more than 0.5% of the 200 codes" in caption and "0%" not in caption
    table = guest_table(study)
    assert table.columns[-1] == "≤ 0.5%"
    assert all("threshold 0%" not in note for note in table.notes)
