"""``thematica codebook`` and ``thematica codings``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box

from thematica.cli.output import (
    CliError,
    console,
    format_option,
    open_study,
    plural,
    print_json,
    read_file,
)
from thematica.domain import Level, MemberRole, format_path, parse_path

if TYPE_CHECKING:  # the service loads only when a command opens a study
    from thematica.service import StudyService
    from thematica.service.acting import MemberStudy

LEVEL = click.option(
    "--level",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="1 = coders' level-one codes, 2 = agreed codes.",
)
BY = click.option(
    "--by",
    "by",
    envvar="THEMATICA_MEMBER",
    help="Team member doing this (default: $THEMATICA_MEMBER, or the study's only lead).",
)


def acting(service: StudyService, by: str | None) -> MemberStudy:
    """The study bound to the member acting (``--by``/``$THEMATICA_MEMBER``, else the study's
    only lead), so the service checks what they may do. Holding the study file is an
    administrator's power: commands with no acting member use the plain service."""
    return service.as_member(actor(service, by), client="cli")


def actor(service: StudyService, by: str | None) -> str:
    if by:
        return by
    leads = [m.name for m in service.team() if m.role is MemberRole.LEAD]
    if len(leads) == 1:
        return leads[0]
    raise CliError("say who is doing this: --by NAME (or set THEMATICA_MEMBER)")


def code_path(text: str) -> tuple[str, ...]:
    path = parse_path(text)
    if not path:
        raise CliError(f"{text!r} is not a code path like 'Theme > Code'")
    return path


@click.group()
def codebook() -> None:
    """The codebook: codes at any depth, level one (per coder) and level two (agreed)."""


@codebook.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@LEVEL
@format_option
def codebook_import(study: str, file: Path, level: int, fmt: str) -> None:
    """Add codes from a CSV/XLSX file (column 'path', optional 'description', 'colour', 'level'),
    or codes, themes and interlinks from a YAML file. Existing codes keep their codings; a new
    description or colour replaces the old one.

    \b
    Examples:
        thematica codebook import msk.thematica codebook.csv
        thematica codebook import msk.thematica framework.yaml
    """
    from thematica.importers.codebook import read_codebook

    book = read_codebook(read_file(file), str(file), level=Level(level))
    with open_study(study) as service:
        report = service.import_codebook(book, source=str(file))
    if fmt == "json":
        print_json(report)
    else:
        click.echo(
            f"{plural(report.codes_created, 'code')} added, {report.codes_updated:,} updated; "
            f"{plural(report.themes, 'theme')}; {plural(report.links_created, 'interlink')} added"
        )


@codebook.command("show")
@click.argument("study")
@click.option("--level", type=click.IntRange(1, 2), help="Only this level.")
@format_option
def codebook_show(study: str, level: int | None, fmt: str) -> None:
    """Show the code tree with the number of codings of each code.

    \b
    Example:
        thematica codebook show msk.thematica --level 2
    """
    with open_study(study) as service:
        codes = service.codes(Level(level) if level else None)
    if fmt == "json":
        print_json(codes)
        return
    out = console()
    for lvl in (Level.ONE, Level.TWO):
        chosen = [c for c in codes if c.level is lvl]
        if not chosen:
            continue
        from rich.tree import Tree  # rich loads for text output only

        root = Tree(f"[bold]Level {int(lvl)}[/bold] ({'coders' if lvl is Level.ONE else 'agreed'})")
        branches: dict[tuple[str, ...], Tree] = {(): root}
        for code in chosen:
            owner = f", {code.owner}" if code.owner else ""
            label = f"{code.name} [dim]({code.codings}{owner})[/dim]"
            branches[code.path] = branches.get(code.path[:-1], root).add(label)
        out.print(root)
    if not codes:
        click.echo("No codes yet (thematica codebook import STUDY FILE)")


@codebook.command("rename")
@click.argument("study")
@click.argument("path")
@click.argument("new_name")
@LEVEL
@BY
def codebook_rename(study: str, path: str, new_name: str, level: int, by: str | None) -> None:
    """Rename the code at PATH; its codings stay with it.

    \b
    Example:
        thematica codebook rename msk.thematica "Time > Short follow-up slots" "Short appointments"
    """
    with open_study(study) as service:
        entry = acting(service, by).rename_code(code_path(path), new_name, level=Level(level))
    click.echo(f"Renamed (lineage entry {entry})")


@codebook.command("describe")
@click.argument("study")
@click.argument("path")
@click.option("--description", help="The code's new description.")
@click.option("--colour", help="The code's colour, #RRGGBB.")
@LEVEL
@BY
def codebook_describe(
    study: str, path: str, description: str | None, colour: str | None, level: int, by: str | None
) -> None:
    """Set a code's description or colour.

    \b
    Example:
        thematica codebook describe msk.thematica "Time > Short follow-up slots" --description "Twenty minutes, then the next patient"
    """
    if description is None and colour is None:
        raise CliError("nothing to change: give --description and/or --colour")
    from thematica.importers.codebook import parse_colour

    parsed = parse_colour(colour, "--colour", "option") if colour else None
    with open_study(study) as service:
        entry = acting(service, by).describe_code(
            code_path(path),
            description=description,
            colour=parsed,
            level=Level(level),
        )
    click.echo(f"Described (lineage entry {entry})")


@codebook.command("move")
@click.argument("study")
@click.argument("path")
@click.argument("new_parent", required=False)
@LEVEL
@BY
def codebook_move(
    study: str, path: str, new_parent: str | None, level: int, by: str | None
) -> None:
    """Move the code at PATH under NEW_PARENT (or to the top level when omitted).

    \b
    Example:
        thematica codebook move msk.thematica "Time > Opening a can of worms" "Role"
    """
    with open_study(study) as service:
        entry = acting(service, by).move_code(
            code_path(path),
            code_path(new_parent) if new_parent else None,
            level=Level(level),
        )
    click.echo(f"Moved (lineage entry {entry})")


