"""Fast matching of many phrases at once, for the policy lexicon.

A policy of a hundred pages has thousands of sentences and the lexicon has dozens of word lists, so the matcher
decides whether the analysis takes half a second or ten. Two tricks keep it fast with the standard ``re``:
phrases are compiled into a prefix tree (the engine then decides on the first character once instead of trying
hundreds of alternatives), and phrases that start with an ASCII letter are only tried where an ASCII word starts
(English text has a candidate at almost every position otherwise). That second rule is also the lexicon's word-edge
rule: a match never starts inside an ASCII word, so "use" is not found in "because".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, KeysView, Mapping
from functools import lru_cache

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_WORD_RE = re.compile(r"[a-z0-9]+")
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH[0x3000] = 0x20


_SPACES = re.compile(r"\s+")
# a space between Chinese and a Latin word or number ("设备 ID", "SD 卡", "USB 存储设备"), which typesetting adds and
# the word lists do not have
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[a-z0-9])|(?<=[a-z0-9]) (?=[\u3400-\u9fff])")


def normalize(text: str) -> str:
    """The form every matcher sees: lower case, full-width letters/digits as ASCII, Chinese punctuation kept."""
    text = _SPACES.sub(" ", text.translate(_FULLWIDTH).lower())
    return text if text.isascii() else _CJK_GAP.sub("", text)


@lru_cache(maxsize=256)
def _word_index(text: str) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Where ASCII words start, filed by their first two letters and by their first letter.

    Built once per sentence and shared by every vocabulary: a vocabulary then only looks at the words whose first
    letters it has alternatives for (a set intersection), instead of at every word.
    """
    by2: dict[str, list[int]] = {}
    by1: dict[str, list[int]] = {}
    for m in _WORD_RE.finditer(text):
        start, word = m.start(), m.group()
        by2.setdefault(word[:2], []).append(start)
        by1.setdefault(word[0], []).append(start)
    return by2, by1


class _Lazy:
    """Small regexes compiled on first use: a lexicon has hundreds of them and one policy touches few."""

    __slots__ = ("sources", "compiled")

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.compiled: dict[str, re.Pattern[str]] = {}

    def keys(self) -> KeysView[str]:
        return self.sources.keys()

    def __bool__(self) -> bool:
        return bool(self.sources)

    def __getitem__(self, key: str) -> re.Pattern[str]:
        pattern = self.compiled.get(key)
        if pattern is None:
            pattern = self.compiled[key] = re.compile(self.sources[key])
        return pattern


class Vocab:
    """A compiled word list.

    Alternatives that start with an ASCII letter live in small regexes keyed by their first two (or, when only that
    is known, first) characters and are tried at ASCII word starts only; everything else is one regex searched
    everywhere (fast, because the engine skips positions whose character starts no alternative).
    """

    __slots__ = ("by2", "by1", "other")

    def __init__(self, by2: _Lazy, by1: _Lazy, other: re.Pattern[str] | None) -> None:
        self.by2 = by2
        self.by1 = by1
        self.other = other

    def _other(self, text: str, pos: int, end: int) -> list[re.Match[str]]:
        found = []
        search = self.other.search  # type: ignore[union-attr]
        while pos <= end and (m := search(text, pos, end)):
            start = m.start()
            if start and text[start] in _ASCII_WORD and text[start - 1] in _ASCII_WORD:
                pos = start + 1  # an alternative we could not classify began inside a word
                continue
            if m.end() > start:
                found.append(m)
            pos = max(m.end(), start + 1)
        return found

    def _ascii(self, text: str, pos: int, end: int) -> list[re.Match[str]]:
        found: list[re.Match[str]] = []
        indexes = _word_index(text)
        if not indexes[1]:
            return found  # no ASCII word in the sentence
        for index, lazy in zip(indexes, (self.by2, self.by1), strict=True):
            for key in lazy.keys() & index.keys():
                match = lazy[key].match
                for start in index[key]:
                    if pos <= start < end and (m := match(text, start, end)) and m.end() > start:
                        found.append(m)
        return found

    def matches(self, text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
        """Non-overlapping matches, leftmost first and longest first where two start together."""
        end = len(text) if endpos is None else endpos
        found = self._other(text, pos, end) if self.other is not None else []
        if self.by2 or self.by1:
            found += self._ascii(text, pos, end)
        if len(found) < 2:
            return found
        found.sort(key=lambda m: (m.start(), -m.end()))
        kept = [found[0]]
        for m in found[1:]:
            if m.start() >= kept[-1].end():
                kept.append(m)
        return kept

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        return iter(self.matches(text, pos, endpos))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        found = self.matches(text, pos, endpos)
        return found[0] if found else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.matches(text)]


NEVER = Vocab(_Lazy({}), _Lazy({}), None)
_SPACE = " "  # a space in a phrase matches a space, a hyphen or nothing: "phone book", "phone-book", "phonebook"


def _ending(word: str, english: bool) -> str:
    """What may follow a phrase: nothing special after Chinese; a word edge (and a plural) after ASCII."""
    if not (word[-1:].isascii() and word[-1:].isalnum()):
        return ""
    return (r"(?:s|es)?" if english and word[-1].isalpha() else "") + r"(?![a-z0-9])"


def trie(literals: list[tuple[str, bool]]) -> str:
    """One regex for many (phrase, is_english) pairs, shaped as a prefix tree; longer continuations come first."""
    root: dict = {}
    for phrase, english in literals:
        text = normalize(phrase).strip()
        if not text:
            continue
        node = root
        for ch in text:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(_ending(text, english))

    def build(node: dict) -> str:
        alts = [
            (r"[\s\-]?" if ch == _SPACE else re.escape(ch)) + build(child)
            for ch, child in sorted((k, v) for k, v in node.items() if k)
        ]
        alts += sorted(node.get("", ()), key=len, reverse=True)
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(root) if root else ""


