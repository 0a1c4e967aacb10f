"""Loan cost on the money actually received: single repayments, schedules, the IRR solver and bad input.

The expected figures are computed by hand (each test says how); the code must reproduce them, not the other way
round.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from apkscan.complaint.errors import LoanCostError
from apkscan.complaint.loan_cost import schedule_cost, single_repayment
from apkscan.complaint.schedule import CashFlow, parse_schedule, read_schedule


def test_seven_day_loan_with_upfront_deduction() -> None:
    """Contract 3,000, received 2,100, repay 3,000 after 7 days.

    period rate = 3000/2100 - 1 = 0.428571 (42.857%); simple APR = 0.428571 x 365/7 = 22.347 (2,234.7%);
    effective = 1.428571 ** (365/7) - 1 = e ** (0.356675 x 52.142857) - 1 = e ** 18.598 - 1 = 1.194e8;
    lender's framing on the contract = 900/3000 x 365/7 = 15.643 (1,564.3%); deduction 3000 - 2100 = 900.
    """
    cost = single_repayment(2100, 3000, 7, contract_amount=3000)
    assert cost.cost == 900
    assert cost.deduction == 900
    assert cost.period_rate == pytest.approx(0.428571, abs=5e-7)
    assert round(cost.nominal_apr * 100, 1) == 2234.7
    assert cost.effective_apr == pytest.approx(1.194e8, rel=1e-3)
    assert 1.19e8 <= cost.effective_apr < 1.20e8
    assert round(cost.contract_rate * 100, 1) == 1564.3
    assert cost.unit == "term" and cost.periods_per_year == pytest.approx(365 / 7)
    assert not cost.effective_too_large
    # Philippine-style monthly EIR: 1.428571 ** (30.4167/7) - 1 = 3.71 (371% a month)
    assert round(cost.compound_rate_over(365 / 12) * 100) == 371


def test_interest_free_loan_has_zero_rates() -> None:
    cost = single_repayment(1000, 1000, 30)
    assert (cost.cost, cost.period_rate, cost.nominal_apr, cost.effective_apr) == (0, 0, 0, 0)


def test_effective_rate_too_large_is_none_but_its_size_is_kept() -> None:
    """Received 1, repay 1,000,000 after 1 day: 1 + effective = 1e6 ** 365 = 10 ** 2190, beyond any float."""
    cost = single_repayment(1, 1_000_000, 1)
    assert cost.effective_apr is None and cost.effective_too_large
    assert cost.effective_log10 == pytest.approx(2190)
    assert cost.nominal_apr == pytest.approx(999_999 * 365)


def test_four_weekly_instalments_match_the_fact_sheet() -> None:
    """Received 2,100, then 800 each week for four weeks (3,200 in all).

    2100 = 800 x (v + v^2 + v^3 + v^4) with v = 1/(1+i) gives i = 19.27% a week; nominal = 19.27% x 52 = 1,002%;
    effective = 1.1927 ** 52 - 1 = 9,538 (about 953,800%), 52 weeks to the year as Annex I allows.
    """
    flows = parse_schedule("date,amount\n2026-01-01,-2100\n2026-01-08,800\n2026-01-15,800\n2026-01-22,800\n"
                           "2026-01-29,800\n")  # fmt: skip
    cost = schedule_cost(flows)
    assert cost.unit == "week" and cost.periods_per_year == 52
    assert round(cost.period_rate * 100, 2) == 19.27
    assert round(cost.nominal_apr * 100) == 1002
    assert cost.effective_apr == pytest.approx(9538, rel=1e-3)
    assert (cost.received, cost.repaid, cost.cost, cost.term_days) == (2100, 3200, 1100, 28)
    assert cost.start == date(2026, 1, 1)


def test_six_monthly_instalments_computed_by_hand() -> None:
    """Received 1,844.64 on 31 Jan 2026, then 625 on the last day of each of the next six months.

    With i = 25% a month, v = 1/1.25 = 0.8 and v + v^2 + ... + v^6 = 0.8 + 0.64 + 0.512 + 0.4096 + 0.32768 +
    0.262144 = 2.951424; 625 x 2.951424 = 1,844.64, exactly the amount received, so the monthly IRR is 25%.
    Nominal APR = 25% x 12 = 300%. Effective = 1.25 ** 12 - 1: 1.25^2 = 1.5625, ^4 = 2.44140625,
    ^8 = 5.96046448, ^12 = 5.96046448 x 2.44140625 = 14.5519152, so 13.5519152 (1,355.19%).
    The dates are calendar months clamped to month ends (28 Feb, 30 Apr, 30 Jun), which must still count as a
    monthly schedule. Cost = 6 x 625 - 1,844.64 = 1,905.36; term = 31 Jan to 31 Jul = 181 days.
    With a contract amount of 2,000 the deduction is 155.36 and the lender's framing is
    1,905.36 / 2,000 x 365/181 = 0.95268 x 2.016575 = 1.92115 (192.1%).
    """
    rows = ["2026-01-31,-1844.64"] + [f"{d},625" for d in
            ("2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31")]  # fmt: skip
    cost = schedule_cost(parse_schedule("\n".join(rows)), contract_amount=2000)
    assert cost.unit == "month" and cost.periods_per_year == 12
    assert cost.period_rate == pytest.approx(0.25, abs=1e-9)
    assert cost.nominal_apr == pytest.approx(3.0, abs=1e-8)
    assert cost.effective_apr == pytest.approx(13.5519152, abs=1e-6)
    assert cost.cost == pytest.approx(1905.36)
    assert cost.term_days == 181
    assert cost.deduction == pytest.approx(155.36)
    assert cost.contract_rate == pytest.approx(1.92115, abs=1e-5)


def test_two_date_schedule_equals_the_single_repayment_formula() -> None:
    """One receipt and one repayment: the unit period is the term (365/7 a year), as for a single repayment."""
    cost = schedule_cost(parse_schedule("2026-03-01,-2100\n2026-03-08,3000\n"))
    single = single_repayment(2100, 3000, 7)
    assert cost.unit == "term"
    assert cost.nominal_apr == pytest.approx(single.nominal_apr, rel=1e-12)
    assert cost.effective_apr == pytest.approx(single.effective_apr, rel=1e-9)


def test_same_day_fee_counts_as_cost_and_nets_the_first_period() -> None:
    """Received 2,100, paid a 100 'service fee' the same day, repaid 3,000 a week later: 2,000 net out,
    3,000 back, so the rate is 3000/2000 - 1 = 50% for the week, and the cost is 1,000."""
    cost = schedule_cost(parse_schedule("2026-03-01,-2100\n2026-03-01,100\n2026-03-08,3000\n"))
    assert cost.cost == 1000
    assert cost.period_rate == pytest.approx(0.5, rel=1e-12)


def test_irregular_schedule_uses_days_and_its_rate_zeroes_the_npv() -> None:
    """Payments after 10 and 25 days: no common period, so the unit is a day (365 a year). The returned daily
    rate must make the discounted payments equal the money received."""
    cost = schedule_cost(parse_schedule("2026-01-01,-1000\n2026-01-11,600\n2026-01-26,600\n"))
    assert cost.unit == "day" and cost.periods_per_year == 365
    npv = -1000 + 600 / (1 + cost.period_rate) ** 10 + 600 / (1 + cost.period_rate) ** 25
    assert abs(npv) < 1e-7
    assert cost.nominal_apr == pytest.approx(cost.period_rate * 365)
    assert cost.effective_apr == pytest.approx((1 + cost.period_rate) ** 365 - 1, rel=1e-9)


def test_schedule_reader_tolerates_bom_blank_lines_comments_header_and_encodings(tmp_path: Path) -> None:
    text = '\ufeff日期,金额\n\n# loan of 1 March\n 2026-03-01 , -2100 \n\n"2026-03-08","3000",\n'
    expected = (CashFlow(date(2026, 3, 1), -2100.0, 4), CashFlow(date(2026, 3, 8), 3000.0, 6))
    for encoding in ("utf-8", "gb18030", "utf-16"):
        path = tmp_path / f"s-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert read_schedule(path) == expected
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"date,amount\r\n2026-03-01,-2100\r\n2026-03-08,3000\r\n")
    assert [f.amount for f in read_schedule(crlf)] == [-2100, 3000]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-01-01,-2100\n2026-01-15,800\n2026-01-08,800\n", "line 3: date 2026-01-08 is earlier"),
        ("date,amount\n2026-01-01,-2100\n2026/01/08,800\n", "line 3: '2026/01/08' is not a date"),
        ('2026-01-01,-2100\n2026-01-08,"1,200"\n', "line 2: amount '1,200' is not a number"),
        ("2026-01-01,-2100\n2026-01-08,0\n", "line 2: amount must not be zero"),
        ("2026-01-01,-2100\n2026-01-08\n", "line 2: expected two cells"),
        ("2026-01-01,-2100,x\n", "line 1: expected two cells"),
        ("2026-01-08,800\n2026-01-09,-2100\n", "line 1: the schedule must start with the money you received"),
        ("2026-01-01,-2100\n2026-01-02,-100\n", "no repayment"),
        ("date,amount\n\n", "no money received"),
        ("2026-01-01,-2100\n2026-01-08,1000\n", "less than the 2100 received"),
        ("2026-01-01,-2100\n2026-01-01,2100\n2026-01-08,100\n", "the IRR does not exist"),
        ("2026-01-01,-2100\n2026-01-01,2200\n", "all money moves on the same day"),
        # -1000 x^3 + 3600 x^2 - 4310 x + 1716 = -1000 (x - 1.1)(x - 1.2)(x - 1.3): IRRs of 10%, 20% and 30%
        ("2026-01-01,-1000\n2026-01-08,3600\n2026-01-15,-4310\n2026-01-22,1716\n", "more than one interest rate"),
    ],
)
def test_bad_schedules_fail_in_one_line_naming_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(LoanCostError) as err:
        schedule_cost(parse_schedule(text, "loan.csv"))
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message


def test_unreadable_and_oversized_schedule_files(tmp_path: Path) -> None:
    with pytest.raises(LoanCostError, match="cannot read the schedule"):
        read_schedule(tmp_path / "missing.csv")
    big = tmp_path / "big.csv"
    big.write_bytes(b"2026-01-01,-1\n" * 100_000)
    with pytest.raises(LoanCostError, match="larger than 1024 KiB"):
        read_schedule(big)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81\x81")
    with pytest.raises(LoanCostError, match="not a text file"):
        read_schedule(binary)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((0, 3000, 7), "received: must be more than 0, got 0"),
        ((-2100, 3000, 7), "received: must be more than 0, got -2100"),
        ((2100, -5, 7), "repay: must be more than 0"),
        ((2100, 3000, 0), "days: must be at least 1, got 0"),
        ((2100, 3000, -3), "days: must be at least 1"),
        ((2100, 3000, 7.5), "days: must be a whole number"),
        ((2100, 3000, True), "days: must be a whole number"),
        ((math.nan, 3000, 7), "received: must be a number"),
        ((2100, math.inf, 7), "repay: must be a number"),
        ((3000, 2100, 7), "repay (2100) is less than received (3000)"),
    ],
)
def test_bad_single_repayment_figures(args: tuple, fragment: str) -> None:
    with pytest.raises(LoanCostError) as err:
        single_repayment(*args)
    assert fragment in str(err.value)


def test_contract_amount_must_cover_the_amount_received() -> None:
    with pytest.raises(LoanCostError, match=r"contract amount \(2000\) is less than the amount received \(2100\)"):
        single_repayment(2100, 3000, 7, contract_amount=2000)
    with pytest.raises(LoanCostError, match="contract amount: must be more than 0"):
        single_repayment(2100, 3000, 7, contract_amount=0)
    assert single_repayment(2100, 3000, 7, contract_amount=2100).deduction == 0
