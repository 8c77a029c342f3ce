"""What the study writes out, checked first: a codebook (.qdc) and the whole study (.qdpx), for
the command line and the workbench alike.

The anonymisation residual check runs before anything leaves: over the whole study for a
project, which carries the transcripts; over exactly the text a .qdc holds for a codebook (the
codes' names and descriptions and the sets' names, ``exchange.refi_codebook.codebook_texts``).
It uses the key file's known originals when there is one and the identifier patterns always.
Residue refuses the export (ExportRefused, a ConflictError, naming where) unless the caller
allows it explicitly (the command line's ``--allow-identifiers``; the workbench never does),
and how many findings were allowed is logged with the export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ExportRefused, NotFoundError
from thematica.exchange.model import XProject
from thematica.exchange.refi_codebook import codebook_texts
from thematica.service.anonymise_residue import Residue
from thematica.service.anonymising import (
    AnonymisingStudy,
    check_values_without_key,
    check_without_key,
)
from thematica.service.core import StudyService

SHOWN = 3  # findings named in a refusal


@dataclass(frozen=True)
class Checked:
    """An export, checked: what to write, and how many possible identifiers it carries (0
    unless they were allowed)."""

    project: XProject
    identifiers_allowed: int


def residue(
    study: StudyService, key_path: Path, values: Iterable[tuple[str, str]] | None = None
) -> list[Residue]:
    """The residual check over the whole study, or over ``values`` ((where, text) pairs) alone."""
    if values is None:
        if key_path.exists():
            return AnonymisingStudy(study, key_path).check()
        return check_without_key(study)
    if key_path.exists():
        return AnonymisingStudy(study, key_path).check_values(values)
    return check_values_without_key(values)


def refusal(found: list[Residue], what: str, remedy: str) -> str:
    """The one line that refuses an export of ``what``, naming the first findings."""
    where = "; ".join(f"{r.where}: {r.text!r}" for r in found[:SHOWN])
    more = "; ..." if len(found) > SHOWN else ""
    return f"refused: {len(found)} possible identifiers in {what} ({where}{more}); {remedy}"


def checked_codebook(
    study: StudyService, key_path: Path, *, allow_identifiers: bool = False
) -> Checked:
    """The study's codebook, checked: NotFoundError if it has no codes, ExportRefused naming
    what was found if it carries possible identifiers and they are not allowed."""
    project = study.export_project(codebook_only=True)
    if not project.codes:
        raise NotFoundError(f"{study.location}: the study has no codes to export")
    found = residue(study, key_path, codebook_texts(project))
    if found and not allow_identifiers:
        remedy = (
            "rename or describe those codes, or export with "
            "thematica qdc export --allow-identifiers"
        )
        raise ExportRefused(refusal(found, "the codebook", remedy))
    return Checked(project, len(found))


def checked_project(study: StudyService, key_path: Path) -> Checked:
    """The whole study (journal entries and recordings left out), checked: ExportRefused naming
    what was found if the study carries possible identifiers. Only the command line writes a
    project with residue (``thematica qdpx export --allow-identifiers``)."""
    found = residue(study, key_path)
    if found:
        remedy = (
            "anonymise the study first (the Anonymisation page), or export with "
            "thematica qdpx export --allow-identifiers"
        )
        raise ExportRefused(refusal(found, "the study", remedy))
    return Checked(study.export_project(), 0)


__all__ = ["Checked", "checked_codebook", "checked_project", "refusal", "residue"]
