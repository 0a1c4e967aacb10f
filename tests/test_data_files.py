"""Every data file goes through one schema: the packaged files load clean, and in each file a typo at any nesting
level or a bad value is reported as ``<file>: <dotted.key>: <problem>``, all problems of a file at once.

Each file gets a small valid document written out here, and edits that break it (an unknown key per nesting level,
a wrong value). Each edit is checked alone, then all together, through the real loader.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from apkscan.cli import main
from apkscan.complaint.caps import load_loan_caps
from apkscan.complaint.channels import load_channels
from apkscan.complaint.evidence_data import load_evidence_kinds
from apkscan.complaint.letters import load_letters
from apkscan.extract.code.catalog import load_catalog
from apkscan.knowledge.lender_data import (
    confusables,
    library_prefixes,
    load_brands,
    load_vocabulary,
    red_flag_terms,
    senders,
)
from apkscan.knowledge.lexicon import LexiconError, load_lexicon
from apkscan.knowledge.rules import RuleTableError, load_advice, load_rules
from apkscan.knowledge.schema import DataFileError, check
from apkscan.knowledge.specs import DATA_FILES
from apkscan.knowledge.ui import load_ui
from tests.conftest import ROOT, sample

DATA = ROOT / "apkscan" / "data"

# ------------------------------------------------------------------------------------------------ packaged files


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_packaged_file_matches_its_spec(name: str) -> None:
    doc = tomllib.loads((DATA / name).read_text("utf-8"))
    assert check(doc, DATA_FILES[name]) == []


def test_every_packaged_data_file_has_a_spec() -> None:
    assert {p.name for p in DATA.glob("*.toml")} == set(DATA_FILES)


def test_packaged_files_load_through_their_loaders() -> None:
    assert load_rules().permissions and load_advice().steps
    catalog = load_catalog()
    assert catalog.apis and catalog.sdks and catalog.packers
    assert load_lexicon().categories and load_ui()["noun"]
    assert load_loan_caps().facts and load_evidence_kinds().kinds and load_channels() and load_letters()


# ------------------------------------------------------------------------------------------------ broken documents

Edit = tuple[str, str, str]  # (old text, new text, expected "<key>: <problem>" in one error line)

RULES = """\
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

[jurisdictions.cn]
name_en = "China"
name_zh = "中国"

[[jurisdictions.cn.channels]]
name_en = "Police"
name_zh = "公安机关"
purpose_en = "Report threats."
purpose_zh = "报警。"
verification = "secondary"

[sources.my-law]
jurisdiction = "cn"
title_en = "A law"
title_zh = "一部法律"
date = "2021"
verification = "memory"

[notes.shared]
en = "Not necessary."
zh = "非必要。"

[citations.my-law-contacts]
source = "my-law"
article = "Art. 1"
note = "shared"
verification = "memory"

[policy_findings.pre_consent]
severity = "high"
references = ["my-law-contacts"]

[permissions."android.permission.READ_CONTACTS"]
category = "contacts"
protection = "dangerous"
verdict = "prohibited"
severity = "high"
reason_en = "Reads your address book."
reason_zh = "读取通讯录。"
alternative_en = "Type it in by hand; no reading."
alternative_zh = "手动填写。"
condition_en = "No reading."
references = ["my-law-contacts"]

