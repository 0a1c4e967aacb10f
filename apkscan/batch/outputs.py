"""Write the batch-wide outputs (index.html, summary.csv, results.jsonl) from the database.

Each is written to a temporary file inside OUTDIR and renamed into place, so a reader never sees half a file and an
interrupted run leaves the previous complete version. Nothing is written outside OUTDIR.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from apkscan.batch.store import DB_NAME, INDEX, RESULTS, SUMMARY
from apkscan.batch.view import iter_reports, load_view
from apkscan.knowledge.rules import RuleTable
from apkscan.model.batch import BatchView
from apkscan.render.index_html import render_index
from apkscan.render.summary_csv import render_summary_csv


def write_atomic(outdir: Path, name: str, chunks: Iterable[str], newline: str | None = None) -> Path:
    """Write ``OUTDIR/name`` via a temporary file in the same folder and an atomic rename."""
    target = outdir / name
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=outdir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_outputs(conn: sqlite3.Connection, scan_id: int, outdir: Path, rules: RuleTable, lang: str) -> BatchView:
    """Regenerate all three files for run ``scan_id``; returns the view they were built from."""
    view = load_view(conn, scan_id)
    write_atomic(outdir, RESULTS, (line + "\n" for line in iter_reports(conn, scan_id)))
    write_atomic(outdir, SUMMARY, [render_summary_csv(view)], newline="")
    write_atomic(outdir, INDEX, [render_index(view, rules, lang, DB_NAME)])
    return view
