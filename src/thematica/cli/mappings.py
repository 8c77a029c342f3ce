"""The import mappings after import: ``codings promote``, ``themes from-tree``,
``participants set-group`` and ``transcripts set-dates`` (registered in their groups' modules).

Each acts as a lead (``--by``, ``$THEMATICA_MEMBER``, or the study's only lead); the service
checks the rule, changes the study in one transaction and logs it in the lineage and audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from thematica.cli.output import format_option, open_study, print_json

if TYPE_CHECKING:
    from thematica.service.mappings import MappingResult

BY = click.option(
    "--by",
    "by",
    envvar="THEMATICA_MEMBER",
    help="The lead doing this (default: $THEMATICA_MEMBER, or the study's only lead).",
)


def _report(result: MappingResult, fmt: str) -> None:
    if fmt == "json":
        print_json(
            {"operation": result.operation, "summary": result.summary, "counts": result.counts}
        )
    else:
        click.echo(result.summary)


@click.command("promote")
@click.argument("study")
@click.option("--coder", required=True, metavar="USER", help="The user holding the agreed coding.")
@BY
@format_option
def promote(study: str, coder: str, by: str | None, fmt: str) -> None:
    """Make USER's level-one codings the agreed (level-two) layer: each code they applied gets a
    level-two copy formed from the level-one code (as if reconciled), and their codings move onto
    it. Use it for a project imported with a "Consensus" user (the same as qdpx import
    --agreed-by).

    \b
    Example:
        thematica qdpx import team.qdpx imported.thematica
        thematica codings promote imported.thematica --coder Consensus
    """
    from thematica.cli.codebook import acting

    with open_study(study) as service:
        result = acting(service, by).promote_coder(coder)
    _report(result, fmt)


@click.command("from-tree")
@click.argument("study")
@click.option(
    "--links-from",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.qdpx",
    help="The REFI-QDA project the study was imported from: its links between the parent codes "
    "become interlinks (a study keeps no links between codes).",
)
@BY
@format_option
def from_tree(study: str, links_from: Path | None, by: str | None, fmt: str) -> None:
    """Make the parent codes that are never coded directly (from the top of the code tree down)
    the theme framework: overarching theme > theme > sub-theme by depth. The codes beneath them
    become top-level codes assigned to their theme; memos on the parents move to the themes.

    \b
    Example:
        thematica themes from-tree msk.thematica
    """
    from thematica.cli.codebook import acting
    from thematica.cli.output import read_file

    links: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = ()
    if links_from is not None:
        from thematica.exchange.hints import code_links
        from thematica.exchange.refi import read_qdpx

        links = code_links(read_qdpx(read_file(links_from), str(links_from)))
    with open_study(study) as service:
        result = acting(service, by).themes_from_tree(links)
    _report(result, fmt)


@click.command("set-group")
@click.argument("study")
@click.argument("attribute")
@BY
@format_option
def set_group(study: str, attribute: str, by: str | None, fmt: str) -> None:
    """Set each participant's group to their value of ATTRIBUTE (a case variable of an imported
    project, say), for Table 1 and --by group. Participants without a value keep their group.

    \b
    Example:
        thematica qdpx import team.qdpx imported.thematica
        thematica participants set-group imported.thematica profession
    """
    from thematica.cli.codebook import acting

    with open_study(study) as service:
        result = acting(service, by).set_group_from(attribute)
    _report(result, fmt)


@click.command("set-dates")
@click.argument("study")
@click.option(
    "--from",
    "attribute",
    required=True,
    metavar="ATTRIBUTE",
    help="A Date participant attribute (or text holding dates as YYYY-MM-DD).",
)
@BY
@format_option
def set_dates(study: str, attribute: str, by: str | None, fmt: str) -> None:
    """Set each transcript's interview date from its participant's value of ATTRIBUTE, so that
    saturation follows the interview dates. Every value must be a date, or nothing changes.

    \b
    Example:
        thematica qdpx import team.qdpx imported.thematica
        thematica transcripts set-dates imported.thematica --from interview_date
    """
    from thematica.cli.codebook import acting

    with open_study(study) as service:
        result = acting(service, by).set_dates_from(attribute)
    _report(result, fmt)
