"""The specs of the complaint command's data files: loan caps, evidence kinds, channels and letter templates.

Why a module of their own: these files belong to the complaint library (``apkscan.complaint``), which reads them, but
their shape is checked by the same mechanism as every data file, and the knowledge layer (below the complaint layer)
must hold the specs so that :data:`apkscan.knowledge.specs.DATA_FILES` and the data README cover every file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from apkscan.knowledge.schema import (
    META,
    OPT_TEXT,
    TAG,
    TEXT,
    Array,
    Bool,
    Field,
    Int,
    Keyed,
    KeyPath,
    Num,
    Str,
    Table,
    optional,
    placeholders,
    text_pair,
)
from apkscan.model.vocab import (
    CAP_BASES,
    CAP_JURISDICTIONS,
    CAP_KIND_UNITS,
    CAP_MEASURES,
    CAP_NOT_COMPARABLE,
    CAP_RATE_KINDS,
    CAP_SCOPES,
    CAP_UNITS,
    CHANNEL_KINDS,
    JURISDICTIONS,
    LETTER_BLANKS,
    LETTER_BLOCKS,
    LETTER_FACTS,
)

# ------------------------------------------------------------------------------------------------------ loan_caps.toml

_NUMERIC_KEYS = ("limit", "unit", "measure", "parameter", "banned_at_limit")


def _cap_fact_fits_its_kind(fact: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Units per kind, a measure for rate caps, a parameter exactly for 'times-parameter', dates in order."""
    kind = fact["kind"]
    units = CAP_KIND_UNITS[kind]
    if units is None:
        extra = next((k for k in _NUMERIC_KEYS if k in fact), None)
        if extra:
            yield extra, f"a {kind!r} fact carries no number"
    else:
        missing = [k for k in ("limit", "unit") if k not in fact]
        yield from ((k, f"required for kind {kind!r}") for k in missing)
        if not missing and fact["unit"] not in units:
            yield "unit", f"must be one of {', '.join(units)} for {kind!r}"
    if kind in CAP_RATE_KINDS and "measure" not in fact:
        yield "measure", "required for a rate cap (nominal or effective)"
    if kind in CAP_RATE_KINDS and fact.get("base", "received") != "received":
        yield "base", "a rate cap is always on the amount received (the IRR's base)"
    if (fact.get("unit") == "times-parameter") != ("parameter" in fact):
        yield "parameter", "required exactly when unit is 'times-parameter'"
    start, end = fact.get("in_force_from", ""), fact.get("in_force_until", "")
    if len(start) == len(end) == 10 and end < start:
        yield "in_force_until", "is before in_force_from"


def _values_in_date_order(parameter: Mapping[str, Any]) -> Iterable[tuple[KeyPath, str]]:
    previous = ""
    for i, value in enumerate(parameter["values"]):
        if previous and value["from"] <= previous:
            yield ("values", i, "from"), "values must be listed in increasing date order"
        previous = value["from"]


_DAY = Str(full_date=True)
CAP_FACT = Table(
    {
        "jurisdiction": Field(Str(choices=CAP_JURISDICTIONS)),
        "kind": Field(Str(choices=tuple(CAP_KIND_UNITS)), doc="what the fact limits"),
        "limit": optional(Num(minimum=0), "the number, in `unit`"),
        "unit": optional(Str(choices=CAP_UNITS)),
        "parameter": optional(Str(nonempty=True, ref="parameters"), "with unit times-parameter: e.g. the LPR"),
        "measure": optional(Str(choices=CAP_MEASURES), "rate caps: nominal (simple) or effective (compound)"),
        "base": optional(Str(choices=CAP_BASES), "money caps: the amount received or the contract amount"),
        "banned_at_limit": optional(Bool(), "reaching the limit already breaks the rule"),
        "not_comparable": optional(Str(choices=CAP_NOT_COMPARABLE), "why the loan figures cannot be compared"),
        "max_principal": optional(Num(minimum=0)),
        "min_term_months": optional(Int(minimum=1)),
        "max_term_months": optional(Int(minimum=1)),
        "scope": optional(Array(Str(choices=CAP_SCOPES)), "conditions apkscan cannot check"),
        "in_force_from": optional(_DAY),
        "in_force_until": optional(_DAY),
        **text_pair("instrument", doc="the law or rule"),
        "article": Field(Str()),
        "date": Field(Str(date=True), doc="the instrument's date"),
        "url": Field(Str(), doc="where to read it"),
        "verification": TAG,
        **text_pair("note", OPT_TEXT),
    },
    rules=(_cap_fact_fits_its_kind,),
)
CAP_PARAMETER = Table(
    {
        **text_pair("name"),
        "unit": Field(Str(choices=CAP_UNITS[:3])),
        "values": Field(
            Array(
                Table(
                    {
                        "value": Field(Num(minimum=0)),
                        "from": Field(_DAY, doc="the date it took effect"),
                        "verification": TAG,
                        "url": TEXT,
                    }
                )
            ),
            doc="in increasing date order",
        ),
    },
    rules=(_values_in_date_order,),
    doc="a number a cap depends on (China's one-year LPR)",
)
LOAN_CAPS = Table(
    {
        "meta": Field(META),
        "parameters": optional(Keyed(CAP_PARAMETER, id_name="parameter")),
        "facts": Field(Keyed(CAP_FACT, id_name="fact"), doc="one rule about the cost or terms of a loan"),
    }
)

