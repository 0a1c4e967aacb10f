"""Walk ``class_data_item``s to find every method body (code item) and who owns it.

The candidate scan in :mod:`.search` finds byte positions; this table maps a position back to
the code item (and so the method) that contains it. It mirrors what androguard's Analysis visits:
every direct and virtual method of every ``class_def`` that has code, including duplicates.

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


def _class_methods(dex: DexFile, off: int) -> list[tuple[int, int]]:
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
    for count in (dmethods, vmethods):
        midx = 0
        for _ in range(count):
            if pos + 7 <= size and data[pos] < 0x80 and data[pos + 1] < 0x80:
                midx += data[pos]
                b0 = data[pos + 2]
                b1 = data[pos + 3]
                if b0 < 0x80:
                    code_off = b0
                    pos += 3
                elif b1 < 0x80:
                    code_off = (b0 & 0x7F) | b1 << 7
                    pos += 4
                elif data[pos + 4] < 0x80:
                    code_off = (b0 & 0x7F) | (b1 & 0x7F) << 7 | data[pos + 4] << 14
                    pos += 5
                else:
                    code_off, pos = _uleb(data, pos + 2)
            else:
                diff, pos = _uleb(data, pos)
                _, pos = _uleb(data, pos)
                code_off, pos = _uleb(data, pos)
                midx += diff
            out.append((midx, code_off))
        if midx >= dex.method_count:
            raise DexFormatError(f"class_data at 0x{off:x} names method index {midx}, out of range")
    return out


def build_code_map(dex: DexFile) -> CodeMap:
    """Parse every class's class_data and return the sorted map of method bodies."""
    data = dex.data
    size = len(data)
    items: list[tuple[int, int, int]] = []
    cmap = CodeMap()
    for cls, off in enumerate(dex.class_data_offs):
        if not off:
            continue
        try:
            methods = _class_methods(dex, off)
        except DexFormatError as exc:
            cmap.errors.append(f"class_defs[{cls}]: {exc}")
            continue
        cmap.defined_methods += len(methods)
        for midx, code_off in methods:
            if not code_off:
                continue
            if code_off + CODE_HEADER > size:
                cmap.errors.append(f"class_defs[{cls}]: code_item at 0x{code_off:x} is past the end of the file")
                continue
            (insns,) = _U32.unpack_from(data, code_off + 12)
            start = code_off + CODE_HEADER
            end = start + 2 * insns
            if end > size:
                cmap.errors.append(
                    f"class_defs[{cls}]: code_item at 0x{code_off:x} declares {insns} code units,"
                    " past the end of the file"
                )
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
