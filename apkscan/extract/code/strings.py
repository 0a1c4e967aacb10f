"""Supporting strings: upload endpoints, content URIs, privacy-policy URLs and other URLs.

A cheap byte-level regex over the string-data area finds the few strings worth decoding (those
holding ``://`` or a data-category word); only those are decoded and classified here. Their
``const-string`` uses are found by the same scan as the API hits, which gives "where they occur".

Classification is deliberately conservative: an *upload endpoint* is a URL or URL path (no
spaces, no ``;``, at least one ``/``) whose path names a data category together with an upload
verb (``/v2/sms/upload``, ``/device/report``), or names a bulk collection on its own
(``/contacts``, ``applist``, ``calllog``).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from .catalog import ApiEntry
from .dexfile import DexFile

#: Words in an endpoint path -> category. "Strong" words mean bulk collection on their own.
STRONG_WORDS: dict[str, str] = {
    "contacts": "contacts",
    "addressbook": "contacts",
    "phonebook": "contacts",
    "contactlist": "contacts",
    "linkman": "contacts",
    "tongxunlu": "contacts",
    "smslist": "sms",
    "smsrecord": "sms",
    "smsinfo": "sms",
    "calllog": "call_log",
    "callrecord": "call_log",
    "callhistory": "call_log",
    "calldetail": "call_log",
    "applist": "installed_apps",
    "installedapp": "installed_apps",
    "appinfolist": "installed_apps",
    "packagelist": "installed_apps",
    "installapp": "installed_apps",
    "deviceinfo": "phone_identity",
    "album": "photos_media",
    "gallery": "photos_media",
}
WEAK_WORDS: dict[str, str] = {
    "contact": "contacts",
    "sms": "sms",
    "calls": "call_log",
    "apps": "installed_apps",
    "device": "phone_identity",
    "imei": "phone_identity",
    "location": "location",
    "gps": "location",
    "photos": "photos_media",
    "calendar": "calendar",
    "accounts": "accounts",
}
UPLOAD_VERBS = ("upload", "report", "sync", "collect", "submit", "save", "batch", "push", "send", "add", "post")
POLICY_WORDS = ("privacy", "policy", "terms", "agreement", "protocol", "yinsi", "xieyi", "隐私", "协议")
#: URLs that are XML namespaces or licences, not network endpoints.
NOISE_HOSTS = (
    "localhost",
    "127.0.0.1",
    "relaxng.org",
    "schemas.android.com",
    "www.w3.org",
    "xml.org",
    "www.apache.org",
    "apache.org",
    "json-schema.org",
    "ns.adobe.com",
    "purl.org",
    "xmlpull.org",
    "java.sun.com",
    "xml.apache.org",
    "www.xmlpull.org",
)

_ALL_WORDS = {*STRONG_WORDS, *WEAK_WORDS, "call_log", "call-log", "://"}
# Byte needles worth decoding a string for (lower-case ASCII): words that contain another needle
# are dropped, since finding the shorter one already selects the string.
_NEEDLES = tuple(
    sorted(w.encode() for w in _ALL_WORDS if w.isascii() and not any(o != w and o in w for o in _ALL_WORDS))
)
_URL = re.compile(r"^(?:https?|file)://[^\s\"'<>]+$", re.I)
_PATH = re.compile(r"^[\w\-./{}%:?=&~+@]*/[\w\-./{}%:?=&~+@]*$")


def find_candidates(dex: DexFile, needles: tuple[bytes, ...] = _NEEDLES, many: bool = False) -> list[int]:
    """Indices of strings that contain ``://`` or a category word (decoding nothing else).

    ``needles`` (lower-case ASCII, or UTF-8 of other scripts: MUTF-8 is the same for them) may be
    replaced, e.g. by the lender checks' anchors (:mod:`apkscan.evaluate.dex_text`). With ``many``
    they are searched by one trie-shaped regex instead of one ``find`` each: for the lender
    checks' 60-odd anchors that halves the search (0.13 s -> 0.06 s on 3.7 MB of strings).
    """
    offs = dex.string_offsets()
    if not needles:
        return []
    if not offs:
        return []
    if list(offs) == sorted(offs):  # d8/dx/smali write string data in id order
        order = None
        starts: array | list[int] = offs
    else:
        order = sorted(range(len(offs)), key=offs.__getitem__)
        starts = [offs[i] for i in order]
    lo = starts[0]
    hi = dex.data.find(b"\x00", starts[-1])
    hi = len(dex.data) if hi < 0 else hi + 1
    # One C-speed lower() of the string area, then bytes.find per needle: ~10x faster than a
    # case-insensitive regex alternation, which cannot skip ahead on a literal prefix.
    region = dex.data[lo:hi].lower()
    if region.isascii():  # C speed; most DEX files of non-Asian apps: skip every non-ASCII needle
        needles = tuple(n for n in needles if n.isascii())
    positions = set()
    if many and needles:
        rx = _trie_regex(tuple(sorted(set(needles))))
        match = rx.search(region)
        while match is not None:  # restart one byte later: overlapping needles are not lost
            positions.add(match.start() + lo)
            match = rx.search(region, match.start() + 1)
    for needle in () if many else needles:
        at = region.find(needle)
        while at >= 0:
            positions.add(at + lo)
            at = region.find(needle, at + 1)
    found: list[int] = []
    seen = set()
    for at in sorted(positions):
        pos = bisect_right(starts, at) - 1
        if pos < 0 or pos in seen:
            continue
        idx = pos if order is None else order[pos]
        try:
            begin, end = dex.string_bounds(idx)
        except ValueError:
            continue
        if begin <= at < end:
            seen.add(pos)
            found.append(idx)
    return found


@lru_cache(maxsize=8)
def _trie_regex(needles: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """One regex matching any needle, shaped as a trie (``l(?:end|oan)``) so that each position
    costs one branch per byte instead of one attempt per needle."""
    trie: dict = {}
    for needle in needles:
        node = trie
        for byte in needle:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        branches = [
            re.escape(bytes([b])) + emit(child) for b, child in sorted((k, v) for k, v in node.items() if k is not None)
        ]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        return b"(?:" + body + b")?" if None in node else body

    return re.compile(emit(trie), re.DOTALL)


def classify(value: str, apis: Iterable[ApiEntry]) -> tuple[str, tuple[str, ...]] | None:
    """(kind, categories) for a supporting string, or None when it is not one."""
    if len(value) > 2048:
        return None
    if value.lower().startswith("content://"):
        return "content_uri", tuple(
            sorted({a.category for a in apis if a.kind == "string" and a.matches_string(value)})
        )
    is_url = bool(_URL.match(value))
    if not is_url and not (_PATH.match(value) and ";" not in value):
        return None
    path = value
    if is_url:
        rest = value.split("://", 1)[1]
        host, _, path = rest.partition("/")
        host = host.lower().split(":")[0]
        if host in NOISE_HOSTS or host.startswith(("java.", "javax.")) or "." not in host:
            return None
        if any(w in value.lower() for w in POLICY_WORDS):
            return "policy_url", ()
    cats = endpoint_categories(path)
    if cats:
        return "upload_endpoint", cats
    return ("url", ()) if is_url else None


def endpoint_categories(path: str) -> tuple[str, ...]:
    """Data categories named by an endpoint path (empty when it does not look like an upload)."""
    segments = [s.replace("_", "").replace("-", "").lower() for s in re.split(r"[/?&=.]", path) if s]
    text = "/".join(segments)
    if not segments:
        return ()
    cats = {cat for word, cat in STRONG_WORDS.items() if word in text}
    if any(verb in text for verb in UPLOAD_VERBS):
        cats |= {cat for word, cat in WEAK_WORDS.items() if word in text}
    return tuple(sorted(cats))
