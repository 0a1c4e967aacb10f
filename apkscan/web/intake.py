"""Accept an upload or a complaint request: one code path for the page's forms and the JSON API.

Both read the multipart body as it streams (:mod:`.upload`), keep the files under names of the server's choosing
(:mod:`.storage`), record the job in the store and queue it. A file already scanned with the same apkscan version,
rules and options gets a new upload whose report is there at once (the API answers 200 instead of 202).
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.requests import Request

from apkscan.complaint.channels import load_channels
from apkscan.complaint.evidence_data import load_evidence_kinds
from apkscan.model.vocab import JURISDICTIONS, LANGUAGES
from apkscan.web import records
from apkscan.web.config import ServeConfig
from apkscan.web.security import CSRF_COOKIE, CSRF_FIELD, csrf_ok
from apkscan.web.service import Service, report_file
from apkscan.web.storage import new_id
from apkscan.web.tasks import POLICY_NAME
from apkscan.web.upload import Form, FormError, read_form

UPLOAD_FIELDS = ("file", "policy")
COMPLAINT_FIELDS = ("evidence", "schedule")


@dataclass(frozen=True)
class Accepted:
    id: str
    status: str  # queued, or done when an earlier report of the same bytes and settings was reused


async def form_of(request: Request, service: Service, file_fields: tuple[str, ...], max_bytes: int,
                  check_csrf: bool) -> Form:  # fmt: skip
    if check_csrf and not request.cookies.get(CSRF_COOKIE):  # refused before a byte of the body is stored
        raise FormError("the form has expired: reload the page and send it again", 403)
    form = await read_form(
        request.stream(),
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        service.data,
        file_fields,
        max_bytes,
    )
    if check_csrf and not csrf_ok(request, form.value(CSRF_FIELD)):
        form.discard()
        raise FormError("the form has expired: reload the page and send it again", 403)
    return form


async def accept_upload(request: Request, service: Service, check_csrf: bool) -> Accepted:
    """Store the uploaded app (and policy) and queue its scan; :class:`FormError` for a request to refuse."""
    config: ServeConfig = service.config
    data = service.data
    form = await form_of(request, service, UPLOAD_FIELDS, config.max_upload, check_csrf)
    try:
        app = form.file("file")
        if app is None or app.size == 0:
            raise FormError("no file: choose the APK (or XAPK, APKS, APKM) to check", key="web.error.no_file")
        policy = form.file("policy")
        policy_sha = policy.sha256 if policy is not None and policy.size > 0 else None
        options = config.scan_options(data.policy_path(policy_sha) if policy_sha else None)
        key = service.settings.key(options)
        conn = service.store().conn
        upload_id = new_id()
        row: dict[str, object] = {
            "id": upload_id,
            "sha256": app.sha256,
            "size": app.size,
            "policy_sha256": policy_sha,
            "status": "queued",
            "apkscan_version": service.settings.version,
            "rules_sha256": service.settings.rules_sha256,
            "options_key": key,
            "created_at": records.now_utc(),
            "expires_at": records.later(config.retention_days),
        }
        settings = service.settings
        with service.lock:  # a deletion or sweep must not remove the stored file between keeping it and the row
            data.keep(app.path, data.app_path(app.sha256))
            if policy is not None and policy_sha:
                data.keep(policy.path, data.policy_path(policy_sha))
            known = records.known_report(conn, app.sha256, settings.version, settings.rules_sha256, key)
            if known is not None:
                now = records.now_utc()
                row |= {"status": "done", "report": known, "started_at": now, "finished_at": now, "seconds": 0.0}
                row |= records.facts(json.loads(known))
            records.insert_upload(conn, row)
    finally:
        form.discard()
    if known is None:
        service.submit("scan", upload_id)
    return Accepted(upload_id, "queued" if known is None else "done")


# -- complaints -------------------------------------------------------------------------------------------------------


def _number(form: Form, name: str, integer: bool = False) -> float | int | None:
    text = form.value(name).replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise FormError(f"{name}: not a number ({text[:30]!r})") from None
    if not math.isfinite(value) or value <= 0 or value > 1e12:
        raise FormError(f"{name}: must be a positive number")
    return value


def complaint_request(form: Form) -> dict:
    """The borrower's choices as the JSON kept in ``complaints.request``; :class:`FormError` names a bad field."""
    lang = form.value("lang", "en")
    if lang not in LANGUAGES:
        raise FormError(f"lang: choose one of {', '.join(LANGUAGES)}")
    jurisdictions = [j for j in form.values("jurisdiction") if j != "auto"]
    bad = [j for j in jurisdictions if j not in JURISDICTIONS]
    if bad:
        raise FormError(f"jurisdiction: unknown {bad[0][:40]!r}")
    known_channels = {c.id for c in load_channels()}
    channels = form.values("channel")
    bad = [c for c in channels if c not in known_channels]
    if bad:
        raise FormError(f"channel: unknown {bad[0][:40]!r}")
    loan_date = form.value("loan_date")
    if loan_date:
        try:
            date.fromisoformat(loan_date)
        except ValueError:
            raise FormError("loan_date: write the date as YYYY-MM-DD") from None
    schedule = form.file("schedule")
    loan = {
        "contract_amount": _number(form, "contract_amount"),
        "received": _number(form, "received"),
        "repay": _number(form, "repay"),
        "days": _number(form, "days", integer=True),
        "loan_date": loan_date or None,
        "schedule": bool(schedule and schedule.size),
    }
    single = [loan[k] for k in ("received", "repay", "days")]
    if any(v is not None for v in single) and not all(v is not None for v in single):
        raise FormError("loan: give the money received, the total to repay and the days, or none of them")
    if loan["schedule"] and any(v is not None for v in single):
        raise FormError("loan: give either a repayment schedule or the three figures, not both")
    evidence = [p for p in form.files.get("evidence", []) if p.size > 0]
    kinds = load_evidence_kinds()
    kind = form.value("evidence_kind", "auto")
    if kind != "auto" and kind not in kinds.kinds:
        raise FormError(f"evidence_kind: unknown {kind[:40]!r}")
    return {
        "lang": lang,
        "jurisdictions": jurisdictions,
        "channels": channels,
        "loan": loan,
        "evidence_files": len(evidence),
        "evidence_kind": kind,
    }


