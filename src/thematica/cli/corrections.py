"""``thematica transcripts correct|split|merge|corrections`` and ``thematica codings
flagged|unflag``: scripted corrections of a transcript checked against its recording, their log,
and the codings whose words a correction changed. Turns are numbered as ``transcripts show``
numbers them (#1 is the first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from thematica.cli.output import console, format_option, open_study, plural, print_json

by_option = click.option(
    "--by", "by", envvar="THEMATICA_MEMBER", required=True, help="The member correcting it."
)
key_option = click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The anonymisation key file: needed once the transcript's anonymisation has started "
    "(the before and after go there, never into the study).",
)
turn_option = click.option(
    "--turn",
    type=click.IntRange(min=1),
    required=True,
    help="The turn's number, as thematica transcripts show numbers it (#1 is the first).",
)


def _report(found: Any, fmt: str) -> None:
    if fmt == "json":
        print_json(found)
        return
    where = "the key file" if found.in_key else "the corrections log"
    line = (
        f"Correction {found.id} ({found.kind}) of transcript {found.transcript_id}, turn "
        f"{found.turn}: {plural(found.codings_moved, 'coding')} moved, "
        f"{plural(found.codings_flagged, 'coding')} flagged for review; before/after in {where}"
    )
    click.echo(line)
    if found.checking == "checking":
        click.echo(f"Transcript {found.transcript_id} is in checking.")


@click.command("correct")
@click.argument("study")
@click.argument("ref")
@turn_option
@click.option("--text", help="The turn's corrected text.")
@click.option("--replace", "old", help="Words to replace in the turn (their first occurrence).")
@click.option("--with", "new", help="What --replace's words become.")
@click.option("--speaker", help="The turn's speaker: one of the transcript's speakers.")
@click.option("--new-speaker", is_flag=True, help="--speaker is a new speaker, not a typo.")
@click.option(
    "--role",
    type=click.Choice(["interviewer", "participant", "other"]),
    help="A new speaker's role (default: the turn's present role).",
)
@by_option
@key_option
@format_option
def correct(
    study: str,
    ref: str,
    turn: int,
    text: str | None,
    old: str | None,
    new: str | None,
    speaker: str | None,
    new_speaker: bool,
    role: str | None,
    by: str,
    key: Path | None,
    fmt: str,
) -> None:
    """Correct a turn's text (--text, or --replace WORDS --with WORDS) or its speaker
    (--speaker), checked against the recording. Codings stay on their words; a coding whose own words changed is kept, adjusted
    and flagged for its coder (thematica codings flagged). An automatic transcript goes into
    checking. Members who see original text may (not readers or anonymised-only members).

    \b
    Examples:
        thematica transcripts correct msk.thematica "Physio 4" --turn 2 --text "Pleasure. Though I'll warn you now, Tom, I may not say what you want to hear." --by "Rachel Ames"
        thematica transcripts correct msk.thematica "Physio 4" --turn 6 --replace "wears you down" --with "grinds you down" --by "Rachel Ames"
        thematica transcripts correct msk.thematica "Physio 4" --turn 3 --speaker "Stuart Hollis" --by "Rachel Ames"
    """
    if (old is None) != (new is None):
        raise click.UsageError("give --replace and --with together")
    if [text, old, speaker].count(None) != 2:
        raise click.UsageError("give one of --text, --replace/--with or --speaker")
    with open_study(study) as service:
        member = service.as_member(by, client="cli")
        if old is not None and new is not None:
            from thematica.service.corrections import replaced

            turns = member.transcript(ref).turns
            current = turns[turn - 1].text if turn <= len(turns) else ""
            text = replaced(current, old, new, f"transcript {ref}, turn {turn}")
        if text is not None:
            found = member.correct_text(ref, turn, text, key=key)
        else:
            assert speaker is not None
            found = member.correct_speaker(ref, turn, speaker, new=new_speaker, role=role, key=key)
    _report(found, fmt)


@click.command("split")
@click.argument("study")
@click.argument("ref")
@turn_option
@click.option(
    "--before", "words", required=True, help="The words the new turn starts with (first match)."
)
@click.option("--at-ms", type=click.IntRange(min=0), help="When the new turn starts (ms).")
@by_option
@key_option
@format_option
def split(
    study: str,
    ref: str,
    turn: int,
    words: str,
    at_ms: int | None,
    by: str,
    key: Path | None,
    fmt: str,
) -> None:
    """Split a turn in two: the new turn (same speaker) starts at the first occurrence of the
    words given with --before. No word changes, so every coding keeps its words.

    \b
    Example:
        thematica transcripts split msk.thematica "Physio 4" --turn 4 --before "A lot of chronic backs" --at-ms 50000 --by "Rachel Ames"
    """
    with open_study(study) as service:
        found = service.as_member(by, client="cli").split_turn(
            ref, turn, before=words, at_ms=at_ms, key=key
        )
    _report(found, fmt)


@click.command("merge")
@click.argument("study")
@click.argument("ref")
@turn_option
@by_option
@key_option
@format_option
def merge(study: str, ref: str, turn: int, by: str, key: Path | None, fmt: str) -> None:
    """Merge a turn with the next one (joined by a space; the first turn's speaker). No word
    changes, so every coding keeps its words.

    \b
    Example:
        thematica transcripts merge msk.thematica "Physio 4" --turn 4 --by "Rachel Ames"
    """
    with open_study(study) as service:
        found = service.as_member(by, client="cli").merge_turns(ref, turn, key=key)
    _report(found, fmt)


@click.command("corrections")
@click.argument("study")
@click.argument("ref", required=False)
@by_option
@format_option
def corrections_log(study: str, ref: str | None, by: str, fmt: str) -> None:
    """The corrections log: who corrected which turn of which transcript, when, and the turn
    before and after (in the key file once the transcript's anonymisation has started).

    \b
    Example:
        thematica transcripts corrections msk.thematica "Physio 4" --by "Rachel Ames" --format json
    """
    with open_study(study) as service:
        found = service.as_member(by, client="cli").corrections(ref)
    if fmt == "json":
        print_json(found)
        return
    out = console()
    out.print(plural(len(found), "correction"))
    for e in found:
        out.print(
            f"#{e.id} {e.at:%Y-%m-%d %H:%M} {e.actor}: transcript {e.transcript_id}, "
            f"turn {e.turn}, {e.kind}",
            markup=False,
        )
        if e.in_key:
            out.print("  before/after in the key file", markup=False, style="dim")
        elif e.before is not None and e.after is not None:
            out.print(f"  before: {e.before}", markup=False, style="dim")
            out.print(f"  after:  {e.after}", markup=False)


@click.command("flagged")
@click.argument("study")
@by_option
@format_option
def flagged(study: str, by: str, fmt: str) -> None:
    """Codings whose own words a correction changed, for their coder to look at (those the
    member may see). Clear a flag with thematica codings unflag.

    \b
    Examples:
        thematica transcripts correct msk.thematica "Physio 4" --turn 6 --replace "wears you down" --with "grinds you down" --by "Rachel Ames"
        thematica codings flagged msk.thematica --by "Tom Okafor" --format json
    """
    with open_study(study) as service:
        found = service.as_member(by, client="cli").flagged_codings()
    if fmt == "json":
        print_json(found)
        return
    out = console()
    out.print(plural(len(found), "flagged coding"))
    for f in found:
        c = f.coding
        out.print(
            f"#{c.id} {' > '.join(c.code)} ({c.coder}), transcript {c.transcript_id} "
            f"[{c.start}:{c.end}]: {f.reason}",
            markup=False,
        )


@click.command("unflag")
@click.argument("study")
@click.argument("coding_id", type=int)
@by_option
def unflag(study: str, coding_id: int, by: str) -> None:
    """Clear a coding's flag once its coder (or a lead) has looked at it.

    \b
    Examples:
        thematica transcripts correct msk.thematica "Physio 4" --turn 6 --replace "wears you down" --with "grinds you down" --by "Rachel Ames"
        thematica codings unflag msk.thematica 89 --by "Tom Okafor"
    """
    with open_study(study) as service:
        service.as_member(by, client="cli").clear_flag(coding_id)
    click.echo(f"Coding {coding_id}: flag cleared")
