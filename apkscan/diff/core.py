"""What changed between two versions of an app, from their JSON reports (``apkscan.report/1``).

Predatory lenders ask for a little more with each update. Comparing two reports says what an update
added: permissions (with their verdicts), data categories the code newly reads, SDKs, upload
endpoints, privacy-policy changes, findings that appeared or went away -- and who signed it: the same
key, a rotated key (the new key's v3 lineage includes the old one) or a different key.

Output is plain data with ids and parameters, no sentences: a renderer words the headline
(``update-reads-new-data`` with ``categories=("calendar",)`` -> "this update added reading your
calendar") in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

#: Categories whose new reading makes the headline: what harassing collectors use.
PERSONAL = (
    "contacts",
    "sms",
    "call_log",
    "photos_media",
    "calendar",
    "accounts",
    "location",
    "installed_apps",
    "phone_identity",
    "storage",
    "microphone",
)
HEADLINES = (
    "different-apps",
    "update-reads-new-data",
    "update-requests-prohibited",
    "update-new-signer",
    "update-new-upload-endpoints",
    "update-new-sdk",
    "update-fewer-findings",
    "update-no-privacy-change",
)
SIGNER_RELATIONS = ("same", "rotated", "new_key", "unknown")


@dataclass(frozen=True, slots=True)
class PermissionChange:
    name: str
    category: str
    verdict: str
    severity: str


@dataclass(frozen=True, slots=True)
class SignerChange:
    """``relation``: same | rotated (new lineage contains the old key) | new_key | unknown (a side has no signer)."""

    relation: str
    old: tuple[str, ...]  # certificate SHA-256 of the current signer(s)
    new: tuple[str, ...]
    lineage: tuple[str, ...] = ()  # the new APK's rotation lineage, oldest first


@dataclass(frozen=True, slots=True)
class PolicyChange:
    category: str
    old: str  # collects | denies | silent | "" (no policy analysed)
    new: str
    quotes: tuple[str, ...] = ()  # the new policy's sentences for the category


@dataclass(frozen=True, slots=True)
class ReportDiff:
    old_package: str
    new_package: str
    old_version: tuple[str, str]  # (version_name, version_code)
    new_version: tuple[str, str]
    signer: SignerChange
    permissions_added: tuple[PermissionChange, ...] = ()
    permissions_removed: tuple[PermissionChange, ...] = ()
    categories_read_added: tuple[str, ...] = ()  # data categories the code reads now and did not before
    categories_read_removed: tuple[str, ...] = ()
    sdks_added: tuple[str, ...] = ()
    sdks_removed: tuple[str, ...] = ()
    endpoints_added: tuple[str, ...] = ()
    endpoints_removed: tuple[str, ...] = ()
    policy_changes: tuple[PolicyChange, ...] = ()
    findings_added: tuple[str, ...] = ()
    findings_resolved: tuple[str, ...] = ()
    old_risk: str = ""
    new_risk: str = ""
    headline: str = "update-no-privacy-change"
    headline_params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["headline_params"] = dict(self.headline_params)
        return out


def diff_reports(
    old: Mapping[str, Any], new: Mapping[str, Any], old_lineage: Sequence[str] = (), new_lineage: Sequence[str] = ()
) -> ReportDiff:
    """Compare two report dicts; lineages (certificate SHA-256s, oldest first) come from the APKs."""
    old_app, new_app = old.get("app") or {}, new.get("app") or {}
    old_perms, new_perms = _permissions(old), _permissions(new)
    old_cats, new_cats = _code_categories(old), _code_categories(new)
    old_sdks, new_sdks = _sdks(old), _sdks(new)
    old_urls, new_urls = _endpoints(old), _endpoints(new)
    old_findings, new_findings = _ids(old.get("findings")), _ids(new.get("findings"))
    lineage = tuple(new_lineage or new_app.get("signer_lineage") or ())
    result = ReportDiff(
        old_package=str(old_app.get("package", "")),
        new_package=str(new_app.get("package", "")),
        old_version=(str(old_app.get("version_name", "")), str(old_app.get("version_code", ""))),
        new_version=(str(new_app.get("version_name", "")), str(new_app.get("version_code", ""))),
        signer=_signer_change(old_app, new_app, tuple(old_lineage or old_app.get("signer_lineage") or ()), lineage),
        permissions_added=tuple(new_perms[n] for n in sorted(set(new_perms) - set(old_perms))),
        permissions_removed=tuple(old_perms[n] for n in sorted(set(old_perms) - set(new_perms))),
        categories_read_added=_ordered(new_cats - old_cats),
        categories_read_removed=_ordered(old_cats - new_cats),
        sdks_added=tuple(sorted(set(new_sdks) - set(old_sdks))),
        sdks_removed=tuple(sorted(set(old_sdks) - set(new_sdks))),
        endpoints_added=tuple(sorted(new_urls - old_urls)),
        endpoints_removed=tuple(sorted(old_urls - new_urls)),
        policy_changes=_policy_changes(old, new),
        findings_added=tuple(f for f in new_findings if f not in old_findings),
        findings_resolved=tuple(f for f in old_findings if f not in new_findings),
        old_risk=str((old.get("summary") or {}).get("risk", "")),
        new_risk=str((new.get("summary") or {}).get("risk", "")),
    )
    headline, params = _headline(result, new_sdks)
    return ReportDiff(**{**_fields(result), "headline": headline, "headline_params": params})


def _fields(diff: ReportDiff) -> dict[str, Any]:
    return {name: getattr(diff, name) for name in diff.__dataclass_fields__}


def _headline(d: ReportDiff, new_sdks: Mapping[str, Mapping[str, Any]]) -> tuple[str, dict[str, Any]]:
    if d.old_package and d.new_package and d.old_package != d.new_package:
        return "different-apps", {"old": d.old_package, "new": d.new_package}
    personal = tuple(c for c in d.categories_read_added if c in PERSONAL)
    if personal:
        return "update-reads-new-data", {"categories": personal}
    prohibited = tuple(p.name for p in d.permissions_added if p.verdict == "prohibited")
    if prohibited:
        return "update-requests-prohibited", {"permissions": prohibited}
    if d.signer.relation == "new_key":
        return "update-new-signer", {"old": d.signer.old, "new": d.signer.new}
    if d.endpoints_added:
        return "update-new-upload-endpoints", {"endpoints": d.endpoints_added}
    if d.sdks_added:
        kinds = tuple(str(new_sdks[s].get("kind", "")) for s in d.sdks_added)
        return "update-new-sdk", {"sdks": d.sdks_added, "kinds": kinds}
    if d.findings_resolved and not d.findings_added:
        return "update-fewer-findings", {"resolved": d.findings_resolved}
    return "update-no-privacy-change", {}


def _permissions(report: Mapping[str, Any]) -> dict[str, PermissionChange]:
    out = {}
    for p in report.get("permissions") or ():
        if isinstance(p, Mapping) and p.get("name"):
            out[str(p["name"])] = PermissionChange(
                str(p["name"]), str(p.get("category", "")), str(p.get("verdict", "")), str(p.get("severity", ""))
            )
    return out


def _code_categories(report: Mapping[str, Any]) -> set[str]:
    code = report.get("code") or {}
    return {
        str(s["category"])
        for s in code.get("call_sites") or ()
        if isinstance(s, Mapping) and s.get("category") and s.get("category") != "other"
    }


def _sdks(report: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    code = report.get("code") or {}
    return {str(s["id"]): s for s in code.get("sdks") or () if isinstance(s, Mapping) and s.get("id")}


def _endpoints(report: Mapping[str, Any]) -> set[str]:
    code = report.get("code") or {}
    return {
        str(s["value"])
        for s in code.get("strings") or ()
        if isinstance(s, Mapping) and s.get("kind") == "upload_endpoint" and s.get("value")
    }


def _ids(findings: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(f["id"]) for f in findings or () if isinstance(f, Mapping) and f.get("id")))


def _ordered(categories: set[str]) -> tuple[str, ...]:
    order = {c: i for i, c in enumerate(PERSONAL)}
    return tuple(sorted(categories, key=lambda c: (order.get(c, len(order)), c)))


def _current_signers(app: Mapping[str, Any]) -> tuple[str, ...]:
    """The certificates Android checks on a current device: v3/v3.1 when present, else v2, else v1."""
    signers = [s for s in app.get("signers") or () if isinstance(s, Mapping) and s.get("sha256")]
    for scheme in ("v3.1", "v3", "v2", "v1"):
        chosen = [str(s["sha256"]) for s in signers if scheme in str(s.get("scheme", "")).split("+")]
        if chosen:
            return tuple(sorted(set(chosen)))
    return tuple(sorted({str(s["sha256"]) for s in signers}))


def _signer_change(
    old_app: Mapping[str, Any], new_app: Mapping[str, Any], old_lineage: tuple[str, ...], lineage: tuple[str, ...]
) -> SignerChange:
    old, new = _current_signers(old_app), _current_signers(new_app)
    if not old or not new:
        relation = "unknown"
    elif set(old) & set(new):
        relation = "same"
    elif set(old) & set(lineage) or set(new) & set(old_lineage):
        relation = "rotated"  # forward along the lineage, or back to one of its older keys
    else:
        relation = "new_key"
    return SignerChange(relation, old, new, lineage)


def _policy_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[PolicyChange, ...]:
    old_cats = ((old.get("policy") or {}).get("categories")) or {}
    new_cats = ((new.get("policy") or {}).get("categories")) or {}
    out = []
    for cat in _ordered(set(old_cats) | set(new_cats)):
        before = str((old_cats.get(cat) or {}).get("status", ""))
        after_entry = new_cats.get(cat) or {}
        after = str(after_entry.get("status", ""))
        if before != after:
            quotes = tuple(
                str(q.get("sentence", "")) for q in after_entry.get("quotes") or () if isinstance(q, Mapping)
            )
            out.append(PolicyChange(cat, before, after, quotes))
    return tuple(out)
