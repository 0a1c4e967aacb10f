"""Confront what the privacy policy says with what the APK asks for and reads.

Per data category the app side arrives as :class:`AppCategoryFacts` (requested permissions, code evidence and the
rule-table verdict, computed elsewhere); the policy side as a :class:`~apkscan.evaluate.policy.PolicyAnalysis`.
The findings are the complaint-ready mismatches: silent about something the app takes, denying something it takes,
openly admitting what a lending app must not take, and promising to contact the borrower's contacts about a debt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from apkscan.knowledge.lexicon import Citation, Lexicon, load_lexicon
from apkscan.model import Finding, ReferenceView, severity_rank
from apkscan.model.policy import PolicyAnalysis, Quote
from apkscan.model.text import Message, Param, Text

UNDISCLOSED_SEVERITY = {
    "prohibited": "high",
    "unrelated": "medium",
    "conditional": "low",
    "needed": "info",
    "unknown": "low",
    "none": "low",
}
# No policy lists "network" (every app uses it) and "other" has no vocabulary a policy would use.
NOT_EXPECTED_IN_POLICY = frozenset({"network", "other"})
_TAGS = {"V": "verified", "S": "secondary", "M": "memory"}
_JURISDICTION_PREFIX = {"CN": "cn", "KE": "ke", "PH": "ph", "NG": "ng", "IN": "in", "ID": "id", "GP": "google-play"}


@dataclass(frozen=True)
class AppCategoryFacts:
    category: str
    permissions: tuple[str, ...]  # requested permissions in this category
    read_in_code: bool | None  # None = no code evidence / unknown
    verdict: str  # worst rule-table verdict among the permissions: needed|conditional|prohibited|unrelated|unknown|none

    @property
    def used(self) -> bool:
        return bool(self.permissions) or self.read_in_code is True


def how_taken(facts: AppCategoryFacts) -> Message:
    """How the app takes the data: "requests READ_SMS and reads it in code", as a message."""
    perms = ", ".join(facts.permissions)
    if perms:
        key = "policy_finding.how_perms_code" if facts.read_in_code else "policy_finding.how_perms"
        return Message(key, {"permissions": perms})
    return Message("policy_finding.how_code")


def citation_reference(citation: Citation) -> ReferenceView:
    """A lexicon citation as a report reference (jurisdiction from its id prefix, tag spelled out)."""
    prefix = citation.id.split(" ", 1)[0]
    return ReferenceView(
        jurisdiction=_JURISDICTION_PREFIX.get(prefix, prefix.lower()),
        rule=Text(citation.en, citation.zh),
        article="",
        date="",
        url="",
        verification=_TAGS.get(citation.tag, citation.tag),
        source_id=citation.id,
    )


class _Findings:
    """Builds each kind of finding: an id, a severity, messages with parameters, the policy's own quotes."""

    def __init__(self, policy: PolicyAnalysis, lex: Lexicon) -> None:
        self.policy = policy
        self.lex = lex

    def quotes(self, category: str) -> tuple[Quote, ...]:
        return self.policy.categories[category].quotes if category in self.policy.categories else ()

    def data(self, category: str) -> Text:
        return Text(self.lex.label(category), self.lex.label(category, "zh"))

    def undisclosed(self, cat: str, facts: AppCategoryFacts) -> Finding:
        params: dict[str, Param] = {
            "data": self.data(cat),
            "how": how_taken(facts),
            "sentences": self.policy.sentences_analysed,
            "verdict": Message(f"verdict.{facts.verdict}"),
        }
        return Finding(
            f"policy-undisclosed:{cat}",
            cat,
            UNDISCLOSED_SEVERITY.get(facts.verdict, "low"),
            Message("policy_finding.undisclosed_title", {"data": self.data(cat)}),
            evidence=facts.permissions,
            detail=Message("policy_finding.undisclosed_detail", params),
            permissions=facts.permissions,
        )

    def contradiction(self, cat: str, facts: AppCategoryFacts) -> Finding:
        params: dict[str, Param] = {"data": self.data(cat), "how": how_taken(facts)}
        return Finding(
            f"policy-contradiction:{cat}",
            cat,
            "critical",
            Message("policy_finding.contradiction_title", params),
            evidence=facts.permissions,
            detail=Message("policy_finding.contradiction_detail", params),
            permissions=facts.permissions,
            quotes=self.quotes(cat),
        )

    def admitted(self, cat: str, facts: AppCategoryFacts) -> Finding:
        purposes = tuple(Message(f"purpose.{p}") for p in self.policy.categories[cat].purposes)
        params: dict[str, Param] = {
            "data": self.data(cat),
            "purposes": purposes or Message("policy_finding.no_purpose"),
            "permissions": ", ".join(facts.permissions) or Message("policy_finding.this_data"),
        }
        return Finding(
            f"policy-admitted:{cat}",
            cat,
            "high",
            Message("policy_finding.admitted_title", {"data": self.data(cat)}),
            evidence=facts.permissions,
            detail=Message("policy_finding.admitted_detail", params),
            permissions=facts.permissions,
            quotes=self.quotes(cat),
        )

    def contacts_debt(self, facts: AppCategoryFacts | None) -> Finding:
        cites = self.lex.citations.get("contacts_debt_collection", ())
        permissions = facts.permissions if facts else ()
        return Finding(
            "policy-contacts-debt-collection",
            "contacts",
            "critical",
            Message("policy_finding.debt_title"),
            evidence=permissions,
            detail=Message("policy_finding.debt_detail"),
            permissions=permissions,
            references=tuple(citation_reference(c) for c in cites),
            quotes=self.policy.contacts_contacted,
        )

    def pre_consent(self) -> Finding:
        return Finding(
            "policy-pre-consent",
            "",
            "high",
            Message("policy_finding.pre_consent_title"),
            detail=Message("policy_finding.pre_consent_detail"),
            quotes=self.policy.pre_consent_collection,
        )

    def no_refusal(self) -> Finding:
        return Finding(
            "policy-no-refusal",
            "",
            "medium",
            Message("policy_finding.no_refusal_title"),
            detail=Message("policy_finding.no_refusal_detail"),
            quotes=self.policy.refusal_quotes,
        )


def confront(
    policy: PolicyAnalysis, facts: Mapping[str, AppCategoryFacts], lexicon: Lexicon | None = None
) -> tuple[Finding, ...]:
    """All policy findings, most severe first."""
    lex = lexicon or load_lexicon()
    build = _Findings(policy, lex)
    out: list[Finding] = []
    for cat, fact in facts.items():
        if not fact.used:
            continue
        status = policy.status(cat)
        if status == "denies":
            out.append(build.contradiction(cat, fact))
        elif status == "collects" and fact.verdict == "prohibited":
            out.append(build.admitted(cat, fact))
        elif (
            status == "silent"
            and cat not in NOT_EXPECTED_IN_POLICY
            and not any(policy.status(other) == "collects" for other in lex.equivalents.get(cat, ()))
        ):
            out.append(build.undisclosed(cat, fact))
    if policy.debt_collection_contact:
        out.append(build.contacts_debt(facts.get("contacts")))
    if policy.pre_consent_collection:
        out.append(build.pre_consent())
    if policy.refusal_allowed is False:
        out.append(build.no_refusal())
    return tuple(sorted(out, key=lambda f: (-severity_rank(f.severity), f.id)))
