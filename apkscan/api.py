"""The library API: scan one file, read a report back, and write a complaint pack — all returning plain data.

The CLI, the batch runner, the web front end and any embedding program call these functions; renderers take the
results. Nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from apkscan import __version__
from apkscan.complaint.document import Complaint, ComplaintRequest
from apkscan.complaint.pack import PackItem, write_pack
from apkscan.diff import ReportDiff, diff_reports
from apkscan.evaluate.code_findings import apply_code_status, enrich_findings
from apkscan.evaluate.findings import derive_findings, sort_findings, summarise
from apkscan.evaluate.lender import LenderResult, judge_lender
from apkscan.evaluate.policy.analysis import PolicyAnalysis, analyse_policy
from apkscan.evaluate.policy.findings import app_category_facts, policy_findings
from apkscan.evaluate.verdicts import judge_permissions
from apkscan.extract.code import CodeEvidence, CodeScan, default_catalog, scan_code_full
from apkscan.extract.code.methods import sender_entries
from apkscan.extract.code_input import dex_blobs
from apkscan.extract.hashes import file_digests
from apkscan.extract.lender_inputs import CodeFacts, app_text, code_facts
from apkscan.extract.manifest import PartManifest, read_manifest
from apkscan.extract.merge import merge_parts
from apkscan.extract.policy.sources import embedded_policies, fetched_policies, given_policies, policy_urls
from apkscan.extract.signing import read_signing
from apkscan.knowledge.rules import RuleTable, load_rules
from apkscan.model import JURISDICTIONS, AppFacts, InputFacts, Report, RulesInfo
from apkscan.model.caps import LoanCaps
from apkscan.model.options import ScanOptions
from apkscan.model.policy import PolicyReport, PolicySource
from apkscan.read.container import Container, open_container
from apkscan.read.errors import InputError, printable
from apkscan.render.registry import RenderContext, renderer


def scan_file(path: str | Path, options: ScanOptions | None = None, rules: RuleTable | None = None) -> Report:
    """Scan one APK or bundle. Raises :class:`InputError` only when the file is no APK at all."""
    options = options or ScanOptions()
    rules = rules or load_rules(options.rules_path)
    path = Path(path)
    container = open_container(path)
    try:
        return _scan_container(container, options, rules)
    finally:
        container.close()


def _scan_container(container: Container, options: ScanOptions, rules: RuleTable) -> Report:
    errors = list(container.notes)
    app, manifests = _read_app(container, errors)
    strings = [s for m in manifests for s in m.strings]
    jurisdictions = _selected(options.jurisdictions)
    verdicts = judge_permissions(app, rules, jurisdictions)
    findings = derive_findings(app, verdicts)
    scan, facts = _code_scan(container, errors) if options.code else (None, None)
    evidence = scan.evidence if scan is not None else None
    if evidence is not None:
        verdicts = apply_code_status(verdicts, evidence, default_catalog())
        findings = enrich_findings(findings, verdicts, evidence)
    analysis, policy = _policy(container, strings, evidence, options, errors)
    if analysis is not None:
        findings += policy_findings(analysis, app_category_facts(verdicts, evidence), rules, jurisdictions, evidence)
    text = app_text(app, manifests, scan)
    lender: LenderResult = judge_lender(app, text, scan, facts, _loan_caps(), jurisdictions or JURISDICTIONS)
    findings = sort_findings(lender.adjust(findings))
    return Report(
        tool_version=__version__,
        rules=RulesInfo(rules.name, rules.version, rules.sha256, rules.path),
        scanned_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        lang=options.lang,
        jurisdictions=tuple(jurisdictions or JURISDICTIONS),
        input=_input_facts(container),
        app=app,
        permissions=verdicts,
        findings=tuple(findings),
        summary=summarise(verdicts, findings, errors, lender.lending, lender.harvest),
        errors=tuple(printable(e) for e in errors),  # names inside a hostile file may carry control characters
        code=evidence,
        policy=policy,
        lending=lender.lending,
        harvest=lender.harvest,
        family=lender.family,
    )


@cache
def _loan_caps() -> LoanCaps:
    """The packaged loan caps: the facts a loan term shown in the app is compared with."""
    from apkscan.complaint.caps import load_loan_caps

    return load_loan_caps()


def _code_scan(container: Container, errors: list[str]) -> tuple[CodeScan, CodeFacts]:
    """The one pass over the code: call sites, DEX strings for the lender checks, calls that send data out; then the
    few methods that read a category are decoded and the own-code features collected for the family sketch."""
    from apkscan.evaluate.dex_text import dex_text_filter

    blobs, names = dex_blobs(container, errors)
    needles, keep = dex_text_filter()
    catalog = default_catalog()
    scan = scan_code_full(blobs, names, catalog, needles, keep, sender_entries())
    errors += [f"code: {e}" for e in scan.evidence.errors]
    return scan, code_facts(scan, blobs, catalog)


def _policy(
    container: Container, strings: list[str], evidence: CodeEvidence | None, options: ScanOptions, errors: list[str]
) -> tuple[PolicyAnalysis | None, PolicyReport | None]:
    """The policy analysis and the report's policy part; (None, None) when the APK names no policy at all."""
    urls = tuple(policy_urls(strings + ([s.value for s in evidence.strings] if evidence else [])))
    docs = given_policies(options.policy_paths, errors) + embedded_policies(container, strings, errors)
    if options.fetch_policy:
        docs += fetched_policies(urls, errors)
    if not docs:
        return None, (PolicyReport(urls=urls) if urls else None)
    analysis = analyse_policy(docs)
    sources = tuple(PolicySource(d.source, d.kind, d.encoding, d.sha256, d.size, tuple(d.warnings)) for d in docs)
    return analysis, PolicyReport(urls=urls, sources=sources, analysis=analysis)


