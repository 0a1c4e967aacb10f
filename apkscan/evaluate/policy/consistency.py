"""Confront what the privacy policy says with what the APK asks for and reads.

Per data category the app side arrives as :class:`AppCategoryFacts` (requested permissions, code evidence and the
rule-table verdict, computed elsewhere); the policy side as a :class:`~apkscan.evaluate.policy.PolicyAnalysis`.
The findings are the complaint-ready mismatches: silent about something the app takes, denying something it takes,
openly admitting what a lending app must not take, and promising to contact the borrower's contacts about a debt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apkscan.evaluate.policy.analysis import PolicyAnalysis, Quote
from apkscan.knowledge.lexicon import Lexicon, load_lexicon

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
UNDISCLOSED_SEVERITY = {
    "prohibited": "high",
    "unrelated": "medium",
    "conditional": "low",
    "needed": "info",
    "unknown": "low",
    "none": "low",
}
# No policy lists "network" (every app uses it) and "other" has no vocabulary a policy would use.
NOT_EXPECTED_IN_POLICY = frozenset({"network", "other"})
_VERDICT_ZH = {
    "prohibited": "禁止",
    "unrelated": "与借贷无关",
    "conditional": "有条件允许",
    "needed": "必要",
    "unknown": "未知",
    "none": "无对应权限",
}
_COLLECTION_RULES_EN = (
    "China's 《App违法违规收集使用个人信息行为认定方法》 (2019) treats collecting beyond the stated "
    "rules as illegal collection [V]"
)
_COLLECTION_RULES_ZH = (
    "《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）将超出所声明规则的收集认定为违法违规收集 [V]"
)


@dataclass(frozen=True)
class AppCategoryFacts:
    category: str
    permissions: tuple[str, ...]  # requested permissions in this category
    read_in_code: bool | None  # None = no code evidence / unknown
    verdict: str  # worst rule-table verdict among the permissions: needed|conditional|prohibited|unrelated|unknown|none

    @property
    def used(self) -> bool:
        return bool(self.permissions) or self.read_in_code is True


@dataclass(frozen=True)
class PolicyFinding:
    id: str
    # undisclosed | contradiction | admitted_over_collection | contacts_debt_collection | pre_consent | no_refusal
    kind: str
    category: str
    severity: str  # info | low | medium | high | critical
    title_en: str
    title_zh: str
    detail_en: str
    detail_zh: str
    quotes: tuple[Quote, ...] = ()
    permissions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "severity": self.severity,
            "title_en": self.title_en,
            "title_zh": self.title_zh,
            "detail_en": self.detail_en,
            "detail_zh": self.detail_zh,
            "quotes": [q.to_dict() for q in self.quotes],
            "permissions": list(self.permissions),
        }


def _evidence(facts: AppCategoryFacts) -> tuple[str, str]:
    """How the app takes the data, in English and Chinese: "requests READ_SMS and reads it in code"."""
    perms = ", ".join(facts.permissions)
    en = [f"requests {perms}"] if perms else []
    zh = [f"申请了 {perms} 权限"] if perms else []
    if facts.read_in_code:
        en.append("reads it in code" if perms else "reads it in code without a listed permission")
        zh.append("并在代码中读取该数据" if perms else "在代码中读取该数据（未列出相应权限）")
    return " and ".join(en), "".join(zh)


class _Findings:
    """Builds each kind of finding with its bilingual wording."""

    def __init__(self, policy: PolicyAnalysis, lex: Lexicon) -> None:
        self.policy = policy
        self.lex = lex

    def quotes(self, category: str) -> tuple[Quote, ...]:
        return self.policy.categories[category].quotes if category in self.policy.categories else ()

    def undisclosed(self, cat: str, facts: AppCategoryFacts) -> PolicyFinding:
        en, zh = self.lex.label(cat), self.lex.label(cat, "zh")
        ev_en, ev_zh = _evidence(facts)
        n = self.policy.sentences_analysed
        return PolicyFinding(
            f"policy-undisclosed:{cat}",
            "undisclosed",
            cat,
            UNDISCLOSED_SEVERITY.get(facts.verdict, "low"),
            f"Undisclosed collection: the policy never mentions {en}",
            f"未披露的收集：隐私政策未提及{zh}",
            f"The app {ev_en}, but none of the {n} policy sentences says it collects {en}. Rule-table verdict: "
            f"{facts.verdict}. Asking for a permission without stating why is listed in China's 2019 method for "
            "identifying illegal collection (二.3) [V]; Google Play and RBI also require disclosure.",
            f"应用{ev_zh}，但隐私政策（共分析 {n} 句）没有任何一句说明会收集{zh}。"
            f"规则表结论：{_VERDICT_ZH.get(facts.verdict, facts.verdict)}。"
            "《App违法违规收集使用个人信息行为认定方法》二.3 将未说明目的而申请权限列为违法违规情形 [V]。",
            (),
            facts.permissions,
        )

    def contradiction(self, cat: str, facts: AppCategoryFacts) -> PolicyFinding:
        en, zh = self.lex.label(cat), self.lex.label(cat, "zh")
        ev_en, ev_zh = _evidence(facts)
        return PolicyFinding(
            f"policy-contradiction:{cat}",
            "contradiction",
            cat,
            "critical",
            f"Contradiction: the policy denies collecting {en}, but the app {ev_en}",
            f"自相矛盾：隐私政策声称不收集{zh}，但应用{ev_zh}",
            f"The policy says it does not collect {en} (quoted below), yet the app {ev_en}. "
            f"{_COLLECTION_RULES_EN}; a false denial also misleads the borrower's consent.",
            f"隐私政策声称不收集{zh}（见下方引文），但应用{ev_zh}。{_COLLECTION_RULES_ZH}；虚假的否认同时使用户的同意失去基础。",
            self.quotes(cat),
            facts.permissions,
        )

    def admitted(self, cat: str, facts: AppCategoryFacts) -> PolicyFinding:
        en, zh = self.lex.label(cat), self.lex.label(cat, "zh")
        purposes = ", ".join(self.policy.categories[cat].purposes) or "no purpose stated"
        return PolicyFinding(
            f"policy-admitted:{cat}",
            "admitted_over_collection",
            cat,
            "high",
            f"The policy admits collecting {en}, which a lending app must not collect",
            f"隐私政策承认收集{zh}，而借贷类应用不得收集该信息",
            f"The policy openly says it collects {en} ({purposes}); the rule table marks "
            f"{', '.join(facts.permissions) or 'this data'} as prohibited for lending apps (Google Play personal-loan "
            "policy, RBI digital-lending rules, China's necessary-information rules for 网络借贷). Disclosure does "
            "not make it lawful.",
            f"隐私政策公开承认收集{zh}（目的：{purposes}）；规则表将 {', '.join(facts.permissions) or '该数据'} "
            "列为借贷类应用禁止收集（Google Play 个人贷款政策、印度央行数字借贷规定、"
            "《常见类型移动互联网应用程序必要个人信息范围规定》网络借贷类）。写进隐私政策并不使其合法。",
            self.quotes(cat),
            facts.permissions,
        )

    def contacts_debt(self, facts: AppCategoryFacts | None) -> PolicyFinding:
        cites = self.lex.citations.get("contacts_debt_collection", ())
        return PolicyFinding(
            "policy-contacts-debt-collection",
            "contacts_debt_collection",
            "contacts",
            "critical",
            "The policy says the lender will contact your contacts about your debt",
            "隐私政策称逾期时会联系您的通讯录联系人或紧急联系人",
            "The policy says the lender may contact your contacts or emergency contacts about an overdue loan. "
            "Debt-collection rules forbid or narrowly limit this: " + " ".join(f"{c.en} [{c.tag}]" for c in cites),
            "隐私政策称借款逾期时可能联系您的通讯录联系人或紧急联系人。催收规则禁止或严格限制这种做法："
            + "".join(f"{c.zh} [{c.tag}]" for c in cites),
            self.policy.contacts_contacted,
            facts.permissions if facts else (),
        )

    def pre_consent(self) -> PolicyFinding:
        return PolicyFinding(
            "policy-pre-consent",
            "pre_consent",
            "",
            "high",
            "The policy says data is collected before you consent",
            "隐私政策称在您同意之前即收集信息",
            "The policy describes collection before the user agrees (or on first launch). China's 2019 method for "
            "identifying illegal collection lists collecting or enabling permissions before consent (三.1) [V].",
            "隐私政策描述了在用户同意之前（或首次打开时）即收集信息。《App违法违规收集使用个人信息行为认定方法》三.1 "
            "将征得同意前即收集或打开权限列为违法违规情形 [V]。",
            self.policy.pre_consent_collection,
        )

    def no_refusal(self) -> PolicyFinding:
        return PolicyFinding(
            "policy-no-refusal",
            "no_refusal",
            "",
            "medium",
            "Refusing a non-necessary permission blocks the loan service",
            "拒绝非必要权限将无法使用借款服务",
            "The policy says the service cannot be used if you refuse data a loan does not need. China's "
            "necessary-information rules (2021) say an app may not refuse basic service for that [V] "
            "(also PIPL Art. 16 [M]).",
            "隐私政策称拒绝提供借款并不需要的信息将无法使用服务。《常见类型移动互联网应用程序必要个人信息范围规定》（2021）"
            "规定不得因用户拒绝提供非必要个人信息而拒绝提供基本功能服务 [V]（另见《个人信息保护法》第十六条 [M]）。",
            self.policy.refusal_quotes,
        )


def confront(
    policy: PolicyAnalysis, facts: Mapping[str, AppCategoryFacts], lexicon: Lexicon | None = None
) -> tuple[PolicyFinding, ...]:
    """All policy findings, most severe first."""
    lex = lexicon or load_lexicon()
    build = _Findings(policy, lex)
    out: list[PolicyFinding] = []
    for cat, fact in facts.items():
        if not fact.used:
            continue
        status = policy.status(cat)
        if status == "denies":
            out.append(build.contradiction(cat, fact))
        elif status == "collects" and fact.verdict == "prohibited":
            out.append(build.admitted(cat, fact))
        elif (
            status == "silent"
            and cat not in NOT_EXPECTED_IN_POLICY
            and not any(policy.status(other) == "collects" for other in lex.equivalents.get(cat, ()))
        ):
            out.append(build.undisclosed(cat, fact))
    if policy.debt_collection_contact:
        out.append(build.contacts_debt(facts.get("contacts")))
    if policy.pre_consent_collection:
        out.append(build.pre_consent())
    if policy.refusal_allowed is False:
        out.append(build.no_refusal())
    return tuple(sorted(out, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.id)))
