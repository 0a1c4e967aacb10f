"""Interface text in English and Chinese, read from ``data/ui.toml`` so translators never touch code."""

from __future__ import annotations

import locale
import os
import tomllib
from functools import lru_cache
from importlib.resources import files

LANGS = ("en", "zh")


@lru_cache(maxsize=1)
def _strings() -> dict:
    return tomllib.loads(files("apkscan").joinpath("data/ui.toml").read_text(encoding="utf-8"))


def t(key: str, lang: str, **values: object) -> str:
    """Look up ``section.name`` in the chosen language (English when missing) and fill placeholders."""
    section, name = key.split(".", 1)
    entry = _strings()[section][name]
    text = entry[lang] if lang in entry else entry["en"]
    return text.format(**values) if values else text


def name_of(section: str, ident: str, lang: str) -> str:
    """A display name for an id from a data file; the id itself when the interface text has none."""
    entry = _strings().get(section, {}).get(ident)
    return (entry.get(lang) or entry["en"]) if entry else ident.replace("_", " ")


def join_words(words: list[str], lang: str) -> str:
    """'a, b and c' / 'a、b和c'."""
    if len(words) <= 1:
        return "".join(words)
    return t("headline.join", lang).join(words[:-1]) + t("headline.last_join", lang) + words[-1]


def default_lang() -> str:
    """zh for a Chinese locale, else en (LC_ALL/LC_MESSAGES/LANG, as gettext reads them)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"