def _read_app(container: Container, errors: list[str]) -> tuple[AppFacts, list[PartManifest]]:
    manifests: list[PartManifest] = []
    signers = []
    lineage: tuple[str, ...] = ()
    for part in container.parts:
        try:
            manifests.append(read_manifest(part))
        except InputError as err:
            if part.role == "base":
                raise
            errors.append(f"{part.name}: {err.reason}")
            continue
        part_signers, part_lineage = read_signing(part, errors)
        signers += part_signers
        lineage = lineage or part_lineage
    for m in manifests:
        errors += m.errors
    return merge_parts(manifests, _dedupe_signers(signers), lineage), manifests


def _dedupe_signers(signers: list) -> list:
    """Bundles sign every split with the same key; list each certificate once."""
    seen: dict[str, object] = {}
    for s in signers:
        seen.setdefault(s.sha256, s)
    return list(seen.values())


def _selected(jurisdictions: Collection[str]) -> tuple[str, ...] | None:
    chosen = tuple(j for j in jurisdictions if j != "all")
    return chosen or None


def _input_facts(container: Container) -> InputFacts:
    path = container.path
    digests = file_digests(path)
    return InputFacts(
        path=str(path),
        name=path.name,
        kind=container.kind,
        size=path.stat().st_size,
        members=tuple(p.name for p in container.parts) if container.kind != "apk" else (),
        **digests,
    )


def load_or_scan(path: str | Path, options: ScanOptions | None = None, rules: RuleTable | None = None) -> Report:
    """A JSON report that ``apkscan scan``/``batch`` wrote is read back (no rescan); anything else is scanned."""
    return _read_or_scan(Path(path), options, rules)[0]


def _read_or_scan(path: Path, options: ScanOptions | None, rules: RuleTable | None) -> tuple[Report, bool]:
    """The report, and whether it was read back from JSON (True) or scanned from the APK (False)."""
    from apkscan.read.report_json import load_report, looks_like_report

    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
    if looks_like_report(head) or (path.suffix.lower() == ".json" and head.lstrip().startswith(b"{")):
        return load_report(path), True
    return scan_file(path, options, rules), False


