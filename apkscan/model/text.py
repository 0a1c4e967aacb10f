"""Words that wait for a language: bilingual text from the data files, and messages (an id plus parameters).

Evaluation never chooses a language. A finding's title is a :class:`Message` — a key into the interface text
(``apkscan/data/ui.toml``) with its parameters — and a reason from the rule table is a :class:`Text` holding both
languages. Renderers turn them into words at the very end, so one scan can be written as a report, a complaint or a
web page in Chinese or English without scanning again (the way linters carry a code plus arguments and gettext
catalogues pick the sentence only when printing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """A borrower-facing string in English and Simplified Chinese; renderers pick one with ``get``."""

    en: str
    zh: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh", "zh-CN", "en"...), falling back to English when that language is empty."""
        if lang.lower().startswith("zh") and self.zh:
            return self.zh
        return self.en

    def __bool__(self) -> bool:
        return bool(self.en or self.zh)


@dataclass(frozen=True)
class Message:
    """A sentence still to be written: ``key`` names it in ``ui.toml``, ``params`` fill its placeholders.

    A parameter is a plain value (shown as is), a :class:`Text` (shown in the chosen language), another
    :class:`Message` (written first, e.g. the noun for a data category) or a tuple of those (joined as "a, b and c").
    """

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)


Param = str | int | float | bool | None | Text | Message | tuple[Any, ...]

#: Something a renderer can turn into words: a message, bilingual text, or a language-neutral string.
Words = Message | Text | str
