"""Where the lender checks read text: every resource string of every locale, and DEX strings with their callers."""

from __future__ import annotations

import zipfile

from apkscan.extract.code import scan_code, scan_code_full
from tests.conftest import sample
from tests.lender_common import NEEDLES, inputs


def test_every_locale_of_the_resource_strings_is_read() -> None:
    strings = inputs("promo-lender.apk").text.resource_strings
    for text in ("Pasti cair! 100% disetujui tanpa BI checking.", "Mkopo bila CRB! Idhini ya papo hapo."):
        assert text in strings
    assert any("黑户可借" in s for s in strings) and any("मंज़ूरी" in s for s in strings)


def test_a_damaged_resource_table_leaves_the_other_texts() -> None:
    text = inputs("corrupt-dex.apk").text  # a readable manifest and resources, unreadable code
    assert not text.code_read and text.dex_texts == ()


def test_dex_strings_with_needles_come_back_with_their_callers() -> None:
    texts = {t.value: t for t in inputs("promo-lender.apk").scan.texts}
    banner = texts["秒批！黑户可借，不看征信"]
    assert banner.callers == ("Lcom/example/cashkilat/Promo;->banner()Ljava/lang/String;",)
    assert banner.app_callers == banner.callers
    raider = {t.value: t for t in inputs("contact-raider.apk").scan.texts}
    # no needle matched in the SDK's strings; the app's "loan" host names do
    assert all(not t.caller_sdks or "" in t.caller_sdks for t in raider.values())


def test_needles_do_not_change_the_code_evidence_or_the_report_block() -> None:
    with zipfile.ZipFile(sample("contact-raider.apk")) as zf:
        blobs = [(n, zf.read(n)) for n in sorted(zf.namelist()) if n.endswith(".dex")]
        names = zf.namelist()
    plain, searched = scan_code(blobs, names), scan_code_full(blobs, names, text_needles=NEEDLES)
    assert plain == searched.evidence and searched.texts
    assert "texts" not in plain.to_dict()


def test_the_dex_anchors_cover_every_term_and_red_flag_searched_in_code() -> None:
    from apkscan.evaluate.dex_text import ANCHORS, dex_text_filter, uncovered
    from apkscan.evaluate.promises import extract_terms

    assert uncovered() == []
    shown = [
        "借款期限7天，日利率1%",
        "Loan term: 7 days. Interest 1% per day.",
        "Tenor 7 hari, bunga 1% per hari.",
        "लोन की अवधि 7 दिन, ब्याज 1% प्रति दिन।",
        "Plazo de 7 días, interés del 1% diario.",
        "Muda wa mkopo siku 7, riba 1% kwa siku.",
        "服务费30%从借款中预先扣除",
        "Biaya layanan 30% dipotong di muka.",
        "A service fee of 30% is deducted up front from the loan amount.",
        "interest 0.5% a day",
        "每日0.1%",
    ]
    _, keep = dex_text_filter()
    for text in shown:
        assert extract_terms(text) and keep(text), text
        assert any(a in text.lower() for a in ANCHORS), text
    assert not keep("Settings") and not keep("java.lang.String")


def test_trie_search_finds_exactly_what_one_find_per_needle_finds() -> None:
    from apkscan.extract.code.dexfile import DexFile
    from apkscan.extract.code.strings import find_candidates

    for name in ("promo-lender.apk", "contact-raider.apk", "fair-lender.apk", "rupee-now.apk"):
        with zipfile.ZipFile(sample(name)) as zf:
            for entry in (n for n in zf.namelist() if n.endswith(".dex")):
                dex = DexFile(zf.read(entry))
                assert sorted(find_candidates(dex, NEEDLES, many=True)) == sorted(find_candidates(dex, NEEDLES))
    overlapping = (b"loan", b"oans", b"an")
    with zipfile.ZipFile(sample("fair-lender.apk")) as zf:
        dex = DexFile(zf.read("classes.dex"))
    assert sorted(find_candidates(dex, overlapping, many=True)) == sorted(find_candidates(dex, overlapping))
