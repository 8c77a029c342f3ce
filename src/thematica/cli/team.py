"""``thematica team``: the research team, its accounts and invitations.

The command line acts as the study's administrator: whoever can open the study file, or holds
the PostgreSQL server's credentials, can already change anything in it, so these commands ask
for no sign-in. They are written to the audit log as "(administrator)" from "cli".
"""

from __future__ import annotations

import sys

import click

from thematica.cli.output import CliError, console, format_option, open_study, print_json
from thematica.domain import MemberRole, Scope

DEFAULT_BASE = "http://127.0.0.1:8765"
ROLES = [r.value for r in MemberRole]


@click.group()
def team() -> None:
    """The research team: who codes, who leads, who only reads; their passwords and invitations
    (links to set a password).

    The command line acts as the study's administrator: holding the study file or the database
    credentials is an administrator's power, so these commands ask for no sign-in (the audit
    log records them as "(administrator)").
    """


def _base_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--base-url",
        default=DEFAULT_BASE,
        show_default=True,
        metavar="URL",
        help="The workbench's address as members reach it, for the invitation link.",
    )(func)


@team.command("add")
@click.argument("study")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=MemberRole.CODER.value,
    show_default=True,
    help="lead, coder or reader.",
)
@click.option("--email", default=None, help="The member's e-mail address (optional).")
@click.option(
    "--anonymised-only",
    is_flag=True,
    help="This member may never see original text (readers never do).",
)
@click.option(
    "--invite",
    is_flag=True,
    help="Also print a one-time link (valid 7 days) for the member to set their password.",
)
@_base_option
def team_add(
    study: str,
    name: str,
    role: str,
    email: str | None,
    anonymised_only: bool,
    invite: bool,
    base_url: str,
) -> None:
    """Add NAME to the team.

    \b
    Examples:
        thematica team add msk.thematica "Priya Shah" --role coder
        thematica team add msk.thematica "Sam Lee" --role coder --email sam@example.org --invite
    """
    from thematica.service.administrator import ADMINISTRATOR

    with open_study(study) as service:
        member, invitation = service.add_member(
            name,
            MemberRole(role),
            by=ADMINISTRATOR,
            email=email,
            anonymised_only=anonymised_only,
            invite=invite,
            client="cli",
        )
    click.echo(f"Added {member.name} ({member.role.value})")
    if invitation is not None:
        _print_invitation(invitation.member, invitation.link(base_url))


def _print_invitation(name: str, link: str) -> None:
    click.echo(f"Invitation for {name} (valid 7 days, works once; send it privately):")
    click.echo(link)


@team.command("invite")
@click.argument("study")
@click.argument("name")
@_base_option
def team_invite(study: str, name: str, base_url: str) -> None:
    """A new invitation link for NAME to set a password. For a member who has one, this is a
    reset: their password stops working at once, their sessions end, and older links are void.

    \b
    Example:
        thematica team invite msk.thematica "Tom Okafor"
    """
    from thematica.service.administrator import ADMINISTRATOR

    with open_study(study) as service:
        invitation = service.invite(name, by=ADMINISTRATOR, client="cli")
    _print_invitation(invitation.member, invitation.link(base_url))


@team.command("passwd")
@click.argument("study")
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
def team_passwd(study: str, name: str, password_stdin: bool) -> None:
    """Set NAME's password (asked twice, not shown). At least 12 characters, not the member's
    name. Their sessions end.

    \b
    Examples:
        thematica team passwd msk.thematica "Tom Okafor"
        printf '%s\\n' "$PASSWORD" | thematica team passwd msk.thematica NAME --password-stdin
    """
    from thematica.service.administrator import ADMINISTRATOR

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"New password for {name}", hide_input=True, confirmation_prompt=True, err=True
        )
    if not password:
        raise CliError("no password given")
    with open_study(study) as service:
        member = service.set_password(name, password, by=ADMINISTRATOR, client="cli")
    click.echo(f"Password set for {member.name}")


@team.command("role")
@click.argument("study")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def team_role(study: str, name: str, role: str) -> None:
    """Give NAME another ROLE (lead, coder or reader); their sessions end.

    \b
    Example:
        thematica team role msk.thematica "Tom Okafor" lead
    """
    from thematica.service.administrator import ADMINISTRATOR

    with open_study(study) as service:
        member = service.set_role(name, MemberRole(role), by=ADMINISTRATOR, client="cli")
    click.echo(f"{member.name} is now a {member.role.value}")


@team.command("deactivate")
@click.argument("study")
@click.argument("name")
def team_deactivate(study: str, name: str) -> None:
    """Stop NAME signing in: their sessions end and invitations are void; their codings, memos
    and journal stay in the study, credited to them.

    \b
    Example:
        thematica team deactivate msk.thematica "Helen Marsh"
    """
    from thematica.service.administrator import ADMINISTRATOR

    with open_study(study) as service:
        member = service.deactivate(name, by=ADMINISTRATOR, client="cli")
    click.echo(f"Deactivated {member.name}")


@team.command("remove")
@click.argument("study")
@click.argument("name")
def team_remove(study: str, name: str) -> None:
    """Remove NAME from the team: only a member with no work in the study (codings, memos,
    journal entries, decisions); deactivate the others.

    \b
    Example:
        thematica team add msk.thematica "Added By Mistake"
        thematica team remove msk.thematica "Added By Mistake"
    """
    from thematica.service.administrator import ADMINISTRATOR

    with open_study(study) as service:
        removed = service.remove_member(name, by=ADMINISTRATOR, client="cli")
    click.echo(f"Removed {removed}")


@team.command("list")
@click.argument("study")
@format_option
def team_list(study: str, fmt: str) -> None:
    """List the team: role, which text each may see, whether they have a password, whether
    they are active.

    \b
    Example:
        thematica team list msk.thematica --format json
    """
    with open_study(study) as service:
        members = service.team()
    if fmt == "json":
        print_json(members)
        return
    if not members:
        click.echo("No team members yet (add one: thematica team add STUDY NAME --role lead)")
        return
    from rich.table import Table  # rich loads for text output only

    table = Table("Name", "Role", "Sees", "Password", "Active", "E-mail")
    for m in members:
        table.add_row(
            m.name,
            m.role.value,
            "all text" if m.scope is Scope.ALL else "anonymised text only",
            "set" if m.has_password else "none",
            "yes" if m.active else "deactivated",
            m.email or "",
        )
    console().print(table)
