"""``thematica qdpx`` and ``thematica qdc``: REFI-QDA projects and codebooks."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import click

from thematica import private_files
from thematica.cli.output import CliError, open_study, read_file
from thematica.errors import ThematicaError

if TYPE_CHECKING:  # the service loads only when a command runs
    from thematica.service import StudyService

ALLOW = click.option(
    "--allow-identifiers",
    is_flag=True,
    help="Write even if the residual check finds possible identifiers (names, e-mails, NHS numbers...).",
)


def residual_gate(study: str, service: StudyService, allow: bool) -> int:
    """Run the anonymisation residual check before anything leaves the study; refuse on residue
    unless the user overrides it explicitly."""
    from thematica.anonymise.keyfile import default_key_path
    from thematica.service.anonymising import AnonymisingStudy, check_without_key

    key = default_key_path(study)
    found = AnonymisingStudy(service, key).check() if key.exists() else check_without_key(service)
    if found and not allow:
        where = "; ".join(f"{r.where}: {r.text!r}" for r in found[:3])
        raise CliError(
            f"refused: {len(found)} possible identifiers in the study ({where}{'; ...' if len(found) > 3 else ''}); "
            f"anonymise it (thematica anonymise check {study}) or pass --allow-identifiers"
        )
    return len(found)


def warn_allowed(count: int) -> None:
    if count:
        click.echo(
            f"Warning: written with {count} possible identifiers (--allow-identifiers)", err=True
        )


@click.group()
def qdpx() -> None:
    """REFI-QDA projects (.qdpx): exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder."""


@qdpx.command("export")
@click.argument("study")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@ALLOW
def qdpx_export(study: str, out: Path, allow_identifiers: bool) -> None:
    """Write STUDY as a REFI-QDA project: users, codes (themes as non-codable codes), sources,
    one coding per coder per span, cases with variables, memos, interlinks and sets. Runs the
    anonymisation residual check first.

    \b
    Example:
        thematica qdpx export msk.thematica msk.qdpx
    """
    from thematica.exchange.refi import write_qdpx

    with open_study(study) as service:
        allowed = residual_gate(study, service, allow_identifiers)
        project = service.export_project()
    buffer = io.BytesIO()
    write_qdpx(project, buffer)
    try:
        private_files.write_bytes(out, buffer.getvalue())
    except OSError as exc:
        raise CliError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    codings = sum(len(s.codings) for s in project.sources)
    with open_study(study) as service:
        counts = {"sources": len(project.sources), "codes": len(project.codes), "codings": codings}
        service.record_export("qdpx", counts={**counts, "identifiers_allowed": allowed})
    click.echo(
        f"Wrote {out}: {len(project.sources)} sources, {len(project.codes)} codes, {codings} codings"
    )
    warn_allowed(allowed)


@qdpx.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new_study")
def qdpx_import(file: Path, new_study: str) -> None:
    """Create NEW_STUDY from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, qc, Thematica).
    Offsets in UTF-16 units or with CRLF counted as two are detected and converted; sources that
    are not text are listed as skipped. Nothing is created if the file is bad.

    \b
    Example:
        thematica qdpx import nvivo-export.qdpx imported.thematica
    """
    from thematica.exchange.refi import read_qdpx

    project = read_qdpx(read_file(file), str(file))
    try:
        from thematica.service import StudyService

        with StudyService.create_from_project(new_study, project) as service:
            info = service.info()
    except ThematicaError as exc:
        raise CliError(f"{file}: {exc}") from None
    codings = sum(len(s.codings) for s in project.sources)
    click.echo(
        f"Created {new_study}: {info.transcripts} sources, {len(project.codes)} codes, {codings} codings "
        f"(positions counted in {project.offset_unit})"
    )
    for name in project.skipped:
        click.echo(f"Skipped (not text): {name}", err=True)
    if service.import_summary.get("empty_selections_skipped"):
        click.echo(
            f"Skipped {service.import_summary['empty_selections_skipped']} empty selections",
            err=True,
        )


@click.group()
def qdc() -> None:
    """REFI-QDA codebooks (.qdc)."""


@qdc.command("export")
@click.argument("study")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@ALLOW
def qdc_export(study: str, out: Path, allow_identifiers: bool) -> None:
    """Write STUDY's codebook (codes of both levels, themes as non-codable codes, and the theme
    sets) as a REFI-QDA codebook (.qdc).

    \b
    Example:
        thematica qdc export msk.thematica msk-codebook.qdc
    """
    from dataclasses import replace

    from thematica.exchange.refi_codebook import write_qdc

    with open_study(study) as service:
        allowed = residual_gate(study, service, allow_identifiers)
        project = replace(service.export_project(), sources=(), cases=(), notes=(), links=())
    if not project.codes:
        raise CliError(f"{study}: the study has no codes to export")
    buffer = io.BytesIO()
    write_qdc(project, buffer)
    try:
        private_files.write_bytes(out, buffer.getvalue())
    except OSError as exc:
        raise CliError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    with open_study(study) as service:
        counts = {"codes": len(project.codes), "identifiers_allowed": allowed}
        service.record_export("qdc", counts=counts)
    click.echo(f"Wrote {out}: {len(project.codes)} codes, {len(project.sets)} sets")
    warn_allowed(allowed)


@qdc.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def qdc_import(study: str, file: Path) -> None:
    """Add the codes of a REFI-QDA codebook (.qdc) to STUDY (other tools' codes as level one;
    a Thematica codebook keeps its levels).

    \b
    Example:
        thematica qdc import msk.thematica atlas-codebook.qdc
    """
    from thematica.exchange.refi import read_qdc
    from thematica.exchange.refi_codebook import codebook_from_project

    codebook = codebook_from_project(read_qdc(read_file(file), str(file)))
    with open_study(study) as service:
        report = service.import_codebook(codebook, source=str(file))
    click.echo(f"{report.codes_created} codes added, {report.codes_updated} updated")
