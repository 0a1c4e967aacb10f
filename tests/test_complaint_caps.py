"""Loan caps as data: the packaged file, its validation, and comparisons with a worked example.

Worked example: contract 3,000, received 2,100, 3,000 repaid after 7 days (cost 900).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from apkscan.complaint.caps import default_caps_path, load_loan_caps
from apkscan.complaint.caps_compare import CapCheck, compare_caps
from apkscan.complaint.errors import LoanCapsError
from apkscan.complaint.loan_cost import schedule_cost, single_repayment
from apkscan.complaint.schedule import parse_schedule
from apkscan.knowledge.schema import RuleTableError
from apkscan.model import JURISDICTIONS

ALL = (*JURISDICTIONS, "pk", "mx")


@pytest.fixture(scope="module")
def caps():
    return load_loan_caps()


@pytest.fixture(scope="module")
def example():
    return single_repayment(2100, 3000, 7, contract_amount=3000)


def by_id(checks: tuple[CapCheck, ...]) -> dict[str, CapCheck]:
    return {c.fact_id: c for c in checks}


def test_packaged_file_covers_every_jurisdiction_with_tagged_sourced_facts(caps) -> None:
    assert {f.jurisdiction for f in caps.facts} == set(ALL)
    for fact in caps.facts:
        assert fact.verification in ("verified", "secondary", "memory")
        assert fact.instrument.en and fact.instrument.zh
    assert len(caps.sha256) == 64


def test_tags_of_key_facts_stay_as_reviewed(caps) -> None:
    """A tag changes only when someone checks the source again: these are the reviewed tags of key facts."""
    tags = {f.id: f.verification for f in caps.facts}
    assert tags["gp-short-term-60"] == tags["gp-us-apr-36"] == tags["in-no-cap"] == "verified"
    assert tags["cn-spc-4x-lpr"] == tags["id-ojk-total-100"] == tags["ph-eir-15"] == "secondary"
    for memory in ("cn-spc-2017-24", "id-ojk-daily-2026-step", "pk-daily-075", "ke-cooling-off-7"):
        assert tags[memory] == "memory"
    lpr = caps.parameters["cn-lpr-1y"]
    assert lpr.at(date(2026, 3, 1)).value == 3.0 and lpr.at(date(2026, 3, 1)).verification == "secondary"
    assert lpr.at(date(2020, 12, 31)).value == 3.85  # Caixin's end-2020 figure
    assert lpr.at(date(2019, 1, 1)) is None


def test_china_court_cap_is_4_x_lpr_on_the_amount_received(caps, example) -> None:
    """4 x 3.0% = 12% a year on 2,100 for 7 days: 2100 x 0.12 x 7/365 = 4.83; the lender took 900, 895.17 over.
    With a 2021 contract the LPR was 3.85%: 2100 x 0.154 x 7/365 = 6.20."""
    checks = by_id(compare_caps(example, caps, ["cn"], on=date(2026, 3, 1)))
    court = checks["cn-spc-4x-lpr"]
    assert court.exceeded is True and court.limit == pytest.approx(0.12)
    assert round(court.max_cost, 2) == 4.83 and round(court.over_by, 2) == 895.17
    assert court.base == "received" and court.base_amount == 2100
    assert court.parameter.value == 3.0 and court.verification == "secondary"
    assert court.figure == pytest.approx(example.nominal_apr)
    assert "private-lenders" in court.fact.scope
    old = by_id(compare_caps(example, caps, ["cn"], on=date(2021, 6, 1)))["cn-spc-4x-lpr"]
    assert round(old.max_cost, 2) == 6.20
    # the regulatory 24% and 36% ceilings: 2100 x 0.24 x 7/365 = 9.67, 2100 x 0.36 x 7/365 = 14.50
    assert round(checks["cn-consumer-finance-24"].max_cost, 2) == 9.67
    assert round(checks["cn-cash-loan-notice-36"].max_cost, 2) == 14.50
    # the 900 deducted up front breaks Civil Code Art. 670 and SPC Art. 26
    assert checks["cn-civil-code-670"].exceeded is True and checks["cn-civil-code-670"].over_by == 900
    assert checks["cn-spc-overdue-4x-lpr"].exceeded is None
    assert checks["cn-spc-overdue-4x-lpr"].reason == "overdue-not-modelled"
    assert checks["cn-civil-code-680"].reason == "no-numeric-limit"
    assert checks["cn-spc-2017-24"].unverified and not court.unverified


def test_before_the_first_known_lpr_the_cap_is_not_applicable(caps, example) -> None:
    check = by_id(compare_caps(example, caps, ["cn"], on=date(2019, 1, 1)))["cn-spc-4x-lpr"]
    assert (check.exceeded, check.reason, check.max_cost) == (None, "parameter-unknown-for-date", None)


def test_google_play_bans_the_seven_day_term_and_the_apr(caps, example) -> None:
    checks = by_id(compare_caps(example, caps, ["google-play"]))
    assert checks["gp-short-term-60"].exceeded is True and checks["gp-short-term-60"].figure == 7
    assert checks["gp-us-apr-36"].exceeded is True and checks["gp-us-apr-36"].fact.scope == ("us",)
    assert checks["gp-disclosure"].exceeded is None
    assert all(c.verification == "verified" for c in checks.values())
    # "60 days or less" is banned, 61 days is not; "36% or higher" is banned, exactly at 36% too
    sixty = by_id(compare_caps(single_repayment(1000, 1001, 60), caps, ["google-play"]))
    assert sixty["gp-short-term-60"].exceeded is True
    sixty_one = by_id(compare_caps(single_repayment(1000, 1001, 61), caps, ["google-play"]))
    assert sixty_one["gp-short-term-60"].exceeded is False
    at_36 = single_repayment(1000, 1000 * (1 + 0.36 * 73 / 365), 73)  # simple APR exactly 36%
    assert by_id(compare_caps(at_36, caps, ["google-play"]))["gp-us-apr-36"].exceeded is True
    below = single_repayment(1000, 1000 * (1 + 0.35 * 73 / 365), 73)
    assert by_id(compare_caps(below, caps, ["google-play"]))["gp-us-apr-36"].exceeded is False


def test_indonesia_daily_cap_uses_the_contract_amount_when_known(caps, example) -> None:
    """OJK's base is the funding amount in the agreement: 0.1%/day x 7 x 3,000 = 21 (2026 step, memory-tagged);
    0.3%/day x 7 x 3,000 = 63 for a loan under six months in 2026 (January 2025 statement, secondary).
    Without a contract amount the base falls back to 2,100: 0.1% x 7 x 2,100 = 14.70."""
    checks = by_id(compare_caps(example, caps, ["id"], on=date(2026, 3, 1)))
    step = checks["id-ojk-daily-2026-step"]
    assert step.exceeded is True and step.base == "contract" and step.max_cost == pytest.approx(21)
    assert step.figure == pytest.approx(900 / (3000 * 7)) and step.unverified
    assert checks["id-ojk-daily-2025-short"].max_cost == pytest.approx(63)
    assert checks["id-ojk-daily-2025-long"].reason == "outside-scope-term"
    assert checks["id-ojk-daily-2024"].reason == "not-in-force-on-date"
    total = checks["id-ojk-total-100"]  # 900 of 3,000 is 30%, within the 100% cap
    assert total.exceeded is False and total.figure == pytest.approx(0.3) and total.over_by is None
    no_contract = single_repayment(2100, 3000, 7)
    fallback = by_id(compare_caps(no_contract, caps, ["id"], on=date(2026, 3, 1)))["id-ojk-daily-2026-step"]
    assert fallback.base == "received" and fallback.max_cost == pytest.approx(14.70)


def test_philippine_monthly_eir_cap_depends_on_date_amount_and_term(caps, example) -> None:
    """371% a month against 15% (loans to 31 Mar 2026) or 12% (from 1 Apr 2026). At 15% a month the most a
    7-day loan of 2,100 may cost is 2100 x (1.15 ** (7/30.4167) - 1) = 2100 x (e ** (0.139762 x 0.230137) - 1)
    = 2100 x 0.032687 = 68.64."""
    checks = by_id(compare_caps(example, caps, ["ph"], on=date(2025, 6, 1)))
    eir = checks["ph-eir-15"]
    assert eir.exceeded is True and round(eir.figure * 100) == 371 and eir.limit == pytest.approx(0.15)
    assert eir.max_cost == pytest.approx(68.64, abs=0.01)
    assert checks["ph-eir-12"].reason == "not-in-force-on-date"
    assert checks["ph-nominal-6"].reason == "needs-fee-breakdown"
    later = by_id(compare_caps(example, caps, ["ph"], on=date(2026, 5, 1)))
    assert later["ph-eir-12"].exceeded is True and later["ph-eir-15"].reason == "not-in-force-on-date"
    big = single_repayment(20000, 21000, 30, contract_amount=20000)  # above PHP 10,000: outside the circular
    assert by_id(compare_caps(big, caps, ["ph"], on=date(2025, 6, 1)))["ph-eir-15"].reason == "outside-scope-principal"
    long = single_repayment(5000, 5500, 130)  # more than 4 months
    assert by_id(compare_caps(long, caps, ["ph"], on=date(2025, 6, 1)))["ph-eir-15"].reason == "outside-scope-term"


def test_without_contract_amount_deduction_rules_are_not_applicable(caps) -> None:
    checks = by_id(compare_caps(single_repayment(2100, 3000, 7), caps, ["cn"], on=date(2026, 3, 1)))
    assert checks["cn-civil-code-670"].exceeded is None
    assert checks["cn-civil-code-670"].reason == "contract-amount-unknown"
    no_deduction = single_repayment(3000, 3100, 7, contract_amount=3000)
    assert by_id(compare_caps(no_deduction, caps, ["cn"], on=date(2026, 3, 1)))["cn-civil-code-670"].exceeded is False


def test_schedule_rate_caps_report_a_lower_bound_and_use_the_schedule_date(caps) -> None:
    """Four weekly 800s on 2,100 (nominal 1,002%): over 28 days the 4 x LPR cap allows at most
    2100 x 0.12 x 28/365 = 19.33 even if the whole 2,100 were owed throughout, so 1,100 - 19.33 = 1,080.67 is a
    lower bound of the excess. The schedule's first date (2026-01-01) picks the 3.0% LPR."""
    flows = parse_schedule("2026-01-01,-2100\n2026-01-08,800\n2026-01-15,800\n2026-01-22,800\n2026-01-29,800\n")
    check = by_id(compare_caps(schedule_cost(flows), caps, ["cn"]))["cn-spc-4x-lpr"]
    assert check.exceeded is True and check.over_is_lower_bound
    assert check.parameter.value == 3.0
    assert check.max_cost == pytest.approx(19.33, abs=0.005) and check.over_by == pytest.approx(1080.67, abs=0.005)


