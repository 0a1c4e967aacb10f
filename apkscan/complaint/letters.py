"""The letter templates of a complaint (``apkscan/data/letters.toml``): one per kind of recipient, in two languages.

Why data: the wording of a demand or a police report is for people who know complaints, not code. The spec
(``LETTERS`` in :mod:`apkscan.knowledge.complaint_specs`) checks that every paragraph exists in English and Chinese
with the same placeholders and that each placeholder is one the renderer knows, so a typo cannot leave ``{nmae}`` in
a letter a borrower sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from apkscan.knowledge.complaint_specs import LETTER_PLACEHOLDERS as PLACEHOLDERS
from apkscan.knowledge.complaint_specs import LETTERS
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import RuleTableError, load_document, placeholders
from apkscan.model.text import Text
from apkscan.model.vocab import LETTER_BLANKS as BLANKS
from apkscan.model.vocab import LETTER_BLOCKS as BLOCKS
from apkscan.model.vocab import LETTER_FACTS as FACTS

__all__ = [
    "BLANKS",
    "BLOCKS",
    "FACTS",
    "PLACEHOLDERS",
    "LetterDataError",
    "LetterTemplate",
    "load_letters",
    "placeholders",
]


class LetterDataError(RuleTableError):
    """``letters.toml`` is malformed (spec: ``LETTERS`` in apkscan.knowledge.complaint_specs); a line a problem."""


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    kinds: tuple[str, ...]
    subject: Text
    paragraphs: tuple[Text, ...]


@cache
def load_letters(path: Path | None = None) -> dict[str, LetterTemplate]:
    """Letter templates keyed by channel kind."""
    doc, _ = load_document(path or data_file("letters.toml"), LETTERS, error=LetterDataError)
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
