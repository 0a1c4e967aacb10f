"""Third-party SDK lists: which named SDK collects which data, kept apart from what the app itself collects.

Chinese policies (and more and more others) end with a "第三方SDK目录": per SDK its name, its company and the
personal information it collects, as a table ("SDK名称 | SDK厂商 | 个人信息字段") or as a heading followed by
"key：value" lines ("所属公司名称：…", "收集个人信息类型：…"). Read sentence by sentence, those lines look like the app
admitting to IMEI, location and app lists; they are really the policy naming a third party's collection. The reader
below recognises the entries, takes them out of the app's own tally and reports them as ``ThirdPartyCollection``
with the SDK ids of ``apkscan/data/sdks.toml`` they match, so that they can be set against the SDKs the code scan
found. Vocabulary (key names, header words, SDK aliases) lives in ``policy_lexicon.toml`` ``[third_party_lists]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from apkscan.evaluate.policy.clauses import categories_mentioned, has_collection_verb, is_bare_entry
from apkscan.extract.policy.sentences import NUMBERING, Sentence, is_pipe_row, without_numbering
from apkscan.knowledge.lexicon import Lexicon
from apkscan.knowledge.matcher import normalize
from apkscan.model.policy import Quote, ThirdPartyCollection

__all__ = ["SdkListReader", "match_sdk_ids", "sdks_named"]

MAX_NAME = 60  # an SDK heading is a short line ("1. 微信开放平台SDK(Android 端,iOS端)")
MAX_QUOTES = 3
# "(Android 端、iOS 端)", "(iOS)": the platforms an SDK entry covers are not part of its name
_PLATFORMS = re.compile(r"\s*[(（][^()（）]*(?:android|ios|端)[^()（）]*[)）]\s*$", re.IGNORECASE)
_KEY = re.compile(r"^\s*([^:：|]{1,40})[:：]\s*(.*)$")
_NAMED_SDK = re.compile(r"\w{2,}\s*sdk$")
_DATA_LABEL = re.compile(r"(?:信息|数据|资料|记录|information|data|details|info)\s*$", re.IGNORECASE)
_FIELD = re.compile(
    r"名称|用途|目的|类型|信息|方式|场景|厂商|提供方|主体|链接|说明|name|purpose|type|data|provider|link"
)
_BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]\s*$")  # "Firebase Analytics (Google LLC)": the company
_KEYS = re.compile(r"^(?:[^:：|]{1,12}[:：]\s*)+(?=\S)")  # "调用方: 第三方:" before a cell's value
_TERMINALS = tuple("。！？.!?")
# a permission of a flattened permission table: "android.permission.READ_PHONE_STATE(读取电话状态)"
_PERMISSION = re.compile(r"(?:android\.)?permission\.[A-Z_]+")
# "应用内:设备列表、第三方:高德地图、友盟分析": the third parties named after the key, to the end of the line
_THIRD_PARTY_USERS = re.compile(r"第三方(?:sdk)?\s*[:：]\s*([^:：]+)$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[、,，/]")
_CLAUSE_MARK = re.compile("[,，；;]")  # a name has no clauses
_SHORT_CELL = 20
_SERVICE = re.compile(r"(?:推送|统计|分析|广告|地图|定位|一键登录|支付|分享|认证|人脸|登录)$")
_GLUED_NAME = re.compile(r"^.{0,60}?(?<![A-Za-z])SDK(?![A-Za-z])", re.IGNORECASE)


def _keyed(text: str) -> tuple[str, re.Match[str] | None]:
    """A line without its numbering, and its "key: value" split: "2.1.2收集个人信息的类型：设备信息". Spaces inside a
    Chinese key go ("第三方 SDK 名称：" is "第三方SDK名称：")."""
    text = without_numbering(text)
    key = _KEY.match(text)
    if key and _HAN_SPACE.search(key.group(1)):
        text = _HAN_SPACE.sub("", key.group(1)) + text[key.end(1) :]
        key = _KEY.match(text)
    return text, key


_HAN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])")


def _value(key: re.Match[str]) -> str:
    return key.group(2).strip().rstrip("；;。")


def _numbering_shape(text: str) -> str:
    """The numbering a line starts with, digits masked: "38、" and "39、" have the same shape, "（1）" another."""
    m = NUMBERING.match(text)
    return re.sub(r"\d+", "N", m.group(0).strip()) if m and m.group(0).strip() else ""


def _name(text: str) -> str:
    """An SDK's name as a list gives it: without numbering, emphasis marks or the platforms it covers."""
    return _PLATFORMS.sub("", without_numbering(text)).strip().strip("*_ ").strip()


