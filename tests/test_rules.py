"""The rule table: the packaged data keeps the verdicts and citations it was reviewed with, and the loader rejects
broken tables clearly (every problem of a file at once, one line each naming the file and the key)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from apkscan.complaint.channels import load_channels
from apkscan.knowledge.rules import (
    CATEGORY_IDS,
    JURISDICTION_IDS,
    VERIFICATION,
    RuleTable,
    RuleTableError,
    Text,
    default_rules_path,
    load_advice,
    load_rules,
)

A = "android.permission."

# The reviewed verdicts of the core permissions. Each is backed by the references of the permission in rules.toml
# (source, article, URL, date, verification tag), so a change here needs a change of citations there.
CORE_VERDICTS = {
    "READ_CONTACTS": "prohibited",
    "WRITE_CONTACTS": "prohibited",
    "GET_ACCOUNTS": "unrelated",
    "READ_SMS": "prohibited",
    "RECEIVE_SMS": "prohibited",
    "SEND_SMS": "prohibited",
    "RECEIVE_MMS": "prohibited",
    "RECEIVE_WAP_PUSH": "prohibited",
    "READ_CALL_LOG": "prohibited",
    "WRITE_CALL_LOG": "prohibited",
    "PROCESS_OUTGOING_CALLS": "prohibited",
    "READ_PHONE_STATE": "prohibited",
    "READ_PHONE_NUMBERS": "prohibited",
    "CALL_PHONE": "prohibited",
    "ANSWER_PHONE_CALLS": "prohibited",
    "READ_EXTERNAL_STORAGE": "prohibited",
    "WRITE_EXTERNAL_STORAGE": "prohibited",
    "MANAGE_EXTERNAL_STORAGE": "prohibited",
    "READ_MEDIA_IMAGES": "prohibited",
    "READ_MEDIA_VIDEO": "prohibited",
    "READ_MEDIA_AUDIO": "prohibited",
    "READ_MEDIA_VISUAL_USER_SELECTED": "conditional",
    "ACCESS_FINE_LOCATION": "prohibited",
    "ACCESS_COARSE_LOCATION": "conditional",
    "ACCESS_BACKGROUND_LOCATION": "prohibited",
    "CAMERA": "conditional",
    "RECORD_AUDIO": "conditional",
    "READ_CALENDAR": "unrelated",
    "WRITE_CALENDAR": "unrelated",
    "BODY_SENSORS": "unrelated",
    "ACTIVITY_RECOGNITION": "unrelated",
    "QUERY_ALL_PACKAGES": "prohibited",
    "PACKAGE_USAGE_STATS": "unrelated",
    "BIND_NOTIFICATION_LISTENER_SERVICE": "unrelated",
    "SYSTEM_ALERT_WINDOW": "unrelated",
    "BIND_ACCESSIBILITY_SERVICE": "unrelated",
    "REQUEST_INSTALL_PACKAGES": "unrelated",
    "INTERNET": "needed",
    "ACCESS_NETWORK_STATE": "needed",
}

# The jurisdictions whose rules restrict each permission: the rule table must cite at least these (Google Play is
# listed only where a Play policy names the permission).
CORE_JURISDICTIONS = {
    "READ_CONTACTS": {"google-play", "in", "cn", "ke", "ng", "id", "ph"},
    "WRITE_CONTACTS": {"in", "cn", "ke", "ng", "id"},
    "GET_ACCOUNTS": {"in", "cn", "ke", "ng", "id"},
    "READ_SMS": {"google-play", "in", "cn", "id"},
    "RECEIVE_SMS": {"google-play", "in", "cn", "id"},
    "SEND_SMS": {"google-play", "in", "cn", "ke", "id"},
    "RECEIVE_MMS": {"google-play", "in", "cn", "ke", "id"},
    "RECEIVE_WAP_PUSH": {"google-play", "in", "cn", "ke", "id"},
    "READ_CALL_LOG": {"google-play", "in", "cn", "ng", "id"},
    "WRITE_CALL_LOG": {"google-play", "in", "cn", "ng", "id"},
    "PROCESS_OUTGOING_CALLS": {"google-play", "in", "cn", "ng", "id"},
    "READ_PHONE_STATE": {"in", "cn", "id"},
    "READ_PHONE_NUMBERS": {"google-play", "in", "cn", "id"},
    "CALL_PHONE": {"in", "id"},
    "ANSWER_PHONE_CALLS": {"in", "id"},
    "READ_EXTERNAL_STORAGE": {"google-play", "in", "cn", "ng", "id"},
    "WRITE_EXTERNAL_STORAGE": {"google-play", "in", "cn", "id"},
    "MANAGE_EXTERNAL_STORAGE": {"in", "cn", "id"},
    "READ_MEDIA_IMAGES": {"google-play", "in", "cn", "ng", "id"},
    "READ_MEDIA_VIDEO": {"google-play", "in", "cn", "ng", "id"},
    "READ_MEDIA_AUDIO": {"in", "cn", "id"},
    "READ_MEDIA_VISUAL_USER_SELECTED": {"google-play", "in", "cn", "id"},
    "ACCESS_FINE_LOCATION": {"google-play", "in", "cn", "id"},
    "ACCESS_COARSE_LOCATION": {"in", "cn", "id"},
    "ACCESS_BACKGROUND_LOCATION": {"in", "cn", "id"},
    "CAMERA": {"in", "cn", "id"},
    "RECORD_AUDIO": {"in", "cn", "id"},
    "READ_CALENDAR": {"in", "cn", "id"},
    "WRITE_CALENDAR": {"in", "cn", "id"},
    "BODY_SENSORS": {"in", "cn", "id"},
    "ACTIVITY_RECOGNITION": {"in", "cn", "id"},
    "QUERY_ALL_PACKAGES": {"google-play", "in", "cn", "id"},
    "PACKAGE_USAGE_STATS": {"in", "cn", "id"},
    "BIND_NOTIFICATION_LISTENER_SERVICE": {"in", "cn", "id"},
    "SYSTEM_ALERT_WINDOW": {"id"},
    "BIND_ACCESSIBILITY_SERVICE": {"id"},
    "REQUEST_INSTALL_PACKAGES": {"id"},
}

# Android runtime ("dangerous") permissions up to API 35 that the brief lists.
DANGEROUS = [
    "READ_MEDIA_IMAGES",
    "READ_MEDIA_VIDEO",
    "READ_MEDIA_AUDIO",
    "READ_MEDIA_VISUAL_USER_SELECTED",
    "ACCESS_MEDIA_LOCATION",
    "ACCESS_FINE_LOCATION",
    "ACCESS_COARSE_LOCATION",
    "ACCESS_BACKGROUND_LOCATION",
    "ACTIVITY_RECOGNITION",
    "BODY_SENSORS",
    "BODY_SENSORS_BACKGROUND",
    "POST_NOTIFICATIONS",
    "NEARBY_WIFI_DEVICES",
    "BLUETOOTH_SCAN",
    "BLUETOOTH_CONNECT",
    "BLUETOOTH_ADVERTISE",
    "UWB_RANGING",
    "com.android.voicemail.permission.ADD_VOICEMAIL",
    "USE_SIP",
    "ACCEPT_HANDOVER",
    "READ_PHONE_NUMBERS",
    "ANSWER_PHONE_CALLS",
    "CALL_PHONE",
    "PROCESS_OUTGOING_CALLS",
    "READ_CALENDAR",
    "WRITE_CALENDAR",
    "READ_CALL_LOG",
    "WRITE_CALL_LOG",
    "SEND_SMS",
    "RECEIVE_SMS",
    "READ_SMS",
    "RECEIVE_MMS",
    "RECEIVE_WAP_PUSH",
    "GET_ACCOUNTS",
    "READ_CONTACTS",
    "WRITE_CONTACTS",
    "CAMERA",
    "RECORD_AUDIO",
    "READ_PHONE_STATE",
    "READ_EXTERNAL_STORAGE",
    "WRITE_EXTERNAL_STORAGE",
]

SPECIAL_HIGH_RISK = [
    "QUERY_ALL_PACKAGES",
    "SYSTEM_ALERT_WINDOW",
    "BIND_ACCESSIBILITY_SERVICE",
    "REQUEST_INSTALL_PACKAGES",
    "BIND_NOTIFICATION_LISTENER_SERVICE",
    "PACKAGE_USAGE_STATS",
    "MANAGE_EXTERNAL_STORAGE",
    "READ_PRIVILEGED_PHONE_STATE",
]

COMMON_NORMAL = [
    "INTERNET",
    "ACCESS_NETWORK_STATE",
    "ACCESS_WIFI_STATE",
    "WAKE_LOCK",
    "VIBRATE",
    "RECEIVE_BOOT_COMPLETED",
    "FOREGROUND_SERVICE",
    "USE_BIOMETRIC",
    "USE_FINGERPRINT",
    "POST_NOTIFICATIONS",
    "com.google.android.c2dm.permission.RECEIVE",
    "com.google.android.gms.permission.AD_ID",
    "CHANGE_WIFI_STATE",
    "BLUETOOTH",
    "READ_SYNC_SETTINGS",
    "GET_TASKS",
    "REORDER_TASKS",
    "KILL_BACKGROUND_PROCESSES",
    "DISABLE_KEYGUARD",
    "MODIFY_AUDIO_SETTINGS",
    "FLASHLIGHT",
    "NFC",
    "USE_CREDENTIALS",
    "READ_PROFILE",
    "WRITE_SETTINGS",
    "CHANGE_NETWORK_STATE",
    "SCHEDULE_EXACT_ALARM",
]

RANK = {"memory": 0, "secondary": 1, "verified": 2}


def full(name: str) -> str:
    return name if "." in name else A + name


@pytest.fixture(scope="module")
def table() -> RuleTable:
    return load_rules()


# ------------------------------------------------------------------ the packaged table


def test_packaged_table_loads_with_its_identity(table: RuleTable) -> None:
    assert table.name == "apkscan lending-app rule table"
    assert table.version == "2026.11.0"
    assert Path(table.path) == default_rules_path()
    assert len(table.permissions) >= 90


def test_sha256_is_of_the_file_bytes(table: RuleTable) -> None:
    assert table.sha256 == hashlib.sha256(default_rules_path().read_bytes()).hexdigest()


def test_categories_and_jurisdictions_are_exactly_the_fixed_ids(table: RuleTable) -> None:
    assert tuple(table.categories) == CATEGORY_IDS
    assert tuple(table.jurisdictions) == JURISDICTION_IDS
    assert not table.categories["network"].sensitive and not table.categories["other"].sensitive
    assert all(c.sensitive for cid, c in table.categories.items() if cid not in ("network", "other"))


@pytest.mark.parametrize("name, verdict", sorted(CORE_VERDICTS.items()))
def test_core_permission_has_the_reviewed_verdict(table: RuleTable, name: str, verdict: str) -> None:
    assert table.permissions[full(name)].verdict == verdict


@pytest.mark.parametrize("name, jurisdictions", sorted(CORE_JURISDICTIONS.items()))
def test_core_permission_cites_every_restricting_jurisdiction(
    table: RuleTable, name: str, jurisdictions: set[str]
) -> None:
    cited = {ref.jurisdiction for ref in table.permissions[full(name)].references}
    assert jurisdictions <= cited, f"{name} lacks {sorted(jurisdictions - cited)}"


@pytest.mark.parametrize("name", DANGEROUS)
def test_every_runtime_permission_is_covered_as_dangerous(table: RuleTable, name: str) -> None:
    assert table.permissions[full(name)].protection == "dangerous"


@pytest.mark.parametrize("name", SPECIAL_HIGH_RISK + COMMON_NORMAL)
def test_high_risk_and_common_normal_permissions_are_covered(table: RuleTable, name: str) -> None:
    assert full(name) in table.permissions


def test_high_risk_special_permissions_are_never_needed_and_at_least_high(table: RuleTable) -> None:
    for name in SPECIAL_HIGH_RISK:
        rule = table.permissions[full(name)]
        assert rule.verdict in ("prohibited", "unrelated"), name
        assert rule.severity in ("high", "critical"), name


def test_harmless_normal_permissions_are_low_severity(table: RuleTable) -> None:
    for name in COMMON_NORMAL:
        rule = table.permissions[full(name)]
        assert rule.verdict in ("needed", "unrelated"), name
        assert rule.severity in ("info", "low"), name
    assert table.lookup("INTERNET").severity == "info"


def test_conditional_entries_state_their_condition_in_both_languages(table: RuleTable) -> None:
    conditional = [r for r in table.permissions.values() if r.verdict == "conditional"]
    assert {r.name for r in conditional} >= {A + "CAMERA", A + "RECORD_AUDIO", A + "ACCESS_COARSE_LOCATION"}
    for rule in conditional:
        assert rule.condition.en and rule.condition.zh, rule.name
    assert "KYC" in table.lookup("CAMERA").condition.en


def test_every_entry_explains_itself_in_english_and_chinese(table: RuleTable) -> None:
    for rule in table.permissions.values():
        assert rule.reason.en and rule.reason.zh, rule.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.reason.zh), rule.name
        assert rule.category in table.categories, rule.name


def test_every_sensitive_entry_that_is_not_needed_cites_a_rule(table: RuleTable) -> None:
    for rule in table.permissions.values():
        if table.categories[rule.category].sensitive and rule.verdict != "needed":
            assert rule.references, rule.name


def test_every_reference_resolves_and_is_tagged(table: RuleTable) -> None:
    for rule in table.permissions.values():
        for ref in rule.references:
            assert ref.source_id in table.sources, rule.name
            assert ref.jurisdiction in table.jurisdictions
            assert ref.verification in VERIFICATION
            assert ref.title == table.sources[ref.source_id].title
            assert ref.note.en and ref.note.zh


def test_no_citation_is_more_certain_than_its_source(table: RuleTable) -> None:
    for rule in table.permissions.values():
        for ref in rule.references:
            source = table.sources[ref.source_id]
            assert RANK[ref.verification] <= RANK[source.verification], (rule.name, ref.source_id)


def test_memory_facts_stay_memory(table: RuleTable) -> None:
    # PIPL article numbers, the wording of China's Art. 5(12) list and of the 2019 method's item 四 are [M].
    assert table.sources["cn-pipl"].verification == "memory"
    refs = [ref for rule in table.permissions.values() for ref in rule.references]
    pipl = [ref for ref in refs if ref.source_id == "cn-pipl"]
    assert pipl and all(ref.verification == "memory" for ref in pipl)
    assert all(ref.verification == "memory" for ref in refs if "from memory" in ref.note.en)
    assert all(ref.verification == "memory" for ref in refs if ref.article.startswith("四"))


def test_memory_complaint_channels_stay_memory() -> None:
    memory = {c.name.en for c in load_channels() if c.verification == "memory"}
    assert memory == {
        "Google Play: report the app (Flag as inappropriate / policy violation report)",
        "RBI Complaint Management System",
        "Office of the Data Protection Commissioner (ODPC)",
        "Central Bank of Kenya (CBK)",
        "Nigeria Data Protection Commission (NDPC)",
        "Securities and Exchange Commission (SEC)",
    }


def test_secondary_facts_are_not_upgraded(table: RuleTable) -> None:
    for sid in (
        "play-personal-loans",
        "play-personal-loans-2025",
        "ke-dcp-2022",
        "ng-fccpc-2022",
        "id-ojk-camilan",
        "ph-npc-20-01",
        "cn-tc260-2019",
        "cn-cac-draft-2026",
    ):
        assert table.sources[sid].verification == "secondary", sid
    for rule in table.permissions.values():
        for ref in rule.references:
            if ref.source_id == "rbi-dl-2022":  # the paragraph number 10.1 is [S]
                assert ref.verification == "secondary"


def test_verified_sources_keep_their_tag(table: RuleTable) -> None:
    for sid in (
        "play-sms-calllog",
        "play-query-all-packages",
        "play-photo-video",
        "play-contacts-2026",
        "rbi-dl-2022",
        "rbi-dl-directions-2025",
        "cn-necessary-pi-2021",
        "cn-gbt-45251-2025",
    ):
        assert table.sources[sid].verification == "verified", sid


def test_storage_permissions_record_when_they_stop_granting_anything(table: RuleTable) -> None:
    assert table.lookup("READ_EXTERNAL_STORAGE").no_effect_from_target_sdk == 33
    assert table.lookup("WRITE_EXTERNAL_STORAGE").no_effect_from_target_sdk == 30
    assert table.lookup("READ_CONTACTS").no_effect_from_target_sdk is None
    assert table.lookup("READ_MEDIA_VISUAL_USER_SELECTED").api_added == 34


def test_every_jurisdiction_has_complaint_channels_and_a_first_step(table: RuleTable) -> None:
    channels = load_channels()
    for jid in table.jurisdictions:
        assert any(c.jurisdiction == jid for c in channels), jid
    contacts = {c.contact for c in channels if c.jurisdiction == "cn"}
    assert {"12321", "110", "https://jubao.nifa.org.cn"} <= contacts
    assert next(c for c in channels if c.jurisdiction == "cn").kind == "platform"  # the written demand comes first


def test_lookup_accepts_full_and_short_names(table: RuleTable) -> None:
    assert table.lookup("READ_SMS") is table.permissions[A + "READ_SMS"]
    assert table.lookup("android.permission.READ_SMS").verdict == "prohibited"
    assert table.lookup("AD_ID").name == "com.google.android.gms.permission.AD_ID"
    assert table.lookup("ADD_VOICEMAIL").name == "com.android.voicemail.permission.ADD_VOICEMAIL"
    assert table.lookup("ACTIVITY_RECOGNITION").name == A + "ACTIVITY_RECOGNITION"


def test_lookup_of_an_unknown_permission_is_none(table: RuleTable) -> None:
    assert table.lookup("NOT_A_PERMISSION") is None
    assert table.lookup("com.example.permission.READ_SMS") is None


def test_references_for_filters_by_jurisdiction(table: RuleTable) -> None:
    rule = table.lookup("READ_CONTACTS")
    assert rule.references_for(None) == rule.references == rule.references_for(["all"])
    indian = rule.references_for(["in"])
    assert indian and {ref.source_id for ref in indian} == {"rbi-dl-2022", "rbi-dl-directions-2025"}
    assert rule.references_for("ke") == rule.references_for(["ke"])
    assert rule.references_for([]) == ()


def test_text_falls_back_to_english() -> None:
    assert Text("hello", "你好").get("zh") == "你好"
    assert Text("hello", "你好").get("zh-CN") == "你好"
    assert Text("hello", "").get("zh") == "hello"
    assert Text("hello", "你好").get("fr") == "hello"


# ------------------------------------------------------------------ advice


def test_advice_loads_in_both_languages() -> None:
    advice = load_advice()
    for group in (advice.red_flags, advice.evidence_to_keep, advice.steps, advice.background):
        assert group and all(item.en and item.zh for item in group)
    assert len(advice.situations) == 4
    assert all(s.jurisdiction == "cn" and s.laws.zh and s.keep.en for s in advice.situations)
    assert advice.lawful_vs_unlawful and all(c.lawful.en and c.unlawful.zh for c in advice.lawful_vs_unlawful)


# ------------------------------------------------------------------ user tables

MINIMAL = """\
[meta]
name = "my rules"
version = "1"
updated = "2026-01-01"

