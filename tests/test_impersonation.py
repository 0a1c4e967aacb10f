"""Labels that pretend: look-alike letters, hidden characters and borrowed bank names."""

from __future__ import annotations

from apkscan.evaluate.impersonation import check_label, script_of, skeleton
from apkscan.knowledge.lender_data import confusables, default_brands
from tests.lender_common import inputs, report

SAMPLE_CERT = "95a87282e7c890c142a09bd2f0949cf59460e96fd22fb65c4514c7866e2f9447"


def test_cyrillic_letter_inside_a_latin_label_is_found() -> None:
    text = inputs("promo-lender.apk").text
    assert text.label == "C\u0430sh Kilat"
    hits = check_label([text.label, text.label_zh], [s.sha256 for s in inputs("promo-lender.apk").app.signers])
    mixed = [h for h in hits if h.kind == "mixed_script"]
    assert len(mixed) == 1
    assert mixed[0].word == "C\u0430sh" and mixed[0].skeleton == "Cash Kilat"
    (letter,) = mixed[0].letters
    assert (letter.codepoint, letter.script, letter.looks_like) == ("U+0430", "CYRILLIC", "a")


def test_bank_names_in_labels_are_claims_when_the_signer_is_not_the_banks() -> None:
    signers = [s.sha256 for s in inputs("bank-impostor.apk").app.signers]
    assert signers == [SAMPLE_CERT]
    text = inputs("bank-impostor.apk").text
    hits = check_label([text.label, text.label_zh], signers)
    claims = {h.brand: h for h in hits if h.kind == "brand_claim"}
    assert set(claims) == {"sbi", "icbc"}
    assert claims["sbi"].word == "SBI" and claims["sbi"].country == "in"
    assert claims["icbc"].word == "工商银行" and claims["icbc"].label == "工商银行极速贷"
    assert not claims["sbi"].signer_known and not claims["sbi"].signer_matches


def test_a_known_brand_signer_clears_the_claim() -> None:
    brand = next(b for b in default_brands() if b.id == "sbi")
    from dataclasses import replace

    known = (replace(brand, signers=(SAMPLE_CERT,)),)
    assert check_label(["SBI Quick Loan"], [SAMPLE_CERT], known) == ()
    assert [h.signer_known for h in check_label(["SBI Quick Loan"], ["00" * 32], known)] == [True]


def test_ordinary_labels_raise_nothing() -> None:
    for name in ("contact-raider.apk", "fair-lender.apk", "bt-caller-id.apk", "reskin-raider.apk", "rupee-now.apk"):
        text = inputs(name).text
        assert check_label([text.label, text.label_zh]) == (), name


def test_acronyms_match_whole_upper_case_words_only() -> None:
    assert check_label(["SBIKE rental", "sbi loans", "Obscure"]) == ()
    assert [h.brand for h in check_label(["Pinjam BCA cepat"])] == ["bca"]


def test_whole_words_in_other_scripts_are_not_look_alikes() -> None:
    assert check_label(["Займ онлайн", "Ελληνικά", "极速贷款"]) == ()


def test_fullwidth_and_hidden_characters() -> None:
    hits = check_label(["ＩＣＢＣ贷", "Pay\u200btm Lo\u0430n", "\u202eLoan"])
    kinds = [(h.kind, h.brand) for h in hits]
    assert ("brand_claim", "icbc") in kinds and ("brand_claim", "paytm") in kinds
    hidden = [h for h in hits if h.kind == "hidden_characters"]
    assert {c.codepoint for h in hidden for c in h.letters} == {"U+200B", "U+202E"}


def test_skeleton_and_scripts() -> None:
    assert skeleton("Qu\u0456ck\u0421\u0430sh") == "QuickCash"
    assert script_of("a") == "LATIN" and script_of("\u0430") == "CYRILLIC" and script_of("\u0378") == ""
    assert all(len(k) == 1 and v.isascii() for k, v in confusables().items())


def test_hostile_labels_never_crash() -> None:
    labels = ["\x00\x01" * 10_000, "\ud800\udfff", "C\u0430sh" * 100_000, "", "\U0010ffff" * 50]
    hits = check_label(labels)
    assert all(len(h.label) <= 1000 for h in hits)


def test_the_scan_reports_impersonation_findings() -> None:
    ids = {f.id: f for f in report("promo-lender.apk").findings}
    assert ids["impersonation:mixed_script"].severity == "high"
    claim = next(f for f in report("bank-impostor.apk").findings if f.id == "impersonation:brand_claim")
    assert claim.severity == "medium" and len(claim.evidence) >= 3  # two labels, two brands: one finding
