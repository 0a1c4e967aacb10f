"""Compare a loan's computed cost with the caps of the chosen jurisdictions.

Why a plain result per fact: the complaint shows each rule next to the loan's figure, in the reader's language, and
must never overstate. So every applicable fact yields a :class:`CapCheck` with ids and numbers only: the limit, the
loan's figure in the same unit, exceeded yes / no / not applicable (with the reason id), the most the lender could
charge under the cap on this loan, and the amount over it. ``verification`` is the weakest tag among the fact and
the parameter it used (e.g. the LPR), so a memory-tagged input can never pass as a citation.

Rate caps are judged on the loan's rate on the money received (for a schedule, its IRR). The money figure
``max_cost`` is then the cap applied to the whole amount received for the whole term; for an instalment loan the
borrower owed less than that on average, so the real excess is at least ``over_by`` (``over_is_lower_bound``).
Daily-rate caps use the regulator's simple formula ``cost / (base x days)`` and total-cost caps ``cost / base``,
on the base the rule names (the contract amount where it says so, else the amount received).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from apkscan.complaint.caps import TAG_RANK, CapFact, LoanCaps, ParameterValue
from apkscan.complaint.loan_cost import DAYS_PER_MONTH, DAYS_PER_YEAR, LoanCost, add_months

#: Reason ids when ``exceeded`` is None, besides the fact's own ``not_comparable`` id.
NOT_APPLICABLE = (
    "no-numeric-limit",
    "contract-amount-unknown",
    "outside-scope-principal",
    "outside-scope-term",
    "not-in-force-on-date",
    "parameter-unknown-for-date",
)
_RESULT_UNIT = {
    "percent-per-year": "per-year",
    "times-parameter": "per-year",
    "percent-per-month": "per-month",
    "percent-per-day": "per-day",
    "percent-of-base": "of-base",
    "days": "days",
}
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CapCheck:
    """One fact compared with one loan. Rates are fractions (0.12 = 12%), money in the loan's currency."""

    fact: CapFact
    exceeded: bool | None  # True: the rule is broken; None: not applicable, see ``reason``
    reason: str  # an id of NOT_APPLICABLE or the fact's ``not_comparable``; "" when compared
    limit: float | None  # the cap in ``unit`` (for 4 x LPR: 4 x the LPR in force, e.g. 0.12)
    unit: str  # per-year | per-month | per-day | of-base | days | money | ""
    figure: float | None  # the loan's figure in ``unit``; None for an effective rate too large to represent
    base: str  # received | contract | "" (the amount money limits are computed on)
    base_amount: float | None
    max_cost: float | None  # the most the lender could charge under the cap for this base and term
    over_by: float | None  # cost - max_cost (a deduction's amount for a deduction ban) when exceeded
    over_is_lower_bound: bool  # True for rate caps on instalment loans: the excess is at least ``over_by``
    parameter: ParameterValue | None  # the parameter value used (e.g. the LPR on the loan date)
    verification: str  # weakest of the fact's and the parameter's tags

    @property
    def fact_id(self) -> str:
        return self.fact.id

    @property
    def unverified(self) -> bool:
        """Memory-tagged: show as an unverified lead, never cite."""
        return self.verification == "memory"


def _weakest(*tags: str) -> str:
    return min(tags, key=TAG_RANK.__getitem__)


def _within_months(cost: LoanCost, months: int) -> bool:
    if cost.start is not None:
        return date.fromordinal(cost.start.toordinal() + cost.term_days) <= add_months(cost.start, months)
    return cost.term_days <= months * DAYS_PER_MONTH + _TOLERANCE


def _scope_reason(fact: CapFact, cost: LoanCost, day: date) -> str:
    if (fact.in_force_from and day < fact.in_force_from) or (fact.in_force_until and day > fact.in_force_until):
        return "not-in-force-on-date"
    principal = cost.contract_amount if cost.contract_amount is not None else cost.received
    if fact.max_principal is not None and principal > fact.max_principal:
        return "outside-scope-principal"
    if fact.max_term_months is not None and not _within_months(cost, fact.max_term_months):
        return "outside-scope-term"
    if fact.min_term_months is not None and _within_months(cost, fact.min_term_months):
        return "outside-scope-term"
    return ""


