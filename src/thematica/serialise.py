"""One serialiser for the analysis results: the CLI's ``--format json`` and the workbench's JSON
twins are both built here, from the same result objects, so their shapes cannot drift apart.

Each function turns one result (``analysis/reports.py``) into plain JSON data: dataclasses
become objects, tuples lists, enums their values, dates ISO 8601 text. A few fields are derived
here rather than in the service, for every caller alike: the ``scope`` and ``convention`` an
agreement was computed over, each matrix cell's quantifier phrase, and the number of codes
saturation reached.

What the person asking may not see is left out here too (:class:`Reader`): the CLI acts as the
administrator and sees everything, a workbench member gets the text of the transcripts they may
read only. No SQL, no web, no click: both adapters import this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematica.domain import format_path

if TYPE_CHECKING:
    from thematica.analysis.reports import (
        AgreementReport,
        CooccurrenceReport,
        CountsReport,
        MatrixReport,
        MultiAgreementReport,
        SaturationReport,
        TranscriptAgreement,
    )

NO_PARTICIPANT = "a transcript with no participant"


def plain(value: Any) -> Any:
    """``value`` as JSON data: dataclasses as objects (field by field), enums as their values,
    dates as ISO 8601, paths as text, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Reader:
    """What the person asking may see. ``readable``: the transcripts whose text may be shown
    (None: all). ``labels``: the names an uncoded transcript may be listed by (None: any name,
    its file name included; otherwise participant labels only, as a file name can hold a real
    name)."""

    readable: frozenset[int] | None = None
    labels: frozenset[str] | None = None


ADMINISTRATOR = Reader()


def agreement(
    report: AgreementReport,
    *,
    scope: str,
    convention: str = "applied",
    reader: Reader = ADMINISTRATOR,
) -> dict[str, Any]:
    """Two coders' agreement; the text of a disagreement in a transcript ``reader`` may not
    read is empty. ``convention``: which transcripts the character figures cover."""
    data: dict[str, Any] = plain(report)
    data["scope"] = scope
    data["convention"] = convention
    if reader.readable is not None:
        for row in data["disagreements"]:
            if row["transcript_id"] not in reader.readable:
                row["text"] = ""
    return data


def agreement_many(report: MultiAgreementReport, *, scope: str) -> dict[str, Any]:
    """Krippendorff's alpha among three or more coders (no transcript text in it)."""
    data: dict[str, Any] = plain(report)
    data["scope"] = scope
    return data


def counts(report: CountsReport) -> dict[str, Any]:
    """Single counts per theme node and code (participant labels only, no text)."""
    data: dict[str, Any] = plain(report)
    return data


def saturation(report: SaturationReport, *, reader: Reader = ADMINISTRATOR) -> dict[str, Any]:
    """New codes per interview, Guest and Francis; ``total_codes`` is the codes reached."""
    data: dict[str, Any] = plain(report)
    data["total_codes"] = report.interviews[-1].cumulative if report.interviews else 0
    if reader.labels is not None:
        data["not_yet_coded"] = [
            name if name in reader.labels else NO_PARTICIPANT for name in report.not_yet_coded
        ]
    return data


def matrix(report: MatrixReport) -> dict[str, Any]:
    """Theme nodes (or codes) by attribute value; each cell also gets its quantifier phrase."""
    from thematica.analysis.quantifiers import quantify

    data: dict[str, Any] = plain(report)
    for row in data["rows"]:
        for cell in row["cells"]:
            total = cell["total"]
            cell["phrase"] = quantify(cell["participants"], total) if total else ""
    return data


def cooccurrence(report: CooccurrenceReport) -> dict[str, Any]:
    """Code pairs sharing a speaker turn, with Jaccard and overlapping codings."""
    data: dict[str, Any] = plain(report)
    return data


def transcript_agreement(report: TranscriptAgreement) -> dict[str, Any]:
    """Two coders over one transcript (the reconciliation page's figures; no CLI twin)."""
    return {
        "a": report.coder_a,
        "b": report.coder_b,
        "level": int(report.level),
        "transcript_id": report.transcript_id,
        "participant": report.participant,
        "length": report.length,
        "turns": report.turns,
        "coded_by_a": report.coded_by_a,
        "coded_by_b": report.coded_by_b,
        "codes": [
            {
                "code": format_path(c.code),
                "characters": plain(c.characters),
                "turns": plain(c.turns),
                "disagreements": c.disagreements,
            }
            for c in report.codes
        ],
        "pooled": {
            "characters": plain(report.pooled_characters),
            "turns": plain(report.pooled_turns),
        },
        "disagreements": report.disagreements,
        "reconcile": f"/reconcile/{report.transcript_id}",
        "method": list(report.method),
    }