[permissions."android.permission.WRITE_CONTACTS"]
category = "contacts"
protection = "dangerous"
verdict = "prohibited"
severity = "high"
reason_en = "Edits your address book."
reason_zh = "修改通讯录。"
[[permissions."android.permission.WRITE_CONTACTS".references]]
source = "my-law"
note_en = "Written out in place."
note_zh = "就地写出。"
verification = "memory"
"""
W = "permissions.'android.permission.WRITE_CONTACTS'"
R = "permissions.'android.permission.READ_CONTACTS'"
RULES_EDITS: list[Edit] = [
    ("[meta]", 'colour = "red"\n[meta]', "colour: unknown key (expected one of: meta, categories"),
    ('updated = "2026-01-01"', 'updatd = "2026-01-01"', "meta.updatd: unknown key"),
    ("sensitive = true", "sensitve = true", "categories.contacts.sensitve: unknown key"),
    (
        'purpose_en = "Report threats."',
        'purpse_en = "Report threats."',
        "jurisdictions.cn.channels[0].purpse_en: unknown",
    ),
    ('title_en = "A law"', 'titel_en = "A law"', "sources.my-law.titel_en: unknown key"),
    ('en = "Not necessary."', 'eng = "Not necessary."', "notes.shared.eng: unknown key"),
    ('article = "Art. 1"', 'articel = "Art. 1"', "citations.my-law-contacts.articel: unknown key"),
    ('severity = "high"\nreferences', 'severity = "high"\nrefs', "policy_findings.pre_consent.refs: unknown key"),
    ('reason_en = "Reads', 'reasn_en = "Reads', f"{R}.reasn_en: unknown key"),
    ('note_en = "Written', 'noteen = "Written', f"{W}.references[0].noteen: unknown key"),
    (
        'verdict = "prohibited"\nseverity = "high"\nreason_en = "Reads',
        'verdict = "forbidden"\nseverity = "high"\nreason_en = "Reads',
        f"{R}.verdict: 'forbidden' is not one of needed",
    ),
    ('note = "shared"', 'note = "nope"', "citations.my-law-contacts.note: 'nope' is not a note defined in [notes]"),
    (
        'reading."\nreferences = ["my-law-contacts"]',
        'reading."\nreferences = ["nope"]',
        f"{R}.references[0]: 'nope' is not a citation",
    ),
    ("[policy_findings.pre_consent]", "[policy_findings.pre_consnet]", "policy_findings.pre_consnet: unknown id"),
]

ADVICE = """\
[[red_flags]]
en = "No licence."
zh = "无牌照。"

[[evidence_to_keep]]
en = "Screenshots."
zh = "截图。"

[[steps]]
en = "Complain."
zh = "投诉。"

[[situations]]
problem_en = "Harassment"
problem_zh = "骚扰"
laws_en = "PIPL"
laws_zh = "个人信息保护法"
where_en = "Police"
where_zh = "公安"
keep_en = "Call logs"
keep_zh = "通话记录"
jurisdiction = "cn"

[[lawful_vs_unlawful]]
topic_en = "Consent"
topic_zh = "同意"
lawful_en = "Asked first."
lawful_zh = "事先询问。"
unlawful_en = "Not asked."
unlawful_zh = "未询问。"
"""
ADVICE_EDITS: list[Edit] = [
    ("[[steps]]", "[[stepz]]", "stepz: unknown key"),
    ('en = "No licence."', 'eng = "No licence."', "red_flags[0].eng: unknown key"),
    ('keep_en = "Call logs"', 'kept_en = "Call logs"', "situations[0].kept_en: unknown key"),
    ('topic_en = "Consent"', 'title_en = "Consent"', "lawful_vs_unlawful[0].title_en: unknown key"),
    ('jurisdiction = "cn"', 'jurisdiction = "xx"', "situations[0].jurisdiction: 'xx' is not one of google-play"),
]

APIS = """\
[[api]]
kind = "method"
class = "Landroid/telephony/TelephonyManager;"
name = "getImei"
descriptor = ""
category = "phone_identity"
permission = "android.permission.READ_PHONE_STATE"
source = "https://developer.android.com/reference/android/telephony/TelephonyManager#getImei()"

