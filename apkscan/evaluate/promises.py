"""What a lending app promises and charges, in its own words: red-flag slogans and the loan terms it shows.

Predatory lenders betray themselves in their marketing ("秒批", "黑户可借", "no credit check", "100%
approval") and in the terms they print: seven-day loans, a "service fee" deducted before the money
is paid out, 1% interest per day. Each is quoted with where it was found (label, resource string or
DEX string with its calling method). The red-flag phrases are data (``apkscan/data/promises.toml``);
the terms are read with a few patterns per language, each needing a loan word next to the number so
that "arrives within 3 days" is not read as a 3-day loan. :mod:`.loan_terms` compares the terms with
the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from apkscan.knowledge.lender_data import red_flag_terms
from apkscan.knowledge.terms import Matcher, looks_like_list, quote
from apkscan.model.lender import AppText
from apkscan.model.vocab import LOAN_TERM_KINDS as TERM_KINDS
from apkscan.model.vocab import RED_FLAG_KINDS as FLAG_KINDS

__all__ = ["FLAG_KINDS", "TERM_KINDS", "Found", "LoanTerm", "Promises", "RedFlag", "extract_terms", "find_promises"]

MAX_HITS = 50
MAX_STRINGS = 50_000  # resource strings examined (a hostile pool can hold millions)

_NUM = r"(\d{1,3}(?:[.,]\d{1,3})?)"
#: A number of days next to a loan-term word (either side, within a few words).
_PERIOD_WORDS = (
    r"期限|借款|还款|到期|周期|借期|term|tenor|tenure|repay|due|loan|jangka waktu|jatuh tempo|pinjaman|"
    r"अवधि|लोन|चुका|plazo|préstamo|prestamo|pagar|muda|mkopo|rejesha"
)
_DAYS = re.compile(
    rf"{_NUM}\s*(?:天|日(?!利|息|费)|[- ]?days?\b|\s?hari\b|\s?दिन|\s?días?\b|\s?dias?\b)|\bsiku\s*{_NUM}",
    re.IGNORECASE,
)
_PERIOD_CONTEXT = re.compile(_PERIOD_WORDS, re.IGNORECASE)
#: A percentage with a "per day" marker before or after it.
_PERCENT = re.compile(rf"{_NUM}\s*[%％]")
_PER_DAY_BEFORE = re.compile(
    r"(?:日利率|日息|日费率|每[天日]|daily(?: interest)?(?: rate)?(?: of)?)\s*[:：]?\s*$", re.I
)
_PER_DAY_AFTER = re.compile(
    r"^\s*(?:interest\s+)?(?:per\s+day|a\s+day|each\s+day|/\s*day|daily|每[天日]|/天|per\s+hari|sehari|"
    r"प्रति\s*दिन|प्रतिदिन|diari[oa]|al\s+día|por\s+día|kwa\s+siku)",
    re.I,
)
_UPFRONT = re.compile(
    r"砍头息|(?:服务费|手续费|管理费|审核费|费用|利息).{0,15}?(?:预先扣除|提前扣除|先行扣除|预扣|先扣|从借款中扣|从本金中扣)"
    r"|(?:fee|fees|charge|charges|interest)\b.{0,40}?\b(?:deducted|withheld|taken|cut)\b.{0,25}?"
    r"(?:up\s*front|upfront|in\s+advance|before\s+(?:disbursement|payout)|from\s+the\s+(?:loan|amount|principal))"
    r"|biaya.{0,30}?dipotong|शुल्क.{0,30}?काट|(?:comisión|comision|cargo).{0,30}?(?:descontad|deducid)"
    r"|ada.{0,30}?(?:itakatwa|inakatwa|kukatwa)",
    re.I | re.S,
)


@dataclass(frozen=True, slots=True)
class Found:
    """Where a phrase or a term was found: place, the string (shortened around it), and detail."""

    where: str  # label | resource | dex
    text: str
    detail: str = ""  # DEX file and calling method


@dataclass(frozen=True, slots=True)
class RedFlag:
    kind: str  # one of FLAG_KINDS
    phrase: str
    lang: str
    source: str
    found: Found


@dataclass(frozen=True, slots=True)
class LoanTerm:
    kind: str  # one of TERM_KINDS
    value: float | None  # days, percent per day, percent of the loan (None: the fee's size is not stated)
    found: Found


@dataclass(frozen=True, slots=True)
class Promises:
    red_flags: tuple[RedFlag, ...] = ()
    terms: tuple[LoanTerm, ...] = ()


def _texts(text: AppText) -> Iterator[tuple[str, Found | None, str]]:
    """(string, partial Found, place) for every text the app shows: labels, resources, app DEX strings."""
    for label in dict.fromkeys(x for x in (text.label, text.label_zh) if x):
        yield label, None, "label"
    for value in text.resource_strings[:MAX_STRINGS]:
        if value and not looks_like_list(value):
            yield value, None, "resource"
    for hit in text.dex_texts:
        callers = hit.app_callers
        if callers and not looks_like_list(hit.value):
            yield hit.value, Found("dex", "", f"{hit.dex} {callers[0]}"), "dex"


@lru_cache(maxsize=1)
def _matchers() -> dict[str, Matcher]:
    return {place: Matcher(red_flag_terms(), place) for place in ("label", "resource", "dex")}


def find_promises(text: AppText) -> Promises:
    """Red flags and loan terms in the app's own texts; never raises on hostile strings."""
    matchers = _matchers()
    flags: list[RedFlag] = []
    terms: list[LoanTerm] = []
    seen_flags: set[tuple[str, str, str]] = set()
    seen_terms: set[tuple[str, float | None, str]] = set()
    for value, partial, place in _texts(text):
        detail = partial.detail if partial else ""
        for hit in matchers[place].find(value):
            term = hit.term
            if (term.id, term.text, place) in seen_flags:
                continue
            seen_flags.add((term.id, term.text, place))
            found = Found(place, quote(hit.text, hit.start, hit.end, 60), detail)
            flags.append(RedFlag(term.id, term.text, term.lang, term.source, found))
        for kind, number, start, end in extract_terms(value):
            shown = quote(value, start, end, 60)
            if (kind, number, shown) in seen_terms:
                continue
            seen_terms.add((kind, number, shown))
            terms.append(LoanTerm(kind, number, Found(place, shown, detail)))
    return Promises(tuple(flags[:MAX_HITS]), tuple(terms[:MAX_HITS]))


def extract_terms(value: str) -> list[tuple[str, float | None, int, int]]:
    """(kind, number, start, end) of the loan terms in one string (cut to 2,000 characters)."""
    value = value[:2000]
    out: list[tuple[str, float | None, int, int]] = []
    for m in _DAYS.finditer(value):
        days = _number(m.group(1) or m.group(2))
        window = value[max(0, m.start() - 25) : m.end() + 25]
        if days is not None and 0 < days <= 366 and _PERIOD_CONTEXT.search(window):
            out.append(("repayment_days", days, m.start(), m.end()))
    for m in _PERCENT.finditer(value):
        rate = _number(m.group(1))
        before = value[max(0, m.start() - 25) : m.start()]
        after = value[m.end() : m.end() + 25]
        if rate is not None and (_PER_DAY_BEFORE.search(before) or _PER_DAY_AFTER.search(after)):
            out.append(("daily_interest", rate, m.start(), m.end()))
    for m in _UPFRONT.finditer(value):
        near = _PERCENT.search(value, max(0, m.start() - 30), min(len(value), m.end() + 30))
        out.append(("upfront_fee", _number(near.group(1)) if near else None, m.start(), m.end()))
    return out


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None
