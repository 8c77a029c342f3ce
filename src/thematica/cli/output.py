"""How the CLI reports: a ``--format`` option, JSON from domain objects, rich text otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from thematica.errors import InputError, ThematicaError
from thematica.lazy import imports_without_gc

if TYPE_CHECKING:  # the service (and SQLAlchemy) load only when a command opens a study
    from rich.console import Console  # and rich only when text is drawn (not for --format json)

    from thematica.service import StudyService

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A user-facing error: one line on stderr, exit code 2."""

    exit_code = 2


def to_jsonable(value: Any) -> Any:
    """``value`` as JSON data (the one serialiser's :func:`thematica.serialise.plain`)."""
    from thematica.serialise import plain

    return plain(value)


def plural(n: int, word: str, words: str = "") -> str:
    """``1 transcript``, ``2 transcripts``, with thousands separators."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def print_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output as human-readable text or as JSON.",
    )(func)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def open_study(location: str) -> StudyService:
    """Open a study for a command, telling the user on stderr if it was migrated."""
    with imports_without_gc():
        from thematica.service import StudyService

    try:
        service = StudyService.open(location)
    except ThematicaError as exc:
        raise CliError(str(exc)) from None
    if service.migration is not None:
        m = service.migration
        backup = f"; backup at {m.backup}" if m.backup else ""
        click.echo(
            f"Upgraded the study from schema {m.from_revision} to {m.to_revision}{backup}", err=True
        )
    return service


def interactive() -> bool:
    return sys.stderr.isatty()


def duration(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def read_file(path: Path) -> bytes:
    """The bytes of a file the user named, or an :class:`InputError` naming it."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