# ------------------------------------------------------------------------------------------------------ evidence_kinds

_SEPARATORS = re.compile(r"[\s_.\-]+")


def folder_key(name: str) -> str:
    """Normalise a folder name or synonym: NFKC (full-width letters), case-folded, separators collapsed to '-'."""
    return _SEPARATORS.sub("-", unicodedata.normalize("NFKC", name).casefold()).strip("-")


def _one_kind_per_synonym(doc: Mapping[str, Any]) -> Iterable[tuple[KeyPath, str]]:
    """A folder name (compared as :func:`folder_key`) or extension may belong to one kind only; "other" must exist."""
    kinds = doc["kinds"]
    if "other" not in kinds:
        yield ("kinds", "other"), "missing required kind (files nothing else matches)"
    owner: dict[tuple[str, str], str] = {}
    for kid, kind in kinds.items():
        for key in ("folders", "extensions"):
            for i, raw in enumerate(kind.get(key, [])):
                norm = folder_key(raw) if key == "folders" else raw
                if (key, norm) in owner:
                    yield ("kinds", kid, key, i), f"{raw!r} is already listed under kind {owner[key, norm]!r}"
                else:
                    owner[key, norm] = kid


_NAMES_LIST = Array(Str(nonempty=True))
EVIDENCE_KIND = Table(
    {
        "folders": optional(_NAMES_LIST, "folder names borrowers use (case, width and separators do not matter)"),
        "extensions": optional(
            Array(Str(pattern=r"[a-z0-9]{1,10}", hint="lower-case letters or digits (without the dot)")),
            "file extensions",
        ),
    }
)
EVIDENCE_KINDS = Table(
    {
        "meta": Field(META),
        "index": Field(Table({"names": Field(_NAMES_LIST, doc="file names of a folder's index")})),
        "kinds": Field(Keyed(EVIDENCE_KIND, id_name="kind"), doc="kinds of evidence; 'other' is required"),
        "situations": Field(
            Keyed(
                Table(
                    {
                        "jurisdiction": Field(Str(choices=JURISDICTIONS)),
                        "requirements": Field(
                            Array(
                                Table(
                                    {
                                        "id": TEXT,
                                        "kinds": Field(
                                            Array(Str(nonempty=True, ref="kinds")), doc="any one of them will do"
                                        ),
                                    }
                                )
                            )
                        ),
                    }
                ),
                id_name="situation",
            ),
            doc="what each situation asks the borrower to keep",
        ),
    },
    rules=(_one_kind_per_synonym,),
)

# ------------------------------------------------------------------------------------------------------ channels.toml

CHANNEL_ENTRY = Table(
    {
        "id": Field(Str(pattern=r"[a-z0-9-]+", hint="lower-case letters, digits and -"), doc="for --channel"),
        "jurisdiction": Field(Str(choices=JURISDICTIONS)),
        "kind": Field(Str(choices=CHANNEL_KINDS), doc="which letter it gets"),
        **text_pair("name"),
        "contact": optional(Str(), "phone, site or address; empty when it depends on where you live"),
        **text_pair("purpose"),
        "verification": TAG,
    }
)
CHANNELS = Table({"channels": Field(Array(CHANNEL_ENTRY, nonempty=True, unique="id"), doc="in the order to try them")})

# ------------------------------------------------------------------------------------------------------ letters.toml

LETTER_PLACEHOLDERS = frozenset(LETTER_FACTS + LETTER_BLOCKS + LETTER_BLANKS)


def _letter_placeholders(entry: Mapping[str, Any], en: str, zh: str) -> Iterable[str]:
    a, b = placeholders(entry[en]), placeholders(entry[zh])
    if a != b:
        yield f"en and zh use different placeholders ({sorted(a ^ b)})"
    unknown = sorted((a | b) - LETTER_PLACEHOLDERS)
    if unknown:
        yield f"unknown placeholder {unknown[0]!r} (known: {', '.join(sorted(LETTER_PLACEHOLDERS))})"


def _paragraph_placeholders(paragraph: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    return (("", problem) for problem in _letter_placeholders(paragraph, "en", "zh"))


def _subject_placeholders(letter: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    return (("subject_en", problem) for problem in _letter_placeholders(letter, "subject_en", "subject_zh"))


def _one_letter_per_kind(doc: Mapping[str, Any]) -> Iterable[tuple[KeyPath, str]]:
    covered: dict[str, str] = {}
    for lid, letter in doc["letters"].items():
        for i, kind in enumerate(letter["kinds"]):
            if kind in covered:
                yield ("letters", lid, "kinds", i), f"{kind!r} already has the letter {covered[kind]!r}"
            covered.setdefault(kind, lid)
    for kind in CHANNEL_KINDS:
        if kind not in covered:
            yield ("letters",), f"no letter for channel kind {kind!r}"


LETTER = Table(
    {
        "kinds": Field(Array(Str(choices=CHANNEL_KINDS), nonempty=True), doc="the channel kinds it is written to"),
        **text_pair("subject"),
        "paragraphs": Field(
            Array(
                Table(
                    {"en": TEXT, "zh": TEXT},
                    rules=(_paragraph_placeholders,),
                    doc="a paragraph with {placeholders}, the same in both languages",
                ),
                nonempty=True,
            )
        ),
    },
    rules=(_subject_placeholders,),
)
LETTERS = Table({"letters": Field(Keyed(LETTER, id_name="letter"))}, rules=(_one_letter_per_kind,))
