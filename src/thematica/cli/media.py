"""``thematica transcripts attach`` and ``transcripts media-check``: a transcript's recording,
kept outside the study in its media folder (``STUDY.thematica-media`` beside a study file, or
``--media-dir`` / ``THEMATICA_MEDIA_DIR`` for a team server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thematica.cli.output import console, duration, format_option, open_study, plural, print_json

media_dir_option = click.option(
    "--media-dir",
    envvar="THEMATICA_MEDIA_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder recordings are kept in (default: STUDY.thematica-media beside a study "
    "file; required for a PostgreSQL study). Also THEMATICA_MEDIA_DIR.",
)


@click.command("attach")
@click.argument("study")
@click.argument("ref")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--by", "by", envvar="THEMATICA_MEMBER", required=True, help="The member attaching it."
)
@click.option(
    "--relink", is_flag=True, help="Replace the recording already linked (or re-link a moved one)."
)
@media_dir_option
@format_option
def attach(
    study: str, ref: str, file: Path, by: str, relink: bool, media_dir: Path | None, fmt: str
) -> None:
    """Link an audio or video recording (WAV, MP3, M4A/AAC, Ogg/Opus, WebM, MP4) to a
    transcript. A copy named by its SHA-256 goes into the study's media folder; the study keeps
    its SHA-256, format, duration and file name. A file that is missing, of another type,
    damaged or truncated, or much shorter than the transcript is refused and nothing changes.
    Members who see original text may attach (not readers or anonymised-only members).

    \b
    Examples:
        thematica transcripts attach msk.thematica "Physio 4" physio4.wav --by "Rachel Ames"
        thematica transcripts attach msk.thematica "Physio 4" moved/physio4.wav --relink --by "Rachel Ames"
    """
    with open_study(study) as service:
        service.media_dir = media_dir
        found = service.as_member(by, client="cli").attach_recording(ref, file, relink=relink)
    if fmt == "json":
        print_json(found)
    else:
        click.echo(
            f"Attached {file.name} to transcript {found.transcript_id} "
            f"({found.format}, {duration(found.duration_ms)}, sha256 {found.sha256[:12]})"
        )


@click.command("media-check")
@click.argument("study")
@media_dir_option
@format_option
def media_check(study: str, media_dir: Path | None, fmt: str) -> None:
    """Check every transcript's recording: there, missing, or changed since it was attached
    (size or SHA-256). Exits 1 when one is missing or changed; re-link it with
    transcripts attach --relink.

    \b
    Example:
        thematica transcripts media-check msk.thematica --format json
    """
    with open_study(study) as service:
        service.media_dir = media_dir
        folder = service.media_folder()
        found = service.recordings()
    bad = [r for r in found if r.status != "ok"]
    if fmt == "json":
        print_json({"folder": str(folder), "recordings": found})
    else:
        out = console()
        out.print(f"{plural(len(found), 'recording')} in {folder}")
        for r in found:
            line = f"transcript {r.transcript_id}: {r.original_name} ({r.format}, "
            line += f"{duration(r.duration_ms)}): {r.status}"
            out.print(line, markup=False, style="" if r.status == "ok" else "bold red")
            if r.status != "ok":
                out.print(
                    f"  re-link it: thematica transcripts attach {study} {r.transcript_id} "
                    "FILE --relink --by NAME",
                    markup=False,
                )
    if bad:
        sys.exit(1)
