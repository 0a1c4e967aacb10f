"""Compare the loan terms an app shows with the rules they break (``apkscan/data/loan_term_rules.toml``).

Only what a single printed term proves is judged: a 7-day repayment period breaks Google Play's
60-day minimum; "1% per day" is a simple APR of 365%, above the caps; a fee deducted before payout is
what China's Civil Code Art. 670 forbids. Each breach carries the rule, its jurisdiction and its
verification tag from ``loan-cost.md``, so a complaint can cite verified and secondary rules and
leave the unconfirmed ones out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from apkscan.evaluate.promises import TERM_KINDS, LoanTerm
from apkscan.evaluate.vocabulary import load_toml
from apkscan.model import JURISDICTIONS

TESTS = ("at_most", "simple_apr_above", "daily_above", "present")
VERIFICATIONS = ("verified", "secondary", "memory")


@dataclass(frozen=True, slots=True)
class TermRule:
    id: str
    term: str
    test: str
    limit: float
    jurisdiction: str
    rule: str
    article: str
    url: str
    verification: str
    item: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class TermBreach:
    """A loan term the app shows that ``rule`` forbids; ``value`` is what was compared with the limit."""

    rule: TermRule
    term: LoanTerm
    value: float | None  # days, simple APR in percent, daily rate in percent; None for "present"


def load_term_rules(path: Path | None = None) -> tuple[TermRule, ...]:
    label, doc = load_toml(path, "loan_term_rules.toml")
    rules = []
    for i, raw in enumerate(doc.get("rule", [])):
        where = f"{label}: [[rule]] #{i + 1}"
        try:
            rule = TermRule(
                id=str(raw["id"]),
                term=str(raw["term"]),
                test=str(raw["test"]),
                limit=float(raw["limit"]),
                jurisdiction=str(raw["jurisdiction"]),
                rule=str(raw["rule"]),
                article=str(raw["article"]),
                url=str(raw["url"]),
                verification=str(raw["verification"]),
                item=int(raw["item"]),
                note=str(raw.get("note", "")),
            )
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"{where}: needs id, term, test, limit, jurisdiction, rule, article, url, verification, item"
            ) from None
        if rule.term not in TERM_KINDS or rule.test not in TESTS:
            raise ValueError(f"{where}: term must be one of {', '.join(TERM_KINDS)}; test one of {', '.join(TESTS)}")
        if rule.jurisdiction not in JURISDICTIONS or rule.verification not in VERIFICATIONS:
            raise ValueError(f"{where}: unknown jurisdiction or verification")
        rules.append(rule)
    if not rules:
        raise ValueError(f"{label}: expected one or more [[rule]] tables")
    return tuple(rules)


@lru_cache(maxsize=1)
def default_term_rules() -> tuple[TermRule, ...]:
    return load_term_rules()


def judge_terms(terms: Iterable[LoanTerm], rules: tuple[TermRule, ...] | None = None) -> tuple[TermBreach, ...]:
    """Every (rule, term) pair where the term shown breaks the rule; each rule once per distinct value."""
    rules = default_term_rules() if rules is None else rules
    out: list[TermBreach] = []
    seen: set[tuple[str, float | None]] = set()
    for term in terms:
        for rule in rules:
            if rule.term != term.kind:
                continue
            value = _breach(rule, term.value)
            if value is False:
                continue
            key = (rule.id, term.value)
            if key in seen:
                continue
            seen.add(key)
            out.append(TermBreach(rule, term, None if value is True else value))
    return tuple(out)


def _breach(rule: TermRule, value: float | None) -> float | bool:
    """The compared value when the rule is broken, True for "present", False when not broken."""
    if rule.test == "present":
        return True
    if value is None:
        return False
    if rule.test == "at_most":
        return value if value <= rule.limit else False
    if rule.test == "simple_apr_above":
        apr = round(value * 365, 2)
        return apr if apr > rule.limit else False
    if rule.test == "daily_above":
        return value if value > rule.limit else False
    return False
