"""The global string pool of ``resources.arsc``: every string value of every locale, read cheaply.

Why not androguard's ``ARSCParser``: it parses every package, type and entry of the table to resolve
resources by id, which is slow on big apps and more than the text detectors need. What an app *says*
(its slogans, loan terms, labels in every language) is in the table's first chunk, the global value
string pool, whatever resource and locale each string belongs to. This module reads only that chunk.

Format (``frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h``): a ``ResTable_header``
(type 0x0002) followed by a ``ResStringPool_header`` (type 0x0001: header size, chunk size, string
count, style count, flags, strings start, styles start), then ``string_count`` u32 offsets. With the
UTF8 flag (0x100) each string is two lengths (1 or 2 bytes each: UTF-16 units, then UTF-8 bytes) and
the bytes; otherwise a UTF-16 length (1 or 2 u16) and UTF-16LE code units. Every read is bounded:
damaged input yields the strings read so far and an error message, never an exception.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass, field

RES_TABLE_TYPE = 0x0002
RES_STRING_POOL_TYPE = 0x0001
UTF8_FLAG = 0x100
#: A string longer than this is cut (a whole privacy policy can sit in one resource string).
MAX_STRING_CHARS = 20_000
MAX_STRINGS = 1_000_000
_HEADER = struct.Struct("<HHI")
_POOL = struct.Struct("<HHIIIIII")


@dataclass(frozen=True, slots=True)
class StringPool:
    """The decoded strings (in pool order) and what could not be read."""

    strings: tuple[str, ...] = ()
    utf8: bool = True
    errors: tuple[str, ...] = field(default_factory=tuple)


def read_string_pool(data: bytes) -> StringPool:
    """Decode the global string pool of a ``resources.arsc``; never raises on bad input."""
    if len(data) < 12 + _POOL.size:
        return StringPool(errors=("resources.arsc is too short for a resource table",))
    kind, header_size, _size = _HEADER.unpack_from(data, 0)
    if kind != RES_TABLE_TYPE or header_size < 12 or header_size > len(data) - _POOL.size:
        return StringPool(errors=("resources.arsc does not start with a resource table header",))
    pos = header_size
    kind, pool_header, chunk_size, count, _styles, flags, strings_start, _styles_start = _POOL.unpack_from(data, pos)
    if kind != RES_STRING_POOL_TYPE or pool_header < _POOL.size:
        return StringPool(errors=("resources.arsc has no global string pool",))
    end = min(pos + chunk_size, len(data)) if chunk_size >= pool_header else len(data)
    offsets_at = pos + pool_header
    limit = min(count, MAX_STRINGS, max(0, (end - offsets_at) // 4))
    errors = []
    if pos + chunk_size > len(data):
        errors.append("string pool runs past the end of resources.arsc (truncated file)")
    if limit < count:
        errors.append(f"string pool declares {count} strings, only {limit} fit in the chunk")
    offsets = array("I")
    offsets.frombytes(data[offsets_at : offsets_at + 4 * limit])
    if offsets.itemsize != 4:  # pragma: no cover - every CPython platform has a 4-byte "I"
        raise RuntimeError("array('I') is not 32-bit on this platform")
    base = pos + strings_start
    utf8 = bool(flags & UTF8_FLAG)
    decode = _utf8_at if utf8 else _utf16_at
    out: list[str] = []
    bad = 0
    for off in offsets:
        text = decode(data, base + off, end)
        if text is None:
            bad += 1
            out.append("")
        else:
            out.append(text)
    if bad:
        errors.append(f"{bad} string(s) of the pool could not be decoded")
    return StringPool(strings=tuple(out), utf8=utf8, errors=tuple(errors))


def _utf8_at(data: bytes, pos: int, end: int) -> str | None:
    if pos + 2 > end:
        return None
    # first length: UTF-16 units (skipped); second: UTF-8 bytes
    pos += 2 if data[pos] & 0x80 else 1
    if pos + 2 > end:
        return None
    length = data[pos]
    if length & 0x80:
        length = ((length & 0x7F) << 8) | data[pos + 1]
        pos += 2
    else:
        pos += 1
    length = min(length, 4 * MAX_STRING_CHARS)
    if pos + length > end:
        return None
    return data[pos : pos + length].decode("utf-8", "replace")[:MAX_STRING_CHARS]


def _utf16_at(data: bytes, pos: int, end: int) -> str | None:
    if pos + 2 > end:
        return None
    (units,) = struct.unpack_from("<H", data, pos)
    pos += 2
    if units & 0x8000:
        if pos + 2 > end:
            return None
        units = ((units & 0x7FFF) << 16) | struct.unpack_from("<H", data, pos)[0]
        pos += 2
    units = min(units, 2 * MAX_STRING_CHARS)
    if pos + 2 * units > end:
        return None
    return data[pos : pos + 2 * units].decode("utf-16-le", "replace")[:MAX_STRING_CHARS]
