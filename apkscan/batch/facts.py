"""Flatten one JSON report (``apkscan.report/1``) into database rows, one row per fact.

Works on the report *dict*, not the dataclasses, because that is what workers send back and what the database keeps;
and reads the ``code`` and ``policy`` sections defensively (``.get`` everywhere), since other parts of apkscan fill
them and either may be ``None`` or grow new keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

CHILD_TABLES = ("categories", "permissions", "findings", "code_sites", "sdks", "policy_categories", "signers")
CONTRADICTION_PREFIX = "policy-contradiction:"


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _csv(value: Any) -> str:
    return ",".join(str(v) for v in _list(value))


def call_sites(report: Mapping[str, Any]) -> list[dict]:
    return [s for s in _list(_dict(report.get("code")).get("call_sites")) if isinstance(s, dict)]


def contradictions(report: Mapping[str, Any]) -> int:
    return sum(1 for f in _list(report.get("findings")) if str(_dict(f).get("id", "")).startswith(CONTRADICTION_PREFIX))


def app_row(doc: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """The ``apps`` row: identity, headline numbers and the provenance that decides resuming."""
    report = doc
    app, summary, source = _dict(report.get("app")), _dict(report.get("summary")), _dict(report.get("input"))
    counts, tool = _dict(summary.get("counts")), _dict(report.get("tool"))
    lending, family = _dict(app.get("lending")), _dict(report.get("family"))
    return {
        "sha256": source.get("sha256"),
        "file_name": source.get("name"),
        "kind": source.get("kind"),
        "size": source.get("size"),
        "sha1": source.get("sha1"),
        "md5": source.get("md5"),
        "package": app.get("package"),
        "label": app.get("label"),
        "label_zh": app.get("label_zh"),
        "version_name": app.get("version_name"),
        "version_code": app.get("version_code"),
        "min_sdk": app.get("min_sdk"),
        "target_sdk": app.get("target_sdk"),
        "risk": summary.get("risk"),
        "harassment": int(bool(summary.get("harassment_risk"))),
        "headline": summary.get("headline"),
        "permissions": len(_list(report.get("permissions"))),
        **{k: counts.get(k, 0) for k in ("prohibited", "unrelated", "conditional", "needed", "unknown")},
        "findings": len(_list(report.get("findings"))),
        "policy_contradictions": contradictions(report),
        "code_sites": len(call_sites(report)) if isinstance(report.get("code"), dict) else None,
        "read_errors": len(_list(report.get("errors"))),
        "apkscan_version": tool.get("version"),
        "rules_sha256": _dict(tool.get("rules")).get("sha256"),
        "scanned_at": report.get("scanned_at"),
        "lending": lending.get("decision"),
        "lending_score": lending.get("score"),
        "harvest": _dict(report.get("harvest")).get("harassment"),
        "family_features": family.get("features"),
        "family_sketch": family.get("sketch"),
        **extra,
    }


def child_rows(table: str, report: Mapping[str, Any], sha: str) -> Iterator[dict[str, Any]]:
    """Rows of one child table of ``apps`` for this report."""
    for row in _ROWS[table](report):
        yield {"app_sha256": sha, **row}


def partial_errors(report: Mapping[str, Any]) -> list[str]:
    return [str(e) for e in _list(report.get("errors"))]


def _categories(report: Mapping[str, Any]) -> Iterator[dict]:
    for category, verdict in _dict(_dict(report.get("summary")).get("categories")).items():
        yield {"category": category, "verdict": verdict}


def _permissions(report: Mapping[str, Any]) -> Iterator[dict]:
    for p in map(_dict, _list(report.get("permissions"))):
        yield {
            "name": p.get("name"),
            "short_name": p.get("short_name"),
            "category": p.get("category"),
            "protection": p.get("protection"),
            "verdict": p.get("verdict"),
            "severity": p.get("severity"),
            "effective": int(bool(p.get("effective"))),
            "max_sdk": p.get("max_sdk"),
            "tags": _csv(p.get("tags")),
            "sources": _csv(p.get("sources")),
            "code_status": p.get("code_status"),
            "code_sites": p.get("code_sites"),
        }


def _findings(report: Mapping[str, Any]) -> Iterator[dict]:
    for f in map(_dict, _list(report.get("findings"))):
        yield {
            "id": f.get("id"),
            "category": f.get("category"),
            "severity": f.get("severity"),
            "title": f.get("title"),
            "permissions": _csv(f.get("permissions")),
            "evidence": json.dumps([str(e) for e in _list(f.get("evidence"))], ensure_ascii=False),
        }


def _code_sites(report: Mapping[str, Any]) -> Iterator[dict]:
    for s in call_sites(report):
        yield {
            k: s.get(k)
            for k in ("category", "api", "kind", "permission", "caller_class", "caller_method", "sdk", "dex")
        }


def _sdks(report: Mapping[str, Any]) -> Iterator[dict]:
    for s in map(_dict, _list(_dict(report.get("code")).get("sdks"))):
        if s.get("id"):
            yield {
                "sdk_id": s.get("id"),
                "name": s.get("name"),
                "kind": s.get("kind"),
                "classes": s.get("classes"),
                "harvests": _csv(s.get("harvests")),
            }


def _policy(report: Mapping[str, Any]) -> Iterator[dict]:
    for category, entry in _dict(_dict(report.get("policy")).get("categories")).items():
        entry = entry if isinstance(entry, dict) else {"status": entry}
        rest = {k: v for k, v in entry.items() if k != "status"}
        yield {
            "category": category,
            "status": entry.get("status"),
            "detail": json.dumps(rest, ensure_ascii=False, default=str) if rest else None,
        }


def _signers(report: Mapping[str, Any]) -> Iterator[dict]:
    for s in map(_dict, _list(_dict(report.get("app")).get("signers"))):
        if s.get("sha256"):
            yield {
                "cert_sha256": s.get("sha256"),
                "debug": int(bool(s.get("debug"))),
                **{
                    k: s.get(k)
                    for k in ("scheme", "subject", "issuer", "sha1", "serial", "not_before", "not_after", "source")
                },
            }


_ROWS = {
    "categories": _categories,
    "permissions": _permissions,
    "findings": _findings,
    "code_sites": _code_sites,
    "sdks": _sdks,
    "policy_categories": _policy,
    "signers": _signers,
}
