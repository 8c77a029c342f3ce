"""The saturation figure (new codes per interview as bars, the cumulative count as a line, the
Guest notation in the title) and the Guest table beside it."""

from __future__ import annotations

from pathlib import Path

from thematica import private_files
from thematica.analysis.reports import SaturationReport
from thematica.analysis.saturation import threshold_percent
from thematica.errors import ThematicaError
from thematica.report.data import ReportData
from thematica.report.model import DASH, Row, Table

DPI = 300
LEVELS = {1: "level-one", 2: "level-two"}
WIDTH, HEIGHT = 6.5, 3.6  # inches: the text width of an A4 page
BAR = "#bdbdbd"
INK = "#000000"
RUN = "#f7f7f7"
HATCH = "#a6a6a6"


def percent(value: float) -> str:
    return f"{value * 100:.3g}%"


def verdict(report: SaturationReport) -> str:
    """ "6+2 (Guest et al. 2020; base 4, run 2, threshold 5%)" or "not reached (...)"."""
    g = report.guest
    return (
        f"{g.notation} (Guest et al. 2020; base {g.base}, run {g.run}, "
        f"threshold {threshold_percent(g.threshold)})"
    )


def title(report: SaturationReport) -> str:
    return f"Code saturation: {verdict(report)}"


def guest_table(data: ReportData) -> Table:
    """Each coded interview in order, with its new and cumulative codes and the Guest run that
    starts there (new codes in the run, as a share of the codes in the base)."""
    report = data.saturation
    g = report.guest
    runs = {r.start: r for r in g.runs}
    rows = []
    for step in report.interviews:
        run = runs.get(step.position)
        if step.position <= g.base:
            run_cells = ("base", "", "", "")
        elif run is not None:
            run_cells = (
                f"{run.start}{DASH}{run.end}",
                str(run.new),
                percent(run.ratio),
                "yes" if run.at_or_below else "no",
            )
        else:
            run_cells = ("", "", "", "")
        rows.append(
            Row(
                (
                    str(step.position),
                    step.participant or f"transcript {step.transcript_id}",
                    step.interview_date.isoformat() if step.interview_date else DASH,
                    str(step.codes),
                    str(step.new),
                    str(step.cumulative),
                    *run_cells,
                )
            )
        )
    francis = report.francis
    francis_text = (
        f"saturation at interview {francis.interview}"
        if francis.reached
        else f"not reached ({francis.reason})"
    )
    notes = [
        f"Saturation: {verdict(report)}"
        + (f": {g.reason}." if g.reason else f"; the base holds {g.base_codes} codes."),
        f"Francis et al. (2010), initial sample {francis.initial}, stopping criterion "
        f"{francis.stop}: {francis_text}.",
        *report.method,
    ]
    if report.not_yet_coded:
        notes.append("Not yet coded (left out): " + ", ".join(report.not_yet_coded) + ".")
    return Table(
        key="saturation",
        title=f"Table 3. Code saturation ({LEVELS[int(report.level)]} codes) and Guest et al. (2020) runs",
        columns=(
            "#",
            "Participant",
            "Date",
            "Codes",
            "New",
            "Cumulative",
            "Run",
            "New in run",
            f"% of base ({g.base_codes})",
            f"≤ {threshold_percent(g.threshold)}",
        ),
        rows=tuple(rows),
        notes=tuple(notes),
        sheet="Saturation",
    )


def render(data: ReportData, out_dir: Path, stem: str = "figure2-saturation") -> list[Path]:
    """Write ``stem.svg`` and ``stem.png`` (300 dpi) and return their paths."""
    try:
        import matplotlib
    except ImportError:
        raise ThematicaError(
            "the saturation figure needs matplotlib: pip install matplotlib"
        ) from None
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    report = data.saturation
    steps = report.interviews
    x = [s.position for s in steps]
    fig = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    ax = fig.add_subplot()
    g = report.guest
    if g.reached and g.interviews is not None:
        ax.axvspan(
            g.interviews + 0.5,
            g.interviews + g.run + 0.5,
            facecolor=RUN,
            edgecolor=HATCH,
            hatch="//",
            linewidth=0.0,
            label=f"Saturating run ({g.interviews + 1}{DASH}{g.interviews + g.run})",
            zorder=0,
        )
    ax.bar(
        x,
        [s.new for s in steps],
        width=0.6,
        color=BAR,
        edgecolor=INK,
        linewidth=0.6,
        label="New codes",
        zorder=2,
    )
    ax.plot(
        x,
        [s.cumulative for s in steps],
        color=INK,
        marker="o",
        markersize=3.5,
        linewidth=1.4,
        label="Cumulative codes",
        zorder=3,
    )
    many = len(steps) > 12
    ax.set_xticks(
        x,
        [
            (s.participant or f"#{s.transcript_id}") if many else f"{s.position}\n{s.participant}"
            for s in steps
        ],
        rotation=60 if many else 0,
        ha="right" if many else "center",
        fontsize=8.5,
    )
    ax.set_xlim(0.4, max(x, default=1) + 0.6)
    top = max((s.cumulative for s in steps), default=1)
    ax.set_ylim(0, top * 1.12 + 1)
    sequence = "date order" if report.order.startswith("interview date") else "the order given"
    ax.set_xlabel(f"Interviews in {sequence}", fontsize=9.5)
    ax.set_ylabel(f"{LEVELS[int(report.level)].capitalize()} codes", fontsize=9.5)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_title(title(report), fontsize=10.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)
    handles, labels = ax.get_legend_handles_labels()
    rank = ("New codes", "Cumulative codes")  # then the saturating run
    order = sorted(
        range(len(labels)), key=lambda i: rank.index(labels[i]) if labels[i] in rank else 2
    )
    fig.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        fontsize=8.5,
        frameon=False,
        loc="outside lower center",
        ncols=3,
    )
    svg = out_dir / f"{stem}.svg"
    png = out_dir / f"{stem}.png"
    with private_files.open_private(svg) as fh:
        fig.savefig(fh, format="svg", metadata={"Date": None, "Creator": None})
    with private_files.open_private(png) as fh:
        fig.savefig(fh, format="png", dpi=DPI)
    return [svg, png]