def test_results_follow_the_order_of_the_jurisdictions_given(caps, example) -> None:
    checks = compare_caps(example, caps, ["ph", "cn", "ph"], on=date(2026, 3, 1))
    order = [c.fact.jurisdiction for c in checks]
    assert order == sorted(order, key=["ph", "cn"].index)
    assert compare_caps(example, caps, []) == ()


# ------------------------------------------------------------------ validation of broken copies


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = default_caps_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "loan_caps.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "[facts.cn-spc-4x-lpr]\n",
            '[facts.cn-spc-4x-lpr]\nflavour = "x"\n',
            "facts.cn-spc-4x-lpr.flavour: unknown key",
        ),
        (
            'url = "http://xuazi.com/s5085434.html"\nverification = "secondary"',
            'url = "http://xuazi.com/s5085434.html"\nverification = "S"',
            "facts.cn-spc-4x-lpr.verification: 'S' is not one of verified, secondary, memory",
        ),
        ("limit = 36\n", 'limit = "36"\n', "facts.cn-cash-loan-notice-36.limit: expected a number, got a string"),
        ("limit = 36\n", "limit = true\n", "facts.cn-cash-loan-notice-36.limit: expected a number"),
        ("limit = 36\n", "limit = -1\n", "facts.cn-cash-loan-notice-36.limit: -1 is below 0"),
        ("limit = 36\n", "limit = nan\n", "facts.cn-cash-loan-notice-36.limit: must be a finite number"),
        (
            'parameter = "cn-lpr-1y"\n',
            'parameter = "cn-lpr-5y"\n',
            "facts.cn-spc-4x-lpr.parameter: 'cn-lpr-5y' is not a parameter defined in [parameters]",
        ),
        (
            'kind = "usury-ban"\n',
            'kind = "usury-ban"\nlimit = 1\n',
            "facts.cn-civil-code-680.limit: a 'usury-ban' fact",
        ),
        ('limit = 60\nunit = "days"', 'limit = 60\nunit = "percent-per-year"', "facts.gp-short-term-60.unit: must be"),
        ('in_force_from = "2025-10-01"', 'in_force_from = "2025-10"', "in_force_from: '2025-10' must be a full date"),
        (
            'jurisdiction = "ke"\nkind = "no-rate-cap"',
            'jurisdiction = "kenya"\nkind = "no-rate-cap"',
            "facts.ke-cap-repealed.jurisdiction: 'kenya' is not one of",
        ),
        ('scope = ["us"]', 'scope = ["usa"]', "facts.gp-us-apr-36.scope[0]: 'usa' is not one of"),
        (
            'value = 3.80\nfrom = "2021-12-20"',
            'value = 3.80\nfrom = "2019-12-20"',
            "parameters.cn-lpr-1y.values[1].from: values must be listed in increasing date order",
        ),
        (
            'kind = "total-cost-cap"\nlimit = 100\nunit = "percent-of-base"\nbase = "received"\n'
            'scope = ["non-performing"]',
            'kind = "monthly-rate-cap"\nlimit = 100\nunit = "percent-per-month"\nscope = ["non-performing"]',
            "facts.ke-in-duplum.measure: required for a rate cap",
        ),
        ('version = "2026.12"', 'version = "2026.12', "TOML syntax error"),
    ],
)
def test_broken_copies_name_file_and_key(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(LoanCapsError) as err:
        load_loan_caps(path)
    message = str(err.value)
    assert message.startswith(str(path) + ": ")
    assert fragment in message
    assert "\n" not in message
    assert isinstance(err.value, RuleTableError)  # existing data-file error handling catches it too


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(LoanCapsError, match="cannot read file"):
        load_loan_caps(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[meta]\nname = "caf\xe9"\n')
    with pytest.raises(LoanCapsError, match=r"not UTF-8 text \(byte"):
        load_loan_caps(bad)


def test_absurd_rates_compare_as_exceeded_without_overflow(caps) -> None:
    """1 received, 10**200 repaid after 1 day: the monthly EIR (10**200) ** 30.4 is beyond any float."""
    cost = single_repayment(1, 1e200, 1)
    assert cost.compound_rate_over(365 / 12) is None and cost.effective_apr is None
    eir = by_id(compare_caps(cost, caps, ["ph"], on=date(2025, 6, 1)))["ph-eir-15"]
    assert eir.exceeded is True and eir.figure is None
