"""Downloads: a code's or a theme's quotes (and an analysis cell's) as DOCX, CSV and XLSX.

Each download is built from the same data as its page, through the member's study, so it holds
what the page shows that member and nothing more: quotes by participant label, no words from a
transcript the member may not read."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from fastapi import APIRouter, Request
from fastapi.responses import Response

from thematica.report import quote_export
from thematica.report.quote_export import QuoteSet
from thematica.web import quotes_context as quotes
from thematica.web.downloads import download, written
from thematica.web.shell import Workbench

WRITERS: dict[str, Callable[[QuoteSet, IO[bytes]], None]] = {
    "docx": quote_export.to_docx,
    "csv": quote_export.to_csv,
    "xlsx": quote_export.to_xlsx,
}


def quotes_download(found: QuoteSet, stem: str, fmt: str) -> Response:
    return download(stem, fmt, written(lambda out: WRITERS[fmt](found, out)))


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def add(fmt: str) -> None:
        @r.get(f"/codes/{{code_id}}/quotes.{fmt}", name=f"code_quotes_{fmt}")
        def code_quotes(request: Request, code_id: int, group_by: str | None = None) -> Response:
            data = quotes.code_view(wb.acting(request), code_id, group_by)
            return quotes_download(quotes.quote_set(data), f"quotes {data['title']}", fmt)

        @r.get(f"/themes/{{node_id}}/quotes.{fmt}", name=f"theme_quotes_{fmt}")
        def theme_quotes(request: Request, node_id: int, group_by: str | None = None) -> Response:
            data = quotes.node_view(wb.acting(request), node_id, group_by)
            return quotes_download(quotes.quote_set(data), f"quotes {data['title']}", fmt)

    for fmt in quotes.FORMATS:
        add(fmt)
    return r
