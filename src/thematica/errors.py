"""The errors Thematica raises on purpose. Each carries one clear, user-facing message."""

from __future__ import annotations


class ThematicaError(Exception):
    """Base class: anything the user can fix, reported as one line and exit code 2 in the CLI."""


def _one_line(text: str) -> str:
    """Line breaks in a file name or in text quoted from a file would break the one line."""
    return " ".join(text.splitlines())


class InputError(ThematicaError):
    """A file (or a row, cue or line in it) that cannot be read.

    ``source`` names the file, ``location`` the place in it (``"line 12"``, ``"cue 4"``,
    ``"row 3"``), ``reason`` says what is wrong in words a researcher understands.
    """

    def __init__(self, source: str, reason: str, location: str | None = None) -> None:
        source, reason = _one_line(source), _one_line(reason)
        location = _one_line(location) if location else location
        self.source = source
        self.reason = reason
        self.location = location
        where = f"{source}: {location}" if location else source
        super().__init__(f"{where}: {reason}")


class BatchInputError(InputError):
    """Several files of one batch that cannot be read: one line for each, then what happened."""

    def __init__(self, errors: tuple[InputError, ...]) -> None:
        self.errors = errors
        ThematicaError.__init__(
            self,
            "\n".join(
                [
                    *(str(e) for e in errors),
                    f"{len(errors)} files cannot be imported, so nothing was imported "
                    "(fix them, or import the others with --skip-bad)",
                ]
            ),
        )
        self.source = ", ".join(e.source for e in errors)
        self.reason = f"{len(errors)} files cannot be imported"
        self.location = None


class StudyError(ThematicaError):
    """The study file itself: missing, not a Thematica study, too new, already exists."""


class NotFoundError(ThematicaError):
    """A participant, transcript, speaker or team member that the study does not have."""


class ConflictError(ThematicaError):
    """An action that would clash with what the study already holds (a duplicate label, say)."""


class ExportRefused(ConflictError):
    """An export the anonymisation residual check stopped: what would be written holds
    possible identifiers (a name, an e-mail address, an NHS number...)."""


class AccessDenied(ThematicaError):
    """The acting team member may not do this (a reader coding, a non-lead revealing, anyone
    marked "anonymised only" asking for original text)."""
