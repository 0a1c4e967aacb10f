"""The labelled corpus of real privacy policies: manifests, text cache, normalisation and sentence anchors.

Policies are copyrighted, so the repository keeps only what a reader needs to check a label against the text: the
address of the public page, the SHA-256 of the normalised text and, for every non-silent label, the justifying
sentence located by character offset, length and SHA-256. The texts themselves live in a local cache folder
(``~/.cache/apkscan-policy-corpus/texts/<id>.txt``, or ``$APKSCAN_POLICY_CORPUS/texts``) that ``rebuild.py`` fills
from the pages. Everything here is standard library only, so the anchors stay stable whatever apkscan's own
sentence splitter becomes: a label must not move because the analyser under test changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from apkscan.model.vocab import CATEGORIES as MODEL_CATEGORIES

HERE = Path(__file__).resolve().parent
MANIFESTS = HERE / "policies"
ENV_VAR = "APKSCAN_POLICY_CORPUS"
STATUSES = ("collects", "denies")
KINDS = ("lending", "general")
SPLITS = ("dev", "test")
SEEN = "2026-12-02"
PROVENANCE = f"stored copy of the public page, seen {SEEN}"
#: The categories a policy is labelled for: every data category of apkscan.model (a missing label means "silent").
CATEGORIES: tuple[str, ...] = MODEL_CATEGORIES


class CorpusError(ValueError):
    """A manifest is malformed or a text does not match its manifest; the message names the policy."""


# --------------------------------------------------------------------------------------------- text
_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str) -> str:
    """The canonical form every hash and offset refers to: NFC, one space for any run of spaces, lines stripped,
    empty lines dropped, "\\n" between lines. Pages rebuilt from HTML and hand-saved texts meet here."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", ""))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# A sentence ends at Chinese end punctuation, at "!?;" and at a full stop followed by a space and a capital, digit
# or opening mark; lines always end one. Deliberately simple and fixed: anchors must outlive analyser changes.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+(?=[A-Z0-9\"“(\[\u3400-\u9fff])")


@dataclass(frozen=True)
class Span:
    offset: int
    length: int
    text: str

    @property
    def end(self) -> int:
        return self.offset + self.length


def sentences(text: str) -> list[Span]:
    """Sentence spans of a normalised text, stripped of surrounding spaces."""
    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start = 0
        cuts = [m.start() for m in _SENTENCE_END.finditer(line)] + [len(line)]
        for cut in cuts:
            piece = line[start:cut]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                out.append(Span(pos + start + lead, len(piece), piece))
            start = cut
        pos += len(line) + 1
    return out


def lines(text: str) -> list[Span]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(Span(pos, len(line), line))
        pos += len(line) + 1
    return out


def sentence_around(text: str, snippet: str) -> Span:
    """The sentence (or consecutive sentences) of ``text`` that contain ``snippet``; CorpusError when absent."""
    at = text.find(snippet)
    if at < 0:
        raise CorpusError(f"snippet not found: {snippet[:40]!r}")
    spans = [s for s in sentences(text) if s.offset < at + len(snippet) and at < s.end]
    first, last = spans[0], spans[-1]
    return Span(first.offset, last.end - first.offset, text[first.offset : last.end])


# --------------------------------------------------------------------------------------------- manifests
@dataclass(frozen=True)
class Anchor:
    """Where the sentence that justifies a label sits in the normalised text."""

    status: str
    offset: int
    length: int
    sentence_sha256: str


@dataclass(frozen=True)
class ThirdParty:
    """An SDK or partner the policy lists with the data it collects (third-party collection, not the app's own)."""

    sdk: str
    company: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    id: str
    url: str
    seen: str
    country: str
    language: str
    kind: str
    split: str
    fragment: bool
    text_sha256: str
    text_chars: int
    first_line_sha256: str
    last_line_sha256: str
    labels: dict[str, Anchor] = field(default_factory=dict)
    third_party: tuple[ThirdParty, ...] = ()
    round: int = 1  # the labelling round that added it: a later round is unseen by the tuning of earlier ones
    path: Path | None = None

    def status(self, category: str) -> str:
        anchor = self.labels.get(category)
        return anchor.status if anchor else "silent"


