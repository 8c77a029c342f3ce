"""Which client a change comes from, and who acts when no member is named, for the audit log.

Kept apart from :mod:`thematica.service.audit` (which needs SQLAlchemy) so the CLI can set them
without slowing ``--help``. The web app sets the client per request (``web:`` and the peer's
address, :class:`thematica.web.middleware.AuditClient`), the CLI sets ``cli``; a library caller
that sets nothing is recorded as ``library``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ADMINISTRATOR = "administrator"
LIBRARY = "library"

client_var: ContextVar[str] = ContextVar("thematica_audit_client", default=LIBRARY)
actor_var: ContextVar[str] = ContextVar("thematica_audit_actor", default=ADMINISTRATOR)


@contextmanager
def acting_from(client: str, actor: str | None = None) -> Iterator[None]:
    """Record changes made inside the block as coming from ``client`` (``cli``,
    ``web:127.0.0.1``); with ``actor``, changes that name no member are recorded as made by
    ``actor`` instead of the administrator (whoever holds the study file or its database
    credentials)."""
    token = client_var.set(client[:200])
    actor_token = actor_var.set(actor) if actor else None
    try:
        yield
    finally:
        if actor_token is not None:
            actor_var.reset(actor_token)
        client_var.reset(token)


__all__ = ["ADMINISTRATOR", "LIBRARY", "acting_from", "actor_var", "client_var"]
