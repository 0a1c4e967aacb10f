"""Merge the manifests of a base APK and its splits into one app view.

Android installs the union of what base and splits request, so the report does too, while each permission
remembers which file declared it and how often (duplicates are common in repackaged loan apps).
"""

from __future__ import annotations

from apkscan.extract.manifest import PartManifest
from apkscan.model import AppFacts, Component, DeclaredPermission, PermissionRequest, Signer

P = "android.permission."
# (condition on target SDK, permission that must be present, permission implied) — the platform's
# compatibility grants, as PackageParser applies them.
IMPLIED: tuple[tuple[int, str | None, str], ...] = (
    (4, None, P + "WRITE_EXTERNAL_STORAGE"),
    (4, None, P + "READ_PHONE_STATE"),
    (10_000, P + "WRITE_EXTERNAL_STORAGE", P + "READ_EXTERNAL_STORAGE"),
    (16, P + "READ_CONTACTS", P + "READ_CALL_LOG"),
    (16, P + "WRITE_CONTACTS", P + "WRITE_CALL_LOG"),
)


def merge_parts(parts: list[PartManifest], signers: list[Signer], lineage: tuple[str, ...] = ()) -> AppFacts:
    base = parts[0]
    return AppFacts(
        package=base.package,
        label=base.label or next((p.label for p in parts if p.label), ""),
        label_zh=base.label_zh or next((p.label_zh for p in parts if p.label_zh), ""),
        version_name=base.version_name,
        version_code=base.version_code,
        min_sdk=base.min_sdk,
        target_sdk=base.target_sdk if base.target_sdk is not None else base.min_sdk,
        max_sdk=base.max_sdk,
        permissions=_permissions(parts, base.target_sdk or base.min_sdk or 1),
        declared_permissions=tuple(
            DeclaredPermission(name, level, p.source) for p in parts for name, level in p.declared
        ),
        components=tuple(Component(source=p.source, **c) for p in parts for c in p.components),
        signers=tuple(signers),
        application_class=base.application_class,
        splits=tuple(p.split or p.source for p in parts[1:]),
        signer_lineage=lineage,
    )


def _permissions(parts: list[PartManifest], target_sdk: int) -> tuple[PermissionRequest, ...]:
    merged: dict[str, dict] = {}
    for part in parts:
        for use in part.uses:
            entry = merged.setdefault(use.name, {"tags": [], "max_sdk": use.max_sdk, "sources": [], "count": 0})
            entry["count"] += 1
            _add(entry["tags"], use.tag)
            _add(entry["sources"], part.source)
            entry["max_sdk"] = _wider(entry["max_sdk"], use.max_sdk)
    for below, needs, implied in IMPLIED:
        if target_sdk < below and (needs is None or needs in merged) and implied not in merged:
            cap = merged[needs]["max_sdk"] if needs else None
            merged[implied] = {"tags": ["implied"], "max_sdk": cap, "sources": [parts[0].source], "count": 1}
    return tuple(
        PermissionRequest(name, tuple(e["tags"]), e["max_sdk"], tuple(e["sources"]), e["count"] - 1)
        for name, e in sorted(merged.items())
    )


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _wider(a: int | None, b: int | None) -> int | None:
    """Two declarations of one permission: the uncapped one wins, else the higher cap."""
    return None if a is None or b is None else max(a, b)
