"""One scan: a progress page while it runs, then the verdict with links to the report, the complaint form and delete.

The full report is the same self-contained page ``apkscan scan`` writes, rendered from the stored JSON in the
language asked for (``?lang=zh``): switching language never rescans.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from apkscan.render.registry import RenderContext, renderer
from apkscan.web import records
from apkscan.web.intake import form_of
from apkscan.web.pages import choose_lang, error_page, render
from apkscan.web.upload import FormError
from apkscan.web.views import state, stored_report

REFRESH_SECONDS = 2


async def scan_page(request: Request) -> Response:
    web = state(request)
    conn = web.service.store().conn
    row = records.upload(conn, request.path_params["id"])
    if row is None:
        return error_page(request, 404, "web.error.no_scan")
    if row["status"] in ("queued", "running"):
        position = records.queue_position(conn, row["id"], row["created_at"]) if row["status"] == "queued" else 0
        return render(request, "progress.html.j2", row=row, position=position, refresh=REFRESH_SECONDS)
    if row["status"] == "failed":
        return render(request, "failed.html.j2", row=row)
    report = stored_report(row)
    return render(request, "scan.html.j2", row=row, report=report, app_name=report.name_in(choose_lang(request)))


async def report_page(request: Request) -> Response:
    """The full report, as ``apkscan scan`` writes it, in the language of this request."""
    web = state(request)
    row = records.upload(web.service.store().conn, request.path_params["id"])
    if row is None:
        return error_page(request, 404, "web.error.no_scan")
    if row["status"] != "done":
        return error_page(request, 409, "web.error.not_done")
    report = stored_report(row)
    context = RenderContext(choose_lang(request), web.rules)
    html = await run_in_threadpool(renderer("report", "html").render, report, context)
    return HTMLResponse(html)


async def delete_scan(request: Request) -> Response:
    web = state(request)
    try:
        form = await form_of(request, web.service, (), 0, check_csrf=True)
    except FormError as err:
        return error_page(request, err.status, err.key, str(err), mb=web.config.max_upload_mb)
    except ClientDisconnect:
        return Response(status_code=400)
    form.discard()
    if not await run_in_threadpool(web.service.delete, request.path_params["id"]):
        return error_page(request, 404, "web.error.no_scan")
    return render(request, "deleted.html.j2")


routes = [
    Route("/scans/{id}", scan_page, methods=["GET"]),
    Route("/scans/{id}/report", report_page, methods=["GET"]),
    Route("/scans/{id}/delete", delete_scan, methods=["POST"]),
]
