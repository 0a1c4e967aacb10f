"""What a lender promises and charges: red flags and loan terms quoted from the app, and the rules they break."""

from __future__ import annotations

from datetime import date

import pytest

from apkscan.complaint.caps import load_loan_caps
from apkscan.evaluate.loan_terms import judge_terms
from apkscan.evaluate.promises import FLAG_KINDS, LoanTerm, extract_terms, find_promises
from apkscan.knowledge.lender_data import red_flag_terms
from apkscan.model.code import TextHit
from apkscan.model.lender import AppText
from tests.lender_common import inputs, report

DAY = date(2026, 12, 1)


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
    assert all("advice.toml" in f.source for f in promises.red_flags)


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


def _breaches(terms, jurisdictions=None):
    caps = load_loan_caps()
    return judge_terms(terms, caps.facts, caps.parameters, DAY, jurisdictions)


def test_terms_are_compared_with_the_loan_caps_facts_and_cite_them() -> None:
    by_fact = {b.fact.id: b for b in _breaches(find_promises(inputs("promo-lender.apk").text).terms)}
    play = by_fact["gp-short-term-60"]
    assert (play.value, play.limit) == (7.0, 60.0) and play.fact.verification == "verified"
    assert play.fact.url.startswith("https://support.google.com/")
    assert by_fact["cn-cash-loan-notice-36"].value == 365.0
    assert by_fact["cn-spc-4x-lpr"].limit == 12.0  # 4 x the LPR in force (3.00 % from May 2025)
    assert by_fact["ph-eir-12"].value == pytest.approx(34.78)  # 1 % a day, compounded over a month
    assert by_fact["cn-civil-code-670"].value is None  # a fee deducted up front breaks it by being there
    assert {b.fact.verification for b in by_fact.values()} <= {"verified", "secondary"}
    assert not any(f.startswith(("pk-", "mx-")) for f in _breaches_ids(("cn", "google-play")))


def _breaches_ids(jurisdictions):
    terms = find_promises(inputs("promo-lender.apk").text).terms
    return {b.fact.id for b in _breaches(terms, jurisdictions)}


def test_facts_out_of_force_or_of_other_institutions_are_not_compared() -> None:
    ids = _breaches_ids(None)
    assert "ph-eir-15" not in ids  # replaced by the 12 % cap from April 2026
    assert "cn-consumer-finance-24" not in ids and "cn-nfra-2025-9-24" not in ids  # bind other kinds of lender
    assert "pk-daily-075" not in ids  # memory: a lead, never cited


def test_terms_within_the_rules_break_nothing() -> None:
    fine = (
        LoanTerm("repayment_days", 90.0, _found()),
        LoanTerm("daily_interest", 0.02, _found()),  # 7.3% a year
    )
    assert _breaches(fine, ("google-play", "cn", "id", "ph")) == ()


def test_the_scan_reports_promises_and_terms_as_findings_with_their_rule() -> None:
    findings = {f.id: f for f in report("promo-lender.apk").findings}
    assert {f"promise:{k}" for k in FLAG_KINDS} <= set(findings)
    term = findings["term:gp-short-term-60"]
    assert term.severity == "high" and term.references[0].source_id == "gp-short-term-60"
    assert term.references[0].verification == "verified"
    assert findings["term:cn-civil-code-670"].severity == "medium"  # a secondary source
    assert not any(f.id.startswith(("promise:", "term:")) for f in report("bt-caller-id.apk").findings)


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
