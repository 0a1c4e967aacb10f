"""Decode policy bytes: byte-order marks, UTF-8, GBK/GB18030 or Big5 chosen by how Chinese the text reads.

Chinese policies are often saved as GBK or GB18030, not UTF-8; a wrong guess turns every quote into mojibake, so the
choice is made by scoring the text, and binary files are refused with a one-line reason.
"""

from __future__ import annotations

import re
from functools import lru_cache


class PolicyInputError(ValueError):
    """A policy that cannot be read; the message is one line naming the source and the reason."""


# --------------------------------------------------------------------------------------------- decoding
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (APK/XAPK/DOCX?)",
    b"%PDF": "a PDF (save the policy as HTML or text)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"dex\n": "a DEX file",
    b"\x7fELF": "an ELF binary",
    b"\x1f\x8b": "gzip-compressed data",
}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Codecs named in <meta charset> that we map onto the superset we actually decode with.
_CODEC_ALIASES = dict.fromkeys(("gb2312", "gbk", "x-gbk", "cp936", "gb18030"), "gb18030") | {
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
}
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_CJK_CANDIDATES = ("gb18030", "big5")


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """Characters a real Chinese text is mostly made of: all GB2312 hanzi plus the Big5 common block.

    Mis-decoded bytes land on rare hanzi, private-use or symbol code points instead, so the share of these
    characters tells a right guess from a wrong one without shipping a frequency table.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):
        chars.update(bytes(p).decode("gb2312", "ignore") for p in ((lead, t) for t in range(0xA1, 0xFF)))
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for lead in range(0xA4, 0xC7):
        chars.update(bytes(p).decode("big5", "ignore") for p in ((lead, t) for t in trails))
    chars.discard("")
    return frozenset(chars)


def _cjk_plausibility(text: str, sample: int = 20000) -> float:
    """Share of non-ASCII characters that are common hanzi or CJK/general punctuation."""
    common = _common_han()
    seen = good = 0
    for ch in text:
        if ch < "\x80":
            continue
        seen += 1
        if ch in common or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f":
            good += 1
        if seen >= sample:
            break
    return good / seen if seen else 0.0


def _strict(data: bytes, codec: str, truncated: bool) -> str | None:
    """Decode strictly; a file cut at the size cap may end inside a multi-byte character, which we drop."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        if truncated and err.start >= len(data) - 4:
            return _strict(data[: err.start], codec, False)
        return None
    except LookupError:
        return None


def _plausible_text(text: str, sample: int = 20000) -> float:
    """Share of characters that are printable ASCII, whitespace, common hanzi or CJK punctuation."""
    head = text[:sample]
    if not head:
        return 0.0
    ascii_ok = sum(1 for ch in head if " " <= ch < "\x7f" or ch in "\t\n\r")
    non_ascii = len(head) - sum(1 for ch in head if ch < "\x80")
    return (ascii_ok + _cjk_plausibility(head) * non_ascii) / len(head)


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: keep the byte order whose text looks like text."""
    if len(data) % 2:
        return None
    best = max(
        ((_plausible_text(t), t, c) for c in ("utf-16-le", "utf-16-be") if (t := _strict(data, c, False)) is not None),
        default=None,
    )
    return (best[1], best[2]) if best and best[0] >= 0.9 else None


def decode_text(data: bytes, source: str, hint: str | None, truncated: bool) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) or raise PolicyInputError for binary data."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise PolicyInputError(f"{source}: not a text policy, looks like {what}")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec, truncated)
            if text is None:
                raise PolicyInputError(f"{source}: has a {codec} byte-order mark but does not decode as {codec}")
            return text, codec, []
    if b"\x00" in data[:65536]:
        found = _bomless_utf16(data)
        if found is None:
            raise PolicyInputError(f"{source}: binary data (contains NUL bytes), not a text policy")
        return found[0], found[1], ["no byte-order mark; guessed " + found[1].upper()]
    text = _strict(data, "utf-8", truncated)
    if text is not None:
        return text, "utf-8", []
    declared = hint or (m.group(1).decode("ascii").lower() if (m := _CHARSET_RE.search(data[:4096])) else None)
    order = [_CODEC_ALIASES.get(declared or "", ""), *_CJK_CANDIDATES]
    best: tuple[float, str, str] | None = None
    for codec in dict.fromkeys(c for c in order if c):
        text = _strict(data, codec, truncated)
        if text is not None:
            score = _cjk_plausibility(text)
            if best is None or score > best[0]:
                best = (score, codec, text)
    if best and best[0] >= 0.6:
        return best[2], best[1], []
    text = _strict(data, "cp1252", truncated)
    if text is not None:
        return text, "cp1252", ["not UTF-8 or a Chinese encoding; decoded as Windows-1252"]
    return data.decode("latin-1"), "latin-1", ["encoding not recognised; decoded as Latin-1, text may be garbled"]


def check_not_binary(text: str, source: str) -> None:
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text[:65536]) // 100):
        raise PolicyInputError(f"{source}: binary data ({controls} control characters), not a text policy")
