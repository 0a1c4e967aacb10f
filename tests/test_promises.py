"""What a lender promises and charges: red flags and loan terms quoted from the app, and the rules they break."""

from __future__ import annotations

import pytest

from apkscan.evaluate.loan_terms import judge_terms, load_term_rules
from apkscan.evaluate.promises import FLAG_KINDS, LoanTerm, extract_terms, find_promises, red_flag_terms
from apkscan.extract.code import TextHit
from apkscan.extract.lender_inputs import AppText
from tests.lender_common import inputs


def test_promo_lender_red_flags_cover_every_kind_and_language() -> None:
    promises = find_promises(inputs("promo-lender.apk").text)
    kinds = {f.kind for f in promises.red_flags}
    assert kinds == set(FLAG_KINDS)
    assert {f.lang for f in promises.red_flags} == {"zh", "en", "id", "hi", "es", "sw"}
    phrases = {(f.phrase, f.found.where) for f in promises.red_flags}
    for phrase in ("秒批", "黑户可借", "不看征信", "无视逾期"):
        assert any(p == phrase for p, _ in phrases), phrase
    assert ("100% approval", "resource") in phrases and ("no credit check", "resource") in phrases


def test_red_flags_in_code_name_the_calling_method() -> None:
    promises = find_promises(inputs("promo-lender.apk").text)
    in_code = {f.phrase: f.found.detail for f in promises.red_flags if f.found.where == "dex"}
    assert in_code["秒批"] == "classes.dex Lcom/example/cashkilat/Promo;->banner()Ljava/lang/String;"
    assert "no credit check" in in_code


def test_the_label_itself_can_carry_a_red_flag() -> None:
    promises = find_promises(inputs("promo-lender.apk").text)
    assert any(f.found.where == "label" and f.phrase == "秒批" for f in promises.red_flags)  # 秒批钱包


def test_every_red_flag_has_a_source() -> None:
    assert all(t.id in FLAG_KINDS for t in red_flag_terms())
    promises = find_promises(inputs("promo-lender.apk").text)
    assert all("complaint-guidance.md" in f.source for f in promises.red_flags)


def test_loan_terms_are_read_in_six_languages_from_resources_and_code() -> None:
    terms = find_promises(inputs("promo-lender.apk").text).terms
    days = [t for t in terms if t.kind == "repayment_days"]
    assert {t.value for t in days} == {7.0}
    assert len({t.found.text for t in days if t.found.where == "resource"}) == 6  # en zh id hi es sw
    assert any(t.found.where == "dex" and "7天到期" in t.found.text for t in days)
    daily = [t for t in terms if t.kind == "daily_interest"]
    assert {t.value for t in daily} == {1.0} and len(daily) == 6
    fees = [t for t in terms if t.kind == "upfront_fee"]
    assert {t.value for t in fees} == {30.0, None}
    assert any("服务费30%从借款中预先扣除" in t.found.text for t in fees)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("借款期限14天，日息0.05%", [("repayment_days", 14.0), ("daily_interest", 0.05)]),
        ("Repay within 30 days", [("repayment_days", 30.0)]),
        ("3天内到账", []),  # money arrives within 3 days: not a loan term
        ("Cash in 5 minutes", []),
        ("APR 36% per year", []),
        ("今天", []),
        ("Tenor 91 hari", [("repayment_days", 91.0)]),
        ("interest 0.5% a day", [("daily_interest", 0.5)]),
        ("Fees are deducted in advance from the loan", [("upfront_fee", None)]),
    ],
)
def test_term_patterns(text: str, expected: list[tuple[str, float | None]]) -> None:
    assert [(k, v) for k, v, _, _ in extract_terms(text)] == expected


def test_no_promises_in_well_behaved_or_non_lending_apps() -> None:
    for name in ("fair-lender.apk", "contact-raider.apk", "bt-caller-id.apk", "emi-calculator.apk"):
        promises = find_promises(inputs(name).text)
        assert not promises.red_flags and not promises.terms, name


def test_terms_are_compared_with_the_rules_and_cite_them() -> None:
    breaches = judge_terms(find_promises(inputs("promo-lender.apk").text).terms)
    by_rule = {b.rule.id: b for b in breaches}
    play = by_rule["google-play-min-repayment"]
    assert play.value == 7.0 and play.rule.verification == "verified" and play.rule.item == 15
    assert "60 days or less" in play.rule.article and play.rule.url.startswith("https://support.google.com/")
    assert by_rule["cn-cash-loan-36"].value == 365.0
    assert by_rule["id-ojk-daily-cap"].value == 1.0 and by_rule["ph-eir-cap"].value == 1.0
    assert by_rule["cn-upfront-deduction"].rule.verification == "secondary"


def test_terms_within_the_rules_break_nothing() -> None:
    fine = (
        LoanTerm("repayment_days", 90.0, _found()),
        LoanTerm("daily_interest", 0.02, _found()),  # 7.3% a year
    )
    assert judge_terms(fine) == ()


def test_term_rules_carry_loan_cost_tags() -> None:
    rules = load_term_rules()
    assert {r.verification for r in rules} <= {"verified", "secondary"}
    assert all(r.item > 0 and r.url.startswith("http") for r in rules)


def test_hostile_texts_never_crash() -> None:
    text = AppText(
        label="\x00" * 10_000,
        resource_strings=("7天" * 100_000, "%" * 100_000, "1" * 100_000 + "% per day", "借款期限" + "9" * 5000 + "天"),
        dex_texts=(TextHit("秒批" * 100_000, "classes.dex", ("x",), ("",)),),
    )
    promises = find_promises(text)
    assert len(promises.terms) <= 50 and len(promises.red_flags) <= 50


def _found():
    from apkscan.evaluate.promises import Found

    return Found("resource", "x")
