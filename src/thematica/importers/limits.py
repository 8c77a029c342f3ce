"""The bounds every importer holds a file to, so that no file, however odd, costs more than its
size warrants or yields values a study cannot store. Each is far beyond any real interview."""

from __future__ import annotations

from thematica.errors import InputError

MAX_PATH_DEPTH = 32
"""Levels in a code path (``A > B > C`` has three) or a theme framework."""
MAX_NAME = 300
"""Characters in one code or theme name."""
MAX_SPEAKER = 200
"""Characters in a speaker's name."""
MAX_CUE = 100_000
"""Characters in one caption cue (about 15,000 words: an hour of speech in one cue)."""
MAX_HOURS = 1000
"""Timestamps must be under this many hours."""
MAX_TIME_MS = MAX_HOURS * 3600 * 1000
MAX_ROWS = 1_000_000
"""Rows in one table file (Excel's own limit is 1,048,576)."""
MAX_COLUMNS = 1000
"""Columns with a value in one table file."""
MAX_CELLS = 20_000_000
"""Cells a sheet's rows may span, empty ones included (1,000,000 rows of 20 columns)."""
QUOTE = 60
"""Characters of a bad value quoted back in an error message."""


def shorten(text: str, limit: int = QUOTE) -> str:
    """``text`` quoted for a one-line message: at most ``limit`` characters, then an ellipsis."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def check_speaker(name: str, source: str, where: str) -> None:
    """Refuse a speaker name longer than :data:`MAX_SPEAKER` (a paragraph mistaken for a name)."""
    if len(name) > MAX_SPEAKER:
        raise InputError(
            source,
            f"a speaker name of {len(name):,} characters ({shorten(name)}); "
            f"names are at most {MAX_SPEAKER} characters",
            where,
        )


def check_depth(depth: int, source: str, where: str, what: str = "code path") -> None:
    if depth > MAX_PATH_DEPTH:
        raise InputError(
            source, f"the {what} has {depth:,} levels; at most {MAX_PATH_DEPTH} levels", where
        )
