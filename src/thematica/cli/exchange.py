"""``thematica qdpx`` and ``thematica qdc``: REFI-QDA projects and codebooks."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from thematica import private_files
from thematica.cli.media import media_dir_option
from thematica.cli.output import (
    CliError,
    format_option,
    open_study,
    plural,
    print_json,
    read_file,
)
from thematica.errors import ThematicaError

if TYPE_CHECKING:  # the service loads only when a command runs
    from thematica.exchange.model import XProject
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
    from thematica.service.export_checks import refusal, residue

    found = residue(service, default_key_path(study))
    if found and not allow:
        remedy = f"anonymise it (thematica anonymise check {study}) or pass --allow-identifiers"
        raise CliError(refusal(found, "the study", remedy))
    return len(found)


def warn_allowed(count: int) -> None:
    if count:
        click.echo(
            f"Warning: written with {count} possible identifiers (--allow-identifiers)", err=True
        )


@click.group()
def qdpx() -> None:
    """REFI-QDA projects (.qdpx): exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder."""


JOURNAL = click.option(
    "--journal",
    is_flag=True,
    help="Include the journal entries and field notes (as REFI-QDA notes).",
)


MEDIA = click.option(
    "--media",
    is_flag=True,
    help="Carry each transcript's recording: an AudioSource (VideoSource for MP4/WebM) holding "
    "the recording, its transcript, sync points at the turns' times and the codings. Not for "
    "readers or anonymised-only members.",
)
MEMBER = click.option(
    "--by",
    "by",
    envvar="THEMATICA_MEMBER",
    help="With --media: the member exporting (default: $THEMATICA_MEMBER, or the only lead).",
)


@qdpx.command("export")
@click.argument("study")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@ALLOW
@JOURNAL
@MEDIA
@MEMBER
@media_dir_option
def qdpx_export(
    study: str,
    out: Path,
    allow_identifiers: bool,
    journal: bool,
    media: bool,
    by: str | None,
    media_dir: Path | None,
) -> None:
    """Write STUDY as a REFI-QDA project: users, codes (themes as non-codable codes), sources,
    one coding per coder per span, cases with variables, memos (as notes with NoteRefs),
    interlinks and sets; journal entries only with --journal; the transcripts' recordings
    only with --media. Runs the anonymisation residual check first.

    \b
    Example:
        thematica qdpx export msk.thematica msk.qdpx
        thematica qdpx export msk.thematica msk-with-journal.qdpx --journal
        thematica qdpx export msk.thematica msk-with-recordings.qdpx --media --by "Rachel Ames"
    """
    from thematica.exchange.refi import write_qdpx

    with open_study(study) as service:
        service.media_dir = media_dir
        allowed = residual_gate(study, service, allow_identifiers)
        exporter = None
        if media:
            from thematica.cli.codebook import actor

            exporter = actor(service, by)
            member = service.as_member(exporter, client="cli")
            project = member.export_with_recordings(journal=journal)
        else:
            project = service.export_project(journal=journal)
    if media:
        _write_streaming(project, out)
    else:
        _write_private(out, lambda buffer: write_qdpx(project, buffer))
    codings = sum(len(s.codings) for s in project.sources)
    recordings = sum(1 for s in project.sources if s.media is not None)
    with open_study(study) as service:
        counts = {"sources": len(project.sources), "codes": len(project.codes), "codings": codings}
        if media:
            counts["recordings"] = recordings
        service.record_export(
            "qdpx", by=exporter, counts={**counts, "identifiers_allowed": allowed}
        )
    notes = sum(1 for n in project.notes if n.kind == "memo")
    click.echo(
        f"Wrote {out}: {len(project.sources)} sources, {len(project.codes)} codes, {codings} codings, "
        f"{notes} memos"
        + (f", {len(project.notes) - notes} journal entries" if journal else "")
        + (f", {plural(recordings, 'recording')}" if media else "")
    )
    warn_allowed(allowed)


def _write_private(out: Path, write: Callable[[io.BytesIO], None]) -> None:
    """What ``write`` writes, as the private file ``out`` (whole, or not at all)."""
    buffer = io.BytesIO()
    write(buffer)
    try:
        private_files.write_bytes(out, buffer.getvalue())
    except OSError as exc:
        raise CliError(f"{out}: cannot be written ({exc.strerror or exc})") from None


def _write_streaming(project: XProject, out: Path) -> None:
    """Write the .qdpx straight to a private file beside ``out`` (recordings are copied in
    chunks, never held whole), then move it into place; nothing is left on failure."""
    from thematica.exchange.refi import write_qdpx

    partial = out.with_name(f".{out.name}.partial")
    try:
        with private_files.open_private(partial) as fh:
            write_qdpx(project, fh)  # type: ignore[arg-type]
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CliError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@qdpx.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new_study")
@click.option(
    "--agreed-by",
    metavar="USER",
    help="This user's codings become the agreed (level-two) layer, formed from the level-one codes.",
)
@click.option(
    "--themes-from-tree",
    is_flag=True,
    help="Parent codes never coded directly become the theme framework; links between them, interlinks.",
)
@click.option(
    "--interview-date",
    metavar="VARIABLE",
    help="A Date case variable that sets each transcript's interview date.",
)
@click.option(
    "--group-by",
    metavar="VARIABLE",
    help="A case variable that becomes the participant group (Table 1, --by group).",
)
@click.option(
    "--journal",
    is_flag=True,
    help="Also import journal entries and free notes (attached to nothing) as journal entries.",
)
@click.option(
    "--no-media",
    is_flag=True,
    help="Leave out the recordings of audio and video sources (their transcripts still come).",
)
@media_dir_option
@format_option
def qdpx_import(
    file: Path,
    new_study: str,
    agreed_by: str | None,
    themes_from_tree: bool,
    interview_date: str | None,
    group_by: str | None,
    journal: bool,
    no_media: bool,
    media_dir: Path | None,
    fmt: str,
) -> None:
    """Create NEW_STUDY from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, qc, Thematica).
    Offsets in UTF-16 units or with CRLF counted as two are detected and converted; sources that
    are not text are listed as skipped; notes become memos. An audio or video source with a
    transcript becomes a transcript (turn times from its sync points) with its recording
    attached (checked as transcripts attach checks it) unless --no-media. The options map the project onto
    Thematica's method as it is imported; without them, what they could map is printed as a
    hint. Nothing is created if the file is bad or an option does not fit it.

    \b
    Example:
        thematica qdpx import nvivo-export.qdpx imported.thematica
        thematica qdpx import team.qdpx team.thematica --agreed-by Consensus --themes-from-tree --interview-date interview_date --group-by profession
    """
    from thematica.exchange.refi import read_qdpx
    from thematica.service.mappings import ImportMappings

    mapped = ImportMappings(agreed_by, themes_from_tree, interview_date, group_by, journal)
    data = read_file(file)
    project = read_qdpx(data, str(file))
    try:
        from thematica.service import StudyService

        recordings = None
        if not no_media and any(s.media is not None for s in project.sources):
            from thematica.exchange.refi_media import extract
            from thematica.service.exchange_media import MediaImport
            from thematica.service.media import media_folder

            recordings = MediaImport(
                media_folder(new_study, media_dir),
                lambda member, out: extract(data, str(file), member, out),
            )
        with StudyService.create_from_project(new_study, project, mapped, recordings) as service:
            info = service.info()
    except ThematicaError as exc:
        raise CliError(f"{file}: {exc}") from None
    codings = sum(len(s.codings) for s in project.sources)
    summary = service.import_summary
    advice: list[str] = []
    if not mapped.any:
        from thematica.exchange.hints import hints

        advice = hints(project).lines(new_study)
    if fmt == "json":
        print_json(
            {
                "study": new_study,
                "sources": info.transcripts,
                "codes": len(project.codes),
                "codings": codings,
                "offset_unit": project.offset_unit,
                "imported": summary,
                "skipped": list(project.skipped),
                "recordings": summary.get("recordings", 0),
                "recordings_skipped": list(project.media_skipped),
                "mapped": [
                    {"operation": r.operation, "summary": r.summary, "counts": r.counts}
                    for r in service.import_mapped
                ],
                "hints": advice,
            }
        )
        return
    click.echo(
        f"Created {new_study}: {info.transcripts} sources, {len(project.codes)} codes, {codings} codings "
        f"(positions counted in {project.offset_unit})"
    )
    if summary.get("memos") or summary.get("journal_entries"):
        click.echo(
            f"Notes: {summary.get('memos', 0)} memos, {summary.get('journal_entries', 0)} journal entries"
        )
    if summary.get("notes_skipped"):
        click.echo(
            f"Skipped {summary['notes_skipped']} notes attached to nothing (import them as "
            "journal entries with --journal)",
            err=True,
        )
    if summary.get("recordings"):
        click.echo(f"Recordings: {summary['recordings']} attached")
    for line in project.media_skipped:
        click.echo(f"Recording not imported: {line}", err=True)
    for result in service.import_mapped:
        click.echo(result.summary)
    for line in advice:
        click.echo(line)
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
    sets) as a REFI-QDA codebook (.qdc). Runs the anonymisation residual check first, over
    what the codebook carries: its codes' names and descriptions and its sets' names.

    \b
    Example:
        thematica qdc export msk.thematica msk-codebook.qdc
    """
    from thematica.anonymise.keyfile import default_key_path
    from thematica.exchange.refi_codebook import write_qdc
    from thematica.service.export_checks import checked_codebook

    with open_study(study) as service:
        codebook = checked_codebook(
            service, default_key_path(study), allow_identifiers=allow_identifiers
        )
        project, allowed = codebook.project, codebook.identifiers_allowed
        _write_private(out, lambda buffer: write_qdc(project, buffer))
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
