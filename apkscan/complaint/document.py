"""Build a complaint from one scan: what the app can do that it must not, the loan's cost, the evidence, the letters.

The complaint is plain data, like the report it comes from: points carry message ids and parameters, references and
bilingual text, so the same complaint is rendered in Chinese or English, as HTML or PDF, by the renderers. Three
rules keep it honest:

- it states only what the scan established, as capabilities ("the app can read…"); harassment itself is the
  borrower's to describe and prove (a blank in the letters, their files in the evidence pack);
- it cites ``verified`` references first, marks ``secondary`` ones, and never cites ``memory`` ones (they are
  counted as leads to check);
- it says what the scan could not see (packed code, no privacy policy, unreadable parts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from apkscan.complaint.caps import LoanCaps, load_loan_caps
from apkscan.complaint.caps_compare import CapCheck, compare_caps
from apkscan.complaint.channels import Channel, choose_channels
from apkscan.complaint.checklist import SituationCheck, checklist
from apkscan.complaint.errors import ComplaintInputError
from apkscan.complaint.evidence import EvidenceInventory, inventory
from apkscan.complaint.loan_cost import LoanCost, schedule_cost, single_repayment
from apkscan.complaint.schedule import read_schedule
from apkscan.model import Finding, Report
from apkscan.model.policy import Quote
from apkscan.model.report import ReferenceView
from apkscan.model.text import Message, Words
from apkscan.model.vocab import HARM_ORDER, severity_rank

#: Findings that make the body of a complaint, strongest first (others go to the appendix).
POINT_ORDER = (
    "contact-harassment",
    "policy-contacts-debt-collection",
    "policy-contradiction",
    "over-collection",
    "policy-admitted",
    "sdk",
    "term",
    "policy-undisclosed",
    "policy-pre-consent",
    "policy-no-refusal",
)
CATEGORY_ORDER = HARM_ORDER
MIN_POINT_SEVERITY = "high"
VERIFICATION_ORDER = {"verified": 0, "secondary": 1}
SHOWN_READERS = 4


@dataclass(frozen=True)
class LoanFigures:
    """What the borrower says about the loan (all optional: no figures, no loan-cost section)."""

    contract_amount: float | None = None
    received: float | None = None
    repay: float | None = None
    days: int | None = None
    schedule: Path | None = None
    loan_date: date | None = None

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.contract_amount, self.received, self.repay, self.days, self.schedule))


@dataclass(frozen=True)
class ComplaintRequest:
    """What the borrower asked for: language, whose rules, which channels, the loan and the evidence folder."""

    lang: str = "en"
    jurisdictions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    loan: LoanFigures = field(default_factory=LoanFigures)
    evidence_dir: Path | None = None
    exclude: tuple[Path, ...] = ()  # folders inside the evidence folder not to walk (the output folder)


@dataclass(frozen=True)
class Point:
    """One thing the app can do that it must not, with its evidence and the rules it breaks."""

    finding_id: str
    severity: str
    claim: Message  # "read my entire address book": what a letter says the app can do
    policy: Message | None  # what the privacy policy says about it, when a policy finding joined this point
    finding_ids: tuple[str, ...]  # every finding merged into this point
    title: Words
    detail: Words | None
    readers: tuple[str, ...]  # code that reads the data: "Class.method (classes.dex)", SDKs marked
    uploads: tuple[str, ...]  # upload endpoints found in the code
    quotes: tuple[Quote, ...]  # the policy's own sentences
    permissions: tuple[str, ...]
    citations: tuple[ReferenceView, ...]  # verified first, then secondary; memory never
    leads: int  # memory-tagged references left out (to check before citing)


@dataclass(frozen=True)
class Letter:
    """One ready-to-send letter: to whom, and which template; the renderer writes it in the chosen language."""

    channel: Channel
    template: str  # letter id in letters.toml


@dataclass(frozen=True)
class Complaint:
    report: Report
    lang: str
    jurisdictions: tuple[str, ...]
    points: tuple[Point, ...]
    other_findings: tuple[Finding, ...]
    loan: LoanCost | None
    caps: tuple[CapCheck, ...]
    caps_version: str
    evidence: EvidenceInventory | None
    checklist: tuple[SituationCheck, ...]
    letters: tuple[Letter, ...]
    unknowns: tuple[Message, ...]
    created: str
    manifest_sha256: str = ""  # set when the evidence pack is written

    @property
    def cited(self) -> tuple[ReferenceView, ...]:
        """Every instrument the points cite (law, standard, store policy), each once, in order of first citation."""
        seen: dict[tuple[str, str], ReferenceView] = {}
        for point in self.points:
            for ref in point.citations:
                seen.setdefault(instrument_key(ref), ref)
        return tuple(seen.values())


def instrument_key(ref: ReferenceView) -> tuple[str, str]:
    """Which instrument a reference cites, whatever the article."""
    return (ref.jurisdiction, ref.source_id or ref.rule.en)


def default_jurisdictions(report: Report, lang: str) -> tuple[str, ...]:
    """Whose rules a complaint cites when the borrower does not say: the scan's choice when it made one, else the
    borrower's language (China for Chinese) plus Google Play's rules, which bind every app it distributes."""
    if 0 < len(report.jurisdictions) < 7:
        return report.jurisdictions
    return ("cn", "google-play") if lang == "zh" else ("google-play",)


def build_complaint(report: Report, request: ComplaintRequest, caps: LoanCaps | None = None) -> Complaint:
    """Everything the complaint shows, from one scan and the borrower's request. Raises ComplaintInputError."""
    jurisdictions = request.jurisdictions or default_jurisdictions(report, request.lang)
    points, others = _points(report, jurisdictions)
    loan, checks, caps_version = _loan(request.loan, jurisdictions, caps)
    evidence = inventory(request.evidence_dir, exclude=request.exclude) if request.evidence_dir else None
    situations = tuple(checklist(evidence)) if evidence is not None else ()
    situations = tuple(s for s in situations if s.jurisdiction in jurisdictions or not s.jurisdiction)
    reach = report.summary.harassment_risk or report.summary.categories.get("contacts") in ("prohibited", "unrelated")
    channels = choose_channels(request.channels, jurisdictions, reach)
    from apkscan.complaint.letters import load_letters

    templates = load_letters()
    letters = tuple(Letter(c, templates[c.kind].id) for c in channels)
    return Complaint(
        report=report,
        lang=request.lang,
        jurisdictions=tuple(jurisdictions),
        points=points,
        other_findings=others,
        loan=loan,
        caps=checks,
        caps_version=caps_version,
        evidence=evidence,
        checklist=situations,
        letters=letters,
        unknowns=_unknowns(report, points),
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _kind(finding: Finding) -> str:
    return finding.id.split(":", 1)[0]


def _rank(finding: Finding) -> tuple[int, int, int, str]:
    kind = _kind(finding)
    order = POINT_ORDER.index(kind) if kind in POINT_ORDER else len(POINT_ORDER)
    cat = CATEGORY_ORDER.index(finding.category) if finding.category in CATEGORY_ORDER else len(CATEGORY_ORDER)
    return (order, -severity_rank(finding.severity), cat, finding.id)


#: Findings about one data category that a complaint states as one point: what the app can do with the data, and
#: what its privacy policy says about it.
CATEGORY_KINDS = ("over-collection", "policy-contradiction", "policy-undisclosed", "policy-admitted")
POLICY_NOTES = {"policy-contradiction": "denies", "policy-undisclosed": "silent", "policy-admitted": "admits"}


def _group_key(finding: Finding) -> str:
    return f"category:{finding.category}" if _kind(finding) in CATEGORY_KINDS and finding.category else finding.id


def _points(report: Report, jurisdictions: Sequence[str]) -> tuple[tuple[Point, ...], tuple[Finding, ...]]:
    """Strong findings become points, one per data category (the app's reach and its policy's words together)."""
    groups: dict[str, list[Finding]] = {}
    others = []
    for finding in sorted(report.findings, key=_rank):
        strong = severity_rank(finding.severity) >= severity_rank(MIN_POINT_SEVERITY)
        if _kind(finding) in POINT_ORDER and strong:
            groups.setdefault(_group_key(finding), []).append(finding)
        else:
            others.append(finding)
    return tuple(_point(report, found, jurisdictions) for found in groups.values()), tuple(others)


def _point(report: Report, found: list[Finding], jurisdictions: Sequence[str]) -> Point:
    primary = next((f for f in found if _kind(f) == "over-collection"), found[0])
    policy = next((f for f in found if _kind(f) in POLICY_NOTES), None)
    refs = list(
        {(r.jurisdiction, r.source_id or r.rule.en, r.article): r for f in found for r in f.references}.values()
    )
    refs = [r for r in refs if r.jurisdiction in jurisdictions]
    citable = sorted(
        (r for r in refs if r.verification in VERIFICATION_ORDER), key=lambda r: VERIFICATION_ORDER[r.verification]
    )
    readers, uploads = _code_evidence(report, primary)
    note = None
    if policy is not None and policy is not primary:
        note = Message(f"complaint.policy_{POLICY_NOTES[_kind(policy)]}")
    return Point(
        finding_id=primary.id,
        severity=max((f.severity for f in found), key=severity_rank),
        claim=claim(primary),
        policy=note,
        finding_ids=tuple(f.id for f in found),
        title=primary.title,
        detail=primary.detail,
        readers=readers,
        uploads=uploads,
        quotes=tuple(q for f in found for q in f.quotes),
        permissions=tuple(dict.fromkeys(p for f in found for p in f.permissions)),
        citations=tuple(citable),
        leads=sum(1 for r in refs if r.verification not in VERIFICATION_ORDER),
    )


def claim(finding: Finding) -> Message:
    """What a letter says the app can do, in the borrower's voice ("read my entire address book")."""
    kind, _, category = finding.id.partition(":")
    my = Message(f"noun_my.{finding.category or 'other'}")
    if kind == "contact-harassment":
        partners = tuple(
            Message(f"noun_my.{c}")
            for c in ("sms", "call_log")
            if any(_reads_category(p, c) for p in finding.permissions)
        )
        return Message("claim.harassment", {"other": partners or (Message("noun_my.sms"),)})
    if kind in ("policy-contradiction", "policy-undisclosed", "policy-admitted"):
        return Message(f"claim.{kind.removeprefix('policy-')}", {"data": Message(f"noun_my.{category}")})
    if kind == "sdk":
        name = finding.title.params.get("name", category) if isinstance(finding.title, Message) else category
        return Message("claim.sdk", {"name": name})
    if kind == "over-collection":
        return Message("claim.over", {"data": my})
    if kind == "term" and isinstance(finding.title, Message):
        return Message("claim.term", {"rule": finding.title.params.get("rule", "")})
    return Message(f"claim.{kind.removeprefix('policy-')}")


def _reads_category(permission: str, category: str) -> bool:
    short = permission.rsplit(".", 1)[-1]
    return (category == "sms" and "SMS" in short) or (category == "call_log" and "CALL_LOG" in short)


def _code_evidence(report: Report, finding: Finding) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which code reads the finding's data (app code first), and the upload endpoints (for the contacts ones)."""
    code = report.code
    if code is None:
        return (), ()
    wanted = set(finding.permissions)
    category = finding.category
    sites = [s for s in code.call_sites if wanted & {s.permission, *s.alt_permissions} or s.category == category]
    if _kind(finding) == "contact-harassment":
        sites = [s for s in code.call_sites if s.category in ("contacts", "sms", "call_log")]
    sites.sort(key=lambda s: (s.sdk is not None, s.category != category, s.caller_class))
    readers = tuple(dict.fromkeys(
        f"{s.caller_class}.{s.caller_method.split('(')[0]}" + (f" [SDK {s.sdk}]" if s.sdk else "") for s in sites
    ))[:SHOWN_READERS]  # fmt: skip
    uploads: tuple[str, ...] = ()
    if _kind(finding) in ("contact-harassment", "over-collection", "policy-contradiction"):
        found = [s for s in code.strings if s.kind == "upload_endpoint"]
        related = [s.value for s in found if category in s.categories or _kind(finding) == "contact-harassment"]
        uploads = tuple(dict.fromkeys(related))[:SHOWN_READERS]
    return readers, uploads


def _loan(
    figures: LoanFigures, jurisdictions: Sequence[str], caps: LoanCaps | None
) -> tuple[LoanCost | None, tuple[CapCheck, ...], str]:
    if not figures.given:
        return None, (), ""
    if figures.schedule is not None:
        if figures.received is not None or figures.repay is not None or figures.days is not None:
            raise ComplaintInputError("--schedule: give either a schedule or --received/--repay/--days, not both")
        cost = schedule_cost(read_schedule(figures.schedule), figures.contract_amount)
    else:
        missing = [
            n
            for n, v in (("--received", figures.received), ("--repay", figures.repay), ("--days", figures.days))
            if v is None
        ]
        if missing:
            raise ComplaintInputError(
                f"loan cost: {', '.join(missing)} missing (a single repayment needs --received, --repay and --days)"
            )
        assert figures.received is not None and figures.repay is not None and figures.days is not None
        cost = single_repayment(figures.received, figures.repay, figures.days, figures.contract_amount)
    table = caps or load_loan_caps()
    return cost, compare_caps(cost, table, jurisdictions, figures.loan_date), table.version


def _unknowns(report: Report, points: Sequence[Point]) -> tuple[Message, ...]:
    """What the scan could not establish, said plainly so nobody reads silence as a clean bill."""
    out = [Message("complaint.unknown.capability")]
    if report.code is None:
        out.append(Message("complaint.unknown.no_code"))
    elif not report.code.complete:
        out.append(Message("complaint.unknown.code_hidden"))
    if report.policy is None or report.policy.analysis is None:
        out.append(Message("complaint.unknown.no_policy"))
    if report.errors:
        out.append(Message("complaint.unknown.partial", {"count": len(report.errors)}))
    leads = sum(p.leads for p in points)
    if leads:
        out.append(Message("complaint.unknown.leads", {"count": leads}))
    return tuple(out)
