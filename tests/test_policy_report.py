"""Privacy policy versus the APK, end to end: embedded policy, --policy files, the policy command."""

from __future__ import annotations

import json

import lxml.html
from click.testing import CliRunner

from apkscan.api import ScanOptions, scan_file
from apkscan.cli import main
from apkscan.knowledge.rules import load_rules
from apkscan.render.formats.report_html import render_html
from tests.conftest import sample

ENGLISH_POLICY = """<html><body><h1>Privacy Policy</h1>
<h2>What we collect</h2>
<p>We collect your name, ID number and phone number to verify your identity.</p>
<p>We do not access your camera or take photos.</p>
<h2>Contact us</h2><p>Contact us at help@fairlender.example.</p>
</body></html>"""


def findings_by_id(report) -> dict:
    return {f.id: f for f in report.findings}


def test_embedded_policy_is_found_and_confronted_with_the_apk():
    report = scan_file(sample("contact-raider.apk"), ScanOptions(lang="en"))
    policy = report.policy
    assert [s.source for s in policy.sources] == ["assets/privacy_policy.html"]
    assert policy.analysis.categories["sms"].status == "denies"
    assert "https://www.quickcash-loan.example/privacy.html" in policy.urls
    found = findings_by_id(report)
    contradiction = found["policy-contradiction:sms"]
    assert contradiction.severity == "critical"
    assert "我们不会读取您的短信" in contradiction.quotes[0].sentence
    assert found["policy-contacts-debt-collection"].quotes
    assert "policy-undisclosed:call_log" in found and "policy-admitted:contacts" in found


def test_html_policy_section_quotes_the_policy():
    report = scan_file(sample("contact-raider.apk"), ScanOptions(lang="zh"))
    doc = lxml.html.document_fromstring(render_html(report, load_rules()))
    text = doc.xpath("string(//section[@id='policy'])")
    assert "我们不会读取您的短信" in text and "声称不收集" in text
    finding = doc.xpath("//article[@id='f-policy-contradiction-sms']")[0]
    assert "我们不会读取您的短信" in finding.text_content()


def test_policy_file_option_feeds_the_analysis(tmp_path):
    policy = tmp_path / "policy.html"
    policy.write_text(ENGLISH_POLICY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "scan",
            str(sample("fair-lender.apk")),
            "-o",
            str(out),
            "--format",
            "json",
            "--policy",
            str(policy),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(next(out.glob("*.json")).read_text())
    assert report["policy"]["sources"][0]["source"] == str(policy)
    assert report["policy"]["categories"]["camera"]["status"] == "denies"
    assert report["policy"]["categories"]["contacts"]["status"] == "silent"
    assert any(f["id"] == "policy-contradiction:camera" for f in report["findings"])


def test_app_without_policy_text_has_no_policy_block():
    report = scan_file(sample("fair-lender.apk"), ScanOptions(lang="en"))
    assert report.policy is None
    assert not any(f.id.startswith("policy") for f in report.findings)


def test_policy_command_summarises_and_prints_json(tmp_path):
    policy = tmp_path / "p.html"
    policy.write_text(ENGLISH_POLICY, encoding="utf-8")
    text = CliRunner().invoke(main, ["policy", str(policy), "--lang", "en"])
    assert text.exit_code == 0 and "Camera: says it does not collect" in text.output
    data = json.loads(CliRunner().invoke(main, ["policy", str(policy), "--json"]).output)
    assert data["categories"]["camera"]["status"] == "denies"


def test_policy_command_names_the_third_parties_the_policy_lists(tmp_path):
    policy = tmp_path / "policy.md"
    policy.write_text(
        "## Third-party SDKs we use\n\n"
        "CredoLab (CredoLab Pte Ltd): collects contacts and installed apps for credit scoring.\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["policy", str(policy), "--lang", "en"])
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if "CredoLab" in x)
    assert "CredoLab (CredoLab Pte Ltd)" in line and "Contacts" in line and "Installed apps" in line
    assert "Contacts (address book): says it collects" not in result.output


def test_policy_command_rejects_unreadable_files_in_one_line(tmp_path):
    for name, data in (("empty.html", b""), ("binary.html", bytes(range(256)) * 8)):
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["policy", str(path)])
        assert result.exit_code == 3
        assert len(result.output.strip().splitlines()) == 1 and name in result.output
