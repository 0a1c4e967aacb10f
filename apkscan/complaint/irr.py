"""Internal rate of return of a cash-flow schedule, solved by bracketing and bisection in pure Python.

Why not numpy/scipy: a loan schedule has a handful of flows, and what matters is robustness, not speed. Loan-app
rates are extreme (40% a week), so Newton's method from a guess can overshoot into nonsense; bisection on
``x = ln(1 + i)`` cannot. Working with ``x >= 0`` keeps every term ``amount * exp(-x * t)`` between 0 and the amount,
so nothing overflows however large the rate is. The caller has already checked that at least as much was repaid
as was received, which puts the rate at ``x >= 0``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from apkscan.complaint.errors import LoanCostError

_GRID = 512  # sample points used to detect a second root (a schedule with money received after repayments)
_MAX_EXP = 745.0  # exp(-x) underflows to 0.0 beyond this


def _npv(flows: Sequence[tuple[float, float]], x: float) -> float:
    return math.fsum(amount * math.exp(-x * t) for t, amount in flows)


def solve_log_rate(flows: Sequence[tuple[float, float]]) -> float:
    """Return ``x = ln(1 + i)`` where ``i`` is the rate per unit period that makes the net present value zero.

    ``flows`` are ``(t, amount)`` pairs: ``t`` in unit periods from the first flow (>= 0), money received negative,
    repayments positive. Raises :class:`LoanCostError` when no rate, or more than one, fits.
    """
    total = math.fsum(amount for _, amount in flows)
    scale = math.fsum(abs(amount) for _, amount in flows)
    if total < 0:
        raise LoanCostError("less was repaid than was received, so there is no positive interest rate to compute")
    if total <= scale * 1e-12:
        return 0.0
    positive_times = [t for t, _ in flows if t > 0]
    if not positive_times:
        raise LoanCostError("all money moves on the same day, so no interest rate (IRR) exists")
    limit = _MAX_EXP / min(positive_times)
    hi = 1.0
    while _npv(flows, hi) >= 0:
        if hi >= limit:
            raise LoanCostError(
                "no interest rate makes the repayments equal to the money received (the IRR does not exist); "
                "check the schedule's first rows"
            )
        hi = min(hi * 2.0, limit)
    signs = [_npv(flows, hi * k / _GRID) > 0 for k in range(_GRID + 1)]
    changes = sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)
    if changes != 1:
        raise LoanCostError(
            "more than one interest rate fits this schedule (money received again after repayments); "
            "give each loan its own schedule"
        )
    k = next(k for k in range(_GRID) if signs[k] != signs[k + 1])
    lo, hi = hi * k / _GRID, hi * (k + 1) / _GRID
    for _ in range(400):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _npv(flows, mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
