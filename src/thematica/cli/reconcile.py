"""``thematica reconcile``: level-one disagreements decided into the agreed (level-two) layer."""

from __future__ import annotations

import click

from thematica.cli.codebook import BY, acting, code_path
from thematica.cli.output import CliError, format_option, open_study, plural, print_json
from thematica.domain import RECONCILE_DECISIONS, format_path

CODERS = click.option(
    "--coders",
    help="The two coders compared, 'A,B' (default: the two who coded the transcript most).",
)


def pair(text: str | None) -> tuple[str, str] | None:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) != 2:
        raise CliError(f"--coders needs two names separated by a comma, not {text!r}")
    return (names[0], names[1])


@click.group()
def reconcile() -> None:
    """Reconcile two coders' level-one coding, one disagreement at a time."""


@reconcile.command("status")
@click.argument("study")
@format_option
def status(study: str, fmt: str) -> None:
    """Every transcript: its coders, and its disagreements, decided or not.

    \b
    Example:
        thematica reconcile status msk.thematica
    """
    with open_study(study) as service:
        rows = service.reconciliation_status()
    if fmt == "json":
        print_json(rows)
        return
    for s in rows:
        who = " and ".join(sorted(s.coders[:2])) or "not coded"
        click.echo(
            f"{s.participant or s.transcript_id}: {who}; "
            f"{plural(s.disagreements, 'disagreement')}, {s.decided} decided"
            + ("" if s.revealed else " (not revealed)")
        )


@reconcile.command("show")
@click.argument("study")
@click.argument("transcript")
@CODERS
@format_option
def show(study: str, transcript: str, coders: str | None, fmt: str) -> None:
    """The disagreements in one transcript, numbered, with the decisions made so far.

    \b
    Example:
        thematica reconcile show msk.thematica "Physio 3"
    """
    with open_study(study) as service:
        r = service.reconciliation(transcript, coders=pair(coders))
    if fmt == "json":
        print_json(r)
        return
    click.echo(f"{r.participant}: A = {r.coder_a}, B = {r.coder_b}; {r.pending} to decide")
    for n, item in enumerate(r.items, start=1):
        state = f"{item.decision.decision} by {item.decision.by}" if item.decision else "open"
        click.echo(
            f"{n:3}. {format_path(item.code)} [{item.kind}] {item.start}-{item.end} ({state})\n"
            f"     A {list(item.a)}  B {list(item.b)}  “{item.text[:100]}”"
        )


@reconcile.command("decide")
@click.argument("study")
@click.argument("transcript")
@click.argument("number", type=click.IntRange(min=1))
@click.argument("decision", type=click.Choice(RECONCILE_DECISIONS))
@click.option("--span", help="For 'edit': the agreed span, START-END (code points).")
@click.option("--code", "code", help="For 'edit': the level-two code (default: the agreed one).")
@CODERS
@BY
@format_option
def decide(
    study: str,
    transcript: str,
    number: int,
    decision: str,
    span: str | None,
    code: str | None,
    coders: str | None,
    by: str | None,
    fmt: str,
) -> None:
    """Decide disagreement NUMBER (as numbered by 'reconcile show'): accept_a, accept_b, both,
    edit (with --span and optionally --code) or drop.

    \b
    Examples:
        thematica reconcile decide msk.thematica "Physio 3" 1 accept_a --by "Rachel Ames"
        thematica reconcile decide msk.thematica "Physio 3" 2 edit --span 1497-1560 --by "Rachel Ames"
    """
    edit = None
    if span is not None:
        try:
            start, end = (int(x) for x in span.split("-"))
        except ValueError:
            raise CliError(f"--span must be START-END, like 120-188, not {span!r}") from None
        from thematica.service.reconcile import Edit

        edit = Edit(start, end, code_path(code) if code else None)
    with open_study(study) as service:
        who = pair(coders)
        items = service.reconciliation(transcript, coders=who).items
        if number > len(items):
            raise CliError(f"there are {len(items)} disagreements in {transcript}, not {number}")
        item = items[number - 1]
        made = acting(service, by).reconcile(
            transcript,
            item.code,
            item.start,
            item.end,
            decision,
            coders=who,
            edit=edit,
        )
    if fmt == "json":
        print_json(made)
    else:
        click.echo(f"decision {made.id}: {decision}, {len(made.codings)} agreed codings written")


@reconcile.command("undo")
@click.argument("study")
@click.argument("decision", type=int)
@BY
def undo(study: str, decision: int, by: str | None) -> None:
    """Undo a decision (its id, as 'reconcile decide' prints it, or from 'reconcile show
    --format json'), removing the agreed codings it wrote.

    \b
    Example:
        thematica reconcile decide msk.thematica "Physio 3" 1 accept_a --by "Rachel Ames"
        thematica reconcile undo msk.thematica 1 --by "Rachel Ames"
    """
    with open_study(study) as service:
        gone = acting(service, by).undo_reconciliation(decision)
    click.echo(
        f"undid decision {gone.id} ({gone.decision}); {plural(len(gone.codings), 'coding')} removed"
    )
