"""Which DEX strings the code scan should hand to the lender checks: a few byte anchors and an exact test.

Searching the string area of a big app costs about 1 ms per megabyte per needle, and every string
kept becomes a target of the bytecode search for its callers. So the scan looks for a short list of
anchors (a loan word's stem, one distinctive character of each Chinese or Hindi phrase, a "day"
word next to a term) and keeps a string only when the lending vocabulary, a red flag or a loan-term
pattern really matches it. :func:`uncovered` checks that the anchors cover every term the checks
look for in DEX strings (a test runs it), so adding a term to the data without an anchor is caught.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from apkscan.evaluate.lending import DEX_MIN_WEIGHT
from apkscan.evaluate.promises import extract_terms
from apkscan.knowledge.lender_data import default_vocabulary, red_flag_terms
from apkscan.knowledge.terms import Matcher, Term

#: Lower-case ASCII or UTF-8; ``find_candidates`` lower-cases ASCII of the string area before searching.
ANCHORS: tuple[str, ...] = (
    # lending words (en, id, es, sw)
    "loan",
    "lend",
    "borrow",
    "payday",
    "cash advance",
    "pinj",
    "kredit tanpa",
    "dana tunai",
    "presta",
    "préstamo",
    "crédito rápido",
    "credito rapido",
    "mkopo",
    "mikopo",
    "kopa",
    # red flags
    "approv",
    "aprobaci",
    "blacklist",
    "bad credit",
    "credit check",
    "cair",
    "bi checking",
    "slik",
    "sin bur",
    "crb",
    "idhini",
    "disetujui",
    "hitam",
    # loan terms
    "day",
    "daily",
    "hari",
    "día",
    "dias",
    "diari",
    "siku",
    "deduct",
    "withheld",
    "up front",
    "upfront",
    "in advance",
    "dipotong",
    "itakatwa",
    "inakatwa",
    "kukatwa",
    "descontad",
    "deducid",
    # Chinese and Hindi: one distinctive character or word of each phrase
    "贷",
    "借",
    "款",
    "秒批",
    "黑户",
    "征信",
    "逾期",
    "无条件",
    "天",
    "息",
    "利率",
    "每",
    "扣",
    "लोन",
    "ऋण",
    "कर्ज",
    "उधार",
    "दिन",
    "मंज़ूरी",
    "क्रेडिट",
    "काट",
)


@lru_cache(maxsize=1)
def _dex_terms() -> tuple[Term, ...]:
    lending = tuple(t for t in default_vocabulary().terms if "dex" in t.places and t.weight >= DEX_MIN_WEIGHT)
    return lending + red_flag_terms()


@lru_cache(maxsize=1)
def dex_text_filter() -> tuple[tuple[bytes, ...], Callable[[str], bool]]:
    """(needles, keep) for ``scan_code(text_needles=..., text_match=...)``."""
    matcher = Matcher(_dex_terms(), "dex")

    def keep(value: str) -> bool:
        return bool(matcher.find(value)) or bool(extract_terms(value))

    return tuple(a.encode("utf-8") for a in ANCHORS), keep


def uncovered() -> list[str]:
    """Terms searched in DEX strings that contain no anchor (they would never be found)."""
    return [t.text for t in _dex_terms() if not any(a in t.text.lower() for a in ANCHORS)]
