"""The quotes behind analysis cells: a matrix or counts cell (``/analysis/quotes``, with its
downloads) and a co-occurrence cell (``/analysis/cooccurrence/quotes``), each with its JSON twin.
The codings are the ones the analysis counted, found by the service as the member may see them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from thematica.web import cell_context as cells
from thematica.web import quotes_context as quotes
from thematica.web.routes.downloads import quotes_download
from thematica.web.shell import Workbench


@dataclass
class CellQuery:
    theme: str | None = None
    code: str | None = None
    level: str | None = None
    by: str | None = None
    value: str | None = None
    group_by: str | None = None


@dataclass
class PairQuery:
    a: str | None = None
    b: str | None = None
    level: str | None = None


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/analysis/quotes", response_class=HTMLResponse)
    def cell_page(request: Request, q: Annotated[CellQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "quotes.html", cells.cell_view(study, **asdict(q)), study)

    @r.get("/api/analysis/quotes")
    def cell_json(request: Request, q: Annotated[CellQuery, Depends()]) -> dict[str, Any]:
        return cells.cell_view(wb.acting(request), **asdict(q))

    def add(fmt: str) -> None:
        @r.get(f"/analysis/quotes.{fmt}", name=f"cell_quotes_{fmt}")
        def cell_download(request: Request, q: Annotated[CellQuery, Depends()]) -> Response:
            data = cells.cell_view(wb.acting(request), **asdict(q))
            return quotes_download(quotes.quote_set(data), f"quotes {data['title']}", fmt)

    for fmt in quotes.FORMATS:
        add(fmt)

    @r.get("/analysis/cooccurrence/quotes", response_class=HTMLResponse)
    def pair_page(request: Request, q: Annotated[PairQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        data = cells.pair_view(study, **asdict(q))
        return wb.page(request, "cooccurrence_quotes.html", data, study)

    @r.get("/api/analysis/cooccurrence/quotes")
    def pair_json(request: Request, q: Annotated[PairQuery, Depends()]) -> dict[str, Any]:
        return cells.pair_view(wb.acting(request), **asdict(q))

    return r
