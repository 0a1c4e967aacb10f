"""Is it a lending app? Decisions and evidence on the samples, and robustness to hostile strings."""

from __future__ import annotations

import pytest

from apkscan.evaluate.lending import judge_lending, load_vocabulary
from apkscan.knowledge.schema import DataFileError
from apkscan.model.code import TextHit
from apkscan.model.lender import AppText
from tests.lender_common import LENDERS, NON_LENDERS, inputs, report


@pytest.mark.parametrize("name", LENDERS)
def test_every_lending_sample_is_judged_a_lender(name: str) -> None:
    verdict = judge_lending(inputs(name).text)
    assert verdict.decision == "yes", (name, verdict.score, verdict.evidence[:5])


@pytest.mark.parametrize("name", NON_LENDERS)
def test_non_lending_samples_are_not_lenders_whatever_their_permissions(name: str) -> None:
    verdict = judge_lending(inputs(name).text)
    assert verdict.decision == "no", (name, verdict.evidence[:5])
    assert verdict.score < 3


def test_a_loan_calculator_is_unsure_not_a_lender() -> None:
    verdict = judge_lending(inputs("emi-calculator.apk").text)
    assert verdict.decision == "unsure"
    negative = [e for e in verdict.evidence if e.weight < 0]
    assert {e.where for e in negative} >= {"label"} and any("Calculator" in e.text for e in negative)


def test_evidence_names_the_string_and_where_it_was_found() -> None:
    verdict = judge_lending(inputs("contact-raider.apk").text)
    places = {(e.term, e.where) for e in verdict.evidence}
    assert ("loan", "label") in places and ("贷款", "label") in places
    assert ("loan", "activity") in places  # LoanWebActivity
    activity = next(e for e in verdict.evidence if e.where == "activity")
    assert activity.detail == "com.example.quickcash.ui.LoanWebActivity"
    assert any(e.where == "sdk" and e.text == "riskctl_fixture" for e in verdict.evidence)
    assert "en" in verdict.languages and "zh" in verdict.languages


def test_dex_strings_count_with_their_calling_method() -> None:
    verdict = judge_lending(inputs("fair-lender.apk").text)
    dex = [e for e in verdict.evidence if e.where == "dex"]
    assert dex, verdict.evidence
    assert all(e.detail.startswith("classes.dex L") for e in dex)


def test_all_six_languages_are_recognised_in_resource_strings() -> None:
    verdict = judge_lending(inputs("promo-lender.apk").text)
    assert set(verdict.languages) >= {"zh", "en", "id", "hi", "es", "sw"}


def test_a_cyrillic_letter_does_not_hide_the_lending_word_of_a_label() -> None:
    verdict = judge_lending(AppText(label="C\u0430sh L\u043e\u0430n"))
    label = [e for e in verdict.evidence if e.where == "label" and e.term == "loan"]
    assert label and label[0].detail == "after undoing look-alike letters"


def test_strings_used_only_by_sdks_or_libraries_are_not_the_apps_words() -> None:
    hits = (
        TextHit("instant loan for you", "classes2.dex", ("Lcom/riskctl/sdk/A;->b()V",), ("riskctl_fixture",)),
        TextHit("loan|loans|lol|london" + "|x" * 30, "classes.dex", ("Lcom/example/A;->b()V",), ("",)),
        TextHit("instant loan", "classes.dex", ("Landroidx/core/util/PatternsCompat;-><clinit>()V",), ("library",)),
    )
    assert judge_lending(AppText(label="Notes", dex_texts=hits)).decision == "no"
    own = (TextHit("Apply for a loan", "classes.dex", ("Lcom/example/A;->b()V",), ("",)),)
    assert any(e.where == "dex" for e in judge_lending(AppText(dex_texts=own)).evidence)


def test_hostile_labels_and_huge_strings_never_crash() -> None:
    hostile = AppText(
        package="a." * 5000,
        label="\x00\x1b[31m<script>\u202eLoan" + "\ud800" * 3,
        label_zh="贷" * 100_000,
        activities=("L" * 100_000,),
        resource_strings=("loan " * 200_000, "", "\x00" * 1000),
        dex_texts=(TextHit("贷款" * 500_000, "classes.dex", ("x",), ("",)),),
    )
    verdict = judge_lending(hostile)
    assert verdict.decision == "yes"
    assert all(len(e.text) < 400 for e in verdict.evidence)


def test_vocabulary_mistakes_are_one_line_errors(tmp_path) -> None:
    bad = tmp_path / "lending.toml"
    bad.write_text(
        "[decision]\nyes = 6\nunsure = 3\n[places]\nlabel=2\npackage=1\nactivity=1\nresource=1\ndex=1\n"
        '[[term]]\ntext = "Loan"\nlang = "en"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"lending.toml: term\[0\].text: 'Loan' is not lower case"):
        load_vocabulary(bad)
    bad.write_text("[decision]\nyes = 2\nunsure = 3\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="decision.unsure: must be below yes"):
        load_vocabulary(bad)


@pytest.mark.parametrize("name", [*LENDERS, *NON_LENDERS, "emi-calculator.apk"])
def test_the_scan_writes_the_decision_into_the_report(name: str) -> None:
    got = report(name)
    assert got.lending is not None and got.lending == judge_lending(inputs(name).text)
    not_lender = any(r.key == "reason.not_lender" for r in got.summary.reasons if hasattr(r, "key"))
    assert not_lender == (name in NON_LENDERS)


def test_many_texts_searched_together_find_what_each_alone_finds() -> None:
    from apkscan.knowledge.lender_data import default_vocabulary
    from apkscan.knowledge.terms import CHUNK, Matcher

    matcher = Matcher(default_vocabulary().terms, "resource")
    texts = [
        "Loan term: 7 days",
        "贷款金额",
        "calendar",
        "Pinjaman  cair",
        "cash",
        "loan app",
        "",
        "ＬＯＡＮ",
        "x" * CHUNK,
    ]
    alone = [(i, h.term.id, h.start, h.end, h.text) for i, t in enumerate(texts) for h in matcher.find(t)]
    together = [(i, h.term.id, h.start, h.end, h.text) for i, h in matcher.find_many(texts)]
    assert together == alone and alone
    # "cash" + "loan app" would read "cash loan" if a match could run from one string into the next
    assert not any(h.text == "cash" and h.term.id != "cash" for _, h in matcher.find_many(["cash", "loan app"]))
