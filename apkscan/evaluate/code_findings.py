"""Confront the manifest verdicts with what the code really does.

A permission in the manifest says what an app *may* read; the call sites say what it *does* read and who does
it (the app or an SDK). Each permission gets a code status, and the findings gain the call sites as evidence:
"used in code", "used only by SDK X", "declared but no use found" (still over-collection: Android grants it all
the same) or "unknown: packed" — never an implied all-clear when the code is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from apkscan.extract.code import ApiCatalog, CallSite, CodeEvidence
from apkscan.i18n import join_words, t
from apkscan.model import Finding, PermissionVerdict

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
    who = f" [SDK {site.sdk}]" if site.sdk else ""
    return f"{site.caller_class}.{site.caller_method} → {site.api} ({site.dex}){who}"


def enrich_findings(
    findings: list[Finding], verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence, lang: str
) -> list[Finding]:
    """Add code evidence to the permission findings, and the findings only code can give."""
    by_category: dict[str, list[CallSite]] = defaultdict(list)
    for site in evidence.call_sites:
        by_category[site.category].append(site)
    enriched = [_with_code(f, evidence, lang) for f in findings]
    enriched = [_stronger_harassment(f, by_category, evidence, lang) for f in enriched]
    return enriched + _not_permitted(verdicts, evidence, lang) + _hidden_code(evidence, lang) + _sdks(evidence, lang)


def _with_code(finding: Finding, evidence: CodeEvidence, lang: str) -> Finding:
    if not finding.id.startswith(("over-collection:", "conditional:")):
        return finding
    relevant = [s for s in evidence.call_sites if set(site_permissions(s)) & set(finding.permissions)]
    if relevant:
        lines = [t("code.read_in_code", lang, count=len(relevant))]
        lines += [describe_site(s) for s in relevant[:SHOWN_SITES]]
    elif not evidence.complete:
        lines = [t("code.incomplete", lang, why=_hidden_reason(evidence, lang))]
    else:
        lines = [t("code.no_use_found" if finding.id.startswith("over") else "code.no_use_conditional", lang)]
    return replace(finding, evidence=finding.evidence + tuple(lines))


def _stronger_harassment(
    finding: Finding, by_category: dict[str, list[CallSite]], evidence: CodeEvidence, lang: str
) -> Finding:
    if finding.id != "contact-harassment":
        return finding
    reads = by_category.get("contacts", [])
    uploads = [s.value for s in evidence.strings if s.kind == "upload_endpoint"]
    uploads.sort(key=lambda u: "contact" not in u)
    if not (reads and uploads):
        return finding
    lines = [t("code.harassment_proven", lang), *(describe_site(s) for s in reads[:SHOWN_SITES])]
    lines += [t("code.upload_endpoint", lang, url=u) for u in uploads[:SHOWN_SITES]]
    return replace(
        finding,
        evidence=finding.evidence + tuple(lines),
        detail=finding.detail + " " + t("code.harassment_proven", lang),
    )


def _not_permitted(verdicts: tuple[PermissionVerdict, ...], evidence: CodeEvidence, lang: str) -> list[Finding]:
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
            title=t("code.not_permitted_title", lang, noun=t(f"noun.{category}", lang)),
            evidence=tuple(describe_site(s) for s in sites[:SHOWN_SITES]),
            detail=t(
                "code.not_permitted_detail",
                lang,
                permissions=", ".join(sorted({p for s in sites for p in site_permissions(s)})),
            ),
        )
        for category, sites in missing.items()
    ]


def _hidden_reason(evidence: CodeEvidence, lang: str) -> str:
    if evidence.packers:
        return t("code.packed_with", lang, names=join_words([p.name for p in evidence.packers], lang))
    return t("code.dex_failed", lang)


def _hidden_code(evidence: CodeEvidence, lang: str) -> list[Finding]:
    found = []
    if not evidence.complete:
        lines = [f"{p.name}: {', '.join(p.evidence)}" for p in evidence.packers]
        lines += [f"{d.name}: {d.error}" for d in evidence.dex_files if d.parser == "failed"]
        found.append(
            Finding(
                "code-hidden",
                "other",
                "medium",
                t("code.incomplete", lang, why=_hidden_reason(evidence, lang)),
                tuple(lines),
                t("code.hidden_detail", lang),
            )
        )
    if evidence.obfuscated:
        found.append(
            Finding(
                "code-obfuscated",
                "other",
                "info",
                t("code.obfuscated_title", lang),
                (f"{evidence.obfuscation_ratio:.0%}",),
                t("code.obfuscated_detail", lang),
            )
        )
    return found


def _sdks(evidence: CodeEvidence, lang: str) -> list[Finding]:
    return [
        Finding(
            id=f"sdk:{sdk.id}",
            category=sdk.harvests[0] if sdk.harvests else "other",
            severity="high",
            title=t("code.risk_sdk_title", lang, name=sdk.name),
            evidence=(
                t("code.sdk_harvests", lang, nouns=join_words([t(f"noun.{c}", lang) for c in sdk.harvests], lang)),
                sdk.source,
            ),
            detail=t("code.risk_sdk_detail", lang),
        )
        for sdk in evidence.sdks
        if sdk.kind in RISKY_SDK_KINDS
    ]
