"""The web front end's rows in the batch store: uploads and complaints (schema v3), read and written in one place.

Every function takes an open connection of :class:`apkscan.batch.store.Store` (each thread has its own), so the
schema, its migrations and the app rows the batch writes stay the store's business; this module only knows the two
tables the server adds and how the history page searches them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from apkscan.batch.store import now_utc

UPLOAD_STATUSES = ("queued", "running", "done", "failed")


def later(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def insert_upload(conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
    keys = list(row)
    with conn:
        conn.execute(f"INSERT INTO uploads ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)})", row)


def upload(conn: sqlite3.Connection, upload_id: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = conn.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
    return found


def known_report(conn: sqlite3.Connection, sha256: str, version: str, rules_sha256: str, key: str) -> str | None:
    """A report of these bytes made with the same apkscan, rules and options: by an earlier upload or a batch."""
    row = conn.execute(
        "SELECT report FROM uploads WHERE sha256 = ? AND apkscan_version = ? AND rules_sha256 = ? AND options_key = ?"
        " AND status = 'done' AND report IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
        (sha256, version, rules_sha256, key),
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT report FROM apps WHERE sha256 = ? AND apkscan_version = ? AND rules_sha256 = ? AND options_key = ?",
            (sha256, version, rules_sha256, key),
        ).fetchone()
    return row[0] if row else None


def facts(report: Mapping[str, Any]) -> dict[str, Any]:
    """The columns the history shows and searches, from a report dict."""
    app: dict[str, Any] = report["app"] if isinstance(report.get("app"), dict) else {}
    summary: dict[str, Any] = report["summary"] if isinstance(report.get("summary"), dict) else {}
    return {
        "package": app.get("package"),
        "label": app.get("label"),
        "label_zh": app.get("label_zh"),
        "risk": summary.get("risk"),
    }


def mark_running(conn: sqlite3.Connection, table: str, row_id: str) -> bool:
    """queued → running; False when the row is gone (deleted meanwhile) or not queued any more."""
    assert table in ("uploads", "complaints")
    column = ", started_at = :now" if table == "uploads" else ""
    with conn:
        cur = conn.execute(
            f"UPDATE {table} SET status = 'running'{column} WHERE id = :id AND status IN ('queued', 'running')",
            {"id": row_id, "now": now_utc()},
        )
    return cur.rowcount == 1


def finish_upload(conn: sqlite3.Connection, upload_id: str, report_text: str, seconds: float, scan_id: int) -> None:
    report = json.loads(report_text)
    with conn:
        conn.execute(
            "UPDATE uploads SET status = 'done', report = :report, finished_at = :now, seconds = :seconds,"
            " scan_id = :scan_id, error = NULL, error_kind = NULL, package = :package, label = :label,"
            " label_zh = :label_zh, risk = :risk WHERE id = :id",
            {
                "id": upload_id,
                "report": report_text,
                "now": now_utc(),
                "seconds": seconds,
                "scan_id": scan_id,
                **facts(report),
            },
        )


def fail_upload(conn: sqlite3.Connection, upload_id: str, kind: str, error: str, seconds: float) -> None:
    with conn:
        conn.execute(
            "UPDATE uploads SET status = 'failed', error_kind = ?, error = ?, finished_at = ?, seconds = ?"
            " WHERE id = ?",
            (kind, error[:500], now_utc(), seconds, upload_id),
        )


def insert_complaint(conn: sqlite3.Connection, complaint_id: str, upload_id: str, lang: str, request: dict) -> None:
    with conn:
        conn.execute(
            "INSERT INTO complaints (id, upload_id, status, lang, request, created_at)"
            " VALUES (?, ?, 'queued', ?, ?, ?)",
            (complaint_id, upload_id, lang, json.dumps(request, ensure_ascii=False), now_utc()),
        )


def complaint(conn: sqlite3.Connection, complaint_id: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = conn.execute("SELECT * FROM complaints WHERE id = ?", (complaint_id,)).fetchone()
    return found


def finish_complaint(conn: sqlite3.Connection, complaint_id: str, result: Mapping[str, Any]) -> None:
    with conn:
        conn.execute(
            "UPDATE complaints SET status = 'done', files = ?, manifest_sha256 = ?, warnings = ?, finished_at = ?"
            " WHERE id = ?",
            (
                json.dumps(result.get("files") or {}),
                result.get("manifest_sha256"),
                json.dumps(result.get("warnings") or [], ensure_ascii=False),
                now_utc(),
                complaint_id,
            ),
        )


def fail_complaint(conn: sqlite3.Connection, complaint_id: str, error: str) -> None:
    with conn:
        conn.execute(
            "UPDATE complaints SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
            (error[:500], now_utc(), complaint_id),
        )


def unfinished(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Jobs a stopped server left queued or running, oldest first: ("scan" | "complaint", id)."""
    rows = conn.execute(
        "SELECT 'scan', id, created_at FROM uploads WHERE status IN ('queued', 'running')"
        " UNION ALL SELECT 'complaint', id, created_at FROM complaints WHERE status IN ('queued', 'running')"
        " ORDER BY 3"
    )
    return [(r[0], r[1]) for r in rows]


def queue_position(conn: sqlite3.Connection, upload_id: str, created_at: str) -> int:
    """How many scans were queued before this one and wait still."""
    row = conn.execute(
        "SELECT count(*) FROM uploads WHERE status = 'queued' AND (created_at < ? OR (created_at = ? AND id < ?))",
        (created_at, created_at, upload_id),
    ).fetchone()
    return int(row[0])


def history(conn: sqlite3.Connection, query: str = "", limit: int = 50, offset: int = 0) -> list[sqlite3.Row]:
    """Uploads, newest first, optionally those whose package, label or SHA-256 contains ``query``."""
    sql = (
        "SELECT id, sha256, size, status, error_kind, created_at, finished_at, expired, package, label, label_zh, risk"
        " FROM uploads"
    )
    params: list[Any] = []
    if query:
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql += (
            " WHERE package LIKE ? ESCAPE '\\' OR label LIKE ? ESCAPE '\\' OR label_zh LIKE ? ESCAPE '\\'"
            " OR sha256 LIKE ? ESCAPE '\\'"
        )
        params += [like, like, like, like.lower()]
    sql += " ORDER BY created_at DESC, id LIMIT ? OFFSET ?"
    return list(conn.execute(sql, [*params, limit, offset]))


def expired(conn: sqlite3.Connection, now: str) -> list[sqlite3.Row]:
    rows = conn.execute(
        "SELECT * FROM uploads WHERE expired = 0 AND expires_at <= ? AND status IN ('done', 'failed')", (now,)
    )
    return list(rows)


def still_used(conn: sqlite3.Connection, column: str, sha256: str) -> bool:
    """Does a live (unexpired) upload still need the file with this SHA-256?"""
    assert column in ("sha256", "policy_sha256")
    row = conn.execute(f"SELECT 1 FROM uploads WHERE {column} = ? AND expired = 0 LIMIT 1", (sha256,)).fetchone()
    return row is not None
