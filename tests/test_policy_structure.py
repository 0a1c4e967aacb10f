"""Structures real policies use and the look-alikes of collection they contain (issue 11).

Every text here was written for this test (none is copied from a policy); each mirrors a pattern met in the real
corpus of tests/policy_corpus/real/. Each look-alike has a twin that really is collection, so that a test cannot
pass by reading nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.evaluate.policy.third_party import match_sdk_ids
from apkscan.knowledge.lexicon import load_lexicon
from apkscan.model.policy import PolicyAnalysis
from apkscan.read.policy.file import read_policy_bytes

SDKS_TOML = Path(__file__).resolve().parents[1] / "apkscan" / "data" / "sdks.toml"


def analyse(text: str, name: str = "policy.txt") -> PolicyAnalysis:
    return analyse_policy(read_policy_bytes(text.encode("utf-8"), name))


def admitted(text: str, name: str = "policy.txt") -> dict[str, str]:
    return {c: s.status for c, s in analyse(text, name).categories.items() if s.status != "silent"}


# --------------------------------------------------------------------------------------------- look-alikes
@pytest.mark.parametrize(
    ("look_alike", "real", "category"),
    [
        # the app sending messages to the user, verification codes
        (
            "We text you a one-time verification code by SMS when you sign in. Our SMS delivery partner gets your "
            "number only to deliver texts to you.",
            "We read the SMS messages in your inbox to estimate your income.",
            "sms",
        ),
        ("登录时我们会向您发送短信验证码。", "我们会读取您的短信内容用于评估还款能力。", "sms"),
        # telling the user how to refuse or withdraw
        (
            "You can turn off access to your contacts at any time in your phone's Settings.",
            "We access your contacts to verify the references you give.",
            "contacts",
        ),
        ("您可以在手机系统设置中关闭通讯录权限。", "我们会读取您的通讯录用于风险评估。", "contacts"),
        (
            "You may withdraw your consent to our use of your location at any time.",
            "We use your location to check that you live in our service area.",
            "location",
        ),
        # content the user chooses to publish
        (
            "Text, pictures and videos that you post are shown to other members.",
            "We access your photo gallery so that you can pick a payslip.",
            "photos_media",
        ),
        ("您发布的文字、图片、视频由您自行负责。", "我们会访问您的相册，以便您选择证件照片上传。", "photos_media"),
        # what the camera takes is not the gallery
        ("我们会请您开启相机权限，用于拍摄的照片和视频的上传。", "我们会读取您相册中的照片。", "photos_media"),
        # photos named with identity checks are faces and ID cards: the camera's, not the gallery
        (
            "Identification: full name, date of birth, photos/selfies and national ID images.",
            "Identification: we read the photos in your photo gallery to check your identity.",
            "photos_media",
        ),
        (
            "Images obtained through the camera permission, for identity verification.",
            "Images in your gallery, for identity verification.",
            "photos_media",
        ),
        ("我们会收集您的身份证照片和人脸图像。", "我们会收集您的身份证号码和相册中的照片。", "photos_media"),
        # the lender's own service desk
        (
            "We keep records of your calls with our customer support team for quality purposes.",
            "We collect your call logs to measure how active your phone is.",
            "call_log",
        ),
        ("联系客服时，我们会保存文字、图片以及您与客服的通话记录。", "我们会收集您的通话记录用于反欺诈。", "call_log"),
        # examples in a definition
        (
            '"Personal data" means any information about you, such as your name, your location or your contacts.',
            "We collect your precise location when you apply.",
            "location",
        ),
        (
            "个人敏感信息：指一旦泄露可能危害人身安全的信息，包括行踪轨迹、通讯录、短信。",
            "我们会收集您的通讯录信息。",
            "contacts",
        ),
        # a location fix from base stations and Wi-Fi is location, not network data
        ("我们会通过基站和WLAN获取您的大致位置。", "我们会收集您的IP地址和WLAN信息。", "network"),
    ],
)
def test_look_alikes_are_not_collection(look_alike: str, real: str, category: str):
    assert category not in admitted(look_alike)
    assert admitted(real).get(category) == "collects"


def test_emergency_contacts_listed_as_contact_information_are_not_the_address_book():
    assert "contacts" not in admitted("4、联系人信息：紧急联系人的姓名和电话，由您填写。")
    assert admitted("我们会收集以下信息：\n通讯录联系人列表\n").get("contacts") == "collects"


# --------------------------------------------------------------------------------------------- structures
def test_permission_table_flattened_to_text_rows():
    text = (
        "本应用申请的权限如下：\n"
        "权限名称 | 权限用途 | 使用场景\n"
        "READ_CONTACTS 读取联系人 | 邀请好友 | 首页邀请活动\n"
        "ACCESS_FINE_LOCATION 精确位置 | 推荐附近网点 | 打开网点地图时\n"
        "GET_ACCOUNTS 获取应用账户 | 添加社区账号 | 登录时\n"
    )
    got = admitted(text)
    assert {got.get(c) for c in ("contacts", "location", "accounts")} == {"collects"}
    assert "sms" not in got


def test_heading_colon_list_takes_the_verb_of_its_section():
    text = (
        "1. What we collect\n\n"
        "Account details: your name, phone number and e-mail address.\n"
        "Loan application details: a photo of your ID card, your location and your employer.\n"
        "List of apps: the names of apps installed on your device.\n\n"
        "2. Contact us\n\n"
        "Support: write to the address below.\n"
    )
    got = admitted(text)
    assert got.get("camera") == "collects"
    assert got.get("location") == "collects"
    assert got.get("installed_apps") == "collects"


def test_lead_in_without_colon_governs_the_list_below():
    text = (
        "Personal information collection\n\n"
        "The information we collect to serve you includes but is not limited to\n"
        "Device information - device model and identifiers\n"
        "Location\n"
        "Other applications installed - names and versions\n"
    )
    got = admitted(text)
    assert {got.get(c) for c in ("phone_identity", "location", "installed_apps")} == {"collects"}


def test_installed_software_phrasings():
    assert admitted("We may collect the installed software applications on your device.").get("installed_apps") == (
        "collects"
    )
    assert admitted("The App may read installed app metadata such as package names.").get("installed_apps") == (
        "collects"
    )


def test_traditional_chinese_reads_like_simplified():
    got = admitted("我們會讀取您的通訊錄，並在您開啟相機權限後拍攝證件照片。")
    assert got.get("contacts") == "collects"
    assert got.get("camera") == "collects"


def test_short_permission_line_is_a_statement():
    text = "(1)定位權限\n進入首頁時，需要定位權限來獲取您當前位置\n(2)錄音權限\n用於發送語音消息\n"
    got = admitted(text)
    assert got.get("location") == "collects"
    assert got.get("microphone") == "collects"


# --------------------------------------------------------------------------------------------- SDK lists
SDK_LIST = """二、第三方SDK目录

