"""What changed between two versions: permissions, code, SDKs, endpoints, policy, findings and the signer."""

from __future__ import annotations

import json
from functools import cache

import pytest

from apkscan.api import scan_file
from apkscan.diff import HEADLINES, SIGNER_RELATIONS, diff_reports
from apkscan.extract.lineage import read_lineage, signing_block
from apkscan.options import ScanOptions
from apkscan.render.json_report import report_dict
from tests.conftest import sample

SAMPLE_CERT = "95a87282e7c890c142a09bd2f0949cf59460e96fd22fb65c4514c7866e2f9447"


@cache
def report(name: str) -> dict:
    # through JSON text, as a report read back from disk would be
    return json.loads(json.dumps(report_dict(scan_file(sample(name), ScanOptions(lang="en")))))


def lineage(name: str) -> tuple[str, ...]:
    return read_lineage(sample(name).read_bytes()).certificates


def test_rotated_key_lineage_is_read_from_the_v3_block() -> None:
    got = read_lineage(sample("raider-v2.apk").read_bytes())
    assert got.scheme == "v3" and got.certificates[0] == SAMPLE_CERT and len(got.certificates) == 2
    new_cert = {s["sha256"] for s in report("raider-v2.apk")["app"]["signers"] if s["scheme"] == "v3"}
    assert {got.certificates[1]} == new_cert
    assert lineage("contact-raider.apk") == () and lineage("reskin-raider.apk") == ()


def test_update_with_new_data_sdk_endpoint_and_rotated_key() -> None:
    d = diff_reports(report("contact-raider.apk"), report("raider-v2.apk"), new_lineage=lineage("raider-v2.apk"))
    assert (d.old_version, d.new_version) == (("3.1.4", "314"), ("3.2.0", "315"))
    assert d.signer.relation == "rotated" and d.signer.old == (SAMPLE_CERT,)
    assert [p.name for p in d.permissions_added] == ["android.permission.READ_CALENDAR"]
    assert d.permissions_added[0].verdict and not d.permissions_removed
    assert d.categories_read_added == ("calendar",) and not d.categories_read_removed
    assert d.sdks_added == ("facefake_fixture",)
    assert d.endpoints_added == ("https://api.quickcash-loan.example/v2/calendar/upload",)
    assert "over-collection:calendar" in d.findings_added and not d.findings_resolved
    assert (d.headline, dict(d.headline_params)) == ("update-reads-new-data", {"categories": ("calendar",)})


def test_without_the_lineage_the_new_key_is_a_new_signer() -> None:
    d = diff_reports(report("contact-raider.apk"), report("raider-v2.apk"))
    assert d.signer.relation == "new_key"


def test_going_back_is_reported_as_resolved_and_as_the_older_key_of_the_lineage() -> None:
    d = diff_reports(report("raider-v2.apk"), report("contact-raider.apk"), old_lineage=lineage("raider-v2.apk"))
    assert d.signer.relation == "rotated"
    assert d.categories_read_removed == ("calendar",) and d.sdks_removed == ("facefake_fixture",)
    assert d.headline == "update-fewer-findings" and "over-collection:calendar" in d.headline_params["resolved"]


def test_same_report_changes_nothing() -> None:
    d = diff_reports(report("contact-raider.apk"), report("contact-raider.apk"))
    assert d.signer.relation == "same" and d.headline == "update-no-privacy-change"
    assert not (d.permissions_added or d.findings_added or d.policy_changes or d.endpoints_added)


def test_a_reskin_is_another_app() -> None:
    d = diff_reports(report("contact-raider.apk"), report("reskin-raider.apk"))
    assert d.headline == "different-apps" and d.signer.relation == "new_key"


def test_policy_status_changes_with_quotes() -> None:
    old, new = report("contact-raider.apk"), json.loads(json.dumps(report("contact-raider.apk")))
    new["policy"]["categories"]["sms"] = {"status": "collects", "quotes": [{"sentence": "我们会读取您的短信。"}]}
    (change,) = diff_reports(old, new).policy_changes
    assert (change.category, change.old, change.new, change.quotes) == (
        "sms",
        "denies",
        "collects",
        ("我们会读取您的短信。",),
    )


def test_diff_is_plain_json_data_with_known_ids() -> None:
    d = diff_reports(report("contact-raider.apk"), report("raider-v2.apk"), new_lineage=lineage("raider-v2.apk"))
    data = json.loads(json.dumps(d.to_dict()))
    assert data["headline"] in HEADLINES and data["signer"]["relation"] in SIGNER_RELATIONS


@pytest.mark.parametrize(
    "broken", [{}, {"app": None, "permissions": [None, 3, "x"], "findings": "x"}, {"code": {"call_sites": [1]}}]
)
def test_partial_or_hostile_reports_never_crash(broken: dict) -> None:
    d = diff_reports(broken, report("contact-raider.apk"))
    assert d.signer.relation == "unknown" and d.headline in HEADLINES


def test_malformed_signing_blocks_never_crash() -> None:
    data = bytearray(sample("raider-v2.apk").read_bytes())
    block = data.find(b"APK Sig Block 42")
    for pos in range(block - 4000, block, 97):  # damage bytes inside the signing block
        damaged = bytes(data[:pos]) + b"\xff\xff\xff\x7f" + bytes(data[pos + 4 :])
        read_lineage(damaged)
    assert signing_block(b"PK\x05\x06" + b"\x00" * 18) == {}
    assert read_lineage(b"").certificates == ()
