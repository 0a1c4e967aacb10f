"""What changed between two versions of an app, from their reports: the data of ``apkscan diff`` (``apkscan.diff/1``).

Predatory lenders ask for a little more with each update. Comparing two reports says what an update added:
permissions (with their verdicts), data categories the code newly reads, SDKs, upload endpoints, privacy-policy
changes, findings that appeared or went away -- and who signed it: the same key, a rotated key (the new key's v3
lineage includes the old one, so the two certificates are one signer's old and new key) or a different key.

Plain data with message ids, no sentences: the renderers word the headline ("this update added reading your
calendar") in the reader's language. The input is two :class:`~apkscan.model.Report` objects, so a diff works the
same on two APKs, two bundles or two JSON reports read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from apkscan.model import Finding, Report
from apkscan.model.text import Message, Words
from apkscan.model.vocab import CATEGORIES, HARM_ORDER

SIGNER_RELATIONS = ("same", "rotated", "new_key", "unknown")
#: Headline ids (``diff.<id>`` in ui.toml), in the order they are tried.
HEADLINES = (
    "different_apps",
    "reads_new_data",
    "requests_prohibited",
    "new_signer",
    "new_upload_endpoints",
    "new_sdk",
    "fewer_findings",
    "no_privacy_change",
)
#: Categories whose new reading makes the headline, most damaging first: what harassing collectors use.
PERSONAL = (*HARM_ORDER, *(c for c in CATEGORIES if c not in HARM_ORDER and c not in ("network", "other", "sensors")))


@dataclass(frozen=True)
class Side:
    """One version as the diff shows it."""

    package: str
    label: str
    version_name: str
    version_code: str
    sha256: str
    risk: str
    lending: str  # yes | unsure | no | "" (a report written before the lending decision existed)


@dataclass(frozen=True)
class PermissionChange:
    name: str
    category: str
    verdict: str
    severity: str


@dataclass(frozen=True)
class SignerChange:
    """``relation``: same | rotated (one lineage holds both keys) | new_key | unknown (a side has no signer)."""

    relation: str
    old: tuple[str, ...]  # certificate SHA-256s Android checks on a current device (v3 first, then v2, then v1)
    new: tuple[str, ...]
    lineage: tuple[str, ...] = ()  # the rotation lineage that links them, oldest first


@dataclass(frozen=True)
class SdkChange:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class PolicyChange:
    category: str
    old: str  # collects | denies | silent | "" (no policy analysed)
    new: str
    quotes: tuple[str, ...] = ()  # the new policy's sentences for the category


@dataclass(frozen=True)
class FindingChange:
    id: str
    severity: str
    title: Words


@dataclass(frozen=True)
class ReportDiff:
    old: Side
    new: Side
    headline: Message
    signer: SignerChange
    permissions_added: tuple[PermissionChange, ...] = ()
    permissions_removed: tuple[PermissionChange, ...] = ()
    categories_read_added: tuple[str, ...] = ()  # data categories the code reads now and did not before
    categories_read_removed: tuple[str, ...] = ()
    sdks_added: tuple[SdkChange, ...] = ()
    sdks_removed: tuple[SdkChange, ...] = ()
    endpoints_added: tuple[str, ...] = ()
    endpoints_removed: tuple[str, ...] = ()
    policy_changes: tuple[PolicyChange, ...] = ()
    findings_added: tuple[FindingChange, ...] = ()
    findings_resolved: tuple[FindingChange, ...] = ()


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two reports of (normally) the same app, old first."""
    old_perms, new_perms = _permissions(old), _permissions(new)
    old_cats, new_cats = _code_categories(old), _code_categories(new)
    old_sdks, new_sdks = _sdks(old), _sdks(new)
    old_urls, new_urls = _endpoints(old), _endpoints(new)
    old_findings, new_findings = _findings(old.findings), _findings(new.findings)
    parts = {
        "old": _side(old),
        "new": _side(new),
        "signer": _signer_change(old, new),
        "permissions_added": tuple(new_perms[n] for n in sorted(set(new_perms) - set(old_perms))),
        "permissions_removed": tuple(old_perms[n] for n in sorted(set(old_perms) - set(new_perms))),
        "categories_read_added": _ordered(new_cats - old_cats),
        "categories_read_removed": _ordered(old_cats - new_cats),
        "sdks_added": tuple(new_sdks[s] for s in sorted(set(new_sdks) - set(old_sdks))),
        "sdks_removed": tuple(old_sdks[s] for s in sorted(set(old_sdks) - set(new_sdks))),
        "endpoints_added": tuple(sorted(new_urls - old_urls)),
        "endpoints_removed": tuple(sorted(old_urls - new_urls)),
        "policy_changes": _policy_changes(old, new),
        "findings_added": tuple(f for i, f in new_findings.items() if i not in old_findings),
        "findings_resolved": tuple(f for i, f in old_findings.items() if i not in new_findings),
    }
    draft = ReportDiff(headline=Message("diff.no_privacy_change"), **parts)  # type: ignore[arg-type]
    return ReportDiff(headline=_headline(draft), **parts)  # type: ignore[arg-type]


