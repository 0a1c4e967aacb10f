"""Map candidate byte positions to the methods whose bytecode contains them, parsing little.

Walking every ``class_data_item`` costs a few microseconds per method, the largest share of a
scan (a big app has 60 000+ methods), while an app has only a few dozen candidate positions.
So the locator reads only each class's member counts and its first ``code_off``, sorts classes
by that offset and, for a candidate, parses the one class whose code starts just before it.
A candidate counts as located only on verified facts: it lies inside the insns of a method of
that class (or of the next one: a class's code items are contiguous but not in method order), or
inside the try/catch data that follows one of their method bodies (not code). In
any other case (code of several classes interleaved, a damaged class, no usable ``map_list``)
the locator falls back to the full map of :func:`.codeitems.build_code_map`, so the answer is
the same as with the full map -- except for code items shared by methods of *different*
classes, which d8/R8/dx never emit.
"""

from __future__ import annotations

import struct
from bisect import bisect_right

from .codeitems import CodeMap, _skipper, _uleb, build_code_map, class_methods, code_item_end, insns_range
from .dexfile import DexFile, DexFormatError

TYPE_CODE_ITEM = 0x2001
_ITEM = struct.Struct("<HHII")

Item = tuple[int, int, int]  # (insns start, insns end, method_idx)


class Locator:
    """Answers "which method bodies contain byte ``pos``?" for one DEX."""

    def __init__(self, dex: DexFile) -> None:
        self.dex = dex
        self.errors: list[str] = []
        self.defined_methods = 0
        self._firsts: list[int] = []  # first code_off of each class with code, sorted
        self._owners: list[int] = []  # class_def index for each entry of _firsts
        self._classes: dict[int, list[tuple[int, int, int, int]]] = {}
        self._full: CodeMap | None = None
        self.lazy = self._index_classes()
        self.code_range = self._code_section() if self.lazy else None
        if self.code_range is None:
            self.lazy = False

    # -- setup --------------------------------------------------------------------------------
    def _index_classes(self) -> bool:
        """Member counts and first code_off per class; False when anything looks wrong."""
        dex = self.dex
        data = dex.data
        firsts = []
        ok = True
        size = len(data)
        for cls, off in enumerate(dex.class_data_offs):
            if not off:
                continue
            try:
                pos = off
                counts = [0, 0, 0, 0]
                for i in range(4):  # inline uleb128 (hot: once per class)
                    byte = data[pos]
                    pos += 1
                    value = byte & 0x7F
                    shift = 7
                    while byte & 0x80 and shift < 35:
                        byte = data[pos]
                        pos += 1
                        value |= (byte & 0x7F) << shift
                        shift += 7
                    counts[i] = value
                fields, methods = counts[0] + counts[1], counts[2] + counts[3]
                if 2 * fields + 3 * methods > size - pos:
                    raise DexFormatError(f"class_data at 0x{off:x} declares more members than the file holds")
                self.defined_methods += methods
                if not methods:
                    continue
                if fields:
                    skip = _skipper(2 * fields).match(data, pos) if fields <= 4000 else None
                    if skip is None:
                        raise DexFormatError(f"class_data at 0x{off:x}: unreadable field list")
                    pos = skip.end()
                for _ in range(methods):
                    _, pos = _uleb(data, pos)
                    _, pos = _uleb(data, pos)
                    code_off, pos = _uleb(data, pos)
                    if code_off:
                        firsts.append((code_off, cls))
                        break
            except (DexFormatError, IndexError) as exc:
                reason = exc if isinstance(exc, DexFormatError) else "class_data runs past the end of the file"
                self.errors.append(f"class_defs[{cls}]: {reason}")
                ok = False
        firsts.sort()
        self._firsts = [f for f, _ in firsts]
        self._owners = [c for _, c in firsts]
        return ok

    def _code_section(self) -> tuple[int, int] | None:
        """Byte range of the code_item section from the map_list, or None if unusable."""
        dex, data = self.dex, self.dex.data
        if not self._firsts:
            return (0, 0)
        (map_off,) = struct.unpack_from("<I", data, 0x34)
        if map_off & 3 or not dex.in_data(map_off) or map_off + 4 > len(data):
            return None
        (count,) = struct.unpack_from("<I", data, map_off)
        if count > (len(data) - map_off - 4) // 12:
            return None
        items = [_ITEM.unpack_from(data, map_off + 4 + 12 * i) for i in range(count)]
        code = [off for kind, _, _, off in items if kind == TYPE_CODE_ITEM]
        if len(code) != 1 or code[0] > self._firsts[0]:
            return None
        after = [off for _, _, _, off in items if off > code[0]]
        end = min(after) if after else dex.data_off + dex.data_size
        return (code[0], min(end, dex.data_off + dex.data_size))

    # -- queries ------------------------------------------------------------------------------
    @property
    def span(self) -> tuple[int, int]:
        """Bytes that can hold instructions: the search range for candidates."""
        if self.code_range is not None:
            return self.code_range
        return self.full_map().span

    def full_map(self) -> CodeMap:
        if self._full is None:
            self._full = build_code_map(self.dex)
            self.errors.extend(e for e in self._full.errors if e not in self.errors)
        return self._full

    def containing(self, pos: int) -> list[Item]:
        """Method bodies whose insns contain ``pos`` (usually one; none for non-code bytes)."""
        if self.lazy:
            found = self._lazy(pos)
            if found is not None:
                return found
        cmap = self.full_map()
        return [(cmap.starts[i], cmap.ends[i], cmap.methods[i]) for i in cmap.containing(pos)]

    def _lazy(self, pos: int) -> list[Item] | None:
        # A class's code items are contiguous in d8/R8/dx output but not in method order, so the
        # code before a class's first-listed method may be its own: look at both neighbours.
        k = bisect_right(self._firsts, pos) - 1
        for j in (k, k + 1):
            if not 0 <= j < len(self._firsts):
                continue
            items = self._class_items(self._owners[j])
            if items is None:
                return None
            inside = [(start, end, midx) for _, start, end, midx in items if start <= pos < end]
            if inside:
                return inside
            before = [item for item in items if item[0] <= pos]
            if before:
                code_off, _, end, _ = max(before)
                try:
                    if end <= pos < code_item_end(self.dex, code_off):
                        return []  # inside that method's try/catch tables: not an instruction
                except (DexFormatError, IndexError):
                    return None
        return None

    def _class_items(self, cls: int) -> list[tuple[int, int, int, int]] | None:
        if cls not in self._classes:
            try:
                methods = class_methods(self.dex, self.dex.class_data_offs[cls])
                self._classes[cls] = [(off, *insns_range(self.dex, off), midx) for midx, off in methods if off]
            except DexFormatError as exc:
                self.errors.append(f"class_defs[{cls}]: {exc}")
                self.lazy = False
                return None
        return self._classes[cls]
