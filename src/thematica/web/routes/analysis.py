"""The analysis pages: an index, agreement between two coders, single counts, the attribute
matrix, the saturation curve and co-occurrence; each with its JSON twin under /api/analysis,
which is the CLI's ``--format json`` for the same parameters (one serialiser). Parameters come
as query strings and are checked in :mod:`thematica.web.analysis_context`, so a bad one gives
the same clear message on the page and in the API."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thematica.web import analysis_context as ctx
from thematica.web import analysis_pages as pages
from thematica.web.saturation_chart import chart
from thematica.web.shell import Workbench

# Each page and its JSON twin take the same query parameters, declared once here; they come in
# as text and are checked in analysis_context, so a bad one gets the same message in both.


@dataclass
class AgreementQuery:
    a: str | None = None
    b: str | None = None
    level: str | None = None
    scope: str | None = None
    code: str | None = None
    convention: str | None = None


@dataclass
class CountsQuery:
    level: str | None = None
    by: str | None = None


@dataclass
class MatrixQuery:
    by: str | None = None
    level: str | None = None
    rows: str | None = None


@dataclass
class SaturationQuery:
    level: str | None = None
    base: str | None = None
    run: str | None = None
    threshold: str | None = None
    initial: str | None = None
    stop: str | None = None


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/analysis", response_class=HTMLResponse)
    def index_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "analysis.html", ctx.index(study), study)

    @r.get("/api/analysis")
    def index_json(request: Request) -> dict[str, Any]:
        return ctx.index(wb.acting(request))

    @r.get("/analysis/agreement", response_class=HTMLResponse)
    def agreement_page(request: Request, q: Annotated[AgreementQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        data = pages.agreement(study, **asdict(q))
        return wb.page(request, "analysis_agreement.html", data, study)

    @r.get("/api/analysis/agreement")
    def agreement_json(request: Request, q: Annotated[AgreementQuery, Depends()]) -> dict[str, Any]:
        return ctx.agreement(wb.acting(request), **asdict(q))

    @r.get("/api/analysis/agreement/transcript/{ref}")
    def transcript_agreement_json(
        request: Request,
        ref: str,
        a: str | None = None,
        b: str | None = None,
        level: str | None = None,
    ) -> dict[str, Any]:
        """Two coders' figures over one transcript (for the reconciliation page)."""
        return ctx.transcript_agreement(wb.acting(request), ref, a, b, level)

    @r.get("/analysis/counts", response_class=HTMLResponse)
    def counts_page(request: Request, q: Annotated[CountsQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        data = pages.counts(study, q.level, q.by)
        return wb.page(request, "analysis_counts.html", data, study)

    @r.get("/api/analysis/counts")
    def counts_json(request: Request, q: Annotated[CountsQuery, Depends()]) -> dict[str, Any]:
        return ctx.counts(wb.acting(request), q.level, q.by)

    @r.get("/analysis/matrix", response_class=HTMLResponse)
    def matrix_page(request: Request, q: Annotated[MatrixQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        data = pages.matrix(study, **asdict(q))
        return wb.page(request, "analysis_matrix.html", data, study)

    @r.get("/api/analysis/matrix")
    def matrix_json(request: Request, q: Annotated[MatrixQuery, Depends()]) -> dict[str, Any]:
        return ctx.matrix(wb.acting(request), **asdict(q))

    @r.get("/analysis/saturation", response_class=HTMLResponse)
    def saturation_page(request: Request, q: Annotated[SaturationQuery, Depends()]) -> HTMLResponse:
        study = wb.acting(request)
        data = pages.saturation(study, **asdict(q))
        return wb.page(request, "analysis_saturation.html", {**data, "chart": chart(data)}, study)

    @r.get("/api/analysis/saturation")
    def saturation_json(
        request: Request, q: Annotated[SaturationQuery, Depends()]
    ) -> dict[str, Any]:
        return ctx.saturation(wb.acting(request), **asdict(q))

    @r.get("/analysis/cooccurrence", response_class=HTMLResponse)
    def cooccurrence_page(request: Request, level: str | None = None) -> HTMLResponse:
        study = wb.acting(request)
        data = pages.cooccurrence(study, level)
        return wb.page(request, "analysis_cooccurrence.html", data, study)

    @r.get("/api/analysis/cooccurrence")
    def cooccurrence_json(request: Request, level: str | None = None) -> dict[str, Any]:
        return ctx.cooccurrence(wb.acting(request), level)

    return r
