"""Analysis commands: agreement, counts, saturation, matrix, co-occurrence."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box

from thematica import serialise
from thematica.cli.codebook import code_path
from thematica.cli.output import CliError, console, format_option, open_study, print_json, read_file
from thematica.domain import Level, format_path

if TYPE_CHECKING:  # the analysis engine loads only when a command runs
    from thematica.analysis.coefficients import AggregateAgreement, Coefficients
    from thematica.analysis.reports import CountsReport, NodeCount, PresenceAgreement

LEVEL_2 = click.option(
    "--level",
    type=click.IntRange(1, 2),
    default=2,
    show_default=True,
    help="1 = coders' level-one codes, 2 = agreed codes.",
)
CODERS = click.option(
    "--coders", default="", help="Comma-separated coders to count (default: all)."
)


def num(value: float | None, digits: int = 4) -> str:
    """A figure to ``digits`` places; a value that rounds to zero prints as 0, never -0."""
    if value is None:
        return "undefined"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _print_characters(overall: AggregateAgreement, unit: str = "transcript") -> None:
    click.echo(
        f"  characters    {_plural(overall.sources, unit)}: pooled κ {num(overall.pooled_kappa)} "
        f"({num(overall.pooled_percent, 1)} %), mean κ {num(overall.unweighted_mean_kappa)}, "
        f"size-weighted κ {num(overall.size_weighted_mean_kappa)}"
    )


def _print_presence(label: str, presence: PresenceAgreement) -> None:
    c: Coefficients = presence.coefficients
    click.echo(
        f"  {label:<13} n {presence.units}, A {presence.coded_by_a}, B {presence.coded_by_b}, "
        f"both {presence.coded_by_both}: {num(c.percent_agreement, 1)} %, κ {num(c.cohen_kappa)}, "
        f"AC1 {num(c.gwet_ac1)}, BP {num(c.brennan_prediger)}, alpha {num(c.krippendorff_alpha)}"
    )


@click.command()
@click.argument("study")
@click.option(
    "--coders",
    required=True,
    help="The coders to compare: 'A,B' (all coefficients), or three or more for Krippendorff's alpha.",
)
@click.option("--code", help="Only this code (and its sub-codes).")
@click.option(
    "--level", type=click.IntRange(1, 2), default=1, show_default=True, help="Code level compared."
)
@click.option(
    "--scope",
    type=click.Choice(["either", "both"]),
    default="either",
    show_default=True,
    help="Transcripts coded by either coder, or only those both have coded (study still being coded).",
)
@click.option(
    "--convention",
    type=click.Choice(["applied", "nvivo"]),
    default="applied",
    show_default=True,
    help="Character figures over the transcripts where either coder applied the code (applied), "
    "or over every transcript in scope, kappa 1 where neither did (nvivo, as NVivo's Coding Comparison).",
)
@click.option(
    "--disagreements/--no-disagreements",
    default=True,
    show_default=True,
    help="List the disagreements (text).",
)
@format_option
def agreement(
    study: str,
    coders: str,
    code: str | None,
    level: int,
    scope: str,
    convention: str,
    disagreements: bool,
    fmt: str,
) -> None:
    """Inter-coder agreement between two coders, at three units: characters (NVivo's method, per code per
    transcript, with unweighted, size-weighted and pooled summaries), participants (code present in the
    participant's transcripts) and speaker turns. Undefined values are shown as undefined.

    \b
    Examples:
        thematica agreement msk.thematica --coders "Rachel Ames,Tom Okafor" --format json
        thematica agreement msk.thematica --coders "Rachel Ames,Tom Okafor" --convention nvivo
    """
    names = _names(coders)
    if len(names) < 2:
        raise CliError(
            "--coders takes two or more names: 'A,B' (or 'A,B,C' for Krippendorff's alpha)"
        )
    if len(names) > 2:
        if convention != "applied":
            raise CliError(
                "--convention is for two coders' character figures; three or more coders are "
                "compared by Krippendorff's alpha on code presence"
            )
        _agreement_many(study, names, code, level, scope, fmt)
        return
    with open_study(study) as service:
        report = service.agreement(
            names[0],
            names[1],
            level=Level(level),
            code=code_path(code) if code else None,
            scope=scope,
            convention=convention,
            disagreements=disagreements or fmt == "json",  # JSON always lists them
        )
    if fmt == "json":
        print_json(serialise.agreement(report, scope=scope, convention=convention))
        return
    out = console()
    out.print(
        f"[bold]Agreement[/bold]: A = {report.coder_a}, B = {report.coder_b}, level {int(report.level)}"
    )
    out.print(
        f"{_plural(len(report.transcripts), 'transcript')} compared; "
        f"{_plural(report.participants, 'participant')}; {_plural(report.turns, 'turn')}\n"
    )
    for c in report.codes:
        out.print(f"[bold]{format_path(c.code)}[/bold]")
        _print_characters(c.characters_overall)
        _print_presence("participants", c.participants)
        _print_presence("turns", c.turns)
    out.print("[bold]All codes[/bold]")
    _print_characters(report.pooled_characters, "code x transcript pair")
    _print_presence("participants", report.pooled_participants)
    _print_presence("turns", report.pooled_turns)
    out.print()
    for line in report.method:
        out.print(line, style="dim")
    if disagreements and report.disagreements:
        out.print(f"\n[bold]{len(report.disagreements)} disagreements[/bold]")
        kinds = {
            "only_a": f"only {report.coder_a}",
            "only_b": f"only {report.coder_b}",
            "boundaries": "boundaries differ",
        }
        for d in report.disagreements:
            out.print(
                f"[bold]{d.participant or d.transcript_id}[/bold] · {format_path(d.code)} · {kinds[d.kind]} [{d.start}:{d.end}]"
            )
            out.print(f"  “{d.text}”", markup=False)


def _agreement_many(
    study: str, names: list[str], code: str | None, level: int, scope: str, fmt: str
) -> None:
    with open_study(study) as service:
        report = service.agreement_many(
            names, level=Level(level), code=code_path(code) if code else None, scope=scope
        )
    if fmt == "json":
        print_json(serialise.agreement_many(report, scope=scope))
        return
    out = console()
    out.print(
        f"[bold]Agreement among {len(report.coders)} coders[/bold]: {', '.join(report.coders)}, level {int(report.level)}"
    )
    out.print(
        f"{_plural(len(report.transcripts), 'transcript')} coded by at least one, "
        f"{len(report.coded_transcripts)} by two or more\n"
    )
    for c in (*report.codes, None):
        label = format_path(c.code) if c else "All codes (participants pooled)"
        out.print(f"[bold]{label}[/bold]")
        units = (
            (("participants", c.participants), ("turns", c.turns))
            if c
            else (("participants", report.pooled_participants),)
        )
        for unit, p in units:
            coded = "/".join(str(n) for n in p.coded_by)
            click.echo(
                f"  {unit:<13} n {p.units} ({p.pairable_units} pairable), coded by {coded}: "
                f"alpha {num(p.alpha)}" + (f" ({p.undefined})" if p.undefined else "")
            )
    for line in report.method:
        out.print(line, style="dim")


def _count_rows(report: CountsReport) -> list[dict[str, str]]:
    rows = []
    for node in (*report.themes, *report.codes):
        row = {
            "kind": node.kind,
            "path": format_path(node.path),
            "depth": str(node.depth),
            "direct": str(node.direct),
            "n": str(node.rolled_up),
            "N": str(node.total),
            "phrase": node.phrase,
            "supporters": "; ".join(node.supporters),
            "not represented": "; ".join(node.not_represented),
            "divergent": "; ".join(node.divergent),
        }
        for group in node.by_group:
            row[f"{report.attribute}={group.value}"] = f"{group.n}/{group.total}"
        rows.append(row)
    return rows


def _print_counts_text(report: CountsReport) -> None:
    out = console()
    out.print(f"[bold]Single counts[/bold] (N = {report.total})")

    def table(title: str, nodes: tuple[NodeCount, ...]) -> None:
        if not nodes:
            return
        from rich.table import Table  # rich loads for text output only

        t = Table(
            title,
            "n/N",
            "Phrase",
            "Direct",
            "Divergent",
            *(v for v, _ in report.groups),
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            title_justify="left",
        )
        for node in nodes:
            t.add_row(
                "  " * (node.depth - 1) + node.path[-1],
                f"{node.rolled_up}/{node.total}",
                node.phrase.rsplit(" (", 1)[0],
                str(node.direct),
                ", ".join(node.divergent) or "-",
                *(f"{g.n}/{g.total}" for g in node.by_group),
            )
        out.print(t)

    table("Theme", report.themes)
    table("Code", report.codes)
    for line in report.method:
        out.print(line, style="dim")


@click.command()
@click.argument("study")
@LEVEL_2
@CODERS
@click.option(
    "--by", "attribute", help="Split every count by a participant attribute (or 'group')."
)
@click.option(
    "--quantifiers",
    type=click.Path(path_type=Path),
    help="YAML file of quantifier rules (default: docs/methods.md#verbal-quantifiers).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "md"]),
    default="text",
    show_default=True,
)
def counts(
    study: str, level: int, coders: str, attribute: str | None, quantifiers: Path | None, fmt: str
) -> None:
    """Single counts: distinct participants per theme node and per code (each counted once; rolled up as
    unions), with n/N, a quantifier phrase, who supports it, who is not represented and divergent cases.

    \b
    Example:
        thematica counts msk.thematica --level 2 --by group --format md
    """
    from thematica.analysis.quantifiers import DEFAULT_RULES, load_rules

    rules = load_rules(read_file(quantifiers), str(quantifiers)) if quantifiers else DEFAULT_RULES
    with open_study(study) as service:
        report = service.counts(
            level=Level(level), coders=_names(coders), by=attribute, rules=rules
        )
    if fmt == "json":
        print_json(serialise.counts(report))
    elif fmt == "text":
        _print_counts_text(report)
    else:
        rows = _count_rows(report)
        columns = list(rows[0]) if rows else ["kind", "path"]
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            click.echo(buffer.getvalue(), nl=False)
        else:
            click.echo("| " + " | ".join(columns) + " |")
            click.echo("|" + "---|" * len(columns))
            for row in rows:
                click.echo("| " + " | ".join(row[c].replace("|", "\\|") for c in columns) + " |")


@click.command()
@click.argument("study")
@click.option(
    "--level", type=click.IntRange(1, 2), default=1, show_default=True, help="Code level counted."
)
@CODERS
@click.option(
    "--order", help="Comma-separated transcripts in the order analysed (default: interview date)."
)
@click.option(
    "--base",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Guest base size (interviews).",
)
@click.option(
    "--run",
    "run_length",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Guest run length.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.05,
    show_default=True,
    help="New-information threshold.",
)
@click.option(
    "--initial",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Francis initial analysis sample.",
)
@click.option(
    "--stop",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Francis stopping criterion.",
)
@format_option
def saturation(
    study: str,
    level: int,
    coders: str,
    order: str | None,
    base: int,
    run_length: int,
    threshold: float,
    initial: int,
    stop: int,
    fmt: str,
) -> None:
    """Data saturation: new codes per interview, the cumulative curve, Guest, Namey & Chen (2020)
    base/run/threshold ("n+r" or "not reached") and the Francis et al. (2010) stopping rule. Works on an
    unfinished study.

    \b
    Example:
        thematica saturation msk.thematica --base 4 --run 2 --threshold 0.05
    """
    from thematica.analysis.saturation import threshold_percent

    with open_study(study) as service:
        report = service.saturation(
            level=Level(level),
            coders=_names(coders),
            order=_names(order or ""),
            base=base,
            run=run_length,
            threshold=threshold,
            initial=initial,
            stop=stop,
        )
    if fmt == "json":
        print_json(serialise.saturation(report))
        return
    out = console()
    guest = report.guest
    out.print(
        f"[bold]Saturation[/bold] (Guest et al. 2020, base {guest.base}, run {guest.run}, threshold {threshold_percent(guest.threshold)}): "
        f"[bold]{guest.notation}[/bold]" + (f" ({guest.reason})" if guest.reason else "")
    )
    francis = report.francis
    out.print(
        f"Francis et al. 2010 (initial {francis.initial}, stop {francis.stop}): "
        + (
            f"saturation at interview {francis.interview}"
            if francis.reached
            else f"not reached ({francis.reason or 'streak ' + str(francis.streak)})"
        )
    )
    from rich.table import Table  # rich loads for text output only

    t = Table(
        "#",
        "Participant",
        "Date",
        "Codes",
        "New",
        "Cumulative",
        "",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    peak = max((s.cumulative for s in report.interviews), default=1) or 1
    for s in report.interviews:
        bar = "█" * round(20 * s.cumulative / peak)
        t.add_row(
            str(s.position),
            s.participant or f"#{s.transcript_id}",
            str(s.interview_date or "-"),
            str(s.codes),
            str(s.new),
            str(s.cumulative),
            bar,
        )
    out.print(t)
    if guest.runs:
        runs = Table(
            "Run",
            "New",
            f"Ratio (/{guest.base_codes})",
            f"≤ {threshold_percent(guest.threshold)}",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for r in guest.runs:
            runs.add_row(
                f"{r.start}-{r.end}", str(r.new), f"{r.ratio:.4f}", "yes" if r.at_or_below else "no"
            )
        out.print(runs)
    if report.not_yet_coded:
        out.print("Not yet coded: " + ", ".join(report.not_yet_coded))
    for line in report.method:
        out.print(line, style="dim")


@click.command()
@click.argument("study")
@click.option(
    "--by", "attribute", required=True, help="Participant attribute for the columns (or 'group')."
)
@LEVEL_2
@CODERS
@click.option(
    "--rows",
    type=click.Choice(["auto", "themes", "codes"]),
    default="auto",
    show_default=True,
    help="Theme nodes or codes as rows.",
)
@format_option
def matrix(study: str, attribute: str, level: int, coders: str, rows: str, fmt: str) -> None:
    """Themes (or codes) by the values of a participant attribute: distinct participants and codings.

    \b
    Example:
        thematica matrix msk.thematica --by group
    """
    with open_study(study) as service:
        report = service.matrix(attribute, level=Level(level), coders=_names(coders), rows=rows)
    if fmt == "json":
        print_json(serialise.matrix(report))
        return
    from rich.table import Table  # rich loads for text output only

    t = Table("", *(f"{v} (N={n})" for v, n in report.values), box=box.SIMPLE_HEAD, pad_edge=False)
    for row in report.rows:
        t.add_row(
            "  " * (len(row.path) - 1) + row.path[-1],
            *(f"{c.participants}/{c.total} · {c.codings}" for c in row.cells),
        )
    out = console()
    out.print(t)
    out.print("Cells: participants/N · codings", style="dim")


@click.command()
@click.argument("study")
@LEVEL_2
@CODERS
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="How many pairs to show in text.",
)
@format_option
def cooccurrence(study: str, level: int, coders: str, top: int, fmt: str) -> None:
    """Codes that share a speaker turn or overlap: counts and Jaccard.

    \b
    Example:
        thematica cooccurrence msk.thematica --level 2 --format json
    """
    with open_study(study) as service:
        report = service.cooccurrence(level=Level(level), coders=_names(coders))
    if fmt == "json":
        print_json(serialise.cooccurrence(report))
        return
    from rich.table import Table  # rich loads for text output only

    t = Table(
        "Code",
        "Code",
        "Turns both",
        "Jaccard",
        "Overlapping codings",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for p in report.pairs[:top]:
        t.add_row(
            format_path(p.a),
            format_path(p.b),
            str(p.turns_both),
            f"{p.jaccard:.3f}",
            str(p.overlapping_codings),
        )
    out = console()
    out.print(t)
    out.print(report.method[0], style="dim")