def _breaks(figure: float, limit: float, at_limit: bool, ban_below: bool = False) -> bool:
    """Whether ``figure`` breaks a ceiling ``limit`` (or a floor when ``ban_below``), with a float tolerance."""
    slack = abs(limit) * _TOLERANCE
    if ban_below:
        return figure <= limit + slack if at_limit else figure < limit - slack
    return figure >= limit - slack if at_limit else figure > limit + slack


def _rate_figures(fact: CapFact, cost: LoanCost, cap: float) -> tuple[float | None, float]:
    """The loan's rate in the cap's unit and the most it could cost at the cap over its term."""
    period = DAYS_PER_YEAR if fact.kind == "annual-rate-cap" else DAYS_PER_MONTH
    periods = cost.term_days / period
    if fact.measure == "nominal":
        figure: float | None = cost.nominal_apr * period / DAYS_PER_YEAR
        return figure, cost.received * cap * periods
    if fact.kind == "annual-rate-cap":
        figure = cost.effective_apr
    else:
        figure = cost.compound_rate_over(DAYS_PER_MONTH)
    return figure, cost.received * math.expm1(math.log1p(cap) * periods)


def _check(fact: CapFact, caps: LoanCaps, cost: LoanCost, day: date) -> CapCheck:
    unit = _RESULT_UNIT.get(fact.unit, "money" if fact.kind == "upfront-deduction" else "")
    check = CapCheck(fact, None, "", None, unit, None, "", None, None, None, False, None, fact.verification)
    reason = _scope_reason(fact, cost, day)
    if fact.kind == "upfront-deduction":
        check = replace(check, limit=0.0, figure=cost.deduction)
        reason = reason or fact.not_comparable or ("contract-amount-unknown" if cost.deduction is None else "")
        if reason or cost.deduction is None:
            return replace(check, reason=reason or "contract-amount-unknown")
        exceeded = cost.deduction > (cost.contract_amount or 0) * _TOLERANCE
        return replace(check, exceeded=exceeded, over_by=cost.deduction if exceeded else None)
    if fact.limit is None:
        return replace(check, reason=reason or "no-numeric-limit")
    limit = fact.limit if fact.unit == "days" else fact.limit / 100
    if fact.parameter:
        value = caps.parameters[fact.parameter].at(day)
        if value is None:
            return replace(check, reason=reason or "parameter-unknown-for-date")
        limit = fact.limit * value.value / 100
        check = replace(check, parameter=value, verification=_weakest(fact.verification, value.verification))
    check = replace(check, limit=limit)
    if reason or fact.not_comparable:
        return replace(check, reason=reason or fact.not_comparable)
    if fact.unit == "days":
        broken = _breaks(cost.term_days, limit, fact.banned_at_limit, ban_below=fact.kind == "short-term-ban")
        return replace(check, figure=float(cost.term_days), exceeded=broken)
    use_contract = fact.base == "contract" and cost.contract_amount is not None
    base_amount = cost.contract_amount if use_contract and cost.contract_amount is not None else cost.received
    figure: float | None
    if fact.kind == "daily-rate-cap":
        figure, max_cost = cost.cost / (base_amount * cost.term_days), base_amount * limit * cost.term_days
    elif fact.kind == "total-cost-cap":
        figure, max_cost = cost.cost / base_amount, base_amount * limit
    else:
        figure, max_cost = _rate_figures(fact, cost, limit)
    exceeded = figure is None or _breaks(figure, limit, fact.banned_at_limit)
    over = cost.cost - max_cost
    return replace(
        check,
        figure=figure,
        exceeded=exceeded,
        base="contract" if use_contract else "received",
        base_amount=base_amount,
        max_cost=max_cost,
        over_by=over if exceeded and over > 0 else None,
        over_is_lower_bound=cost.kind == "schedule" and fact.kind in ("annual-rate-cap", "monthly-rate-cap"),
    )


def compare_caps(
    cost: LoanCost, caps: LoanCaps, jurisdictions: Iterable[str], on: date | None = None
) -> tuple[CapCheck, ...]:
    """Check ``cost`` against every fact of ``jurisdictions`` (in that order), as of ``on``.

    ``on`` is the loan date that decides which caps and parameter values were in force; it defaults to the
    schedule's first date, else today (a single repayment carries no date).
    """
    day = on or cost.start or date.today()
    return tuple(_check(fact, caps, cost, day) for fact in caps.for_jurisdictions(jurisdictions))
