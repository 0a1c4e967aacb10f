"""Read a JSON report that ``apkscan scan`` or ``apkscan batch`` wrote back into a :class:`~apkscan.model.Report`.

The complaint writer, the diff and the web front end start from such files, which may come from another machine,
another apkscan version or a stranger. So the read is bounded, the document must carry the ``apkscan.report/1`` tag
and pass the shipped JSON Schema, and every failure is one line (:class:`~apkscan.read.errors.InputError`). Reports
written before the language-neutral ``_i18n`` fields existed still load: their sentences stay in the language they
were written in.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from apkscan.knowledge.packaged import json_schema
from apkscan.model import AppFacts, Finding, InputFacts, PermissionVerdict, Report, RulesInfo, Summary
from apkscan.model.code import CodeEvidence
from apkscan.model.codec import from_plain
from apkscan.model.lender import FamilySketch, HarvestReading, LendingVerdict
from apkscan.model.policy import PolicyAnalysis, PolicyReport, PolicySource
from apkscan.read.errors import InputError

SCHEMA_TAG = "apkscan.report/1"
MAX_REPORT_BYTES = 64 * 1024 * 1024  # a report with every call site of a huge app is a few MB


@cache
def _validator() -> Any:
    """The validator of the shipped ``apkscan.report/1`` schema, built once (jsonschema is imported only here)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema("report"))


def looks_like_report(data: bytes) -> bool:
    """Cheap test used to route an input: a JSON object that names the report schema near its start."""
    head = data[:512].lstrip()
    return head.startswith(b"{") and SCHEMA_TAG.encode() in head


def load_report(path: str | Path) -> Report:
    """Read, validate and rebuild a report; :class:`InputError` with one line when it is not one."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
    if len(data) > MAX_REPORT_BYTES:
        raise InputError(str(path), f"larger than {MAX_REPORT_BYTES >> 20} MiB: not an apkscan JSON report")
    return report_from_json(data, str(path))


def report_from_json(data: bytes, name: str) -> Report:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise InputError(name, f"not JSON ({' '.join(str(err).split())[:120]})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA_TAG:
        found = doc.get("schema") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(name, f"not an {SCHEMA_TAG} JSON report (schema: {str(found)[:60]!r})")
    problem = schema_problem(doc)
    if problem:
        raise InputError(name, f"invalid {SCHEMA_TAG} report: {problem}")
    try:
        return report_from_dict(doc)
    except (TypeError, ValueError, KeyError) as err:
        raise InputError(name, f"invalid {SCHEMA_TAG} report: {' '.join(str(err).split())[:200]}") from None


def schema_problem(doc: dict[str, Any]) -> str | None:
    """The first schema violation as one line (path: message), or None."""
    error = next(iter(sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    return f"{where}: {' '.join(error.message.split())[:200]}"


def report_from_dict(doc: dict[str, Any]) -> Report:
    """Rebuild the model from a validated report dict (the inverse of ``report_dict``)."""
    tool = doc["tool"]
    return Report(
        tool_version=str(tool["version"]),
        rules=from_plain(RulesInfo, tool["rules"]),
        scanned_at=doc["scanned_at"],
        lang=doc["lang"],
        jurisdictions=tuple(doc["jurisdictions"]),
        input=from_plain(InputFacts, doc["input"]),
        app=from_plain(AppFacts, doc["app"]) if doc.get("app") else None,
        permissions=tuple(from_plain(PermissionVerdict, p) for p in doc["permissions"]),
        findings=tuple(from_plain(Finding, f) for f in doc["findings"]),
        summary=from_plain(Summary, doc["summary"]),
        errors=tuple(doc.get("errors") or ()),
        code=from_plain(CodeEvidence, doc["code"]) if doc.get("code") else None,
        policy=_policy(doc.get("policy")),
        lending=from_plain(LendingVerdict, lending) if (lending := (doc.get("app") or {}).get("lending")) else None,
        harvest=from_plain(HarvestReading, doc["harvest"]) if doc.get("harvest") else None,
        family=from_plain(FamilySketch, doc["family"]) if doc.get("family") else None,
    )


def _policy(block: dict[str, Any] | None) -> PolicyReport | None:
    if not block:
        return None
    analysis = from_plain(PolicyAnalysis, block) if "categories" in block else None
    sources = tuple(from_plain(PolicySource, s) for s in block.get("sources") or ())
    return PolicyReport(urls=tuple(block.get("urls") or ()), sources=sources, analysis=analysis)
