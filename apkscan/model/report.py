"""What one scan concluded: verdicts per permission, findings, the one-glance summary, and the whole report.

Every stage (read → extract → evaluate → render) speaks frozen dataclasses, so each stage can be tested alone and
the renderers never reach back into androguard objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from apkscan.model.app import AppFacts, InputFacts
from apkscan.model.code import CodeEvidence
from apkscan.model.lender import FamilySketch, HarvestReading, LendingVerdict
from apkscan.model.policy import PolicyReport, Quote
from apkscan.model.text import Text, Words


@dataclass(frozen=True)
class ReferenceView:
    """A rule reference as shown in a report, already filtered by jurisdiction; titles and notes in both languages."""

    jurisdiction: str
    rule: Text
    article: str
    date: str
    url: str
    verification: str  # verified | secondary | memory
    note: Text = Text("")
    source_id: str = ""
    short: Text = Text("")  # the instrument's short name ("PIPL"), when the rule table gives one


@dataclass(frozen=True)
class PermissionVerdict:
    """One requested permission judged against the lending-app rule table."""

    name: str
    short_name: str
    category: str
    protection: str
    verdict: str  # needed | conditional | prohibited | unrelated | unknown
    severity: str
    effective: bool
    effect_note: Words | None
    reason: Text
    alternative: Text
    condition: Text
    tags: tuple[str, ...]
    max_sdk: int | None
    sources: tuple[str, ...]
    references: tuple[ReferenceView, ...]
    code_status: str = ""  # used | sdk_only | no_use_found | unknown_packed | unknown | "" (no code scan)
    code_sites: int = 0


@dataclass(frozen=True)
class Finding:
    """Something a borrower or a regulator should know, as an id with its evidence; the words come at render time.

    ``id`` is stable (``over-collection:sms``); ``title`` and ``detail`` are messages or bilingual text; each
    ``evidence`` line is a message, bilingual text, or a language-neutral string (a permission, a call site).
    """

    id: str
    category: str
    severity: str
    title: Words
    evidence: tuple[Words, ...] = ()
    detail: Words | None = None
    alternative: Text | None = None
    permissions: tuple[str, ...] = ()
    references: tuple[ReferenceView, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class Summary:
    """The one-glance verdict: risk level, headline and its reasons."""

    risk: str  # low | medium | high | critical
    headline: Words
    reasons: tuple[Words, ...]
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
    """Everything one scan produced; the JSON report (``apkscan.report/1``) is this object written out.

    ``lang`` is the language the report was asked for; renderers may write it in another one.
    """

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
    code: CodeEvidence | None = None
    policy: PolicyReport | None = None
    #: Is it a lending app at all (written as ``app.lending``)? None for reports written before 0.3.
    lending: LendingVerdict | None = None
    #: What the code does with the data (harvesting versus looking up); None without a code scan.
    harvest: HarvestReading | None = None
    #: Sketch of the app's own code, for grouping re-skins; None without a code scan.
    family: FamilySketch | None = None

    @property
    def not_a_lender(self) -> bool:
        """Judged against lending rules, but the app does not look like a lender."""
        return self.lending is not None and self.lending.decision == "no"

    @property
    def display_name(self) -> str:
        """The app's label (English form), else its package, else the file name."""
        app = self.app
        return (app.label or app.package if app else "") or self.input.name

    def name_in(self, lang: str) -> str:
        """The app's label in ``lang`` when it has one (``label_zh`` for Chinese), else :attr:`display_name`."""
        if lang == "zh" and self.app and self.app.label_zh:
            return self.app.label_zh
        return self.display_name
