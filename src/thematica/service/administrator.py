"""The administrator: whoever holds the study file or the database credentials (the command
line), who may manage the team without being a member of it. Its own small module, so the
service's signatures can name it without loading the accounts code."""

from __future__ import annotations

from typing import Final


class Administrator:
    """The person holding the study file or the database credentials."""

    def __repr__(self) -> str:
        return "ADMINISTRATOR"


ADMINISTRATOR: Final = Administrator()
Acting = str | Administrator
