"""What one scan concluded: verdicts per permission, findings, the one-glance summary, and the whole report.

Every stage (read → extract → evaluate → render) speaks frozen dataclasses, so each stage can be tested alone and
the renderers never reach back into androguard objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apkscan.model.app import AppFacts, InputFacts


@dataclass(frozen=True)
class ReferenceView:
    """A rule reference as shown in a report, already filtered by jurisdiction."""

    jurisdiction: str
    rule: str
    article: str
    date: str
    url: str
    verification: str
    note: str


@dataclass(frozen=True)
class PermissionVerdict:
    name: str
    short_name: str
    category: str
    protection: str
    verdict: str  # needed | conditional | prohibited | unrelated | unknown
    severity: str
    effective: bool
    effect_note: str
    reason: str
    alternative: str
    condition: str
    tags: tuple[str, ...]
    max_sdk: int | None
    sources: tuple[str, ...]
    references: tuple[ReferenceView, ...]
    code_status: str = ""  # used | sdk_only | no_use_found | unknown_packed | "" (no code scan)
    code_sites: int = 0


@dataclass(frozen=True)
class Finding:
    id: str
    category: str
    severity: str
    title: str
    evidence: tuple[str, ...]
    detail: str = ""
    alternative: str = ""
    permissions: tuple[str, ...] = ()
    references: tuple[ReferenceView, ...] = ()
    quotes: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Summary:
    risk: str  # low | medium | high | critical
    headline: str
    reasons: tuple[str, ...]
    counts: dict[str, int]
    categories: dict[str, str]  # category -> worst verdict among its permissions
    harassment_risk: bool


@dataclass(frozen=True)
class RulesInfo:
    name: str
    version: str
    sha256: str
    path: str


@dataclass(frozen=True)
class Report:
    """Everything one scan produced; the JSON report is this object, plus a schema tag."""

    tool_version: str
    rules: RulesInfo
    scanned_at: str
    lang: str
    jurisdictions: tuple[str, ...]
    input: InputFacts
    app: AppFacts | None
    permissions: tuple[PermissionVerdict, ...]
    findings: tuple[Finding, ...]
    summary: Summary
    errors: tuple[str, ...] = ()
    code: dict[str, Any] | None = None
    policy: dict[str, Any] | None = None