[[api]]
kind = "string"
value = "content://sms"
match = "prefix"
category = "sms"
permission = "android.permission.READ_SMS"
source = "x"
"""
APIS_EDITS: list[Edit] = [
    (
        '[[api]]\nkind = "method"',
        'version = 2\n[[api]]\nkind = "method"',
        "version: unknown key (expected one of: api)",
    ),
    ('name = "getImei"', 'nam = "getImei"', "api[0].nam: unknown key"),
    ('category = "sms"', 'category = "texts"', "api[1].category: 'texts' is not one of contacts"),
    ('match = "prefix"', 'match = "prefix"\nclass = "La/B;"', "api[1].class: not used when kind is 'string'"),
]

SDKS = """\
[[sdk]]
id = "credolab"
name = "Credolab"
prefixes = ["credoapp."]
kind = "risk_control"
harvests = ["contacts", "sms"]
source = "https://docs.credolab.com/docs/android-sdk"
verification = "secondary"
"""
SDKS_EDITS: list[Edit] = [
    ("[[sdk]]", "[[sdks]]", "sdks: unknown key (expected one of: sdk)"),
    ('harvests = ["contacts", "sms"]', 'harvest = ["contacts", "sms"]', "sdk[0].harvest: unknown key"),
    ('kind = "risk_control"', 'kind = "scoring"', "sdk[0].kind: 'scoring' is not one of risk_control"),
    ('"sms"]', '"texts"]', "sdk[0].harvests[1]: 'texts' is not one of contacts"),
    (
        'prefixes = ["credoapp."]',
        'prefixes = ["credoapp"]',
        "sdk[0].prefixes[0]: 'credoapp' is not a Java package prefix",
    ),
]

PACKERS = """\
[[packer]]
id = "jiagu360"
name = "Qihoo 360 Jiagu"
classes = ["com.stub.StubApp"]
libs = ["libjiagu.so"]
source = "https://github.com/rednaga/APKiD/blob/master/apkid/rules/apk/packers.yara"
verification = "secondary"
"""
PACKERS_EDITS: list[Edit] = [
    ("[[packer]]", 'note = "x"\n[[packer]]', "note: unknown key (expected one of: packer)"),
    ('libs = ["libjiagu.so"]', 'lib = ["libjiagu.so"]', "packer[0].lib: unknown key"),
    ('verification = "secondary"', 'verification = "S"', "packer[0].verification: 'S' is not one of verified"),
    ('libs = ["libjiagu.so"]', "libs = [1]", "packer[0].libs[0]: expected a string, got an integer"),
    ('name = "Qihoo 360 Jiagu"', 'name = " "', "packer[0].name: must not be empty"),
]

LEXICON = """\
replace = true

[categories.sms]
terms.zh = ["短信"]
exclude.en = ["sms code"]

[collect]
zh = ["收集"]

[purposes.risk_control]
zh = ["风控"]

[contacting.verbs]
zh = ["联系"]

[contacting.targets]
zh = ["亲友"]

[refusal]
non_necessary = ["sms"]

[equivalents]
groups = [["photos_media", "storage"]]
"""
LEXICON_EDITS: list[Edit] = [
    ("[collect]", "[colect]", "colect: unknown key"),
    ('terms.zh = ["短信"]', 'term.zh = ["短信"]', "categories.sms.term: unknown key"),
    ('exclude.en = ["sms code"]', 'exclude.english = ["sms code"]', "categories.sms.exclude.english: unknown key"),
    (
        '[purposes.risk_control]\nzh = ["风控"]',
        '[purposes.risk_control]\nzhh = ["风控"]',
        "purposes.risk_control.zhh: unknown",
    ),
    ("[contacting.verbs]", "[contacting.verb]", "contacting.verb: unknown key"),
    ("non_necessary", "non_neccessary", "refusal.non_neccessary: unknown key"),
    ('"photos_media", "storage"', '"photos", "storage"', "equivalents.groups[0][0]: 'photos' is not one of contacts"),
    ('zh = ["收集"]', "regex = ['(unclosed']", "collect.regex[0]: bad pattern '(unclosed'"),
]

UI = """\
[html]
title = { en = "apkscan report", zh = "apkscan 检测报告" }
more = { en = "and {count} more", zh = "另有 {count} 处" }

[verdict]
needed = { en = "needed", zh = "需要" }
conditional = { en = "only under conditions", zh = "有条件允许" }
prohibited = { en = "prohibited", zh = "禁止" }
unrelated = { en = "unrelated", zh = "无关" }
unknown = { en = "no rule", zh = "无规则" }
none = { en = "no matching permission", zh = "无对应权限" }
"""
UI_EDITS: list[Edit] = [
    ('title = { en = "apkscan report"', 'title = { eng = "apkscan report"', "html.title.eng: unknown key"),
    ('zh = "另有 {count} 处"', 'zh = "另有 {n} 处"', "html.more.zh: placeholders ['n'] differ from English ['count']"),
    (', zh = "无规则" }', " }", "verdict.unknown.zh: missing required key"),
    ('prohibited = { en = "prohibited", zh = "禁止" }\n', "", "verdict.prohibited: missing (every id of needed"),
    ("needed = { en", "required = { en", "verdict.required: unknown id (expected one of: needed"),
    ("[html]", "[HTML]", "HTML: ids must be lower-case letters, digits and _"),
]

LOAN_CAPS = """\
[meta]
name = "caps"
version = "1"
updated = "2026-12"

[parameters.cn-lpr-1y]
name_en = "one-year LPR"
name_zh = "一年期 LPR"
unit = "percent-per-year"
values = [
  { value = 3.85, from = "2020-12-21", verification = "secondary", url = "https://example.org/lpr" },
  { value = 3.0, from = "2025-05-20", verification = "secondary", url = "https://example.org/lpr" },
]

