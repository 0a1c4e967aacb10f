"""SARIF 2.1.0 export, for CI users: an app store, a bank or a regulator running apkscan in a pipeline.

Code-scanning dashboards (GitHub, GitLab, Azure DevOps) read SARIF. Each finding is a result whose ``ruleId`` is the
finding id's kind (``over-collection``, ``contact-harassment``…), with the category in its properties; the location
is the scanned file, and call sites of the code evidence become logical locations (class and method), since an APK
has no source lines. Levels: critical and high → ``error``, medium → ``warning``, low and info → ``note``.
"""

from __future__ import annotations

import json
from typing import Any

from apkscan.model import Finding, Report
from apkscan.render.i18n import say
from apkscan.render.registry import RenderContext, Renderer

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def rule_id(finding: Finding) -> str:
    """The stable kind of a finding (``over-collection:sms`` → ``over-collection``)."""
    return finding.id.split(":", 1)[0]


def sarif_dict(report: Report, lang: str) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in report.findings:
        rid = rule_id(f)
        rules.setdefault(
            rid, {"id": rid, "name": rid.replace("-", " "), "shortDescription": {"text": say(f.title, lang)}}
        )
        text = say(f.title, lang) + (f" — {say(f.detail, lang)}" if f.detail else "")
        results.append(
            {
                "ruleId": rid,
                "level": LEVELS.get(f.severity, "note"),
                "message": {"text": text},
                "locations": [_location(report, f)],
                "partialFingerprints": {"apkscanFinding/v1": f"{report.input.sha256}:{f.id}"},
                "properties": {
                    "finding": f.id,
                    "severity": f.severity,
                    "security-severity": SECURITY_SEVERITY.get(f.severity, "1.0"),
                    "category": f.category,
                    "permissions": list(f.permissions),
                    "evidence": [say(e, lang) for e in f.evidence],
                },
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "apkscan",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "rules": list(rules.values()),
                    }
                },
                "artifacts": [{"location": {"uri": report.input.name}, "hashes": {"sha-256": report.input.sha256}}],
                "results": results,
                "properties": {
                    "package": report.app.package if report.app else "",
                    "risk": report.summary.risk,
                    "rules_sha256": report.rules.sha256,
                },
            }
        ],
    }


def _location(report: Report, finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": report.input.name, "index": 0}}}
    sites = [s for s in (report.code.call_sites if report.code else ()) if set(finding.permissions) & _perms(s)]
    if sites:
        location["logicalLocations"] = [
            {"fullyQualifiedName": f"{s.caller_class}.{s.caller_method}", "kind": "function"} for s in sites[:10]
        ]
    return location


def _perms(site: Any) -> set[str]:
    return {p for p in (site.permission, *site.alt_permissions) if p}


def _render(report: Report, ctx: RenderContext) -> bytes:
    return json.dumps(sarif_dict(report, ctx.lang), ensure_ascii=False, indent=2).encode("utf-8")


RENDERER = Renderer(kind="report", name="sarif", suffix=".sarif", media_type="application/sarif+json", render=_render)
