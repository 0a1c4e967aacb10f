"""Hand-built model objects, so a finding rule or a renderer case is a row in a table, not a new APK.

Each builder fills every field with a plain, valid default and takes keyword overrides. The objects are the same
frozen dataclasses the scanner produces; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from apkscan.evaluate.findings import derive_findings, sort_findings, summarise
from apkscan.knowledge.rules import RuleTable, load_rules
from apkscan.model import (
    AppFacts,
    Finding,
    InputFacts,
    PermissionRequest,
    PermissionVerdict,
    Report,
    RulesInfo,
    Signer,
)
from apkscan.model.text import Message, Text

ANDROID = "android.permission."


def signer(**over: Any) -> Signer:
    base = Signer("v2", "CN=Lender", "CN=Lender", "ab" * 32, "cd" * 20, "1", "2026-01-01", "2036-01-01", False, "a.apk")
    return replace(base, **over)


def app(permissions: tuple[str, ...] = (), **over: Any) -> AppFacts:
    requests = tuple(
        PermissionRequest(p if "." in p else ANDROID + p, ("uses-permission",), None, ("a.apk",)) for p in permissions
    )
    base = AppFacts(
        package="com.example.lender",
        label="Example Lender",
        label_zh="示例贷款",
        version_name="1.0",
        version_code="1",
        min_sdk=24,
        target_sdk=34,
        max_sdk=None,
        permissions=requests,
        declared_permissions=(),
        components=(),
        signers=(signer(),),
    )
    return replace(base, **over)


def verdict(name: str, rules: RuleTable | None = None, **over: Any) -> PermissionVerdict:
    """A permission judged by the packaged rule table (or a hand-set verdict through ``over``)."""
    from apkscan.evaluate.verdicts import judge_permissions

    table = rules or load_rules()
    judged = judge_permissions(app((name,)), table, None)[0]
    return replace(judged, **over)


def finding(fid: str = "over-collection:contacts", **over: Any) -> Finding:
    base = Finding(
        id=fid,
        category=fid.partition(":")[2] or "other",
        severity="high",
        title=Message("finding.over_title", {"noun": Message("noun.contacts")}),
        evidence=(ANDROID + "READ_CONTACTS",),
        detail=Text("A reason.", "一个原因。"),
    )
    return replace(base, **over)


def report(permissions: tuple[str, ...] = (), lang: str = "en", **over: Any) -> Report:
    """A whole report judged from a permission list by the real evaluation (no code, no policy)."""
    table = load_rules()
    facts = over.pop("app", None) or app(permissions)
    from apkscan.evaluate.verdicts import judge_permissions

    verdicts = judge_permissions(facts, table, None)
    findings = sort_findings(derive_findings(facts, verdicts))
    base = Report(
        tool_version="0.0-test",
        rules=RulesInfo(table.name, table.version, table.sha256, table.path),
        scanned_at="2026-12-01T00:00:00Z",
        lang=lang,
        jurisdictions=("google-play", "cn"),
        input=InputFacts("a.apk", "a.apk", "apk", 1234, "12" * 32, "34" * 20, "56" * 16),
        app=facts,
        permissions=verdicts,
        findings=tuple(findings),
        summary=summarise(verdicts, findings, []),
    )
    return replace(base, **over)
