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


OUTLINE = """1. 我们如何收集和使用您的个人信息
1.6 设备信息
1.6.1 收集的信息
1.6.1.1 设备型号
1.6.1.2 设备唯一标识符（用于游客模式）
1.6.2 使用目的
1.6.2.1 统计分析和故障排查
2. 我们如何共享您的个人信息
2.1 位置信息
我们不会与任何第三方共享您的个人信息。
"""


def test_a_numbered_heading_with_nothing_under_it_is_an_item_of_the_heading_above() -> None:
    """An outline whose leaves are numbered like headings ("1.6.1 收集的信息 / 1.6.1.2 设备唯一标识符 / 1.6.2 …"):
    the leaves are items of their parent; a heading with lines under it ("2.1 位置信息") stays a heading."""
    blocks = read_policy_bytes(OUTLINE.encode(), "policy.txt").blocks
    leaves = [(b.section, b.text, b.role) for b in blocks if b.role == "item"]
    assert ("1.6.1 收集的信息", "1.6.1.2 设备唯一标识符（用于游客模式）", "item") in leaves
    assert ("1.6.2 使用目的", "1.6.2.1 统计分析和故障排查", "item") in leaves
    assert not any(text.startswith(("1.6 ", "1.6.1 ", "2.1 ")) for _, text, _ in leaves)
    assert collected(OUTLINE) == {"phone_identity"}


def test_the_last_numbered_heading_of_a_cut_copy_is_kept() -> None:
    """A copy of a policy cut after "5. 读取/写入/删除SD卡中的内容" still says that much."""
    text = "操作系统应用权限列表\n4. wifi状态权限\n使用场景与目的:检测网络状态\n5. 读取/写入/删除SD卡中的内容\n"
    assert collected(text) == {"network", "storage"}


def test_the_lines_under_an_sdks_own_heading_are_the_sdks() -> None:
    """ "2. Admob SDK" over its purpose and then its data: all of it is the SDK's collection, not the app's."""
    text = (
        "二、第三方SDK\n1. 友盟统计SDK\n设备标识信息（如 OAID）\n"
        "2. Admob SDK\n用于提供广告服务。\n设备标识信息（如 OAID、Android ID）\n网络状态\n三、数据共享说明\n"
        "我们会收集您的位置信息。\n"
    )
    analysis = analyse(text)
    entries = {t.name: set(t.categories) for t in analysis.third_party}
    assert entries.get("Admob SDK") == {"phone_identity", "network"}
    assert collected(text) == {"location"}


def test_an_sdk_entry_left_open_ends_with_its_document() -> None:
    """A privacy policy that ends under an SDK's heading, then a second document (the policy inside the APK): the
    second document's lines are the app's, not that SDK's."""
    first = read_policy_bytes("三、第三方SDK\n1. Admob SDK\n用于提供广告服务。\n网络状态\n".encode(), "policy.txt")
    second = read_policy_bytes("权限说明\n通讯录：用于风险评估\n".encode(), "embedded.txt")
    analysis = analyse_policy([first, second])
    assert analysis.status("contacts") == "collects"
    assert {t.name: set(t.categories) for t in analysis.third_party} == {"Admob SDK": {"network"}}