[facts.cn-spc-4x-lpr]
jurisdiction = "cn"
kind = "annual-rate-cap"
limit = 4
unit = "times-parameter"
parameter = "cn-lpr-1y"
measure = "nominal"
scope = ["private-lenders"]
instrument_en = "SPC private-lending provisions"
instrument_zh = "民间借贷司法解释"
article = "Art. 25"
date = "2020-12-29"
url = "https://example.org/spc"
verification = "secondary"
"""
LOAN_CAPS_EDITS: list[Edit] = [
    ("[meta]", 'colour = "red"\n[meta]', "colour: unknown key (expected one of: meta, parameters, facts)"),
    ('article = "Art. 25"', 'articel = "Art. 25"', "facts.cn-spc-4x-lpr.articel: unknown key"),
    ('unit = "percent-per-year"', 'units = "percent-per-year"', "parameters.cn-lpr-1y.units: unknown key"),
    ("{ value = 3.0,", "{ valeu = 3.0,", "parameters.cn-lpr-1y.values[1].valeu: unknown key"),
    ("limit = 4\n", 'limit = "4"\n', "facts.cn-spc-4x-lpr.limit: expected a number, got a string"),
    ('measure = "nominal"\n', "", "facts.cn-spc-4x-lpr.measure: required for a rate cap"),
    ('scope = ["private-lenders"]', 'scope = ["private"]', "facts.cn-spc-4x-lpr.scope[0]: 'private' is not one of"),
    ('from = "2025-05-20"', 'from = "2019-05-20"', "parameters.cn-lpr-1y.values[1].from: values must be listed"),
]

EVIDENCE_KINDS = """\
[meta]
name = "evidence"
version = "1"
updated = "2026-12"

[index]
names = ["index.csv"]

[kinds.recording]
folders = ["recordings", "录音"]
extensions = ["mp3", "m4a"]

[kinds.other]

[situations.harassment]
jurisdiction = "cn"
requirements = [{ id = "recordings", kinds = ["recording"] }]
"""
EVIDENCE_KINDS_EDITS: list[Edit] = [
    ("[index]", "[indexes]", "indexes: unknown key (expected one of: meta, index, kinds, situations)"),
    ('names = ["index.csv"]', 'name = ["index.csv"]', "index.name: unknown key"),
    ('extensions = ["mp3", "m4a"]', 'extension = ["mp3", "m4a"]', "kinds.recording.extension: unknown key"),
    ('{ id = "recordings"', '{ ident = "recordings"', "situations.harassment.requirements[0].ident: unknown key"),
    (
        'kinds = ["recording"]',
        'kinds = ["audio"]',
        "situations.harassment.requirements[0].kinds[0]: 'audio' is not a kind",
    ),
    (
        '"recordings", "录音"',
        '"recordings", "Recordings"',
        "kinds.recording.folders[1]: 'Recordings' is already listed",
    ),
    ('"mp3", "m4a"', '"mp3", "M4A"', "kinds.recording.extensions[1]: 'M4A' is not lower-case letters or digits"),
    ("[kinds.other]\n", "", "kinds.other: missing required kind"),
]

CHANNELS = """\
[[channels]]
id = "cn-platform"
jurisdiction = "cn"
kind = "platform"
name_en = "The lender itself, in writing"
name_zh = "借贷平台本身（书面提出）"
contact = ""
purpose_en = "Tell the lender in writing to stop."
purpose_zh = "书面要求平台停止。"
verification = "secondary"

