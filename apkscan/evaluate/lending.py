"""Is this a lending app? A yes / no / unsure decision from the app's own words, with the evidence.

apkscan's rule table judges permissions *for a lending app*. Run over a phone's apps or a download
site's dump, it would call a Bluetooth utility's contacts permission "prohibited" as if it lent money.
This decides whether the app presents itself as a lender, so reports can say when an app is judged
against lending rules but does not look like one.

Evidence comes from the label (also after undoing look-alike letters), the package name, activity
names, resource strings (every locale), DEX strings (only those the app's own code uses: an SDK's or
androidx's strings are not the app's words, and neither are regex word lists such as the TLD list that
contains ``loan``) and the kinds of SDK found (risk-control SDKs are a
lender's tool). Each vocabulary term of ``apkscan/data/lending.toml`` counts once, at the place where
it weighs most; the sum is compared with the file's two thresholds. Permissions are deliberately not
used: they are what the verdict is about, and a spyware "phone cleaner" asks for the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from apkscan.evaluate.impersonation import skeleton
from apkscan.knowledge.lender_data import LendingVocabulary, default_vocabulary, load_vocabulary
from apkscan.knowledge.terms import Hit, Matcher, looks_like_list, match_package, quote, split_identifier
from apkscan.model.lender import AppText, LendingEvidence, LendingVerdict
from apkscan.model.vocab import LENDING_DECISIONS as DECISIONS
from apkscan.model.vocab import TEXT_PLACES

__all__ = ["DECISIONS", "DEX_MIN_WEIGHT", "judge_lending", "load_vocabulary"]

MAX_EVIDENCE = 40
#: DEX strings are searched for strong terms only (see :mod:`.dex_text`)
DEX_MIN_WEIGHT = 3.0


@lru_cache(maxsize=8)
def _matchers(vocab: LendingVocabulary) -> dict[str, Matcher]:
    return {place: Matcher(vocab.terms, place) for place in TEXT_PLACES if place != "package"}


def judge_lending(text: AppText, vocab: LendingVocabulary | None = None) -> LendingVerdict:
    """Decide whether the app presents itself as a lender; never raises on hostile strings."""
    vocab = vocab or default_vocabulary()
    matchers = _matchers(vocab)
    found: list[LendingEvidence] = []

    def add(hit: Hit, where: str, detail: str = "") -> None:
        weight = hit.term.weight * vocab.places[where]
        text = quote(hit.text, hit.start, hit.end, 60)
        found.append(LendingEvidence(hit.term.id, hit.term.lang, weight, where, text, detail))

    for label in dict.fromkeys(x for x in (text.label, text.label_zh) if x):
        seen_here = set()
        for variant in dict.fromkeys((label, skeleton(label))):
            for hit in matchers["label"].find(variant):
                if hit.term.id not in seen_here:
                    seen_here.add(hit.term.id)
                    add(hit, "label", "" if variant == label else "after undoing look-alike letters")
    for term, segment in match_package(text.package, vocab.terms):
        found.append(
            LendingEvidence(
                term.id, term.lang, term.weight * vocab.places["package"], "package", text.package[:200], segment
            )
        )
    for activity in text.activities[:2000]:
        words = split_identifier(activity)
        for hit in matchers["activity"].find(words):
            add(hit, "activity", activity[:200])
    for _, hit in matchers["resource"].find_many(text.resource_strings):
        add(hit, "resource")
    for dex_text in text.dex_texts:
        callers = dex_text.app_callers
        if not callers or looks_like_list(dex_text.value):
            continue
        for hit in matchers["dex"].find(dex_text.value):
            if hit.term.weight >= DEX_MIN_WEIGHT:
                add(hit, "dex", f"{dex_text.dex} {callers[0]}")
    for sdk_id, kind in text.sdks:
        if kind in vocab.sdk_kinds:
            found.append(LendingEvidence(f"sdk:{kind}", "", vocab.sdk_kinds[kind], "sdk", sdk_id, kind))

    best = _best_per_term(found)
    score = round(sum(e.weight for e in best if e.weight > 0), 2)
    decision = "yes" if score >= vocab.yes else "unsure" if score >= vocab.unsure else "no"
    if decision == "yes" and any(e.weight < 0 for e in best):
        # "EMI Calculator" talks about loans without lending; but loan apps also hide behind a
        # calculator label, so a negative word only lowers a "yes" to "unsure", never to "no".
        decision = "unsure"
    ordered = sorted(best, key=lambda e: (-abs(e.weight), e.term))
    extra = [e for e in found if e not in best]
    evidence = tuple(ordered + extra)[:MAX_EVIDENCE]
    return LendingVerdict(decision, score, evidence, text.code_read)


def _best_per_term(found: Iterable[LendingEvidence]) -> list[LendingEvidence]:
    """Each term once: its strongest place for a positive term, its most negative one otherwise."""
    best: dict[str, LendingEvidence] = {}
    for e in found:
        cur = best.get(e.term)
        if cur is None or abs(e.weight) > abs(cur.weight):
            best[e.term] = e
    return list(best.values())
