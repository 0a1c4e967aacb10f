"""Match a weighted, multilingual word list against an app's texts, remembering where each word was.

Shared by the lending detector (:mod:`.lending`) and the marketing red flags (:mod:`.promises`): both
are word lists in TOML (``apkscan/data/lending.toml``, ``promises.toml``) matched against the same
places -- label, package name, activity names, resource strings and DEX strings. The lists are data so
that a reviewer who knows a market can add its words without reading code.

Matching is one compiled alternation per place, case-insensitive, longest term first; a term is
``word`` (whole word), ``prefix`` (word start) or ``substring`` (anywhere: scripts without spaces
between words, or where Python's ``\\b`` is unreliable, as with Devanagari vowel signs). Package
names are matched per segment (see :func:`package_segments`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

PLACES = ("label", "package", "activity", "resource", "dex")
MATCHES = ("word", "prefix", "substring")
LANGS = ("zh", "en", "id", "hi", "es", "sw")
#: Texts longer than this are cut before matching (a hostile APK can carry megabyte strings).
MAX_TEXT = 20_000
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[_$\-]+")


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a list; ``id`` is the term's own text unless the list gives one."""

    text: str
    lang: str
    weight: float
    match: str = "word"
    places: tuple[str, ...] = PLACES
    id: str = ""
    extra: tuple[tuple[str, Any], ...] = ()

    def pattern(self) -> str:
        body = re.escape(self.text).replace(r"\ ", r"\s+")
        if self.match == "substring":
            return body
        if self.match == "prefix":
            return rf"(?<!\w){body}"
        return rf"(?<!\w){body}(?!\w)"

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


def load_toml(path: Path | None, default: str) -> tuple[str, dict[str, Any]]:
    """Read a packaged data file (or the user's own); ValueError with a one-line message."""
    if path is None:
        label = f"apkscan/data/{default}"
        text = resources.files("apkscan").joinpath("data", default).read_text(encoding="utf-8")
    else:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"{label}: cannot read: {exc.strerror or exc}") from None
    try:
        return label, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{label}: invalid TOML: {exc}") from None


def parse_terms(label: str, raw: Any, table: str = "term", extra_keys: tuple[str, ...] = ()) -> tuple[Term, ...]:
    """Validate ``[[term]]`` tables; unknown keys other than ``extra_keys`` are refused."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{label}: expected one or more [[{table}]] tables")
    allowed = {"text", "lang", "weight", "match", "places", "id", "note", "source", *extra_keys}
    terms = []
    for i, item in enumerate(raw):
        where = f"{label}: [[{table}]] #{i + 1}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: not a table")
        unknown = set(item) - allowed
        if unknown:
            raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip() or text != text.lower():
            raise ValueError(f"{where}: 'text' must be a non-empty lower-case string")
        lang = item.get("lang")
        if lang not in LANGS:
            raise ValueError(f"{where}: 'lang' must be one of {', '.join(LANGS)}")
        weight = item.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise ValueError(f"{where}: 'weight' must be a number")
        match = item.get("match", "word")
        if match not in MATCHES:
            raise ValueError(f"{where}: 'match' must be one of {', '.join(MATCHES)}")
        places = item.get("places") or list(PLACES)
        if not isinstance(places, list) or not set(places) <= set(PLACES):
            raise ValueError(f"{where}: 'places' must be a list of {', '.join(PLACES)}")
        extra = tuple((k, item[k]) for k in extra_keys if k in item)
        terms.append(Term(text, lang, float(weight), match, tuple(places), str(item.get("id", text)), extra))
    return tuple(terms)


class Matcher:
    """Finds the terms of one list in texts of one place."""

    def __init__(self, terms: Iterable[Term], place: str) -> None:
        self.place = place
        chosen = sorted((t for t in terms if place in t.places), key=lambda t: -len(t.text))
        self._by_text: dict[str, list[Term]] = {}
        for term in chosen:
            self._by_text.setdefault(_fold(term.text), []).append(term)
        patterns = list(dict.fromkeys(t.pattern() for t in chosen))
        self._rx = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def find(self, text: str) -> list[tuple[Term, int, int]]:
        """(term, start, end) of every match in ``text`` (cut to :data:`MAX_TEXT`)."""
        if self._rx is None or not text:
            return []
        out = []
        for m in self._rx.finditer(text[:MAX_TEXT]):
            for term in self._by_text.get(_fold(m.group()), ()):
                out.append((term, m.start(), m.end()))
        return out


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def package_segments(package: str) -> list[str]:
    """``id.kilatdana.app`` -> ["id", "kilatdana", "app"]; camelCase and ``_`` split too."""
    out = []
    for segment in package.split("."):
        out += [p.lower() for p in _CAMEL.split(segment) if p]
    return out


def match_package(package: str, terms: Iterable[Term]) -> list[tuple[Term, str]]:
    """(term, segment) pairs: a segment equal to the term, or containing it when it has 4+ letters.

    Package names glue words together (``quickcash``, ``kilatdana``), so long terms are looked for
    inside segments; short ones (``dai``) only as a whole segment, where they are unambiguous.
    """
    found = []
    segments = package_segments(package[:MAX_TEXT])
    for term in terms:
        if "package" not in term.places or " " in term.text:
            continue
        for segment in segments:
            if segment == term.text or (len(term.text) >= 4 and term.text in segment):
                found.append((term, segment))
                break
    return found


def split_identifier(name: str) -> str:
    """``com.example.quickcash.ui.LoanWebActivity`` -> "Loan Web Activity" (the simple name, in words)."""
    simple = name.rpartition(".")[2]
    return " ".join(p for p in _CAMEL.split(simple) if p)


def looks_like_list(text: str) -> bool:
    """A regex alternation or word list (``…|live|loan|loans|…``): its words are data, not the app's voice."""
    return text.count("|") > 20 or text.count(",") > 60


def quote(text: str, start: int, end: int, width: int = 80) -> str:
    """The matched words with up to ``width`` characters around them, one line, control characters removed."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = text[left:right]
    snippet = "".join(c if c.isprintable() else " " for c in snippet)
    snippet = " ".join(snippet.split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")
