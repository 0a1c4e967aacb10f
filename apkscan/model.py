"""Plain data passed between the pipeline stages.

Every stage (read → extract → evaluate → render) speaks these frozen dataclasses, so each stage can be
tested alone and the renderers never reach back into androguard objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
#: Data categories: the shared vocabulary of the rule table, the API list, the policy lexicon and the reports.
CATEGORIES: tuple[str, ...] = (
    "contacts", "sms", "call_log", "photos_media", "storage", "location", "phone_identity", "installed_apps",
    "accounts", "calendar", "camera", "microphone", "sensors", "overlay_accessibility", "network", "other",
)
#: Verdicts for a lending app, from harmless to forbidden (sorting and "worst verdict" use this order).
VERDICT_RANK = {"needed": 0, "unknown": 1, "conditional": 2, "unrelated": 3, "prohibited": 4}
#: Jurisdictions whose rules the table cites (``google-play`` is a store policy, not a country).
JURISDICTIONS: tuple[str, ...] = ("google-play", "cn", "in", "ke", "ng", "id", "ph")


def severity_rank(severity: str) -> int:
    """Rank a severity so findings can be sorted and compared with ``--fail-on``."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 0


@dataclass(frozen=True)
class Bilingual:
    """A sentence in English and Chinese; reports pick one by ``--lang``."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.en


@dataclass(frozen=True)
class InputFacts:
    """What a complaint needs to identify the exact file that was examined."""

    path: str
    name: str
    kind: str  # apk | xapk | apks | apkm
    size: int
    sha256: str
    sha1: str
    md5: str
    members: tuple[str, ...] = ()  # APK files inside a bundle, base first


@dataclass(frozen=True)
class Signer:
    scheme: str  # v1 | v2 | v3 | v3.1
    subject: str
    issuer: str
    sha256: str
    sha1: str
    serial: str
    not_before: str
    not_after: str
    debug: bool
    source: str  # file the signature was read from


@dataclass(frozen=True)
class PermissionRequest:
    """One requested permission after merging base and splits and collapsing duplicates."""

    name: str
    tags: tuple[str, ...]  # uses-permission | uses-permission-sdk-23 | implied
    max_sdk: int | None
    sources: tuple[str, ...]  # files that declared it
    duplicates: int = 0  # extra declarations collapsed into this one


@dataclass(frozen=True)
class Component:
    kind: str  # activity | service | receiver | provider
    name: str
    exported: bool
    permission: str | None
    actions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class DeclaredPermission:
    name: str
    protection: str
    source: str


@dataclass(frozen=True)
class AppFacts:
    """What the manifests and signatures say, merged over base and split APKs."""

    package: str
    label: str
    label_zh: str
    version_name: str
    version_code: str
    min_sdk: int | None
    target_sdk: int | None
    max_sdk: int | None
    permissions: tuple[PermissionRequest, ...]
    declared_permissions: tuple[DeclaredPermission, ...]
    components: tuple[Component, ...]
    signers: tuple[Signer, ...]
    application_class: str = ""
    splits: tuple[str, ...] = ()


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
