"""Put the app's privacy policy next to what the APK requests and reads.

:mod:`apkscan.evaluate.policy.consistency` decides contradictions, silences and admissions category by category; this
module feeds it the app's side (permissions with their verdicts, call sites) and turns its findings into the
report's :class:`~apkscan.model.Finding`, quoting the policy's own sentences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from apkscan.evaluate.policy.consistency import AppCategoryFacts, SdkFacts, confront
from apkscan.extract.code import CodeEvidence
from apkscan.knowledge.rules import RuleTable
from apkscan.model import VERDICT_RANK, Finding, PermissionVerdict
from apkscan.model.policy import PolicyAnalysis
from apkscan.model.vocab import CATEGORIES, HARM_ORDER


def app_category_facts(
    verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence | None
) -> dict[str, AppCategoryFacts]:
    """Per data category: effective permissions, worst verdict, and whether code reads it (None = cannot tell)."""
    perms: dict[str, list[PermissionVerdict]] = defaultdict(list)
    for v in verdicts:
        if v.effective:
            perms[v.category].append(v)
    read = {s.category for s in evidence.call_sites} if evidence else set()
    known = evidence is not None and evidence.complete
    facts = {}
    for category in set(perms) | read:
        found = perms.get(category, [])
        worst = max((v.verdict for v in found), key=VERDICT_RANK.__getitem__, default="none")
        in_code = True if category in read else (False if known else None)
        facts[category] = AppCategoryFacts(category, tuple(v.name for v in found), in_code, worst)
    return facts


def sdk_facts(evidence: CodeEvidence | None) -> tuple[SdkFacts, ...]:
    """The SDKs the code scan found, each with the categories that call sites in its own classes read."""
    if evidence is None:
        return ()
    order = {c: i for i, c in enumerate((*HARM_ORDER, *CATEGORIES))}
    reads: dict[str, set[str]] = defaultdict(set)
    for site in evidence.call_sites:
        if site.sdk and site.category in order and site.category not in ("network", "other"):
            reads[site.sdk].add(site.category)
    return tuple(
        SdkFacts(sdk.id, sdk.name, tuple(sorted(reads.get(sdk.id, ()), key=order.__getitem__))) for sdk in evidence.sdks
    )


def policy_findings(
    analysis: PolicyAnalysis,
    facts: dict[str, AppCategoryFacts],
    rules: RuleTable | None = None,
    jurisdictions: Collection[str] | None = None,
    evidence: CodeEvidence | None = None,
) -> list[Finding]:
    """The policy findings, the SDK check included when the code was scanned."""
    return list(confront(analysis, facts, rules=rules, jurisdictions=jurisdictions, sdks=sdk_facts(evidence)))
