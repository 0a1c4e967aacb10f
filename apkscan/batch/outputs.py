"""Write the batch-wide outputs (index.html, summary.csv, results.jsonl) from the database.

Each is written to a temporary file inside OUTDIR and renamed into place, so a reader never sees half a file and an
interrupted run leaves the previous complete version. Nothing is written outside OUTDIR.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from apkscan.batch.atomic import write_atomic
from apkscan.batch.store import DB_NAME, INDEX, RESULTS, SUMMARY
from apkscan.batch.view import iter_reports, load_view
from apkscan.knowledge.rules import RuleTable
from apkscan.model.batch import BatchView
from apkscan.render.index_html import render_index
from apkscan.render.summary_csv import render_summary_csv


def write_outputs(conn: sqlite3.Connection, scan_id: int, outdir: Path, rules: RuleTable, lang: str) -> BatchView:
    """Regenerate all three files for run ``scan_id`` (its families grouped already); returns the view they were
    built from."""
    view = load_view(conn, scan_id)
    write_atomic(outdir, RESULTS, (line + "\n" for line in iter_reports(conn, scan_id)))
    write_atomic(outdir, SUMMARY, [render_summary_csv(view)], newline="")
    write_atomic(outdir, INDEX, [render_index(view, rules, lang, DB_NAME)])
    return view
