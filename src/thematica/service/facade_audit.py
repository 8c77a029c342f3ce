"""The study service's audit-log methods (part of :class:`StudyService`): reading the log, and
recording what leaves the study (exports), which the service cannot see being written."""

from __future__ import annotations

from collections.abc import Mapping

from thematica.service import audit
from thematica.service.sessions import Sessions

EXPORT_KINDS = ("qdpx", "qdc", "report")


class AuditMethods(Sessions):
    def audit_log(
        self,
        wanted: audit.AuditFilter | None = None,
        *,
        by: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> audit.AuditPage:
        """The audit log, newest first. Only a lead may read it (``by``); ``by=None`` is the
        administrator, who holds the study file or its database credentials."""
        with self._session() as session:
            audit.require_reader(session, by)
            return audit.page(session, wanted, limit=limit, offset=offset)

    def record_export(
        self,
        kind: str,
        *,
        by: str | None = None,
        formats: tuple[str, ...] = (),
        counts: Mapping[str, int] | None = None,
    ) -> None:
        """Log that study data was written out: ``kind`` (qdpx, qdc, report), the formats
        written and how many of what (never the file's name or contents)."""
        with self._transaction() as session:
            audit.record(
                session,
                actor=audit.member(session, by),
                action=f"export.{kind}",
                target="study",
                details={"formats": list(formats), **dict(counts or {})},
            )