[[channels]]
id = "cn-police"
jurisdiction = "cn"
kind = "police"
name_en = "Police (110)"
name_zh = "公安机关（110 报警）"
contact = "110"
purpose_en = "Report threats."
purpose_zh = "报警。"
verification = "secondary"
"""
CHANNELS_EDITS: list[Edit] = [
    ('[[channels]]\nid = "cn-platform"', 'version = 1\n[[channels]]\nid = "cn-platform"', "version: unknown key"),
    ('contact = "110"', 'contacts = "110"', "channels[1].contacts: unknown key"),
    ('kind = "police"', 'kind = "cops"', "channels[1].kind: 'cops' is not one of platform"),
    ('id = "cn-police"', 'id = "cn-platform"', "channels[1].id: duplicate 'cn-platform' (already at [0])"),
    (
        'purpose_zh = "报警。"\nverification = "secondary"',
        'purpose_zh = "报警。"\nverification = "S"',
        "channels[1].verification: 'S' is not one of",
    ),
]


def _letters() -> str:
    """A letter for every channel kind (the spec wants them all), the first with two paragraphs."""
    from apkscan.model.vocab import CHANNEL_KINDS

    out = [
        "[letters.platform]",
        'kinds = ["platform"]',
        'subject_en = "Demand to stop, {app}"',
        'subject_zh = "要求停止：{app}"',
        "[[letters.platform.paragraphs]]",
        'en = "To: {lender}"',
        'zh = "致：{lender}"',
        "[[letters.platform.paragraphs]]",
        'en = "I am {name}."',
        'zh = "本人 {name}。"',
        "",
        "[letters.others]",
        f"kinds = {list(CHANNEL_KINDS[1:])!r}".replace("'", '"'),
        'subject_en = "Complaint"',
        'subject_zh = "投诉"',
        "[[letters.others.paragraphs]]",
        'en = "See {points}."',
        'zh = "见 {points}。"',
    ]
    return "\n".join(out) + "\n"


LETTERS = _letters()
LETTERS_EDITS: list[Edit] = [
    ("[letters.platform]", "draft = true\n[letters.platform]", "draft: unknown key (expected one of: letters)"),
    ('subject_en = "Complaint"', 'subjet_en = "Complaint"', "letters.others.subjet_en: unknown key"),
    (
        'en = "To: {lender}"',
        'en = "To: {lender}"\nfr = "À : {lender}"',
        "letters.platform.paragraphs[0].fr: unknown key",
    ),
    (
        'zh = "本人 {name}。"',
        'zh = "本人 {nmae}。"',
        "letters.platform.paragraphs[1]: en and zh use different placeholders",
    ),
    (
        'en = "See {points}."\nzh = "见 {points}。"',
        'en = "See {pints}."\nzh = "见 {pints}。"',
        "letters.others.paragraphs[0]: unknown placeholder 'pints'",
    ),
    ('kinds = ["platform"]', 'kinds = ["platfrom"]', "letters.platform.kinds[0]: 'platfrom' is not one of platform"),
]

LENDING = """\
[decision]
yes = 6.0
unsure = 3.0

[places]
label = 2.0
package = 1.5
activity = 1.0
resource = 1.0
dex = 1.0

[[sdk_kind]]
kind = "risk_control"
weight = 2.0

[[term]]
text = "loan"
lang = "en"
weight = 3.0
match = "prefix"

[[term]]
text = "贷款"
lang = "zh"
weight = 3.0
match = "substring"
places = ["label", "resource"]
"""
LENDING_EDITS: list[Edit] = [
    ("[decision]", "[decisions]", "decisions: unknown key"),
    ('text = "loan"', 'text = "Loan"', "term[0].text: 'Loan' is not lower case"),
    ('lang = "zh"', 'lang = "fr"', "term[1].lang: 'fr' is not one of zh"),
    ('places = ["label", "resource"]', 'places = ["label", "icon"]', "term[1].places[1]: 'icon' is not one of label"),
    ("unsure = 3.0", "unsure = 7.0", "decision.unsure: must be below yes"),
    ("dex = 1.0", "", "places.dex: missing"),
    ('kind = "risk_control"', 'kind = "riskcontrol"', "sdk_kind[0].kind: 'riskcontrol' is not one of"),
]
PROMISES = """\
[[flag]]
id = "instant-approval"
text = "秒批"
lang = "zh"
match = "substring"
source = "complaint guidance"

[[flag]]
id = "no-credit-check"
text = "no credit check"
lang = "en"
source = "complaint guidance"
"""
PROMISES_EDITS: list[Edit] = [
    ('id = "no-credit-check"', 'id = "no-check"', "flag[1].id: 'no-check' is not one of instant-approval"),
    ('source = "complaint guidance"\n\n', "\n", "flag[0].source: missing required key"),
    ('match = "substring"', 'match = "anywhere"', "flag[0].match: 'anywhere' is not one of word"),
    ('lang = "en"', 'lang = "en"\nweight = 2', "flag[1].weight: unknown key"),
]
CONFUSABLES = """\
source = "https://www.unicode.org/Public/security/latest/confusables.txt"
verification = "memory"