1. 极光推送SDK
第三方名称：深圳市和讯华谷信息技术有限公司
使用目的：向您推送消息
收集个人信息类型：设备标识符（IMEI、Android ID）、网络信息、位置信息

2. 友盟统计SDK
第三方名称：友盟同欣（北京）科技有限公司
使用目的：统计应用使用情况；
收集个人信息类型：设备标识符（OAID）、已安装应用列表
"""

SDK_TABLE = """第三方SDK清单
SDK名称 | SDK厂商 | 收集的个人信息 | 使用目的
华为推送SDK | 华为软件技术有限公司 | 设备标识符、应用信息 | 消息推送
某某地图SDK | 某某科技有限公司 | 精确位置、WLAN信息 | 展示地图
"""


def test_sdk_list_is_third_party_collection_not_the_apps():
    analysis = analyse(SDK_LIST)
    assert {c for c, s in analysis.categories.items() if s.status != "silent"} == set()
    entries = {t.name: t for t in analysis.third_party}
    assert set(entries) == {"极光推送SDK", "友盟统计SDK"}
    jpush = entries["极光推送SDK"]
    assert jpush.company == "深圳市和讯华谷信息技术有限公司"
    assert set(jpush.categories) == {"phone_identity", "network", "location"}
    assert jpush.sdk_ids == ("jpush",)
    assert "installed_apps" in entries["友盟统计SDK"].categories
    assert "umeng_analytics" in entries["友盟统计SDK"].sdk_ids
    assert jpush.quotes and jpush.to_dict()["sdk_ids"] == ["jpush"]


def test_sdk_table_rows_are_third_party_collection():
    analysis = analyse(SDK_TABLE)
    assert analysis.status("location") == "silent"
    entries = {t.name: t for t in analysis.third_party}
    assert entries["华为推送SDK"].sdk_ids == ("huawei_push",)
    assert entries["华为推送SDK"].company == "华为软件技术有限公司"
    assert set(entries["某某地图SDK"].categories) >= {"location", "network"}
    assert entries["某某地图SDK"].sdk_ids == ()


def test_app_collection_next_to_an_sdk_list_still_counts():
    text = "我们会收集您的位置信息，用于推荐附近网点。\n\n" + SDK_LIST
    analysis = analyse(text)
    assert analysis.status("location") == "collects"
    assert analysis.status("installed_apps") == "silent"
    assert len(analysis.third_party) == 2
    assert "third_party" in analysis.to_dict()


def test_sdk_entry_keys_platforms_and_letter_numbering():
    text = """第三方SDK清单
