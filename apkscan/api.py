"""The library API: scan one file and get a :class:`~apkscan.model.Report` back.

The CLI, the batch runner and any embedding program call :func:`scan_file`; renderers take the Report.
Nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from apkscan import __version__
from apkscan.evaluate.code_findings import apply_code_status, enrich_findings
from apkscan.evaluate.findings import derive_findings, sort_findings, summarise
from apkscan.evaluate.policy.analysis import PolicyAnalysis, analyse_policy
from apkscan.evaluate.policy.findings import app_category_facts, policy_findings
from apkscan.evaluate.verdicts import judge_permissions
from apkscan.extract.code import CodeEvidence, default_catalog, scan_code
from apkscan.extract.code_input import dex_blobs
from apkscan.extract.hashes import file_digests
from apkscan.extract.manifest import PartManifest, read_manifest
from apkscan.extract.merge import merge_parts
from apkscan.extract.policy.sources import embedded_policies, fetched_policies, given_policies, policy_urls
from apkscan.extract.signing import read_signers
from apkscan.knowledge.rules import RuleTable, load_rules
from apkscan.model import JURISDICTIONS, AppFacts, InputFacts, Report, RulesInfo
from apkscan.model.options import ScanOptions
from apkscan.model.policy import PolicyReport, PolicySource
from apkscan.read.container import Container, open_container
from apkscan.read.errors import InputError


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
    app, strings = _read_app(container, errors)
    jurisdictions = _selected(options.jurisdictions)
    verdicts = judge_permissions(app, rules, jurisdictions)
    findings = derive_findings(app, verdicts)
    evidence = _code_evidence(container, errors) if options.code else None
    if evidence is not None:
        verdicts = apply_code_status(verdicts, evidence, default_catalog())
        findings = enrich_findings(findings, verdicts, evidence)
    analysis, policy = _policy(container, strings, evidence, options, errors)
    if analysis is not None:
        findings += policy_findings(analysis, app_category_facts(verdicts, evidence))
    findings = sort_findings(findings)
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
        summary=summarise(verdicts, findings, errors),
        errors=tuple(errors),
        code=evidence,
        policy=policy,
    )


def _code_evidence(container: Container, errors: list[str]) -> CodeEvidence:
    blobs, names = dex_blobs(container, errors)
    evidence = scan_code(blobs, names)
    errors += [f"code: {e}" for e in evidence.errors]
    return evidence


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


def _read_app(container: Container, errors: list[str]) -> tuple[AppFacts, list[str]]:
    manifests: list[PartManifest] = []
    signers = []
    for part in container.parts:
        try:
            manifests.append(read_manifest(part))
        except InputError as err:
            if part.role == "base":
                raise
            errors.append(f"{part.name}: {err.reason}")
            continue
        signers += read_signers(part, errors)
    for m in manifests:
        errors += m.errors
    return merge_parts(manifests, _dedupe_signers(signers)), [s for m in manifests for s in m.strings]


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
