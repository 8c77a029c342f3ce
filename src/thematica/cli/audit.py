"""``thematica audit-log``: read and export the audit log (thin over the service)."""

from __future__ import annotations

import datetime as dt
import json

import click

from thematica.cli.output import open_study, plural

DATE = click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None


@click.command("audit-log")
@click.argument("study")
@click.option("--action", help="One action (coding.add) or a family of them (coding).")
@click.option("--actor", help="Only what this team member (or 'administrator') did.")
@click.option(
    "--since", type=DATE, metavar="DATE", help="From this date or time (UTC), e.g. 2025-03-01."
)
@click.option("--until", type=DATE, metavar="DATE", help="Before this date or time (UTC).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the N most recent entries.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="A table to read, or CSV or JSON to keep.",
)
def audit_log(
    study: str,
    action: str | None,
    actor: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Show or export the audit log: who changed what, when, from which client (newest first).

    Every change to codings, codes and themes is logged, with reveals, blind coding,
    reconciliation, anonymisation runs, imports and exports. Entries hold ids, counts and
    offsets: never transcript text, memo or journal text, search words, or an original
    identifier. Reading it from the command line is the administrator's power (whoever holds
    the study file or its database credentials); in the workbench only leads read it.

    \b
    Example:
        thematica audit-log msk.thematica --action coding --since 2020-01-01 --format csv
    """
    from thematica.service import audit

    wanted = audit.AuditFilter(action, actor, _utc(since), _utc(until))
    with open_study(study) as service:
        found = service.audit_log(wanted, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([audit.as_dict(e) for e in found.entries], indent=2))
    elif fmt == "csv":
        click.echo(audit.to_csv(found.entries), nl=False)
    else:
        for e in found.entries:
            details = json.dumps(e.details, sort_keys=True, ensure_ascii=False)
            click.echo(
                f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor} ({e.client})  {e.action}  {e.target}  "
                f"{details}"
            )
        shown = plural(len(found.entries), "entry", "entries")
        click.echo(f"{shown} of {found.total:,}", err=True)
