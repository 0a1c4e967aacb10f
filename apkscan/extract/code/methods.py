"""What a few chosen methods do: iterate a cursor or read one row.

Telling an address-book harvester from a caller-ID lookup needs a look inside the methods that read the data: does
the method walk the whole cursor (``moveToNext`` in a loop) or read one row? Only the handful of methods that read
a category are decoded (a linear sweep of their instructions, as in :mod:`.instructions`). Whether the app has a way
to send data out is answered by the scan itself: the sender APIs of ``apkscan/data/senders.toml`` are searched in
the same bytecode pass as the sensitive APIs (:func:`sender_entries`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from apkscan.knowledge.lender_data import senders

from .catalog import ApiEntry
from .codeitems import class_methods, insns_range
from .dexfile import DexFile, DexFormatError
from .instructions import WIDTHS, payload_width

INVOKE_OPS = frozenset([*range(0x6E, 0x73), *range(0x74, 0x79)])
CURSOR_STEPS = frozenset(["moveToNext", "moveToPosition", "moveToPrevious"])
_S16 = struct.Struct("<h")
_S32 = struct.Struct("<i")


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """``iterates_cursor``: calls Cursor.moveToNext/moveToPosition and has a backward branch (a loop)."""

    iterates_cursor: bool
    steps_cursor: bool  # calls a cursor-stepping method at all
    loops: bool  # has a backward branch
    reads_one_row: bool  # moveToFirst without any stepping call


def method_facts(
    dex_files: Sequence[tuple[str, bytes | DexFile]], wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], MethodFacts]:
    """Facts of each ``(dex label, method descriptor)``; methods that cannot be found are left out."""
    by_dex: dict[str, set[str]] = {}
    for label, descriptor in wanted:
        by_dex.setdefault(label, set()).add(descriptor)
    out: dict[tuple[str, str], MethodFacts] = {}
    for label, data in dex_files:
        if label not in by_dex:
            continue
        try:
            dex = data if isinstance(data, DexFile) else DexFile(data)
        except DexFormatError:
            continue
        for descriptor in by_dex[label]:
            try:
                facts = _facts(dex, descriptor)
            except Exception:  # noqa: BLE001 - a damaged method is just not described
                facts = None
            if facts is not None:
                out[(label, descriptor)] = facts
    return out


def _facts(dex: DexFile, descriptor: str) -> MethodFacts | None:
    cls, _, rest = descriptor.partition("->")
    name, _, proto = rest.partition("(")
    proto = "(" + proto
    tidx = dex.find_type(cls)
    if tidx is None:
        return None
    try:
        cdef = list(dex.class_type_idx).index(tidx)
    except ValueError:
        return None
    off = dex.class_data_offs[cdef]
    if not off:
        return None
    for midx, code_off in class_methods(dex, off):
        if not code_off:
            continue
        ref = dex.method_ref(midx)
        if ref.name == name and ref.proto == proto:
            start, end = insns_range(dex, code_off)
            return _sweep(dex, start, end)
    return None


def _sweep(dex: DexFile, start: int, end: int) -> MethodFacts:
    data = dex.data
    steps = first = loops = False
    pos = start
    while pos + 2 <= end:
        op = data[pos]
        high = data[pos + 1]
        if op == 0 and high:
            width = payload_width(data, pos, end, op | high << 8)
        else:
            width = WIDTHS[op]
        if not width or pos + 2 * width > end:
            break
        if op in INVOKE_OPS:
            ref = dex.method_ref(data[pos + 2] | data[pos + 3] << 8)
            if "Cursor" in ref.class_desc:
                steps = steps or ref.name in CURSOR_STEPS
                first = first or ref.name == "moveToFirst"
        elif op == 0x28:  # goto +AA (signed byte)
            loops = loops or high >= 0x80
        elif op == 0x29 or 0x32 <= op <= 0x3D:  # goto/16, if-test, if-testz: signed 16-bit offset
            loops = loops or _S16.unpack_from(data, pos + 2)[0] < 0
        elif op == 0x2A:  # goto/32
            loops = loops or _S32.unpack_from(data, pos + 2)[0] < 0
        pos += 2 * width
    return MethodFacts(
        iterates_cursor=steps and loops, steps_cursor=steps, loops=loops, reads_one_row=first and not steps
    )


@lru_cache(maxsize=1)
def sender_entries() -> tuple[ApiEntry, ...]:
    """The APIs of ``apkscan/data/senders.toml`` as catalog entries (category "network"), searched in the scan's
    one bytecode pass (``scan_code_full(senders=...)``)."""
    return tuple(
        ApiEntry(kind="method", category="network", permission=None, class_desc=cls, name=name, source=source)
        for cls, name, source in senders()
    )
