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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from apkscan.evaluate.impersonation import skeleton
from apkscan.evaluate.vocabulary import (
    PLACES,
    Matcher,
    Term,
    load_toml,
    looks_like_list,
    match_package,
    parse_terms,
    quote,
    split_identifier,
)
from apkscan.extract.lender_inputs import AppText

DECISIONS = ("yes", "unsure", "no")
MAX_EVIDENCE = 40
#: DEX strings are searched for strong terms only (see :mod:`.dex_text`)
DEX_MIN_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class LendingEvidence:
    """One word that makes the app look like a lender (or like something else, when negative)."""

    term: str
    lang: str
    weight: float  # after the place multiplier
    where: str  # label | package | activity | resource | dex | sdk
    text: str  # the string it was found in (shortened around the word)
    detail: str = ""  # DEX file and calling method, activity class, SDK id


@dataclass(frozen=True, slots=True)
class LendingVerdict:
    decision: str  # yes | unsure | no
    score: float
    evidence: tuple[LendingEvidence, ...] = ()
    #: False when the app's code could not be read: DEX strings and SDKs are missing from the evidence
    code_read: bool = True

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({e.lang for e in self.evidence if e.lang}))


@dataclass(frozen=True, slots=True, eq=False)  # compared and cached by identity
class LendingVocabulary:
    terms: tuple[Term, ...]
    yes: float
    unsure: float
    places: dict[str, float]
    sdk_kinds: dict[str, float]
    label: str = "apkscan/data/lending.toml"


def load_vocabulary(path: Path | None = None) -> LendingVocabulary:
    label, doc = load_toml(path, "lending.toml")
    decision = doc.get("decision", {})
    yes, unsure = decision.get("yes"), decision.get("unsure")
    if not all(isinstance(v, int | float) for v in (yes, unsure)) or not unsure < yes:
        raise ValueError(f"{label}: [decision] needs numbers unsure < yes")
    places = doc.get("places", {})
    if set(places) != set(PLACES) or not all(isinstance(v, int | float) and v > 0 for v in places.values()):
        raise ValueError(f"{label}: [places] needs a positive multiplier for each of {', '.join(PLACES)}")
    kinds = {}
    for i, item in enumerate(doc.get("sdk_kind", [])):
        if not isinstance(item, dict) or not isinstance(item.get("kind"), str) or "weight" not in item:
            raise ValueError(f"{label}: [[sdk_kind]] #{i + 1} needs kind and weight")
        kinds[item["kind"]] = float(item["weight"])
    terms = parse_terms(label, doc.get("term"))
    return LendingVocabulary(terms, float(yes), float(unsure), {k: float(v) for k, v in places.items()}, kinds, label)


@lru_cache(maxsize=1)
def default_vocabulary() -> LendingVocabulary:
    return load_vocabulary()


@lru_cache(maxsize=8)
def _matchers(vocab: LendingVocabulary) -> dict[str, Matcher]:
    return {place: Matcher(vocab.terms, place) for place in PLACES if place != "package"}


def judge_lending(text: AppText, vocab: LendingVocabulary | None = None) -> LendingVerdict:
    """Decide whether the app presents itself as a lender; never raises on hostile strings."""
    vocab = vocab or default_vocabulary()
    matchers = _matchers(vocab)
    found: list[LendingEvidence] = []

    def add(term: Term, where: str, haystack: str, start: int, end: int, detail: str = "") -> None:
        weight = term.weight * vocab.places[where]
        found.append(LendingEvidence(term.id, term.lang, weight, where, quote(haystack, start, end, 60), detail))

    for label in dict.fromkeys(x for x in (text.label, text.label_zh) if x):
        seen_here = set()
        for variant in dict.fromkeys((label, skeleton(label))):
            for term, start, end in matchers["label"].find(variant):
                if term.id not in seen_here:
                    seen_here.add(term.id)
                    add(
                        term,
                        "label",
                        variant,
                        start,
                        end,
                        "" if variant == label else "after undoing look-alike letters",
                    )
    for term, segment in match_package(text.package, vocab.terms):
        found.append(
            LendingEvidence(
                term.id, term.lang, term.weight * vocab.places["package"], "package", text.package[:200], segment
            )
        )
    for activity in text.activities[:2000]:
        words = split_identifier(activity)
        for term, start, end in matchers["activity"].find(words):
            add(term, "activity", words, start, end, activity[:200])
    for value in text.resource_strings:
        for term, start, end in matchers["resource"].find(value):
            add(term, "resource", value, start, end)
    for hit in text.dex_texts:
        callers = hit.app_callers
        if not callers or looks_like_list(hit.value):
            continue
        for term, start, end in matchers["dex"].find(hit.value):
            if term.weight < DEX_MIN_WEIGHT:
                continue
            add(term, "dex", hit.value, start, end, f"{hit.dex} {callers[0]}")
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
