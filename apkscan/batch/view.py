"""Read one run back from the database as the plain data that index.html, summary.csv and results.jsonl show.

All three outputs are built from this view (never from in-memory results), so they agree with each other and with
the database, and a resumed run's outputs include the apps it did not rescan. The view covers the files of one run
(by default the latest): its DIR is the batch.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator

from apkscan.batch.changes import version_changes
from apkscan.model.batch import (
    FILE_STATUSES,
    HEADLINE_CATEGORIES,
    MIN_STEM_LABELS,
    AppRow,
    BatchView,
    Family,
    Figure,
    FileRow,
    Group,
    Signer,
)

_APPS_SQL = """
SELECT a.*, f.path AS current_path, f.status AS file_status FROM files f JOIN apps a ON a.sha256 = f.sha256
WHERE f.scan_id = ? AND f.status IN ('scanned', 'resumed') ORDER BY f.path
"""


def _per_app(conn: sqlite3.Connection, sql: str, scan_id: int) -> dict[str, list[sqlite3.Row]]:
    """Rows of a child table for the apps of this run, grouped by app."""
    grouped: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute(sql, (scan_id,)):
        grouped[row["app_sha256"]].append(row)
    return grouped


_IN_RUN = "app_sha256 IN (SELECT sha256 FROM files WHERE scan_id = ? AND status IN ('scanned', 'resumed'))"


def load_view(conn: sqlite3.Connection, scan_id: int) -> BatchView:
    """Everything the batch-wide outputs show about run ``scan_id``, in a handful of queries."""
    scan = dict(conn.execute("SELECT * FROM scans WHERE id = ?", (scan_id,)).fetchone())
    cats = _per_app(conn, f"SELECT app_sha256, category, verdict FROM categories WHERE {_IN_RUN}", scan_id)
    reads = _per_app(
        conn,
        f"SELECT app_sha256, category, COUNT(*) AS n FROM code_sites WHERE {_IN_RUN} GROUP BY app_sha256, category",
        scan_id,
    )
    signers = _per_app(
        conn,
        f"SELECT app_sha256, cert_sha256, subject, debug FROM signers WHERE {_IN_RUN} ORDER BY cert_sha256",
        scan_id,
    )
    reports = _per_app(conn, f"SELECT app_sha256, format, file FROM report_files WHERE {_IN_RUN}", scan_id)
    family = {
        r["app_sha256"]: r["family"] for r in conn.execute("SELECT * FROM families WHERE scan_id = ?", (scan_id,))
    }
    apps = tuple(_app(r, cats, reads, signers, reports, family) for r in conn.execute(_APPS_SQL, (scan_id,)))
    error_kinds = {
        r["path"]: r["kind"]
        for r in conn.execute("SELECT path, kind FROM errors WHERE scan_id = ? AND app_sha256 IS NULL", (scan_id,))
    }
    files = tuple(
        FileRow(r["path"], r["status"], r["sha256"], r["duplicate_of"], r["reason"], error_kinds.get(r["path"], ""))
        for r in conn.execute("SELECT * FROM files WHERE scan_id = ? ORDER BY path", (scan_id,))
    )
    counts = Counter(f.status for f in files)
    known = [a for a in apps if a.lending]
    # once reports say which apps lend, the headline figures count lenders only: a phone's or a download site's
    # other apps are judged against lending rules, but a Bluetooth app's contacts permission is not a lender's
    counted = [a for a in apps if a.lending == "yes"] if known else list(apps)
    with_code = [a for a in counted if a.code_sites is not None]
    figures = tuple(
        Figure(
            c,
            sum(1 for a in counted if c in a.categories),
            sum(1 for a in with_code if a.reads.get(c)) if with_code else None,
        )
        for c in HEADLINE_CATEGORIES
    )
    return BatchView(
        scan=scan,
        apps=apps,
        files=files,
        counts={s: counts.get(s, 0) for s in FILE_STATUSES},
        figures=figures,
        harassment=sum(a.harassment for a in counted),
        contradictions=sum(1 for a in counted if a.contradictions),
        code_apps=len(with_code),
        groups=signer_groups(apps) + stem_groups(apps),
        lenders=sum(1 for a in apps if a.lending == "yes"),
        lending_known=len(known),
        families=families_of(apps),
        changes=version_changes(conn, apps),
    )


def _app(r: sqlite3.Row, cats: dict, reads: dict, signers: dict, reports: dict, family: dict) -> AppRow:
    sha = r["sha256"]
    files = {f["format"]: f["file"] for f in reports.get(sha, ())}
    return AppRow(
        sha256=sha,
        path=r["current_path"],
        status=r["file_status"],
        package=r["package"] or "",
        label=r["label"] or "",
        label_zh=r["label_zh"] or "",
        version_name=r["version_name"] or "",
        version_code=r["version_code"] or "",
        kind=r["kind"] or "",
        risk=r["risk"] or "",
        harassment=bool(r["harassment"]),
        permissions=r["permissions"] or 0,
        prohibited=r["prohibited"] or 0,
        unrelated=r["unrelated"] or 0,
        conditional=r["conditional"] or 0,
        findings=r["findings"] or 0,
        contradictions=r["policy_contradictions"] or 0,
        code_sites=r["code_sites"],
        read_errors=r["read_errors"] or 0,
        scanned_at=r["scanned_at"],
        reports=files,
        categories={c["category"]: c["verdict"] for c in cats.get(sha, ())},
        reads={c["category"]: c["n"] for c in reads.get(sha, ())},
        signers=tuple(Signer(s["cert_sha256"], s["subject"] or "", bool(s["debug"])) for s in signers.get(sha, ())),
        lending=r["lending"] or "",
        lending_score=r["lending_score"],
        harvest=r["harvest"] or "",
        family=family.get(sha, ""),
    )


def families_of(apps: tuple[AppRow, ...]) -> tuple[Family, ...]:
    """Families with two or more members, largest first; a family spanning several signing keys is a re-skin.

    Certificates of one APK are one signer: a key-rotated APK carries its old key (v1/v2) and its new one (v3, with
    the lineage linking them), so the keys a family spans are counted after joining the certificates of each member.
    """
    members: dict[str, list[AppRow]] = defaultdict(list)
    for a in apps:
        if a.family:
            members[a.family].append(a)
    return tuple(
        Family(fid, tuple(group), signing_identities(group))
        for fid, group in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(group) > 1
    )


def signing_identities(apps: list[AppRow]) -> tuple[str, ...]:
    """One certificate (the oldest-named, by SHA-256) per signer of these apps, joining the certificates each APK
    carries together."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for a in apps:
        certs = [s.sha256 for s in a.signers]
        for other in certs[1:]:
            parent[find(other)] = find(certs[0])
        for c in certs[:1]:
            find(c)
    return tuple(sorted({find(c) for c in parent}))


