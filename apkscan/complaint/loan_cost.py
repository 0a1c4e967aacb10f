"""What a loan really cost, annualised on the money the borrower actually RECEIVED.

Why the base is the amount received: an up-front deduction ("砍头息") is a cost, not principal. China's Civil Code
Art. 670 and the SPC private-lending Provisions Art. 26, the PBoC's 2021 disclosure rule, the Philippine EIR
definition ("net amount of loan proceeds") and the EU/US APR rules all count only the cash advanced. The lender's
framing (cost over the contract amount) is computed too, only so the complaint can show how much it understates.

Formulas:

* single repayment, received ``R``, repaid ``A`` after ``d`` days: period rate ``A/R - 1``; nominal (simple) APR
  ``(A/R - 1) * 365/d``; effective annual rate ``(A/R) ** (365/d) - 1``;
* schedule: the IRR ``i`` per unit period solves ``sum(CF_j * (1+i) ** -t_j) = 0``; nominal APR ``i * periods per
  year`` (US Regulation Z Appendix J); effective APR ``(1+i) ** periods per year - 1`` (EU Directive 2008/48/EC
  Annex I, which counts a year as 365 days, 52 weeks or 12 equal months).

The unit period follows the schedule (Appendix J's "most common period"): one receipt date and one repayment date
-> the term itself (``365/d`` periods a year, the same figures as a single repayment); all gaps whole weeks -> a
week (52 a year); all dates whole calendar months from the first -> a month (12 a year); otherwise a day (365).
An effective rate too large for a float is ``None``; ``effective_log10`` always holds its size.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from apkscan.complaint.errors import LoanCostError
from apkscan.complaint.irr import solve_log_rate
from apkscan.complaint.schedule import CashFlow

DAYS_PER_YEAR = 365.0
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
#: ``1 + effective APR`` above ``10 ** EFFECTIVE_MAX_LOG10`` is reported as too large (``effective_apr = None``).
EFFECTIVE_MAX_LOG10 = 300.0
UNITS = ("term", "day", "week", "month")


@dataclass(frozen=True)
class LoanCost:
    """The cost of one loan. Rates are fractions (``0.4286`` = 42.86%); money is in the loan's currency."""

    kind: str  # "single" | "schedule"
    received: float  # total money the borrower received
    repaid: float  # total repaid (including fees paid separately)
    cost: float  # repaid - received
    contract_amount: float | None  # the figure written in the contract, when given
    deduction: float | None  # contract_amount - received (the up-front deduction), when the contract is given
    term_days: int  # days from the first money received to the last repayment
    start: date | None  # date of the first money received (schedules only)
    unit: str  # unit period: one of UNITS
    unit_days: float  # length of the unit period in days (a month counts 365/12)
    periods_per_year: float
    period_rate: float  # rate per unit period (the IRR for a schedule)
    nominal_apr: float  # period_rate * periods_per_year
    effective_apr: float | None  # (1 + period_rate) ** periods_per_year - 1; None when too large to represent
    effective_log10: float  # log10(1 + effective APR), finite even when effective_apr is None
    contract_rate: float | None  # lender's framing: cost / contract_amount * 365 / term_days (simple)
    flows: tuple[CashFlow, ...] = ()

    @property
    def effective_too_large(self) -> bool:
        return self.effective_apr is None

    @property
    def daily_rate(self) -> float:
        """Compound rate per day equivalent to the unit-period rate."""
        return math.expm1(math.log1p(self.period_rate) / self.unit_days)

    def compound_rate_over(self, days: float) -> float | None:
        """The rate that accrues over ``days`` days at this loan's IRR (e.g. a monthly EIR with 365/12 days);
        ``None`` when it is too large to represent, like ``effective_apr``."""
        growth = math.log1p(self.period_rate) * days / self.unit_days
        return math.expm1(growth) if growth / math.log(10) <= EFFECTIVE_MAX_LOG10 else None


