"""Structure the policy reader uses beyond sentences: collection headings and flattened SDK tables (plain text, as
policies saved from a page read)."""

from __future__ import annotations

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.read.policy.file import read_policy_bytes


def analyse(text: str):
    return analyse_policy(read_policy_bytes(text.encode(), "policy.txt"))


def collected(text: str) -> set[str]:
    return {c for c, st in analyse(text).categories.items() if st.status == "collects"}


HEADED = """Privacy Policy
2. Information We Collect
This section lists the data the app gathers when you apply.
2.1 Personal Information
Data such as your name and address are collected for identity verification.
2.2 Device Data
This includes your GPS location, device identifiers and call logs.
3. Your Rights
Contact list, SMS and photos are yours: you may ask us about them at any time.
"""


def test_items_under_a_collection_heading_and_its_subsections_are_collected() -> None:
    got = collected(HEADED)
    assert {"location", "phone_identity", "call_log"} <= got
    assert not {"contacts", "sms", "photos_media"} & got, "a later heading of the same level ends the collection"


def test_a_bare_table_row_lists_collected_data_but_user_instructions_do_not() -> None:
    rows = (
        "Data Category | Examples\nLocation Data | Your general location, to check service availability in your area.\n"
    )
    assert collected(rows) == {"location"}
    assert collected("You can turn off access to your contacts at any time in your phone's Settings.") == set()
    assert collected("You may reset or delete the Advertising ID in Android settings.") == set()
    assert collected("3. Your Rights\nContact list and SMS are yours: you may ask us about them.") == set()
    assert collected("We do not store your contacts on our servers.") == set()


FLAT_TABLE = """第三方SDK目录
第三方公司名称 |
产品/类型 |
共享信息名称 |
某某推送科技有限公司 |
某某推送SDK |
设备信息(IMEI/Android ID)、位置信息 |
SDK本机采集 |
|
"""

WIDE_TABLE = """第三方SDK清单
第三方公司名称 SDK名称 涉及个人信息 共享目的 共享方式
北京某某语音科技有限公司 某某语音识别SDK 音频内容、设备型号、IP地址、网络访问模式 用于语音输入 SDK本机采集
"""


def test_an_sdk_table_flattened_one_cell_per_line_is_the_sdks_collection() -> None:
    analysis = analyse(FLAT_TABLE)
    assert [(t.name.rstrip(" |"), t.categories) for t in analysis.third_party] == [
        ("某某推送SDK", ("location", "phone_identity"))
    ]
    assert collected(FLAT_TABLE) == set(), "not the app's own collection"


def test_an_sdk_table_flattened_with_spaces_is_the_sdks_collection() -> None:
    analysis = analyse(WIDE_TABLE)
    (entry,) = analysis.third_party
    assert entry.name == "某某语音识别SDK" and entry.company == "北京某某语音科技有限公司"
    assert set(entry.categories) == {"microphone", "network"}
    assert collected(WIDE_TABLE) == set()