def alternation(literals: list[tuple[str, bool]], raws: list[str]) -> str:
    """The word list as one plain regex, for embedding in a larger pattern."""
    return "|".join(p for p in (trie(literals), *(f"(?:{r})" for r in raws)) if p)


def _top_level(regex: str) -> tuple[list[str], int | None] | None:
    """Split a regex at its top-level "|"; also return where a leading "(...)" group closes (None if it does not
    start with one). None when the regex is malformed."""
    parts, depth, start, i, first_close = [], 0, 0, 0, None
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 1
        elif ch == "[":
            i = regex.find("]", i + 2 if regex[i + 1 : i + 2] == "]" else i + 1)
            if i < 0:
                return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and first_close is None and regex.startswith("("):
                first_close = i
        elif ch == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
        i += 1
    return ([*parts, regex[start:]], first_close) if depth == 0 else None


def _literal_prefix(regex: str) -> str:
    """The ASCII letters a regex surely starts with ("collect(?:s|ed)" -> "collect"; a quantified last letter is
    not sure: "texts?" -> "text")."""
    n = 0
    while n < len(regex) and regex[n] in _ASCII_WORD:
        n += 1
    return regex[: n - 1] if n and regex[n : n + 1] in ("?", "*", "{") else regex[:n]


def _union(keys: Iterable[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for key in keys:
        if key is None:
            return None
        out |= key
    return out


def ascii_keys(regex: str) -> set[str] | None:
    """Keys (first two letters, or first letter) under which an ASCII-initial regex is filed; None if it may start
    with anything else, in which case it is searched everywhere (always correct, only slower)."""
    split = _top_level(regex)
    if split is None:
        return None
    alts, close = split
    if len(alts) > 1:
        return _union(ascii_keys(alt) for alt in alts)
    prefix = _literal_prefix(regex)
    if prefix:
        return {prefix[:2]}
    if not regex.startswith("(?:") or close is None or regex[close + 1 : close + 2] in ("?", "*", "{"):
        return None
    inner = _top_level(regex[3:close])
    if inner is None:
        return None
    return _union(ascii_keys(alt + regex[close + 1 :]) for alt in inner[0])


def build_vocab(
    literals: list[tuple[str, bool]], raws: list[str], suffix: str = "", extra: tuple[str, ...] = ()
) -> Vocab:
    """Split a word list into ASCII-initial parts (filed by their first letters) and the rest.

    ``suffix`` is appended to every alternative (a verb list followed by "…its object"); ``extra`` are whole regexes
    searched everywhere.
    """
    filed: dict[str, tuple[list[tuple[str, bool]], list[str]]] = {}
    other_lits: list[tuple[str, bool]] = []
    other_raws: list[str] = []
    for phrase, english in literals:
        text = normalize(phrase).strip()
        if text[:1] not in _ASCII_WORD:
            other_lits.append((phrase, english))
            continue
        key = text[:2] if len(text) >= 2 and text[1] in _ASCII_WORD else text[:1]
        filed.setdefault(key, ([], []))[0].append((phrase, english))
    for raw in sorted(set(raws), key=len, reverse=True):
        keys = ascii_keys(raw)
        if keys is None:
            other_raws.append(f"(?:{raw})")
        for key in keys or ():
            filed.setdefault(key, ([], []))[1].append(f"(?:{raw})")

    def source(lits: list[tuple[str, bool]], rs: list[str], more: tuple[str, ...] = ()) -> str:
        alts = "|".join(p for p in (trie(lits), *rs) if p)
        whole = [f"(?:{alts}){suffix}" if alts and suffix else alts, *(f"(?:{e})" for e in more)]
        return "|".join(w for w in whole if w)

    sources = {key: source(lits, rs) for key, (lits, rs) in filed.items()}
    other = source(other_lits, other_raws, extra)
    return Vocab(
        _Lazy({k: v for k, v in sources.items() if len(k) == 2 and v}),
        _Lazy({k: v for k, v in sources.items() if len(k) == 1 and v}),
        re.compile(other) if other else None,
    )


def term_key(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)


class TermIndex:
    """All category terms in one scan; the matched text says which category it belongs to.

    Regex terms of every category are also searched in one scan (``raw_all``); the few matches are then given to
    every category whose own pattern matches at the same place (``raw``), so that adding regex terms to more
    categories does not add one scan per category to every sentence. Each category's span is its own match: the
    one scan stops at the first alternative that matches, which may be a shorter pattern of another category, and
    that must not hide a longer one ("缓存商品图片、视频、音频" is a microphone look-alike even if a photos look-alike
    "缓存…图片" matches first).
    """

    def __init__(
        self,
        literal: Vocab,
        owner: Mapping[str, str],
        raw: tuple[tuple[str, re.Pattern[str]], ...],
        raw_all: Vocab = NEVER,
    ) -> None:
        self.literal = literal
        self.owner = owner
        self.raw = raw
        self.raw_all = raw_all

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for m in self.literal.matches(text):
            key = term_key(m.group())
            cat = self.owner.get(key) or self.owner.get(key[:-1]) or self.owner.get(key[:-2])
            if cat:
                out.append((m.start(), m.end(), cat))
        if self.raw:
            for m in self.raw_all.matches(text):
                for cat, pattern in self.raw:
                    own = pattern.match(text, m.start())
                    if own and own.end() > own.start():
                        out.append((own.start(), own.end(), cat))
        return out
