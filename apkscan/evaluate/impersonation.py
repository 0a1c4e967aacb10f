"""Labels that pretend: look-alike letters from another script, hidden characters, borrowed bank names.

Predatory lenders re-list under names that imitate a trusted one. Two tells are visible in the APK:

* **mixed scripts** -- a Latin-looking word with a Cyrillic or Greek letter inside ("Cаsh", U+0430):
  a human reads "Cash", a store's or a blocklist's exact match does not. The script of each letter is
  taken from its Unicode character name (the standard library has no script property; the name's
  first word -- LATIN, CYRILLIC, GREEK, CJK … -- is the script for the letters concerned here), and the
  look-alike letters come from ``apkscan/data/confusables.toml`` (a subset of Unicode UTS #39);
* **brand claims** -- a label naming a bank or wallet (``apkscan/data/brands.toml``) while the APK is
  not signed by one of that brand's known certificates. With no certificate on record the claim is a
  lead to check, not a verdict.

Also reported: invisible or direction-changing characters (zero-width joiners, U+202E) in the label,
which serve the same purpose. Icons are not examined.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from apkscan.knowledge.lender_data import Brand, confusables, default_brands

MAX_LABEL = 1000
#: Characters a reader cannot see but that change how a name compares or displays.
HIDDEN_CATEGORIES = ("Cf", "Cc", "Co", "Cn")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class LookAlike:
    char: str
    codepoint: str  # "U+0430"
    script: str  # "CYRILLIC"
    looks_like: str  # "a" ("" when the table has no Latin prototype for it)


@dataclass(frozen=True, slots=True)
class ImpersonationHit:
    """One reason to doubt a label. ``kind``: mixed_script | hidden_characters | brand_claim."""

    kind: str
    label: str
    word: str = ""  # the mixed-script word, or the brand text found
    skeleton: str = ""  # the label with look-alike letters replaced (mixed_script, brand_claim)
    letters: tuple[LookAlike, ...] = ()
    brand: str = ""  # brand id
    brand_name: str = ""
    country: str = ""
    signer_known: bool = False  # the brand's known certificates are on record
    signer_matches: bool = False  # the APK is signed by one of them


def script_of(char: str) -> str:
    """First word of the character's Unicode name (LATIN, CYRILLIC, GREEK, CJK, …); "" if unnamed."""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return ""
    return name.split(" ", 1)[0]


def skeleton(text: str) -> str:
    """The text as a reader sees it: NFKC (fullwidth -> ASCII), look-alikes -> Latin, hidden characters dropped."""
    text = unicodedata.normalize("NFKC", text[:MAX_LABEL])
    table = confusables()
    return "".join(table.get(c, c) for c in text if unicodedata.category(c) not in HIDDEN_CATEGORIES)


def check_label(
    labels: Iterable[str], signer_sha256: Iterable[str] = (), brands: tuple[Brand, ...] | None = None
) -> tuple[ImpersonationHit, ...]:
    """All reasons to doubt the labels (default label, Chinese label…); never raises."""
    brands = default_brands() if brands is None else brands
    signers = {s.lower() for s in signer_sha256}
    hits: list[ImpersonationHit] = []
    claimed: set[str] = set()
    for label in dict.fromkeys(label[:MAX_LABEL] for label in labels if label):
        hits += _hidden(label)
        hits += _mixed(label)
        for brand, found in _brand_claims(label, brands):
            if brand.id in claimed:
                continue
            claimed.add(brand.id)
            hits.append(
                ImpersonationHit(
                    kind="brand_claim",
                    label=label,
                    word=found,
                    skeleton=skeleton(label),
                    brand=brand.id,
                    brand_name=brand.name,
                    country=brand.country,
                    signer_known=bool(brand.signers),
                    signer_matches=bool(signers & set(brand.signers)),
                )
            )
    return tuple(h for h in hits if not (h.kind == "brand_claim" and h.signer_matches))


def _hidden(label: str) -> list[ImpersonationHit]:
    found = [c for c in label if unicodedata.category(c) in HIDDEN_CATEGORIES]
    if not found:
        return []
    letters = tuple(LookAlike(c, f"U+{ord(c):04X}", unicodedata.category(c), "") for c in dict.fromkeys(found))
    return [ImpersonationHit(kind="hidden_characters", label=label, skeleton=skeleton(label), letters=letters)]


def _mixed(label: str) -> list[ImpersonationHit]:
    """Words mixing Latin letters with Cyrillic/Greek/Armenian ones that look Latin."""
    table = confusables()
    out = []
    for m in _WORD.finditer(unicodedata.normalize("NFKC", label)):
        word = m.group()
        scripts = {script_of(c) for c in word}
        if "LATIN" not in scripts or len(scripts) < 2:
            continue
        odd = tuple(
            LookAlike(c, f"U+{ord(c):04X}", script_of(c), table.get(c, ""))
            for c in dict.fromkeys(word)
            if script_of(c) != "LATIN"
        )
        if any(x.looks_like for x in odd):
            out.append(
                ImpersonationHit(kind="mixed_script", label=label, word=word, skeleton=skeleton(label), letters=odd)
            )
    return out


def _brand_claims(label: str, brands: tuple[Brand, ...]) -> list[tuple[Brand, str]]:
    variants = dict.fromkeys((label, skeleton(label)))
    out = []
    for brand in brands:
        for text in variants:
            found = _find_brand(text, brand)
            if found:
                out.append((brand, found))
                break
    return out


def _find_brand(text: str, brand: Brand) -> str:
    for acronym in brand.acronyms:
        m = re.search(rf"(?<![A-Za-z0-9]){re.escape(acronym)}(?![A-Za-z0-9])", text)
        if m:
            return m.group()
    lower = text.lower()
    for name in brand.names:
        if name.isascii():
            m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lower)
            if m:
                return text[m.start() : m.end()]
        elif name in lower:
            return name
    return ""