a)微信开放平台SDK(Android 端、iOS 端)
第三方名称:深圳市腾讯计算机系统有限公司
使用目的:微信授权登录、微信分享
敏感系统权限:位置权限
涉及的个人信息类型:终端设备唯一标识符(Android_ID、OAID)、应用安装列表
"""
    entries = {t.name: t for t in analyse(text).third_party}
    assert set(entries) == {"微信开放平台SDK"}
    assert set(entries["微信开放平台SDK"].categories) == {"location", "phone_identity", "installed_apps"}


def test_sdk_table_flattened_one_cell_per_line_without_pipes():
    text = """第三方SDK收集和使用说明
功能模块及服务
第三方名称
个人信息收集详情
推送通知功能
极光推送
设备信息Android_ID、网络信息、位置信息
https://www.jiguang.cn/license/privacy
崩溃分析
Bugly
设备信息(型号/Android_ID)、网络类型
https://privacy.qq.com/
"""
    analysis = analyse(text)
    assert all(s.status == "silent" for s in analysis.categories.values())
    entries = {t.name: t for t in analysis.third_party}
    assert set(entries) == {"极光推送", "Bugly"}
    assert set(entries["极光推送"].categories) == {"phone_identity", "network", "location"}
    assert entries["极光推送"].sdk_ids == ("jpush",) and entries["Bugly"].sdk_ids == ("bugly",)


@pytest.mark.parametrize(
    ("sentence", "name", "categories"),
    [
        (
            "我司的产品集成友盟+SDK,友盟+SDK需要收集您的设备Mac地址、唯一设备识别码(IMEI)以提供统计分析服务。",
            "友盟+SDK",
            {"phone_identity"},
        ),
        (
            "The Firebase SDK collects your device identifiers and IP address.",
            "Firebase SDK",
            {"phone_identity", "network"},
        ),
        ("- Google Maps — receives your location only when you open the branch locator", "Google Maps", {"location"}),
        # the SDK is the subject of a later verb, after a condition on the user
        (
            "如您使用华为手机时，华为Push SDK需要读取您的设备识别号、联网相关信息，用于推送通知栏消息。",
            "华为Push SDK",
            {"phone_identity", "network"},
        ),
        ("如您使用高德提供的地图服务，高德需要收集设备所在位置相关信息。", "高德", {"location"}),
    ],
)
def test_an_sdk_as_subject_of_a_collection_sentence_is_a_third_party_entry(sentence, name, categories):
    analysis = analyse(sentence)
    assert all(s.status == "silent" for s in analysis.categories.values())
    assert [(t.name, set(t.categories)) for t in analysis.third_party] == [(name, categories)]


def test_an_sdk_named_only_as_our_means_is_our_collection():
    analysis = analyse("我们通过友盟SDK收集您的设备识别号。")
    assert analysis.status("phone_identity") == "collects"
    assert not analysis.third_party


def test_an_unnamed_sdk_is_no_third_party_entry():
    analysis = analyse("如您使用实时音视频功能时，SDK需收集您的摄像头、麦克风信息。")
    assert all(t.name.lower() != "sdk" for t in analysis.third_party)


def test_what_a_sentence_says_before_an_sdks_clause_stays_the_apps():
    text = (
        "我们收集您的位置信息用于风控，如您使用小米手机时，小米推送SDK需要读取您的设备识别号；"
        "如您使用分享功能，我们会读取您的相册。"
    )
    analysis = analyse(text)
    assert analysis.status("location") == "collects" and analysis.status("photos_media") == "collects"
    assert analysis.status("phone_identity") == "silent"
    entries = {t.name: set(t.categories) for t in analysis.third_party}
    assert entries.get("小米推送SDK") == {"phone_identity"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Location: to confirm you are in the country.", "location"),
        ("Installed Apps: To assess creditworthiness.", "installed_apps"),
        ("- 通讯录：用于紧急联系人的选择", "contacts"),
    ],
)
def test_a_data_label_followed_by_its_purpose_is_collected(text: str, category: str):
    assert admitted(text).get(category) == "collects"


def test_each_sdk_name_key_opens_an_entry_even_spelled_with_spaces():
    """A plain list where every entry starts with its name key ("第三方SDK名称：", "第三方 SDK 名称："), under no
    heading apkscan can see: each key opens an entry, and their data is the SDKs', not the app's."""
    text = (
        "第三方SDK名称：Bugly SDK\n"
        "第三方SDK提供方的公司名称：深圳市腾讯计算机系统有限公司\n"
        "处理的个人信息类型：设备是否root、网络类型\n"
        "第三方 SDK 名称：支付宝客户端 SDK\n"
        "第三方名称：支付宝支付科技有限公司\n"
        "收集的个人信息类型：Android ID、OAID、IP 地址\n"
    )
    analysis = analyse(text)
    entries = {t.name: set(t.categories) for t in analysis.third_party}
    assert entries == {"Bugly SDK": {"network", "other"}, "支付宝客户端 SDK": {"phone_identity", "network"}}
    assert all(s.status == "silent" for s in analysis.categories.values())


def test_sdk_names_match_sdks_toml_ids():
    lex = load_lexicon()
    assert match_sdk_ids("OPPO推送SDK", "", lex) == ("heytap_push",)
    assert match_sdk_ids("穿山甲广告SDK(com.bytedance)", "北京巨量引擎网络科技有限公司", lex) == ("bytedance_applog",)
    assert match_sdk_ids("Tencent Bugly", "", lex) == ("bugly",)
    assert match_sdk_ids("某某地图SDK", "某某科技有限公司", lex) == ()
    known = {sdk["id"] for sdk in tomllib.loads(SDKS_TOML.read_text("utf-8"))["sdk"]}
    assert set(lex.sdk_aliases) <= known, set(lex.sdk_aliases) - known


@pytest.mark.parametrize(
    "text, denied, collected",
    [
        # a lead-in ending on a bare negation denies what each item says the app does
        (
            "**Local storage only**: your data stays on the phone, using its database. We do NOT:\n"
            "- Upload your data to any servers\n- Access your contacts, location, or other device data\n",
            {"contacts", "location", "phone_identity"},
            set(),
        ),
        ("我们不会：\n- 读取您的通讯录\n- 获取您的位置信息\n", {"contacts", "location"}, set()),
        # a negated lead-in verb reaches items that carry a verb-like noun of their own
        ("The app does not request:\n- Location access\n- Camera access\n", {"location", "camera"}, set()),
        # the subject of the lead-in may be left out ("… and does not:"), but not be the user ("if you do not:")
        ("EMF Scope works on your device and does not:\n- Track your location\n", {"location"}, set()),
        ("You can still apply if you do not:\n- Share your location\n", set(), {"location"}),
        # a cross mark denies what the item names, whatever the lead-in says
        (
            "Information we collect:\n- ✅ Expense records\n- ❌ Contacts or address book information\n"
            "- ❌ GPS coordinates\n",
            {"contacts", "location"},
            set(),
        ),
        # twins: the same lists read as collection when nothing denies them
        ("We do:\n- Access your contacts and location\n", set(), {"contacts", "location"}),
        ("The app requests:\n- Location access\n- Camera access\n", set(), {"location", "camera"}),
    ],
)
def test_denying_leads_and_cross_marks_reach_their_items(text: str, denied: set[str], collected: set[str]):
    got = admitted(text)
    assert {c for c, s in got.items() if s == "denies"} == denied
    assert {c for c, s in got.items() if s == "collects"} == collected


def test_every_rule_table_permission_name_is_read_as_its_category():
    """A policy quoting a permission ("ACCESS_NETWORK_STATE: to check connectivity") means the category the rule
    table gives it, so the policy and the manifest are compared in the same terms."""
    from apkscan.knowledge.rules import packaged_rules

    checked = 0
    for name, rule in packaged_rules().permissions.items():
        short = name.rpartition(".")[2]
        if "_" not in short or rule.category == "other":
            continue
        got = admitted(f"Permissions we request:\n- {short}: needed for the service\n")
        assert got.get(rule.category) == "collects", (short, rule.category, got)
        checked += 1
    assert checked > 50


def test_numbered_sdk_entries_take_the_name_their_key_gives():
    text = """2.3 第三方SDK收集和使用个人信息的情况
