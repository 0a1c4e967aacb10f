"""Code evidence folded into verdicts, findings and the report, on the real samples."""

from __future__ import annotations

import lxml.html

from apkscan.api import ScanOptions, scan_file
from apkscan.knowledge.rules import load_rules
from apkscan.render.formats.report_html import render_html
from apkscan.render.i18n import say
from tests.conftest import sample

P = "android.permission."


def scan(name: str, **opts):
    return scan_file(sample(name), ScanOptions(lang="en", **opts))


def lines(evidence) -> str:
    """Evidence lines as an English reader sees them."""
    return "\n".join(say(e, "en") for e in evidence)


def status(report, name: str) -> str:
    return next(p.code_status for p in report.permissions if p.name == P + name)


def test_permissions_get_a_code_status():
    report = scan("contact-raider.apk")
    assert status(report, "READ_CONTACTS") == "used"
    assert status(report, "READ_CALL_LOG") == "used"
    assert status(report, "SYSTEM_ALERT_WINDOW") == "no_use_found"
    assert next(p.code_sites for p in report.permissions if p.name == P + "READ_SMS") >= 2
    assert status(scan("fair-lender.apk"), "CAMERA") == "used"


def test_over_collection_findings_quote_call_sites():
    findings = {f.id: f for f in scan("contact-raider.apk").findings}
    contacts = lines(findings["over-collection:contacts"].evidence)
    assert "com.example.quickcash.data.ContactsCollector.collect" in contacts
    assert "no use found" in lines(findings["over-collection:overlay_accessibility"].evidence).lower()


def test_harassment_is_proven_by_contact_reads_and_an_upload_endpoint():
    harassment = next(f for f in scan("contact-raider.apk").findings if f.id == "contact-harassment")
    text = lines(harassment.evidence)
    assert "/contacts/upload" in text and "ContactsCollector" in text


def test_code_that_reads_without_the_permission_is_reported_low():
    finding = next(f for f in scan("contact-raider.apk").findings if f.id == "capable-not-permitted:accounts")
    assert finding.severity == "low" and "AccountManager.getAccounts" in finding.evidence[0]


def test_risk_control_sdk_gets_a_finding_and_sdk_only_sites_are_attributed():
    report = scan("contact-raider.apk")
    assert any(f.id.startswith("sdk:") and f.severity == "high" for f in report.findings)
    sdk_sites = [s for s in report.code.call_sites if s.sdk]
    assert sdk_sites and all(s.caller_class.startswith(("com.riskctl.", "com.adfake.")) for s in sdk_sites)


def test_packed_app_says_code_evidence_is_incomplete_instead_of_clean():
    report = scan("packed-jiagu.apk")
    assert status(report, "READ_CONTACTS") == "unknown_packed"
    hidden = next(f for f in report.findings if f.id == "code-hidden")
    assert "Jiagu" in say(hidden.title, "en") and "加固" in say(hidden.title, "zh")
    assert any("hidden" in say(r, "en") for r in report.summary.reasons)
    assert report.code.complete is False


def test_unreadable_dex_gives_a_partial_report():
    report = scan("corrupt-dex.apk")
    assert any("classes.dex" in e for e in report.errors)
    assert status(report, "READ_CONTACTS") == "unknown"
    assert any(f.id == "code-hidden" for f in report.findings)


def test_no_code_option_skips_the_scan():
    report = scan("contact-raider.apk", code=False)
    assert report.code is None and status(report, "READ_CONTACTS") == ""


def test_html_shows_code_section_with_categories_and_sdks():
    report = scan("contact-raider.apk")
    doc = lxml.html.document_fromstring(render_html(report, load_rules()))
    section = doc.xpath("//section[@id='code']")[0]
    rows = section.xpath(".//table/tbody/tr")
    assert len(rows) == len({s.category for s in report.code.call_sites})
    text = section.text_content()
    assert "riskctl" in text and "/v2/contacts/upload" in text
