"""The theme map (the report's Figure 1) as SVG, shown on the themes page, and as PNG (300
dpi), each also a download: ``?part=`` names one figure of a large map (0, the default, is the
first), ``?download=1`` asks for it as a file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from thematica.web import downloads
from thematica.web import theme_map_view as view
from thematica.web.shell import Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def add(fmt: str) -> None:
        @r.get(f"/themes/map.{fmt}", name=f"theme_map_{fmt}")
        def theme_map(request: Request, part: int = 0, download: bool = False) -> Response:
            stem, content = view.drawn(wb.acting(request), part, fmt)
            if download:
                return downloads.download(stem, fmt, content)
            return Response(content, media_type=downloads.TYPES[fmt])

    for fmt in view.FORMATS:
        add(fmt)
    return r
