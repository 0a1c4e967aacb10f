"""Fast matching of many phrases at once, for the policy lexicon.

A policy of a hundred pages has thousands of sentences and the lexicon has dozens of word lists, so the matcher
decides whether the analysis takes a tenth of a second or ten. Two tricks keep it fast with the standard ``re``:
phrases are compiled into a prefix tree (the engine then decides on the first character once instead of trying
hundreds of alternatives), and phrases that start with an ASCII letter are only tried where an ASCII word starts
(English text has a candidate at almost every position otherwise). That second rule is also the lexicon's word-edge
rule: a match never starts inside an ASCII word, so "use" is not found in "because".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_WORD_RE = re.compile(r"[a-z0-9]+")
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH[0x3000] = 0x20
MASK = "\ue000"


def normalize(text: str) -> str:
    """The form every matcher sees: lower case, full-width letters/digits as ASCII, Chinese punctuation kept."""
    return re.sub(r"\s+", " ", text.translate(_FULLWIDTH).lower())


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


class Vocab:
    """A compiled word list.

    Alternatives that start with an ASCII letter live in small regexes keyed by their first two (or, when only that
    is known, first) characters and are tried at ASCII word starts only; everything else is one regex searched
    everywhere (fast, because the engine skips positions whose character starts no alternative).
    """

    __slots__ = ("by2", "by1", "other")

    def __init__(
        self, by2: Mapping[str, re.Pattern[str]], by1: Mapping[str, re.Pattern[str]], other: re.Pattern[str] | None
    ) -> None:
        self.by2 = by2
        self.by1 = by1
        self.other = other

    def _other(self, text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
        search = self.other.search  # type: ignore[union-attr]
        while pos <= end and (m := search(text, pos, end)):
            start = m.start()
            if start and text[start] in _ASCII_WORD and text[start - 1] in _ASCII_WORD:
                pos = start + 1  # an alternative we could not classify began inside a word
                continue
            if m.end() > start:
                yield m
            pos = max(m.end(), start + 1)

    def _ascii(self, text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
        idx2, idx1 = _word_index(text)
        candidates = [(start, self.by2[key]) for key in self.by2.keys() & idx2.keys() for start in idx2[key]]
        candidates += [(start, self.by1[key]) for key in self.by1.keys() & idx1.keys() for start in idx1[key]]
        best: dict[int, re.Match[str]] = {}
        for start, pattern in candidates:
            if pos <= start < end and (m := pattern.match(text, start, end)) and m.end() > start:
                if start not in best or m.end() > best[start].end():
                    best[start] = m
        last = -1
        for start in sorted(best):
            if start >= last:
                last = best[start].end()
                yield best[start]

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        has_ascii = bool(self.by2 or self.by1)
        if self.other is None:
            return self._ascii(text, pos, end) if has_ascii else iter(())
        if not has_ascii:
            return self._other(text, pos, end)
        hits = sorted([*self._other(text, pos, end), *self._ascii(text, pos, end)], key=lambda m: (m.start(), -m.end()))
        kept: list[re.Match[str]] = []
        for m in hits:
            if not kept or m.start() >= kept[-1].end():
                kept.append(m)
        return iter(kept)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.finditer(text)]

    def mask(self, text: str) -> str:
        """Blank out every match with same-length filler, so positions stay valid for the other scans."""
        parts, last = [], 0
        for start, end in self.spans(text):
            parts += [text[last:start], MASK * (end - start)]
            last = end
        return "".join(parts) + text[last:] if parts else text


NEVER = Vocab({}, {}, None)
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


def _split_top(group: str) -> list[str] | None:
    """Top-level alternatives of a regex, or None when brackets make it unclear."""
    depth, parts, cur, i = 0, [], [], 0
    while i < len(group):
        ch = group[i]
        if ch == "\\" or ch == "[":
            return None
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts if depth == 0 else None


def _literal_prefix(regex: str) -> str:
    """The ASCII letters a regex surely starts with ("collect(?:s|ed)" -> "collect"; a quantified last letter is
    not sure: "texts?" -> "text")."""
    n = 0
    while n < len(regex) and regex[n] in _ASCII_WORD:
        n += 1
    return regex[: n - 1] if n and regex[n : n + 1] in ("?", "*", "{") else regex[:n]


def ascii_keys(regex: str) -> set[str] | None:
    """Keys (first two letters, or first letter) under which an ASCII-initial regex is filed; None if it may start
    with something else."""
    prefix = _literal_prefix(regex)
    if len(prefix) >= 2:
        return {prefix[:2]}
    if prefix:
        return {prefix}
    if not regex.startswith("(?:"):
        return None
    depth = 0
    for i, ch in enumerate(regex):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch == ")":
            if regex[i + 1 : i + 2] in ("?", "*", "{"):
                return None
            alts = _split_top(regex[3:i])
            keys = [ascii_keys(a + regex[i + 1 :]) if len(_literal_prefix(a)) < 2 else {a[:2]} for a in alts or []]
            return set().union(*keys) if keys and all(k is not None for k in keys) else None
    return None


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

    def compile_(lits: list[tuple[str, bool]], rs: list[str], more: tuple[str, ...] = ()) -> re.Pattern[str] | None:
        alts = "|".join(p for p in (trie(lits), *rs) if p)
        whole = [f"(?:{alts}){suffix}" if alts and suffix else alts, *(f"(?:{e})" for e in more)]
        whole = [w for w in whole if w]
        return re.compile("|".join(whole)) if whole else None

    compiled = {key: compile_(lits, rs) for key, (lits, rs) in filed.items()}
    return Vocab(
        {k: v for k, v in compiled.items() if len(k) == 2 and v is not None},
        {k: v for k, v in compiled.items() if len(k) == 1 and v is not None},
        compile_(other_lits, other_raws, extra),
    )


def term_key(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)


class TermIndex:
    """All category terms in one scan; the matched text says which category it belongs to."""

    def __init__(self, literal: Vocab, owner: Mapping[str, str], raw: tuple[tuple[str, Vocab], ...]) -> None:
        self.literal = literal
        self.owner = owner
        self.raw = raw

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for m in self.literal.finditer(text):
            key = term_key(m.group())
            cat = self.owner.get(key) or self.owner.get(key[:-1]) or self.owner.get(key[:-2])
            if cat:
                out.append((m.start(), m.end(), cat))
        for cat, vocab in self.raw:
            out += [(s, e, cat) for s, e in vocab.spans(text)]
        return out
