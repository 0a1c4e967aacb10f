"""Confront what the privacy policy says with what the APK asks for and reads.

Per data category the app side arrives as :class:`AppCategoryFacts` (requested permissions, code evidence and the
rule-table verdict, computed elsewhere); the policy side as a :class:`~apkscan.evaluate.policy.PolicyAnalysis`.
The findings are the complaint-ready mismatches: silent about something the app takes, denying something it takes,
openly admitting what a lending app must not take, promising to contact the borrower's contacts about a debt, and
embedding a third-party SDK whose code reads personal data without naming it (:class:`SdkFacts`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from apkscan.evaluate.verdicts import reference_view
from apkscan.knowledge.lexicon import Lexicon, load_lexicon
from apkscan.knowledge.rules import PolicyFindingRule, RuleTable, load_rules, policy_finding_rules
from apkscan.model import Finding, ReferenceView, severity_rank
from apkscan.model.policy import PolicyAnalysis, Quote
from apkscan.model.text import Message, Param, Text
from apkscan.model.vocab import CATEGORY_VERDICTS, HARM_ORDER

# No policy lists "network" (every app uses it) and "other" has no vocabulary a policy would use.
NOT_EXPECTED_IN_POLICY = frozenset({"network", "other"})


@dataclass(frozen=True)
class AppCategoryFacts:
    category: str
    permissions: tuple[str, ...]  # requested permissions in this category
    read_in_code: bool | None  # None = no code evidence / unknown
    verdict: str  # worst rule-table verdict among the permissions: needed|conditional|prohibited|unrelated|unknown|none

    @property
    def used(self) -> bool:
        return bool(self.permissions) or self.read_in_code is True


@dataclass(frozen=True)
class SdkFacts:
    """A third-party SDK the code scan found, with the data categories its own code in this app reads."""

    id: str  # apkscan/data/sdks.toml id
    name: str
    reads: tuple[str, ...]  # categories read by call sites in the SDK's classes, most harmful first


def how_taken(facts: AppCategoryFacts) -> Message:
    """How the app takes the data: "requests READ_SMS and reads it in code", as a message."""
    perms = ", ".join(facts.permissions)
    if perms:
        key = "policy_finding.how_perms_code" if facts.read_in_code else "policy_finding.how_perms"
        return Message(key, {"permissions": perms})
    return Message("policy_finding.how_code")


class _Findings:
    """Builds each kind of finding: an id, a severity and references from the rule table, messages with parameters,
    the policy's own quotes."""

    def __init__(self, policy: PolicyAnalysis, rules: RuleTable, jurisdictions: Collection[str] | None) -> None:
        self.policy = policy
        self.table = rules
        self.kinds: Mapping[str, PolicyFindingRule] = policy_finding_rules(rules)
        self.jurisdictions = set(jurisdictions) if jurisdictions else None

    def quotes(self, category: str) -> tuple[Quote, ...]:
        return self.policy.categories[category].quotes if category in self.policy.categories else ()

    def data(self, category: str) -> Text:
        """The category's name from the rule table, as it reads inside a sentence ("contacts (address book)")."""
        known = self.table.categories.get(category)
        name = known.name if known else Text(category.replace("_", " "))
        en = name.en[:1].lower() + name.en[1:] if name.en[1:2].islower() else name.en
        return Text(en, name.zh)

    def rule(self, kind: str) -> PolicyFindingRule:
        return self.kinds[kind]

    def refs(self, kind: str) -> tuple[ReferenceView, ...]:
        wanted = self.jurisdictions
        return tuple(
            reference_view(r) for r in self.rule(kind).references if wanted is None or r.jurisdiction in wanted
        )

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
            self.rule("undisclosed").severity_for(facts.verdict),
            Message("policy_finding.undisclosed_title", {"data": self.data(cat)}),
            evidence=facts.permissions,
            detail=Message("policy_finding.undisclosed_detail", params),
            permissions=facts.permissions,
            references=self.refs("undisclosed"),
        )

    def contradiction(self, cat: str, facts: AppCategoryFacts) -> Finding:
        params: dict[str, Param] = {"data": self.data(cat), "how": how_taken(facts)}
        return Finding(
            f"policy-contradiction:{cat}",
            cat,
            self.rule("contradiction").severity,
            Message("policy_finding.contradiction_title", params),
            evidence=facts.permissions,
            detail=Message("policy_finding.contradiction_detail", params),
            permissions=facts.permissions,
            references=self.refs("contradiction"),
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
            self.rule("admitted_over_collection").severity,
            Message("policy_finding.admitted_title", {"data": self.data(cat)}),
            evidence=facts.permissions,
            detail=Message("policy_finding.admitted_detail", params),
            permissions=facts.permissions,
            references=self.refs("admitted_over_collection"),
            quotes=self.quotes(cat),
        )

    def contacts_debt(self, facts: AppCategoryFacts | None) -> Finding:
        permissions = facts.permissions if facts else ()
        return Finding(
            "policy-contacts-debt-collection",
            "contacts",
            self.rule("contacts_debt_collection").severity,
            Message("policy_finding.debt_title"),
            evidence=permissions,
            detail=Message("policy_finding.debt_detail"),
            permissions=permissions,
            references=self.refs("contacts_debt_collection"),
            quotes=self.policy.contacts_contacted,
        )

    def sdk_unlisted(self, sdks: Sequence[SdkFacts], facts: Mapping[str, AppCategoryFacts]) -> Finding:
        """One finding for every SDK the policy leaves out, so that a report grows by one entry, not one per SDK."""
        reads = [c for sdk in sdks for c in sdk.reads]
        verdict = max(
            (facts[c].verdict for c in reads if c in facts), key=lambda v: CATEGORY_VERDICTS.index(v), default="none"
        )
        listed = len(self.policy.third_party)
        params: dict[str, Param] = {
            "sdks": tuple(sdk.name for sdk in sdks),
            "reading": _one_after_another(
                [
                    Message(
                        "policy_finding.sdk_reads", {"sdk": sdk.name, "data": tuple(self.data(c) for c in sdk.reads)}
                    )
                    for sdk in sdks
                ]
            ),
            "listing": Message("policy_finding.sdk_listing", {"n": listed})
            if listed
            else Message("policy_finding.sdk_listing_none"),
        }
        worst = min(reads, key=lambda c: HARM_ORDER.index(c) if c in HARM_ORDER else len(HARM_ORDER))
        return Finding(
            "policy-sdk-unlisted",
            worst,
            self.rule("sdk_unlisted").severity_for(verdict),
            Message("policy_finding.sdk_unlisted_title", params),
            detail=Message("policy_finding.sdk_unlisted_detail", params),
            references=self.refs("sdk_unlisted"),
        )

    def pre_consent(self) -> Finding:
        return Finding(
            "policy-pre-consent",
            "",
            self.rule("pre_consent").severity,
            Message("policy_finding.pre_consent_title"),
            detail=Message("policy_finding.pre_consent_detail"),
            references=self.refs("pre_consent"),
            quotes=self.policy.pre_consent_collection,
        )

    def no_refusal(self) -> Finding:
        return Finding(
            "policy-no-refusal",
            "",
            self.rule("no_refusal").severity,
            Message("policy_finding.no_refusal_title"),
            detail=Message("policy_finding.no_refusal_detail"),
            references=self.refs("no_refusal"),
            quotes=self.policy.refusal_quotes,
        )


