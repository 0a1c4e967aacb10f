"""The complaint form of a scan, and the complaint it makes: PDF, HTML and the evidence pack to download.

A complaint's address is its only key (a random id, never listed anywhere): it holds the borrower's loan figures and
evidence, which the organisation's history must not show to the next visitor.
"""

from __future__ import annotations

import json

from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from apkscan.complaint.channels import load_channels
from apkscan.complaint.evidence_data import load_evidence_kinds
from apkscan.model.vocab import JURISDICTIONS
from apkscan.render.i18n import t
from apkscan.web import records
from apkscan.web.intake import accept_complaint
from apkscan.web.pages import choose_lang, error_page, render
from apkscan.web.upload import FormError
from apkscan.web.views import state, stored_report

#: URL name of each complaint file → (key in ``complaints.files``, media type, shown in the browser or saved)
DOWNLOADS = {
    "complaint.pdf": ("pdf", "application/pdf", "attachment"),
    "complaint.html": ("html", "text/html; charset=utf-8", "inline"),
    "evidence.zip": ("pack", "application/zip", "attachment"),
}
REFRESH_SECONDS = 2


def form_page(request: Request, row: object, status: int = 200, error: str = "", detail: str = "") -> Response:
    report = stored_report(row)  # type: ignore[arg-type]
    lang = choose_lang(request)
    channels = load_channels()
    return render(
        request,
        "complaint_form.html.j2",
        status=status,
        row=row,
        app_name=report.name_in(lang),
        jurisdictions=JURISDICTIONS,
        channels=[(j, [c for c in channels if c.jurisdiction == j]) for j in JURISDICTIONS],
        evidence_kinds=load_evidence_kinds().kinds,
        error=error,
        detail=detail,
    )


async def complaint_form(request: Request) -> Response:
    row = records.upload(state(request).service.store().conn, request.path_params["id"])
    if row is None:
        return error_page(request, 404, "web.error.no_scan")
    if row["status"] != "done":
        return error_page(request, 409, "web.error.not_done")
    return form_page(request, row)


async def complaint_submit(request: Request) -> Response:
    web = state(request)
    upload_id = request.path_params["id"]
    try:
        accepted = await accept_complaint(request, web.service, upload_id, check_csrf=True)
    except FormError as err:
        row = records.upload(web.service.store().conn, upload_id)
        message = t(err.key, choose_lang(request), mb=web.config.max_upload_mb)
        if row is None or row["status"] != "done":
            return error_page(request, err.status, err.key, str(err))
        return form_page(request, row, err.status, message, str(err))
    except ClientDisconnect:
        return Response(status_code=400)
    return RedirectResponse(f"/complaints/{accepted.id}", status_code=303)


async def complaint_page(request: Request) -> Response:
    conn = state(request).service.store().conn
    row = records.complaint(conn, request.path_params["cid"])
    if row is None:
        return error_page(request, 404, "web.error.no_complaint")
    files = json.loads(row["files"] or "{}")
    warnings = json.loads(row["warnings"] or "[]")
    return render(request, "complaint.html.j2", row=row, files=files, warnings=warnings,
                  downloads=DOWNLOADS, refresh=REFRESH_SECONDS)  # fmt: skip


async def complaint_file(request: Request) -> Response:
    web = state(request)
    row = records.complaint(web.service.store().conn, request.path_params["cid"])
    wanted = DOWNLOADS.get(request.path_params["name"])
    if row is None or wanted is None or row["status"] != "done":
        return error_page(request, 404, "web.error.no_complaint")
    key, media_type, disposition = wanted
    name = json.loads(row["files"] or "{}").get(key)
    if not name:
        return error_page(request, 404, "web.error.no_file_kind")
    folder = web.service.data.complaint_dir(row["upload_id"], row["id"]) / "out"
    path = folder / name
    if path.parent != folder or not path.is_file():
        return error_page(request, 404, "web.error.no_complaint")
    return FileResponse(path, media_type=media_type, filename=name, content_disposition_type=disposition)


routes = [
    Route("/scans/{id}/complaint", complaint_form, methods=["GET"]),
    Route("/scans/{id}/complaint", complaint_submit, methods=["POST"]),
    Route("/complaints/{cid}", complaint_page, methods=["GET"]),
    Route("/complaints/{cid}/{name}", complaint_file, methods=["GET"]),
]