[letters]
"\u0430" = "a"
"\u043e" = "o"
"""
CONFUSABLES_EDITS: list[Edit] = [
    ('verification = "memory"', 'verification = "guess"', "verification: 'guess' is not one of"),
    ('"\u043e" = "o"', '"\u043e" = "oo"', "letters.'о': 'oo' is not one ASCII letter or digit"),
    ('"\u0430" = "a"', '"\u0430" = "a"\n"xy" = "x"', "letters.xy: ids must be one character"),
    ('source = "https', 'sources = "https', "sources: unknown key"),
]
BRANDS = """\
[[brand]]
id = "sbi"
name = "State Bank of India"
country = "in"
kind = "bank"
acronyms = ["SBI"]
names = ["state bank of india"]
signers = []
source = "https://sbi.co.in/"
verification = "memory"

[[brand]]
id = "icbc"
name = "Industrial and Commercial Bank of China"
country = "cn"
kind = "bank"
names = ["工商银行"]
source = "https://www.icbc.com.cn/"
verification = "memory"
"""
BRANDS_EDITS: list[Edit] = [
    ('id = "icbc"', 'id = "sbi"', "brand[1].id: duplicate 'sbi' (already at [0])"),
    ("signers = []", 'signers = ["ABCD"]', "brand[0].signers[0]: 'ABCD' is not a certificate SHA-256"),
    ('names = ["工商银行"]\n', "", "brand[1]: needs acronyms or names"),
    ('kind = "bank"\nacronyms', 'kinds = "bank"\nacronyms', "brand[0].kinds: unknown key"),
]
LIBRARIES = """\
[[library]]
prefix = "io.netty."
name = "Netty"
source = "https://netty.io/"

[[library]]
prefix = "okhttp3."
name = "OkHttp"
source = "https://square.github.io/okhttp/"
"""
LIBRARIES_EDITS: list[Edit] = [
    ('prefix = "okhttp3."', 'prefix = "okhttp3"', "library[1].prefix: 'okhttp3' is not a Java package prefix"),
    ('prefix = "okhttp3."', 'prefix = "io.netty."', "library[1].prefix: duplicate 'io.netty.'"),
    ('name = "Netty"', 'title = "Netty"', "library[0].title: unknown key"),
    ('source = "https://netty.io/"', 'source = ""', "library[0].source: must not be empty"),
]
SENDERS = """\
[[sender]]
class = "Ljava/net/HttpURLConnection;"
name = "getOutputStream"
source = "https://developer.android.com/reference/java/net/URLConnection#getOutputStream()"

