"""Downloads of the codebook, the agreement table and the attribute matrix as CSV and XLSX.

Each is built from its page's JSON twin, through the member's study and with the page's own
query parameters, so it holds what the page shows that member and nothing more (a blind coder's
codebook has their own level-one codes only; their agreement download is refused as the page
is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from thematica.report.sheets import Grid, write_csv, write_xlsx
from thematica.service.acting import MemberStudy
from thematica.web import analysis_context as analysis
from thematica.web import table_grids
from thematica.web import themes_context as ctx
from thematica.web.downloads import download, written
from thematica.web.routes.analysis import AgreementQuery, MatrixQuery
from thematica.web.shell import Workbench

FORMATS = ("csv", "xlsx")


def grid_download(grid: Grid, stem: str, fmt: str) -> Response:
    if fmt == "csv":
        return download(stem, fmt, written(lambda out: write_csv(grid, out)))
    return download(stem, fmt, written(lambda out: write_xlsx([grid], out)))


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def add(fmt: str) -> None:
        def codebook(request: Request) -> Response:
            study: MemberStudy = wb.acting(request)
            return grid_download(table_grids.codebook(ctx.codebook(study)), "codebook", fmt)

        def agreement(request: Request, q: Annotated[AgreementQuery, Depends()]) -> Response:
            twin: dict[str, Any] = analysis.agreement(wb.acting(request), **asdict(q))
            stem = f"agreement {twin['coder_a']} {twin['coder_b']} level {twin['level']}"
            return grid_download(table_grids.agreement(twin), stem, fmt)

        def matrix(request: Request, q: Annotated[MatrixQuery, Depends()]) -> Response:
            twin = analysis.matrix(wb.acting(request), **asdict(q))
            stem = f"matrix {twin['attribute']} level {twin['level']}"
            return grid_download(table_grids.matrix(twin), stem, fmt)

        routes: dict[str, Callable[..., Response]] = {
            f"/codebook.{fmt}": codebook,
            f"/analysis/agreement.{fmt}": agreement,
            f"/analysis/matrix.{fmt}": matrix,
        }
        for path, endpoint in routes.items():
            r.add_api_route(path, endpoint, methods=["GET"], name=path.strip("/"))

    for fmt in FORMATS:
        add(fmt)

    return r
