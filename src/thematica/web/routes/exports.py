"""REFI-QDA downloads, for NVivo, ATLAS.ti, MAXQDA and QualCoder: the codebook (``/codebook.qdc``,
any member) and the whole study (``/study.qdpx``, a lead who may see originals; no journal, no
recordings: those go with the command line's ``--journal`` and ``--media``). Each is the file
the command line writes, checked first by the service (``service/export_checks.py``): residue
of the anonymisation check refuses it (409, naming where), and only the command line's
``--allow-identifiers`` overrides that. Each export is logged as the member's."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response

from thematica.exchange.refi import write_qdpx
from thematica.exchange.refi_codebook import write_qdc
from thematica.web.downloads import download
from thematica.web.shell import Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/codebook.qdc", name="codebook.qdc")
    def codebook_qdc(request: Request) -> Response:
        """The codebook as a REFI-QDA codebook (codes, themes as non-codable codes, sets)."""
        found = wb.acting(request).export_codebook(wb.key_path)
        out = io.BytesIO()
        write_qdc(found.project, out)
        return download("codebook", "qdc", out.getvalue())

    @r.get("/study.qdpx", name="study.qdpx")
    def study_qdpx(request: Request) -> Response:
        """The whole study as a REFI-QDA project."""
        study = wb.acting(request)
        found = study.export_study(wb.key_path)
        out = io.BytesIO()
        write_qdpx(found.project, out)
        return download(study.info().title, "qdpx", out.getvalue())

    return r
