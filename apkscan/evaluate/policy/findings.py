"""Put the app's privacy policy next to what the APK requests and reads.

:mod:`apkscan.evaluate.policy.consistency` decides contradictions, silences and admissions category by category; this
module feeds it the app's side (permissions with their verdicts, call sites) and turns its findings into the
report's :class:`~apkscan.model.Finding`, quoting the policy's own sentences.
"""

from __future__ import annotations

from collections import defaultdict

from apkscan.evaluate.policy.analysis import PolicyAnalysis
from apkscan.evaluate.policy.consistency import AppCategoryFacts, PolicyFinding, confront
from apkscan.extract.code import CodeEvidence
from apkscan.model import VERDICT_RANK, Finding, PermissionVerdict


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


def policy_findings(analysis: PolicyAnalysis, facts: dict[str, AppCategoryFacts], lang: str) -> list[Finding]:
    return [_finding(f, lang) for f in confront(analysis, facts)]


def _finding(found: PolicyFinding, lang: str) -> Finding:
    zh = lang == "zh"
    return Finding(
        id=found.id,
        category=found.category,
        severity=found.severity,
        title=found.title_zh if zh and found.title_zh else found.title_en,
        evidence=tuple(found.permissions),
        detail=found.detail_zh if zh and found.detail_zh else found.detail_en,
        permissions=tuple(found.permissions),
        quotes=tuple(q.to_dict() for q in found.quotes),
    )