def confront(
    policy: PolicyAnalysis,
    facts: Mapping[str, AppCategoryFacts],
    lexicon: Lexicon | None = None,
    rules: RuleTable | None = None,
    jurisdictions: Collection[str] | None = None,
    sdks: Sequence[SdkFacts] = (),
) -> tuple[Finding, ...]:
    """All policy findings, most severe first; severities and references come from the rule table.

    An SDK of ``sdks`` is reported only when its code reads data, the lexicon knows the names policies give it (so
    that a policy naming it would have been recognised) and the policy names it nowhere."""
    lex = lexicon or load_lexicon()
    build = _Findings(policy, rules or load_rules(), jurisdictions)
    out: list[Finding] = []
    via_sdks = {c for t in policy.third_party for c in t.categories}  # disclosed as an SDK's collection
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
            and cat not in via_sdks
            and not any(policy.status(other) == "collects" for other in lex.equivalents.get(cat, ()))
        ):
            out.append(build.undisclosed(cat, fact))
    named = set(policy.sdks_named).union(*(t.sdk_ids for t in policy.third_party))
    if unlisted := [sdk for sdk in sdks if sdk.reads and sdk.id in lex.sdk_aliases and sdk.id not in named]:
        out.append(build.sdk_unlisted(unlisted, facts))
    if policy.debt_collection_contact:
        out.append(build.contacts_debt(facts.get("contacts")))
    if policy.pre_consent_collection:
        out.append(build.pre_consent())
    if policy.refusal_allowed is False:
        out.append(build.no_refusal())
    return tuple(sorted(out, key=lambda f: (-severity_rank(f.severity), f.id)))


def _one_after_another(parts: Sequence[Message]) -> Message:
    """Clauses that each hold their own "a and b", chained with semicolons: "X reads a and b; Y reads c" (a plain
    sequence would read "X reads a and b and Y reads c")."""
    if len(parts) == 1:
        return parts[0]
    return Message("policy_finding.then", {"first": parts[0], "rest": _one_after_another(parts[1:])})
