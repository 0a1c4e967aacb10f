"""Weighted, multilingual word lists matched against an app's texts, remembering where each word was.

Shared by the lending detector and the marketing red flags: both are word lists in TOML (``lending.toml``,
``promises.toml``) matched against the same places — label, package name, activity names, resource strings and DEX
strings. Matching reuses the policy lexicon's engine (:mod:`apkscan.knowledge.matcher`: one prefix-tree regex, ASCII
phrases tried only where an ASCII word starts), so both read text the same way: lower-cased, full-width letters
folded, a space in a phrase matching a space, a hyphen or nothing. A term is matched as a ``word`` (whole word, an
English plural allowed), a ``prefix`` (word start: ``loan`` → ``loans``, ``loanapp``) or a ``substring`` (scripts
without spaces between words; an ASCII substring still starts at a word start, package names are split into
segments by :func:`match_package` instead).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apkscan.knowledge.matcher import build_vocab, normalize, term_key
from apkscan.model.vocab import TEXT_PLACES

#: Texts longer than this are cut before matching (a hostile APK can carry megabyte strings).
MAX_TEXT = 20_000
#: Many short texts are searched together, this many characters at a time.
CHUNK = 1_000_000
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[_$\-]+")


@dataclass(frozen=True)
class Term:
    """One word of a list; ``id`` is the term's own text unless the list gives one (a red flag's kind)."""

    text: str
    lang: str
    weight: float = 1.0
    match: str = "word"
    places: tuple[str, ...] = TEXT_PLACES
    id: str = ""
    source: str = ""


@dataclass(frozen=True)
class Hit:
    """A term found at ``start:end`` of ``text``: the string searched, or its normalised form when normalising changed
    its length (runs of spaces, a few letters whose lower case is longer)."""

    term: Term
    start: int
    end: int
    text: str


def terms_from(doc_items: Sequence[Mapping[str, Any]]) -> tuple[Term, ...]:
    """Terms from ``[[term]]``/``[[flag]]`` tables already checked against their spec."""
    return tuple(
        Term(
            text=item["text"],
            lang=item["lang"],
            weight=float(item.get("weight", 1.0)),
            match=item.get("match", "word"),
            places=tuple(item.get("places") or TEXT_PLACES),
            id=str(item.get("id", item["text"])),
            source=item.get("source", ""),
        )
        for item in doc_items
    )


def _phrase(text: str) -> str:
    """A phrase as a regex, a space matching a space, a hyphen or nothing (as the lexicon's literals do)."""
    return r"[\s\-]?".join(re.escape(word) for word in normalize(text).split(" "))


class Matcher:
    """Finds the terms of one list in the texts of one place."""

    def __init__(self, terms: Iterable[Term], place: str) -> None:
        self.place = place
        self._owner: dict[str, list[Term]] = {}
        literals: list[tuple[str, bool]] = []
        raws: list[str] = []
        for term in terms:
            if place not in term.places:
                continue
            self._owner.setdefault(term_key(normalize(term.text)), []).append(term)
            if term.match == "word" or (term.match == "substring" and not term.text[:1].isascii()):
                literals.append((term.text, term.lang == "en" and term.match == "word"))
            else:
                raws.append(_phrase(term.text))
        self._vocab = build_vocab(literals, raws) if literals or raws else None

    def find(self, text: str) -> list[Hit]:
        """Every term in ``text`` (cut to :data:`MAX_TEXT`), leftmost-longest and not overlapping."""
        if self._vocab is None or not text:
            return []
        text = text[:MAX_TEXT]
        haystack = normalize(text)
        shown = text if len(haystack) == len(text) else haystack  # same length: the offsets are the same
        out = []
        for m in self._vocab.matches(haystack):
            key = term_key(m.group())
            owners = self._owner.get(key) or self._owner.get(key[:-1]) or self._owner.get(key[:-2]) or ()
            out += [Hit(term, m.start(), m.end(), shown) for term in owners]
        return out

    def find_many(self, texts: Sequence[str]) -> list[tuple[int, Hit]]:
        """(index of the text, hit) over many short texts, searched a chunk at a time (about a million characters):
        the thousands of resource strings of an app cost a few searches instead of one each. A match never spans
        two texts."""
        out: list[tuple[int, Hit]] = []
        if self._vocab is None:
            return out
        first = size = 0
        for i, text in enumerate(texts):
            size += min(len(text), MAX_TEXT) + 1
            if size >= CHUNK or i == len(texts) - 1:
                out += self._chunk(texts, first, i + 1)
                first, size = i + 1, 0
        return out

    def _chunk(self, texts: Sequence[str], first: int, stop: int) -> list[tuple[int, Hit]]:
        assert self._vocab is not None
        shown: list[str] = []
        starts: list[int] = []
        parts: list[str] = []
        at = 0
        for text in texts[first:stop]:
            text = text[:MAX_TEXT]
            folded = normalize(text)
            shown.append(text if len(folded) == len(text) else folded)
            starts.append(at)
            parts.append(folded)
            at += len(folded) + 1
        out = []
        for m in self._vocab.matches("\n".join(parts)):
            index = bisect_right(starts, m.start()) - 1
            begin, end = m.start() - starts[index], m.end() - starts[index]
            if end > len(parts[index]):
                continue  # ran into the next text
            key = term_key(m.group())
            owners = self._owner.get(key) or self._owner.get(key[:-1]) or self._owner.get(key[:-2]) or ()
            out += [(first + index, Hit(term, begin, end, shown[index])) for term in owners]
        return out


def package_segments(package: str) -> list[str]:
    """``id.kilatdana.app`` -> ["id", "kilatdana", "app"]; camelCase and ``_`` split too."""
    out = []
    for segment in package.split("."):
        out += [p.lower() for p in _CAMEL.split(segment) if p]
    return out


def match_package(package: str, terms: Iterable[Term]) -> list[tuple[Term, str]]:
    """(term, segment) pairs: a segment equal to the term, or containing it when it has 4+ letters.

    Package names glue words together (``quickcash``, ``kilatdana``), so long terms are looked for inside segments;
    short ones (``dai``) only as a whole segment, where they are unambiguous.
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
    snippet = "".join(c if c.isprintable() else " " for c in text[left:right])
    snippet = " ".join(snippet.split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")
