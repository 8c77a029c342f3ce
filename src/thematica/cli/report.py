"""The ``report`` command: tables, figures, quote bank, findings draft and checklists."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.exchange import ALLOW, residual_gate, warn_allowed
from thematica.cli.output import CliError, open_study
from thematica.domain import REPORT_FORMATS
from thematica.errors import ThematicaError


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@click.command()
@click.argument("study")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the report into (created if missing; report files are replaced).",
)
@click.option(
    "--format",
    "formats",
    default=",".join(REPORT_FORMATS),
    show_default=True,
    help="Comma-separated formats to write.",
)
@click.option(
    "--attributes",
    help="Comma-separated participant attributes for Table 1, in order (default: all).",
)
@click.option(
    "--exemplars",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Exemplar quotes per theme in the quote bank.",
)
@ALLOW
def report(
    study: str,
    out_dir: Path,
    formats: str,
    attributes: str | None,
    exemplars: int,
    allow_identifiers: bool,
) -> None:
    """Write a publication-ready report of STUDY: Table 1 (participants by group), Table 2
    (themes with n/N, quantifiers and divergent cases), the theme map and saturation figures,
    a quote bank, a findings draft for the authors to rewrite, and the COREQ and SRQR
    checklists filled from the study. Prints the files written. The anonymisation residual
    check runs first and refuses to write a report with identifiers in it unless
    --allow-identifiers is given.

    Formats: docx, md and html (documents with the figures: SVG, PDF and 300 dpi PNG), csv
    and xlsx (the tables as data). The theme map needs Graphviz (its dot program).

    \b
    Example:
        thematica report msk.thematica --out report/ --format docx,html \\
            --attributes age,setting
    """
    try:
        with open_study(study) as service:
            allowed = residual_gate(study, service, allow_identifiers)
            from thematica.report import write_report

            written = write_report(
                service,
                out_dir,
                formats=_names(formats),
                attributes=_names(attributes) if attributes is not None else None,
                exemplars=exemplars,
            )
            service.record_export(
                "report",
                formats=tuple(_names(formats)),
                counts={"files": len(written), "identifiers_allowed": allowed},
            )
    except ThematicaError as exc:
        raise CliError(str(exc)) from None
    for path in written:
        click.echo(str(path))
    warn_allowed(allowed)
