"""``thematica anonymise``: find identifiers, review them, apply replacements, check for residue.

Original text and the original-to-pseudonym key go to a separate key file
(``STUDY.thematica-key`` by default), which the study can be shared without.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box

from thematica.cli.codebook import acting
from thematica.cli.output import (
    CliError,
    console,
    format_option,
    open_study,
    plural,
    print_json,
    read_file,
)

if TYPE_CHECKING:  # the service and the detectors load only when a command runs
    from thematica.service import StudyService
    from thematica.service.anonymising import AnonymisingStudy

KEY = click.option(
    "--key",
    "key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The key file (default: STUDY.thematica-key beside the study).",
)
BY = click.option(
    "--by", "by", envvar="THEMATICA_MEMBER", help="Team member doing this (default: the only lead)."
)


def _key(study: str, key: Path | None) -> Path:
    from thematica.anonymise.keyfile import default_key_path

    return key or default_key_path(study)


def _anonymising(service: StudyService, key: Path) -> AnonymisingStudy:
    from thematica.service.anonymising import AnonymisingStudy

    return AnonymisingStudy(service, key)


@click.group()
def anonymise() -> None:
    """Anonymise transcripts with a separate key file: identities, deny-list, scan, review, apply, check."""


@anonymise.command("identities")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@KEY
def anonymise_identities(study: str, file: Path, key: Path | None) -> None:
    """Add real names to the key file: CSV/XLSX with label, real_name and optional nicknames
    (';'-separated) and category. Creates the key file if there is none.

    \b
    Example:
        thematica anonymise identities msk.thematica identities.csv
    """
    with open_study(study) as service:
        count = _anonymising(service, _key(study, key)).import_identities(
            read_file(file), str(file)
        )
    click.echo(f"{plural(count, 'identity', 'identities')} in the key file {_key(study, key)}")


@anonymise.command("deny")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
@KEY
def anonymise_deny(study: str, file: Path, key: Path | None) -> None:
    """Add a deny-list to the key file: CSV/XLSX with term, category (colleague, patient, hospital,
    trust, gp practice, place, employer, ...) and optional replacement and person (yes/no).

    \b
    Example:
        thematica anonymise deny msk.thematica deny-list.csv
    """
    with open_study(study) as service:
        count = _anonymising(service, _key(study, key)).import_deny_list(read_file(file), str(file))
    click.echo(f"{count} terms added to the deny-list")


@anonymise.command("scan")
@click.argument("study")
@click.argument("transcripts", nargs=-1)
@KEY
@click.option(
    "--ner",
    is_flag=True,
    help="Also use spaCy named-entity recognition (pip install 'thematica[ner]').",
)
@format_option
def anonymise_scan(
    study: str, transcripts: tuple[str, ...], key: Path | None, ner: bool, fmt: str
) -> None:
    """Find identifiers in the transcripts (all, or those named): names known to the study,
    the deny-list, and patterns (e-mail, phone and NHS numbers, postcodes, addresses, dates of
    birth, URLs). Findings go to the key file for review.

    \b
    Example:
        thematica anonymise scan msk.thematica
    """
    with open_study(study) as service:
        from thematica.anonymise.ner import load as load_ner

        pipeline = load_ner() if ner else None
        key_path = _key(study, key)
        new_key = not key_path.exists()
        report = _anonymising(service, key_path).scan(transcripts, ner=pipeline)
    if new_key:
        click.echo(
            f"Created the key file {key_path} (it will hold the originals: keep it apart from "
            "the study, and never share it)",
            err=True,
        )
    if fmt == "json":
        print_json(report)
        return
    click.echo(
        f"{plural(report.findings, 'finding')} in {plural(report.transcripts, 'transcript')}"
    )
    for category, n in sorted(report.by_category.items(), key=lambda kv: -kv[1]):
        click.echo(f"  {category:<16} {n}")
    click.echo(f"Review them with: thematica anonymise review {study}")


def _parse_edits(items: tuple[str, ...]) -> dict[int, str]:
    out = {}
    for item in items:
        number, sep, text = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise CliError(f"--edit {item!r}: write it as ID=REPLACEMENT")
        out[int(number)] = text
    return out


@anonymise.command("review")
@click.argument("study")
@KEY
@BY
@click.option("--accept", "accept", multiple=True, type=int, help="Accept finding ID (repeatable).")
@click.option("--reject", "reject", multiple=True, type=int, help="Reject finding ID (repeatable).")
@click.option(
    "--edit",
    "edits",
    multiple=True,
    metavar="ID=REPLACEMENT",
    help="Accept with another replacement.",
)
@click.option(
    "--accept-category",
    multiple=True,
    help="Accept every pending finding of a category (e.g. email).",
)
@click.option("--accept-all", is_flag=True, help="Accept every pending finding.")
@click.option(
    "--interactive", "-i", is_flag=True, help="Go through the pending findings one by one."
)
@format_option
def anonymise_review(
    study: str,
    key: Path | None,
    by: str | None,
    accept: tuple[int, ...],
    reject: tuple[int, ...],
    edits: tuple[str, ...],
    accept_category: tuple[str, ...],
    accept_all: bool,
    interactive: bool,
    fmt: str,
) -> None:
    """List pending findings with their context, or decide them: accept, reject, edit the
    replacement, accept all of a kind, or go through them interactively.

    \b
    Examples:
        thematica anonymise review msk.thematica
        thematica anonymise scan msk.thematica
        thematica anonymise review msk.thematica --accept-category email --edit 12="[Participant's daughter]"
        thematica anonymise review msk.thematica --interactive
    """
    with open_study(study) as service:
        member = acting(service, by)
        anon = member.anonymiser(_key(study, key))
        who = member.name
        deciding = bool(accept or reject or edits or accept_category or accept_all)
        if deciding:
            n = anon.decide(
                who,
                accept=accept,
                reject=reject,
                edits=_parse_edits(edits),
                accept_categories=accept_category,
                accept_all=accept_all,
            )
            click.echo(f"{n} decisions recorded")
        if interactive:
            _interactive(anon, who)
        pending = anon.findings("pending")
    if fmt == "json":
        print_json(pending)
        return
    if not deciding and not interactive:
        from rich.table import Table  # rich loads for text output only

        table = Table(
            "#",
            "Participant",
            "Category",
            "Found",
            "Replacement",
            "Context",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for f in pending:
            flag = " (check)" if f.confidence == "check" else ""
            table.add_row(
                str(f.id),
                f.participant or str(f.transcript_id),
                f.category + flag,
                f.original,
                f.replacement,
                f.context,
            )
        console().print(table)
    counts = Counter(f.category for f in pending)
    click.echo(
        f"{len(pending)} pending"
        + (": " + ", ".join(f"{c} {n}" for c, n in counts.most_common()) if counts else "")
    )


def _interactive(anon: AnonymisingStudy, who: str) -> None:
    out = console()
    for f in anon.findings("pending"):
        out.print(
            f"\n[bold]#{f.id}[/bold] {f.participant or f.transcript_id} · {f.category} ({f.detector}{', check' if f.confidence == 'check' else ''})"
        )
        out.print(f.context, markup=False)
        if f.note:
            out.print(f.note, style="dim")
        choice = click.prompt(
            f"Replace {f.original!r} with {f.replacement}? [a]ccept, [r]eject, [e]dit, [c]ategory: accept all {f.category}, [s]kip, [q]uit",
            type=click.Choice(["a", "r", "e", "c", "s", "q"]),
            default="a",
            show_choices=False,
        )
        if choice == "q":
            return
        if choice == "a":
            anon.decide(who, accept=[f.id])
        elif choice == "r":
            anon.decide(who, reject=[f.id])
        elif choice == "e":
            anon.decide(who, edits={f.id: click.prompt("Replacement", default=f.replacement)})
        elif choice == "c":
            anon.decide(who, accept_categories=[f.category])
            return _interactive(anon, who)


@anonymise.command("apply")
@click.argument("study")
@KEY
@BY
@click.option(
    "--pending",
    type=click.Choice(["refuse", "skip"]),
    default="refuse",
    show_default=True,
    help="With findings still to review: refuse, or apply the accepted ones only (the "
    "transcripts with pending findings then stay closed to readers).",
)
def anonymise_apply(study: str, key: Path | None, by: str | None, pending: str) -> None:
    """Replace every accepted finding and every speaker name across the study, keep codings on the
    same words, log who/when/what (never the original) and move the originals to the key file.
    Every known original is also replaced in what was derived from the text: code names and
    descriptions, memos, the journal, themes, interlinks, the lineage log, the guide and
    participants' groups; a file name holding one becomes the participant's label.
    Deleted text is scrubbed from the study file. Refuses while findings wait for review,
    unless --pending skip.

    \b
    Example:
        thematica anonymise apply msk.thematica --by "Rachel Ames"
    """
    with open_study(study) as service:
        report = acting(service, by).apply_anonymisation(_key(study, key), pending=pending)
    click.echo(
        f"Replaced {plural(report.replacements, 'identifier')} in "
        f"{plural(report.transcripts, 'transcript')} and "
        f"{plural(report.speakers, 'speaker name')}; "
        f"{plural(report.codings_moved, 'coding')} adjusted to the new text"
    )
    derived = [f"{n} {kind}" for kind, n in report.derived]
    if report.file_names:
        derived.append(plural(report.file_names, "file name"))
    if derived:
        click.echo("Also rewritten (fields): " + ", ".join(derived))
    if not report.scrubbed:
        click.echo(
            "Warning: another program has the study open, so old text may remain in its write-ahead log; "
            "close it and run 'thematica anonymise apply' again to scrub",
            err=True,
        )


def _file_text(path: Path) -> str:
    from thematica.importers.docx import paragraphs
    from thematica.importers.encoding import decode_text

    data = read_file(path)
    if path.suffix.lower() == ".docx":
        return "\n".join(paragraphs(data, str(path)))
    return decode_text(data, str(path))


@anonymise.command("check")
@click.argument("study")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@KEY
@format_option
def anonymise_check(study: str, files: tuple[Path, ...], key: Path | None, fmt: str) -> None:
    """Look for any known original name, deny-list term or identifier pattern left in the study
    (and in report or export FILES). Exits 1 with the locations if anything is found. Without a
    key file only patterns can be checked.

    \b
    Example:
        thematica anonymise check msk.thematica report/findings.docx
    """
    from thematica.service.anonymise_residue import residual_in_text
    from thematica.service.anonymising import check_without_key

    key_path = _key(study, key)
    with open_study(study) as service:
        if key_path.exists():
            anon = _anonymising(service, key_path)
            found, entries = anon.check(), anon.known_originals()
        else:
            found, entries = check_without_key(service), []
    for path in files:
        found += residual_in_text(_file_text(path), str(path), entries)
    if fmt == "json":
        print_json({"clean": not found, "key_used": key_path.exists(), "found": found})
    else:
        if not key_path.exists():
            click.echo(f"No key file at {key_path}: checked patterns only", err=True)
        for r in found:
            click.echo(f"{r.where}: {r.category}: {r.text!r}")
        click.echo(
            "Clean: no known name, deny-list term or identifier pattern found"
            if not found
            else f"{plural(len(found), 'possible identifier')} left"
        )
        click.echo(
            "Note: names that are on no list cannot be detected by the check (a third party's "
            f"first name, a hospital): look for them with 'thematica anonymise scan {study} --ner' "
            "and add them to the deny-list ('thematica anonymise deny').",
            err=True,
        )
    if found:
        raise SystemExit(1)


@anonymise.command("original")
@click.argument("study")
@click.argument("transcript")
@click.argument("start", type=int)
@click.argument("end", type=int)
@KEY
@BY
def anonymise_original(
    study: str, transcript: str, start: int, end: int, key: Path | None, by: str | None
) -> None:
    """Show the original text of a span of an anonymised transcript (leads with the key only).

    \b
    Example:
        thematica anonymise original msk.thematica "Physio 4" 120 240 --by "Rachel Ames"
    """
    with open_study(study) as service:
        member = acting(service, by)
        anonymised, restored = member.anonymiser(_key(study, key)).original(
            transcript, start, end, member.name
        )
    click.echo(f"Anonymised: {anonymised}")
    click.echo(f"Original:   {restored}")


__all__ = ["anonymise"]
