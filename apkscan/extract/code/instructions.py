"""Dalvik instruction widths and a linear-sweep walker that confirms candidate positions.

A byte pattern such as ``6e xx 34 12`` (invoke-virtual of method 0x1234) can also occur inside
an operand, a literal or a switch/array payload. A candidate only counts when a linear sweep from
the start of its method lands exactly on it, which is how androguard's ``LinearSweepAlgorithm``
(and so its xrefs) sees the bytecode.

Widths are in 16-bit code units, from the "Dalvik bytecode" format table
(https://source.android.com/docs/core/runtime/dalvik-bytecode and instruction-formats):
the first digit of each format id (``35c`` -> 3 units). 0 marks an unused opcode.
"""

from __future__ import annotations

from collections.abc import Iterable


def _width_table() -> bytes:
    widths = [0] * 256
    spans = [
        # (first opcode, last opcode, width in code units)
        (0x00, 0x01, 1),  # nop (10x), move (12x)
        (0x02, 0x02, 2),
        (0x03, 0x03, 3),  # move/from16 (22x), move/16 (32x)
        (0x04, 0x04, 1),
        (0x05, 0x05, 2),
        (0x06, 0x06, 3),  # move-wide family
        (0x07, 0x07, 1),
        (0x08, 0x08, 2),
        (0x09, 0x09, 3),  # move-object family
        (0x0A, 0x12, 1),  # move-result*, move-exception, return*, const/4
        (0x13, 0x13, 2),
        (0x14, 0x14, 3),
        (0x15, 0x16, 2),  # const/16, const, const/high16, const-wide/16
        (0x17, 0x17, 3),
        (0x18, 0x18, 5),
        (0x19, 0x19, 2),  # const-wide/32, const-wide (51l), /high16
        (0x1A, 0x1A, 2),
        (0x1B, 0x1B, 3),
        (0x1C, 0x1C, 2),  # const-string, /jumbo (31c), const-class
        (0x1D, 0x1E, 1),
        (0x1F, 0x20, 2),
        (0x21, 0x21, 1),  # monitor-*, check-cast, instance-of, array-length
        (0x22, 0x23, 2),
        (0x24, 0x26, 3),  # new-instance, new-array, filled-new-array*, fill-array-data
        (0x27, 0x28, 1),
        (0x29, 0x29, 2),
        (0x2A, 0x2C, 3),  # throw, goto, goto/16, goto/32, *-switch
        (0x2D, 0x3D, 2),  # cmp*, if-*
        (0x44, 0x6D, 2),  # aget/aput (23x), iget/iput (22c), sget/sput (21c)
        (0x6E, 0x72, 3),
        (0x74, 0x78, 3),  # invoke-* (35c), invoke-*/range (3rc)
        (0x7B, 0x8F, 1),
        (0x90, 0xAF, 2),
        (0xB0, 0xCF, 1),
        (0xD0, 0xE2, 2),  # unop, binop, /2addr, /lit
        (0xFA, 0xFB, 4),
        (0xFC, 0xFD, 3),
        (0xFE, 0xFF, 2),  # invoke-polymorphic, invoke-custom, const-method-*
    ]
    for first, last, width in spans:
        for op in range(first, last + 1):
            widths[op] = width
    return bytes(widths)


WIDTHS: bytes = _width_table()

PACKED_SWITCH_PAYLOAD = 0x0100
SPARSE_SWITCH_PAYLOAD = 0x0200
FILL_ARRAY_DATA_PAYLOAD = 0x0300


def payload_width(data: bytes, pos: int, end: int, unit: int) -> int:
    """Width in code units of the payload pseudo-instruction at ``pos``; 0 if invalid."""
    if pos + 8 > end:
        return 0
    if unit == PACKED_SWITCH_PAYLOAD:  # ident, size, first_key(2), targets(2*size)
        return 4 + 2 * (data[pos + 2] | data[pos + 3] << 8)
    if unit == SPARSE_SWITCH_PAYLOAD:  # ident, size, keys(2*size), targets(2*size)
        return 2 + 4 * (data[pos + 2] | data[pos + 3] << 8)
    if unit == FILL_ARRAY_DATA_PAYLOAD:  # ident, element_width, size(2), data
        element_width = data[pos + 2] | data[pos + 3] << 8
        count = int.from_bytes(data[pos + 4 : pos + 8], "little")
        return 4 + (element_width * count + 1) // 2
    return 0


def confirm(data: bytes, start: int, end: int, candidates: Iterable[int]) -> list[int]:
    """Subset of ``candidates`` (absolute byte positions) that are instruction starts.

    Sweeps linearly from ``start`` (the first insns byte of a method) and stops at the last
    candidate, at ``end`` or at the first invalid unit (unused opcode, unknown payload, an
    instruction running past ``end``) -- androguard stops there too. Runs in O(end - start).
    """
    wanted = sorted(c for c in set(candidates) if start <= c < end and not (c - start) & 1)
    found: list[int] = []
    if not wanted:
        return found
    widths = WIDTHS
    pos = start
    i = 0
    target = wanted[0]
    while pos + 2 <= end:
        while target < pos:
            i += 1
            if i == len(wanted):
                return found
            target = wanted[i]
        op = data[pos]
        high = data[pos + 1]
        if op == 0 and high:
            width = payload_width(data, pos, end, op | high << 8)
        elif op == 0x0E and high:  # return-void is 10x: the high byte must be zero
            width = 0
        else:
            width = widths[op]
        if not width or pos + 2 * width > end:
            return found
        if pos == target:
            found.append(pos)
        pos += 2 * width
    return found