2.3.1 个推推送SDK
SDK名称: 个推推送SDK (GTSDK)
服务提供方: 每日互动股份有限公司
收集的个人信息: 设备标识符(Android ID、OAID)、IP地址
2.3.2 华为推送服务HMS Push
SDK名称: 华为推送服务SDK
服务提供方: 华为技术有限公司
收集的个人信息: 设备标识符
"""
    entries = {t.name: t for t in analyse(text).third_party}
    assert set(entries) == {"个推推送SDK (GTSDK)", "华为推送服务SDK"}
    assert set(entries["个推推送SDK (GTSDK)"].categories) == {"phone_identity", "network"}


def test_an_sdk_named_only_by_the_line_before_its_company_key():
    text = """我们接入的第三方SDK在以下目录中列明。
**小米推送SDK**
运营方：小米科技有限责任公司
收集个人信息类型：设备信息（IMEI、设备型号）
**新浪微博开放平台**
运营方：北京微梦创科网络技术有限公司
收集个人信息类型：设备信息（IMEI）、位置信息
**关于我们**
运营方：本公司
"""
    analysis = analyse(text)
    entries = {t.name: t for t in analysis.third_party}
    assert set(entries) == {"小米推送SDK", "新浪微博开放平台"}, "a name line with a company but no data is no SDK"
    assert set(entries["新浪微博开放平台"].categories) == {"phone_identity", "location"}
    assert "location" not in entries["小米推送SDK"].categories
    assert analysis.status("location") == "silent", "an SDK's data is not the app's"


def test_a_line_numbered_like_the_entry_before_names_the_next_sdk():
    """ "39、腾讯灯塔Beacon" has no "SDK" in it, but it is numbered like "38、腾讯Bugly SDK" above it."""
    text = """三、第三方SDK目录
