"""The JSON API for other programs (described by ``/openapi.json``, see :mod:`apkscan.web.openapi`).

Same code paths as the pages (:mod:`apkscan.web.intake`); what differs is only the answer: JSON, ``202`` with a
status URL for work that has started, ``200`` for a file whose report already exists, errors as ``{"error": …}``.
Programs send no CSRF token; the guard still refuses a write that a browser says comes from another site.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apkscan.web import records
from apkscan.web.intake import accept_complaint, accept_upload
from apkscan.web.openapi import openapi
from apkscan.web.upload import FormError
from apkscan.web.views import state
from apkscan.web.views.complaints import DOWNLOADS
from apkscan.web.views.history import page_number

MAX_LIST = 200


def problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def scan_status(row: sqlite3.Row, with_report: bool = True) -> dict[str, Any]:
    """What ``GET /api/scans/{id}`` answers: the status, links, and the report when done."""
    ident = row["id"]
    doc: dict[str, Any] = {
        "id": ident,
        "status": row["status"],
        "sha256": row["sha256"],
        "size": row["size"],
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "expires_at": row["expires_at"],
        "files_deleted": bool(row["expired"]),
        "error": {"kind": row["error_kind"], "message": row["error"]} if row["status"] == "failed" else None,
        "links": {
            "self": f"/api/scans/{ident}",
            "page": f"/scans/{ident}",
            "report_html": f"/scans/{ident}/report",
            "report_json": f"/api/scans/{ident}/report",
            "complaints": f"/api/scans/{ident}/complaints",
        },
    }
    if with_report and row["status"] == "done":
        doc["report"] = json.loads(row["report"])
    return doc


async def create_scan(request: Request) -> Response:
    web = state(request)
    try:
        accepted = await accept_upload(request, web.service, check_csrf=False)
    except FormError as err:
        return problem(err.status, str(err))
    except ClientDisconnect:
        return Response(status_code=400)
    row = records.upload(web.service.store().conn, accepted.id)
    assert row is not None
    status = 200 if accepted.status == "done" else 202
    return JSONResponse(scan_status(row), status_code=status, headers={"Location": f"/api/scans/{accepted.id}"})


async def list_scans(request: Request) -> Response:
    try:
        limit = max(1, min(int(request.query_params.get("limit", "50")), MAX_LIST))
    except ValueError:
        return problem(400, "limit: a whole number")
    query = request.query_params.get("q", "").strip()[:200]
    rows = records.history(state(request).service.store().conn, query, limit, (page_number(request) - 1) * limit)
    keys = ("id", "status", "sha256", "package", "label", "label_zh", "risk", "created_at", "finished_at")
    return JSONResponse({"scans": [{k: r[k] for k in keys} for r in rows]})


async def get_scan(request: Request) -> Response:
    row = records.upload(state(request).service.store().conn, request.path_params["id"])
    if row is None:
        return problem(404, "no such scan")
    return JSONResponse(scan_status(row))


async def get_report(request: Request) -> Response:
    row = records.upload(state(request).service.store().conn, request.path_params["id"])
    if row is None:
        return problem(404, "no such scan")
    if row["status"] != "done":
        return problem(409, f"the scan is {row['status']}: no report")
    return Response(row["report"], media_type="application/json")


async def delete_scan(request: Request) -> Response:
    if not await run_in_threadpool(state(request).service.delete, request.path_params["id"]):
        return problem(404, "no such scan")
    return Response(status_code=204)


def complaint_status(row: sqlite3.Row) -> dict[str, Any]:
    ident = row["id"]
    files = json.loads(row["files"] or "{}")
    return {
        "id": ident,
        "scan": row["upload_id"],
        "status": row["status"],
        "lang": row["lang"],
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "error": row["error"] if row["status"] == "failed" else None,
        "warnings": json.loads(row["warnings"] or "[]"),
        "manifest_sha256": row["manifest_sha256"],
        "links": {
            "self": f"/api/complaints/{ident}",
            "page": f"/complaints/{ident}",
            **{key: f"/complaints/{ident}/{name}" for name, (key, _, _) in DOWNLOADS.items() if key in files},
        },
    }


async def create_complaint(request: Request) -> Response:
    web = state(request)
    try:
        accepted = await accept_complaint(request, web.service, request.path_params["id"], check_csrf=False)
    except FormError as err:
        return problem(err.status, str(err))
    except ClientDisconnect:
        return Response(status_code=400)
    row = records.complaint(web.service.store().conn, accepted.id)
    assert row is not None
    return JSONResponse(complaint_status(row), status_code=202, headers={"Location": f"/api/complaints/{accepted.id}"})


async def get_complaint(request: Request) -> Response:
    row = records.complaint(state(request).service.store().conn, request.path_params["cid"])
    if row is None:
        return problem(404, "no such complaint")
    return JSONResponse(complaint_status(row))


async def openapi_document(request: Request) -> Response:
    return JSONResponse(openapi(state(request).config))


routes = [
    Route("/openapi.json", openapi_document, methods=["GET"]),
    Route("/api/scans", create_scan, methods=["POST"]),
    Route("/api/scans", list_scans, methods=["GET"]),
    Route("/api/scans/{id}", get_scan, methods=["GET"]),
    Route("/api/scans/{id}", delete_scan, methods=["DELETE"]),
    Route("/api/scans/{id}/report", get_report, methods=["GET"]),
    Route("/api/scans/{id}/complaints", create_complaint, methods=["POST"]),
    Route("/api/complaints/{cid}", get_complaint, methods=["GET"]),
]
