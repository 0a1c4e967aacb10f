"""Find the instructions that reference the target methods, fields and strings of one DEX.

Steps, each chosen to keep Python out of per-byte work:

1. Resolve the few target ids from the sorted id tables (binary search, see :mod:`.dexfile`).
2. One compiled regex runs over the bytecode span at C speed looking for
   ``<opcode><any byte><16-bit index>`` with the opcode in the families that can reference the
   targets (invoke-* 0x6e-0x72/0x74-0x78, iget*/sget* 0x52-0x58/0x60-0x66, const-string 0x1a,
   const-string/jumbo 0x1b whose 32-bit index starts with the same low 16 bits). The search
   restarts one byte after each match so overlapping candidates are not lost.
3. Each candidate is checked in Python (opcode family vs. index kind), mapped to the method
   body containing it (:class:`.locate.Locator`, which parses only the classes it needs), and
   confirmed by a linear sweep of that method (:func:`.instructions.confirm`), which rejects
   matches inside operands and payloads.

Only reads are reported for fields (iget*/sget*): reading ``CONTENT_URI`` is the use.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalog import ApiEntry
from .dexfile import DexFile
from .instructions import confirm
from .locate import Item, Locator

INVOKE_OPS = frozenset([*range(0x6E, 0x73), *range(0x74, 0x79)])
FIELD_READ_OPS = frozenset([*range(0x52, 0x59), *range(0x60, 0x67)])
CONST_STRING = 0x1A
CONST_STRING_JUMBO = 0x1B
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")


@dataclass(slots=True)
class Targets:
    """Target ids of one DEX mapped to the catalog entries they satisfy (may be empty lists)."""

    methods: dict[int, list[ApiEntry]] = field(default_factory=dict)
    fields: dict[int, list[ApiEntry]] = field(default_factory=dict)
    strings: dict[int, list[ApiEntry]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.methods or self.fields or self.strings)


@dataclass(frozen=True, slots=True)
class Ref:
    """A confirmed reference: ``kind`` is method/field/string, ``idx`` the id in its table."""

    kind: str
    idx: int
    method_idx: int  # caller's method_id
    offset: int  # bytes from the start of the caller's insns (androguard's xref offset)


def resolve_targets(dex: DexFile, apis: Iterable[ApiEntry], extra_strings: Iterable[int] = ()) -> Targets:
    """Look up every catalog entry in this DEX; entries absent from the id tables cost nothing."""
    targets = Targets()
    for entry in apis:
        if entry.kind == "method":
            for midx in dex.find_methods(entry.class_desc, entry.name):
                if not entry.descriptor or dex.method_ref(midx).proto == entry.descriptor:
                    targets.methods.setdefault(midx, []).append(entry)
        elif entry.kind == "field":
            for fidx in dex.find_fields(entry.class_desc, entry.name):
                if not entry.descriptor or dex.field_ref(fidx)[2] == entry.descriptor:
                    targets.fields.setdefault(fidx, []).append(entry)
        elif entry.match == "prefix":
            for sidx in dex.strings_with_prefix(entry.value):
                targets.strings.setdefault(sidx, []).append(entry)
        else:
            found = dex.find_string(entry.value)
            if found is not None:
                targets.strings.setdefault(found, []).append(entry)
    for sidx in extra_strings:
        targets.strings.setdefault(sidx, [])
    return targets


def _pattern(targets: Targets) -> re.Pattern[bytes] | None:
    ops: set[int] = set()
    low16: set[int] = set()
    if targets.methods:
        ops |= INVOKE_OPS
        low16.update(targets.methods)
    if targets.fields:
        ops |= FIELD_READ_OPS
        low16.update(targets.fields)
    if targets.strings:
        ops |= {CONST_STRING, CONST_STRING_JUMBO}
        low16.update(s & 0xFFFF for s in targets.strings)
    if not ops:
        return None
    opclass = b"".join(re.escape(bytes([op])) for op in sorted(ops))
    alternatives = b"|".join(re.escape(_U16.pack(i)) for i in sorted(low16))
    return re.compile(b"(?s)[" + opclass + b"].(?:" + alternatives + b")")


def _candidates(dex: DexFile, targets: Targets, start: int, end: int) -> list[tuple[int, str, int]]:
    """(byte position, kind, index) of every pattern match whose opcode fits the index kind."""
    rx = _pattern(targets)
    if rx is None:
        return []
    data = dex.data
    size = len(data)
    found = []
    pos = start
    while True:
        match = rx.search(data, pos, end)
        if match is None:
            break
        at = match.start()
        pos = at + 1
        op = data[at]
        (idx16,) = _U16.unpack_from(data, at + 2)
        if op in INVOKE_OPS and idx16 in targets.methods:
            found.append((at, "method", idx16))
        elif op in FIELD_READ_OPS and idx16 in targets.fields:
            found.append((at, "field", idx16))
        elif op == CONST_STRING and idx16 in targets.strings:
            found.append((at, "string", idx16))
        elif op == CONST_STRING_JUMBO and at + 6 <= size:
            (idx32,) = _U32.unpack_from(data, at + 2)
            if idx32 in targets.strings:
                found.append((at, "string", idx32))
    return found


def find_refs(dex: DexFile, locator: Locator, targets: Targets) -> list[Ref]:
    """All confirmed references to ``targets``, in file order."""
    if not targets:
        return []
    start, end = locator.span
    if end <= start:
        return []
    per_item: dict[Item, list[tuple[int, str, int]]] = {}
    for cand in _candidates(dex, targets, start, end):
        for item in locator.containing(cand[0]):
            per_item.setdefault(item, []).append(cand)
    refs = []
    for item in sorted(per_item):
        code_start, code_end, midx = item
        cands = per_item[item]
        ok = set(confirm(dex.data, code_start, code_end, (c[0] for c in cands)))
        for at, kind, idx in cands:
            if at in ok:
                refs.append(Ref(kind, idx, midx, at - code_start))
    return refs