def _require(data: dict, key: str, kind: type, where: str):
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise CorpusError(f"{where}: [{key}] missing or not {kind.__name__}")
    return value


def parse_manifest(data: dict, where: str) -> Manifest:
    strings = {
        k: _require(data, k, str, where)
        for k in (
            "id",
            "url",
            "seen",
            "country",
            "language",
            "kind",
            "split",
            "text_sha256",
            "first_line_sha256",
            "last_line_sha256",
        )
    }
    if strings["kind"] not in KINDS or strings["split"] not in SPLITS:
        raise CorpusError(f"{where}: kind must be one of {KINDS} and split one of {SPLITS}")
    if not strings["url"].startswith(("http://", "https://")):
        raise CorpusError(f"{where}: [url] must be an http(s) address")
    labels: dict[str, Anchor] = {}
    for category, raw in (data.get("labels") or {}).items():
        if category not in CATEGORIES:
            raise CorpusError(f"{where}: [labels.{category}] is not a data category")
        status = _require(raw, "status", str, f"{where} labels.{category}")
        if status not in STATUSES:
            raise CorpusError(f"{where}: [labels.{category}.status] must be one of {STATUSES} (silent = no label)")
        offset = _require(raw, "offset", int, f"{where} labels.{category}")
        length = _require(raw, "length", int, f"{where} labels.{category}")
        if offset < 0 or length <= 0:
            raise CorpusError(f"{where}: [labels.{category}] offset/length out of range")
        labels[category] = Anchor(status, offset, length, _require(raw, "sentence_sha256", str, where))
    third = []
    for i, raw in enumerate(data.get("third_party") or []):
        cats = tuple(raw.get("categories") or ())
        if bad := [c for c in cats if c not in CATEGORIES]:
            raise CorpusError(f"{where}: [third_party {i}] unknown categories {bad}")
        third.append(ThirdParty(_require(raw, "sdk", str, where), raw.get("company", ""), cats))
    round_ = data.get("round", 1)
    if not isinstance(round_, int) or isinstance(round_, bool) or round_ < 1:
        raise CorpusError(f"{where}: [round] must be a whole number >= 1")
    return Manifest(
        round=round_,
        fragment=bool(data.get("fragment", True)),
        text_chars=_require(data, "text_chars", int, where),
        labels=labels,
        third_party=tuple(third),
        **strings,
    )


def load_manifests(folder: Path = MANIFESTS) -> list[Manifest]:
    out = []
    for path in sorted(folder.glob("*.toml")):
        m = parse_manifest(tomllib.loads(path.read_text("utf-8")), path.name)
        if m.id != path.stem:
            raise CorpusError(f"{path.name}: [id] {m.id!r} differs from the file name")
        out.append(Manifest(**{**m.__dict__, "path": path}))
    return out


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def provenance_of(url: str, seen: str) -> str:
    """Where the text came from: a stored copy of a web page, or a file in a public GitHub repository (round 7 on)."""
    if url.startswith(("https://raw.githubusercontent.com/", "https://github.com/")):
        return f"file in a public GitHub repository, at the commit in the address, seen {seen}"
    return PROVENANCE if seen == SEEN else f"stored copy of the public page, seen {seen}"


