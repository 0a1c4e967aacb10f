"""Structure-aware mutations of real sample files, as hypothesis strategies for the short fuzz run in CI.

Random bytes rarely get past a format's first check; a real file with one field changed does. For each format we
list the offsets where damage matters -- zip signatures and size/offset/count fields, every field of a resource
chunk header (AXML and ARSC share the chunk format), the DEX header, map list and id-table entries, the markup
characters of a policy -- and mutate there: set a field to a boundary value, flip bits, insert or delete bytes,
truncate. A share of the mutations still go to random offsets, so the list cannot blind the run.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from hypothesis import strategies as st

from tests.fuzz.targets import seeds

INTERESTING_32 = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
INTERESTING_16 = (0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF)
POLICY_TOKENS = (
    b"<",
    b">",
    b"</p>",
    b"<table><tr><th>a</th><td>b</td></tr>",
    b"<h2>",
    b"<li>",
    b"<br>",
    b"<script>",
    b"<!DOCTYPE html [<!ENTITY x 'y'>]>",
    b"&#0;",
    b"&#x1;",
    b"&amp;",
    b"&x;",
    b"\x00",
    b"\x03",
    b"\r",
    b"\n\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"# ",
    b"| a | b |\n|---|---|\n",
    b"- ",
    b"1. ",
    b"**",
    b"\xe3\x80\x82",  # 。
    b"\xef\xbc\x9a",  # ：
    b"e.g. ",
    b"No. ",
    b"charset=gbk",
    b"\x81\x30\x81\x30",  # a GB18030 four-byte sequence
    b"a" * 3000,
    b"\xe4\xb8\xad" * 1000,
)


# --------------------------------------------------------------------------------------------- where
def zip_offsets(data: bytes) -> list[int]:
    """Signature positions and the size, offset, count and length fields of every zip record."""
    fields = {
        b"PK\x03\x04": (0, 4, 6, 8, 14, 18, 22, 26, 28, 30),
        b"PK\x01\x02": (0, 4, 6, 8, 10, 16, 20, 24, 28, 30, 32, 34, 42, 46),
        b"PK\x05\x06": (0, 4, 6, 8, 10, 12, 16, 20, 22),
        b"PK\x07\x08": (0, 4, 8, 12),
    }
    out: list[int] = []
    for sig, offsets in fields.items():
        at = data.find(sig)
        while at >= 0:
            out += [at + o for o in offsets if at + o < len(data)]
            at = data.find(sig, at + 1)
    return out


def chunk_offsets(data: bytes, limit: int = 4000) -> list[int]:
    """Every u16/u32 field of every resource chunk header (AXML, ARSC), walking nested chunks."""
    out: list[int] = []
    stack = [(0, len(data))]
    while stack and len(out) < limit:
        pos, end = stack.pop()
        while pos + 8 <= end and len(out) < limit:
            kind, header, size = struct.unpack_from("<HHI", data, pos)
            out += range(pos, min(pos + max(header, 8), end), 2)
            if size < 8 or pos + size > end:
                break
            if kind in (0x0002, 0x0003, 0x0200) and header >= 8:  # table, XML and package chunks hold chunks
                stack.append((pos + header, pos + size))
            pos += size
    return out


def dex_offsets(data: bytes) -> list[int]:
    """Header fields, map list entries and the first entries of each id table."""
    if len(data) < 0x70:
        return list(range(len(data)))
    out = list(range(0x20, 0x70, 4))
    (map_off,) = struct.unpack_from("<I", data, 0x34)
    if map_off + 4 <= len(data):
        (count,) = struct.unpack_from("<I", data, map_off)
        out += [map_off + 4 + 12 * i + k for i in range(min(count, 32)) for k in (0, 4, 8)]
    tables = struct.unpack_from("<12I", data, 0x38)
    for (count, off), item in zip(zip(tables[0::2], tables[1::2], strict=True), (4, 4, 12, 8, 8, 32), strict=True):
        out += [off + i for i in range(0, min(count, 8) * item, 4) if off + i < len(data)]
    return [o for o in out if o < len(data)]


def policy_offsets(data: bytes) -> list[int]:
    """Markup and sentence boundaries: tags, entities, line breaks, list markers, CJK punctuation."""
    marks = set(b"<>&;\n\r#|-*.:")
    out = [i for i, byte in enumerate(data) if byte in marks]
    out += [i for i in range(len(data)) if data[i : i + 3] in (b"\xe3\x80\x82", b"\xef\xbc\x9a", b"\xef\xbc\x9b")]
    return out or [0]


def signing_offsets(data: bytes) -> list[int]:
    """The signing block's size fields and id-value pair headers, and the nested length prefixes of its values,
    plus the zip records around it."""
    out = zip_offsets(data)
    magic = data.rfind(b"APK Sig Block 42")
    if magic < 8:
        return out
    (size,) = struct.unpack_from("<Q", data, magic - 8)
    start = magic + 16 - size - 8
    if not 0 <= start < magic:
        return out
    out += [start, magic - 8, magic]
    pos = start + 8
    while pos + 12 <= magic - 8 and len(out) < 4000:
        (length,) = struct.unpack_from("<Q", data, pos)
        out += [pos, pos + 8] + list(range(pos + 12, min(pos + 12 + length, magic - 8, pos + 12 + 256), 4))
        if length < 4 or pos + 8 + length > magic - 8:
            break
        pos += 8 + length
    return out


OFFSETS: dict[str, Callable[[bytes], list[int]]] = {
    "zip": zip_offsets,
    "axml": chunk_offsets,
    "arsc": chunk_offsets,
    "dex": dex_offsets,
    "policy": policy_offsets,
    "signing": signing_offsets,
}


# --------------------------------------------------------------------------------------------- how
def _apply(data: bytearray, op: str, at: int, value: int, blob: bytes, repeat: int = 0) -> bytearray:
    at = min(at, len(data))
    if op == "u32" and at + 4 <= len(data):
        struct.pack_into("<I", data, at, value & 0xFFFFFFFF)
    elif op == "u16" and at + 2 <= len(data):
        struct.pack_into("<H", data, at, value & 0xFFFF)
    elif op == "byte" and at < len(data):
        data[at] = value & 0xFF
    elif op == "flip" and at < len(data):
        data[at] ^= 1 << (value % 8)
    elif op == "insert":
        data[at:at] = blob
    elif op == "delete":
        del data[at : at + 1 + value % 64]
    elif op == "truncate":
        del data[at:]
    elif op == "duplicate":
        data[at:at] = data[at : at + 1 + value % 256]
    elif op == "repeat":  # a short slice many times over: where a parser is superlinear, long runs show it
        data[at:at] = bytes(data[at : at + 1 + value % 16]) * repeat
    return data


@st.composite
def repeated(draw: st.DrawFn, target: str) -> bytes:
    """A seed of ``target`` with a short slice of it (at a structural offset) repeated up to 20 000 times.

    Random mutation keeps inputs short and varied, so it never shows a parser that is quadratic in some run; the
    inputs here (up to a few hundred kB) do -- each of the five quadratic paths once in the policy reader took
    seconds to minutes on such an input.
    """
    _name, seed = draw(st.sampled_from(seeds(target)))
    data = bytearray(seed)
    structural = OFFSETS[target](seed) or [0]
    at = structural[draw(st.integers(0, len(structural) - 1))]
    return bytes(_apply(data, "repeat", at, draw(st.integers(0, 15)), b"", draw(st.integers(1000, 20000))))


@st.composite
def mutated(draw: st.DrawFn, target: str) -> bytes:
    """A seed of ``target`` with one to four mutations, mostly at structural offsets."""
    pool = seeds(target)
    _name, seed = draw(st.sampled_from(pool))
    data = bytearray(seed)
    structural = OFFSETS[target](seed)
    for _ in range(draw(st.integers(1, 4))):
        if structural and draw(st.integers(0, 3)):
            at = structural[draw(st.integers(0, len(structural) - 1))]
        else:
            at = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.sampled_from(("u32", "u16", "byte", "flip", "insert", "delete", "truncate", "duplicate")))
        if op == "u16":
            value = draw(st.sampled_from(INTERESTING_16) | st.integers(0, 0xFFFF))
        elif op == "u32":
            value = draw(st.sampled_from((*INTERESTING_32, len(data), len(data) - 1)) | st.integers(0, 0xFFFFFFFF))
        else:
            value = draw(st.integers(0, 255))
        if target == "policy":
            blob = draw(st.sampled_from(POLICY_TOKENS) | st.binary(min_size=1, max_size=8))
        else:
            blob = draw(st.binary(min_size=1, max_size=16))
        data = _apply(data, op, at, value, blob)
    return bytes(data)
