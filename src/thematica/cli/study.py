"""Commands about the study as a whole: init, info, upgrade, demo and blind coding (the team
is in ``cli/team.py``)."""

from __future__ import annotations

from pathlib import Path

import click

from thematica import private_files
from thematica.cli.output import CliError, console, format_option, open_study, print_json
from thematica.domain import Approach


@click.command()
@click.argument("study")
@click.option("--title", required=True, help="The study's title.")
@click.option("--question", default="", help="The research question.")
@click.option(
    "--approach",
    type=click.Choice([a.value for a in Approach]),
    default=Approach.REFLEXIVE.value,
    show_default=True,
    help="Reflexive, codebook or coding-reliability thematic analysis.",
)
@format_option
def init(study: str, title: str, question: str, approach: str, fmt: str) -> None:
    """Create a new, empty study at STUDY (a file path or a PostgreSQL URL).

    \b
    Example:
        thematica init msk.thematica --title "Pain and low mood" \\
            --question "How do therapists address mental health?" --approach reflexive
    """
    from thematica.service import StudyService

    with StudyService.create(
        study, title=title, research_question=question, approach=Approach(approach)
    ) as service:
        result = service.info()
    if fmt == "json":
        print_json(result)
    else:
        click.echo(f"Created study {result.title!r} at {study}")


@click.command()
@click.argument("study")
@click.option(
    "--media-dir",
    envvar="THEMATICA_MEDIA_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder recordings are kept in, if not beside the study (THEMATICA_MEDIA_DIR).",
)
@format_option
def info(study: str, media_dir: Path | None, fmt: str) -> None:
    """Describe the study: title, question, approach, team and headline counts.

    \b
    Example:
        thematica info msk.thematica --format json
    """
    with open_study(study) as service:
        service.media_dir = media_dir
        result = service.info()
    if result.permissions_warning:
        click.echo(f"Warning: {result.permissions_warning}", err=True)
    if fmt == "json":
        print_json(result)
        return
    out = console()
    out.print(f"[bold]{result.title}[/bold]")
    if result.research_question:
        out.print(f"Research question: {result.research_question}")
    out.print(f"Approach: {result.approach.value} thematic analysis")
    out.print(
        f"{result.participants} participants, {result.transcripts} transcripts, "
        f"{result.words:,} words"
    )
    if result.team:
        out.print("Team: " + ", ".join(f"{m.name} ({m.role.value})" for m in result.team))
    out.print(f"Study: {result.location} (schema {result.schema_revision})", style="dim")
    if result.media_bytes is not None:
        size = f"{result.media_bytes / 1_000_000:,.1f} MB"
        out.print(f"Media: {result.media_folder} ({size})", style="dim", markup=False)


@click.command()
@click.argument("study")
def upgrade(study: str) -> None:
    """Bring STUDY's schema up to this version of Thematica.

    Study files are upgraded automatically when opened (after a backup beside them); a
    PostgreSQL team server is only upgraded by this command.

    \b
    Example:
        thematica upgrade postgresql+psycopg://thematica@db.example/msk
    """
    from thematica.service import StudyService
    from thematica.storage.database import head_revision

    with StudyService.open(study, migrate_server=True) as service:
        migration = service.migration
    if migration is None:
        click.echo(f"Already up to date (schema {head_revision()})")
    else:
        click.echo(f"Upgraded from schema {migration.from_revision} to {migration.to_revision}")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing demo study in DIRECTORY.")
def demo(directory: Path, force: bool) -> None:
    """Write the fictional demo study into DIRECTORY and print its path.

    Ten Teams interviews with physiotherapists and occupational therapists about patients with
    musculoskeletal and mental-health conditions, their register and the interview guide.

    \b
    Example:
        thematica demo ~/thematica-demo
    """
    from thematica.demo import build_demo, key_path

    try:
        private_files.make_folder(directory)
    except OSError as exc:
        raise CliError(f"{directory}: cannot be created ({exc.strerror or exc})") from None
    target = directory / "demo.thematica"
    if target.exists() and not force:
        raise CliError(f"{target}: already exists (use --force to replace it)")
    # The key appears just before the study: a key with no study beside it is what an interrupted
    # demo leaves, and is replaced like the study itself with --force.
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), key_path(target)):
        leftover.unlink(missing_ok=True)
    build_demo(target)
    click.echo(str(target))


@click.command()
@click.argument("study")
@click.argument("state", type=click.Choice(["on", "off", "status"]), required=False)
@click.option("--by", "by", envvar="THEMATICA_MEMBER", help="The lead changing it.")
@click.option(
    "--require-checked",
    type=click.Choice(["on", "off"]),
    help="Reveal a transcript only once it is checked against the recording.",
)
def blind(study: str, state: str | None, by: str | None, require_checked: str | None) -> None:
    """Blind level-one coding: while on, each coder sees only their own codings in a transcript
    until the lead reveals it ('thematica transcripts reveal'). With --require-checked on, a
    transcript is revealed only once it is checked ('thematica transcripts check').

    \b
    Examples:
        thematica blind msk.thematica on --by "Rachel Ames"
        thematica blind msk.thematica --require-checked on --by "Rachel Ames"
        thematica blind msk.thematica status
    """
    if state is None and require_checked is None:
        raise CliError("say on, off or status (or --require-checked on|off)")
    with open_study(study) as service:
        if state == "status":
            click.echo("Blind coding is " + ("on" if service.blind_coding() else "off"))
            rule = "on" if service.reveal_requires_checked() else "off"
            click.echo(f"Reveal requires a checked transcript: {rule}")
            if require_checked is None:
                return
        if not by:
            raise CliError("say which lead is changing it: --by NAME")
        member = service.as_member(by, client="cli")
        if state in ("on", "off"):
            member.set_blind_coding(state == "on")
        if require_checked is not None:
            member.set_reveal_requires_checked(require_checked == "on")
    if state in ("on", "off"):
        click.echo(f"Blind coding is {state}")
    if require_checked is not None:
        click.echo(f"Reveal requires a checked transcript: {require_checked}")