38、腾讯Bugly SDK（com.tencent.bugly）
SDK用途：崩溃监控和上报
收集个人信息类型：网络状态、安卓id、IMEI
第三方机构名称：深圳市腾讯计算机系统有限公司
39、腾讯灯塔Beacon
SDK用途：提供登录支付等服务
收集个人信息类型：获取运行中进程信息，文件存储
第三方机构名称：腾讯云计算（北京）有限责任公司
"""
    entries = {t.name: t for t in analyse(text).third_party}
    assert set(entries) == {"腾讯Bugly SDK（com.tencent.bugly）", "腾讯灯塔Beacon"}
    assert "installed_apps" in entries["腾讯灯塔Beacon"].categories
    assert "installed_apps" not in entries["腾讯Bugly SDK（com.tencent.bugly）"].categories


def test_a_permission_row_that_names_its_sdk_is_that_sdks_collection():
    text = (
        "<table><tr><th>权限名称</th><th>使用目的</th><th>调用方</th></tr>"
        "<tr><td>位置权限</td><td>用于定位附近门店</td><td>第三方:高德地图SDK</td></tr>"
        "<tr><td>读取电话状态</td><td>统计分析</td><td>第三方:友盟统计SDK</td></tr>"
        "<tr><td>相机</td><td>扫码</td><td>本应用</td></tr></table>"
    )
    analysis = analyse(text, "policy.html")
    entries = {t.name: t.categories for t in analysis.third_party}
    assert entries == {"高德地图SDK": ("location",), "友盟统计SDK": ("phone_identity",)}
    assert analysis.status("camera") == "collects" and analysis.status("location") == "silent"


def test_a_permission_row_whose_purpose_names_an_sdk_is_the_apps_and_the_sdks():
    """Cells spaced apart in one line: the app holds the permission, the SDK uses what it reads."""
    text = "android.permission.READ_PHONE_STATE 获取用户设备的IMEI 友盟SDK需要通过IMEI对用户进行唯一标识。\n"
    analysis = analyse(text)
    assert analysis.status("phone_identity") == "collects"
    assert [(t.name, t.categories) for t in analysis.third_party] == [("友盟SDK", ("phone_identity",))]


def test_a_line_keyed_by_an_sdks_name_is_that_sdks_entry():
    text = """Third-party SDKs we use
