"""``thematica transcripts``: import, list, show and correct transcripts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import click

from thematica.cli.output import (
    CliError,
    console,
    duration,
    format_option,
    interactive,
    open_study,
    plural,
    print_json,
    read_file,
)
from thematica.domain import (
    CHECKING_STATES,
    SpeakerRole,
    Transcript,
    TranscriptSummary,
    word_count,
)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    from thematica.importers import TRANSCRIPT_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in TRANSCRIPT_SUFFIXES)
            if not found:
                raise CliError(f"{path}: no transcript files in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from thematica.importers.register import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise CliError(f"{value!r} is not a date (use 2026-03-14 or 14/03/2026)") from None


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[partial[None] | None]:
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("Importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("import", total=total)
        yield partial(lambda _name, **_: bar.advance(task))


@click.group()
def transcripts() -> None:
    """Interview transcripts: Teams/Zoom WebVTT, SRT, Teams .docx, text and Markdown."""


@transcripts.command("import")
@click.argument("study")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--participant", help="The participant label this (single) transcript belongs to.")
@click.option("--date", "when", help="Interview date of this (single) transcript.")
@click.option("--participant-speaker", help="The speaker who is the participant.")
@click.option("--interviewer-speaker", multiple=True, help="A speaker who is an interviewer.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    help="CSV: file,participant,date,interviewer for many files at once.",
)
@click.option(
    "--speakers",
    type=click.Path(path_type=Path),
    help="CSV: file,speaker,role (participant/interviewer/other); blank file = all.",
)
@click.option("--skip-bad", is_flag=True, help="Import the good files and list the bad ones.")
@format_option
def transcripts_import(
    study: str,
    files: tuple[Path, ...],
    participant: str | None,
    when: str | None,
    participant_speaker: str | None,
    interviewer_speaker: tuple[str, ...],
    manifest: Path | None,
    speakers: Path | None,
    skip_bad: bool,
    fmt: str,
) -> None:
    """Import transcript FILES (or folders of them) into STUDY.

    All or nothing: if any file is bad, nothing is imported and every bad file is named, one
    line each (exit code 2), unless --skip-bad is given (then the good files are imported, the
    bad ones listed, and the exit code is 1). Without a speaker mapping the speaker who talks most is the
    participant and the others are interviewers; correct it later with
    'thematica transcripts speakers'. A file named after a participant label
    (physio-4.vtt for "Physio 4") is linked to that participant.

    \b
    Examples:
        thematica transcripts import msk.thematica interviews/ --manifest interviews.csv
        thematica transcripts import msk.thematica p4.vtt --participant "Physio 4" \\
            --participant-speaker "Jo Bloggs" --date 2026-03-14
    """
    from thematica.importers.mapping import ManifestEntry, read_manifest, read_speaker_map
    from thematica.service import TranscriptSource

    paths = _expand(files)
    if (participant or when) and len(paths) != 1:
        raise CliError("--participant and --date apply to a single file; use --manifest for many")
    entries: dict[str, ManifestEntry] = (
        read_manifest(read_file(manifest), str(manifest)) if manifest else {}
    )
    speaker_rows = read_speaker_map(read_file(speakers), str(speakers)) if speakers else []
    sources = []
    for path in paths:
        entry = entries.get(path.name, ManifestEntry(None, None, None))
        roles = {name: role for file, name, role in speaker_rows if file in (None, path.name)}
        if participant_speaker:
            roles[participant_speaker] = SpeakerRole.PARTICIPANT
        for name in interviewer_speaker:
            roles[name] = SpeakerRole.INTERVIEWER
        sources.append(
            TranscriptSource(
                name=str(path),
                read=partial(read_file, path),
                participant=participant or entry.participant,
                interview_date=_date(when) or entry.interview_date,
                interviewer=entry.interviewer,
                roles=roles,
            )
        )
    with (
        open_study(study) as service,
        _progress(len(sources), fmt == "text" and interactive()) as tick,
    ):
        report = service.import_transcripts(sources, skip_bad=skip_bad, progress=tick)
    if fmt == "json":
        print_json(report)
    else:
        for item in report.imported:
            who = item.participant or "no participant linked"
            click.echo(
                f"Imported #{item.id} {item.source_name} ({who}): {plural(item.turns, 'turn')}, {plural(item.words, 'word')}"
            )
        for failure in report.failed:
            click.echo(f"Skipped {failure.message}", err=True)
    if report.failed:
        raise SystemExit(1)  # partly done: the good files are in, the bad ones were listed


@transcripts.command("list")
@click.argument("study")
@format_option
def transcripts_list(study: str, fmt: str) -> None:
    """List the study's transcripts.

    \b
    Example:
        thematica transcripts list msk.thematica --format json
    """
    with open_study(study) as service:
        items = service.transcripts()
    if fmt == "json":
        print_json(items)
        return
    if not items:
        click.echo("No transcripts yet (import some: thematica transcripts import STUDY FILES...)")
        return
    from rich import box  # rich loads only for text output
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("#", justify="right")
    table.add_column("Participant", no_wrap=True)
    table.add_column("File", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Length", justify="right", no_wrap=True)
    table.add_column("Interviewer")
    table.add_column("Turns", justify="right", no_wrap=True)
    table.add_column("Words", justify="right", no_wrap=True)
    table.add_column("Checked", no_wrap=True)
    for t in items:
        table.add_row(
            str(t.id),
            t.participant or "-",
            t.source_name,
            t.interview_date.isoformat() if t.interview_date else "-",
            duration(t.duration_ms),
            t.interviewer or "-",
            str(t.turns),
            f"{t.words:,}",
            _checking(t),
        )
    console().print(table)


def _checking(t: TranscriptSummary) -> str:
    """'automatic', 'checking (Rachel Ames)' or 'checked (Rachel Ames, 2026-12-03)'."""
    if t.checked_by is None:
        return t.checking.value
    when = f", {t.checked_at:%Y-%m-%d}" if t.checked_at else ""
    return f"{t.checking.value} ({t.checked_by}{when})"


def _show_text(t: Transcript) -> None:
    out = console()
    out.print(f"[bold]Transcript {t.id}[/bold]: {t.source_name} ({t.source_format})")
    out.print(
        f"Participant: {t.participant or '-'}   Date: {t.interview_date or '-'}   "
        f"Duration: {duration(t.duration_ms) or '-'}   Interviewer: {t.interviewer or '-'}"
    )
    for turn in t.turns:
        stamp = f"[{duration(turn.start_ms)}] " if turn.start_ms is not None else ""
        style = "dim" if turn.role is SpeakerRole.INTERVIEWER else ""
        speaker = turn.speaker or "(unnamed)"
        number = f"#{turn.position + 1} "  # the turn number corrections name (--turn)
        out.print(
            f"\n{number}{stamp}[bold]{speaker}[/bold] ({turn.role.value}) [{turn.start}:{turn.end}]"
        )
        out.print(turn.text, style=style, markup=False)


@transcripts.command("show")
@click.argument("study")
@click.argument("ref")
@format_option
def transcripts_show(study: str, ref: str, fmt: str) -> None:
    """Show one transcript's turns: speaker, role, times and code-point offsets.

    REF is the transcript number, its participant's label or its file name.

    \b
    Example:
        thematica transcripts show msk.thematica "Physio 4" --format json
    """
    with open_study(study) as service:
        t = service.transcript(ref)
    if fmt == "json":
        print_json(t)
    else:
        _show_text(t)


@transcripts.command("speakers")
@click.argument("study")
@click.argument("ref")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="SPEAKER=ROLE",
    help="Give SPEAKER the role participant, interviewer or other.",
)
@format_option
def transcripts_speakers(study: str, ref: str, assignments: tuple[str, ...], fmt: str) -> None:
    """List a transcript's speakers and their roles, or correct them with --set.

    \b
    Example:
        thematica transcripts speakers msk.thematica "Physio 1"
        thematica transcripts speakers msk.thematica "Physio 1" --set "Gareth Powell=participant"
    """
    changes = []
    for item in assignments:
        name, sep, role = item.rpartition("=")
        try:
            changes.append((name, SpeakerRole(role.strip().lower())))
        except ValueError:
            changes = []
            sep = ""
        if not sep or not name.strip():
            raise CliError(f"--set {item!r}: write it as SPEAKER=participant|interviewer|other")
    with open_study(study) as service:
        transcript = service.transcript(ref)
        for name, role in changes:
            transcript = service.set_speaker_role(str(transcript.id), name, role)
    words: Counter[str] = Counter()
    roles: dict[str, SpeakerRole] = {}
    for turn in transcript.turns:
        words[turn.speaker] += word_count(turn.text)
        roles[turn.speaker] = turn.role
    rows = [{"speaker": s, "role": roles[s].value, "words": words[s]} for s in roles]
    if fmt == "json":
        print_json({"transcript": transcript.id, "speakers": rows})
        return
    from rich import box
    from rich.table import Table

    table = Table("Speaker", "Role", "Words", box=box.SIMPLE_HEAD)
    for row in rows:
        table.add_row(str(row["speaker"]) or "(unnamed)", str(row["role"]), f"{row['words']:,}")
    console().print(table)


@transcripts.command("set")
@click.argument("study")
@click.argument("ref")
@click.option("--participant", help="Link the transcript to this participant label.")
@click.option("--date", "when", help="The interview date.")
def transcripts_set(study: str, ref: str, participant: str | None, when: str | None) -> None:
    """Correct a transcript's participant or interview date.

    \b
    Example:
        thematica transcripts set msk.thematica physio-4.vtt --participant "Physio 4"
    """
    if participant is None and when is None:
        raise CliError("nothing to change: give --participant and/or --date")
    with open_study(study) as service:
        t = service.set_transcript_details(ref, participant=participant, interview_date=_date(when))
    click.echo(
        f"Transcript {t.id}: participant {t.participant or '-'}, date {t.interview_date or '-'}"
    )


@transcripts.command("reveal")
@click.argument("study")
@click.argument("ref")
@click.option("--by", "by", envvar="THEMATICA_MEMBER", required=True, help="The lead revealing it.")
def transcripts_reveal(study: str, ref: str, by: str) -> None:
    """Reveal a transcript for reconciliation: in blind coding, every coder then sees every
    coding in it.

    \b
    Example:
        thematica transcripts reveal msk.thematica "Physio 4" --by "Rachel Ames"
    """
    with open_study(study) as service:
        at = service.as_member(by, client="cli").reveal(ref)
    click.echo(f"Revealed {ref} ({at:%Y-%m-%d %H:%M})")


@transcripts.command("check")
@click.argument("study")
@click.argument("ref")
@click.option(
    "--state",
    type=click.Choice(CHECKING_STATES),
    required=True,
    help="automatic (as the tool wrote it), checking, or checked against the recording.",
)
@click.option(
    "--by", "by", envvar="THEMATICA_MEMBER", required=True, help="The member checking it."
)
@format_option
def transcripts_check(study: str, ref: str, state: str, by: str, fmt: str) -> None:
    """Mark a transcript as being checked, or checked, against the recording (or back to
    automatic). Coders and leads who see original text may; each change is in the audit log.

    \b
    Examples:
        thematica transcripts check msk.thematica "Physio 4" --state checking --by "Rachel Ames"
        thematica transcripts check msk.thematica "Physio 4" --state checked --by "Rachel Ames"
    """
    with open_study(study) as service:
        t = service.as_member(by, client="cli").set_checking(ref, state)
    if fmt == "json":
        print_json(t)
    else:
        click.echo(f"Transcript {t.id} ({t.participant or t.source_name}): {_checking(t)}")


from thematica.cli.mappings import set_dates  # noqa: E402  (issue 12: the import mappings)

transcripts.add_command(set_dates)

from thematica.cli.media import attach, media_check  # noqa: E402  (issue 16: recordings)

transcripts.add_command(attach)
transcripts.add_command(media_check)

from thematica.cli.corrections import (  # noqa: E402  (issue 16: corrections)
    correct,
    corrections_log,
    merge,
    split,
)

transcripts.add_command(correct)
transcripts.add_command(split)
transcripts.add_command(merge)
transcripts.add_command(corrections_log)