@codebook.command("merge")
@click.argument("study")
@click.argument("source")
@click.argument("target")
@LEVEL
@BY
def codebook_merge(study: str, source: str, target: str, level: int, by: str | None) -> None:
    """Merge SOURCE into TARGET: every coding, sub-code and theme assignment moves to TARGET.
    Undo it with 'thematica codebook undo STUDY ENTRY'.

    \b
    Example:
        thematica codebook merge msk.thematica "Time > Running late and cutting short" "Time > Short follow-up slots"
    """
    with open_study(study) as service:
        entry = acting(service, by).merge_codes(
            code_path(source), code_path(target), level=Level(level)
        )
    click.echo(
        f"Merged (lineage entry {entry}; undo with: thematica codebook undo {study} {entry})"
    )


@codebook.command("split")
@click.argument("study")
@click.argument("path")
@click.argument("new_name")
@click.option(
    "--codings", required=True, help="Comma-separated coding numbers that go to the new code."
)
@LEVEL
@BY
def codebook_split(
    study: str, path: str, new_name: str, codings: str, level: int, by: str | None
) -> None:
    """Split the code at PATH: a new sibling NEW_NAME takes the listed codings.

    \b
    Example:
        thematica codebook split msk.thematica "Referral > Long waits" "Waiting lists" --codings 80,81,21
    """
    try:
        ids = [int(part) for part in codings.split(",") if part.strip()]
    except ValueError:
        raise CliError(f"--codings {codings!r}: give coding numbers separated by commas") from None
    with open_study(study) as service:
        entry = acting(service, by).split_code(code_path(path), new_name, ids, level=Level(level))
    click.echo(f"Split (lineage entry {entry})")


@codebook.command("lineage")
@click.argument("study")
@format_option
def codebook_lineage(study: str, fmt: str) -> None:
    """List every codebook operation: who, when, what.

    \b
    Example:
        thematica codebook lineage msk.thematica --format json
    """
    with open_study(study) as service:
        entries = service.lineage()
    if fmt == "json":
        print_json(entries)
        return
    from rich.table import Table  # rich loads for text output only

    table = Table("#", "When", "Who", "What", box=box.SIMPLE_HEAD, pad_edge=False)
    for e in entries:
        what = e.summary + (f" [undone {e.undone_at:%Y-%m-%d %H:%M}]" if e.undone_at else "")
        table.add_row(str(e.id), f"{e.at:%Y-%m-%d %H:%M}", e.actor, what)
    console().print(table)


@codebook.command("undo")
@click.argument("study")
@click.argument("entry", type=int)
@BY
def codebook_undo(study: str, entry: int, by: str | None) -> None:
    """Undo the merge recorded as lineage ENTRY, restoring the code and all its codings.

    \b
    Example:
        thematica codebook merge msk.thematica "Group > Keeping going together" "Group > Not alone"
        thematica codebook undo msk.thematica 1
    """
    with open_study(study) as service:
        click.echo(acting(service, by).undo(entry))


@click.group()
def codings() -> None:
    """Codings: who coded which span of which transcript with which code."""


@codings.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@LEVEL
def codings_import(study: str, file: Path, level: int) -> None:
    """Add codings from a CSV/XLSX FILE: columns transcript, coder, code, and either start/end
    (code points, end exclusive) or quote (+ occurrence when the quote repeats); optional memo.
    All or nothing: any bad row stops the import and names the row.

    \b
    Example:
        thematica codings import msk.thematica coder-a.csv --level 1
    """
    from thematica.importers.codings import read_codings

    specs = read_codings(read_file(file), str(file))
    with open_study(study) as service:
        added = service.import_codings(specs, source=str(file), level=Level(level))
    click.echo(f"Added {plural(added, 'coding')}")


@codings.command("list")
@click.argument("study")
@click.option("--code", help="Only this code (and its sub-codes).")
@click.option("--coder", help="Only this coder's codings.")
@click.option("--transcript", help="Only this transcript (number, label or file).")
@click.option("--level", type=click.IntRange(1, 2), help="Only this level.")
@format_option
def codings_list(
    study: str,
    code: str | None,
    coder: str | None,
    transcript: str | None,
    level: int | None,
    fmt: str,
) -> None:
    """List codings with their text and participant label.

    \b
    Example:
        thematica codings list msk.thematica --code "Role > Not my remit" --coder "Tom Okafor"
    """
    with open_study(study) as service:
        items = service.codings(
            code=code_path(code) if code else None,
            coder=coder,
            transcript=transcript,
            level=Level(level) if level else None,
        )
    if fmt == "json":
        print_json(items)
        return
    width = max(40, min(os.get_terminal_size().columns if os.isatty(1) else 100, 160) - 50)
    from rich.table import Table  # rich loads for text output only

    table = Table("#", "Participant", "Code", "Coder", "Text", box=box.SIMPLE_HEAD, pad_edge=False)
    for c in items:
        text = c.text if len(c.text) <= width else c.text[: width - 1] + "…"
        table.add_row(
            str(c.id), c.participant or f"#{c.transcript_id}", format_path(c.code), c.coder, text
        )
    console().print(table)
    click.echo(plural(len(items), "coding"))


from thematica.cli.mappings import promote  # noqa: E402  (issue 12: the import mappings)

codings.add_command(promote)

from thematica.cli.corrections import flagged, unflag  # noqa: E402  (issue 16: corrections)

codings.add_command(flagged)
codings.add_command(unflag)
