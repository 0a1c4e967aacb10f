"""The batch database: an SQLite file in OUTDIR, written by the parent process only.

Why SQLite: it is in the standard library, one file the user can copy, and ready for ``sqlite3`` or Datasette. Every
finished file is committed at once (WAL journal), so Ctrl-C or a crash of the parent keeps what finished, and a
re-run can skip it. The schema lives in ``schema.sql`` next to this module; :mod:`apkscan.batch.migrate` brings a
store written by an older apkscan up to date when it is opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from apkscan.batch import migrate
from apkscan.batch.discover import Entry
from apkscan.batch.facts import CHILD_TABLES, app_row, child_rows, partial_errors
from apkscan.model.batch import FILE_STATUSES

DB_NAME = "apkscan.sqlite"
INDEX, SUMMARY, RESULTS = "index.html", "summary.csv", "results.jsonl"  # batch-wide outputs beside it
SCHEMA_VERSION = migrate.SCHEMA_VERSION
_COLUMNS: dict[str, tuple[str, ...]] = {}


class StoreError(Exception):
    """The database cannot be used (not SQLite, newer schema, locked…); the message says which and why."""


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """Open (and create or check) ``OUTDIR/apkscan.sqlite``."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / DB_NAME
        try:
            self.conn = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open the database ({err})") from None
        try:
            self._prepare()
        except (sqlite3.Error, StoreError) as err:
            self.conn.close()
            raise StoreError(
                str(err) if isinstance(err, StoreError) else f"{self.path}: cannot use the database ({err})"
            ) from None

    def _prepare(self) -> None:
        self.conn.row_factory = sqlite3.Row
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION or version < 0:
            raise StoreError(
                f"{self.path}: database schema version {version}, this apkscan writes "
                f"{SCHEMA_VERSION}; use another output folder"
            )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        schema = files("apkscan.batch").joinpath("schema.sql").read_text(encoding="utf-8")
        if 0 < version < SCHEMA_VERSION:
            migrate.upgrade(self.conn, version, schema)
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.executescript(schema)
        self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.conn.close()

    def _insert(self, table: str, rows: Iterable[Mapping[str, Any]], verb: str = "INSERT") -> None:
        rows = list(rows)
        if not rows:
            return
        columns = _COLUMNS.get(table) or self._columns(table)
        keys = [c for c in columns if c in rows[0]]
        sql = f"{verb} INTO {table} ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)})"
        self.conn.executemany(sql, rows)

    def _columns(self, table: str) -> tuple[str, ...]:
        """Column names from the schema itself; only these ever reach an SQL string."""
        _COLUMNS[table] = tuple(r["name"] for r in self.conn.execute(f"PRAGMA table_info({table})"))
        return _COLUMNS[table]

    # -- runs -------------------------------------------------------------------------------------------------------

    def start_scan(self, meta: Mapping[str, Any]) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO scans (started_at, status, root, apkscan_version, rules_name, rules_version, rules_sha256,"
                " options_key, formats, jobs, timeout_s, max_memory_mb, resume, executor) VALUES (:started_at,"
                " 'running', :root, :apkscan_version, :rules_name, :rules_version, :rules_sha256, :options_key,"
                " :formats, :jobs, :timeout_s, :max_memory_mb, :resume, :executor)",
                {"started_at": now_utc(), "executor": "local", **meta},
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_scan(self, scan_id: int, status: str, counts: Mapping[str, int]) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE scans SET finished_at=:finished_at, status=:status, files_total=:total, scanned=:scanned,"
                " resumed=:resumed, duplicates=:duplicate, skipped=:skipped, failed=:error, pending=:pending"
                " WHERE id=:id",
                {
                    "finished_at": now_utc(),
                    "status": status,
                    "id": scan_id,
                    "total": sum(counts.values()),
                    **{s: counts.get(s, 0) for s in FILE_STATUSES},
                },
            )

    def counts(self, scan_id: int) -> dict[str, int]:
        """Files of a run by status (every status present, zeros included)."""
        rows = self.conn.execute(
            "SELECT status, COUNT(*) AS n FROM files WHERE scan_id = ? GROUP BY status", (scan_id,)
        )
        found = {r["status"]: r["n"] for r in rows}
        return {s: found.get(s, 0) for s in FILE_STATUSES}

    # -- files ------------------------------------------------------------------------------------------------------

    def add_files(self, scan_id: int, entries: list[Entry]) -> None:
        with self.conn:
            self._insert(
                "files",
                (
                    {
                        "scan_id": scan_id,
                        "path": e.rel,
                        "size": e.size,
                        "mtime_ns": e.mtime_ns,
                        "sha256": e.sha256,
                        "status": "pending" if e.status == "scan" else e.status,
                        "duplicate_of": e.duplicate_of,
                        "reason": e.reason or None,
                    }
                    for e in entries
                ),
            )
            self._insert(
                "errors",
                (
                    {"scan_id": scan_id, "path": e.rel, "kind": "input", "message": e.reason}
                    for e in entries
                    if e.status == "error"
                ),
            )

    def hash_cache(self, root: str) -> dict[tuple[str, int, int], str]:
        """SHA-256 of files seen by earlier runs over the same DIR, keyed by (path, size, mtime), to skip rehashing."""
        rows = self.conn.execute(
            "SELECT f.path, f.size, f.mtime_ns, f.sha256 FROM files f JOIN scans s ON s.id = f.scan_id"
            " WHERE s.root = ? AND f.sha256 IS NOT NULL ORDER BY f.scan_id",
            (root,),
        )
        return {(r["path"], r["size"], r["mtime_ns"]): r["sha256"] for r in rows}

    def set_status(self, scan_id: int, path: str, status: str, message: str | None = None, kind: str = "") -> None:
        """A file that got no new report (resumed, skipped, failed): its status and, when it failed, an error row."""
        with self.conn:
            self._set_status(scan_id, path, status, message, kind)

    def _set_status(self, scan_id: int, path: str, status: str, message: str | None, kind: str) -> None:
        self.conn.execute(
            "UPDATE files SET status=?, reason=? WHERE scan_id=? AND path=?", (status, message, scan_id, path)
        )
        if status == "error":
            self._insert("errors", [{"scan_id": scan_id, "path": path, "kind": kind, "message": message}])

    # -- apps -------------------------------------------------------------------------------------------------------

    def rules_label(self, rules_sha256: str) -> tuple[str, str] | None:
        """Name and version of a rule table an earlier run used, by digest (saves parsing it again)."""
        row = self.conn.execute(
            "SELECT rules_name, rules_version FROM scans WHERE rules_sha256 = ? ORDER BY id DESC LIMIT 1",
            (rules_sha256,),
        ).fetchone()
        return (row["rules_name"], row["rules_version"]) if row else None

    def done_keys(self, apkscan_version: str, rules_sha256: str, options_key: str) -> dict[str, dict[str, str]]:
        """Apps already scanned with exactly these settings, by SHA-256, with their report files by format."""
        rows = self.conn.execute(
            "SELECT a.sha256, r.format, r.file FROM apps a LEFT JOIN report_files r ON r.app_sha256 = a.sha256"
            " WHERE a.apkscan_version = ? AND a.rules_sha256 = ? AND a.options_key = ?",
            (apkscan_version, rules_sha256, options_key),
        )
        done: dict[str, dict[str, str]] = {}
        for r in rows:
            files_ = done.setdefault(r["sha256"], {})
            if r["format"] is not None:
                files_[r["format"]] = r["file"]
        return done

    def known_failures(self, apkscan_version: str, rules_sha256: str) -> dict[str, tuple[str, str]]:
        """Files a worker found unscannable for good with this apkscan version and rules: sha → (status, reason)."""
        rows = self.conn.execute(
            "SELECT sha256, status, reason FROM input_failures WHERE apkscan_version = ? AND rules_sha256 = ?",
            (apkscan_version, rules_sha256),
        )
        return {r["sha256"]: (r["status"], r["reason"]) for r in rows}

    def record_input_failure(
        self, scan_id: int, path: str, sha256: str | None, status: str, reason: str, provenance: tuple[str, str]
    ) -> None:
        """A file a worker could not read as an APK: its status and, keyed by its bytes, the verdict for later runs."""
        with self.conn:
            self._set_status(scan_id, path, status, reason, "input")
            if sha256:
                self.conn.execute(
                    "INSERT OR REPLACE INTO input_failures (sha256, status, reason, apkscan_version, rules_sha256,"
                    " scan_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (sha256, status, reason, *provenance, scan_id, now_utc()),
                )

    def record_app(
        self,
        scan_id: int,
        path: str,
        report: dict[str, Any],
        reports: Mapping[str, str],
        options_key: str,
        seconds: float,
        text: str | None = None,
    ) -> None:
        """Replace everything known about these bytes with the new report, and mark the file scanned.

        ``reports`` maps each format written to its file name in OUTDIR. ``text`` is the report as compact JSON when
        the caller already has it (workers send it that way).
        """
        text = text if text is not None else json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        row = app_row(report, scan_id=scan_id, path=path, options_key=options_key, seconds=seconds, report=text)
        sha = row["sha256"]
        with self.conn:
            self.conn.execute("DELETE FROM apps WHERE sha256 = ?", (sha,))
            self.conn.execute("DELETE FROM input_failures WHERE sha256 = ?", (sha,))
            self._insert("apps", [row])
            self._insert(
                "report_files", ({"app_sha256": sha, "format": fmt, "file": name} for fmt, name in reports.items())
            )
            for table in CHILD_TABLES:
                self._insert(table, child_rows(table, report, sha), verb="INSERT OR IGNORE")
            self._insert(
                "errors",
                (
                    {"scan_id": scan_id, "path": path, "app_sha256": sha, "kind": "partial", "message": m}
                    for m in partial_errors(report)
                ),
            )
            self.conn.execute(
                "UPDATE files SET status='scanned', reason=NULL WHERE scan_id=? AND path=?", (scan_id, path)
            )
