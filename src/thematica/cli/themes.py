"""``thematica themes``: show and edit the theme framework (overarching themes > themes >
sub-themes, their codes and interlinks), the same operations as the workbench's theme editor.
Every change goes through the study service, which checks who may make it and logs it in the
lineage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from thematica.cli.codebook import BY, acting, code_path
from thematica.cli.output import CliError, console, format_option, open_study, print_json
from thematica.domain import Level, Stance, format_path, parse_path

if TYPE_CHECKING:
    from thematica.service import StudyService

THEME = "Theme path, e.g. 'Living with pain > Pacing' (quote it; levels joined by ' > ')."


def theme_path(text: str) -> tuple[str, ...]:
    path = parse_path(text)
    if not path:
        raise CliError(f"{text!r} is not a theme path like 'Overarching theme > Theme'")
    return path


def node_id(service: StudyService, path_text: str) -> int:
    """The framework node at a path like 'Overarching > Theme > Sub-theme'."""
    path = theme_path(path_text)
    nodes = {node.path: node.id for node in service.framework()[0]}
    found = nodes.get(path)
    if found is None:
        missing = next(path[:i] for i in range(1, len(path) + 1) if path[:i] not in nodes)
        raise CliError(f"no theme {format_path(missing)!r} (see: thematica themes show STUDY)")
    return found


def code_id(service: StudyService, path_text: str, level: int | None) -> int:
    """The code at a path; with no ``level``, the one level that has it."""
    path = code_path(path_text)
    levels = [Level(level)] if level else [Level.ONE, Level.TWO]
    found = [c for lv in levels for c in service.codes(lv, counted=False) if c.path == path]
    if not found:
        where = f"at level {level}" if level else "at either level"
        raise CliError(f"no code {format_path(path)!r} {where} (see: thematica codebook show)")
    if len(found) > 1:
        raise CliError(
            f"{format_path(path)!r} is a code at both levels; say which with --level 1 or 2"
        )
    return found[0].id


def link_id(service: StudyService, source: str, target: str, label: str | None) -> int:
    """The interlink from SOURCE to TARGET (with ``label``, when there are several)."""
    a, b = node_id(service, source), node_id(service, target)
    found = [
        link
        for link in service.framework()[1]
        if (link.from_id, link.to_id) == (a, b) and label in (None, link.label)
    ]
    if not found:
        named = f" labelled {label!r}" if label is not None else ""
        raise CliError(f"no interlink from {source!r} to {target!r}{named}")
    if len(found) > 1:
        labels = ", ".join(repr(link.label) for link in found)
        raise CliError(f"{len(found)} interlinks join them ({labels}); say which with --label")
    return found[0].id


@click.group()
def themes() -> None:
    """The theme framework: overarching themes > themes > sub-themes, with interlinks.

    Build it here or in the workbench: add themes, assign codes to them (as supporting or as
    divergent cases), and link sub-themes. Each change is logged in the lineage.
    """


@themes.command("show")
@click.argument("study")
@format_option
def themes_show(study: str, fmt: str) -> None:
    """Show the theme framework with each node's codes and the interlinks.

    \b
    Example:
        thematica themes show msk.thematica
    """
    with open_study(study) as service:
        nodes, links = service.themes()
    if fmt == "json":
        print_json({"themes": nodes, "links": links})
        return
    if not nodes:
        click.echo("No themes yet (add one: thematica themes add STUDY 'Theme name')")
        return
    from rich.tree import Tree  # rich loads for text output only

    root = Tree("[bold]Themes[/bold]")
    branches: dict[tuple[str, ...], Tree] = {(): root}
    for node in nodes:
        branch = branches.get(node.path[:-1], root).add(f"[bold]{node.path[-1]}[/bold]")
        for code in node.codes:
            branch.add(f"[dim]code:[/dim] {format_path(code)}")
        for code in node.divergent:
            branch.add(f"[dim]divergent:[/dim] {format_path(code)}")
        branches[node.path] = branch
    out = console()
    out.print(root)
    for link in links:
        out.print(
            f"{format_path(link.source)} --[{link.label}]--> {format_path(link.target)}",
            markup=False,
        )


@themes.command("add")
@click.argument("study")
@click.argument("path")
@click.option("--description", default="", help="What the theme captures.")
@BY
def themes_add(study: str, path: str, description: str, by: str | None) -> None:
    """Add the theme at PATH; its parent (all but the last part) must exist already.
    One part makes an overarching theme, two a theme, three a sub-theme.

    \b
    Example:
        thematica themes add msk.thematica "Living with pain"
        thematica themes add msk.thematica "Living with pain > Pacing" --description "A bit each day"
    """
    parts = theme_path(path)
    with open_study(study) as service:
        parent = node_id(service, format_path(parts[:-1])) if len(parts) > 1 else None
        acting(service, by).add_theme(parts[-1], parent=parent, description=description)
    click.echo(f"Added theme {format_path(parts)!r}")


@themes.command("rename")
@click.argument("study")
@click.argument("path")
@click.argument("new_name")
@BY
def themes_rename(study: str, path: str, new_name: str, by: str | None) -> None:
    """Rename the theme at PATH (its place, codes and interlinks stay).

    \b
    Example:
        thematica themes rename msk.thematica "Two problems, one person > Round and round" "Caught in a loop"
    """
    with open_study(study) as service:
        entry = acting(service, by).rename_theme(node_id(service, path), new_name)
    click.echo(f"Renamed (lineage entry {entry})")


@themes.command("describe")
@click.argument("study")
@click.argument("path")
@click.argument("description")
@BY
def themes_describe(study: str, path: str, description: str, by: str | None) -> None:
    """Set the description of the theme at PATH.

    \b
    Example:
        thematica themes describe msk.thematica "Working at the edge of the remit" "Where the role ends"
    """
    with open_study(study) as service:
        entry = acting(service, by).describe_theme(node_id(service, path), description)
    click.echo(f"Described (lineage entry {entry})")


@themes.command("move")
@click.argument("study")
@click.argument("path")
@click.option("--under", help="The new parent theme's path; leave out for the top level.")
@click.option("--position", type=click.IntRange(0), help="Place among its new siblings (0 first).")
@BY
def themes_move(
    study: str, path: str, under: str | None, position: int | None, by: str | None
) -> None:
    """Move the theme at PATH (with everything beneath it) under another theme, or to the top
    level when --under is left out.

    \b
    Example:
        thematica themes move msk.thematica "Working at the edge of the remit > No room, no route" --under "Two problems, one person"
    """
    with open_study(study) as service:
        parent = node_id(service, under) if under else None
        entry = acting(service, by).move_theme(node_id(service, path), parent, position=position)
    click.echo(f"Moved (lineage entry {entry})")


@themes.command("remove")
@click.argument("study")
@click.argument("path")
@BY
def themes_remove(study: str, path: str, by: str | None) -> None:
    """Remove the theme at PATH. A theme that still holds sub-themes, codes or interlinks is
    refused: move or remove those first.

    \b
    Example:
        thematica themes add msk.thematica "Working at the edge of the remit > Spare"
        thematica themes remove msk.thematica "Working at the edge of the remit > Spare"
    """
    with open_study(study) as service:
        entry = acting(service, by).remove_theme(node_id(service, path))
    click.echo(f"Removed (lineage entry {entry})")


@themes.command("assign")
@click.argument("study")
@click.argument("theme")
@click.argument("code")
@click.option("--divergent", is_flag=True, help="The code is a divergent (contrary) case.")
@click.option(
    "--level",
    type=click.IntRange(1, 2),
    help="The code's level, when the path exists at both (level one is the analysis of a "
    "solo or reflexive study; level two the agreed codes).",
)
@BY
def themes_assign(
    study: str, theme: str, code: str, divergent: bool, level: int | None, by: str | None
) -> None:
    """Assign CODE to THEME: participants coded with it count for the theme (or, with
    --divergent, as its divergent cases). Assigning a code again changes how it bears.

    \b
    Example:
        thematica themes assign msk.thematica "Working at the edge of the remit" "Role > Out of my depth" --level 2
        thematica themes assign msk.thematica "Working at the edge of the remit" "Role > Stick to the body" --level 2 --divergent
    """
    stance = Stance.DIVERGENT if divergent else Stance.SUPPORTS
    with open_study(study) as service:
        entry = acting(service, by).assign_code(
            node_id(service, theme),
            code_id(service, code, level),
            stance=stance,
        )
    click.echo(f"Assigned (lineage entry {entry})")


@themes.command("unassign")
@click.argument("study")
@click.argument("theme")
@click.argument("code")
@click.option("--level", type=click.IntRange(1, 2), help="The code's level, if both have it.")
@BY
def themes_unassign(study: str, theme: str, code: str, level: int | None, by: str | None) -> None:
    """Take CODE off THEME.

    \b
    Example:
        thematica themes unassign msk.thematica "Two problems, one person > Breaking into the circle > It's the company" "Group > Not the only one" --level 2
    """
    with open_study(study) as service:
        entry = acting(service, by).unassign_code(
            node_id(service, theme), code_id(service, code, level)
        )
    click.echo(f"Unassigned (lineage entry {entry})")


@themes.command("link")
@click.argument("study")
@click.argument("source")
@click.argument("target")
@click.argument("label")
@BY
def themes_link(study: str, source: str, target: str, label: str, by: str | None) -> None:
    """Link theme SOURCE to theme TARGET with a named interlink (drawn on the theme map).

    \b
    Example:
        thematica themes link msk.thematica "Working at the edge of the remit" "Two problems, one person" "shapes"
    """
    with open_study(study) as service:
        acting(service, by).link_themes(node_id(service, source), node_id(service, target), label)
    click.echo(f"Linked {source!r} to {target!r} as {label!r}")


@themes.command("unlink")
@click.argument("study")
@click.argument("source")
@click.argument("target")
@click.option("--label", help="The interlink's label, when several join the two themes.")
@BY
def themes_unlink(study: str, source: str, target: str, label: str | None, by: str | None) -> None:
    """Remove the interlink from SOURCE to TARGET.

    \b
    Example:
        thematica themes unlink msk.thematica "Two problems, one person > Breaking into the circle > Small wins, two gains" "Two problems, one person > Round and round > Winding each other up"
    """
    with open_study(study) as service:
        entry = acting(service, by).unlink_themes(link_id(service, source, target, label))
    click.echo(f"Unlinked (lineage entry {entry})")


from thematica.cli.mappings import from_tree  # noqa: E402  (issue 12: the import mappings)

themes.add_command(from_tree)
