"""confront(): what the policy says against what the app requests and reads."""

from __future__ import annotations

import json

import pytest

from apkscan.evaluate.policy.analysis import PolicyAnalysis, analyse_policy
from apkscan.evaluate.policy.consistency import AppCategoryFacts, confront
from apkscan.model import Finding
from apkscan.model.codec import to_plain
from apkscan.read.policy.file import read_policy_bytes
from apkscan.render.i18n import say

POLICY = """<html><body>
<h2>一、我们收集的信息</h2>
<p>为进行风控审核，我们会读取您的通讯录。</p>
<p>我们不会读取您的短信。</p>
<p>在您同意本政策前，我们会收集您的设备标识符用于反欺诈。</p>
<p>我们会收集您的相册照片用于核实收入。</p>
<h2>二、逾期处理</h2>
<p>如您逾期未还款，我们可能联系您的紧急联系人及通讯录联系人。</p>
<h2>三、权限</h2>
<p>如您拒绝授权通讯录权限，将无法使用借款服务。</p>
</body></html>"""


@pytest.fixture(scope="module")
def policy() -> PolicyAnalysis:
    return analyse_policy(read_policy_bytes(POLICY.encode(), "policy.html"))


def facts(**cats: tuple[tuple[str, ...], bool | None, str]) -> dict[str, AppCategoryFacts]:
    return {cat: AppCategoryFacts(cat, perms, read, verdict) for cat, (perms, read, verdict) in cats.items()}


def by_id(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    return {f.id: f for f in findings}


def test_each_kind_of_finding_with_its_quotes(policy: PolicyAnalysis):
    found = by_id(
        confront(
            policy,
            facts(
                contacts=(("android.permission.READ_CONTACTS",), True, "prohibited"),
                sms=(("android.permission.READ_SMS", "android.permission.RECEIVE_SMS"), True, "prohibited"),
                call_log=(("android.permission.READ_CALL_LOG",), None, "prohibited"),
                installed_apps=((), True, "none"),
                camera=(("android.permission.CAMERA",), None, "conditional"),
                network=(("android.permission.INTERNET",), None, "needed"),
            ),
        )
    )
    assert set(found) == {
        "policy-contradiction:sms",
        "policy-admitted:contacts",
        "policy-undisclosed:call_log",
        "policy-undisclosed:installed_apps",
        "policy-undisclosed:camera",
        "policy-contacts-debt-collection",
        "policy-pre-consent",
        "policy-no-refusal",
    }

    sms = found["policy-contradiction:sms"]
    assert sms.severity == "critical"
    assert [(q.sentence, q.section) for q in sms.quotes] == [("我们不会读取您的短信。", "一、我们收集的信息")]
    assert sms.permissions == ("android.permission.READ_SMS", "android.permission.RECEIVE_SMS")
    assert "READ_SMS" in say(sms.detail, "en") and "READ_SMS" in say(sms.detail, "zh")

    admitted = found["policy-admitted:contacts"]
    assert admitted.severity == "high"
    assert admitted.quotes[0].sentence == "为进行风控审核，我们会读取您的通讯录。"
    assert "risk control" in say(admitted.detail, "en") and "风控" in say(admitted.detail, "zh")

    assert found["policy-undisclosed:call_log"].severity == "high"  # prohibited
    assert found["policy-undisclosed:camera"].severity == "low"  # conditional
    assert found["policy-undisclosed:installed_apps"].quotes == ()  # nothing to quote: the policy is silent
    assert "without a listed permission" in say(found["policy-undisclosed:installed_apps"].detail, "en")

    debt = found["policy-contacts-debt-collection"]
    assert (debt.category, debt.severity) == ("contacts", "critical")
    assert debt.quotes[0].section == "二、逾期处理" and "紧急联系人" in debt.quotes[0].sentence
    cited = " ".join(say(r.rule, "en") for r in debt.references)
    for citation in ("GB/T 45251-2025", "Kenya", "Circular No. 18", "Central Bank of Nigeria Consumer Protection"):
        assert citation in cited
    assert {r.verification for r in debt.references} == {"verified", "secondary"}
    assert {r.jurisdiction for r in debt.references} == {"cn", "ke", "ph", "ng"}
    assert "GB/T 45251—2025" in " ".join(say(r.rule, "zh") for r in debt.references)
    assert all(r.source_id for r in debt.references)  # every citation comes from the rule table's sources

    pre = found["policy-pre-consent"]
    assert pre.severity == "high" and "在您同意本政策前" in pre.quotes[0].sentence
    refusal = found["policy-no-refusal"]
    assert refusal.severity == "medium" and "无法使用借款服务" in refusal.quotes[0].sentence


def test_findings_are_sorted_most_severe_first(policy: PolicyAnalysis):
    findings = confront(
        policy,
        facts(
            sms=(("android.permission.READ_SMS",), None, "prohibited"),
            camera=(("android.permission.CAMERA",), None, "conditional"),
        ),
    )
    severities = [f.severity for f in findings]
    order = ["critical", "high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)


def test_unused_categories_network_and_disclosed_ones_give_nothing(policy: PolicyAnalysis):
    found = by_id(
        confront(
            policy,
            facts(
                sms=((), None, "none"),  # not requested, not read: the denial is true
                call_log=((), False, "none"),
                network=(("android.permission.INTERNET",), True, "needed"),
                contacts=(("android.permission.READ_CONTACTS",), True, "conditional"),  # admitted, not prohibited
            ),
        )
    )
    assert not any(i.startswith(("policy-undisclosed", "policy-contradiction", "policy-admitted")) for i in found)


def test_gallery_disclosed_covers_storage_permission(policy: PolicyAnalysis):
    found = by_id(confront(policy, facts(storage=(("android.permission.READ_EXTERNAL_STORAGE",), None, "prohibited"))))
    assert "policy-undisclosed:storage" not in found


def test_needed_permission_silent_is_info():
    quiet = analyse_policy(read_policy_bytes("我们重视您的隐私。".encode(), "p.txt"))
    found = by_id(confront(quiet, facts(location=(("android.permission.ACCESS_COARSE_LOCATION",), None, "needed"))))
    assert found["policy-undisclosed:location"].severity == "info"
    assert "policy-contacts-debt-collection" not in found


def test_findings_serialise_to_json(policy: PolicyAnalysis):
    findings = confront(policy, facts(sms=(("android.permission.READ_SMS",), True, "prohibited")))
    data = json.loads(json.dumps([to_plain(f, lambda w: say(w, "en")) for f in findings], ensure_ascii=False))
    sms = next(f for f in data if f["id"] == "policy-contradiction:sms")
    assert sms["quotes"][0] == {
        "sentence": "我们不会读取您的短信。",
        "section": "一、我们收集的信息",
        "source": "policy.html",
        "index": 1,
    }