[[sender]]
class = "Lokhttp3/Call;"
name = "execute"
source = "https://square.github.io/okhttp/"
"""
SENDERS_EDITS: list[Edit] = [
    ('class = "Lokhttp3/Call;"', 'class = "okhttp3.Call"', "sender[1].class: 'okhttp3.Call' is not a DEX class"),
    ('name = "execute"', 'method = "execute"', "sender[1].method: unknown key"),
    ('name = "getOutputStream"', 'name = ""', "sender[0].name: must not be empty"),
    ('[[sender]]\nclass = "Ljava', 'version = 2\n[[sender]]\nclass = "Ljava', "version: unknown key"),
]

LOADERS: dict[str, tuple[str, Callable[[Path], object], str, list[Edit]]] = {
    "rules.toml": ("rules.toml", load_rules, RULES, RULES_EDITS),
    "advice.toml": ("advice.toml", load_advice, ADVICE, ADVICE_EDITS),
    "apis.toml": ("apis.toml", lambda p: load_catalog(apis=p), APIS, APIS_EDITS),
    "sdks.toml": ("sdks.toml", lambda p: load_catalog(sdks=p), SDKS, SDKS_EDITS),
    "packers.toml": ("packers.toml", lambda p: load_catalog(packers=p), PACKERS, PACKERS_EDITS),
    "policy_lexicon.toml": ("lexicon.toml", load_lexicon, LEXICON, LEXICON_EDITS),
    "ui.toml": ("ui.toml", load_ui, UI, UI_EDITS),
    "loan_caps.toml": ("caps.toml", load_loan_caps, LOAN_CAPS, LOAN_CAPS_EDITS),
    "evidence_kinds.toml": ("kinds.toml", load_evidence_kinds, EVIDENCE_KINDS, EVIDENCE_KINDS_EDITS),
    "channels.toml": ("channels.toml", load_channels, CHANNELS, CHANNELS_EDITS),
    "letters.toml": ("letters.toml", load_letters, LETTERS, LETTERS_EDITS),
    "lending.toml": ("lending.toml", load_vocabulary, LENDING, LENDING_EDITS),
    "promises.toml": ("promises.toml", red_flag_terms, PROMISES, PROMISES_EDITS),
    "confusables.toml": ("confusables.toml", confusables, CONFUSABLES, CONFUSABLES_EDITS),
    "brands.toml": ("brands.toml", load_brands, BRANDS, BRANDS_EDITS),
    "libraries.toml": ("libraries.toml", library_prefixes, LIBRARIES, LIBRARIES_EDITS),
    "senders.toml": ("senders.toml", senders, SENDERS, SENDERS_EDITS),
}
CASES = [(name, i) for name, (_, _, _, edits) in LOADERS.items() for i in range(len(edits))]


def test_every_data_file_has_broken_examples() -> None:
    assert set(LOADERS) == set(DATA_FILES)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_small_valid_document_loads(tmp_path: Path, name: str) -> None:
    file, load, text, _ = LOADERS[name]
    load(_write(tmp_path, file, text))


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_each_mistake_names_file_and_key(tmp_path: Path, name: str, index: int) -> None:
    file, load, text, edits = LOADERS[name]
    old, new, expected = edits[index]
    assert text.count(old) == 1, old
    path = _write(tmp_path, file, text.replace(old, new))
    with pytest.raises(DataFileError) as caught:
        load(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    assert f"{path}: {expected}" in "\n".join(lines), lines


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_all_mistakes_of_a_file_are_reported_at_once(tmp_path: Path, name: str) -> None:
    file, load, text, edits = LOADERS[name]
    # a renamed table or key hides what is inside it: combine only edits that do not touch an edited line
    broken, expected, touched = text, [], []
    for old, new, message in edits:
        if old.startswith("[") or broken.count(old) != 1 or any(old in line or line in old for line in touched):
            continue
        broken = broken.replace(old, new)
        expected.append(message)
        touched += [line for line in new.splitlines() if line]
    assert len(expected) >= 3
    path = _write(tmp_path, file, broken)
    with pytest.raises(DataFileError) as caught:
        load(path)
    report = str(caught.value)
    for message in expected:
        assert f"{path}: {message}" in report, (message, report)
    assert len(caught.value.problems) >= len(expected)


def test_loader_errors_keep_their_types(tmp_path: Path) -> None:
    rules = _write(tmp_path, "r.toml", RULES.replace('verdict = "prohibited"', 'verdict = "x"'))
    lexicon = _write(tmp_path, "l.toml", LEXICON.replace("[collect]", "[colect]"))
    with pytest.raises(RuleTableError):
        load_rules(rules)
    with pytest.raises(LexiconError):
        load_lexicon(lexicon)
    assert issubclass(RuleTableError, ValueError) and issubclass(LexiconError, ValueError)


def test_a_user_lexicon_extension_is_checked_on_its_own(tmp_path: Path) -> None:
    extra = _write(tmp_path, "mine.toml", '[categories.contacts]\nterms.zh = ["通讯名单"]\nterms.fr = ["annuaire"]\n')
    with pytest.raises(LexiconError, match=r"mine\.toml: categories\.contacts\.terms\.fr: unknown key"):
        load_lexicon(extra)


# ------------------------------------------------------------------------------------------------ the --rules option


def test_scan_with_a_broken_user_rule_table_exits_2_listing_every_error(tmp_path: Path) -> None:
    broken = RULES.replace('verdict = "prohibited"', 'verdict = "forbidden"', 1).replace("sensitive", "sensitve")
    path = _write(tmp_path, "bad-rules.toml", broken)
    result = CliRunner().invoke(
        main, ["scan", str(sample("fair-lender.apk")), "--rules", str(path), "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert f"{path}: {R}.verdict: 'forbidden' is not one of" in result.output
    assert f"{path}: categories.contacts.sensitve: unknown key" in result.output
    assert f"{path}: categories.contacts.sensitive: missing required key" in result.output
    assert not list(tmp_path.glob("*.html"))


def test_scan_with_a_valid_user_rule_table_uses_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "my-rules.toml", RULES)
    result = CliRunner().invoke(
        main, ["scan", str(sample("fair-lender.apk")), "--rules", str(path), "-o", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (report,) = tmp_path.glob("*.json")
    assert '"name": "my rules"' in report.read_text("utf-8")
