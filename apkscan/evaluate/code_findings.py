"""Confront the manifest verdicts with what the code really does.

A permission in the manifest says what an app *may* read; the call sites say what it *does* read and who does
it (the app or an SDK). Each permission gets a code status, and the findings gain the call sites as evidence:
"used in code", "used only by SDK X", "declared but no use found" (still over-collection: Android grants it all
the same) or "unknown: packed" — never an implied all-clear when the code is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from apkscan.evaluate.findings import noun
from apkscan.extract.code import ApiCatalog, CallSite, CodeEvidence
from apkscan.model import Finding, PermissionVerdict
from apkscan.model.text import Message

SHOWN_SITES = 3
RISKY_SDK_KINDS = ("risk_control",)


def site_permissions(site: CallSite) -> tuple[str, ...]:
    return ((site.permission,) if site.permission else ()) + tuple(site.alt_permissions)


def covered_permissions(catalog: ApiCatalog) -> set[str]:
    """Permissions for which the API list can tell use from non-use."""
    return {p for api in catalog.apis for p in ((api.permission,) if api.permission else ()) + api.alt_permissions}


def apply_code_status(
    verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence, catalog: ApiCatalog
) -> tuple[PermissionVerdict, ...]:
    covered = covered_permissions(catalog)
    out = []
    for v in verdicts:
        sites = [s for s in evidence.call_sites if v.name in site_permissions(s)]
        out.append(replace(v, code_status=_status(v.name, sites, evidence, covered), code_sites=len(sites)))
    return tuple(out)


def _status(name: str, sites: list[CallSite], evidence: CodeEvidence, covered: set[str]) -> str:
    if sites:
        return "used" if any(s.sdk is None for s in sites) else "sdk_only"
    if name not in covered:
        return ""
    if evidence.complete:
        return "no_use_found"
    return "unknown_packed" if evidence.packers else "unknown"


def describe_site(site: CallSite) -> str:
    """One call site in a line any reader can look up: ``Caller.method → API (classes.dex) [SDK x]``."""
    who = f" [SDK {site.sdk}]" if site.sdk else ""
    return f"{site.caller_class}.{site.caller_method} → {site.api} ({site.dex}){who}"


def enrich_findings(
    findings: list[Finding], verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence
) -> list[Finding]:
    """Add code evidence to the permission findings, and the findings only code can give."""
    by_category: dict[str, list[CallSite]] = defaultdict(list)
    for site in evidence.call_sites:
        by_category[site.category].append(site)
    enriched = [_stronger_harassment(_with_code(f, evidence), by_category, evidence) for f in findings]
    return enriched + _not_permitted(verdicts, evidence) + _hidden_code(evidence) + _sdks(evidence)


def _with_code(finding: Finding, evidence: CodeEvidence) -> Finding:
    if not finding.id.startswith(("over-collection:", "conditional:")):
        return finding
    relevant = [s for s in evidence.call_sites if set(site_permissions(s)) & set(finding.permissions)]
    lines: list[Message | str]
    if relevant:
        lines = [Message("code.read_in_code", {"count": len(relevant)})]
        lines += [describe_site(s) for s in relevant[:SHOWN_SITES]]
    elif not evidence.complete:
        lines = [Message("code.incomplete", {"why": hidden_reason(evidence)})]
    else:
        lines = [Message("code.no_use_found" if finding.id.startswith("over") else "code.no_use_conditional")]
    return replace(finding, evidence=finding.evidence + tuple(lines))


def upload_endpoints(evidence: CodeEvidence) -> list[str]:
    """Upload endpoints found in the code, the ones naming contacts first."""
    uploads = [s.value for s in evidence.strings if s.kind == "upload_endpoint"]
    return sorted(uploads, key=lambda u: "contact" not in u)


def _stronger_harassment(finding: Finding, by_category: dict[str, list[CallSite]], evidence: CodeEvidence) -> Finding:
    if finding.id != "contact-harassment":
        return finding
    reads = by_category.get("contacts", [])
    uploads = upload_endpoints(evidence)
    if not (reads and uploads):
        return finding
    lines: list[Message | str] = [Message("code.harassment_proven")]
    lines += [describe_site(s) for s in reads[:SHOWN_SITES]]
    lines += [Message("code.upload_endpoint", {"url": u}) for u in uploads[:SHOWN_SITES]]
    detail = finding.detail
    if isinstance(detail, Message):
        detail = Message(detail.key + "_proven", detail.params)
    return replace(finding, evidence=finding.evidence + tuple(lines), detail=detail)


def _not_permitted(verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence) -> list[Finding]:
    """Code that reads a category whose permission is not requested: capable, but Android would refuse."""
    requested = {v.name for v in verdicts if v.effective}
    missing: dict[str, list[CallSite]] = defaultdict(list)
    for site in evidence.call_sites:
        perms = site_permissions(site)
        if perms and not set(perms) & requested:
            missing[site.category].append(site)
    return [
        Finding(
            id=f"capable-not-permitted:{category}",
            category=category,
            severity="low",
            title=Message("code.not_permitted_title", {"noun": noun(category)}),
            evidence=tuple(describe_site(s) for s in sites[:SHOWN_SITES]),
            detail=Message(
                "code.not_permitted_detail",
                {"permissions": ", ".join(sorted({p for s in sites for p in site_permissions(s)}))},
            ),
        )
        for category, sites in missing.items()
    ]


def hidden_reason(evidence: CodeEvidence) -> Message:
    """Why the code evidence is incomplete: a packer by name, or DEX files that could not be read."""
    if evidence.packers:
        return Message("code.packed_with", {"names": tuple(p.name for p in evidence.packers)})
    return Message("code.dex_failed")


def _hidden_code(evidence: CodeEvidence) -> list[Finding]:
    found = []
    if not evidence.complete:
        lines = [f"{p.name}: {', '.join(p.evidence)}" for p in evidence.packers]
        lines += [f"{d.name}: {d.error}" for d in evidence.dex_files if d.parser == "failed"]
        title = Message("code.incomplete", {"why": hidden_reason(evidence)})
        found.append(Finding("code-hidden", "other", "medium", title, tuple(lines), Message("code.hidden_detail")))
    if evidence.obfuscated:
        title, detail = Message("code.obfuscated_title"), Message("code.obfuscated_detail")
        found.append(Finding("code-obfuscated", "other", "info", title, (f"{evidence.obfuscation_ratio:.0%}",), detail))
    return found


def _sdks(evidence: CodeEvidence) -> list[Finding]:
    return [
        Finding(
            id=f"sdk:{sdk.id}",
            category=sdk.harvests[0] if sdk.harvests else "other",
            severity="high",
            title=Message("code.risk_sdk_title", {"name": sdk.name}),
            evidence=(Message("code.sdk_harvests", {"nouns": tuple(noun(c) for c in sdk.harvests)}), sdk.source),
            detail=Message("code.risk_sdk_detail"),
        )
        for sdk in evidence.sdks
        if sdk.kind in RISKY_SDK_KINDS
    ]
