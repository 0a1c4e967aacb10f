"""Judge each requested permission against the lending-app rule table.

The rule table says what a lender needs; this module applies it to one app, including whether the request
still has any effect on current Android (maxSdkVersion caps, permissions that no longer grant anything).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from apkscan.knowledge.rules import PermissionRule, Reference, RuleTable
from apkscan.model import VERDICT_RANK, AppFacts, PermissionRequest, PermissionVerdict, ReferenceView
from apkscan.model.text import Message, Text

LATEST_API = 35


@lru_cache(maxsize=1)
def aosp_permissions() -> dict[str, dict]:
    """Android's own permission list (shipped with androguard), for protection levels the table lacks."""
    from androguard.core import androconf

    import apkscan.extract.quiet  # noqa: F401  (androguard logs on import)

    return androconf.load_api_specific_resource_module("aosp_permissions", LATEST_API) or {}


def judge_permissions(
    app: AppFacts, rules: RuleTable, jurisdictions: Collection[str] | None
) -> tuple[PermissionVerdict, ...]:
    declared = {d.name for d in app.declared_permissions}
    verdicts = [_judge(req, rules.lookup(req.name), app, declared, jurisdictions) for req in app.permissions]
    return tuple(sorted(verdicts, key=lambda v: (-VERDICT_RANK[v.verdict], v.category, v.name)))


def _judge(
    req: PermissionRequest,
    rule: PermissionRule | None,
    app: AppFacts,
    declared: set[str],
    jurisdictions: Collection[str] | None,
) -> PermissionVerdict:
    effective, note = _effect(req, rule, app.target_sdk)
    if rule is None:
        return PermissionVerdict(
            name=req.name,
            short_name=req.name.rsplit(".", 1)[-1],
            category="other",
            protection=_unknown_protection(req.name, declared),
            verdict="unknown",
            severity="info",
            effective=effective,
            effect_note=note,
            reason=Text(""),
            alternative=Text(""),
            condition=Text(""),
            tags=req.tags,
            max_sdk=req.max_sdk,
            sources=req.sources,
            references=(),
        )
    return PermissionVerdict(
        name=req.name,
        short_name=req.name.rsplit(".", 1)[-1],
        category=rule.category,
        protection=rule.protection,
        verdict=rule.verdict,
        severity=rule.severity,
        effective=effective,
        effect_note=note,
        reason=rule.reason,
        alternative=rule.alternative,
        condition=rule.condition,
        tags=req.tags,
        max_sdk=req.max_sdk,
        sources=req.sources,
        references=tuple(reference_view(r) for r in rule.references_for(jurisdictions)),
    )


def reference_view(ref: Reference) -> ReferenceView:
    return ReferenceView(
        jurisdiction=ref.jurisdiction,
        rule=ref.title,
        article=ref.article,
        date=ref.date,
        url=ref.url,
        verification=ref.verification,
        note=ref.note,
        source_id=ref.source_id,
        short=ref.short,
    )


def _unknown_protection(name: str, declared: set[str]) -> str:
    if name in declared:
        return "custom (declared by this app)"
    level = aosp_permissions().get(name, {}).get("protectionLevel")
    return level or "unknown"


def _effect(req: PermissionRequest, rule: PermissionRule | None, target: int | None) -> tuple[bool, Message | None]:
    """Does the request still grant anything on a current device? Returns (effective, explanation)."""
    if req.max_sdk is not None and target is not None and req.max_sdk < target:
        return False, Message("effect.capped", {"max_sdk": req.max_sdk})
    cutoff = rule.no_effect_from_target_sdk if rule else None
    if cutoff is not None and target is not None and target >= cutoff:
        return False, Message("effect.no_effect", {"target": target, "cutoff": cutoff})
    if "uses-permission-sdk-23" in req.tags or "uses-permission-sdk-m" in req.tags:
        return True, Message("effect.sdk23")
    if "implied" in req.tags:
        return True, Message("effect.implied")
    return True, None
