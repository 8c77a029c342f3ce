"""``thematica journal``, ``thematica memo`` and ``thematica search``: thin over the service."""

from __future__ import annotations

import datetime as dt
import sys

import click

from thematica.cli.codebook import BY, acting, code_path
from thematica.cli.output import CliError, format_option, open_study, plural, print_json
from thematica.domain import JOURNAL_KINDS, SEARCH_SCOPES, SpeakerRole, format_path


@click.group()
def journal() -> None:
    """Each researcher's reflexive journal and field notes (timestamped, personal)."""


@journal.command("add")
@click.argument("study")
@click.argument("text")
@click.option("--kind", type=click.Choice(JOURNAL_KINDS), default="journal", show_default=True)
@click.option("--transcript", "transcripts", multiple=True, help="Link a transcript (repeatable).")
@click.option(
    "--code", "codes", type=int, multiple=True, help="Link a code by its id (repeatable)."
)
@BY
@format_option
def journal_add(
    study: str,
    text: str,
    kind: str,
    transcripts: tuple[str, ...],
    codes: tuple[int, ...],
    by: str | None,
    fmt: str,
) -> None:
    """Write a journal entry or field note TEXT ('-' reads it from standard input).

    \b
    Example:
        thematica journal add msk.thematica "Physio 3 reminded me of my own clinic." \\
            --transcript "Physio 3" --by "Tom Okafor"
    """
    if text == "-":
        text = sys.stdin.read()
    with open_study(study) as service:
        entry = acting(service, by).add_journal_entry(
            text, kind=kind, transcripts=transcripts, codes=codes
        )
    if fmt == "json":
        print_json(entry)
    else:
        click.echo(f"Journal entry {entry.id} written at {entry.created_at:%Y-%m-%d %H:%M} UTC")


@journal.command("list")
@click.argument("study")
@click.option(
    "--kind", type=click.Choice(JOURNAL_KINDS), help="Only journal entries, or field notes."
)
@click.option("--transcript", help="Only entries linked to this transcript.")
@click.option("--code", type=int, help="Only entries linked to this code (its id).")
@click.option(
    "--search", "words", default="", help="Only entries holding every one of these words."
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this day (YYYY-MM-DD).")
@BY
@format_option
def journal_list(
    study: str,
    kind: str | None,
    transcript: str | None,
    code: int | None,
    words: str,
    since: dt.datetime | None,
    until: dt.datetime | None,
    by: str | None,
    fmt: str,
) -> None:
    """List your journal entries, newest first.

    \b
    Example:
        thematica journal list msk.thematica --search "own clinic" --by "Tom Okafor"
    """
    from thematica.service.notes import JournalFilter

    wanted = JournalFilter(
        kind=kind,
        transcript=transcript,
        code=code,
        words=words,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    with open_study(study) as service:
        entries = acting(service, by).journal(wanted)
    if fmt == "json":
        print_json({"entries": entries})
        return
    if not entries:
        click.echo("No journal entries.")
    for e in entries:
        links = [t.label for t in e.transcripts] + [c.label for c in e.codes]
        extra = f"  [{', '.join(links)}]" if links else ""
        click.echo(f"#{e.id} {e.created_at:%Y-%m-%d %H:%M} {e.kind}{extra}\n  {e.text}\n")


@click.group()
def memo() -> None:
    """Memos on codes, themes, transcripts and codings (TARGET: code:ID, theme:ID,
    transcript:ID or label, coding:ID)."""


@memo.command("add")
@click.argument("study")
@click.argument("target")
@click.argument("text")
@BY
@format_option
def memo_add(study: str, target: str, text: str, by: str | None, fmt: str) -> None:
    """Write a memo TEXT on TARGET.

    \b
    Example:
        thematica memo add msk.thematica code:12 "Overlaps with workload." --by "Tom Okafor"
    """
    with open_study(study) as service:
        written = acting(service, by).add_memo(target, text)
    if fmt == "json":
        print_json(written)
    else:
        click.echo(f"Memo {written.ref} on {written.target}")


@memo.command("list")
@click.argument("study")
@click.argument("target", required=False)
@format_option
def memo_list(study: str, target: str | None, fmt: str) -> None:
    """List the memos on TARGET (or on every code, theme and transcript).

    \b
    Example:
        thematica memo list msk.thematica code:12 --format json
    """
    with open_study(study) as service:
        found = service.memos(target)
    if fmt == "json":
        print_json({"memos": found})
        return
    if not found:
        click.echo("No memos.")
    for m in found:
        click.echo(
            f"{m.ref} on {m.target} by {m.author}, {m.modified_at:%Y-%m-%d %H:%M}\n  {m.text}\n"
        )


@click.command()
@click.argument("study")
@click.argument("query")
@click.option("--attribute", help="Only participants with this attribute ('group' too) ...")
@click.option("--value", help="... having this value (case-insensitive).")
@click.option("--code", type=int, help="Only turns coded with this code (its id) or one under it.")
@click.option("--role", type=click.Choice([r.value for r in SpeakerRole]), help="Only these turns.")
@click.option("--code-all", "code_all", help="Code every result with this level-one code path.")
@click.option(
    "--scope",
    type=click.Choice(SEARCH_SCOPES),
    default="match",
    show_default=True,
    help="With --code-all: code the matched words, or each whole turn.",
)
@click.option("--create", is_flag=True, help="With --code-all: create the code if it is new.")
@click.option("--yes", is_flag=True, help="With --code-all: code without asking to confirm.")
@BY
@format_option
def search(
    study: str,
    query: str,
    attribute: str | None,
    value: str | None,
    code: int | None,
    role: str | None,
    code_all: str | None,
    scope: str,
    create: bool,
    yes: bool,
    by: str | None,
    fmt: str,
) -> None:
    """Search the transcripts for every word of QUERY ("..." for a phrase, word* for a prefix).

    \b
    Examples:
        thematica search msk.thematica '"low mood" manag*' --attribute group --value OT
        thematica search msk.thematica psychologist --code-all "Role > Not a psychologist" --create --by "Tom Okafor"
    """
    from thematica.service.search import SearchFilter

    wanted = SearchFilter(
        attribute=attribute, value=value, code=code, role=SpeakerRole(role) if role else None
    )
    with open_study(study) as service:
        if code_all is not None:
            member = acting(service, by)
            who = member.name
            path = code_path(code_all)
            plan = member.code_search_results(
                query, path, wanted=wanted, scope=scope, create_code=create, dry_run=True
            )
            if not yes and not click.confirm(
                f"Make {plural(plan.new, 'coding')} with {format_path(plan.code)!r} as {who}"
                f" ({plan.already} already coded)?",
                err=True,
            ):
                raise CliError("nothing was coded")
            done = member.code_search_results(
                query,
                path,
                wanted=wanted,
                scope=scope,
                create_code=create,
                expected=plan.new,
            )
            if fmt == "json":
                print_json(done)
            else:
                click.echo(f"Made {plural(done.new, 'coding')} with {format_path(done.code)!r}")
            return
        results = service.search(query, wanted)
    if fmt == "json":
        print_json(results)
        return
    click.echo(
        f"{plural(len(results.hits), 'turn')} in {plural(results.transcripts, 'transcript')}"
        + (" (more not shown: narrow the search)" if results.truncated else "")
    )
    for h in results.hits:
        shown = "".join(f"[{p.text}]" if p.match else p.text for p in h.context)
        who = h.participant or f"transcript {h.transcript_id}"
        click.echo(f"{who}, turn {h.turn + 1} ({h.role.value}): {shown.replace(chr(10), ' ')}")
