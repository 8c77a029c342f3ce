"""``thematica guide``: the interview guide."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.output import format_option, open_study, print_json, read_file


@click.group()
def guide() -> None:
    """The interview guide: ordered questions with their prompts."""


@guide.command("import")
@click.argument("study")
@click.argument("file", type=click.Path(path_type=Path))
def guide_import(study: str, file: Path) -> None:
    """Set the interview guide from FILE (.md, .txt or .docx), replacing any earlier version.

    Number the questions ("1. ...") and put each prompt on a bulleted line ("- ...")
    beneath its question.

    \b
    Example:
        thematica guide import msk.thematica guide.md
    """
    from thematica.importers.guide import read_guide

    questions = read_guide(read_file(file), str(file))
    with open_study(study) as service:
        service.replace_guide(questions)
    prompts = sum(len(q.prompts) for q in questions)
    click.echo(f"Interview guide set: {len(questions)} questions, {prompts} prompts")


@guide.command("show")
@click.argument("study")
@format_option
def guide_show(study: str, fmt: str) -> None:
    """Print the interview guide.

    \b
    Example:
        thematica guide show msk.thematica
    """
    with open_study(study) as service:
        questions = service.guide()
    if fmt == "json":
        print_json(questions)
        return
    if not questions:
        click.echo("No interview guide yet (thematica guide import STUDY FILE)")
    for number, q in enumerate(questions, start=1):
        click.echo(f"{number}. {q.text}")
        for prompt in q.prompts:
            click.echo(f"   - {prompt}")
