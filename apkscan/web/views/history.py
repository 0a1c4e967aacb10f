"""The scans of this server, newest first, searchable by package, app name or SHA-256: which apps people bring."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apkscan.web import records
from apkscan.web.pages import render
from apkscan.web.views import state

PAGE_SIZE = 50


def page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return max(1, min(int(text), 10_000)) if text.isdigit() else 1


async def history(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:200]
    page = page_number(request)
    conn = state(request).service.store().conn
    rows = records.history(conn, query, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    return render(request, "history.html.j2", rows=rows[:PAGE_SIZE], q=query, page=page, more=len(rows) > PAGE_SIZE)


routes = [Route("/history", history, methods=["GET"])]
