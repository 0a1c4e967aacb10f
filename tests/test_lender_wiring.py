"""The lender checks wired into the scan: the harassment finding follows the code, non-lenders say so and are not
raised by lending rules, and the complaint reads right either way."""

from __future__ import annotations

import json

import pytest

from apkscan.api import scan_file
from apkscan.complaint.document import ComplaintRequest, build_complaint
from apkscan.model.options import ScanOptions
from apkscan.model.text import Message
from apkscan.render.formats.report_json import report_dict
from apkscan.render.i18n import say
from apkscan.render.registry import RenderContext, renderer
from tests.conftest import sample
from tests.lender_common import report


def keys(words) -> list[str]:
    return [w.key for w in words if isinstance(w, Message)]


def finding(name: str, fid: str):
    return next((f for f in report(name).findings if f.id == fid), None)


def test_a_caller_id_utility_loses_the_harassment_finding_but_keeps_its_capabilities() -> None:
    got = report("bt-caller-id.apk")
    assert finding("bt-caller-id.apk", "contact-harassment") is None
    assert not got.summary.harassment_risk and got.summary.risk != "critical"
    assert got.harvest is not None and got.harvest.harassment == "looks_up"
    contacts = finding("bt-caller-id.apk", "over-collection:contacts")
    assert contacts is not None and "harvest.only_lookup" in keys(contacts.evidence)
    assert "harvest.only_receiver" in keys(finding("bt-caller-id.apk", "over-collection:sms").evidence)
    assert got.summary.headline.key == "headline.over_code_looks_up"
    assert "reason.harassment_looks_up" in keys(got.summary.reasons)
    assert "only looks single numbers up" in say(got.summary.headline, "en")


def test_loan_spyware_keeps_the_harassment_finding_with_the_code_evidence() -> None:
    got = report("contact-raider.apk")
    harassment = finding("contact-raider.apk", "contact-harassment")
    assert harassment is not None and "harvest.proven" in keys(harassment.evidence)
    assert got.summary.risk == "critical" and got.summary.headline.key == "headline.over_harassment"
    assert got.harvest.harassment == "harvests" and got.harvest.upload_path


@pytest.mark.parametrize("name", ["packed-jiagu.apk", "bt-caller-id.apk"])
def test_without_code_evidence_the_cautious_reading_stays(name: str) -> None:
    options = ScanOptions(lang="en", code=name != "bt-caller-id.apk")  # packed: code hidden; caller ID: --no-code
    got = scan_file(sample(name), options)
    assert any(f.id == "contact-harassment" for f in got.findings)
    assert got.summary.risk == "critical"
    assert got.harvest is None or got.harvest.harassment == "unknown"


def test_a_non_lender_says_so_and_lending_rules_do_not_raise_its_risk() -> None:
    got = report("bt-volume.apk")
    assert got.lending.decision == "no" and got.not_a_lender
    assert keys(got.summary.reasons)[0] == "reason.not_lender"
    assert finding("bt-volume.apk", "over-collection:contacts").severity in ("high", "critical")  # still listed
    assert got.summary.risk == "low"
    ctx = RenderContext("en")
    html = renderer("report", "html").render(got, ctx).decode("utf-8")
    assert "Judged against lending rules, but this app does not look like a lender." in html
    zh = renderer("report", "html").render(got, RenderContext("zh")).decode("utf-8")
    assert "本报告按借款应用的规则评判，但这个应用看起来不是借款应用。" in zh
    md = renderer("report", "md").render(got, ctx).decode("utf-8")
    assert "does not look like a lender" in md


def test_a_lender_is_judged_as_before() -> None:
    got = report("rupee-now.apk")
    assert got.lending.decision == "yes" and not got.not_a_lender
    assert "reason.not_lender" not in keys(got.summary.reasons) and got.summary.risk == "high"


def test_the_json_report_carries_the_lending_decision_the_harvest_and_the_sketch() -> None:
    doc = json.loads(json.dumps(report_dict(report("promo-lender.apk"), "en")))
    lending = doc["app"]["lending"]
    assert lending["decision"] == "yes" and lending["score"] > 6 and lending["evidence"]
    assert {"term", "lang", "weight", "where", "text", "detail"} <= set(lending["evidence"][0])
    assert doc["harvest"]["harassment"] == "no_contacts_code"
    assert doc["family"]["features"] > 0 and doc["family"]["sketch"].count(":") == 2


def test_the_complaint_claims_harassment_only_when_the_code_harvests() -> None:
    spy = build_complaint(report("contact-raider.apk"), ComplaintRequest(lang="en"))
    assert spy.points[0].finding_id == "contact-harassment"
    benign = build_complaint(report("bt-caller-id.apk"), ComplaintRequest(lang="en"))
    assert all(p.finding_id != "contact-harassment" for p in benign.points)
    assert [p.finding_id for p in benign.points] == ["over-collection:contacts", "over-collection:sms"]
    assert all("send" not in say(p.claim, "en") for p in benign.points)


def test_a_loan_term_a_verified_rule_forbids_is_a_complaint_point() -> None:
    got = build_complaint(report("promo-lender.apk"), ComplaintRequest(lang="en"))
    terms = [p for p in got.points if p.finding_id.startswith("term:")]
    assert terms and terms[0].finding_id == "term:gp-short-term-60"
    assert "Google Play" in say(terms[0].claim, "en")
