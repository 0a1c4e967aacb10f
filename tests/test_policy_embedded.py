"""Policies and policy URLs found inside an APK (real bytes, and the contact-raider sample)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.extract.policy.embedded import find_embedded_policies, find_policy_urls, reads_as_policy

CORPUS = Path(__file__).parent / "policy_corpus"
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "contact-raider.apk"


def test_finds_policies_in_assets_and_res_raw_but_not_elsewhere():
    zh = (CORPUS / "zh_01_basic.html").read_bytes()
    en = (CORPUS / "en_04_plain.txt").read_bytes()
    files = {
        "assets/web/privacy.html": zh,
        "res/raw/terms": en,  # no extension
        "assets/privacy_copy.htm": zh,  # same bytes: reported once
        "res/layout/main.xml": zh,  # not a policy location
        "assets/readme.txt": b"Build 1.2.3. Thanks for using the app. " * 20,  # long, but not a policy
        "assets/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(500),
        "assets/empty.txt": b"",
    }
    docs = find_embedded_policies(files)
    assert [d.source for d in docs] == ["assets/web/privacy.html", "res/raw/terms"]
    assert docs[0].kind == "html" and docs[1].kind == "text"


def test_accepts_an_iterable_of_pairs_and_gb18030_files():
    data = (CORPUS / "zh_04_gb18030.txt").read_bytes()
    docs = find_embedded_policies(iter([("assets/yinsi.txt", data)]))
    assert len(docs) == 1 and docs[0].encoding == "gb18030"


def test_long_string_resources_that_read_as_a_policy_become_documents():
    policy = (CORPUS / "en_01_basic.html").read_text("utf-8")
    strings = ["OK", "https://example.com", "Welcome! " * 50, policy]
    docs = find_embedded_policies({}, strings)
    assert len(docs) == 1 and docs[0].source == "string resource #3"
    assert analyse_policy(docs[0]).status("contacts") == "collects"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本隐私政策说明我们如何收集、使用和共享您的个人信息。" * 10, True),
        ("This Privacy Policy explains how we collect, use and share your information and data. " * 5, True),
        ("点击领取优惠券，立即借款，最高可借20万元！" * 20, False),
        ("隐私政策", False),
    ],
)
def test_reads_as_policy(text: str, expected: bool):
    assert reads_as_policy(text) is expected


def test_find_policy_urls_keeps_policy_pages_only():
    strings = [
        "https://www.quickcash-loan.example/privacy.html",
        'url = "https://h5.example.cn/yinsi/index.html?x=1";',
        "https://h5.example.cn/static/%E9%9A%90%E7%A7%81%E5%8D%8F%E8%AE%AE.html",  # 隐私协议
        "http://m.lender.example/agreement/loan).",
        "https://api.quickcash-loan.example/v2/contacts/upload",
        "https://policies.google.com/privacy",  # an SDK's policy, not the lender's
        "ftp://files.example/privacy.txt",
        "see https://www.quickcash-loan.example/privacy.html again",
    ]
    assert find_policy_urls(strings) == (
        "https://www.quickcash-loan.example/privacy.html",
        "https://h5.example.cn/yinsi/index.html?x=1",
        "https://h5.example.cn/static/%E9%9A%90%E7%A7%81%E5%8D%8F%E8%AE%AE.html",
        "http://m.lender.example/agreement/loan",
    )


@pytest.mark.skipif(not SAMPLE.exists(), reason="samples/contact-raider.apk not built")
def test_contact_raider_policy_extracted_from_the_apk():
    with zipfile.ZipFile(SAMPLE) as apk:
        files = {name: apk.read(name) for name in apk.namelist()}
    docs = find_embedded_policies(files)
    assert [d.source for d in docs] == ["assets/privacy_policy.html"]
    analysis = analyse_policy(docs)
    assert analysis.language == "zh"
    assert analysis.status("contacts") == "collects"
    assert "risk_control" in analysis.categories["contacts"].purposes
    assert analysis.status("sms") == "denies"
    assert analysis.categories["sms"].quotes[0].sentence == "4. 我们不会读取您的短信。"
    assert analysis.categories["sms"].quotes[0].section == "一、我们收集的信息"
    assert analysis.status("call_log") == "silent"
    assert analysis.status("installed_apps") == "silent"
    assert analysis.status("photos_media") == "silent" and analysis.status("accounts") == "silent"
    assert analysis.debt_collection_contact is True
    assert "紧急联系人" in analysis.contacts_contacted[0].sentence
    assert analysis.contacts_contacted[0].section == "二、我们如何使用信息"
    assert analysis.shared_with == ("risk_control_provider",)


@pytest.mark.skipif(not SAMPLE.exists(), reason="samples/contact-raider.apk not built")
def test_contact_raider_policy_url_is_found_in_its_dex():
    with zipfile.ZipFile(SAMPLE) as apk:
        dex = [apk.read(n).decode("latin-1") for n in apk.namelist() if n.endswith(".dex")]
    assert find_policy_urls(dex) == ("https://www.quickcash-loan.example/privacy.html",)