def dump_manifest(m: Manifest) -> str:
    """TOML text of a manifest (hand-written: tomllib cannot write, and the format is small)."""
    provenance = provenance_of(m.url, m.seen)
    out = [
        f"id = {_toml_str(m.id)}",
        f"url = {_toml_str(m.url)}",
        f"seen = {_toml_str(m.seen)}",
        f"provenance = {_toml_str(provenance)}",
        f"country = {_toml_str(m.country)}",
        f"language = {_toml_str(m.language)}",
        f"kind = {_toml_str(m.kind)}",
        f"split = {_toml_str(m.split)}",
        *([f"round = {m.round}"] if m.round != 1 else []),
        f"fragment = {'true' if m.fragment else 'false'}",
        f"text_sha256 = {_toml_str(m.text_sha256)}",
        f"text_chars = {m.text_chars}",
        f"first_line_sha256 = {_toml_str(m.first_line_sha256)}",
        f"last_line_sha256 = {_toml_str(m.last_line_sha256)}",
    ]
    for category in CATEGORIES:
        if a := m.labels.get(category):
            out += [
                "",
                f"[labels.{category}]",
                f"status = {_toml_str(a.status)}",
                f"offset = {a.offset}",
                f"length = {a.length}",
                f"sentence_sha256 = {_toml_str(a.sentence_sha256)}",
            ]
    for t in m.third_party:
        cats = ", ".join(_toml_str(c) for c in t.categories)
        out += [
            "",
            "[[third_party]]",
            f"sdk = {_toml_str(t.sdk)}",
            f"company = {_toml_str(t.company)}",
            f"categories = [{cats}]",
        ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------- cache
def cache_dir() -> Path:
    """Where texts live: $APKSCAN_POLICY_CORPUS, else ~/.cache/apkscan-policy-corpus (never inside the repo)."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "apkscan-policy-corpus"


def text_path(m: Manifest, root: Path | None = None) -> Path:
    return (root or cache_dir()) / "texts" / f"{m.id}.txt"


def check_text(m: Manifest, text: str) -> list[str]:
    """Problems between a text and its manifest (empty when the text is the labelled one)."""
    problems = []
    if sha256(text) != m.text_sha256:
        problems.append("text differs from the labelled one (SHA-256)")
    for category, a in m.labels.items():
        if sha256(text[a.offset : a.offset + a.length]) != a.sentence_sha256:
            problems.append(f"{category}: justifying sentence not at offset {a.offset}")
    return problems


def load_text(m: Manifest, root: Path | None = None) -> str | None:
    """The cached text of a policy, verified against its manifest; None when it is not in the cache."""
    path = text_path(m, root)
    if not path.exists():
        return None
    text = path.read_text("utf-8")
    if problems := check_text(m, text):
        raise CorpusError(f"{m.id}: {'; '.join(problems)} — run rebuild.py to re-anchor")
    return text


def reanchor(m: Manifest, text: str) -> tuple[dict[str, Anchor], list[str]]:
    """Find every justifying sentence of ``m`` in a (changed) text by its hash; return new anchors and misses."""
    by_hash: dict[str, Span] = {}
    spans = sentences(text)
    for i, span in enumerate(spans):
        by_hash.setdefault(sha256(span.text), span)
        for j in range(i + 1, min(i + 4, len(spans))):  # labels may cover a few consecutive sentences
            joined = text[span.offset : spans[j].end]
            by_hash.setdefault(sha256(joined), Span(span.offset, len(joined), joined))
    anchors, missing = {}, []
    for category, a in m.labels.items():
        if span := by_hash.get(a.sentence_sha256):
            anchors[category] = Anchor(a.status, span.offset, span.length, a.sentence_sha256)
        else:
            missing.append(category)
    return anchors, missing


def clip_fragment(m: Manifest, text: str) -> str | None:
    """For a labelled fragment: the part of a full page between the fragment's first and last lines (by hash)."""
    all_lines = lines(text)
    firsts = [s for s in all_lines if sha256(s.text) == m.first_line_sha256]
    lasts = [s for s in all_lines if sha256(s.text) == m.last_line_sha256]
    for first in firsts:
        for last in lasts:
            if last.offset >= first.offset:
                return text[first.offset : last.end]
    return None


# --------------------------------------------------------------------------------------------- split
def assign_splits(items: Iterable[tuple[str, str]], seed: int = 20261202) -> dict[str, str]:
    """Split once, stratified: ``items`` are (id, stratum); each stratum is shuffled with a fixed seed and dealt
    alternately, starting with whichever half is smaller so far (dev on a tie)."""
    import random

    strata: dict[str, list[str]] = {}
    for pid, stratum in items:
        strata.setdefault(stratum, []).append(pid)
    rng = random.Random(seed)
    out: dict[str, str] = {}
    counts = {"dev": 0, "test": 0}
    for stratum in sorted(strata):
        ids = sorted(strata[stratum])
        rng.shuffle(ids)
        half = "dev" if counts["dev"] <= counts["test"] else "test"
        for pid in ids:
            out[pid] = half
            counts[half] += 1
            half = "test" if half == "dev" else "dev"
    return out


def iter_with_texts(manifests: Iterable[Manifest], root: Path | None = None) -> Iterator[tuple[Manifest, str]]:
    for m in manifests:
        text = load_text(m, root)
        if text is not None:
            yield m, text
