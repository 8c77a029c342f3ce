"""The ``thematica`` command: a thin layer over :class:`thematica.service.StudyService`."""

from __future__ import annotations

from typing import Any

import click

from thematica import __version__
from thematica.cli.analysis import agreement, cooccurrence, counts, matrix, saturation
from thematica.cli.anonymise import anonymise
from thematica.cli.codebook import codebook, codings
from thematica.cli.exchange import qdc, qdpx
from thematica.cli.guide import guide
from thematica.cli.notes import journal, memo, search
from thematica.cli.output import CliError
from thematica.cli.participants import participants
from thematica.cli.reconcile import reconcile
from thematica.cli.report import report
from thematica.cli.serve import serve
from thematica.cli.study import blind, demo, info, init, team, upgrade
from thematica.cli.themes import themes
from thematica.cli.transcripts import transcripts
from thematica.errors import ThematicaError


class ThematicaGroup(click.Group):
    """Turns every :class:`ThematicaError` into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ThematicaError as exc:
            raise CliError(str(exc)) from None


@click.group(cls=ThematicaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thematica")
def cli() -> None:
    """Thematica: rigorous, local-first thematic analysis of interview studies.

    A study is one file (*.thematica) or, for a team server, a PostgreSQL URL
    (postgresql+psycopg://user@host/db). Start with:

    \b
        thematica demo ~/thematica-demo
        thematica info ~/thematica-demo/demo.thematica
    """


for command in (
    init,
    info,
    upgrade,
    demo,
    team,
    participants,
    transcripts,
    guide,
    codebook,
    themes,
    codings,
    agreement,
    counts,
    saturation,
    matrix,
    cooccurrence,
    anonymise,
    qdpx,
    qdc,
    report,
    serve,
    blind,
    reconcile,
    journal,
    memo,
    search,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="thematica")
