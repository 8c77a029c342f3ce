"""``thematica audit``: every count claim and quote of a draft checked against the study."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thematica.cli.output import open_study, read_file
from thematica.domain import Level
from thematica.errors import InputError


@click.command()
@click.argument("study")
@click.argument("draft", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md", "html"]),
    default="text",
    show_default=True,
    help="The report as text, JSON, a Markdown table or an HTML page.",
)
@click.option(
    "--annotate",
    "annotated",
    type=click.Path(path_type=Path),
    help="Write a copy of the .docx DRAFT with a Word comment on each flagged sentence.",
)
@click.option(
    "--level",
    type=click.IntRange(1, 2),
    default=2,
    show_default=True,
    help="Code level the counts use (2: the agreed layer).",
)
@click.option(
    "--quantifiers",
    type=click.Path(path_type=Path),
    help="YAML file of quantifier rules (default: docs/methods.md#verbal-quantifiers).",
)
def audit(
    study: str,
    draft: Path,
    fmt: str,
    annotated: Path | None,
    level: int,
    quantifiers: Path | None,
) -> None:
    """Check a draft (DOCX, Markdown, plain text or HTML) against STUDY: every count claim
    ("seven participants", "all but one", "n = 4", "(6/10)") against the single counts and the
    quantifier rules, the same theme claimed differently in two places, and every attributed
    quote against the participant's transcripts. Changes nothing in the study.

    Exit status 0 when nothing contradicts; 1 when a claim contradicts the study, two places
    disagree, or a quote is edited, someone else's or not found.

    \b
    Example:
        thematica audit msk.thematica paper.docx --annotate paper-audited.docx
    """
    from thematica import private_files
    from thematica.analysis.quantifiers import DEFAULT_RULES, load_rules
    from thematica.manuscript import writers
    from thematica.manuscript.draft import check_size, read_draft

    rules = load_rules(read_file(quantifiers), str(quantifiers)) if quantifiers else DEFAULT_RULES
    try:
        size = draft.stat().st_size
    except OSError as exc:
        raise InputError(str(draft), f"cannot be read ({exc.strerror or exc})") from None
    check_size(size, str(draft))
    data = read_file(draft)
    parsed = read_draft(data, str(draft))
    if annotated is not None and parsed.format != "docx":
        raise InputError(str(draft), "--annotate needs a .docx draft (Word comments)")
    if annotated is not None and annotated.resolve() == draft.resolve():
        raise InputError(str(annotated), "--annotate would overwrite the draft; name a new file")
    with open_study(study) as service:
        report = service.audit_draft(parsed, level=Level(level), rules=rules)
    if annotated is not None:
        from thematica.manuscript.annotate import annotate

        try:
            private_files.write_bytes(annotated, annotate(data, parsed, report))
        except OSError as exc:
            raise InputError(str(annotated), f"cannot be written ({exc.strerror or exc})") from None
        click.echo(f"Wrote {annotated} (comments on the flagged sentences)", err=True)
    if fmt == "json":
        click.echo(writers.to_json(report), nl=False)
    elif fmt == "md":
        click.echo(writers.to_markdown(report), nl=False)
    elif fmt == "html":
        click.echo(writers.to_html(report), nl=False)
    else:
        click.echo(writers.to_text(report), nl=False)
    sys.exit(1 if report.failed else 0)
