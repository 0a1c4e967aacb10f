"""The letter templates of a complaint (``apkscan/data/letters.toml``): one per kind of recipient, in two languages.

Why data: the wording of a demand or a police report is for people who know complaints, not code. The loader checks
that every paragraph exists in English and Chinese with the same placeholders and that each placeholder is one the
renderer knows, so a typo cannot leave ``{nmae}`` in a letter a borrower sends.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apkscan.complaint.channels import KINDS
from apkscan.complaint.datafile import packaged, read_checked
from apkscan.knowledge.schema import TEXT, Field, RuleTableError, SchemaError, check_named_tables, check_table, key_path
from apkscan.model.text import Text

#: Facts the scan established (filled in), blocks, and blanks only the borrower can fill.
FACTS = ("app", "package", "version", "sha256", "signer", "size", "scanned_at", "tool", "rules", "manifest",
         "recipient", "contact")  # fmt: skip
BLOCKS = ("points", "loan")
BLANKS = ("name", "phone", "id_number", "loan_id", "loan_date", "lender", "address", "date", "where_got",
          "incidents", "deadline")  # fmt: skip
PLACEHOLDERS = frozenset(FACTS + BLOCKS + BLANKS)

PARAGRAPH = {"en": TEXT, "zh": TEXT}
LETTER = {"kinds": Field(list), "subject_en": TEXT, "subject_zh": TEXT, "paragraphs": Field(list, items=PARAGRAPH)}
LETTERS_TOP = {"letters": Field(dict)}


class LetterDataError(RuleTableError):
    """``letters.toml`` is malformed; one line naming the file and key."""


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    kinds: tuple[str, ...]
    subject: Text
    paragraphs: tuple[Text, ...]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check(doc: dict[str, Any]) -> None:
    check_table(doc, LETTERS_TOP, "")
    check_named_tables(doc["letters"], LETTER, "letters")
    covered: dict[str, str] = {}
    for lid, letter in doc["letters"].items():
        where = key_path("letters", lid)
        for kind in letter["kinds"]:
            if kind not in KINDS:
                raise SchemaError(key_path(where, "kinds"), f"{kind!r} is not one of {', '.join(KINDS)}")
            if kind in covered:
                raise SchemaError(key_path(where, "kinds"), f"{kind!r} already has the letter {covered[kind]!r}")
            covered[kind] = lid
        texts = [("subject", Text(letter["subject_en"], letter["subject_zh"]))]
        texts += [(f"paragraphs[{i}]", Text(p["en"], p["zh"])) for i, p in enumerate(letter["paragraphs"])]
        for name, text in texts:
            try:
                en, zh = placeholders(text.en), placeholders(text.zh)
            except ValueError as err:
                raise SchemaError(f"{where}.{name}", f"broken placeholder ({err})") from None
            if en != zh:
                raise SchemaError(f"{where}.{name}", f"en and zh use different placeholders ({sorted(en ^ zh)})")
            unknown = en - PLACEHOLDERS
            if unknown:
                raise SchemaError(f"{where}.{name}", f"unknown placeholder {sorted(unknown)[0]!r}")
    missing = [k for k in KINDS if k not in covered]
    if missing:
        raise SchemaError("letters", f"no letter for channel kind {missing[0]!r}")


@cache
def load_letters(path: Path | None = None) -> dict[str, LetterTemplate]:
    """Letter templates keyed by channel kind."""
    doc, _ = read_checked(path or packaged("letters.toml"), _check, LetterDataError)
    by_kind: dict[str, LetterTemplate] = {}
    for lid, letter in doc["letters"].items():
        template = LetterTemplate(
            lid,
            tuple(letter["kinds"]),
            Text(letter["subject_en"], letter["subject_zh"]),
            tuple(Text(p["en"], p["zh"]) for p in letter["paragraphs"]),
        )
        by_kind.update(dict.fromkeys(template.kinds, template))
    return by_kind
