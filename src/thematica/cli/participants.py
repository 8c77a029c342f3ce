"""``thematica participants``: the participant register."""

from __future__ import annotations

from pathlib import Path

import click
from rich import box
from rich.table import Table

from thematica.cli.output import (
    CliError,
    console,
    format_option,
    open_study,
    plural,
    print_json,
    read_file,
)


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