[categories.contacts]
en = "Contacts"
zh = "通讯录"
what_en = "Your address book."
what_zh = "通讯录。"
sensitive = true

[sources.my-law]
jurisdiction = "cn"
title_en = "A law"
title_zh = "一部法律"
date = "2021"
url = ""
verification = "memory"

[permissions."android.permission.READ_CONTACTS"]
category = "contacts"
protection = "dangerous"
verdict = "prohibited"
severity = "high"
reason_en = "Reads your address book."
reason_zh = "读取通讯录。"
api_added = 1
[[permissions."android.permission.READ_CONTACTS".references]]
source = "my-law"
note_en = "Not necessary."
note_zh = "非必要。"
verification = "memory"
"""

P = "permissions.'android.permission.READ_CONTACTS'"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_user_table_loads(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    table = load_rules(path)
    rule = table.lookup("READ_CONTACTS")
    assert rule.verdict == "prohibited" and rule.references[0].jurisdiction == "cn"
    assert rule.alternative == Text("", "") and rule.no_effect_from_target_sdk is None
    assert table.jurisdictions == {} and table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_rules(str(path)).path == str(path)


BROKEN = [
    ("toml syntax", 'verdict = "prohibited"', "verdict = prohibited", "TOML syntax error", "line 24"),
    (
        "unknown verdict",
        '"prohibited"',
        '"forbidden"',
        f"{P}.verdict",
        "'forbidden' is not one of needed, conditional, prohibited, unrelated",
    ),
    (
        "unknown category",
        'category = "contacts"',
        'category = "contact"',
        f"{P}.category",
        "'contact' is not a category defined in [categories]",
    ),
    (
        "unknown source",
        'source = "my-law"',
        'source = "no-such-law"',
        f"{P}.references[0].source",
        "'no-such-law' is not a source defined in [sources]",
    ),
    (
        "conditional without condition",
        '"prohibited"',
        '"conditional"',
        f"{P}.condition_en",
        "required (non-empty) when verdict is 'conditional'",
    ),
    ("missing required field", 'reason_zh = "读取通讯录。"\n', "", f"{P}.reason_zh", "missing required key"),
    (
        "wrong type (bool)",
        "sensitive = true",
        'sensitive = "yes"',
        "categories.contacts.sensitive",
        "expected true or false, got a string",
    ),
    ("wrong type (int)", "api_added = 1", 'api_added = "1"', f"{P}.api_added", "expected an integer, got a string"),
    ("unknown key", "api_added = 1", 'api_added = 1\ncolour = "red"', f"{P}.colour", "unknown key"),
    (
        "bad verification tag",
        'verification = "memory"',
        'verification = "guess"',
        "sources.my-law.verification",
        "'guess' is not one of verified, secondary, memory",
    ),
    (
        "unknown jurisdiction",
        'jurisdiction = "cn"',
        'jurisdiction = "xx"',
        "sources.my-law.jurisdiction",
        "'xx' is not one of google-play",
    ),
    (
        "unknown category id",
        "[categories.contacts]",
        '[categories.pets]\nen = "Pets"\n\n[categories.contacts]',
        "categories.pets",
        "unknown id",
    ),
    ("bad date", 'date = "2021"', 'date = "21 May 2021"', "sources.my-law.date", "is not a date"),
    ("missing section", "[meta]", "[metadata]", "metadata", "unknown key"),
]


@pytest.mark.parametrize("old, new, key, problem", [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_user_table_names_file_and_key(tmp_path: Path, old: str, new: str, key: str, problem: str) -> None:
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(RuleTableError) as caught:
        load_rules(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any(key in line and problem in line for line in lines), lines


def test_error_message_has_the_documented_shape(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('"prohibited"', '"forbidden"'))
    with pytest.raises(
        RuleTableError,
        match=r"^.*my-rules\.toml: permissions\.'android\.permission\.READ_CONTACTS'"
        r"\.verdict: 'forbidden' is not one of needed, conditional, prohibited, unrelated$",
    ):
        load_rules(path)


def test_unreadable_file_raises_rule_table_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(RuleTableError, match=r"nope\.toml: cannot read file"):
        load_rules(missing)


def test_non_utf8_file_raises_rule_table_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.encode("utf-8").replace("通讯录".encode(), b"\xe9\xe9"))
    with pytest.raises(RuleTableError, match=r"latin1\.toml: not UTF-8"):
        load_rules(path)


def test_rule_table_error_is_a_value_error() -> None:
    assert issubclass(RuleTableError, ValueError)
