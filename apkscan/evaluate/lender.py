"""Know the lender: run every check of issue 12 on what one scan read, and say how they change its findings.

One call from the scan (:func:`apkscan.api.scan_file`) after the permission, code and policy findings: is it a lending
app, what it promises and charges (compared with ``loan_caps.toml``), whether its label impersonates, what its code
does with the address book (harvesting versus looking up), and the sketch of its own code for the batch's families.
Nothing here reads the APK: the inputs are the texts and code facts the scan already collected.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from apkscan.evaluate.families import family_sketch
from apkscan.evaluate.harvest import assess_harvest
from apkscan.evaluate.impersonation import check_label
from apkscan.evaluate.lender_findings import apply_harvest, impersonation_findings, promise_findings, term_findings
from apkscan.evaluate.lending import judge_lending
from apkscan.evaluate.loan_terms import judge_terms
from apkscan.evaluate.promises import find_promises
from apkscan.extract.code import CodeScan, default_catalog
from apkscan.extract.lender_inputs import CodeFacts
from apkscan.model import AppFacts, Finding
from apkscan.model.caps import LoanCaps
from apkscan.model.lender import AppText, FamilySketch, HarvestReading, LendingVerdict


@dataclass(frozen=True)
class LenderResult:
    lending: LendingVerdict
    harvest: HarvestReading | None
    family: FamilySketch | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def adjust(self, findings: list[Finding]) -> list[Finding]:
        """The scan's findings with the harassment finding following the code, plus the lender findings."""
        return apply_harvest(findings, self.harvest) + list(self.findings)


def judge_lender(
    app: AppFacts,
    text: AppText,
    scan: CodeScan | None,
    facts: CodeFacts | None,
    caps: LoanCaps | None = None,
    jurisdictions: Collection[str] | None = None,
    on: date | None = None,
) -> LenderResult:
    """Every lender check; promises and terms only for an app that may be a lender (decision yes or unsure)."""
    lending = judge_lending(text)
    findings: list[Finding] = []
    if lending.decision != "no":
        promises = find_promises(text)
        findings += promise_findings(promises)
        if caps is not None:
            breaches = judge_terms(promises.terms, caps.facts, caps.parameters, on, jurisdictions)
            findings += term_findings(breaches)
    signers = [s.sha256 for s in app.signers]
    findings += impersonation_findings(check_label((app.label, app.label_zh), signers))
    harvest = family = None
    if scan is not None and facts is not None:
        harvest = assess_harvest(scan.evidence, facts.methods, scan.senders, default_catalog())
        family = family_sketch(facts.own.features, facts.own.classes)
    return LenderResult(lending, harvest, family, tuple(findings))
