"""The OpenAPI 3.1 description of the JSON API, served at ``/openapi.json``.

Written by hand rather than generated: the upload endpoints stream their multipart bodies (:mod:`.upload`), which no
framework's schema generator sees, and the report itself is described by apkscan's own JSON Schema (``apkscan
schema``), referenced here rather than copied.
"""

from __future__ import annotations

from typing import Any

from apkscan import __version__
from apkscan.model.vocab import JURISDICTIONS, LANGUAGES
from apkscan.web.config import ServeConfig

STATUS = {"type": "string", "enum": ["queued", "running", "done", "failed"]}
ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
CID = {"name": "cid", "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json({"$ref": "#/components/schemas/Error"}, description)


def openapi(config: ServeConfig) -> dict[str, Any]:
    scan = {"$ref": "#/components/schemas/Scan"}
    complaint = {"$ref": "#/components/schemas/Complaint"}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "apkscan serve",
            "version": __version__,
            "description": (
                "Check Android loan apps for over-collection of personal data and make complaint packs. Uploads "
                f"are capped at {config.max_upload_mb} MB and deleted with their evidence after "
                f"{config.retention_days:g} days. The report is the apkscan.report/1 JSON document (its JSON Schema: "
                "`apkscan schema`)."
            ),
        },
        "paths": {
            "/api/scans": {
                "post": {
                    "summary": "Upload an APK, XAPK, APKS or APKM (and optionally its privacy policy) to scan",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {
                                        "file": {"type": "string", "format": "binary"},
                                        "policy": {
                                            "type": "string",
                                            "format": "binary",
                                            "description": "The app's privacy policy (HTML, text or Markdown)",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json(scan, "Already scanned with the same apkscan, rules and options: done at once"),
                        "202": _json(scan, "Accepted: poll the status URL (Location header, links.self)"),
                        "400": _error("No file, or not a multipart form"),
                        "403": _error("A write from another web site"),
                        "413": _error("Larger than the server's upload cap (nothing is kept)"),
                        "415": _error("Not multipart/form-data"),
                    },
                },
                "get": {
                    "summary": "The scans on this server, newest first",
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Search"},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 200}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    ],
                    "responses": {"200": _json({"type": "object"}, "{scans: [{id, status, package, label, risk…}]}")},
                },
            },
            "/api/scans/{id}": {
                "parameters": [ID],
                "get": {
                    "summary": "Status of a scan; with the report when done",
                    "responses": {"200": _json(scan, "The scan"), "404": _error("No such scan")},
                },
                "delete": {
                    "summary": "Delete the upload, its evidence, complaints and every report of it",
                    "responses": {"204": {"description": "Deleted"}, "404": _error("No such scan")},
                },
            },
            "/api/scans/{id}/report": {
                "parameters": [ID],
                "get": {
                    "summary": "The apkscan.report/1 JSON report (the HTML one: /scans/{id}/report?lang=en|zh)",
                    "responses": {
                        "200": _json({"type": "object"}, "The report"),
                        "404": _error("No such scan"),
                        "409": _error("Not done"),
                    },
                },
            },
            "/api/scans/{id}/complaints": {
                "parameters": [ID],
                "post": {
                    "summary": "Make a complaint pack (PDF, HTML, evidence zip) from a finished scan",
                    "requestBody": {"content": {"multipart/form-data": {"schema": _complaint_form()}}},
                    "responses": {
                        "202": _json(complaint, "Accepted: poll links.self"),
                        "400": _error("A field is wrong (the message names it)"),
                        "404": _error("No such scan"),
                        "409": _error("The scan is not done"),
                        "413": _error("Evidence over the upload cap"),
                    },
                },
            },
            "/api/complaints/{cid}": {
                "parameters": [CID],
                "get": {
                    "summary": "Status of a complaint; links to complaint.pdf, complaint.html and evidence.zip",
                    "responses": {"200": _json(complaint, "The complaint"), "404": _error("No such complaint")},
                },
            },
        },
        "components": {"schemas": {"Error": ERROR, "Scan": _scan_schema(), "Complaint": _complaint_schema()}},
    }
    if config.token is not None:
        doc["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"token": []}]
    return doc


def _complaint_form() -> dict[str, Any]:
    number = {"type": "number", "exclusiveMinimum": 0}
    return {
        "type": "object",
        "properties": {
            "lang": {"type": "string", "enum": list(LANGUAGES)},
            "jurisdiction": {"type": "array", "items": {"type": "string", "enum": list(JURISDICTIONS)}},
            "channel": {"type": "array", "items": {"type": "string"}, "description": "ids from channels.toml"},
            "contract_amount": number,
            "received": number,
            "repay": number,
            "days": {"type": "integer", "minimum": 1},
            "loan_date": {"type": "string", "format": "date"},
            "schedule": {"type": "string", "format": "binary", "description": "CSV of date,amount"},
            "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "evidence_kind": {"type": "string", "description": "kind of every evidence file, or auto"},
        },
    }


def _scan_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "status", "sha256", "links"],
        "properties": {
            "id": {"type": "string"},
            "status": STATUS,
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": ["string", "null"]},
            "expires_at": {"type": "string", "format": "date-time"},
            "files_deleted": {"type": "boolean"},
            "error": {"type": ["object", "null"], "properties": {"kind": {}, "message": {}}},
            "links": {"type": "object"},
            "report": {"type": "object", "description": "apkscan.report/1, when status is done"},
        },
    }


def _complaint_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "status", "links"],
        "properties": {
            "id": {"type": "string"},
            "scan": {"type": "string"},
            "status": STATUS,
            "error": {"type": ["string", "null"]},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "manifest_sha256": {"type": ["string", "null"]},
            "links": {"type": "object", "description": "self, page, and pdf/html/pack download URLs when done"},
        },
    }
