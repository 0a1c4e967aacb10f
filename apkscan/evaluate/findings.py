"""Turn per-permission verdicts into the findings and the one-glance verdict a borrower reads first.

A list of permissions is not a finding. What matters to a borrower is: which kinds of personal data can this
app reach that a lender must not, and can it do what "爆通讯录" needs (read the address book plus SMS or call
log, and send them out). Findings carry message ids and parameters; the words are chosen when rendering.
"""

from __future__ import annotations

from collections import defaultdict

from apkscan.model import VERDICT_RANK, AppFacts, Finding, PermissionVerdict, ReferenceView, Summary, severity_rank
from apkscan.model.lender import HarvestReading, LendingVerdict
from apkscan.model.text import Message
from apkscan.model.vocab import HARM_ORDER

HARASSMENT_PARTNERS = ("sms", "call_log")
FLAGGED = ("prohibited", "unrelated")
#: Categories the headline names first, most damaging to a borrower first.
HEADLINE_ORDER = HARM_ORDER
#: Findings that exist because the app is judged against lending rules: for an app that does not look like a lender
#: they stay in the report but do not raise its risk.
LENDING_RULE_FINDINGS = ("over-collection:", "conditional:", "promise:", "term:")


def noun(category: str) -> Message:
    """What the borrower would lose, as a message: "your whole address book" for ``contacts``."""
    return Message(f"noun.{category}")


def category_verdicts(verdicts: tuple[PermissionVerdict, ...]) -> dict[str, str]:
    """Worst verdict per data category, counting only requests that still have an effect."""
    worst: dict[str, str] = {}
    for v in verdicts:
        if v.effective and VERDICT_RANK[v.verdict] >= VERDICT_RANK.get(worst.get(v.category, "needed"), 0):
            worst[v.category] = v.verdict
    return worst


def derive_findings(app: AppFacts, verdicts: tuple[PermissionVerdict, ...]) -> list[Finding]:
    by_category: dict[str, list[PermissionVerdict]] = defaultdict(list)
    for v in verdicts:
        by_category[v.category].append(v)
    findings = [f for cat, vs in by_category.items() if (f := _category_finding(cat, vs))]
    findings += _harassment_finding(category_verdicts(verdicts), by_category)
    findings += _unknown_finding(verdicts) + _signature_findings(app)
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, so the report and the JSON open with what matters."""
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.id))


def _category_finding(category: str, perms: list[PermissionVerdict]) -> Finding | None:
    flagged = [p for p in perms if p.verdict in FLAGGED or p.verdict == "conditional"]
    if not flagged or category == "network":
        return None
    effective = [p for p in flagged if p.effective]
    worst = max(flagged, key=lambda p: (p.effective, VERDICT_RANK[p.verdict], severity_rank(p.severity)))
    kind = {"prohibited": "over", "unrelated": "unrelated", "conditional": "conditional"}[worst.verdict]
    detail = worst.condition if kind == "conditional" else worst.reason
    evidence = tuple(_permission_line(p, detail) for p in flagged)
    return Finding(
        id=f"{'conditional' if kind == 'conditional' else 'over-collection'}:{category}",
        category=category,
        severity=worst.severity if effective else "low",
        title=Message(f"finding.{kind}_title", {"noun": noun(category)}),
        evidence=evidence,
        detail=detail,
        alternative=worst.alternative or None,
        permissions=tuple(p.name for p in flagged),
        references=unique_refs(flagged),
    )


def _permission_line(p: PermissionVerdict, detail: object) -> Message | str:
    """One evidence line per permission; its reason only when the finding's detail does not already say it."""
    if not p.effective:
        return Message("finding.capped_note", {"permission": p.name, "note": p.effect_note})
    if p.reason == detail or not p.reason:
        return p.name
    return Message("finding.permission_reason", {"permission": p.name, "reason": p.reason})


def unique_refs(perms: list[PermissionVerdict]) -> tuple[ReferenceView, ...]:
    """The references of several permissions, each (jurisdiction, source, article) once."""
    seen: dict[tuple[str, str, str], ReferenceView] = {}
    for p in perms:
        for r in p.references:
            seen.setdefault((r.jurisdiction, r.source_id or r.rule.en, r.article), r)
    return tuple(seen.values())


def harassment_capable(worst: dict[str, str]) -> list[str]:
    """The SMS/call-log categories that, with contacts and network, make up the 爆通讯录 capability."""
    if worst.get("contacts") not in FLAGGED or "network" not in worst:
        return []
    return [c for c in HARASSMENT_PARTNERS if worst.get(c) in FLAGGED]