async def accept_complaint(request: Request, service: Service, upload_id: str, check_csrf: bool) -> Accepted:
    """Store the borrower's evidence and figures and queue the complaint pack of a scanned upload."""
    conn = service.store().conn
    _complaint_possible(records.upload(conn, upload_id))
    form = await form_of(request, service, COMPLAINT_FIELDS, service.config.max_upload, check_csrf)
    try:
        asked = complaint_request(form)
        complaint_id = new_id()
        data = service.data
        with service.lock:  # the upload may have been deleted while the form streamed in
            row = _complaint_possible(records.upload(conn, upload_id))
            folder = data.complaint_dir(upload_id, complaint_id)
            folder.mkdir(parents=True)
            report_file(data, upload_id, row["report"])
            if row["policy_sha256"] and data.policy_path(row["policy_sha256"]).is_file():
                shutil.copyfile(data.policy_path(row["policy_sha256"]), folder / POLICY_NAME)
            schedule = form.file("schedule")
            if schedule is not None and schedule.size:
                data.keep(schedule.path, folder / "schedule.csv")
            _keep_evidence(form, folder / "evidence", asked["evidence_kind"])
            records.insert_complaint(conn, complaint_id, upload_id, asked["lang"], asked)
    finally:
        form.discard()
    service.submit("complaint", complaint_id)
    return Accepted(complaint_id, "queued")


def _complaint_possible(row: sqlite3.Row | None) -> sqlite3.Row:
    if row is None:
        raise FormError("no such scan", 404)
    if row["status"] != "done":
        raise FormError("this scan has no report: a complaint needs a finished scan", 409, "web.error.not_done")
    return row


def _keep_evidence(form: Form, root: Path, kind: str) -> None:
    """Evidence files as ``evidence/NNN.<known extension>`` with an ``index.csv`` that gives each its kind (the one
    chosen, or none: the complaint then decides from the extension) and, as its description, the client's file name
    (text in the complaint, never a path)."""
    parts = [p for p in form.files.get("evidence", []) if p.size > 0]
    if not parts:
        return
    root.mkdir(parents=True)
    kinds = load_evidence_kinds()
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["path", "kind", "description", "date"])
    for n, part in enumerate(parts, start=1):
        ext = part.client_name.rpartition(".")[2].lower() if "." in part.client_name else ""
        name = f"{n:03d}.{ext}" if ext and ext in kinds.extensions else f"{n:03d}.bin"
        part.path.replace(root / name)
        writer.writerow([name, "" if kind == "auto" else kind, part.client_name, ""])
    (root / kinds.index_names[0]).write_text(rows.getvalue(), encoding="utf-8")
