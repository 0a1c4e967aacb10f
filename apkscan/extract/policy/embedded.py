"""Find the privacy policy an APK carries with it: bundled pages, string resources and policy URLs.

Many loan apps show their policy from ``assets/`` or ``res/raw/`` (an HTML page in a WebView) or from a long string
resource; when a borrower no longer has the page, that copy is the one the app actually showed. URLs of policy pages
are listed too, but fetching them is left to :mod:`apkscan.read.policy.fetch` and only on request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from apkscan.knowledge.lexicon import Lexicon, load_lexicon, normalize
from apkscan.read.policy.file import (
    DEFAULT_MAX_BYTES,
    PolicyDocument,
    PolicyInputError,
    decode_policy_bytes,
    read_policy_bytes,
)

POLICY_DIRS = ("assets/", "res/raw/")
POLICY_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ".md", ""})
MIN_TEXT = 200  # characters; a shorter file or string is a label or a link, not a policy
MIN_WEAK = 4  # distinct supporting words besides a strong keyword
_URL_RE = re.compile(r"""https?://[^\s"'<>()\[\]{}\\^`|\x00-\x1f\x7f]+""", re.I)
_URL_TRAIL = ".,;:!?)]}>'\"。，；）"


def _score(text: str, lex: Lexicon) -> tuple[int, int]:
    """(distinct strong keywords, distinct weak keywords) in the first 20 000 characters."""
    sample = normalize(text[:20000])
    strong = {m.group() for m in lex.embedded_strong.finditer(sample)}
    weak = {m.group() for m in lex.embedded_weak.finditer(sample)}
    return len(strong), len(weak)


def reads_as_policy(text: str, lexicon: Lexicon | None = None) -> bool:
    """True for text that is a privacy policy or user agreement in Chinese or English."""
    if len(text) < MIN_TEXT:
        return False
    strong, weak = _score(text, lexicon or load_lexicon())
    return strong >= 1 and weak >= MIN_WEAK


def _candidate(name: str) -> bool:
    path = PurePosixPath(name)
    return name.startswith(POLICY_DIRS) and path.suffix.lower() in POLICY_SUFFIXES and "/." not in f"/{name}"


def find_embedded_policies(
    files: Mapping[str, bytes] | Iterable[tuple[str, bytes]], strings: Iterable[str] = ()
) -> tuple[PolicyDocument, ...]:
    """Policies among APK entries (assets/**, res/raw/**) and long string resources, de-duplicated by content."""
    lex = load_lexicon()
    items = files.items() if isinstance(files, Mapping) else files
    found: dict[str, PolicyDocument] = {}
    for name, data in items:
        if not _candidate(name) or not data or len(data) > DEFAULT_MAX_BYTES:
            continue
        try:
            if not reads_as_policy(decode_policy_bytes(data, name), lex):
                continue
            doc = read_policy_bytes(data, name)
        except PolicyInputError:
            continue
        found.setdefault(doc.sha256, doc)
    for n, text in enumerate(strings):
        if len(text) < MIN_TEXT or not reads_as_policy(text, lex):
            continue
        try:
            doc = read_policy_bytes(text.replace("\\n", "\n").encode("utf-8"), f"string resource #{n}")
        except PolicyInputError:
            continue
        found.setdefault(doc.sha256, doc)
    return tuple(found.values())


def _looks_like_policy_url(url: str, lex: Lexicon) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or host in lex.url_ignore_hosts:
        return False
    where = unquote(f"{host}{parts.path}?{parts.query}#{parts.fragment}").lower()
    return any(k in where for k in lex.url_keywords)


def find_policy_urls(strings: Iterable[str]) -> tuple[str, ...]:
    """http(s) URLs in the given strings whose host, path or query names a policy or agreement page."""
    lex = load_lexicon()
    out: dict[str, None] = {}
    for text in strings:
        if "://" not in text:
            continue
        for m in _URL_RE.finditer(text):
            url = m.group().rstrip(_URL_TRAIL)
            if _looks_like_policy_url(url, lex):
                out.setdefault(url, None)
    return tuple(out)
