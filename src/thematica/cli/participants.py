"""``thematica participants``: the participant register."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box

from thematica.cli.output import (
    CliError,
    console,
    format_option,
    interactive,
    open_study,
    plural,
    print_json,
    read_file,
)
from thematica.domain import WITHDRAWAL_REASONS, format_path

if TYPE_CHECKING:
    from thematica.service.withdrawal import WithdrawalPlan
    from thematica.service.withdrawal_methods import WithdrawalReport


@click.group()
def participants() -> None:
    """The participant register: labels, groups and typed attributes."""


@participants.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--prefix",
    "prefixes",
    multiple=True,
    metavar="GROUP=PREFIX",
    help="Label prefix for a group when labels are generated, e.g. Physiotherapist=Physio.",
)
@format_option
def participants_import(study: str, file: Path, prefixes: tuple[str, ...], fmt: str) -> None:
    """Add participants from a CSV or XLSX register FILE.

    Columns: 'group' (required), 'label' (optional: blank labels become "<group> 1",
    "<group> 2", ...), and any attributes. Give a type in the header ('age:integer',
    'mh_training:boolean', 'interviewed:date', 'fte:float', 'setting:text') or let
    Thematica infer it. The import is all or nothing.

    \b
    Example:
        thematica participants import msk.thematica register.csv \\
            --prefix Physiotherapist=Physio --prefix "Occupational therapist=OT"
    """
    mapping: dict[str, str] = {}
    for item in prefixes:
        group, sep, prefix = item.partition("=")
        if not sep or not group.strip() or not prefix.strip():
            raise CliError(f"--prefix {item!r}: write it as GROUP=PREFIX")
        mapping[group.strip()] = prefix.strip()
    from thematica.importers.register import read_register

    register = read_register(read_file(file), str(file))
    with open_study(study) as service:
        added = service.import_register(register, source=str(file), prefixes=mapping)
    if fmt == "json":
        print_json({"added": added, "attributes": register.attributes})
    else:
        click.echo(
            f"Added {plural(len(added), 'participant')}: {', '.join(p.label for p in added)}"
        )


@participants.command("list")
@click.argument("study")
@format_option
def participants_list(study: str, fmt: str) -> None:
    """List the register with every attribute.

    \b
    Example:
        thematica participants list msk.thematica --format json
    """
    with open_study(study) as service:
        defs = service.attribute_defs()
        people = service.participants()
    if fmt == "json":
        print_json({"attributes": defs, "participants": people})
        return
    if not people:
        click.echo(
            "No participants yet (import a register: thematica participants import STUDY FILE)"
        )
        return
    from rich.table import Table  # rich loads for text output only

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("Label", no_wrap=True)
    table.add_column("Group")
    for d in defs:
        numeric = d.type.value in ("integer", "float")
        table.add_column(d.name.replace("_", " "), justify="right" if numeric else "left")
    for p in people:
        cells = [
            "" if p.attributes.get(d.name) is None else _cell(p.attributes[d.name]) for d in defs
        ]
        table.add_row(p.label, p.group, *cells)
    console().print(table)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


from thematica.cli.mappings import set_group  # noqa: E402  (issue 12: the import mappings)

participants.add_command(set_group)


@participants.command("withdraw")
@click.argument("study")
@click.argument("label")
@click.option(
    "--by",
    "by",
    envvar="THEMATICA_MEMBER",
    required=True,
    help="The lead recording the withdrawal (default: $THEMATICA_MEMBER).",
)
@click.option(
    "--reason",
    type=click.Choice(WITHDRAWAL_REASONS),
    default="not-stated",
    show_default=True,
    help="Why they withdrew, as a category (kept in the audit log; never free text).",
)
@click.option(
    "--key",
    type=click.Path(path_type=Path),
    help="The anonymisation key file (default: beside the study); their entries leave it too.",
)
@click.option("--yes", is_flag=True, help="Withdraw without asking, after showing what will go.")
@format_option
def participants_withdraw(
    study: str, label: str, by: str, reason: str, key: Path | None, yes: bool, fmt: str
) -> None:
    """Withdraw participant LABEL: their data leaves the study for good.

    First shows what will go: their transcripts, codings per coder, themes whose counts
    change (n/N before and after), their words quoted in memos and notes (replaced by a marker)
    and in the findings draft, and their entries in the key file. Then it asks, or refuses unless --yes. The study keeps
    only that LABEL withdrew (when, who, reason), so the label is never given again; the file
    is scrubbed so none of their words can be read back from it.

    \b
    Example:
        thematica participants withdraw msk.thematica "Physio 4" --by "Rachel Ames" \\
            --reason ill-health --yes
    """
    with open_study(study) as service:
        from thematica.anonymise.keyfile import default_key_path
        from thematica.cli.codebook import acting

        key_path = key or default_key_path(study)
        member = acting(service, by)
        plan = member.withdrawal_plan(label, key_path=key_path)
        if fmt == "text":
            click.echo(describe_plan(plan))
        if not yes:
            if fmt == "json":
                print_json({"plan": plan, "withdrawn": False})
            if fmt == "json" or not interactive() or not _confirmed(plan.label):
                raise CliError(f"nothing was removed: to withdraw {plan.label}, add --yes")
        done = member.withdraw_participant(
            plan.label, confirm=plan.fingerprint, reason=reason, key_path=key_path
        )
    if fmt == "json":
        print_json({"plan": plan, "withdrawn": True, **_as_dict(done)})
        return
    click.echo(
        f"Withdrew {done.withdrawal.label} ({done.withdrawal.reason}), recorded by "
        f"{done.withdrawal.withdrawn_by}; the label will not be given again."
    )
    if not done.scrubbed:
        click.echo(
            "Another program has the study open, so old pages are still in its write-ahead "
            "log until every program has closed the study",
            err=True,
        )


def _confirmed(label: str) -> bool:
    try:
        return click.confirm(f"Withdraw {label} and remove all of this for good?", err=True)
    except click.Abort:
        return False


def _as_dict(done: WithdrawalReport) -> dict[str, object]:
    return {
        "withdrawal": done.withdrawal,
        "scrubbed": done.scrubbed,
        "recordings_removed": done.recordings_removed,
    }


def describe_plan(plan: WithdrawalPlan) -> str:
    """The plan as the lead reads it before confirming (counts and places, never text)."""
    lines = [
        f"Withdrawing {plan.label} ({plan.group}) removes for good:",
        f"  {plural(len(plan.transcripts), 'transcript')} ({plural(plan.words, 'word')}, "
        f"{plural(plan.turns, 'turn')}) and their search-index entries",
    ]
    if plan.codings:
        lines.append(f"  {plural(plan.total_codings, 'coding')}:")
        lines += [
            f"    {c.coder}, level {'one' if c.level == 1 else 'two'}: {c.codings:,}"
            for c in plan.codings
        ]
    else:
        lines.append("  no codings")
    extra = (
        (plan.reconciliations, "reconciliation decision", ""),
        (plan.transcript_memos, "memo on their transcripts", "memos on their transcripts"),
        (
            plan.journal_links,
            "journal link to their transcripts",
            "journal links to their transcripts",
        ),
        (plan.anonymisation_log, "anonymisation-log entry", "anonymisation-log entries"),
    )
    lines += [f"  {plural(n, one, many)}" for n, one, many in extra if n]
    if plan.key is not None:
        lines.append(
            f"  from the key file: {plural(plan.key.identities, 'identity', 'identities')}, "
            f"{plural(plan.key.findings, 'finding')}, "
            f"{plural(plan.key.replacements, 'replacement')}"
        )
    if plan.recordings:
        lines.append(
            f"  {plural(plan.recordings, 'recording')} of their interviews, deleted from the "
            "media folder"
        )
    if plan.quotes:
        lines.append("Their words quoted in notes are replaced by a marker:")
        lines += [f"  {q.where}: {plural(q.quotes, 'quote')}" for q in plan.quotes]
    if plan.draft_quotes:
        lines.append("The findings draft quotes them (it is rebuilt without them):")
        lines += [f"  under “{q.where}”: {plural(q.quotes, 'quote')}" for q in plan.draft_quotes]
    level = "one" if plan.level == 1 else "two"
    lines.append(
        f"Counts (level {level}): participants {plan.participants_before} -> "
        f"{plan.participants_after}; themes whose count changes (n/N):"
    )
    lines += [
        f"  {format_path(t.path)}: {t.before[0]}/{t.before[1]} -> {t.after[0]}/{t.after[1]}"
        for t in plan.themes
    ]
    if not plan.themes:
        lines.append("  none")
    if plan.emptied_codes:
        lines.append(
            "Codes only they were coded with (kept: rename or remove one whose name is their "
            "words):"
        )
        lines += [
            f"  {format_path(path)} (level {'one' if level_ == 1 else 'two'})"
            for level_, path in plan.emptied_codes
        ]
    if plan.backups:
        lines.append("These backups of the study still hold their data; delete them yourself:")
        lines += [f"  {name}" for name in plan.backups]
    return "\n".join(lines)
