"""Both report formats, produced from real samples and read back (JSON parsed, HTML parsed with lxml)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import lxml.html
import pytest

from apkscan.api import ScanOptions, scan_file
from apkscan.knowledge.rules import load_rules
from apkscan.render.formats.report_html import render_html
from apkscan.render.formats.report_json import SCHEMA, report_dict
from apkscan.render.i18n import say
from tests.conftest import sample

P = "android.permission."


def scan(name: str | Path, **opts):
    return scan_file(sample(name) if isinstance(name, str) else name, ScanOptions(**opts))


def html_of(report) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render_html(report, load_rules()))


def test_json_has_the_documented_fields():
    data = json.loads(json.dumps(report_dict(scan("contact-raider.apk"))))
    assert data["schema"] == SCHEMA
    assert set(data["tool"]) == {"name", "version", "rules"} and set(data["tool"]["rules"]) >= {
        "name",
        "version",
        "sha256",
    }
    assert set(data["input"]) >= {"path", "kind", "size", "sha256", "sha1", "md5"}
    assert set(data["app"]) >= {"package", "label", "version_name", "version_code", "min_sdk", "target_sdk", "signers"}
    for p in data["permissions"]:
        assert set(p) >= {"name", "category", "protection", "verdict", "severity", "effective", "references"}
    for f in data["findings"]:
        assert set(f) >= {"id", "category", "severity", "title", "evidence"}
    assert data["errors"] == [] and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["scanned_at"])


def test_contact_raider_verdicts_and_harassment_finding():
    report = scan("contact-raider.apk")
    verdicts = {p.name: p for p in report.permissions}
    assert verdicts[P + "READ_CONTACTS"].verdict == "prohibited"
    assert verdicts[P + "READ_SMS"].category == "sms"
    assert verdicts[P + "CAMERA"].verdict == "conditional" and verdicts[P + "CAMERA"].condition
    assert verdicts[P + "INTERNET"].verdict == "needed"
    ids = {f.id for f in report.findings}
    assert {
        "contact-harassment",
        "over-collection:contacts",
        "over-collection:sms",
        "over-collection:call_log",
        "over-collection:installed_apps",
    } <= ids
    assert report.summary.risk == "critical" and report.summary.harassment_risk
    assert report.summary.counts["prohibited"] >= 8
    contacts = next(f for f in report.findings if f.id == "over-collection:contacts")
    assert contacts.alternative and {r.jurisdiction for r in contacts.references} >= {"google-play", "in", "cn"}


def test_fair_lender_is_low_risk_without_over_collection():
    report = scan("fair-lender.apk")
    assert report.summary.risk == "low"
    assert not [f for f in report.findings if f.id.startswith("over-collection")]
    assert any(f.id == "conditional:camera" for f in report.findings)


def test_capped_permission_is_not_effective_and_unknown_gets_unknown_verdict():
    report = scan("legacy-caps.apk")
    verdicts = {p.name: p for p in report.permissions}
    write = verdicts[P + "WRITE_EXTERNAL_STORAGE"]
    assert not write.effective and "28" in say(write.effect_note, "en")
    assert verdicts[P + "READ_CONTACTS"].effective and "23" in say(verdicts[P + "READ_CONTACTS"].effect_note, "zh")
    vendor = verdicts["com.vendor.push.permission.RECEIVE"]
    assert (vendor.verdict, vendor.category) == ("unknown", "other")
    assert verdicts["com.example.legacycaps.permission.C2D"].protection.startswith("custom")
    assert any(f.id == "debug-certificate" for f in report.findings)


def test_jurisdiction_filter_limits_references():
    report = scan("contact-raider.apk", jurisdictions=("ke",))
    refs = {r.jurisdiction for p in report.permissions for r in p.references}
    assert refs == {"ke"}
    assert report.jurisdictions == ("ke",)


def test_html_is_self_contained_and_escapes_hostile_label():
    report = scan("legacy-caps.apk")
    text = render_html(report, load_rules())
    doc = lxml.html.document_fromstring(text)
    scripts = doc.xpath("//script")
    assert all("alert" not in (s.text or "") for s in scripts)
    assert "<script>alert('x')</script> Loan" in doc.xpath("string(//h1)")
    assert not doc.xpath("//*[@src]") and not doc.xpath("//link")
    assert not re.search(r"@import|url\(", "".join(s.text or "" for s in doc.xpath("//style")))
    assert all(a.get("href", "").startswith(("http://", "https://", "#")) for a in doc.xpath("//a"))


def test_html_has_verdict_evidence_findings_table_and_advice():
    report = scan("contact-raider.apk", lang="en", jurisdictions=("cn", "in"))
    doc = html_of(report)
    headline = doc.xpath("string(//p[@class='headline'])")
    assert "address book" in headline and "SMS" in headline
    evidence = doc.xpath("string(//section[@id='evidence'])")
    for value in (
        report.input.sha256,
        report.input.sha1,
        report.input.md5,
        report.app.signers[0].sha256,
        report.rules.sha256,
        report.scanned_at,
    ):
        assert value in evidence
    rows = doc.xpath("//section[@id='permissions']//table[contains(@class,'perm')]/tbody/tr")
    assert len(rows) == len(report.permissions)
    assert len(doc.xpath("//article[contains(@class,'finding')]")) == len(report.findings)
    advice = doc.xpath("string(//section[@id='what-you-can-do'])")
    assert "12377" in advice or "12321" in advice
    assert "RBI" in advice or "rbi" in advice.lower()
    assert "Kenya" not in advice


def test_html_in_chinese():
    report = scan("contact-raider.apk", lang="zh")
    doc = html_of(report)
    assert doc.get("lang") == "zh-CN"
    assert doc.xpath("string(//h1)") == "极速贷款"
    assert "通讯录" in doc.xpath("string(//p[@class='headline'])")


def test_css_is_inlined_verbatim_and_targets_a4_print():
    doc = html_of(scan("fair-lender.apk"))
    css = "".join(s.text or "" for s in doc.xpath("//style"))
    assert "@page" in css and "A4" in css and "@media print" in css
    assert '"Segoe UI"' in css and "&#34;" not in css


def test_partial_bundle_reports_what_could_not_be_read(tmp_path):
    src = sample("quickcash-bundle.xapk")
    broken = tmp_path / "partial.xapk"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("config.zh"):
                data = data[: len(data) // 3]
            zout.writestr(info, data)
    report = scan(broken)
    assert report.app.package == "com.example.bundled"
    assert any("config.zh" in e for e in report.errors)
    doc = html_of(report)
    assert "config.zh" in doc.xpath("string(//section[@id='errors'])")


@pytest.mark.parametrize(
    "name",
    ["quickcash-bundle.xapk", "quickcash-bundle.apks", "mystery-download.bin", "packed-jiagu.apk", "corrupt-dex.apk"],
)
def test_every_readable_sample_renders(name):
    report = scan(name)
    assert html_of(report).xpath("string(//h1)")
    assert json.loads(json.dumps(report_dict(report)))["app"]["package"]
