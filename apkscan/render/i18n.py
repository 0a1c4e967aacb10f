"""Interface text in English and Chinese, read from ``data/ui.toml``, and the one place words are chosen.

Evaluation hands over :class:`~apkscan.model.text.Message` (a key plus parameters) and
:class:`~apkscan.model.text.Text` (both languages); :func:`say` turns either into a sentence in the language a
renderer asks for. Translators edit ``ui.toml`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apkscan.knowledge.ui import load_ui
from apkscan.model.text import Message, Text
from apkscan.model.vocab import LANGUAGES

LANGS = LANGUAGES


def catalogue() -> dict[str, Any]:
    """The checked ``ui.toml`` (both languages, the same placeholders): section → name → {en, zh}."""
    return load_ui()


def t(key: str, lang: str, **values: object) -> str:
    """Look up ``section.name`` in the chosen language (English when missing) and fill placeholders."""
    entry: dict = catalogue()
    for part in key.split("."):
        entry = entry[part]
    text = entry[lang] if lang in entry else entry["en"]
    return text.format(**values) if values else text


def name_of(section: str, ident: str, lang: str) -> str:
    """A display name for an id from a data file; the id itself when the interface text has none."""
    entry = catalogue().get(section, {}).get(ident)
    return (entry.get(lang) or entry["en"]) if entry else ident.replace("_", " ")


def join_words(words: list[str], lang: str) -> str:
    """'a, b and c' / 'a、b和c'."""
    if len(words) <= 1:
        return "".join(words)
    return t("headline.join", lang).join(words[:-1]) + t("headline.last_join", lang) + words[-1]


def say(words: Any, lang: str) -> str:
    """Write a message, bilingual text, plain value or sequence of them in ``lang`` (sequences as "a, b and c")."""
    if words is None:
        return ""
    if isinstance(words, Message):
        return t(words.key, lang, **_params(words.params, lang)) if words.params else t(words.key, lang)
    if isinstance(words, Text):
        return words.get(lang)
    if isinstance(words, (tuple, list)):
        return join_words([say(w, lang) for w in words], lang)
    return str(words)


def _params(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        k: v if isinstance(v, (int, float)) and not isinstance(v, bool) else say(v, lang) for k, v in params.items()
    }
