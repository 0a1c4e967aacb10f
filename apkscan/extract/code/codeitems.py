"""Walk ``class_data_item``s to find every method body (code item) and who owns it.

The candidate scan in :mod:`.search` finds byte positions; :mod:`.locate` maps a position back to
the code item (and so the method) that contains it, parsing single classes with the helpers here
and falling back to the full table of :func:`build_code_map`. The table mirrors what androguard's
Analysis visits: every direct and virtual method of every ``class_def`` that has code, duplicates
included.

Each class is parsed on its own: a damaged ``class_data_item`` costs that class only, and its
error is returned so the caller can say the result is partial (and try the androguard fallback).
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .dexfile import DexFile, DexFormatError

_U32 = struct.Struct("<I")
CODE_HEADER = 16  # registers, ins, outs, tries (u16 each), debug_info_off, insns_size (u32 each)


@dataclass(slots=True)
class CodeMap:
    """Sorted code items: ``starts[i]``/``ends[i]`` bound the insns of ``methods[i]``."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    methods: list[int] = field(default_factory=list)
    max_end: list[int] = field(default_factory=list)  # running max of ends, to stop back-scans
    defined_methods: int = 0
    errors: list[str] = field(default_factory=list)

    def containing(self, pos: int) -> list[int]:
        """Indices of the code items whose insns contain byte ``pos`` (usually one)."""
        out = []
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self.max_end[i] > pos:
            if self.ends[i] > pos:
                out.append(i)
            i -= 1
        return out

    @property
    def span(self) -> tuple[int, int]:
        """(first insns byte, last insns byte + 1) over all code items; (0, 0) when none."""
        if not self.starts:
            return 0, 0
        return self.starts[0], self.max_end[-1]


def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    """Read one uleb128 (at most 5 bytes, as in the DEX spec)."""
    result = 0
    shift = 0
    end = len(data)
    for _ in range(5):
        if pos >= end:
            raise DexFormatError("uleb128 runs past the end of the file")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise DexFormatError("uleb128 longer than 5 bytes")


@lru_cache(maxsize=512)
def _skipper(count: int) -> re.Pattern[bytes]:
    """Regex matching exactly ``count`` uleb128 values (to skip encoded_fields at C speed)."""
    return re.compile(rb"(?:[\x80-\xff]{0,4}[\x00-\x7f]){%d}" % count)


def class_methods(dex: DexFile, off: int) -> list[tuple[int, int]]:
    """(method_idx, code_off) of every method in the class_data_item at ``off``.

    This runs for every method of the app, so it avoids per-byte Python: encoded_fields are
    skipped by one regex match, and the common short ulebs of encoded_methods are decoded inline.
    """
    data = dex.data
    size = len(data)
    counts = []
    pos = off
    for _ in range(4):
        value, pos = _uleb(data, pos)
        counts.append(value)
    sfields, ifields, dmethods, vmethods = counts
    # Each encoded_field takes >= 2 bytes and each encoded_method >= 3: a huge declared count
    # is rejected here instead of looping over garbage.
    if (sfields + ifields) * 2 + (dmethods + vmethods) * 3 > size - pos:
        raise DexFormatError(
            f"class_data at 0x{off:x} declares {sfields + ifields} fields and {dmethods + vmethods} methods,"
            f" more than the {size - pos} bytes left"
        )
    if sfields + ifields:
        skip = _skipper(2 * (sfields + ifields)).match(data, pos) if sfields + ifields <= 4000 else None
        if skip is not None:
            pos = skip.end()
        else:
            for _ in range(2 * (sfields + ifields)):
                _, pos = _uleb(data, pos)
    out = []
    try:
        for count in (dmethods, vmethods):
            midx = 0
            for _ in range(count):
                # uleb128s decoded inline (no call per value); every loop advances ``pos``, so
                # it ends at the end of the data at the latest (IndexError -> DexFormatError).
                byte = data[pos]
                pos += 1
                diff = byte & 0x7F
                shift = 7
                while byte & 0x80:
                    byte = data[pos]
                    pos += 1
                    diff |= (byte & 0x7F) << shift
                    shift += 7
                midx += diff
                byte = data[pos]  # access_flags: skipped
                pos += 1
                while byte & 0x80:
                    byte = data[pos]
                    pos += 1
                byte = data[pos]
                pos += 1
                code_off = byte & 0x7F
                shift = 7
                while byte & 0x80:
                    byte = data[pos]
                    pos += 1
                    code_off |= (byte & 0x7F) << shift
                    shift += 7
                out.append((midx, code_off))
            if midx >= dex.method_count:
                raise DexFormatError(f"class_data at 0x{off:x} names method index {midx}, out of range")
    except IndexError:
        raise DexFormatError(f"class_data at 0x{off:x} runs past the end of the file") from None
    return out


def insns_range(dex: DexFile, code_off: int) -> tuple[int, int]:
    """(first, last + 1) byte of the insns of the code_item at ``code_off``; DexFormatError if invalid."""
    data = dex.data
    if code_off & 3 or not dex.in_data(code_off) or code_off + CODE_HEADER > len(data):
        raise DexFormatError(f"code_item at 0x{code_off:x} is misaligned or outside the data section")
    (insns,) = _U32.unpack_from(data, code_off + 12)
    start = code_off + CODE_HEADER
    end = start + 2 * insns
    if end > len(data):
        raise DexFormatError(f"code_item at 0x{code_off:x} declares {insns} code units, past the end of the file")
    return start, end


def code_item_end(dex: DexFile, code_off: int) -> int:
    """First byte after the whole code_item (insns, padding, tries, catch handlers)."""
    data = dex.data
    _, end = insns_range(dex, code_off)
    tries = data[code_off + 6] | data[code_off + 7] << 8
    if not tries:
        return end
    pos = end + (2 if (end - code_off - CODE_HEADER) % 4 else 0) + 8 * tries
    count, pos = _uleb(data, pos)
    for _ in range(min(count, len(data) - pos)):
        start = pos
        size, pos = _uleb(data, pos)
        bits = 7 * (pos - start)
        if size & (1 << (bits - 1)):  # sleb128: negative size means "with catch-all"
            size -= 1 << bits
        for _ in range(min(abs(size), len(data) - pos)):
            _, pos = _uleb(data, pos)
            _, pos = _uleb(data, pos)
        if size <= 0:
            _, pos = _uleb(data, pos)
    return pos


def build_code_map(dex: DexFile) -> CodeMap:
    """Parse every class's class_data and return the sorted map of method bodies."""
    items: list[tuple[int, int, int]] = []
    cmap = CodeMap()
    for cls, off in enumerate(dex.class_data_offs):
        if not off:
            continue
        try:
            methods = class_methods(dex, off)
        except DexFormatError as exc:
            cmap.errors.append(f"class_defs[{cls}]: {exc}")
            continue
        cmap.defined_methods += len(methods)
        for midx, code_off in methods:
            if not code_off:
                continue
            try:
                start, end = insns_range(dex, code_off)
            except DexFormatError as exc:
                cmap.errors.append(f"class_defs[{cls}]: {exc}")
                continue
            items.append((start, end, midx))
    items.sort()
    running = 0
    for start, end, midx in items:
        cmap.starts.append(start)
        cmap.ends.append(end)
        cmap.methods.append(midx)
        running = max(running, end)
        cmap.max_end.append(running)
    return cmap