def _harassment_finding(worst: dict[str, str], by_category: dict[str, list[PermissionVerdict]]) -> list[Finding]:
    partners = harassment_capable(worst)
    if not partners:
        return []
    perms = [p for c in ("contacts", *partners, "network") for p in by_category[c] if p.effective]
    return [
        Finding(
            id="contact-harassment",
            category="contacts",
            severity="critical",
            title=Message("finding.harassment_title"),
            evidence=tuple(p.name for p in perms),
            detail=Message("finding.harassment_detail", {"other": tuple(noun(c) for c in partners)}),
            permissions=tuple(p.name for p in perms),
            references=unique_refs([p for p in perms if p.category == "contacts"]),
        )
    ]


def _unknown_finding(verdicts: tuple[PermissionVerdict, ...]) -> list[Finding]:
    unknown = [v for v in verdicts if v.verdict == "unknown"]
    if not unknown:
        return []
    return [
        Finding(
            id="unknown-permissions",
            category="other",
            severity="info",
            title=Message("finding.unknown_title"),
            evidence=tuple(f"{v.name} ({v.protection})" for v in unknown),
            detail=Message("finding.unknown_detail"),
            permissions=tuple(v.name for v in unknown),
        )
    ]


def _signature_findings(app: AppFacts) -> list[Finding]:
    if not app.signers:
        title, detail = Message("finding.unsigned_title"), Message("finding.unsigned_detail")
        return [Finding("unsigned", "other", "medium", title, (), detail)]
    debug = [s for s in app.signers if s.debug]
    if not debug:
        return []
    evidence = tuple(f"{s.subject} SHA-256 {s.sha256}" for s in debug)
    title, detail = Message("finding.debug_title"), Message("finding.debug_detail")
    return [Finding("debug-certificate", "other", "medium", title, evidence, detail)]


def summarise(
    verdicts: tuple[PermissionVerdict, ...],
    findings: list[Finding],
    errors: list[str],
    lending: LendingVerdict | None = None,
    harvest: HarvestReading | None = None,
) -> Summary:
    """Risk, headline and reasons. An app judged not a lender (``lending.decision == "no"``) is not raised by the
    lending-rule findings; a harassment capability the complete code evidence disproves is said so."""
    worst = category_verdicts(verdicts)
    counts = {k: sum(1 for v in verdicts if v.verdict == k) for k in VERDICT_RANK}
    counts["total"] = len(verdicts)
    counts["findings"] = len(findings)
    harassment = any(f.id == "contact-harassment" for f in findings)
    cleared = harvest.harassment if harvest and not harassment and harassment_capable(worst) else ""
    not_lender = lending is not None and lending.decision == "no"
    reasons = [Message("reason.not_lender")] if not_lender else []
    reasons += [Message(f"reason.{k}", {"count": counts[k]}) for k in FLAGGED if counts[k]]
    reasons += [Message("reason.harassment")] if harassment else []
    reasons += [Message(f"reason.harassment_{cleared}")] if cleared else []
    reasons += [Message(f"reason.{f.id.split('-')[0]}") for f in findings if f.id in ("debug-certificate", "unsigned")]
    reasons += [Message("reason.code_hidden")] if any(f.id == "code-hidden" for f in findings) else []
    reasons += [Message("reason.partial")] if errors else []
    counted = [f for f in findings if not (not_lender and f.id.startswith(LENDING_RULE_FINDINGS))]
    top = max((severity_rank(f.severity) for f in counted), default=0)
    risk = "critical" if harassment else ("high" if top >= 3 else "medium" if top == 2 else "low")
    headline = _headline(worst, harassment, errors, cleared)
    return Summary(risk, headline, tuple(reasons), counts, worst, harassment)


def _headline(worst: dict[str, str], harassment: bool, errors: list[str], cleared: str = "") -> Message:
    flagged = [c for c, v in worst.items() if v in FLAGGED and c not in ("network", "other")]
    flagged.sort(key=lambda c: HEADLINE_ORDER.index(c) if c in HEADLINE_ORDER else len(HEADLINE_ORDER))
    if flagged:
        nouns = tuple(noun(c) for c in flagged[:4])
        if cleared:  # the permissions allow harassment, the code does not do it: say what the code does
            return Message(f"headline.over_code_{cleared}", {"nouns": nouns})
        return Message("headline.over_harassment" if harassment else "headline.over", {"nouns": nouns})
    if errors and not worst:
        return Message("headline.unreadable")
    return Message("headline.conditional" if "conditional" in worst.values() else "headline.clean")