def _amount(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LoanCostError(f"{name}: must be a number, got {value!r}")
    if value <= 0:
        raise LoanCostError(f"{name}: must be more than 0, got {value:g}")
    return float(value)


def _contract(contract_amount: Any, received: float) -> tuple[float | None, float | None]:
    if contract_amount is None:
        return None, None
    contract = _amount("contract amount", contract_amount)
    if contract < received:
        raise LoanCostError(
            f"contract amount ({contract:g}) is less than the amount received ({received:g}); the contract amount "
            "is the figure in the contract, before any deduction"
        )
    return contract, contract - received


def _build(
    kind: str,
    received: float,
    repaid: float,
    contract: Any,
    term_days: int,
    unit: str,
    unit_days: float,
    periods_per_year: float,
    log_rate: float,
    start: date | None,
    flows: tuple[CashFlow, ...],
) -> LoanCost:
    contract_amount, deduction = _contract(contract, received)
    cost = repaid - received
    growth = log_rate * periods_per_year
    effective_log10 = growth / math.log(10)
    effective = math.expm1(growth) if effective_log10 <= EFFECTIVE_MAX_LOG10 else None
    period_rate = math.expm1(log_rate)
    return LoanCost(
        kind=kind,
        received=received,
        repaid=repaid,
        cost=cost,
        contract_amount=contract_amount,
        deduction=deduction,
        term_days=term_days,
        start=start,
        unit=unit,
        unit_days=unit_days,
        periods_per_year=periods_per_year,
        period_rate=period_rate,
        nominal_apr=period_rate * periods_per_year,
        effective_apr=effective,
        effective_log10=effective_log10,
        contract_rate=None if contract_amount is None else cost / contract_amount * DAYS_PER_YEAR / term_days,
        flows=flows,
    )


def single_repayment(received: float, repay: float, days: int, contract_amount: float | None = None) -> LoanCost:
    """Cost of a loan repaid in one payment ``repay`` after ``days`` days, of which ``received`` was paid out.

    ``repay`` below ``received`` is refused (the figures are probably swapped; a loan app never charges less than
    nothing); equal figures are an interest-free loan with every rate 0.
    """
    got = _amount("received", received)
    paid = _amount("repay", repay)
    if isinstance(days, bool) or not isinstance(days, int):
        raise LoanCostError(f"days: must be a whole number of days, got {days!r}")
    if days <= 0:
        raise LoanCostError(f"days: must be at least 1, got {days}")
    if paid < got:
        raise LoanCostError(
            f"repay ({paid:g}) is less than received ({got:g}): that is no cost at all; check the two are not swapped"
        )
    per_year = DAYS_PER_YEAR / days
    return _build(
        "single", got, paid, contract_amount, days, "term", float(days), per_year, math.log(paid / got), None, ()
    )


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, the day clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _unit_times(days: Sequence[date]) -> tuple[str, float, float, list[float]]:
    """Choose the unit period for the distinct dates ``days`` and give each date's time in unit periods."""
    first = days[0]
    offsets = [(d - first).days for d in days]
    if len(days) == 2:
        return "term", float(offsets[1]), DAYS_PER_YEAR / offsets[1], [0.0, 1.0]
    if all(offset % 7 == 0 for offset in offsets):
        return "week", 7.0, 52.0, [offset / 7 for offset in offsets]
    months = [(d.year - first.year) * 12 + d.month - first.month for d in days]
    if all(add_months(first, m) == d for m, d in zip(months, days, strict=True)):
        return "month", DAYS_PER_MONTH, 12.0, [float(m) for m in months]
    return "day", 1.0, DAYS_PER_YEAR, [float(offset) for offset in offsets]


def schedule_cost(flows: Sequence[CashFlow], contract_amount: float | None = None) -> LoanCost:
    """Cost of an instalment schedule (see :func:`apkscan.complaint.schedule.read_schedule`)."""
    flows = tuple(flows)
    if not any(f.amount < 0 for f in flows) or not any(f.amount > 0 for f in flows):
        raise LoanCostError("a schedule needs money received (negative) and at least one repayment (positive)")
    if any(b.day < a.day for a, b in zip(flows, flows[1:], strict=False)):
        raise LoanCostError("the schedule's dates are not in order")
    received = math.fsum(-f.amount for f in flows if f.amount < 0)
    repaid = math.fsum(f.amount for f in flows if f.amount > 0)
    if repaid < received:
        raise LoanCostError(
            f"the schedule repays {repaid:g}, less than the {received:g} received: that is no cost at all; "
            "check the signs (received negative, repaid positive)"
        )
    days = sorted({f.day for f in flows})
    if len(days) < 2:
        raise LoanCostError("all money moves on the same day, so no interest rate (IRR) exists")
    unit, unit_days, per_year, times = _unit_times(days)
    at = dict(zip(days, times, strict=True))
    log_rate = solve_log_rate([(at[f.day], f.amount) for f in flows])
    term = (days[-1] - days[0]).days
    return _build(
        "schedule", received, repaid, contract_amount, term, unit, unit_days, per_year, log_rate, days[0], flows
    )
