"""Bring a batch database written by an older apkscan up to the current schema, in place and in one transaction.

Why in place: a store holds the history of every run (what was scanned when, with which rules); asking users to start
a new OUTDIR after an upgrade would throw that away and make them rescan everything. Each step is one function, run
inside a single transaction with the new ``user_version``, so a failed upgrade leaves the old store untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 4


def _v1_to_v2(conn: sqlite3.Connection, schema: str) -> None:
    """Report files move from one column per format (``apps.html_report``, ``apps.json_report``) to the child table
    ``report_files``, so formats added later need no schema change; ``input_failures`` and ``scans.executor`` are new.
    """
    for statement in _statements(schema):  # creates the new tables; existing ones are left as they are
        conn.execute(statement)
    conn.execute("ALTER TABLE scans ADD COLUMN executor TEXT")
    for fmt in ("html", "json"):
        conn.execute(
            f"INSERT OR IGNORE INTO report_files (app_sha256, format, file) SELECT sha256, '{fmt}', {fmt}_report"
            f" FROM apps WHERE {fmt}_report IS NOT NULL AND {fmt}_report != ''"
        )
    for fmt in ("html", "json"):
        conn.execute(f"ALTER TABLE apps DROP COLUMN {fmt}_report")


def _v2_to_v3(conn: sqlite3.Connection, schema: str) -> None:
    """``apkscan serve`` keeps its uploads and complaints in the same store as the batch (one schema for both), in
    the new tables ``uploads`` and ``complaints``; nothing existing changes."""
    for statement in _statements(schema):  # CREATE … IF NOT EXISTS: only the new tables and indexes are made
        conn.execute(statement)


#: Columns version 4 adds to ``apps`` (issue 12: know the lender).
V4_APP_COLUMNS = (
    ("lending", "TEXT"),
    ("lending_score", "REAL"),
    ("harvest", "TEXT"),
    ("family_features", "INTEGER"),
    ("family_sketch", "TEXT"),
)
V4_FAMILIES = """CREATE TABLE IF NOT EXISTS families (
    scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    family     TEXT NOT NULL,
    PRIMARY KEY (scan_id, app_sha256)
)"""


def _v3_to_v4(conn: sqlite3.Connection, schema: str) -> None:
    """Is it a lender, what its code does with contacts, its code-family sketch: new ``apps`` columns (NULL for apps
    scanned before: their reports do not say), and the ``families`` table of each run. Self-contained (it does not
    read ``schema``), so another branch's step can be renumbered around it."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(apps)")}
    for name, kind in V4_APP_COLUMNS:
        if name not in present:
            conn.execute(f"ALTER TABLE apps ADD COLUMN {name} {kind}")
    conn.execute(V4_FAMILIES)
    conn.execute("CREATE INDEX IF NOT EXISTS families_family ON families(scan_id, family)")


STEPS: dict[int, Callable[[sqlite3.Connection, str], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def _statements(script: str) -> list[str]:
    """Split a schema script into statements (it has no semicolons inside strings or triggers)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def upgrade(conn: sqlite3.Connection, version: int, schema: str) -> None:
    """Run every step from ``version`` to :data:`SCHEMA_VERSION` in one transaction (all or nothing)."""
    conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        while version < SCHEMA_VERSION:
            STEPS[version](conn, schema)
            version += 1
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
