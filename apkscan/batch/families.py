"""Group the apps of one run into code families, once, in the parent, after the scans.

Each worker's report carries the MinHash sketch of the app's own code (``family.sketch``); grouping compares the
sketches of the whole run with locality-sensitive hashing (:mod:`apkscan.evaluate.families`), which stays a fraction
of a second for a thousand apps, so it never dominates the batch. The result replaces the run's rows of the
``families`` table; apps without a sketch (scanned with ``--no-code``, or before schema version 3) each stay alone.
"""

from __future__ import annotations

import sqlite3

from apkscan.evaluate.families import FamilySignature, family_of, group_families

_RUN_APPS = (
    "SELECT a.sha256, a.family_sketch FROM files f JOIN apps a ON a.sha256 = f.sha256"
    " WHERE f.scan_id = ? AND f.status IN ('scanned', 'resumed')"
)


def group_run(conn: sqlite3.Connection, scan_id: int) -> dict[str, str]:
    """Family id of every app of run ``scan_id`` (stored in ``families``); returns app SHA-256 -> family id."""
    signatures: dict[str, FamilySignature] = {}
    alone: list[str] = []
    for sha, text in conn.execute(_RUN_APPS, (scan_id,)):
        try:
            signatures[sha] = FamilySignature.from_hex(text) if text else FamilySignature((), 0)
        except ValueError:
            alone.append(sha)
    every = {sha: signatures.get(sha, FamilySignature((), 0)) for sha in [*alone, *signatures]}
    families = family_of(group_families(every))  # apps without features each make a family of their own
    with conn:
        conn.execute("DELETE FROM families WHERE scan_id = ?", (scan_id,))
        conn.executemany(
            "INSERT INTO families (scan_id, app_sha256, family) VALUES (?, ?, ?)",
            [(scan_id, sha, fam) for sha, fam in sorted(families.items())],
        )
    return families
