"""Compare the loan terms an app shows with the facts of ``apkscan/data/loan_caps.toml`` that a single term breaks.

Only what one printed term proves is judged, with the same facts the complaint's loan-cost section uses (one table,
one source per rule): a 7-day repayment period breaks Google Play's 60-day minimum (``short-term-ban``); "1% per
day" is a simple APR of 365 %, above every annual cap (``annual-rate-cap``), and compared with daily and monthly caps
in their own unit and measure; a fee deducted before payout is what an ``upfront-deduction`` rule forbids. Facts that
cannot be compared with one term (a fee breakdown is needed, the limit is not quantified), facts not in force on the
scan date and unconfirmed (``memory``) facts are left out, so every breach cites a verified or secondary rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from apkscan.evaluate.promises import LoanTerm
from apkscan.model.caps import CapFact, Parameter

#: Which kind of fact each kind of term can break.
COMPARED = {
    "repayment_days": ("short-term-ban",),
    "daily_interest": ("daily-rate-cap", "monthly-rate-cap", "annual-rate-cap"),
    "upfront_fee": ("upfront-deduction",),
}
_PERIOD_DAYS = {"daily-rate-cap": 1, "monthly-rate-cap": 30, "annual-rate-cap": 365}
#: Facts bound to a kind of institution or loan the app's text cannot show (a bank-facilitated loan, a
#: consumer-finance company, a non-performing loan, a nano-loan): not compared with what one app prints.
INSTITUTION_SCOPES = ("bank-facilitated", "consumer-finance", "non-performing", "nano-loans")


@dataclass(frozen=True)
class TermBreach:
    """A loan term the app shows that ``fact`` forbids; ``value`` is what was compared with ``limit`` (days, or a
    rate in percent over the fact's period); both None for a term that breaks the rule by being there at all."""

    fact: CapFact
    term: LoanTerm
    value: float | None = None
    limit: float | None = None


def judge_terms(
    terms: Iterable[LoanTerm],
    facts: Iterable[CapFact],
    parameters: dict[str, Parameter] | None = None,
    on: date | None = None,
    jurisdictions: Collection[str] | None = None,
) -> tuple[TermBreach, ...]:
    """Every (fact, term) pair where the term breaks the fact; each fact once per distinct value."""
    on = on or date.today()
    usable = [f for f in facts if _usable(f, on, jurisdictions)]
    out: list[TermBreach] = []
    seen: set[tuple[str, float | None]] = set()
    for term in terms:
        for fact in usable:
            if fact.kind not in COMPARED.get(term.kind, ()) or (fact.id, term.value) in seen:
                continue
            breach = _breach(fact, term, parameters or {}, on)
            if breach is not None:
                seen.add((fact.id, term.value))
                out.append(breach)
    return tuple(out)


def _usable(fact: CapFact, on: date, jurisdictions: Collection[str] | None) -> bool:
    if fact.unverified or fact.not_comparable or set(fact.scope) & set(INSTITUTION_SCOPES):
        return False
    if jurisdictions and fact.jurisdiction not in jurisdictions:
        return False
    if fact.in_force_from and on < fact.in_force_from:
        return False
    return not (fact.in_force_until and on > fact.in_force_until)


def _breach(fact: CapFact, term: LoanTerm, parameters: dict[str, Parameter], on: date) -> TermBreach | None:
    if fact.kind == "upfront-deduction":
        return TermBreach(fact, term)
    if term.value is None or fact.limit is None:
        return None
    if fact.kind == "short-term-ban":
        broken = term.value <= fact.limit if fact.banned_at_limit else term.value < fact.limit
        return TermBreach(fact, term, term.value, fact.limit) if broken else None
    limit = fact.limit
    if fact.unit == "times-parameter":
        value = parameters[fact.parameter].at(on) if fact.parameter in parameters else None
        if value is None:
            return None
        limit = round(fact.limit * value.value, 4)
    days = _PERIOD_DAYS[fact.kind]
    daily = term.value / 100
    rate = ((1 + daily) ** days - 1) * 100 if fact.measure == "effective" else term.value * days
    rate = round(rate, 2)
    broken = rate >= limit if fact.banned_at_limit else rate > limit
    return TermBreach(fact, term, rate, limit) if broken else None
