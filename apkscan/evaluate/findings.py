"""Turn per-permission verdicts into the findings and the one-glance verdict a borrower reads first.

A list of permissions is not a finding. What matters to a borrower is: which kinds of personal data can this
app reach that a lender must not, and can it do what "爆通讯录" needs (read the address book plus SMS or call
log, and send them out).
"""

from __future__ import annotations

from collections import defaultdict

from apkscan.i18n import join_words, t
from apkscan.model import VERDICT_RANK, AppFacts, Finding, PermissionVerdict, ReferenceView, Summary, severity_rank

HARASSMENT_PARTNERS = ("sms", "call_log")
FLAGGED = ("prohibited", "unrelated")


def category_verdicts(verdicts: tuple[PermissionVerdict, ...]) -> dict[str, str]:
    """Worst verdict per data category, counting only requests that still have an effect."""
    worst: dict[str, str] = {}
    for v in verdicts:
        if v.effective and VERDICT_RANK[v.verdict] >= VERDICT_RANK.get(worst.get(v.category, "needed"), 0):
            worst[v.category] = v.verdict
    return worst


def derive_findings(app: AppFacts, verdicts: tuple[PermissionVerdict, ...], lang: str) -> list[Finding]:
    by_category: dict[str, list[PermissionVerdict]] = defaultdict(list)
    for v in verdicts:
        by_category[v.category].append(v)
    findings = [f for cat, vs in by_category.items() if (f := _category_finding(cat, vs, lang))]
    findings += _harassment_finding(category_verdicts(verdicts), by_category, lang)
    findings += _unknown_finding(verdicts, lang) + _signature_findings(app, lang)
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, so the report and the JSON open with what matters."""
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.id))


def _category_finding(category: str, perms: list[PermissionVerdict], lang: str) -> Finding | None:
    flagged = [p for p in perms if p.verdict in FLAGGED or p.verdict == "conditional"]
    if not flagged or category == "network":
        return None
    effective = [p for p in flagged if p.effective]
    worst = max(flagged, key=lambda p: (p.effective, VERDICT_RANK[p.verdict], severity_rank(p.severity)))
    kind = {"prohibited": "over", "unrelated": "unrelated", "conditional": "conditional"}[worst.verdict]
    severity = worst.severity if effective else "low"
    evidence = [
        f"{p.name}: {p.reason}"
        if p.effective
        else t("finding.capped_note", lang, permission=p.name, note=p.effect_note)
        for p in flagged
    ]
    detail = worst.condition if kind == "conditional" else worst.reason
    return Finding(
        id=f"{'conditional' if kind == 'conditional' else 'over-collection'}:{category}",
        category=category,
        severity=severity,
        title=t(f"finding.{kind}_title", lang, noun=t(f"noun.{category}", lang)),
        evidence=tuple(evidence),
        detail=detail,
        alternative=worst.alternative,
        permissions=tuple(p.name for p in flagged),
        references=_unique_refs(flagged),
    )


def _unique_refs(perms: list[PermissionVerdict]) -> tuple[ReferenceView, ...]:
    seen: dict[tuple[str, str, str], ReferenceView] = {}
    for p in perms:
        for r in p.references:
            seen.setdefault((r.jurisdiction, r.rule, r.article), r)
    return tuple(seen.values())


def harassment_capable(worst: dict[str, str]) -> list[str]:
    """The SMS/call-log categories that, with contacts and network, make up the 爆通讯录 capability."""
    if worst.get("contacts") not in FLAGGED or "network" not in worst:
        return []
    return [c for c in HARASSMENT_PARTNERS if worst.get(c) in FLAGGED]


def _harassment_finding(
    worst: dict[str, str], by_category: dict[str, list[PermissionVerdict]], lang: str
) -> list[Finding]:
    partners = harassment_capable(worst)
    if not partners:
        return []
    perms = [p for c in ("contacts", *partners, "network") for p in by_category[c] if p.effective]
    return [
        Finding(
            id="contact-harassment",
            category="contacts",
            severity="critical",
            title=t("finding.harassment_title", lang),
            evidence=tuple(p.name for p in perms),
            detail=t(
                "finding.harassment_detail", lang, other=join_words([t(f"noun.{c}", lang) for c in partners], lang)
            ),
            permissions=tuple(p.name for p in perms),
            references=_unique_refs([p for p in perms if p.category == "contacts"]),
        )
    ]


def _unknown_finding(verdicts: tuple[PermissionVerdict, ...], lang: str) -> list[Finding]:
    unknown = [v for v in verdicts if v.verdict == "unknown"]
    if not unknown:
        return []
    return [
        Finding(
            id="unknown-permissions",
            category="other",
            severity="info",
            title=t("finding.unknown_title", lang),
            evidence=tuple(f"{v.name} ({v.protection})" for v in unknown),
            detail=t("finding.unknown_detail", lang),
            permissions=tuple(v.name for v in unknown),
        )
    ]


def _signature_findings(app: AppFacts, lang: str) -> list[Finding]:
    if not app.signers:
        return [
            Finding(
                "unsigned", "other", "medium", t("finding.unsigned_title", lang), (), t("finding.unsigned_detail", lang)
            )
        ]
    debug = [s for s in app.signers if s.debug]
    if not debug:
        return []
    return [
        Finding(
            "debug-certificate",
            "other",
            "medium",
            t("finding.debug_title", lang),
            tuple(f"{s.subject} SHA-256 {s.sha256}" for s in debug),
            t("finding.debug_detail", lang),
        )
    ]


def summarise(
    verdicts: tuple[PermissionVerdict, ...], findings: list[Finding], errors: list[str], lang: str
) -> Summary:
    worst = category_verdicts(verdicts)
    counts = {k: sum(1 for v in verdicts if v.verdict == k) for k in VERDICT_RANK}
    counts["total"] = len(verdicts)
    counts["findings"] = len(findings)
    harassment = any(f.id == "contact-harassment" for f in findings)
    reasons = [t(f"reason.{k}", lang, count=counts[k]) for k in FLAGGED if counts[k]]
    reasons += [t("reason.harassment", lang)] if harassment else []
    reasons += [t(f"reason.{f.id.split('-')[0]}", lang) for f in findings if f.id in ("debug-certificate", "unsigned")]
    reasons += [t("reason.code_hidden", lang)] if any(f.id == "code-hidden" for f in findings) else []
    reasons += [t("reason.partial", lang)] if errors else []
    top = max((severity_rank(f.severity) for f in findings), default=0)
    risk = "critical" if harassment else ("high" if top >= 3 else "medium" if top == 2 else "low")
    return Summary(risk, _headline(worst, harassment, errors, lang), tuple(reasons), counts, worst, harassment)


def _headline(worst: dict[str, str], harassment: bool, errors: list[str], lang: str) -> str:
    flagged = [c for c, v in worst.items() if v in FLAGGED and c not in ("network", "other")]
    order = ("contacts", "sms", "call_log", "photos_media", "location", "installed_apps", "phone_identity")
    flagged.sort(key=lambda c: order.index(c) if c in order else len(order))
    if flagged:
        text = t("headline.over", lang, nouns=join_words([t(f"noun.{c}", lang) for c in flagged[:4]], lang))
        return text + (t("headline.sep", lang) + t("headline.harassment", lang) if harassment else "")
    if errors and not worst:
        return t("headline.unreadable", lang)
    return t("headline.conditional" if "conditional" in worst.values() else "headline.clean", lang)