def diff_files(
    old: str | Path, new: str | Path, options: ScanOptions | None = None, rules: RuleTable | None = None
) -> ReportDiff:
    """What changed from ``old`` to ``new``: two APKs, bundles or JSON reports (each scanned or read back)."""
    options = options or ScanOptions()
    rules = rules or load_rules(options.rules_path)
    return diff_reports(load_or_scan(old, options, rules), load_or_scan(new, options, rules))


@dataclass(frozen=True)
class ComplaintResult:
    """What ``write_complaint`` produced: the complaint itself, the files written, and one-line warnings."""

    complaint: Complaint
    files: dict[str, Path]  # "pdf" | "html" | "pack" -> path in OUTDIR
    manifest_sha256: str
    warnings: tuple[str, ...] = ()


def write_complaint(
    app: str | Path,
    request: ComplaintRequest,
    outdir: str | Path,
    formats: Collection[str] = ("pdf", "html"),
    options: ScanOptions | None = None,
    rules: RuleTable | None = None,
) -> ComplaintResult:
    """Scan ``app`` (or read its JSON report), build the complaint and write it with its evidence pack into OUTDIR.

    Writes ``<package>-<sha256[:12]>-complaint.pdf`` and ``.html`` and ``<…>-evidence.zip``. Bad loan figures or
    evidence folders raise :class:`~apkscan.complaint.errors.ComplaintInputError` before anything is written.
    """
    from apkscan.complaint.attachments import policy_items
    from apkscan.complaint.document import build_complaint
    from apkscan.render.output import report_stem, safe_target, write_atomic

    options = options or ScanOptions(lang=request.lang, policy_paths=())
    rules = rules or load_rules(options.rules_path)
    report, from_json = _read_or_scan(Path(app), options, rules)
    outdir = Path(outdir)
    request = replace(request, exclude=(*request.exclude, outdir))
    complaint = build_complaint(report, request)
    outdir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(report) + "-complaint"
    ctx = RenderContext(request.lang, rules)
    items = [
        PackItem("report/scan-report.json", renderer("report", "json").render(report, ctx), "report-json", "apkscan"),
        PackItem("report/scan-report.html", renderer("report", "html").render(report, ctx), "report-html", "apkscan"),
        *policy_items(report, None if from_json else Path(app), options.policy_paths),
    ]
    if complaint.evidence is not None:
        items += [
            PackItem(f"evidence/{f.path}", f.source, f.kind, "borrower", expected_sha256=f.sha256)
            for f in complaint.evidence.files
        ]
    documents = _ComplaintDocuments(complaint, formats, ctx, stem)
    pack = write_pack(safe_target(outdir, report_stem(report) + "-evidence.zip"), items, attachments=documents)
    files = {
        fmt: write_atomic(safe_target(outdir, stem + renderer("complaint", fmt).suffix), data)
        for fmt, data in documents.rendered.items()
    }
    files["pack"] = pack.path
    return ComplaintResult(documents.final, files, pack.manifest_sha256, tuple(documents.warnings))


class _ComplaintDocuments:
    """Renders the complaint once the pack's manifest digest is known (the complaint prints it)."""

    def __init__(self, complaint: Complaint, formats: Collection[str], ctx: RenderContext, stem: str) -> None:
        self.final, self.formats, self.ctx, self.stem = complaint, tuple(formats), ctx, stem
        self.rendered: dict[str, bytes] = {}
        self.warnings: list[str] = []

    def __call__(self, manifest_sha: str) -> list[PackItem]:
        from apkscan.render.pdf import PdfUnavailable

        self.final = replace(self.final, manifest_sha256=manifest_sha)
        items = []
        for fmt in self.formats:
            fmt_renderer = renderer("complaint", fmt)
            try:
                data = fmt_renderer.render(self.final, self.ctx)
            except PdfUnavailable as err:
                self.warnings.append(str(err))
                continue
            self.rendered[fmt] = data
            items.append(PackItem(self.stem + fmt_renderer.suffix, data, f"complaint-{fmt}", "apkscan"))
        return items