def package_stem(package: str) -> str | None:
    """The namespace above the app's own name (``com.acme.cash7`` → ``com.acme``); None when too short to mean much."""
    labels = [p for p in package.split(".") if p]
    return ".".join(labels[:-1]) if len(labels) > MIN_STEM_LABELS else None


def signer_groups(apps: tuple[AppRow, ...]) -> tuple[Group, ...]:
    """Certificates that sign two or more apps of the batch."""
    by_cert: dict[str, list[AppRow]] = defaultdict(list)
    info: dict[str, Signer] = {}
    for a in apps:
        for s in a.signers:
            by_cert[s.sha256].append(a)
            info.setdefault(s.sha256, s)
    return tuple(
        Group("signer", cert, info[cert].subject, info[cert].debug, tuple(members))
        for cert, members in sorted(by_cert.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(members) > 1
    )


def stem_groups(apps: tuple[AppRow, ...]) -> tuple[Group, ...]:
    """Package-name stems shared by two or more *different* packages (versions of one app are not a group)."""
    by_stem: dict[str, list[AppRow]] = defaultdict(list)
    for a in apps:
        if stem := package_stem(a.package):
            by_stem[stem].append(a)
    return tuple(
        Group("stem", stem, stem, False, tuple(members))
        for stem, members in sorted(by_stem.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len({m.package for m in members}) > 1
    )


_FAMILY_KEY = '"family":{"features":'


def iter_reports(conn: sqlite3.Connection, scan_id: int) -> Iterator[str]:
    """The stored JSON report of every app of the run, in path order, one string each (for results.jsonl), with the
    run's family id written into its ``family`` block (``family.id``)."""
    families = {
        r["app_sha256"]: r["family"] for r in conn.execute("SELECT * FROM families WHERE scan_id = ?", (scan_id,))
    }
    sql = _APPS_SQL.replace("SELECT a.*, f.path AS current_path, f.status AS file_status", "SELECT a.sha256, a.report")
    for row in conn.execute(sql, (scan_id,)):
        yield with_family(row["report"], families.get(row["sha256"], ""))


def with_family(report: str, family: str) -> str:
    """The compact report text with ``"id"`` first in its top-level ``family`` block. The block is found by its
    last occurrence: the report's own strings cannot hold an unescaped quote, so only structure matches."""
    at = report.rfind(_FAMILY_KEY)
    if not family or at < 0:
        return report
    rest = report[at + len(_FAMILY_KEY) :]
    return report[:at] + '"family":{"id":' + json.dumps(family) + ',"features":' + rest