def _side(report: Report) -> Side:
    app = report.app
    return Side(
        package=app.package if app else "",
        label=report.display_name,
        version_name=app.version_name if app else "",
        version_code=app.version_code if app else "",
        sha256=report.input.sha256,
        risk=report.summary.risk,
        lending=report.lending.decision if report.lending else "",
    )


def _headline(d: ReportDiff) -> Message:
    if d.old.package and d.new.package and d.old.package != d.new.package:
        return Message("diff.different_apps", {"old": d.old.package, "new": d.new.package})
    personal = tuple(c for c in d.categories_read_added if c in PERSONAL)
    if personal:
        return Message("diff.reads_new_data", {"nouns": tuple(Message(f"noun.{c}") for c in personal)})
    prohibited = tuple(p.name.rsplit(".", 1)[-1] for p in d.permissions_added if p.verdict == "prohibited")
    if prohibited:
        return Message("diff.requests_prohibited", {"permissions": prohibited})
    if d.signer.relation == "new_key":
        return Message("diff.new_signer")
    if d.endpoints_added:
        return Message("diff.new_upload_endpoints", {"endpoints": d.endpoints_added})
    if d.sdks_added:
        return Message("diff.new_sdk", {"sdks": tuple(s.name for s in d.sdks_added)})
    if d.findings_resolved and not d.findings_added:
        return Message("diff.fewer_findings", {"count": len(d.findings_resolved)})
    return Message("diff.no_privacy_change")


def _permissions(report: Report) -> dict[str, PermissionChange]:
    return {p.name: PermissionChange(p.name, p.category, p.verdict, p.severity) for p in report.permissions}


def _code_categories(report: Report) -> set[str]:
    if report.code is None:
        return set()
    return {s.category for s in report.code.call_sites if s.category not in ("other", "network")}


def _sdks(report: Report) -> dict[str, SdkChange]:
    return {s.id: SdkChange(s.id, s.name, s.kind) for s in report.code.sdks} if report.code else {}


def _endpoints(report: Report) -> set[str]:
    return {s.value for s in report.code.strings if s.kind == "upload_endpoint"} if report.code else set()


def _findings(findings: Iterable[Finding]) -> dict[str, FindingChange]:
    out: dict[str, FindingChange] = {}
    for f in findings:
        out.setdefault(f.id, FindingChange(f.id, f.severity, f.title))
    return out


def _ordered(categories: set[str]) -> tuple[str, ...]:
    order = {c: i for i, c in enumerate(PERSONAL)}
    return tuple(sorted(categories, key=lambda c: (order.get(c, len(order)), c)))


def current_signers(report: Report) -> tuple[str, ...]:
    """The certificates Android checks on a current device: v3/v3.1 when present, else v2, else v1."""
    signers = report.app.signers if report.app else ()
    for scheme in ("v3.1", "v3", "v2", "v1"):
        chosen = {s.sha256 for s in signers if scheme in s.scheme.split("+")}
        if chosen:
            return tuple(sorted(chosen))
    return tuple(sorted({s.sha256 for s in signers}))


def _signer_change(old: Report, new: Report) -> SignerChange:
    before, after = current_signers(old), current_signers(new)
    old_lineage = old.app.signer_lineage if old.app else ()
    new_lineage = new.app.signer_lineage if new.app else ()
    if not before or not after:
        return SignerChange("unknown", before, after)
    if set(before) & set(after):
        return SignerChange("same", before, after)
    if set(before) & set(new_lineage):  # forward along the new key's lineage
        return SignerChange("rotated", before, after, new_lineage)
    if set(after) & set(old_lineage):  # back to an older key of the old version's lineage
        return SignerChange("rotated", before, after, old_lineage)
    return SignerChange("new_key", before, after)


def _policy_changes(old: Report, new: Report) -> tuple[PolicyChange, ...]:
    before = old.policy.analysis.categories if old.policy and old.policy.analysis else {}
    after = new.policy.analysis.categories if new.policy and new.policy.analysis else {}
    out = []
    for cat in _ordered(set(before) | set(after)):
        was = before[cat].status if cat in before else ""
        now = after[cat].status if cat in after else ""
        if was != now:
            quotes = tuple(q.sentence for q in after[cat].quotes) if cat in after else ()
            out.append(PolicyChange(cat, was, now, quotes[:3]))
    return tuple(out)