def match_sdk_ids(name: str, company: str = "", lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """SDK ids of ``sdks.toml`` whose policy names (``[third_party_lists.aliases]``) occur in an SDK's name or
    company, e.g. "华为推送SDK" -> ("huawei_push",), "穿山甲广告SDK" -> ("bytedance_applog",)."""
    if lexicon is None:
        from apkscan.knowledge.lexicon import load_lexicon

        lexicon = load_lexicon()
    key = lexicon.simplify(normalize(f"{name} {company}")).replace(" ", "")
    return tuple(sdk_id for sdk_id, aliases in lexicon.sdk_aliases.items() if any(a and a in key for a in aliases))


def sdks_named(texts: Iterable[str], lexicon: Lexicon) -> tuple[str, ...]:
    """SDK ids of ``sdks.toml`` that the policy names anywhere, in a list or in prose ("we use Tongdun's SDK to…").

    An SDK found in the code that the policy never names is undisclosed third-party collection; a name in prose counts
    as naming it, so that the finding accuses only what the whole text leaves out."""
    aliases = {a: sdk_id for sdk_id, names in lexicon.sdk_aliases.items() for a in names if a}
    if not aliases:
        return ()
    pattern = re.compile("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)))
    found: dict[str, None] = {}
    for text in texts:
        key = lexicon.simplify(normalize(text)).replace(" ", "")
        found.update(dict.fromkeys(aliases[m.group(0)] for m in pattern.finditer(key)))
    return tuple(sdk_id for sdk_id in lexicon.sdk_aliases if sdk_id in found)


@dataclass
class _Entry:
    name: str
    company: str = ""
    categories: dict[str, None] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    tentative: bool = False  # named only by the line before its company key: kept if it lists data
    numbering: str = ""  # the shape of the numbering of the line that opened it ("N、")
    heading: str = ""  # the section heading that opened it ("2. Admob SDK"), if a heading did


class SdkListReader:
    """Feed it every sentence in order; ``feed`` says whether the sentence belongs to an SDK list entry."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.entries: list[_Entry] = []
        self._begin_document()

    def _begin_document(self) -> None:
        """The state one document builds up, which never runs on into the next one."""
        self.current: _Entry | None = None
        self.section: str | None = None
        self.columns: tuple[int | None, int | None] | None = None  # (name, company) columns of an SDK table
        self.continues = False  # the previous piece ended in "；": this one is the rest of the same value
        self.data_value = False  # the value being continued lists collected data ("收集信息：…；…")
        self.in_list = False  # inside a section (or after a header line) that lists SDKs
        self.previous: tuple[str, Quote] | None = None  # the last short line, no key, no sentence: maybe a name
        self.permission: tuple[str, ...] = ()  # what the last permission of a flattened permission table reads

    # ------------------------------------------------------------------ helpers
    def _base(self, text: str) -> str:
        return self.lex.simplify(normalize(text))

    def _names_sdk(self, text: str) -> bool:
        if not 0 < len(text) <= MAX_NAME or text.rstrip().endswith(_TERMINALS) or _CLAUSE_MARK.search(text):
            return False  # most sentences: too long or a full sentence, decided without a regex
        base = self._base(text)
        if self.lex.sdk_header.search(base):
            return False
        if self.lex.sdk_name.search(base):
            return True
        # in an SDK list a short cell naming a known SDK or a service is a name too ("极光推送", "Bugly", "高德地图")
        return (
            self.in_list
            and len(text) <= _SHORT_CELL
            and bool(match_sdk_ids(text, "", self.lex) or _SERVICE.search(base))
            and not categories_mentioned(text, self.lex)
        )

    def _start(self, name: str, quote: Quote | None, heading: str = "") -> None:
        self._flush()
        self.current = _Entry(_name(name), numbering=_numbering_shape(name), heading=heading)
        if quote:
            self.current.quotes.append(quote)

    def _flush(self) -> None:
        entry = self.current
        if entry and entry.name and (entry.categories or (entry.company and not entry.tentative)):
            self.entries.append(entry)
        self.current = None

    def _name_before_company(self, text: str, previous: tuple[str, Quote] | None) -> bool:
        """A company key ("运营方：…") right after a short line that no list marked as a name, when no entry is open or
        the open one has its company already: that line names an SDK ("**新浪微博开放平台**" / "运营方：北京微梦创科" /
        "收集个人信息类型：…"). Kept only if the entry goes on to list data."""
        text, key = _keyed(text)
        if previous is None or not key or (self.current is not None and not self.current.company):
            return False
        if not self.lex.sdk_company_key.search(self._base(text)):
            return False
        name, quote = previous
        self._start(name, quote)
        assert self.current is not None
        self.current.tentative = True
        self.current.company = _value(key)
        return True

    def _add(self, text: str, quote: Quote) -> None:
        assert self.current is not None
        self.current.categories.update(dict.fromkeys(categories_mentioned(text, self.lex)))
        if len(self.current.quotes) < MAX_QUOTES:
            self.current.quotes.append(quote)

    def add_prose(self, name: str, categories: Iterable[str], quote: Quote) -> None:
        """An SDK named as the subject of a collection sentence outside any list ("友盟+SDK需要收集您的设备Mac地址")."""
        name = re.sub(r"^(?:the|a|an|our)\s+", "", without_numbering(name).strip(), flags=re.IGNORECASE)
        entry = _Entry(name, categories=dict.fromkeys(categories), quotes=[quote])
        self.entries.append(entry)

    # ------------------------------------------------------------------ rows
    def _header(self, cells: list[str]) -> tuple[int | None, int | None] | None:
        bases = [self._base(c) for c in cells]
        if not any(self.lex.sdk_header.search(b) for b in bases) or categories_mentioned(" ".join(cells), self.lex):
            return None
        company = next((i for i, b in enumerate(bases) if re.search("公司|厂商|运营方|提供方|company|vendor", b)), None)
        name = next((i for i, b in enumerate(bases) if i != company and re.search("sdk|产品|插件|名称|name", b)), None)
        return name, company

    def _row(self, text: str, quote: Quote) -> bool:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        keyed = [_KEY.match(c) for c in cells]
        if len(cells) > 1 and all(keyed):
            # an HTML table row as the policy reader writes it, each cell led by its column's header
            # ("SDK名称: 友盟 | SDK厂商: 友盟同欣 | 收集信息: 设备标识符"): the headers give the columns
            keys = [k.group(1).strip() for k in keyed if k]
            if (columns := self._header(keys)) is not None:
                self.columns = columns
                cells = [k.group(2).strip() for k in keyed if k]
        elif (columns := self._header(cells)) is not None:
            self._flush()
            self.columns = columns
            return True
        named = [i for i, c in enumerate(cells) if c and self._names_sdk(c)]
        if self.columns is None and not named:
            return False
        self._flush()
        name_col, company_col = self.columns if self.columns else (named[0], None)
        if name_col is None or name_col >= len(cells) or not cells[name_col]:
            name_col = named[0] if named else 0
        if company_col is None or company_col >= len(cells):
            company_col = next((i for i, c in enumerate(cells) if self.lex.company.search(self._base(c))), None)
        company = cells[company_col] if company_col is not None else ""
        self.current = _Entry(_KEYS.sub("", cells[name_col]), _KEYS.sub("", company))
        self._add(" | ".join(c for i, c in enumerate(cells) if i != name_col), quote)
        self._flush()
        return True

    # ------------------------------------------------------------------ the sentence stream
    def _wide_row(self, text: str, quote: Quote) -> bool:
        """A table row flattened with spaces ("北京火山引擎科技有限公司 流式语音识别SDK 音频内容、IP地址 SDK本机采集 https://…"),
        read only inside an SDK list: it names an SDK and a company, and the data it lists are the SDK's."""
        if self.lex.sdk_header.search(self._base(text)):
            return False  # the header row names no SDK
        cells = text.split()
        name = next((c for c in cells if self.lex.sdk_name.search(self._base(c))), None)
        company = next((c for c in cells if self.lex.company.search(self._base(c))), None)
        if not (name and company):
            return False
        if name == company and (glued := _GLUED_NAME.search(text)):
            # cells run together ("1ThinkingAnalytics Android SDK数数信息科技(上海)有限公司设备信息:…"): the name
            # ends at "SDK", the company follows it
            name = without_numbering(text[: glued.end()]).strip()
            company_match = self.lex.company.search(self._base(text[glued.end() :]))
            company = company_match.group(0) if company_match else ""
        self._flush()
        self.current = _Entry(_name(name), _KEYS.sub("", company))
        self._add(text, quote)
        return True  # the entry stays open: "位置信息：…" lines below the row are its data

    def end_document(self) -> None:
        """Close what the document left open: a list or an SDK entry never runs on into the next document (a user
        agreement after the privacy policy)."""
        self._flush()
        self._begin_document()

    def feed(self, sentence: Sentence, quote: Quote) -> bool:
        text = sentence.text
        if sentence.section != self.section:
            self.section = heading = sentence.section
            self.columns = None
            self.in_list = bool(heading) and bool(self.lex.sdk_header.search(self._base(heading)))
            if self._names_sdk(heading) and not _KEY.match(heading):
                self._start(heading, None, heading=heading)
            elif self.current is not None and (_KEY.match(heading) or len(heading) <= 30):
                self._key_value(heading, quote)  # a sub-heading of the entry ("共享方式：SDK本机采集")
            else:
                self._flush()
        if is_pipe_row(text):
            return self._row(text, quote)
        if not self.in_list and len(text) <= 120 and self.lex.sdk_header.search(self._base(text)):
            self.in_list = (
                True  # a header line ("第三方公司名称 SDK名称 涉及个人信息 …") opens a list within the section
            )
        if self.in_list and " " in text.strip() and self._wide_row(text, quote):
            return True
        self.columns = None
        continued, self.continues = self.continues, text.rstrip().endswith(("；", ";"))
        stripped, key = _keyed(text)
        keyed = _KEY.match(text) is not None
        short = len(text) <= _SHORT_CELL and not keyed and not text.rstrip().endswith(_TERMINALS)
        previous, self.previous = self.previous, (text, quote) if short else None
        if self._names_sdk(text) and not keyed:
            self._start(text, quote)
            return True
        if self._name_before_company(text, previous):
            return True
        if not keyed and self._names_next_entry(text):
            self._start(text, quote)  # "39、腾讯灯塔Beacon" after "38、腾讯Bugly SDK（…）": the next entry
            assert self.current is not None
            self.current.tentative = True
            return True
        if keyed and self._keyed_entry(key, quote):
            return True
        if keyed and (self.current is None or self.current.company or self.current.categories):
            if name := self._name_value(stripped, key):
                self._start(name, quote)  # "第三方SDK名称：Bugly SDK" opens an entry, closing the one before
                return True
        if self.current is None:
            return False
        if text.rstrip().endswith("|"):  # one cell of a table flattened one cell per line ("设备信息(IMEI…) |")
            self._add(text, quote)
            return True
        if self.in_list and is_bare_entry(text, self.lex):
            self._add(text, quote)  # the data cell of a table flattened one cell per line, without pipes
            return True
        if not keyed and not continued and self.current.heading and sentence.section == self.current.heading:
            # under the SDK's own heading every line is the SDK's: "2. Admob SDK / 用于提供广告服务。/ 设备标识信息…"
            if categories_mentioned(text, self.lex):
                self._add(text, quote)
            return True
        if keyed or continued or (len(text) <= 30 and not text.endswith(_TERMINALS)):
            self._key_value(text, quote, continued)
            return True
        self._flush()
        return False

    def _keyed_entry(self, key: re.Match[str] | None, quote: Quote) -> bool:
        """A line whose key names an SDK is that SDK's entry, with the company in brackets and the data in the value:
        "Firebase Analytics (Google LLC): collects device identifiers and IP address", "友盟：设备信息"."""
        if key is None or not key.group(2).strip():
            return False
        label = key.group(1).strip()
        bracket = _BRACKETED.search(label)
        name = label[: bracket.start()].strip() if bracket else label
        if not name or self.lex.sdk_company_key.search(self._base(label + ":")) or _DATA_LABEL.search(name):
            return False  # "支付宝信息：绑定手机号…" labels what the lender reads from the user's Alipay account
        # a known SDK ("Firebase Analytics", "友盟"), or a name ending in "SDK" that is no field of an entry
        # ("SDK用途：", "SDK名称：" are keys of the entry, not SDKs)
        base = self._base(name)
        known = match_sdk_ids(name, "", self.lex) or (_NAMED_SDK.search(base) and not _FIELD.search(base))
        if not known or categories_mentioned(name, self.lex) or self.lex.sdk_header.search(base):
            return False
        self._flush()
        self.current = _Entry(_name(name), bracket.group(1).strip() if bracket else "")
        self._add(key.group(2), quote)
        return True

    def _names_next_entry(self, text: str) -> bool:
        """A short line numbered like the line that opened the current entry names the list's next SDK, even
        without "SDK" in it; one that names data ("40、剪贴板") stays a line of the current entry."""
        shape = self.current.numbering if self.current is not None else ""
        if not shape or _numbering_shape(text) != shape:
            return False
        rest = without_numbering(text).strip()
        if not 0 < len(rest) <= MAX_NAME or rest.endswith(_TERMINALS) or _CLAUSE_MARK.search(rest):
            return False
        return not categories_mentioned(rest, self.lex)

    def _name_value(self, text: str, key: re.Match[str] | None) -> str | None:
        """The SDK's own name when the line's key is a name key ("SDK名称：友盟+SDK（Android 端）" -> "友盟+SDK")."""
        if key and _value(key) and self.lex.sdk_name_key.search(self._base(text)):
            return _PLATFORMS.sub("", _value(key))
        return None

    def _key_value(self, text: str, quote: Quote, continued: bool = False) -> None:
        """A line of the current entry: its company, the data it collects, or another field (purpose, link…)."""
        assert self.current is not None
        text, key = _keyed(text)
        base = self._base(text)
        if name := self._name_value(text, key):
            self.current.name = name
        elif key and self.lex.sdk_company_key.search(base):
            self.current.company = self.current.company or _value(key)
        elif key and (self.lex.sdk_data_key.search(base) or has_collection_verb(key.group(1), self.lex)):
            self._add(key.group(2), quote)  # "收集个人信息类型：…", "Metadata accessed and shared are as follows: …"
            self.data_value = True
        elif key:
            self.data_value = False  # another field: purpose, scenario, link…
            if categories_mentioned(key.group(1), self.lex):
                self._add(key.group(1), quote)  # "设备标识符(Android ID)：用于…" under the entry's data heading
        elif continued and self.data_value:
            self._add(text, quote)

    def permission_table(self, text: str, quote: Quote) -> None:
        """A permission table flattened to lines names, under a permission, the third parties that use it
        ("android.permission.READ_PHONE_STATE" / "第三方:华为 HMS-Core、小米推送"): each of them collects what the
        permission reads; the app's own use stays the app's. Lines without end marks run together, so the users of
        one permission may open the next permission's sentence."""
        constants = _PERMISSION.findall(text) if "permission." in text else []
        head = text[: text.find(constants[0])] if constants else text
        users = _THIRD_PARTY_USERS.search(head) if self.permission else None
        if users is not None:
            for name in _LIST_SPLIT.split(users.group(1)):
                name = name.strip(" .;；。")
                if 1 < len(name) <= _SHORT_CELL and not categories_mentioned(name, self.lex):
                    self.entries.append(_Entry(name, categories=dict.fromkeys(self.permission), quotes=[quote]))
            self.permission = ()
        if constants:  # what the last permission of the line reads
            self.permission = categories_mentioned(text[text.rfind(constants[-1]) :], self.lex)

    def finish(self) -> tuple[ThirdPartyCollection, ...]:
        self._flush()
        return tuple(
            ThirdPartyCollection(
                name=e.name,
                company=e.company,
                categories=tuple(c for c in self.lex.categories if c in e.categories),
                sdk_ids=match_sdk_ids(e.name, e.company, self.lex),
                quotes=tuple(e.quotes[:MAX_QUOTES]),
            )
            for e in _dedupe(self.entries)
        )


def _dedupe(entries: Iterable[_Entry]) -> list[_Entry]:
    """One entry per SDK name: a policy listing it for Android and iOS gets one merged entry."""
    merged: dict[str, _Entry] = {}
    for e in entries:
        key = normalize(e.name).replace(" ", "")
        if key in merged:
            merged[key].categories.update(e.categories)
            merged[key].company = merged[key].company or e.company
        else:
            merged[key] = e
    return list(merged.values())
