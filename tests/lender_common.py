"""Shared helpers of the lender-check tests: read each sample once per test session, the way the scan reads it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from apkscan.api import scan_file
from apkscan.evaluate.dex_text import dex_text_filter
from apkscan.extract.code import CodeScan, default_catalog, scan_code_full
from apkscan.extract.code.methods import sender_entries
from apkscan.extract.code_input import dex_blobs
from apkscan.extract.lender_inputs import CodeFacts, app_text, code_facts
from apkscan.extract.manifest import read_manifest
from apkscan.extract.merge import merge_parts
from apkscan.extract.signing import read_signers
from apkscan.model import AppFacts, Report
from apkscan.model.lender import AppText
from apkscan.read.container import open_container
from tests.conftest import sample

#: What the scan passes to the code reader: the anchors and the exact test of the lender checks.
NEEDLES, KEEP = dex_text_filter()

LENDERS = (
    "fair-lender.apk",
    "contact-raider.apk",
    "legacy-caps.apk",
    "packed-jiagu.apk",
    "quickcash-bundle.xapk",
    "reskin-raider.apk",
    "raider-v2.apk",
    "rupee-now.apk",
    "promo-lender.apk",
    "bank-impostor.apk",
)
NON_LENDERS = ("bt-caller-id.apk", "backup-cleaner.apk", "notes-app.apk", "bt-volume.apk")
#: Not a lender, but it talks about loans: detection may say "unsure"; the labelled set counts it as not lending.
LOAN_TALK = "emi-calculator.apk"
#: Samples the family grouping is measured on; the first three are one family (a re-skin and an update).
FAMILY_SAMPLES = (
    "contact-raider.apk", "reskin-raider.apk", "raider-v2.apk", "rupee-now.apk", "backup-cleaner.apk",
    "bt-caller-id.apk", "notes-app.apk", "bt-volume.apk", "promo-lender.apk", "bank-impostor.apk", "fair-lender.apk",
    "emi-calculator.apk", "legacy-caps.apk", "packed-jiagu.apk",
)  # fmt: skip
TRUE_FAMILY = frozenset(FAMILY_SAMPLES[:3])


@dataclass(frozen=True)
class Inputs:
    app: AppFacts
    text: AppText
    scan: CodeScan
    facts: CodeFacts
    dex: list[tuple[str, bytes]]


@cache
def inputs(name: str) -> Inputs:
    """The lender checks' inputs of one sample, read with the scan's own readers (one code pass)."""
    container = open_container(sample(name))
    errors: list[str] = []
    try:
        manifests = [read_manifest(part) for part in container.parts]
        signers = [s for part in container.parts for s in read_signers(part, errors)]
        app = merge_parts(manifests, signers)
        blobs, names = dex_blobs(container, errors)
        scan = scan_code_full(blobs, names, default_catalog(), NEEDLES, KEEP, sender_entries())
        facts = code_facts(scan, blobs, default_catalog())
        return Inputs(app, app_text(app, manifests, scan), scan, facts, blobs)
    finally:
        container.close()


@cache
def report(name: str) -> Report:
    """The full scan report of one sample (the wiring the tests check end to end)."""
    return scan_file(sample(name))
