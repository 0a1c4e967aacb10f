"""The policy's SDK list set against the SDKs the code scan found: real scans of the sample APK, real policy files.

``contact-raider.apk`` embeds two SDKs whose code reads data (riskctl: contacts, SMS, installed apps; adfake:
device identifiers). A policy naming an SDK — in an SDK table or in prose — clears it; one it never names is a
``policy-sdk-unlisted`` finding (one for all of them) whose severity follows the worst verdict of what their code reads.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.evaluate.policy.consistency import AppCategoryFacts, SdkFacts, confront
from apkscan.read.policy.file import read_policy_bytes
from tests.conftest import sample

TABLE = """<html><body><h1>隐私政策</h1>
<h2>一、我们收集的信息</h2>
<p>为进行风控审核，我们会读取您的通讯录、短信及已安装应用列表；为保障账户安全，我们会收集设备标识符。</p>
<h2>二、第三方SDK目录</h2>
<table><tr><th>SDK名称</th><th>SDK厂商</th><th>收集个人信息</th></tr>
<tr><td>riskctl风控SDK</td><td>某风控科技有限公司</td><td>通讯录、短信、已安装应用列表</td></tr></table>
</body></html>"""

PROSE = TABLE.replace("</table>", "</table><p>我们使用 adfake 统计SDK 统计应用使用情况，它会收集设备标识符。</p>")


def scan(tmp_path: Path, policy: str | None) -> dict:
    args = [sys.executable, "-m", "apkscan", "scan", str(sample("contact-raider.apk")), "-o", str(tmp_path)]
    if policy is not None:
        (tmp_path / "policy.html").write_text(policy, "utf-8")
        args += ["--policy", str(tmp_path / "policy.html")]
    proc = subprocess.run([*args, "--format", "json", "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    (path,) = tmp_path.glob("*.json")
    return json.loads(path.read_text("utf-8"))


def sdk_finding(report: dict) -> dict | None:
    found = [f for f in report["findings"] if f["id"] == "policy-sdk-unlisted"]
    assert len(found) <= 1
    return found[0] if found else None


def test_a_policy_without_any_sdk_list_leaves_both_sdks_unnamed(tmp_path: Path) -> None:
    found = sdk_finding(scan(tmp_path, None))  # the policy bundled in the APK names no SDK
    assert found is not None and "riskctl (fake" in found["detail"] and "adfake analytics" in found["detail"]
    assert found["severity"] == "high", "riskctl's code reads contacts and SMS, which a lender must not take"
    assert found["category"] == "contacts"
    assert "names no third-party SDK" in found["detail"] and "text messages" in found["detail"]
    assert re.search(r"(riskctl|adfake)[^;]* reads [^;]+; (riskctl|adfake)[^;]* reads ", found["detail"]), (
        "one clause per SDK"
    )
    assert any(r["verification"] == "memory" for r in found["references"])


def test_an_sdk_on_the_list_is_cleared_and_the_one_left_out_is_named(tmp_path: Path) -> None:
    report = scan(tmp_path, TABLE)
    assert [t["sdk_ids"] for t in report["policy"]["third_party"]] == [["riskctl_fixture"]]
    found = sdk_finding(report)
    assert found is not None and "adfake analytics" in found["detail"]
    assert "(1 of them), but not these" in found["detail"] and "riskctl" not in found["detail"]


def test_the_html_report_lists_the_policys_third_parties_and_which_the_code_has(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "apkscan", "scan", str(sample("contact-raider.apk")), "-o", str(tmp_path)]
    (tmp_path / "policy.html").write_text(TABLE, "utf-8")
    args += ["--policy", str(tmp_path / "policy.html"), "--format", "html", "--lang", "en"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    (path,) = [p for p in tmp_path.glob("*.html") if p.name != "policy.html"]
    section = path.read_text("utf-8").split('<section id="policy">', 1)[1].split("</section>", 1)[0]
    item = section.split("Third parties the policy names, with what they collect", 1)[1]
    assert "riskctl风控SDK" in item and "某风控科技有限公司" in item
    assert "Contacts" in item and "also found in the app&#39;s code" in item


def test_an_sdk_named_in_prose_counts_as_named(tmp_path: Path) -> None:
    report = scan(tmp_path, PROSE)
    assert report["policy"]["sdks_named"] == ["riskctl_fixture", "adfake_fixture"]
    assert sdk_finding(report) is None


def test_an_sdk_policies_have_no_known_name_for_is_not_accused() -> None:
    analysis = analyse_policy(read_policy_bytes(TABLE.encode(), "policy.html"))
    unknown = SdkFacts("some_unknown_sdk", "Some SDK", ("contacts",))
    silent = SdkFacts("adfake_fixture", "adfake", ())  # found in the code, but its code reads nothing here
    assert confront(analysis, {}, sdks=[unknown, silent]) == ()


def test_data_a_listed_sdk_collects_is_not_undisclosed() -> None:
    only_sdk = TABLE.replace("为保障账户安全，我们会收集设备标识符。", "").replace(
        "通讯录、短信、已安装应用列表</td>", "通讯录、短信、已安装应用列表、设备标识符</td>"
    )
    analysis = analyse_policy(read_policy_bytes(only_sdk.encode(), "policy.html"))
    assert analysis.status("phone_identity") == "silent", "the SDK's collection is not the app's own"
    assert "phone_identity" in analysis.third_party[0].categories
    facts = {
        "phone_identity": AppCategoryFacts("phone_identity", ("android.permission.READ_PHONE_STATE",), True, "unknown")
    }
    assert confront(analysis, facts) == (), "named as the SDK's collection: disclosed, so not 'undisclosed'"
    bare = analyse_policy(read_policy_bytes(only_sdk.split("<h2>二")[0].encode() + b"</body></html>", "p.html"))
    assert [f.id for f in confront(bare, facts)] == ["policy-undisclosed:phone_identity"]
