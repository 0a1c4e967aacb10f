"""The "what changed" entries of a batch: apps that share a package name across versions, each newer version
compared with the one before it (the same comparison as ``apkscan diff``, on the reports the store keeps).

Only apps with a shared package are read back from their stored JSON (a handful in a typical folder), so this adds
nothing to a batch of unrelated apps.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from apkscan.diff import diff_reports
from apkscan.model.batch import AppRow, VersionChange
from apkscan.read.errors import InputError
from apkscan.read.report_json import report_from_dict

MAX_VERSIONS = 20  # per package: a folder with hundreds of builds of one app shows its latest ones


def _version_key(app: AppRow) -> tuple[int, str, str]:
    code = int(app.version_code) if app.version_code.isdigit() else -1
    return code, app.version_name, app.sha256


def version_changes(conn: sqlite3.Connection, apps: tuple[AppRow, ...]) -> tuple[VersionChange, ...]:
    by_package: dict[str, list[AppRow]] = defaultdict(list)
    for app in apps:
        if app.package:
            by_package[app.package].append(app)
    out: list[VersionChange] = []
    for package, versions in sorted(by_package.items()):
        if len(versions) < 2:
            continue
        ordered = sorted(versions, key=_version_key)[-MAX_VERSIONS:]
        reports = {a.sha256: _report(conn, a.sha256) for a in ordered}
        for old, new in zip(ordered, ordered[1:], strict=False):
            if (old.version_code, old.version_name) == (new.version_code, new.version_name):
                continue  # one version packed twice (an APK and a bundle of it): nothing changed between versions
            before, after = reports[old.sha256], reports[new.sha256]
            if before is None or after is None:
                continue
            d = diff_reports(before, after)
            out.append(
                VersionChange(
                    package=package,
                    old=old,
                    new=new,
                    headline=d.headline,
                    signer=d.signer.relation,
                    permissions_added=tuple(p.name for p in d.permissions_added),
                    categories_read_added=d.categories_read_added,
                    findings_added=len(d.findings_added),
                    findings_resolved=len(d.findings_resolved),
                )
            )
    return tuple(out)


def _report(conn: sqlite3.Connection, sha: str):  # noqa: ANN202 - a Report or None
    row = conn.execute("SELECT report FROM apps WHERE sha256 = ?", (sha,)).fetchone()
    if row is None:
        return None
    try:
        return report_from_dict(json.loads(row[0]))
    except (InputError, TypeError, ValueError, KeyError):  # a stored report this version cannot read back
        return None
