"""The JSON report: a stable interface (``apkscan.report/1``) documented in README.md.

Field names only ever get added within schema version 1; anything renamed or removed bumps the version.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from apkscan.model import Report

SCHEMA = "apkscan.report/1"


def report_dict(report: Report) -> dict[str, Any]:
    app = asdict(report.app) if report.app else None
    return {
        "schema": SCHEMA,
        "tool": {"name": "apkscan", "version": report.tool_version, "rules": asdict(report.rules)},
        "scanned_at": report.scanned_at,
        "lang": report.lang,
        "jurisdictions": list(report.jurisdictions),
        "input": asdict(report.input),
        "app": app,
        "summary": asdict(report.summary),
        "permissions": [asdict(p) for p in report.permissions],
        "findings": [asdict(f) for f in report.findings],
        "code": report.code,
        "policy": report.policy,
        "errors": list(report.errors),
    }


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2, sort_keys=False)