Firebase Analytics (Google LLC): collects device identifiers and IP address for analytics.
CredoLab (CredoLab Pte Ltd): collects contacts, SMS metadata and installed apps for credit scoring.
SDK purpose: analytics.
"""
    analysis = analyse(text)
    entries = {t.name: (t.company, t.categories, t.sdk_ids) for t in analysis.third_party}
    assert entries == {
        "Firebase Analytics": ("Google LLC", ("phone_identity", "network"), ("firebase_analytics",)),
        "CredoLab": ("CredoLab Pte Ltd", ("contacts", "sms", "installed_apps"), ("credolab",)),
    }
    assert analysis.status("contacts") == "silent", "what a listed SDK collects is not the app's"


def test_a_line_keyed_by_data_read_from_a_service_is_no_sdk_entry():
    """ "支付宝信息：" labels what the lender reads from the user's Alipay account: the lines after it stay the
    lender's."""
    text = """用户授权我们采集以下信息，包括：
2.3.4 支付宝信息：绑定手机号、实名认证状态、逾期还款记录；
2.3.13 本地通讯录信息：包括姓名、电话号码；
"""
    analysis = analyse(text)
    assert analysis.third_party == ()
    assert analysis.status("contacts") == "collects"


def test_a_spaced_sdk_row_is_named_without_its_number_and_keys():
    text = """第三方SDK目录
1.微信SDK 使用目的：微信分享 收集个人信息：设备信息、网络信息 第三方主体：深圳市腾讯计算机系统有限公司
"""
    [entry] = analyse(text).third_party
    assert (entry.name, entry.company) == ("微信SDK", "深圳市腾讯计算机系统有限公司")


def test_a_known_sdk_or_our_partner_as_the_subject_collects_for_itself():
    partner = analyse("Our partner Tongdun may collect your device fingerprint.\n")
    assert partner.status("phone_identity") == "silent"
    assert [(t.name, t.sdk_ids) for t in partner.third_party] == [("Tongdun", ("tongdun",))]
    both = analyse("We collect your location, and CredoLab collects your contacts and SMS metadata.\n")
    assert both.status("location") == "collects" and both.status("contacts") == "silent"
    assert [(t.name, t.categories) for t in both.third_party] == [("CredoLab", ("contacts", "sms"))]


def test_sdk_entries_whose_keys_carry_their_own_numbers():
    text = """第三方SDK搜集和使用用户信息的具体情况如下：
2.1微信SDK
2.1.1应用场景：微信授权登录、微信分享。
2.1.2收集个人信息的类型：设备信息、本机号码。
2.1.3第三方SDK提供方：腾讯。
2.2支付宝SDK
2.2.2收集个人信息的类型：设备信息、位置信息。
2.2.3第三方SDK提供方：蚂蚁集团。
"""
    analysis = analyse(text)
    entries = {t.name: t for t in analysis.third_party}
    assert set(entries) == {"微信SDK", "支付宝SDK"}
    assert entries["微信SDK"].company == "腾讯"
    assert set(entries["支付宝SDK"].categories) == {"phone_identity", "location"}
    assert analysis.status("location") == "silent"


def test_a_list_item_that_ends_in_a_lead_in_governs_the_items_after_it():
    text = (
        "本应用需要以下权限：\n- 存储权限：保存图片\n### 不会收集的信息\n本应用**不会**收集以下敏感信息：\n"
        "- 位置信息\n- 通讯录信息\n"
    )
    got = admitted(text)
    assert got.get("storage") == "collects"
    assert got.get("location") == "denies" and got.get("contacts") == "denies"


def test_third_parties_named_under_a_permission_of_a_flattened_table_collect_what_it_reads():
    """A permission table flattened to lines: "第三方:" under a permission names the SDKs that use it."""
    text = """权限列表
android.permission.ACCESS_FINE_LOCATION(获取精准定位信息)
应用内:设备列表,设备配网、第三方:高德地图、友盟分析
android.permission.READ_PHONE_STATE(读取电话状态)
第三方:华为 HMS-Core、小米推送、
"""
    analysis = analyse(text)
    entries = {t.name: t.categories for t in analysis.third_party}
    assert entries == {
        "高德地图": ("location",),
        "友盟分析": ("location",),
        "华为 HMS-Core": ("phone_identity",),
        "小米推送": ("phone_identity",),
    }
    assert analysis.status("location") == "collects", "the app holds the permission too"


def test_an_sdk_entrys_key_that_says_what_is_collected_gives_its_data():
    text = """Third-party SDKs we use
CredoLab (CredoLab Pte Ltd): credit scoring
Data accessed and collected: contacts, calendar and SMS
"""
    [entry] = analyse(text).third_party
    assert (entry.name, entry.categories) == ("CredoLab", ("contacts", "sms", "calendar"))
